"""A minimal, Qt-free observer so the document can announce changes to any view.

Events are named in the past tense (``clip_moved``) and are only emitted when a value really
changed; that rule is enforced by the model's primitives, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Callback = Callable[..., None]


class EventEmitter:
    """One named event that any number of callbacks can listen to."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callback] = []

    def connect(self, callback: Callback) -> None:
        """Call ``callback(*args)`` every time the event is emitted."""
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callback) -> None:
        """Stop calling ``callback``; unknown callbacks are ignored."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        """Call every connected callback in connection order."""
        # Copy, so a callback may disconnect itself while we iterate.
        for callback in list(self._callbacks):
            callback(*args)


class EventGroup:
    """A set of named :class:`EventEmitter` objects, reachable as attributes.

    Subclasses list their event names in ``NAMES``.
    """

    NAMES: tuple[str, ...] = ()

    def __init__(self) -> None:
        for name in self.NAMES:
            setattr(self, name, EventEmitter(name))

    def __getattr__(self, name: str) -> EventEmitter:
        # Only reached for names that are not set: give a clear error for typos.
        raise AttributeError(f"{type(self).__name__} has no event {name!r}")

    def emitters(self) -> list[EventEmitter]:
        """All emitters of the group, in ``NAMES`` order."""
        return [getattr(self, name) for name in self.NAMES]
