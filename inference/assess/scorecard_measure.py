"""Measure a dance stretch by stretch: the routine part by part, or real mocap cut to part
length. One code path for both, so the routine's figures and the ground truth's compare.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from inference.assess.motion_metrics import beat_alignment, diversity, joint_positions
from inference.assess.scorecard_figures import (
    FPS,
    beat_energy_of_motion,
    pairwise_distances,
    pose_signature,
    span_figures,
    span_kinetics,
)
from inference.motion import Motion, ground

Array = NDArray[np.float64]
Span = tuple[int, int]


@dataclass(frozen=True, eq=False)
class Measured:
    """Figures of each stretch and of the whole, with the per-beat curves they came from.

    Attributes
    ----------
    stretches
        Per stretch: metric key -> value (NaN where it cannot be measured), plus ``div_k``,
        the stretch's mean Div_k distance to the other stretches.
    whole
        The same over ``whole_span`` (Div_k: :func:`~.motion_metrics.diversity` of the
        stretches' kinetic features).
    signatures
        Per stretch, its pose signature (None when too short).
    beat_frames, alignment, motion_energy
        Per music beat: its frame, BAS term and the body's speed to the next beat.
    """

    stretches: tuple[dict[str, float], ...]
    whole: dict[str, float]
    signatures: tuple[Array | None, ...]
    beat_frames: NDArray[np.int64]
    alignment: Array
    motion_energy: Array
    positions: Array


def measure(
    motion: Motion,
    spans: Sequence[Span],
    whole_span: Span | None = None,
    beat_times: Sequence[float] | None = None,
    music_energy: Sequence[float] | None = None,
) -> Measured:
    """Figures of frames ``spans`` of ``motion`` (30 fps), and of ``whole_span`` (default all).

    ``beat_times`` are music beats in seconds from the motion's first frame and
    ``music_energy`` their energy (0..1, one per beat); without them BAS and the energy
    correlation are NaN.
    """
    if abs(motion.fps - FPS) > 1e-6:
        raise ValueError(f"the scorecard measures at {FPS:g} fps, not {motion.fps:g}")
    pos = joint_positions(ground(motion))
    n = pos.shape[0]
    whole_span = whole_span or (0, n)
    times = np.asarray(beat_times if beat_times is not None else (), dtype=np.float64)
    frames = np.round(times * FPS).astype(np.int64)
    alignment = beat_alignment(pos, times, FPS) if times.size else np.zeros(0)
    motion_energy = beat_energy_of_motion(pos, frames, FPS)
    music = (
        np.asarray(music_energy, dtype=np.float64)
        if music_energy is not None and len(music_energy) == times.size
        else None
    )

    def figures(a: int, b: int) -> dict[str, float]:
        inside = (frames >= a) & (frames < b)
        return span_figures(
            pos,
            a,
            b,
            alignment[inside] if times.size else None,
            motion_energy[inside] if music is not None else None,
            music[inside] if music is not None else None,
        )

    stretches = [figures(a, b) for a, b in spans]
    kinetics = [span_kinetics(pos, a, b) for a, b in spans]
    usable = [i for i, k in enumerate(kinetics) if k is not None]
    for s in stretches:
        s["div_k"] = math.nan
    whole = figures(*whole_span)
    whole["div_k"] = math.nan
    if len(usable) >= 2:
        vectors = [kinetics[i] for i in usable]
        dist = pairwise_distances(vectors)  # type: ignore[arg-type]
        for row, i in enumerate(usable):
            stretches[i]["div_k"] = float(dist[row].sum() / (len(usable) - 1))
        whole["div_k"] = diversity(vectors)  # type: ignore[arg-type]
    return Measured(
        tuple(stretches),
        whole,
        tuple(pose_signature(pos, a, b) for a, b in spans),
        frames,
        alignment,
        motion_energy,
        pos,
    )
