"""Tap tempo: turn taps on a key into a tempo and a beat position, with no Qt."""

from __future__ import annotations

import numpy as np

MIN_TAPS = 4
"""Taps needed before a tempo is given: three intervals average out a single sloppy tap."""

RUN_GAP_S = 2.0
"""A pause longer than this (slower than 30 BPM) starts a new run of taps."""


class TapTempo:
    """Collects taps; each run of taps gives a tempo from the mean interval.

    ``now`` is wall-clock time, so the tempo is right whatever the playback speed; ``position``
    is the song time of the tap, so the grid lands where the user heard the beats. At a
    practice speed below 1x song time runs slower than the wall clock: the tempo is scaled by
    ``speed`` to stay in song time.
    """

    def __init__(self) -> None:
        self._wall: list[float] = []
        self._song: list[float] = []
        self.run = 0

    @property
    def count(self) -> int:
        return len(self._wall)

    def reset(self) -> None:
        self._wall.clear()
        self._song.clear()

    def tap(self, now: float, position: float, speed: float = 1.0) -> tuple[float, float] | None:
        """Record a tap; returns ``(bpm, count_one_time)`` once the run has enough taps."""
        if self._wall and now - self._wall[-1] > RUN_GAP_S:
            self.reset()
        if not self._wall:
            self.run += 1
        self._wall.append(now)
        self._song.append(position)
        if len(self._wall) < MIN_TAPS:
            return None
        interval = float(np.mean(np.diff(self._wall))) * speed
        if interval <= 0:
            return None
        bpm = 60.0 / interval
        if len(set(self._song)) == 1:
            # Paused playback: every tap has the same song time; the beats start there.
            return bpm, self._song[-1]
        # The least-squares phase of all taps, so one early tap does not shift the whole grid.
        k = np.arange(len(self._song))
        phase = float(np.mean(np.asarray(self._song) - k * interval))
        return bpm, phase + k[-1] * interval
