"""How a generated routine sits in the document: one motion, one clip per part.

A routine is one motion over the whole song. On a dancer track it is laid out as one clip per
8-count part (plus the pickup before count 1 and the ending), all windows onto that motion, so
a part can be locked, moved or mirrored like any clip. The generator's plan (which unit sits on
which beats) is stored beside the motion's arrays, so a part can still be regenerated after the
project was saved and opened again. Plain Python: the studio's controller and the headless
pipeline both use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from app.model.document import Clip, MotionAsset, Track, new_id
from app.model.project import Project
from app.model.track_sampling import asset_from_motion, motion_of
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


MOVE_SEPARATOR = " · "
"""Between two moves in a clip label or a count sheet, the way choreographers write them."""
_UNIT_SUFFIX = re.compile(r"( \(mirror\))?( b\d+\+\d+)?( \(mirror\))?$")


def move_label(unit_name: str) -> str:
    """A library unit's name as a choreographer would say it: an authored move by its name
    (``"hip_sway (mirror)"`` is "hip sway"), a stretch of captured dance by its family
    (``"street gJS_sBM_cAll_d01_mJS3_ch02_slice7 b8+2"`` is "street mocap")."""
    name = _UNIT_SUFFIX.sub("", unit_name).strip()
    if " " in name:  # "<family> <take>": the take's file name means nothing on a count sheet
        return f"{name.split(' ', 1)[0]} mocap"
    return name.replace("_", " ")


def routine_asset(result: RoutineResult, name: str) -> MotionAsset:
    """The routine's motion as a document asset, with the plan that made it.

    Beside the plan it keeps, per part, the span (``move_spans``, seconds) and the moves danced
    in it (``move_names``: one line of names per part as UTF-8 byte values, because a motion
    asset holds only float arrays), so clip labels and the count sheet can say what is danced.
    """
    asset = asset_from_motion(result.motion, new_id(), name)
    plan = np.array([(p.beat, p.unit, p.n_beats) for p in result.plan], dtype=np.float64)
    spans = np.array([(p.start, p.end) for p in result.parts], dtype=np.float64).reshape(-1, 2)
    lines = "\n".join(
        MOVE_SEPARATOR.join(_distinct(move_label(u) for u in p.units)) for p in result.parts
    )
    arrays = {
        **asset.arrays,
        "plan": plan.reshape(-1, 3),
        "variant": np.array([result.variant], dtype=np.float64),
        "move_spans": spans,
        "move_names": np.frombuffer(lines.encode("utf-8"), dtype=np.uint8).astype(np.float64),
    }
    return replace(asset, arrays=arrays)


def _distinct(names: Iterable[str]) -> list[str]:
    """``names`` without a name repeated right after itself (two hip sways in a row are one)."""
    out: list[str] = []
    for name in names:
        if name and (not out or out[-1] != name):
            out.append(name)
    return out


def asset_moves(asset: MotionAsset) -> tuple[np.ndarray, tuple[tuple[str, ...], ...]]:
    """The per-part spans and moves :func:`routine_asset` stored (empty for other motions)."""
    spans, raw = asset.arrays.get("move_spans"), asset.arrays.get("move_names")
    if spans is None or raw is None:
        return np.zeros((0, 2)), ()
    text = np.asarray(raw).astype(np.uint8).tobytes().decode("utf-8", errors="replace")
    lines = tuple(tuple(line.split(MOVE_SEPARATOR)) if line else () for line in text.split("\n"))
    spans = np.asarray(spans, dtype=np.float64).reshape(-1, 2)
    n = min(len(spans), len(lines))
    return spans[:n], lines[:n]


def clip_moves(clip: Clip, asset: MotionAsset) -> tuple[str, ...]:
    """The moves danced in ``clip``: those of every stored part its material overlaps."""
    spans, lines = asset_moves(asset)
    return moves_between(spans, lines, clip.source_in, clip.source_out)


def moves_between(
    spans: np.ndarray, lines: Sequence[tuple[str, ...]], start: float, end: float
) -> tuple[str, ...]:
    """The moves of the parts in ``spans`` that overlap ``start``..``end`` (seconds)."""
    if not len(lines):
        return ()
    first = int(np.searchsorted(spans[:, 1], start + 1e-6, side="right"))
    last = int(np.searchsorted(spans[:, 0], end - 1e-6, side="left"))
    return tuple(_distinct([m for line in lines[first:last] for m in line]))


def part_moves(project: Project, track: Track) -> dict[int, tuple[str, ...]]:
    """The moves ``track`` dances in each part of ``project``, by part index (the count sheet)."""
    motions = project.motions
    out: dict[int, tuple[str, ...]] = {}
    decoded: dict[str, tuple[np.ndarray, tuple[tuple[str, ...], ...]]] = {}
    clips = sorted(track.clips, key=lambda c: c.start)
    starts = np.array([c.start for c in clips])
    for part in project.parts:
        names: list[str] = []
        first = max(int(np.searchsorted(starts, part.start, side="right")) - 1, 0)
        for clip in clips[first:]:
            if clip.start >= part.end - 1e-6:
                break
            asset = motions.get(clip.motion_id)
            if asset is None or clip.end <= part.start + 1e-6:
                continue
            if asset.id not in decoded:
                decoded[asset.id] = asset_moves(asset)
            spans, lines = decoded[asset.id]
            # The part's time seen through the clip's window onto its motion.
            lo = clip.source_in + max(part.start, clip.start) - clip.start
            hi = clip.source_in + min(part.end, clip.end) - clip.start
            names += moves_between(spans, lines, lo, hi)
        if names:
            out[part.index] = tuple(_distinct(names))
    return out


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
