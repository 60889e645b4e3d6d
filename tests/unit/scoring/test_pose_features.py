"""Pose features: known angles, and invariance to body size, position and facing."""

from __future__ import annotations

import numpy as np
import pytest

from inference.scoring.body import SCORING_JOINTS, BodyTrack, J, mirror_track
from inference.scoring.camera import Camera, project
from inference.scoring.features import ANGLE_NAMES, pose_features

A = {name: i for i, name in enumerate(ANGLE_NAMES)}


def t_pose_with_bent_left_elbow() -> BodyTrack:
    """One standing frame, facing +Z (left = +X): arms out, left forearm pointing up."""
    p = {
        "shoulder_l": (0.2, 1.4, 0.0),
        "shoulder_r": (-0.2, 1.4, 0.0),
        "elbow_l": (0.5, 1.4, 0.0),
        "elbow_r": (-0.5, 1.4, 0.0),
        "wrist_l": (0.5, 1.7, 0.0),  # 90 degrees at the elbow
        "wrist_r": (-0.8, 1.4, 0.0),
        "hip_l": (0.1, 0.9, 0.0),
        "hip_r": (-0.1, 0.9, 0.0),
        "knee_l": (0.1, 0.5, 0.0),
        "knee_r": (-0.1, 0.5, 0.1),
        "ankle_l": (0.1, 0.1, 0.0),
        "ankle_r": (-0.1, 0.1, 0.0),
    }
    return BodyTrack(np.array([[p[n] for n in SCORING_JOINTS]]), 30.0)


def test_known_angles() -> None:
    angles, positions = pose_features(t_pose_with_bent_left_elbow())
    deg = np.degrees(angles[0])
    assert deg[A["elbow_l"]] == pytest.approx(90.0)
    assert deg[A["elbow_r"]] == pytest.approx(180.0)
    assert deg[A["shoulder_raise_l"]] == pytest.approx(90.0)  # arm out to the side
    assert deg[A["shoulder_forward_l"]] == pytest.approx(0.0)  # along the shoulder line
    assert deg[A["knee_l"]] == pytest.approx(180.0)
    assert deg[A["knee_r"]] < 180.0
    assert deg[A["hip_out_l"]] == pytest.approx(90.0)
    assert deg[A["torso_lean"]] == pytest.approx(0.0)
    assert deg[A["torso_twist"]] == pytest.approx(0.0)
    # Left wrist: 0.5 m left of and 0.8 m above the mid-hips, torso 0.5 m long.
    np.testing.assert_allclose(positions[0, 0], [1.0, 1.6, 0.0], atol=1e-9)


def test_size_position_and_facing_do_not_change_3d_features(perfume: dict[str, BodyTrack]) -> None:
    track = BodyTrack(perfume["aachan"].points[:300], 30.0)
    angles, positions = pose_features(track)
    c, s = np.cos(1.1), np.sin(1.1)
    turn = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    moved = BodyTrack(1.3 * track.points @ turn.T + np.array([2.0, 0.0, -1.0]), 30.0)
    angles2, positions2 = pose_features(moved)
    np.testing.assert_allclose(angles2, angles, atol=1e-9)
    np.testing.assert_allclose(positions2, positions, atol=1e-9)


def test_2d_features_ignore_image_scale_and_position(perfume: dict[str, BodyTrack]) -> None:
    flat = project(BodyTrack(perfume["aachan"].points[:300], 30.0), Camera())
    angles, positions = pose_features(flat)
    moved = BodyTrack(0.5 * flat.points + np.array([300.0, -40.0]), 30.0)
    angles2, positions2 = pose_features(moved)
    np.testing.assert_allclose(angles2, angles, atol=1e-9)
    np.testing.assert_allclose(positions2, positions, atol=1e-9)


def test_mirroring_swaps_the_sides() -> None:
    track = t_pose_with_bent_left_elbow()
    angles, _ = pose_features(track)
    mirrored, _ = pose_features(mirror_track(track))
    assert mirrored[0, A["elbow_r"]] == pytest.approx(angles[0, A["elbow_l"]])
    assert mirrored[0, A["elbow_l"]] == pytest.approx(angles[0, A["elbow_r"]])
    again = mirror_track(mirror_track(track))
    np.testing.assert_allclose(again.points, track.points)


def test_an_unseen_joint_leaves_only_its_features_missing() -> None:
    p = np.array(t_pose_with_bent_left_elbow().points)
    p[0, J["wrist_l"]] = np.nan
    angles, positions = pose_features(BodyTrack(p, 30.0))
    assert np.isnan(angles[0, A["elbow_l"]])
    assert np.isnan(positions[0, 0]).all()
    others = [i for n, i in A.items() if n != "elbow_l"]
    assert np.all(np.isfinite(angles[0, others]))
