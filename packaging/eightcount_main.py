"""The frozen app's entry point: the ``eightcount`` command (with no command, the studio)."""

import multiprocessing
import os
import sys


def _restore_child_environment() -> None:
    """Give programs the studio starts (ffmpeg) the user's library path, not the bundle's.

    PyInstaller's Linux launcher points LD_LIBRARY_PATH at the bundle so that this process
    finds its libraries; the dynamic linker has read it by now, so only children would see it,
    and ffmpeg must link against the system's own libraries.
    """
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        os.environ["LD_LIBRARY_PATH"] = original
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)


if __name__ == "__main__":
    # `eightcount dataset` runs workers in processes: a frozen child must run the worker,
    # not the command line again.
    multiprocessing.freeze_support()
    if getattr(sys, "frozen", False) and sys.platform.startswith("linux"):
        _restore_child_environment()
    from app.cli import main

    sys.exit(main())
