"""A practice take's score of one part, and the history the project keeps of them.

Each time a dancer finishes a part in practice mode, or a video take is scored, the studio
keeps one :class:`Take` per part scored, so the score view can show the last few takes of
each part side by side and the dancer sees whether they are getting better. Only the newest
:data:`TAKES_KEPT` of each part are kept: the history is for progress, not an archive.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

TAKES_KEPT = 10
"""Takes kept per part (the oldest ones go first)."""


@dataclass(frozen=True, slots=True)
class Take:
    """One scored take of one part.

    Attributes
    ----------
    part
        The part's 1-based index.
    score
        40..100 (the score of :mod:`inference.scoring`).
    timing_ms
        Median lateness over the part, positive = late; ``None`` when it could not be measured.
    source
        Where the take came from: ``"camera"`` or the video file's name.
    recorded_at
        When it was scored, in seconds since the epoch (orders the history).
    """

    part: int
    score: float
    timing_ms: float | None
    source: str
    recorded_at: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.score) and 0.0 <= self.score <= 100.0):
            raise ValueError(f"a take's score must lie in 0..100, not {self.score!r}")
        if self.timing_ms is not None and not math.isfinite(self.timing_ms):
            raise ValueError("a take's timing must be a finite number of ms, or None")


def kept_takes(
    history: Iterable[Take], new: Iterable[Take], keep: int = TAKES_KEPT
) -> tuple[Take, ...]:
    """``history`` with ``new`` added, oldest first, keeping the newest ``keep`` of each part."""
    ordered = sorted([*history, *new], key=lambda t: t.recorded_at)
    per_part: dict[int, int] = {}
    kept: list[Take] = []
    for take in reversed(ordered):
        n = per_part.get(take.part, 0)
        if n < keep:
            per_part[take.part] = n + 1
            kept.append(take)
    return tuple(reversed(kept))


def takes_of_part(history: Iterable[Take], part: int) -> tuple[Take, ...]:
    """The takes of part ``part``, oldest first."""
    return tuple(t for t in history if t.part == part)
