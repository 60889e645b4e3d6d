"""One module per ``eightcount`` subcommand, each with ``register(subparsers)``.

A module's ``register`` adds its parser and sets ``handler`` to a function taking the parsed
arguments and returning the exit code. Heavy imports go inside the handler, so ``--help``
stays fast.
"""
