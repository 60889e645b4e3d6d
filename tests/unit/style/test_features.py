"""Window features: the same dance gives the same features wherever, whichever way, and however
big the dancer is; short motions still fill a window; the mirror image mirrors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from inference.motion import load_motion, rotate_about_y, translate
from inference.motion.motion import Motion
from inference.style.features import (
    MIN_FRAMES,
    N_CHANNELS,
    WINDOW,
    fit_length,
    heading,
    mirror_positions,
    motion_windows,
    scaled_positions,
    window_starts,
)

AIST = "motion/aistpp_slices/true_gLH_sBM_cAll_d18_mLH4_ch02_slice1.csv"


@pytest.fixture(scope="module")
def dance(shared_data: Path) -> Motion:
    return load_motion(shared_data / AIST)


def test_features_ignore_position_heading_and_body_size(dance: Motion) -> None:
    base, starts = motion_windows(dance, 30)
    assert base.shape == (len(starts), N_CHANNELS, WINDOW)
    moved = translate(rotate_about_y(dance, 2.1), (3.0, 0.2, -1.5))
    offsets = dance.bone_offsets * 1.25
    bigger = dance.with_(offsets=offsets, root_translation=dance.root_translation * 1.25)
    for other in (moved, bigger):
        feats, _ = motion_windows(other, 30)
        np.testing.assert_allclose(feats, base, atol=2e-4)


def test_features_see_the_dance_itself(dance: Motion) -> None:
    # A check that the invariance above is not the features being blind: a different dance
    # (or the same one slowed down) must give different features.
    feats, _ = motion_windows(dance, 30)
    still = dance.with_(local_rotations=np.repeat(dance.local_rotations[:1], dance.n_frames, 0))
    other, _ = motion_windows(still, 30)
    assert np.abs(other - feats).mean() > 0.1


def test_heading_of_the_rest_pose_faces_plus_z_and_turns_with_the_body(dance: Motion) -> None:
    pos = scaled_positions(dance)
    turned = scaled_positions(rotate_about_y(dance, 0.5))
    diff = np.angle(np.exp(1j * (heading(turned) - heading(pos))))
    np.testing.assert_allclose(diff, 0.5, atol=1e-6)
    mirrored = heading(mirror_positions(pos))
    np.testing.assert_allclose(np.angle(np.exp(1j * (mirrored + heading(pos)))), 0.0, atol=1e-6)


def test_windows_cover_the_tail_and_short_motions_play_back_and_forth() -> None:
    assert list(window_starts(150, 30)) == [0, 30, 60, 90]
    assert list(window_starts(155, 30)) == [0, 30, 60, 90, 95]
    assert list(window_starts(40, 30)) == [0]
    short = np.arange(40, dtype=float)[:, None, None] * np.ones((1, 21, 3))
    filled = fit_length(short)
    assert filled.shape[0] >= WINDOW
    assert filled[39, 0, 0] == 39 and filled[40, 0, 0] == 38  # turns back, no frozen frame


def test_too_short_a_motion_is_refused_by_name(dance: Motion) -> None:
    from inference.errors import UserFacingError
    from inference.motion.ops import trim

    with pytest.raises(UserFacingError, match=rf"clip.bvh: 2 frames .* at least {MIN_FRAMES}"):
        scaled_positions(trim(dance, 0, 2), "clip.bvh")
