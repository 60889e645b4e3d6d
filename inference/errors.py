"""Errors that carry a message a user can act on.

Every loader in ``inference`` and ``app`` raises one of these for bad input, naming the file and
the problem, so the UI can show ``str(error)`` as it is.
"""

from __future__ import annotations

from pathlib import Path


class UserFacingError(Exception):
    """An error whose message is written for the person using the studio."""


class BadFileError(UserFacingError):
    """A file that cannot be read: missing, unreadable, corrupt, or of an unsupported kind."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path.name}: {problem} ({self.path})")
