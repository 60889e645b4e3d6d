"""Editing operations: trim, split, concatenate, mirror, speed, time warp, facing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from motion_synth import random_motion

from inference.motion.bvh_import import load_bvh
from inference.motion.motion import Motion
from inference.motion.ops import (
    concatenate,
    face_audience,
    mean_facing,
    mirror,
    place,
    rotate_about_y,
    split,
    trim,
)
from inference.motion.resample import change_speed, resample, time_warp
from inference.motion.skeleton import CANONICAL


@pytest.fixture(scope="module")
def bandai(motion_dir: Path) -> Motion:
    return load_bvh(motion_dir / "bandai_namco" / "dataset-1_dance-short_normal_001.bvh")


@pytest.fixture(scope="module")
def cmu(motion_dir: Path) -> Motion:
    return trim(load_bvh(motion_dir / "cmu_salsa" / "61_05_scaled.bvh"), 0, 400)


def test_trim_and_split() -> None:
    m = random_motion(30)
    a, b = split(m, 12)
    assert (a.n_frames, b.n_frames) == (12, 18)
    assert np.allclose(np.concatenate([a.positions(), b.positions()]), m.positions())
    assert trim(m, 5, -5).n_frames == 20
    with pytest.raises(ValueError):
        split(m, 0)
    with pytest.raises(ValueError):
        trim(m, 10, 10)


def test_mirror_reflects_positions_and_twice_is_identity(cmu: Motion) -> None:
    for m in (random_motion(20), cmu):
        mm = mirror(m)
        swap = CANONICAL.mirror_indices()
        expected = m.positions()[:, swap] * np.array([-1.0, 1.0, 1.0])
        assert np.abs(mm.positions() - expected).max() < 1e-9
        back = mirror(mm)
        assert np.allclose(back.local_rotations, m.local_rotations, atol=1e-12, rtol=0)
        assert np.allclose(back.root_translation, m.root_translation, atol=1e-12, rtol=0)


def _max_step(pos: np.ndarray) -> float:
    return float(np.linalg.norm(np.diff(pos, axis=0), axis=-1).max())


@pytest.mark.parametrize("case", ["bandai", "cmu_bandai", "synthetic"])
def test_concatenate_has_no_pop(case: str, bandai: Motion, cmu: Motion) -> None:
    """Seam bound: max joint step in the transition <= 1.5 x max step within 1 s of either clip."""
    if case == "bandai":
        a, b = trim(bandai, 0, 300), trim(bandai, 900, 1200)
    elif case == "cmu_bandai":
        a, b = cmu, trim(bandai, 600, 900)
    else:
        a, b = random_motion(90, seed=1), random_motion(90, seed=2, scale=0.8)
    joined = concatenate(a, b)
    assert joined.fps == a.fps
    n = a.n_frames + b.n_frames - joined.n_frames  # frames of overlap
    assert n >= 10
    fps = round(a.fps)
    near = max(_max_step(a.positions()[-fps:]), _max_step(b.positions()[:fps]))
    pos = joined.positions()
    seam = _max_step(pos[a.n_frames - n - 2 : a.n_frames + 2])
    assert seam <= 1.5 * near
    # Before the seam the result is the first clip untouched.
    assert np.allclose(pos[: a.n_frames - n], a.positions()[: a.n_frames - n])


def test_change_speed_and_resample() -> None:
    m = random_motion(41)
    fast = change_speed(m, 2.0)
    assert fast.n_frames == 21
    assert np.allclose(fast.positions(), m.positions()[::2])
    m120 = m.with_(fps=120.0)
    down = resample(m120, 30.0)
    assert down.n_frames == 11 and down.fps == 30.0
    assert np.allclose(down.positions(), m.positions()[::4])
    up = resample(m, 60.0)
    assert up.n_frames == 81
    assert np.allclose(up.positions()[::2], m.positions())


def test_time_warp_must_be_monotone() -> None:
    m = random_motion(30)
    warped = time_warp(m, np.linspace(0.0, (m.n_frames - 1) / m.fps, 15) ** 1.0)
    assert warped.n_frames == 15
    with pytest.raises(ValueError, match="monotone"):
        time_warp(m, [0.0, 0.5, 0.2])


def test_face_audience_and_place() -> None:
    m = random_motion(30)
    turned = rotate_about_y(m, 1.2)
    assert mean_facing(turned) == pytest.approx(mean_facing(m) + 1.2, abs=1e-9)
    faced = face_audience(turned)
    assert mean_facing(faced) == pytest.approx(0.0, abs=1e-9)
    # Turning moves no bone: distances between joints are unchanged.
    d0 = np.linalg.norm(m.positions()[:, 4] - m.positions()[:, 20], axis=-1)
    d1 = np.linalg.norm(faced.positions()[:, 4] - faced.positions()[:, 20], axis=-1)
    assert np.allclose(d0, d1)
    placed = place(m, 1.0, -2.0)
    assert np.allclose(placed.root_translation[0, [0, 2]], [1.0, -2.0])
