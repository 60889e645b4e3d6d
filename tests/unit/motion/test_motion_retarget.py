"""Forward kinematics and position-based retargeting on synthetic motions with known answers."""

from __future__ import annotations

import numpy as np
import pytest
from motion_synth import random_motion

from inference.motion import quaternions as Q
from inference.motion.motion import Motion, rest_motion
from inference.motion.retarget import MissingJointsError, motion_from_positions, position_error
from inference.motion.skeleton import CANONICAL, REST_PELVIS_HEIGHT


def _targets(m: Motion) -> dict[str, np.ndarray]:
    pos, glob = m.positions(), m.global_rotations()
    out = {n: pos[:, i] for i, n in enumerate(CANONICAL.names)}
    for name, joint in (("head_end", "head"), ("hand_l", "wrist_l"), ("hand_r", "wrist_r")):
        j = CANONICAL.index(joint)
        out[name] = pos[:, j] + Q.rotate(glob[:, j], CANONICAL.end_offsets[j])
    return out


def test_rest_pose_is_documented_t_pose() -> None:
    pos = rest_motion().positions()[0]
    at = {n: pos[i] for i, n in enumerate(CANONICAL.names)}
    assert at["pelvis"][1] == pytest.approx(REST_PELVIS_HEIGHT)
    assert at["head"][1] + CANONICAL.end_offsets[CANONICAL.index("head")][1] == pytest.approx(1.70)
    assert at["wrist_l"][0] > 0.6 and at["wrist_r"][0] < -0.6  # left is +X, arms out
    assert at["toe_l"][2] > at["ankle_l"][2]  # feet point +Z
    assert at["toe_l"][1] == pytest.approx(0.02)


def test_fk_keeps_bone_lengths_and_root() -> None:
    m = random_motion(60)
    pos = m.positions()
    parents = list(CANONICAL.parents[1:])
    lengths = np.linalg.norm(pos[:, 1:] - pos[:, parents], axis=-1)
    assert np.allclose(lengths, np.linalg.norm(CANONICAL.offsets[1:], axis=-1), atol=1e-12)
    assert np.allclose(pos[:, 0], m.root_translation)


def test_retarget_recovers_a_canonical_motion_exactly() -> None:
    m = random_motion(50, seed=3)
    solved = motion_from_positions(_targets(m), 30.0)
    err = position_error(solved, _targets(m))
    assert max(err.values()) < 1e-9
    assert solved.offsets is not None
    assert np.allclose(solved.offsets, CANONICAL.offsets, atol=1e-9)


def test_retarget_handles_another_rest_pose_and_scale() -> None:
    """Positions from a body twice as big, turned 90 degrees: directions must still match."""
    m = random_motion(30, seed=4)
    turn = Q.about_y(np.pi / 2)
    targets = {k: Q.rotate(turn, v) * 2.0 for k, v in _targets(m).items()}
    solved = motion_from_positions(targets, 30.0)
    assert max(position_error(solved, targets).values()) < 1e-9
    canon = motion_from_positions(targets, 30.0, bone_lengths="canonical")
    assert np.allclose(canon.bone_lengths(), np.linalg.norm(CANONICAL.offsets, axis=-1))
    # Root travel is scaled by the leg-length ratio (1/2 here).
    assert np.allclose(canon.root_translation, solved.root_translation * 0.5)


def test_retarget_interpolates_spine_chest_collars() -> None:
    targets = _targets(random_motion(10, seed=5))
    for name in ("spine", "chest", "collar_l", "collar_r", "head_end", "hand_l", "hand_r"):
        del targets[name]
    solved = motion_from_positions(targets, 30.0)
    err = position_error(solved, targets)
    assert max(err.values()) < 0.02


def test_missing_joints_are_listed() -> None:
    targets = _targets(random_motion(5))
    del targets["knee_l"], targets["wrist_r"]
    with pytest.raises(MissingJointsError, match="wrist_r") as info:
        motion_from_positions(targets, 30.0)
    assert set(info.value.missing) == {"knee_l", "wrist_r"}


def test_motion_rejects_bad_arrays() -> None:
    m = random_motion(5)
    bad = m.root_translation.copy()
    bad[2, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        m.with_(root_translation=bad)
    with pytest.raises(ValueError, match="unit"):
        m.with_(local_rotations=m.local_rotations * 2.0)
    assert not m.root_translation.flags.writeable
