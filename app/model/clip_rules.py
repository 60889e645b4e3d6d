"""Where a clip may go on a dancer track: snapping and the no-overlap rule, as pure functions.

The overlap rule
    Clips on one dancer track never overlap; they may touch, and touching clips get a
    transition (see :mod:`app.model.arrange`). An edit that would overlap a neighbour is not
    refused outright: a moved, duplicated or imported clip goes to the nearest free slot (so
    dragging into a neighbour butts the clip against it), and a trimmed edge stops at the
    neighbour. Only when no slot on the track fits is the edit refused (``None``). Neighbours are
    never pushed: an edit changes one clip, so its undo step is easy to read.

Snapping
    A clip edge within a tolerance (the timeline passes a few pixels' worth of seconds) of a
    beat, which is where every count sits, or of another clip's edge lands on it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from app.model.document import BeatGrid, Clip

TOUCH = 1e-6
"""Seconds two clips may overlap by and still count as touching (float noise)."""
MIN_CLIP_SECONDS = 1.0 / 30.0
"""A trim never makes a clip shorter than one video frame."""


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
    if edge == "left":
        floor = max([0.0, *(c.end for c in others if c.end <= clip.start + TOUCH)])
        earliest = max(floor, clip.start - clip.source_in)
        start = min(max(seconds, earliest), clip.end - MIN_CLIP_SECONDS)
        new = replace(clip, start=start, source_in=clip.source_in + (start - clip.start))
    elif edge == "right":
        ceiling = min([np.inf, *(c.start for c in others if c.start >= clip.end - TOUCH)])
        latest = min(ceiling, clip.start + (source_duration - clip.source_in))
        end = max(min(seconds, latest), clip.start + MIN_CLIP_SECONDS)
        new = replace(clip, source_out=clip.source_in + (end - clip.start))
    else:
        raise ValueError(f"edge must be 'left' or 'right', not {edge!r}")
    return None if new == clip else new


def synced_span(offset: float, duration: float) -> tuple[float, float] | None:
    """Where a clip of a video lands when its frame 0 is song time ``offset``: ``(start,
    source_in)``. A video that starts before the song loses the part before song time 0;
    ``None`` when less than a frame of it is left (the video ends before the song starts)."""
    source_in = max(0.0, -offset)
    if duration - source_in < MIN_CLIP_SECONDS:
        return None
    return max(0.0, offset), source_in
