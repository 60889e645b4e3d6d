"""How a generated routine sits in the document: one motion, one clip per part.

A routine is one motion over the whole song. On a dancer track it is laid out as one clip per
8-count part (plus the pickup before count 1 and the ending), all windows onto that motion, so
a part can be locked, moved or mirrored like any clip. The generator's plan (which unit sits on
which beats) is stored beside the motion's arrays, so a part can still be regenerated after the
project was saved and opened again. Plain Python: the studio's controller and the headless
pipeline both use it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from app.model.arrange import asset_from_motion, motion_of
from app.model.document import Clip, MotionAsset, Track, new_id
from app.model.project import Project
from inference.audio import SongAnalysis

if TYPE_CHECKING:  # the generator loads on first use, not with the document
    from inference.generate import GenerationParams, RoutineResult

Span = tuple[float, float]
MIN_SEGMENT_SECONDS = 1.0 / 30.0
"""Pieces of a part shorter than one video frame (left over around a locked clip) are dropped."""


def subtract(span: Span, holes: tuple[Span, ...]) -> list[Span]:
    """``span`` minus every hole, as ordered pieces of at least one video frame."""
    pieces = [span]
    for low, high in holes:
        pieces = [
            piece
            for start, end in pieces
            for piece in ((start, min(end, low)), (max(start, high), end))
        ]
        pieces = [(s, e) for s, e in pieces if e - s >= MIN_SEGMENT_SECONDS]
    return pieces


def overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] - 1e-9 and b[0] < a[1] - 1e-9


def routine_segments(analysis: SongAnalysis, project: Project) -> list[tuple[str, Span]]:
    """The named spans a routine is laid out in: pickup, each part, ending."""
    parts = analysis.parts
    if not parts:
        return [("Routine", (0.0, analysis.duration))]
    segments = [(project.part_label(part), (part.start, part.end)) for part in parts]
    if parts[0].start >= MIN_SEGMENT_SECONDS:
        segments.insert(0, ("Pickup", (0.0, parts[0].start)))
    if analysis.duration - parts[-1].end >= MIN_SEGMENT_SECONDS:
        segments.append(("Ending", (parts[-1].end, analysis.duration)))
    return segments


def locked_spans(track: Track) -> tuple[Span, ...]:
    return tuple((c.start, c.end) for c in track.clips if c.locked)


def routine_asset(result: RoutineResult, name: str) -> MotionAsset:
    """The routine's motion as a document asset, with the plan that made it."""
    asset = asset_from_motion(result.motion, new_id(), name)
    plan = np.array([(p.beat, p.unit, p.n_beats) for p in result.plan], dtype=np.float64)
    arrays = {
        **asset.arrays,
        "plan": plan.reshape(-1, 3),
        "variant": np.array([result.variant], dtype=np.float64),
    }
    return replace(asset, arrays=arrays)


def routine_clips(
    analysis: SongAnalysis, project: Project, track: Track, asset: MotionAsset, area: Span
) -> tuple[Clip, ...]:
    """Clips of ``asset`` for every part inside ``area``, around the track's locked clips."""
    return tuple(
        Clip(id=new_id(), motion_id=asset.id, name=name, start=lo, source_in=lo, source_out=hi)
        for name, span in routine_segments(analysis, project)
        if overlap(span, area)
        for lo, hi in subtract(span, locked_spans(track))
    )


def replaced_clips(track: Track, area: Span) -> tuple[Clip, ...]:
    """The clips a new routine over ``area`` replaces: every unlocked clip it overlaps."""
    return tuple(c for c in track.clips if not c.locked and overlap((c.start, c.end), area))


def current_routine(
    project: Project, track: Track, params: GenerationParams
) -> RoutineResult | None:
    """The routine the track shows now: the newest generated motion its clips use."""
    from inference.generate import Placement, RoutineResult

    motions = project.motions
    generated = [
        motions[c.motion_id]
        for c in track.clips
        if c.motion_id in motions and "plan" in motions[c.motion_id].arrays
    ]
    if not generated:
        return None
    newest = max(generated, key=lambda asset: float(asset.arrays["variant"][0]))
    plan = tuple(Placement(*(int(v) for v in row)) for row in newest.arrays["plan"])
    return RoutineResult(
        motion=motion_of(newest),
        plan=plan,
        unit_names=(),
        parts=(),
        params=params,
        variant=int(newest.arrays["variant"][0]),
    )
