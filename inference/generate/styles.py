"""Which styles a generation may ask for: the shipped ones, plus those the user's moves bring.

One check for the CLI, the project file and the Generate panel's list, so a misspelt style is
refused up front instead of quietly generating from no matching moves.
"""

from __future__ import annotations

from collections.abc import Iterable

from inference.errors import UserFacingError
from inference.generate.params import STYLES


class UnknownStyleError(UserFacingError):
    """A style that neither the shipped library nor the user's moves know."""


def known_styles(user_styles: Iterable[str] = ()) -> tuple[str, ...]:
    """The shipped :data:`~inference.generate.params.STYLES`, then the user's styles, once each."""
    return tuple(dict.fromkeys((*STYLES, *user_styles)))


def check_style(style: str, user_styles: Iterable[str] = ()) -> str:
    """Return ``style`` if it is known; otherwise raise, listing the styles there are.

    Raises
    ------
    UnknownStyleError
        Naming the style and every known one, the user's styles last.
    """
    users = tuple(user_styles)
    if style in known_styles(users):
        return style
    listed = ", ".join(STYLES)
    own = [s for s in dict.fromkeys(users) if s not in STYLES]
    if own:
        listed += "; your moves: " + ", ".join(own)
    raise UnknownStyleError(f"unknown style {style!r}: the styles are {listed}")
