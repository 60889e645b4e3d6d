"""Measures the slider tests assert on (each the quantity its slider promises to move)."""

from __future__ import annotations

import numpy as np

from inference.assess.motion_metrics import diversity, kinetic_features
from inference.audio import SongAnalysis
from inference.generate import RoutineResult
from inference.generate.beat_time import song_beat_position
from inference.motion.ops import trim


def kinetic_energy(result: RoutineResult) -> float:
    """Mean over frames and joints of half the squared joint speed (J/kg)."""
    pos = result.motion.positions()
    v = np.diff(pos, axis=0) * result.motion.fps
    return float(0.5 * np.mean(np.sum(v * v, axis=-1)))


def mean_jerk(result: RoutineResult) -> float:
    """Mean joint jerk magnitude, m/s^3."""
    pos = result.motion.positions()
    return float(np.linalg.norm(np.diff(pos, n=3, axis=0), axis=-1).mean() * result.motion.fps**3)


def beat_bounce(result: RoutineResult, analysis: SongAnalysis) -> float:
    """Amplitude (m) of the pelvis height's component at the beat frequency."""
    t = np.arange(result.motion.n_frames) / result.motion.fps
    phase = song_beat_position(t, analysis.grid.beats)
    inside = (t >= analysis.grid.beats[0]) & (t <= analysis.grid.beats[-1])
    y = result.motion.root_translation[inside, 1]
    y = y - y.mean()
    return float(2.0 * np.abs(np.mean(y * np.exp(-2j * np.pi * phase[inside]))))


def part_diversity(result: RoutineResult) -> float:
    """Div_k over the routine's parts: how different its 8-counts are from each other."""
    fps = result.motion.fps
    feats = [
        kinetic_features(trim(result.motion, int(p.start * fps), int(p.end * fps)), fps)
        for p in result.parts
        if p.end - p.start > 1.0
    ]
    return diversity(feats)
