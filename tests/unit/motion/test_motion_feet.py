"""Grounding, foot contacts and foot locking."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from inference.assess.motion_metrics import foot_skating_ratio
from inference.motion import quaternions as Q
from inference.motion.bvh_import import load_bvh
from inference.motion.feet import (
    foot_centres,
    foot_contacts,
    foot_lock,
    ground,
    two_bone_ik,
)
from inference.motion.motion import Motion, rest_motion
from inference.motion.ops import translate, trim
from inference.motion.skeleton import CANONICAL

ANKLES = [CANONICAL.index("ankle_l"), CANONICAL.index("ankle_r")]


_FEET = [CANONICAL.index(n) for n in ("toe_l", "toe_r", "ankle_l", "ankle_r")]


def _sliding_stand(n: int = 40, speed: float = 0.005) -> Motion:
    """The rest pose gliding along +X at ``speed`` m/frame with its feet on the floor."""
    m = rest_motion(n)
    root = m.root_translation.copy()
    root[:, 0] = np.arange(n) * speed
    return m.with_(root_translation=root)


def _crouched(m: Motion, ankle_yaw: np.ndarray | float = 0.0) -> Motion:
    """``m`` in a crouch (hips -30, knees +60, ankles -30 degrees about X, the ankles turned
    ``ankle_yaw`` degrees about Y), lowered so its feet stay on the floor."""
    rots = m.local_rotations.copy()
    yaw = np.broadcast_to(ankle_yaw, (m.n_frames,))
    for side in ("l", "r"):
        for joint, deg in (("hip", -30.0), ("knee", 60.0)):
            rots[:, CANONICAL.index(f"{joint}_{side}")] = Q.from_euler([deg, 0.0, 0.0], "XYZ")
        rots[:, CANONICAL.index(f"ankle_{side}")] = Q.from_euler(
            np.stack([np.full(m.n_frames, -30.0), yaw, np.zeros(m.n_frames)], axis=1), "XYZ"
        )
    return translate(m.with_(local_rotations=rots), (0.0, -0.11, 0.0))


def test_ground_puts_toes_on_floor() -> None:
    m = translate(rest_motion(10), (0.0, 0.3, 0.0))
    g = ground(m)
    toes = g.positions()[:, [CANONICAL.index("toe_l"), CANONICAL.index("toe_r")], 1]
    assert np.allclose(toes, 0.02)


def test_contacts_need_low_feet_and_low_speed() -> None:
    assert foot_contacts(_sliding_stand(speed=0.005)).all()  # 0.15 m/s: planted
    assert not foot_contacts(_sliding_stand(speed=0.05)).any()  # 1.5 m/s: moving
    lifted = translate(rest_motion(5), (0.0, 0.1, 0.0))
    assert not foot_contacts(lifted).any()


def test_two_bone_ik_reaches_and_keeps_lengths() -> None:
    rng = np.random.default_rng(0)
    root = np.zeros((50, 3))
    mid = np.tile([0.0, -0.4, 0.05], (50, 1))
    end = np.tile([0.0, -0.8, 0.0], (50, 1))
    target = rng.normal(size=(50, 3)) * 0.05 + [0.0, -0.6, 0.0]  # all reachable
    new_mid = two_bone_ik(root, mid, end, target)
    assert np.allclose(np.linalg.norm(new_mid - root, axis=1), np.linalg.norm(mid - root, axis=1))
    assert np.allclose(np.linalg.norm(target - new_mid, axis=1), np.linalg.norm(end - mid, axis=1))


def test_foot_lock_removes_sliding_synthetic() -> None:
    # A crouch (hips -30, knees +60, ankles -30 degrees about X) gliding along +X: the bent
    # legs can stretch to keep each ankle on one spot.
    m = _crouched(_sliding_stand(40, speed=0.008))
    contacts = np.ones((m.n_frames, 2), dtype=bool)
    assert foot_skating_ratio(m) == 0.0  # 8 mm per frame is under the 1 cm limit...
    assert foot_skating_ratio(_sliding_stand(40, speed=0.012)) == 1.0  # ...12 mm is over it
    locked = foot_lock(m, contacts)
    pos = locked.positions()
    steps = np.linalg.norm(np.diff(pos[:, ANKLES][..., [0, 2]], axis=0), axis=-1)
    assert steps.max() < 1e-6
    before = m.positions()[:, ANKLES, 1]
    assert np.allclose(pos[:, ANKLES, 1], before, atol=1e-6)  # heights kept
    assert np.allclose(locked.bone_lengths(), m.bone_lengths())


def test_foot_lock_pivots_a_turning_foot_about_its_centre() -> None:
    # A crouch whose feet turn 90 degrees in place (ankle yaw) while planted: pinned at the
    # ankle, the toe would sweep the foot's centre across the floor, which reads as skating.
    n = 20
    m = _crouched(rest_motion(n), ankle_yaw=np.linspace(0.0, 90.0, n))

    def centre_steps(motion: Motion) -> np.ndarray:
        centre = foot_centres(motion.positions())[..., [0, 2]]
        return np.asarray(np.linalg.norm(np.diff(centre, axis=0), axis=-1))

    assert centre_steps(m).max() > 0.003  # the unlocked foot's centre sweeps
    locked = foot_lock(m, np.ones((n, 2), dtype=bool))
    assert centre_steps(locked).max() < 1e-6
    assert foot_skating_ratio(locked) == 0.0
    assert np.allclose(locked.bone_lengths(), m.bone_lengths())


def test_foot_lock_on_real_mocap_reduces_skating(motion_dir: Path) -> None:
    m = ground(trim(load_bvh(motion_dir / "cmu_salsa" / "60_01_scaled.bvh"), 0, 300))
    before = foot_skating_ratio(m)
    locked = foot_lock(m)
    after = foot_skating_ratio(locked)
    assert after < before
    pos = locked.positions()
    parents = list(CANONICAL.parents[1:])
    lengths = np.linalg.norm(pos[:, 1:] - pos[:, parents], axis=-1)
    assert np.allclose(lengths, locked.bone_lengths()[1:], rtol=1e-9)
    # The foot keeps its global orientation while the leg is re-solved.
    g0, g1 = m.global_rotations(), locked.global_rotations()
    dots = np.abs(np.sum(g0[:, ANKLES] * g1[:, ANKLES], axis=-1))
    assert dots.min() == pytest.approx(1.0, abs=1e-9)
    assert Q.normalize(g1).shape == g1.shape


def test_follow_floor_keeps_a_drifting_dancer_on_the_floor() -> None:
    from inference.motion.feet import follow_floor

    # Standing still while the capture's height drifts by 30 cm, with a 0.3 s jump at 2 s.
    n, fps = 300, 30.0
    t = np.arange(n) / fps
    drift = 0.3 * np.sin(t / 20.0 * 2 * np.pi)
    jump = np.where((t >= 2.0) & (t < 2.3), 0.25, 0.0)
    m = rest_motion(n, fps)
    root = m.root_translation.copy()
    root[:, 1] += drift + jump
    lowest = follow_floor(m.with_(root_translation=root)).positions()[:, _FEET, 1].min(axis=1)
    standing = jump == 0
    assert np.abs(lowest[standing] - lowest[0]).max() < 0.02  # drift gone
    assert lowest[~standing].min() - lowest[0] > 0.2  # the jump keeps its height


def test_every_tang_dance_stands_on_the_floor(tang_dir: Path) -> None:
    from inference.motion import load_motion

    for skeletons in sorted(tang_dir.glob("DANCE_*/skeletons.json")):
        lowest = load_motion(skeletons).positions()[:, _FEET, 1].min(axis=1)
        # The toe and ankle joints sit ~2-4 cm above the floor when the foot is flat.
        assert np.median(lowest) < 0.05, skeletons.parent.name
        assert np.percentile(lowest, 95) < 0.10, skeletons.parent.name
