"""Pose helpers for authored moves: a few named, dancer-friendly angles -> canonical rotations.

A move is written as keyframes of a small *pose vector* (see :data:`CHANNELS`): arm elevation
and azimuth, elbow bend, hip flexion, knee bend, torso bend and twist, root dip and shift, ...
Keyframes are interpolated in that vector space with a monotone cubic (PCHIP), which is smooth
and never overshoots a held pose, and each sample is then turned into local joint rotations.

Conventions (canonical skeleton, Y up, facing +Z, left = +X): angles in degrees.

* ``*_elev``: arm elevation from hanging down (0) through horizontal (90) to straight up (180).
* ``*_azim``: arm direction in the horizontal plane, 0 = out to the side, 90 = to the front,
  negative = behind.
* ``*_elbow``: elbow bend, 0 = straight; the forearm folds to the front.
* ``*_hip``: hip flexion (thigh forward), ``*_abd``: thigh out to the side, ``*_knee``: knee bend.
* ``bend``/``side``/``twist``: torso (split over spine and chest), ``chest_pop``: chest only.
* ``dx``/``dy``/``dz``: root offset in metres from the standing pose, ``yaw``: body turn.

The right side is written with the same meanings (mirrored), so a symmetric pose has equal values.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from inference.motion import quaternions as Q
from inference.motion.skeleton import CANONICAL, REST_PELVIS_HEIGHT

Array = NDArray[np.float64]

_SIDE_CHANNELS = ("elev", "azim", "elbow", "wrist", "shrug", "hip", "abd", "knee", "ankle")
CHANNELS: tuple[str, ...] = (
    "dx",
    "dy",
    "dz",
    "yaw",
    "tilt",
    "roll",
    "bend",
    "side",
    "twist",
    "chest_pop",
    "nod",
    "head_tilt",
    "head_turn",
    *(f"{s}_{c}" for s in ("l", "r") for c in _SIDE_CHANNELS),
)
"""Names of the pose-vector channels, in order."""

_INDEX = {name: i for i, name in enumerate(CHANNELS)}

NEUTRAL: dict[str, float] = {"l_elev": 8.0, "r_elev": 8.0, "l_elbow": 12.0, "r_elbow": 12.0}
"""Relaxed standing: arms hanging slightly away from the body, elbows soft."""

_J = CANONICAL.index


def pose_vector(**channels: float) -> Array:
    """A pose vector from named channels; unnamed channels take :data:`NEUTRAL` (else 0)."""
    v = np.zeros(len(CHANNELS))
    for name, value in {**NEUTRAL, **channels}.items():
        v[_INDEX[name]] = value
    return v


def _rx(deg: Array) -> Array:
    return Q.from_axis_angle(np.radians(deg)[:, None] * np.array([1.0, 0.0, 0.0]))


def _ry(deg: Array) -> Array:
    return Q.from_axis_angle(np.radians(deg)[:, None] * np.array([0.0, 1.0, 0.0]))


def _rz(deg: Array) -> Array:
    return Q.from_axis_angle(np.radians(deg)[:, None] * np.array([0.0, 0.0, 1.0]))


def _left_arm(elev: Array, azim: Array, elbow: Array, wrist: Array) -> tuple[Array, Array, Array]:
    """Shoulder, elbow and wrist local rotations of the left arm (rest bone along +X)."""
    e, a = np.radians(elev), np.radians(azim)
    direction = np.stack([np.sin(e) * np.cos(a), -np.cos(e), np.sin(e) * np.sin(a)], axis=-1)
    # Keep away from the exact opposite of the rest direction, where the swing is undefined.
    direction[:, 0] = np.maximum(direction[:, 0], -0.9)
    shoulder = Q.between(np.broadcast_to([1.0, 0.0, 0.0], direction.shape), direction)
    return shoulder, _ry(-elbow), _rz(-wrist)


def _left_leg(hip: Array, abd: Array, knee: Array, ankle: Array) -> tuple[Array, Array, Array]:
    """Hip, knee and ankle local rotations of the left leg (rest bone along -Y)."""
    return Q.multiply(_rz(abd), _rx(-hip)), _rx(knee), _rx(ankle)


def _mirror_q(q: Array) -> Array:
    return np.asarray(q * np.array([1.0, 1.0, -1.0, -1.0]), dtype=np.float64)


def rotations_from_poses(poses: Array) -> tuple[Array, Array]:
    """Root translation (T, 3) and local rotations (T, J, 4) for pose vectors (T, C)."""
    t = poses.shape[0]

    def ch(name: str) -> Array:
        return np.asarray(poses[:, _INDEX[name]], dtype=np.float64)

    rots = Q.identity((t, CANONICAL.n_joints))
    rots[:, _J("pelvis")] = Q.multiply(_ry(ch("yaw")), Q.multiply(_rx(ch("tilt")), _rz(ch("roll"))))
    torso = Q.multiply(_ry(0.5 * ch("twist")), Q.multiply(_rx(0.5 * ch("bend")), _rz(ch("side"))))
    rots[:, _J("spine")] = torso
    rots[:, _J("chest")] = Q.multiply(torso, _rx(ch("chest_pop")))
    rots[:, _J("neck")] = _rx(0.5 * ch("nod"))
    rots[:, _J("head")] = Q.multiply(
        _ry(ch("head_turn")), Q.multiply(_rx(0.5 * ch("nod")), _rz(ch("head_tilt")))
    )
    for side in ("l", "r"):
        flip = _mirror_q if side == "r" else (lambda q: q)
        sh, el, wr = _left_arm(
            ch(f"{side}_elev"), ch(f"{side}_azim"), ch(f"{side}_elbow"), ch(f"{side}_wrist")
        )
        rots[:, _J(f"collar_{side}")] = flip(_rz(ch(f"{side}_shrug")))
        rots[:, _J(f"shoulder_{side}")] = flip(sh)
        rots[:, _J(f"elbow_{side}")] = flip(el)
        rots[:, _J(f"wrist_{side}")] = flip(wr)
        hp, kn, an = _left_leg(
            ch(f"{side}_hip"), ch(f"{side}_abd"), ch(f"{side}_knee"), ch(f"{side}_ankle")
        )
        rots[:, _J(f"hip_{side}")] = flip(hp)
        rots[:, _J(f"knee_{side}")] = flip(kn)
        rots[:, _J(f"ankle_{side}")] = flip(an)
    root = np.stack([ch("dx"), REST_PELVIS_HEIGHT + ch("dy"), ch("dz")], axis=-1)
    return root, Q.normalize(rots)


def interpolate_keyframes(
    keys: Sequence[tuple[float, Mapping[str, float]]], n_beats: int, samples_per_beat: int
) -> Array:
    """Pose vectors (n_beats * samples_per_beat + 1, C) through keyframes placed on beats.

    Parameters
    ----------
    keys
        ``(beat, channels)`` pairs, beats in ``0..n_beats``; channels not given take the
        neutral value. A key at beat 0 and one at ``n_beats`` are added (neutral) if missing, so
        every move starts and ends standing and moves chain cleanly.
    """
    beats = [float(b) for b, _ in keys]
    vectors = [pose_vector(**dict(c)) for _, c in keys]
    if not beats or beats[0] > 0.0:
        beats.insert(0, 0.0)
        vectors.insert(0, pose_vector())
    if beats[-1] < n_beats:
        beats.append(float(n_beats))
        vectors.append(pose_vector())
    if any(b1 <= b0 for b0, b1 in itertools.pairwise(beats)):
        raise ValueError("keyframe beats must be strictly increasing")
    # scipy.interpolate costs ~0.3 s to import: only authoring moves needs it, not loading them.
    from scipy.interpolate import PchipInterpolator

    samples = np.arange(n_beats * samples_per_beat + 1) / samples_per_beat
    interp = PchipInterpolator(np.array(beats), np.stack(vectors), axis=0)
    return np.asarray(interp(samples), dtype=np.float64)
