"""FID_k / FID_g: the Fréchet distance, the geometric relations on synthetic poses, windows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import linalg

from inference.assess.realism import (
    GEOMETRIC_FEATURES,
    RealismFeatures,
    fid,
    fid_g,
    fid_k,
    frechet_distance,
    geometric_features,
    geometric_frames,
    window_features,
    windows,
)
from inference.motion import CANONICAL, load_motion, mirror, rest_motion
from tests.unit.motion.motion_synth import random_motion

J = CANONICAL.index
FPS = 30.0


def rest(n: int = 4) -> np.ndarray:
    """(n, J, 3) the canonical T-pose (hl 0.28 m, sw 0.36 m, hw 0.18 m)."""
    return rest_motion(n).positions().copy()


def on(positions: np.ndarray, fps: float = FPS) -> set[str]:
    """The relations that hold on every frame."""
    held = geometric_frames(positions, fps).min(axis=0)
    return {name for name, v in zip(GEOMETRIC_FEATURES, held, strict=True) if v == 1.0}


def raise_arm(pos: np.ndarray, side: str, direction: tuple[float, float, float]) -> None:
    """Point the whole arm of ``side`` along ``direction`` from its shoulder."""
    d = np.asarray(direction) / np.linalg.norm(direction)
    shoulder = pos[:, J(f"shoulder_{side}")]
    pos[:, J(f"elbow_{side}")] = shoulder + 0.28 * d
    pos[:, J(f"wrist_{side}")] = shoulder + 0.53 * d


def test_there_are_32_named_features_and_the_t_pose_has_known_answers() -> None:
    assert len(GEOMETRIC_FEATURES) == len(set(GEOMETRIC_FEATURES)) == 32
    # Arms straight out: upper arms 90 deg from the body, wrists 1.42 m apart (> 2.5 sw).
    assert on(rest()) == {"hands_apart", "arm_lifted_r", "arm_lifted_l"}
    assert geometric_features(rest_motion(5)).sum() == 3.0


def test_arms_up_raise_the_hands_above_the_head_and_arms_down_do_not() -> None:
    up = rest()
    raise_arm(up, "l", (0, 1, 0))
    assert {"hand_raised_l", "arm_lifted_l"} <= on(up)
    assert "hand_raised_r" not in on(up) and "hands_apart" not in on(up)
    down = rest()
    for side in "lr":
        raise_arm(down, side, (0, -1, 0))
    assert on(down) == set()  # hanging arms: not raised, not lifted, not low (0.85 m up)


def test_elbow_bent_and_hand_lowered() -> None:
    pos = rest()
    pos[:, J("wrist_r")] = pos[:, J("elbow_r")] + [0.0, 0.0, 0.25]  # forearm forward: 90 deg
    assert "elbow_bent_r" in on(pos) and "elbow_bent_l" not in on(pos)
    pos[:, J("wrist_l")] = [0.4, 0.2, 0.3]  # a hand near the floor (below 1.2 hl = 0.34 m)
    assert "hand_low_l" in on(pos) and "hand_low_r" not in on(pos)


@pytest.mark.parametrize("side", ["r", "l"])
def test_a_foot_stepped_forward_is_in_front_and_one_stepped_back_is_not(side: str) -> None:
    pos = rest()
    pos[:, [J(f"ankle_{side}"), J(f"toe_{side}")]] += [0.0, 0.0, 0.3]
    other = "l" if side == "r" else "r"
    assert f"foot_front_{side}" in on(pos) and f"foot_front_{other}" not in on(pos)
    pos[:, [J(f"ankle_{side}"), J(f"toe_{side}")]] -= [0.0, 0.0, 0.6]
    assert f"foot_front_{side}" not in on(pos)


def test_a_thigh_raised_to_horizontal_bends_the_knee_and_lifts_the_thigh() -> None:
    pos = rest()
    hip = pos[:, J("hip_r")]
    pos[:, J("knee_r")] = hip + np.array([0.0, 0.0, 0.41])
    pos[:, J("ankle_r")] = hip + np.array([0.0, -0.41, 0.41])
    pos[:, J("toe_r")] = pos[:, J("ankle_r")] + [0.0, -0.05, 0.12]
    assert {"knee_bent_r", "thigh_lifted_r", "foot_front_r", "foot_raised_r"} <= on(pos)
    assert not {"knee_bent_l", "thigh_lifted_l", "foot_raised_l"} & on(pos)


def test_feet_apart_and_a_horizontal_spine() -> None:
    wide = rest()
    wide[:, [J("ankle_l"), J("toe_l")]] += [0.25, 0.0, 0.0]  # ankles 0.43 m > 2.1 hw apart
    assert "feet_apart" in on(wide) and "feet_apart" not in on(rest())
    bow = rest()
    pelvis = bow[:, J("pelvis")]
    for name in ("spine", "chest", "neck", "head"):
        rise = bow[:, J(name), 1] - pelvis[:, 1]
        bow[:, J(name)] = pelvis + np.c_[np.zeros(len(rise)), np.zeros(len(rise)), rise]
    assert "spine_horizontal" in on(bow) and "spine_horizontal" not in on(rest())


def test_velocity_relations_are_relative_to_the_body_and_keep_their_sign() -> None:
    n = 6
    travel = rest(n) + np.arange(n)[:, None, None] * np.array([1.0, 0.0, 0.0]) / FPS  # 1 m/s
    held = on(travel)
    assert {"pelvis_fast", "hand_fast_r", "foot_fast_l"} <= held  # 1 m/s > 2.3-2.5 hl/s
    assert not {"hand_forward_fast_r", "hand_away_fast_r", "hands_approaching"} & held
    forward = rest(n)
    forward[:, J("wrist_r"), 2] += np.arange(n) * 1.0 / FPS  # the right hand 1 m/s forward
    assert "hand_forward_fast_r" in on(forward) and "hand_forward_fast_l" not in on(forward)
    backward = rest(n)
    backward[:, J("wrist_r"), 2] -= np.arange(n) * 1.0 / FPS
    assert "hand_forward_fast_r" not in on(backward)
    closing = rest(n)
    closing[:, J("wrist_r"), 0] += np.arange(n) * 0.5 / FPS  # each hand 0.5 m/s inwards
    closing[:, J("wrist_l"), 0] -= np.arange(n) * 0.5 / FPS
    assert "hands_approaching" in on(closing) and "hands_approaching" not in on(travel)


def test_mirroring_swaps_the_sides_and_scaling_the_body_changes_nothing() -> None:
    motion = random_motion(60, seed=3, scale=0.6)
    feats = dict(zip(GEOMETRIC_FEATURES, geometric_features(motion), strict=True))
    swapped = dict(zip(GEOMETRIC_FEATURES, geometric_features(mirror(motion)), strict=True))
    for name, value in feats.items():
        twin = name[:-1] + {"r": "l", "l": "r"}[name[-1]] if name[-2:] in ("_r", "_l") else name
        if name not in ("hands_apart", "feet_apart"):  # these compare the sides: they flip
            assert swapped[twin] == pytest.approx(value), name
    pos = motion.positions()
    scaled = geometric_features(pos * 1.3, FPS)
    np.testing.assert_allclose(scaled, geometric_features(pos, FPS))


def test_windows_of_5_s_every_2_5_s_and_short_dances() -> None:
    assert windows(2115, 30.0) == [(a, a + 150) for a in range(0, 1966, 75)]
    assert len(windows(2115, 30.0)) == 27
    assert windows(150, 30.0) == [(0, 150)]
    assert windows(100, 30.0) == [(0, 100)]  # 3.3 s: one window of all of it
    assert windows(50, 30.0) == []  # under 2 s: none


def test_window_features_shapes_and_the_geometric_mean_of_one_window() -> None:
    motion = random_motion(230, seed=1)  # windows at 0 and 75 (the next would end at 300)
    feats = window_features(motion)
    assert feats.kinetic.shape == (2, 63) and feats.geometric.shape == (2, 32)
    first = geometric_frames(motion)[0:149].mean(axis=0)
    np.testing.assert_allclose(feats.geometric[0], first)
    both = RealismFeatures.join([feats, window_features(random_motion(20))])
    assert both.n == 2  # the 20-frame motion gives no window
    physical = window_features(motion, reference_quirk=False)
    np.testing.assert_allclose(physical.geometric, feats.geometric)
    ke = np.arange(63) % 3 < 2  # kinetic energies agree; only the energy expenditure differs
    np.testing.assert_allclose(physical.kinetic[:, ke], feats.kinetic[:, ke])
    assert not np.allclose(physical.kinetic[:, ~ke], feats.kinetic[:, ~ke])


def bailando_fid(gen: np.ndarray, real: np.ndarray) -> float:
    """The reference: standardise by the real set, then the sqrtm formula of Bailando's code."""
    mean, std = real.mean(axis=0), real.std(axis=0) + 1e-10
    g, r = (gen - mean) / std, (real - mean) / std
    s1, s2 = np.cov(g, rowvar=False), np.cov(r, rowvar=False)
    covmean = linalg.sqrtm(s1 @ s2).real
    diff = g.mean(axis=0) - r.mean(axis=0)
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * np.trace(covmean))


def test_fid_matches_the_sqrtm_reference() -> None:
    rng = np.random.default_rng(0)
    mix = rng.normal(size=(6, 6))
    real = rng.normal(size=(300, 6)) @ mix * 3.0 + 5.0
    gen = rng.normal(size=(200, 6)) @ (mix + 0.5 * rng.normal(size=(6, 6))) * 3.0 + 6.0
    assert fid(gen, real, ridge=0.0) == pytest.approx(bailando_fid(gen, real), rel=1e-8)
    assert fid(gen, real) == pytest.approx(bailando_fid(gen, real), rel=1e-5)


def test_fid_of_a_set_with_itself_is_zero_and_grows_with_a_shift() -> None:
    rng = np.random.default_rng(1)
    real = rng.normal(size=(80, 10)) * rng.uniform(0.1, 5.0, size=10)
    assert abs(fid(real, real)) < 1e-8
    std = real.std(axis=0)
    shifted = [fid(real + c * std, real) for c in (0.0, 0.5, 1.0, 2.0)]
    # Same covariance, so only the mean term is left: 10 features x c^2 (standardised units).
    np.testing.assert_allclose(shifted, [0.0, 2.5, 10.0, 40.0], atol=1e-6)


def test_frechet_distance_of_two_1d_gaussians() -> None:
    got = frechet_distance([1.0], [[4.0]], [3.0], [[9.0]])
    assert got == pytest.approx((1 - 3) ** 2 + (2 - 3) ** 2)


def test_tiny_sets_are_finite_and_one_sample_is_refused() -> None:
    rng = np.random.default_rng(2)
    real = rng.normal(size=(5, 63))
    value = fid(rng.normal(size=(3, 63)), real)
    assert np.isfinite(value) and value >= 0.0
    with pytest.raises(ValueError, match="2 samples"):
        fid(rng.normal(size=(1, 63)), real)
    with pytest.raises(ValueError, match="same F"):
        fid(rng.normal(size=(4, 5)), real)


def test_a_feature_the_real_set_never_varies_does_not_explode_fid_g() -> None:
    rng = np.random.default_rng(3)
    real = RealismFeatures(rng.normal(size=(40, 63)), rng.uniform(size=(40, 32)))
    real.geometric[:, 28] = 0.0  # the real dancers never bend over
    gen_g = real.geometric.copy()
    gen_g[::4, 28] = 1.0 / 150.0  # one frame in some windows does
    gen = RealismFeatures(real.kinetic, gen_g)
    assert fid_k(gen, real) == pytest.approx(0.0, abs=1e-8)
    assert 0.0 < fid_g(gen, real) < 2.0


def test_the_same_routine_danced_twice_is_closer_than_other_dances(shared_data: Path) -> None:
    perfume = shared_data / "motion" / "perfume"
    aachan = window_features(load_motion(perfume / "aachan.bvh"))
    kashiyuka = window_features(load_motion(perfume / "kashiyuka.bvh"))
    assert aachan.n == kashiyuka.n == 27
    others = [
        shared_data / "motion_music/tang2018/DANCE_W_1/skeletons.json",  # a waltz
        shared_data / "motion/bandai_namco/dataset-1_dance-short_normal_001.bvh",
    ]
    for path in others:
        other = window_features(load_motion(path))
        assert fid_k(kashiyuka, aachan) < 0.5 * fid_k(other, aachan), path.name
        assert fid_g(kashiyuka, aachan) < 0.5 * fid_g(other, aachan), path.name
