"""Metrics on synthetic signals with known answers and on the real mocap."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from inference.assess.motion_metrics import (
    beat_align_score,
    diversity,
    foot_skating_ratio,
    kinetic_features,
    motion_beats,
    pfc,
)
from inference.motion.bvh_import import load_bvh
from inference.motion.feet import ground
from inference.motion.motion import rest_motion
from inference.motion.ops import trim
from inference.motion.positions_import import load_tang
from inference.motion.skeleton import CANONICAL

FPS = 30.0


def _pulsing(n: int, period: int, phase: int = 0) -> np.ndarray:
    """Joints whose speed is |sin|: it stops (a motion beat) every ``period`` frames."""
    t = np.arange(n, dtype=np.float64)
    x = (t - phase) / period - np.sin(2 * np.pi * (t - phase) / period) / (2 * np.pi)
    pos = np.zeros((n, CANONICAL.n_joints, 3))
    pos[..., 0] = x[:, None] * 0.1
    return pos


def test_motion_beats_at_speed_minima() -> None:
    beats = motion_beats(_pulsing(300, 30))
    # Speed between frames k and k+1 is smallest near k = 30 m - 0.5.
    assert np.all(np.abs((beats + 0.5) % 30 - np.where((beats + 0.5) % 30 > 15, 30, 0)) <= 1)
    assert len(beats) >= 8


def test_bas_known_answers() -> None:
    pos = _pulsing(300, 30)
    on_beat = np.arange(1, 9) * 30 / FPS
    assert beat_align_score(pos, on_beat, FPS) > 0.95
    # Music beats 15 frames away from every motion beat: exp(-225 / 18) ~ 4e-6.
    off_beat = (np.arange(1, 9) * 30 + 15) / FPS
    assert beat_align_score(pos, off_beat, FPS) < 1e-3
    # Exactly 3 frames off: exp(-9 / 18) = 0.6065 per beat.
    beats = motion_beats(pos)
    three_off = (beats[1:5] + 3) / FPS
    assert beat_align_score(pos, three_off, FPS) == pytest.approx(np.exp(-0.5), rel=1e-9)
    assert beat_align_score(pos, [100.0], FPS) == 0.0  # beat past the end


def test_pfc_zero_when_feet_still_or_root_steady() -> None:
    m = rest_motion(30)
    assert pfc(m, FPS) == 0.0
    pos = m.positions()
    pos[:, :, 0] += np.linspace(0.0, 1.0, 30)[:, None] ** 2  # accelerating glide
    assert pfc(pos, FPS) > 0.0


def test_foot_skating_ratio_known_answers() -> None:
    pos = rest_motion(11).positions()
    assert foot_skating_ratio(pos) == 0.0
    slide = pos.copy()
    slide[:, :, 0] += np.arange(11)[:, None] * 0.02  # 2 cm per frame
    assert foot_skating_ratio(slide) == 1.0
    half = pos.copy()
    half[:, :, 0] += np.minimum(np.arange(11), 5)[:, None] * 0.02  # slides 5 of 10 steps
    assert foot_skating_ratio(half) == pytest.approx(0.5)
    lifted = pos + np.array([0.0, 0.5, 0.0])
    assert np.isnan(foot_skating_ratio(lifted))


def test_kinetic_features_and_diversity() -> None:
    still = kinetic_features(rest_motion(20), FPS, reference_quirk=False)
    assert still.shape == (CANONICAL.n_joints * 3,)
    assert np.allclose(still, 0.0)
    pos = rest_motion(20).positions()
    pos[:, :, 1] += np.arange(20)[:, None] * 0.01  # constant upward velocity 0.3 m/s
    f = kinetic_features(pos, FPS, reference_quirk=False).reshape(-1, 3)
    assert np.allclose(f[:, 0], 0.0) and np.allclose(f[:, 1], 0.09) and np.allclose(f[:, 2], 0.0)
    feats = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]])
    assert diversity(feats) == pytest.approx((5 + 10 + 5) / 3)
    assert diversity(feats, reference=feats) > 0


@pytest.fixture(scope="module")
def real_positions(shared_data: Path) -> dict[str, np.ndarray]:
    motion_dir, tang_dir = shared_data / "motion", shared_data / "motion_music" / "tang2018"
    out = {
        "cmu": ground(trim(load_bvh(motion_dir / "cmu_salsa" / "60_01_scaled.bvh"), 0, 600)),
        "bandai": ground(
            trim(
                load_bvh(motion_dir / "bandai_namco" / "dataset-1_dance-short_normal_001.bvh"),
                0,
                600,
            )
        ),
        "tang": ground(load_tang(tang_dir / "DANCE_C_2" / "skeletons.json", max_frames=500)),
    }
    return {k: m.positions() for k, m in out.items()}


def test_metrics_on_real_mocap_are_sane(real_positions: dict[str, np.ndarray]) -> None:
    for name, pos in real_positions.items():
        beats = motion_beats(pos)
        # Real dance has a motion beat every 0.2-1.5 s.
        rate = len(beats) / (pos.shape[0] / FPS)
        assert 0.6 < rate < 5.0, name
        assert 0.0 <= pfc(pos, FPS) < 5.0, name
        # BAS against a metronome at the motion beats' own median spacing is far above chance
        # for beats placed at the motion beats, and lower for a shifted grid.
        on = beat_align_score(pos, beats / FPS, FPS)
        assert on == pytest.approx(1.0)
    cmu = real_positions["cmu"]
    skate = foot_skating_ratio(cmu)
    assert 0.0 <= skate < 0.5
    feats = [kinetic_features(p, FPS) for p in real_positions.values()]
    assert diversity(feats) > 0
