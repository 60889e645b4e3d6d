"""The beat grid: an immutable value, edited by pure functions that return a new grid.

The Qt undo commands call these primitives and keep the old and new grids, so undo is a swap.

Counting model
--------------
Every beat has a *count in the bar*, 1..meter; count 1 is a downbeat. After an edit that inserts
or removes a beat, the beats after it continue counting on from the beat before the edit (a
missed or spurious beat had shifted every later count, and fixing it shifts them back).
:func:`set_count_one` re-derives every count from one chosen beat.

Parts (8-counts)
----------------
A part is two bars, starting on a count 1: 8 beats in 4/4 (counted 1-8) and, because the issue
asks for "two bars" in 3/4, 6 beats in 3/4 (counted 1-6) rather than 8 beats that would drift
against the bars. In 2/4 a part is four bars (8 beats). Parts are numbered from 1. Beats before
the first count 1 are a pickup: they belong to no part (:func:`part_counts` gives them part 0),
and a last part cut short by the end of the song is kept with fewer beats (a short part, which
the user may merge into the one before it); the last part runs to the end of the song unless a
beatless ending longer than a part follows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

MIN_BEAT_GAP_S = 0.05
"""Two beats closer than this are refused by the edit primitives (faster than 1200 BPM)."""


@dataclass(frozen=True, slots=True)
class BeatGrid:
    """Beat times and their counts; immutable.

    Attributes
    ----------
    beats
        Beat times in seconds, strictly increasing.
    counts
        Count in the bar of each beat, 1..meter (1 = downbeat).
    meter
        Beats per bar (3 or 4; 2 is accepted).
    duration
        Song length in seconds.
    """

    beats: tuple[float, ...]
    counts: tuple[int, ...]
    meter: int
    duration: float

    def __post_init__(self) -> None:
        if len(self.beats) != len(self.counts):
            raise ValueError("beats and counts must have the same length")
        if self.meter < 2:
            raise ValueError("meter must be at least 2")
        if any(b <= a for a, b in zip(self.beats, self.beats[1:], strict=False)):
            raise ValueError("beat times must be strictly increasing")
        if any(not 1 <= c <= self.meter for c in self.counts):
            raise ValueError("counts must lie in 1..meter")

    @property
    def downbeats(self) -> tuple[float, ...]:
        """Times of the beats counted 1."""
        return tuple(t for t, c in zip(self.beats, self.counts, strict=True) if c == 1)

    @property
    def downbeat_indices(self) -> tuple[int, ...]:
        """Indices of the beats counted 1."""
        return tuple(i for i, c in enumerate(self.counts) if c == 1)

    @property
    def tempo_bpm(self) -> float:
        """Global tempo from the mean of the middle half of the beat intervals (0 without beats).

        The trimmed mean ignores missed and doubled beats like a median does, but averages away the
        one-frame jitter of tracked beats, which a median keeps.
        """
        if len(self.beats) < 2:
            return 0.0
        ibi = np.sort(np.diff(self.beats))
        lo, hi = len(ibi) // 4, len(ibi) - len(ibi) // 4
        return 60.0 / float(np.mean(ibi[lo:hi]))

    def __len__(self) -> int:
        return len(self.beats)


@dataclass(frozen=True, slots=True)
class Part:
    """One 8-count part (two bars).

    Attributes
    ----------
    index
        1-based part number.
    start, end
        Seconds; ``end`` is the start of the next part; for the last part, the end of the song
        (or one beat after the last beat, before a beatless ending longer than a part).
    first_beat
        Index in the grid of the part's count 1.
    n_beats
        Beats in the part (fewer than :func:`beats_per_part` only for a cut-off last part).
    """

    index: int
    start: float
    end: float
    first_beat: int
    n_beats: int


def beats_per_part(meter: int) -> int:
    """Beats in one part: two bars, or four bars of 2/4 (8 in 4/4 and 2/4, 6 in 3/4)."""
    return 8 if meter == 2 else 2 * meter


def make_grid(beats: Sequence[float], meter: int, first_downbeat: int, duration: float) -> BeatGrid:
    """Grid with regular bars: beat ``first_downbeat`` is a count 1.

    ``first_downbeat`` may be any index, even out of range; counts run cyclically both ways.
    """
    counts = tuple((i - first_downbeat) % meter + 1 for i in range(len(beats)))
    return BeatGrid(tuple(float(b) for b in beats), counts, meter, float(duration))


def empty_grid(duration: float, meter: int = 4) -> BeatGrid:
    """A grid with no beats yet (for manual beat entry)."""
    return BeatGrid((), (), meter, float(duration))


def _recount_from(counts: list[int], start: int, meter: int) -> list[int]:
    """Counts from ``start`` on continue cyclically from the count before ``start``."""
    prev = counts[start - 1] if start > 0 else 0
    for i in range(start, len(counts)):
        prev = prev % meter + 1
        counts[i] = prev
    return counts


def _check_gap(beats: Sequence[float], i: int) -> None:
    if i > 0 and beats[i] - beats[i - 1] < MIN_BEAT_GAP_S:
        raise ValueError("a beat cannot be that close to the one before it")
    if i + 1 < len(beats) and beats[i + 1] - beats[i] < MIN_BEAT_GAP_S:
        raise ValueError("a beat cannot be that close to the one after it")


def move_beat(grid: BeatGrid, index: int, time: float) -> BeatGrid:
    """Move beat ``index`` to ``time``; it may not pass its neighbours.

    Raises
    ------
    IndexError
        No such beat.
    ValueError
        ``time`` is not between the neighbouring beats (with :data:`MIN_BEAT_GAP_S` to spare).
    """
    if not 0 <= index < len(grid.beats):
        raise IndexError(index)
    beats = list(grid.beats)
    beats[index] = float(time)
    _check_gap(beats, index)
    return replace(grid, beats=tuple(beats))


def insert_beat(grid: BeatGrid, time: float) -> BeatGrid:
    """Insert a beat at ``time``; the counts after it continue on from the beat before it."""
    beats = list(grid.beats)
    i = int(np.searchsorted(np.asarray(beats, dtype=np.float64), time))
    beats.insert(i, float(time))
    _check_gap(beats, i)
    counts = list(grid.counts)
    counts.insert(i, 1)
    counts = _recount_from(counts, i, grid.meter)
    return replace(grid, beats=tuple(beats), counts=tuple(counts))


def delete_beat(grid: BeatGrid, index: int) -> BeatGrid:
    """Delete beat ``index``; the counts after it continue on from the beat before it."""
    if not 0 <= index < len(grid.beats):
        raise IndexError(index)
    beats = list(grid.beats)
    counts = list(grid.counts)
    del beats[index]
    del counts[index]
    if index == 0 and counts:
        # The first beat keeps the deleted beat's successor's count as it was.
        return replace(grid, beats=tuple(beats), counts=tuple(counts))
    counts = _recount_from(counts, index, grid.meter)
    return replace(grid, beats=tuple(beats), counts=tuple(counts))


def shift_grid(grid: BeatGrid, offset: float) -> BeatGrid:
    """Shift every beat by ``offset`` seconds; beats that leave 0..duration are dropped."""
    kept = [
        (b + offset, c)
        for b, c in zip(grid.beats, grid.counts, strict=True)
        if 0.0 <= b + offset <= grid.duration
    ]
    return replace(grid, beats=tuple(b for b, _ in kept), counts=tuple(c for _, c in kept))


def set_count_one(grid: BeatGrid, index: int) -> BeatGrid:
    """Make beat ``index`` a count 1 and re-derive every count (and so downbeats and parts)."""
    if not 0 <= index < len(grid.beats):
        raise IndexError(index)
    return make_grid(grid.beats, grid.meter, index, grid.duration)


def set_meter(grid: BeatGrid, meter: int) -> BeatGrid:
    """Change the meter, keeping the first downbeat (or the first beat) as a count 1."""
    first = grid.downbeat_indices[0] if grid.downbeat_indices else 0
    return make_grid(grid.beats, meter, first, grid.duration)


def grid_from_tap_tempo(bpm: float, first_beat: float, duration: float, meter: int = 4) -> BeatGrid:
    """A steady grid from a tapped tempo: beats every ``60 / bpm`` s from ``first_beat`` on.

    ``first_beat`` is a count 1. Beats that fit before it are added too (as a pickup), so the
    grid covers the whole song.

    Raises
    ------
    ValueError
        ``bpm`` outside 20..400 or ``first_beat`` outside the song.
    """
    if not 20.0 <= bpm <= 400.0:
        raise ValueError("the tempo must be between 20 and 400 BPM")
    if not 0.0 <= first_beat < duration:
        raise ValueError("the first beat must lie inside the song")
    period = 60.0 / bpm
    n_before = int(np.floor(first_beat / period + 1e-9))
    n_after = int(np.floor((duration - first_beat) / period - 1e-9)) + 1
    beats = first_beat + period * np.arange(-n_before, n_after)
    beats = beats[(beats >= 0.0) & (beats < duration)]
    return make_grid(beats.tolist(), meter, n_before, duration)


def derive_parts(grid: BeatGrid) -> tuple[Part, ...]:
    """Split the grid into 8-count parts (see the module docstring for the rules).

    A new part starts at the first count 1, then every :func:`beats_per_part` beats; when the
    counts have an irregular bar (an edit, a missed beat), the next part starts at the count 1
    that ends the current part's second bar instead, so parts always start on a downbeat.
    """
    beats = grid.beats
    if not beats:
        return ()
    down = grid.downbeat_indices
    if not down:
        return ()
    bars = beats_per_part(grid.meter) // grid.meter
    starts = list(down[::bars])
    period = 60.0 / grid.tempo_bpm if len(beats) > 1 else 0.5
    parts: list[Part] = []
    per_part = beats_per_part(grid.meter)
    for k, s in enumerate(starts):
        nxt = starts[k + 1] if k + 1 < len(starts) else len(beats)
        if nxt < len(beats):
            end = beats[nxt]
        elif grid.duration - beats[-1] < per_part * period:
            # The song's tail after its last beat (a ring-out the tracker found no beat in)
            # belongs to the last part: no second of the song is left outside every part.
            end = max(grid.duration, beats[-1])
        else:
            end = beats[-1] + period  # a long beatless ending stays outside the parts
        parts.append(Part(k + 1, beats[s], float(end), s, nxt - s))
    return tuple(parts)


def part_counts(grid: BeatGrid, parts: Sequence[Part] | None = None) -> tuple[tuple[int, int], ...]:
    """``(part_index, count)`` per beat: count 1..8 (1..6 in 3/4); pickup beats are ``(0, k)``.

    Pickup beats count so that the last one before the first part is the part length (they lead
    in like "5, 6, 7, 8").
    """
    parts = derive_parts(grid) if parts is None else parts
    n = len(grid.beats)
    out: list[tuple[int, int]] = [(0, 0)] * n
    per = beats_per_part(grid.meter)
    first = parts[0].first_beat if parts else n
    for i in range(first):
        out[i] = (0, (per - (first - i)) % per + 1)
    for p in parts:
        for k in range(p.n_beats):
            out[p.first_beat + k] = (p.index, k + 1)
    return tuple(out)


def part_and_count(grid: BeatGrid, parts: Sequence[Part], t: float) -> tuple[Part | None, int]:
    """The part playing at song time ``t`` and its count there (1..8; 0 outside any part)."""
    part = next((p for p in parts if p.start <= t < p.end), None)
    if part is None:
        return None, 0
    beats = grid.beats[part.first_beat : part.first_beat + part.n_beats]
    return part, max(1, int(np.searchsorted(np.asarray(beats), t, side="right")))
