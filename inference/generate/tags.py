"""Descriptive tags of a motion unit, measured on its beat-time samples (120 BPM at 30 fps).

Raw measures (:func:`measure`) are physical; :func:`rank_tags` turns them into 0..1 tags by
their rank among the whole library, so "energy 0.8" means "more energetic than 80 % of moves".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from inference.generate.beat_time import SAMPLES_PER_BEAT
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]

FOCUS_GROUPS: dict[str, tuple[int, ...]] = {
    "arms": tuple(CANONICAL.index(f"{b}_{s}") for b in ("elbow", "wrist") for s in ("l", "r")),
    "legs": tuple(CANONICAL.index(f"{b}_{s}") for b in ("knee", "ankle", "toe") for s in "lr"),
    "torso": tuple(CANONICAL.index(n) for n in ("spine", "chest", "neck", "head")),
}
"""Joints whose speed (relative to the pelvis) says which body part a move features."""

FOCI = ("arms", "legs", "torso", "full")


@dataclass(frozen=True)
class RawMeasures:
    """Physical measures of a unit at 120 BPM / 30 fps.

    Attributes
    ----------
    speed
        Mean joint speed, m/s.
    jerk
        Mean joint jerk magnitude, m/s^3.
    bounce
        Amplitude (m) of the pelvis height's component at the beat frequency.
    focus
        ``"arms"``, ``"legs"``, ``"torso"`` or ``"full"``.
    arms, legs, torso
        Mean speed (m/s) of each :data:`FOCUS_GROUPS` group relative to the pelvis: how much
        the move works that part of the body, for a prompt that asks for it.
    """

    speed: float
    jerk: float
    bounce: float
    focus: str
    arms: float
    legs: float
    torso: float


def measure(positions: Array, fps: float = 30.0) -> RawMeasures:
    """Raw measures of (T, J, 3) beat-time joint positions (T >= 4)."""
    vel = np.diff(positions, axis=0) * fps
    speed = float(np.linalg.norm(vel, axis=-1).mean())
    jerk_v = np.diff(positions, n=3, axis=0) * fps**3
    jerk = float(np.linalg.norm(jerk_v, axis=-1).mean()) if jerk_v.shape[0] else 0.0
    y = positions[:, 0, 1] - positions[:, 0, 1].mean()
    phase = np.exp(-2j * np.pi * np.arange(y.size) / SAMPLES_PER_BEAT)
    bounce = float(2.0 * np.abs(np.sum(y * phase)) / y.size)
    rel = positions - positions[:, :1]
    rel_speed = np.linalg.norm(np.diff(rel, axis=0), axis=-1).mean(axis=0) * fps
    shares = {g: float(rel_speed[list(idx)].mean()) for g, idx in FOCUS_GROUPS.items()}
    total = sum(shares.values()) or 1.0
    top = max(shares, key=lambda g: shares[g])
    focus = top if shares[top] / total > 0.45 else "full"
    return RawMeasures(speed, jerk, bounce, focus, shares["arms"], shares["legs"], shares["torso"])


def rank_tags(
    raw: Sequence[RawMeasures], reference: Sequence[RawMeasures]
) -> list[dict[str, float]]:
    """0..1 tags of ``raw`` ranked within ``reference``: ``energy``, ``smoothness``, ``bounce``
    and how much each body part works (``arms``, ``legs``, ``torso``)."""

    def rank(values: Array, ref: Array) -> Array:
        return np.searchsorted(np.sort(ref), values, side="right") / max(ref.size, 1)

    out: dict[str, Array] = {}
    for tag, field, sign in (
        ("energy", "speed", 1),
        ("smoothness", "jerk", -1),
        ("bounce", "bounce", 1),
        *((group, group, 1) for group in FOCUS_GROUPS),
    ):
        v = np.array([getattr(r, field) for r in raw]) * sign
        ref = np.array([getattr(r, field) for r in reference]) * sign
        out[tag] = rank(v, ref)
    return [{tag: float(out[tag][i]) for tag in out} for i in range(len(raw))]
