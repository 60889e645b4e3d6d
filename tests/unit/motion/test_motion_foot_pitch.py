"""Foot pitch calibration: a source's flat foot becomes the canonical flat foot on import.

A rig whose ankle sits higher above its toe joint than the canonical one (Mixamo, Bandai,
Perfume) slopes its flat foot more; aimed as is, the dancer stands on tiptoe.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_motion_fbx import MIXAMO

from inference.motion import quaternions as Q
from inference.motion.formats import load_motion
from inference.motion.motion import Motion
from inference.motion.retarget import (
    REST_FOOT_PITCH,
    flat_foot_pitch,
    foot_pitch_corrections,
    motion_from_positions,
)
from inference.motion.skeleton import CANONICAL, REST_PELVIS_HEIGHT

_I = CANONICAL.index
_FPS = 30.0


def _pitch(m: Motion, side: str) -> np.ndarray:
    pos = m.positions()
    d = pos[:, _I(f"toe_{side}")] - pos[:, _I(f"ankle_{side}")]
    return np.degrees(np.arcsin(-d[:, 1] / np.linalg.norm(d, axis=-1)))


def planted_pitch(m: Motion) -> np.ndarray:
    """Foot pitch in frames where a toe is on the floor and its foot is still (both sides)."""
    pos = m.positions()
    toes = pos[:, [_I("toe_l"), _I("toe_r")], 1]
    floor = np.percentile(toes.min(axis=1), 5)
    out = []
    for s in "lr":
        ankle, toe = pos[:, _I(f"ankle_{s}")], pos[:, _I(f"toe_{s}")]
        speed = [
            np.r_[0.0, np.linalg.norm(np.diff(x, axis=0), axis=-1)] * m.fps for x in (ankle, toe)
        ]
        planted = (toe[:, 1] - floor < 0.03) & (np.maximum(*speed) < 0.2)
        out.append(_pitch(m, s)[planted])
    return np.concatenate(out)


def _standing_then_pointing(flat_pitch: float) -> dict[str, np.ndarray]:
    """Source positions: 2 s standing, then 1 s with the left leg lifted and the foot pointed
    30 degrees, on a rig whose flat foot slopes ``flat_pitch`` degrees."""
    n_stand, n_point = 60, 30
    t = n_stand + n_point
    rots = Q.identity((t, CANONICAL.n_joints))
    rots[n_stand:, _I("hip_l")] = Q.from_axis_angle([-np.radians(40.0), 0.0, 0.0])
    rots[n_stand:, _I("knee_l")] = Q.from_axis_angle([np.radians(50.0), 0.0, 0.0])
    rots[n_stand:, _I("ankle_l")] = Q.from_axis_angle([np.radians(30.0), 0.0, 0.0])
    root = np.zeros((t, 3))
    root[:, 1] = REST_PELVIS_HEIGHT
    offsets = CANONICAL.offsets.copy()
    a = np.radians(flat_pitch)
    for s in "lr":
        offsets[_I(f"toe_{s}")] = 0.13 * np.array([0.0, -np.sin(a), np.cos(a)])
    src = Motion(CANONICAL, _FPS, root, rots, offsets)
    pos = src.positions()
    return {n: pos[:, i] for i, n in enumerate(CANONICAL.names)}


def test_a_source_foot_sloping_45_degrees_when_flat_is_made_flat() -> None:
    targets = _standing_then_pointing(45.0)
    flat = flat_foot_pitch(targets, _FPS)
    assert flat["l"] == pytest.approx(45.0, abs=0.5) and flat["r"] == pytest.approx(45.0, abs=0.5)
    m = motion_from_positions(targets, _FPS)
    for s in "lr":
        assert np.allclose(_pitch(m, s)[:60], REST_FOOT_PITCH, atol=0.5)
    # The pointed foot stays pointed by what the source points it: 30 degrees off its flat.
    ankle = m.local_rotations[60:, _I("ankle_l")]
    assert np.allclose(np.degrees(np.linalg.norm(Q.to_axis_angle(ankle), axis=-1)), 30.0, atol=0.5)
    # Everything but the toes still sits on the source.
    pos = m.positions()
    for name in ("ankle_l", "ankle_r", "knee_l", "hip_r"):
        assert np.allclose(pos[:, _I(name)], targets[name], atol=1e-9)
    # Without the calibration the same source stands on tiptoe.
    raw = motion_from_positions(targets, _FPS, calibrate_feet=False)
    assert np.allclose(_pitch(raw, "l")[:60], 45.0, atol=0.5)


def test_a_correctly_sloped_source_foot_is_unchanged() -> None:
    targets = _standing_then_pointing(REST_FOOT_PITCH)
    assert foot_pitch_corrections(targets, _FPS) == {}
    m = motion_from_positions(targets, _FPS)
    raw = motion_from_positions(targets, _FPS, calibrate_feet=False)
    assert np.array_equal(m.local_rotations, raw.local_rotations)


def test_a_foot_never_planted_is_aimed_as_the_source_has_it() -> None:
    targets = _standing_then_pointing(45.0)
    for name in targets:
        targets[name] = targets[name] + np.linspace(0.0, 3.0, 90)[:, None] * [1.0, 0.0, 0.0]
    assert foot_pitch_corrections(targets, _FPS) == {}  # 1 m/s: never still


def test_sides_that_disagree_take_the_lower_flat_pitch() -> None:
    targets = _standing_then_pointing(40.0)
    # The right heel kept 2 cm up throughout: that foot's planted pitch is the dance's.
    targets["ankle_r"] = targets["ankle_r"] + [0.0, 0.04, 0.0]
    turn = foot_pitch_corrections(targets, _FPS)
    assert turn["ankle_l"] == pytest.approx(turn["ankle_r"])
    assert np.degrees(turn["ankle_l"]) == pytest.approx(REST_FOOT_PITCH - 40.0, abs=0.5)


# Every Mixamo clip but those danced on the balls of the feet (uprock) or with no foot planted
# (power moves, a flair).
MIXAMO_STANDING = [
    f"{name}.fbx"
    for name in sorted(MIXAMO)
    if name not in {"Brooklyn_Uprock", "Breakdance_1990", "Flair"}
] + ["Michelle.glb"]


@pytest.mark.parametrize("name", MIXAMO_STANDING)
def test_every_mixamo_dancer_stands_on_flat_feet(motion_dir: Path, name: str) -> None:
    pitch = planted_pitch(load_motion(motion_dir / "mixamo" / name))
    assert pitch.size >= 30
    # Measured before the calibration: 37-41 degrees, a tiptoe.
    assert abs(np.median(pitch) - REST_FOOT_PITCH) < 3.0


@pytest.mark.parametrize(
    "rel",
    [
        "perfume/A_test.bvh",
        "bandai_namco/dataset-1_walk_normal_001.bvh",
        "cmu_salsa/60_01_scaled.bvh",
        "cmu_dance/55_01_cmu.fbx",
    ],
)
def test_other_rigs_stand_on_flat_feet(motion_dir: Path, rel: str) -> None:
    # Before: Perfume 30, Bandai 40, CMU 8-14 degrees.
    assert abs(np.median(planted_pitch(load_motion(motion_dir / rel))) - REST_FOOT_PITCH) < 2.0
