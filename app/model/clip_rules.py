"""Where a clip may go on a dancer track: snapping and the no-overlap rule, as pure functions.

The overlap rule
    Clips on one dancer track never overlap; they may touch, and touching clips get a
    transition (see :mod:`app.model.track_sampling`). An edit that would overlap a neighbour is not
    refused outright: a moved, duplicated or imported clip goes to the nearest free slot (so
    dragging into a neighbour butts the clip against it), and a trimmed edge stops at the
    neighbour. Only when no slot on the track fits is the edit refused (``None``). Neighbours are
    never pushed: an edit changes one clip, so its undo step is easy to read.

Ripple
    With the ripple modifier a moved clip lands where it was dropped (stopping only at the end
    of a clip that begins before it), and the clips after it are pushed later, just enough that
    none overlap; a trimmed right edge shifts every later clip by as much as the edge moved.

Snapping
    A clip edge within a tolerance (the timeline passes a few pixels' worth of seconds) of a
    beat, which is where every count sits, or of another clip's edge lands on it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from app.model.document import BeatGrid, Clip

TOUCH = 1e-6
"""Seconds two clips may overlap by and still count as touching (float noise)."""
MIN_CLIP_SECONDS = 1.0 / 30.0
"""A trim never makes a clip shorter than one video frame."""


class Edge(StrEnum):
    """Which edge of a clip a trim drags."""

    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True)
class ClipEdit:
    """Where a move or trim puts a clip, and what else it changes.

    Attributes
    ----------
    clip
        The clip's new value; ``None`` when there is no room for it (a move) or nothing would
        change (a trim).
    pushed
        New values of the clips a ripple pushed along (empty without ripple).
    blocker
        The neighbour that stopped the clip short of where it was dragged, if one did.
    """

    clip: Clip | None
    pushed: tuple[Clip, ...] = ()
    blocker: Clip | None = None


def snap_targets(grid: BeatGrid, clips: Iterable[Clip], exclude: str | None = None) -> np.ndarray:
    """Sorted times an edge can snap to: song start, every beat, other clips' edges."""
    edges = [t for c in clips if c.id != exclude for t in (c.start, c.end)]
    return np.unique(np.asarray([0.0, *grid.beats, *edges], dtype=np.float64))


def snap(seconds: float, targets: np.ndarray, tolerance: float) -> float:
    """``seconds`` moved onto the nearest target within ``tolerance``; unchanged otherwise."""
    if targets.size == 0 or tolerance <= 0:
        return seconds
    nearest = float(targets[np.argmin(np.abs(targets - seconds))])
    return nearest if abs(nearest - seconds) <= tolerance else seconds


def snap_start(start: float, duration: float, targets: np.ndarray, tolerance: float) -> float:
    """The start of a span moved so its start *or* end lands on a target, whichever is nearer."""
    by_start = snap(start, targets, tolerance) - start
    by_end = snap(start + duration, targets, tolerance) - (start + duration)
    moves = [m for m in (by_start, by_end) if m != 0.0]
    return start + min(moves, key=abs) if moves else start


def overlaps(clips: Sequence[Clip], start: float, end: float, exclude: str | None = None) -> bool:
    """Whether ``start``..``end`` overlaps any clip other than ``exclude`` (touching is fine)."""
    return any(c.id != exclude and c.start < end - TOUCH and start < c.end - TOUCH for c in clips)


def free_start(
    clips: Sequence[Clip], duration: float, desired: float, exclude: str | None = None
) -> float | None:
    """The start nearest ``desired`` (and not before 0) where ``duration`` fits without overlap.

    ``None`` only when no gap on the track is long enough, which cannot happen after the last
    clip, so in practice it always finds a slot.
    """
    others = sorted((c for c in clips if c.id != exclude), key=lambda c: c.start)
    desired = max(desired, 0.0)
    if not overlaps(others, desired, desired + duration):
        return desired
    candidates = []
    gap_start = 0.0
    for clip in [*others, None]:
        gap_end = np.inf if clip is None else clip.start
        if gap_end - gap_start >= duration - TOUCH:
            latest = gap_end - duration
            candidates.append(min(max(desired, gap_start), latest))
        if clip is not None:
            gap_start = max(gap_start, clip.end)
    return min(candidates, key=lambda s: abs(s - desired)) if candidates else None


def trimmed(
    clip: Clip, edge: str, seconds: float, clips: Sequence[Clip], source_duration: float
) -> Clip | None:
    """``clip`` with its ``"left"`` or ``"right"`` edge dragged to song time ``seconds``.

    The edge stops at the neighbouring clip, at the ends of the source motion, at song time 0,
    and one frame before the other edge. Returns ``None`` when nothing would change.
    """
    others = [c for c in clips if c.id != clip.id]
    if edge == Edge.LEFT:
        floor = max([0.0, *(c.end for c in others if c.end <= clip.start + TOUCH)])
        earliest = max(floor, clip.start - clip.source_in)
        start = min(max(seconds, earliest), clip.end - MIN_CLIP_SECONDS)
        new = replace(clip, start=start, source_in=clip.source_in + (start - clip.start))
    elif edge == Edge.RIGHT:
        ceiling = min([np.inf, *(c.start for c in others if c.start >= clip.end - TOUCH)])
        latest = min(ceiling, clip.start + (source_duration - clip.source_in))
        end = max(min(seconds, latest), clip.start + MIN_CLIP_SECONDS)
        new = replace(clip, source_out=clip.source_in + (end - clip.start))
    else:
        raise ValueError(f"edge must be 'left' or 'right', not {edge!r}")
    return None if new == clip else new


def _first_overlapping(
    clips: Sequence[Clip], start: float, end: float, exclude: str
) -> Clip | None:
    hits = [c for c in clips if c.id != exclude and c.start < end - TOUCH and start < c.end - TOUCH]
    return min(hits, key=lambda c: abs(c.start - start)) if hits else None


def pushed_after(clips: Sequence[Clip], start: float, end: float, exclude: str) -> list[Clip]:
    """Clips that begin at or after ``start`` pushed later so none overlap ``start``..``end``.

    Each pushed clip may push the next; the first clip that already fits ends the ripple, and
    the gaps after it stay as they were. Returns the new values of the clips that moved.
    """
    pushed = []
    cursor = end
    for clip in sorted((c for c in clips if c.id != exclude), key=lambda c: c.start):
        if clip.start < start - TOUCH:
            continue
        if clip.start >= cursor - TOUCH:
            break
        moved = replace(clip, start=cursor)
        pushed.append(moved)
        cursor = moved.end
    return pushed


def plan_move(
    clips: Sequence[Clip],
    grid: BeatGrid,
    clip: Clip,
    wanted: float,
    tolerance: float,
    ripple: bool = False,
) -> ClipEdit:
    """Where ``clip`` lands when dropped at ``wanted`` on a track holding ``clips``.

    Snapped first (:func:`snap_start`). Without ripple it then goes to the nearest free slot
    (:func:`free_start`); with ripple it stays where it was dropped, unless that is inside a
    clip that begins before it (it then starts where that clip ends), and pushes the clips
    after it (:func:`pushed_after`).
    """
    targets = snap_targets(grid, clips, exclude=clip.id)
    snapped = max(snap_start(wanted, clip.duration, targets, tolerance), 0.0)
    blocker = _first_overlapping(clips, snapped, snapped + clip.duration, clip.id)
    if ripple:
        before = [c for c in clips if c.id != clip.id and c.start < snapped - TOUCH < c.end]
        stopped = max(before, key=lambda c: c.end) if before else None
        start = stopped.end if stopped is not None else snapped
        pushed = pushed_after(clips, start, start + clip.duration, clip.id)
        return ClipEdit(replace(clip, start=start), tuple(pushed), stopped)
    slot = free_start(clips, clip.duration, snapped, exclude=clip.id)
    if slot is None:
        return ClipEdit(None, (), blocker)
    moved = abs(slot - snapped) > TOUCH
    return ClipEdit(replace(clip, start=slot), (), blocker if moved else None)


def plan_trim(
    clips: Sequence[Clip],
    grid: BeatGrid,
    clip: Clip,
    edge: Edge,
    seconds: float,
    tolerance: float,
    source_duration: float,
    ripple: bool = False,
) -> ClipEdit:
    """``clip`` with its ``edge`` dragged to ``seconds`` (snapped), stopped as :func:`trimmed`
    says; with ripple a right edge is not stopped by the clips after it but shifts them all."""
    targets = snap_targets(grid, clips, exclude=clip.id)
    at = snap(seconds, targets, tolerance)
    if ripple and edge == Edge.RIGHT:
        alone = [c for c in clips if c.id == clip.id]
        new = trimmed(clip, edge, at, alone, source_duration)
        if new is None:
            return ClipEdit(None)
        shift = new.end - clip.end
        later = sorted(
            (c for c in clips if c.id != clip.id and c.start >= clip.end - TOUCH),
            key=lambda c: c.start,
        )
        return ClipEdit(new, tuple(replace(c, start=c.start + shift) for c in later))
    new = trimmed(clip, edge, at, clips, source_duration)
    reached = clip if new is None else new
    stop = reached.start if edge == Edge.LEFT else reached.end
    blocker = None
    if abs(stop - at) > TOUCH:
        edges = {c.id: (c.end if edge == Edge.LEFT else c.start) for c in clips if c.id != clip.id}
        blocker = next(
            (c for c in clips if c.id in edges and abs(edges[c.id] - stop) <= TOUCH), None
        )
    return ClipEdit(new, (), blocker)


def synced_span(offset: float, duration: float) -> tuple[float, float] | None:
    """Where a clip of a video lands when its frame 0 is song time ``offset``: ``(start,
    source_in)``. A video that starts before the song loses the part before song time 0;
    ``None`` when less than a frame of it is left (the video ends before the song starts)."""
    source_in = max(0.0, -offset)
    if duration - source_in < MIN_CLIP_SECONDS:
        return None
    return max(0.0, offset), source_in
