"""Transitions between adjacent clips: the blend maths, and no pop at a seam of real dance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.model import Clip, Track, TrackKind
from app.model.track_sampling import (
    MotionCache,
    assemble_track,
    asset_from_motion,
    motion_of,
    sample_track,
    transition_into,
)
from inference.motion import REST_PELVIS_HEIGHT, Motion, forward_kinematics, load_motion
from inference.motion import quaternions as Q
from inference.motion.blend import BLEND_FRAMES, blend_pose, smoothstep

FPS = 30.0


@pytest.fixture(scope="module")
def dance(shared_data: Path) -> Motion:
    path = shared_data / "motion" / "bandai_namco" / "dataset-1_dance-short_normal_001.bvh"
    return load_motion(path)


def track_of(*clips: Clip) -> Track:
    return Track("t", "Dancer 1", TrackKind.DANCER, clips=clips)


def steps(motion: Motion) -> np.ndarray:
    """Largest joint displacement between consecutive frames, per frame (metres)."""
    positions, _ = forward_kinematics(motion)
    return np.linalg.norm(np.diff(positions, axis=0), axis=-1).max(axis=-1)


def test_smoothstep_is_flat_at_both_ends() -> None:
    t = np.linspace(0.0, 1.0, 101)
    w = smoothstep(t)
    assert (w[0], w[-1]) == (0.0, 1.0)
    assert np.all(np.diff(w) >= 0)
    assert smoothstep(0.01) < 0.001 and smoothstep(0.99) > 0.999
    assert (smoothstep(-1.0), smoothstep(2.0)) == (0.0, 1.0)


def test_blend_pose_ends_on_each_pose_and_takes_the_short_arc() -> None:
    rng = np.random.default_rng(1)
    a, b = Q.normalize(rng.normal(size=(5, 4))), Q.normalize(rng.normal(size=(5, 4)))
    root_a, root_b = np.zeros(3), np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(blend_pose(root_a, a, root_b, b, 0.0)[1], a, atol=1e-12)
    np.testing.assert_allclose(
        Q.canonical(blend_pose(root_a, a, root_b, b, 1.0)[1]), Q.canonical(b), atol=1e-12
    )
    np.testing.assert_allclose(blend_pose(root_a, a, root_b, b, 0.25)[0], [0.25, 0.5, 0.75])
    # q and -q are the same rotation: blending them must not spin the joint through 360°.
    halfway = blend_pose(root_a, a, root_a, -a, 0.5)[1]
    np.testing.assert_allclose(np.abs(np.sum(halfway * a, axis=-1)), 1.0, atol=1e-9)


def test_a_seam_between_two_parts_of_a_dance_does_not_pop(dance: Motion) -> None:
    asset = asset_from_motion(dance, "m", "dance")
    # Two far-apart stretches of the take, cut together at 3 s on the timeline.
    first = Clip("a", "m", "a", start=0.0, source_in=0.0, source_out=3.0)
    second = Clip("b", "m", "b", start=3.0, source_in=20.0, source_out=23.0)
    track = track_of(first, second)
    cut = 90
    blended = assemble_track(track, {"m": asset}, 180, FPS)
    # At the cut the pose is what the first clip would show next: its material continued.
    positions, _ = forward_kinematics(blended)
    own, _ = forward_kinematics(dance)
    np.testing.assert_allclose(positions[cut], own[cut], atol=1e-6)
    # After the transition it is the second clip, frame for frame.
    np.testing.assert_allclose(
        positions[cut + BLEND_FRAMES + 5], own[600 + BLEND_FRAMES + 5], atol=1e-6
    )
    # The hard cut would jump by the whole pose gap in one frame; the blend spreads it.
    gap = np.linalg.norm(own[cut] - own[600], axis=-1).max()
    own_speed = max(steps(dance)[cut - 30 : cut + 30].max(), steps(dance)[570:630].max())
    seam = steps(blended)[cut - 5 : cut + BLEND_FRAMES + 5].max()
    assert gap > 3 * own_speed, "the test needs a real jump to hide"
    assert seam <= own_speed + 1.5 * gap / BLEND_FRAMES + 1e-6
    assert seam < gap / 3


def test_sample_track_matches_the_plain_clip_away_from_seams(dance: Motion) -> None:
    asset = asset_from_motion(dance, "m", "dance")
    track = track_of(Clip("a", "m", "a", start=1.0, source_in=2.0, source_out=4.0))
    cache = MotionCache()
    waiting = sample_track(track, {"m": asset}, 0.99, cache)  # before it: standing, not gone
    assert waiting is not None and waiting.blended
    assert waiting.root[1] == pytest.approx(REST_PELVIS_HEIGHT)
    assert sample_track(track_of(), {"m": asset}, 0.99, cache) is None  # no clip at all
    sample = sample_track(track, {"m": asset}, 1.5, cache)
    assert sample is not None and not sample.blended and sample.frame == 75
    np.testing.assert_allclose(sample.rotations, motion_of(asset).local_rotations[75])


def test_gaps_fade_to_the_rest_pose_where_the_dancer_stands(dance: Motion) -> None:
    asset = asset_from_motion(dance, "m", "dance")
    track = track_of(Clip("a", "m", "a", start=1.0, source_in=0.0, source_out=1.0))
    assembled = assemble_track(track, {"m": asset}, 120, FPS)
    assert assembled.n_frames == 120
    identity = Q.identity((dance.skeleton.n_joints,))
    # Before the clip: rest pose, standing where the clip begins.
    np.testing.assert_allclose(assembled.local_rotations[0], identity, atol=1e-12)
    start_root = dance.root_translation[0]
    np.testing.assert_allclose(
        assembled.root_translation[5], [start_root[0], REST_PELVIS_HEIGHT, start_root[2]]
    )
    # Inside the clip, once faded in: the clip itself.
    np.testing.assert_allclose(
        assembled.local_rotations[30 + BLEND_FRAMES + 2],
        dance.local_rotations[BLEND_FRAMES + 2],
        atol=1e-9,
    )
    # Well after it: rest again, where it ended; and no frame jumps far on the way.
    np.testing.assert_allclose(assembled.local_rotations[100], identity, atol=1e-12)
    assert steps(assembled).max() < 0.2


def test_continuous_material_gets_no_transition(dance: Motion) -> None:
    asset = asset_from_motion(dance, "m", "dance")
    # The two halves of a split: the second continues the first's material exactly.
    left = Clip("a", "m", "a", start=0.0, source_in=0.0, source_out=2.0)
    right = Clip("b", "m", "b", start=2.0, source_in=2.0, source_out=4.0)
    assert transition_into(track_of(left, right), right) is None
    jumped = Clip("b", "m", "b", start=2.0, source_in=9.0, source_out=11.0)
    assert transition_into(track_of(left, jumped), jumped) == left
    apart = Clip("b", "m", "b", start=2.5, source_in=9.0, source_out=11.0)
    assert transition_into(track_of(left, apart), apart) is None
    sample = sample_track(track_of(left, right), {"m": asset}, 2.1, MotionCache())
    assert sample is not None and not sample.blended and sample.frame == 63
