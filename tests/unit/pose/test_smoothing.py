"""The One Euro filter and gap bridging, on signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from inference.pose.smoothing import MAX_GAP_S, fill_gaps, jitter, one_euro


def test_one_euro_damps_shake_on_a_still_point() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(300) / 30.0
    noisy = 0.5 + rng.normal(0, 0.004, (300, 1, 2))  # 0.4 % of the picture: landmark shake
    out = one_euro(noisy, t)
    assert np.std(out[30:]) < 0.5 * np.std(noisy[30:])
    assert jitter(out) < 0.3 * jitter(noisy)


def test_one_euro_keeps_up_with_a_fast_move() -> None:
    t = np.arange(60) / 30.0
    ramp = np.stack([t, t], -1)[:, None, :] * 1.0  # one picture height per second
    out = one_euro(ramp, t)
    lag = ramp[30:] - out[30:]
    assert np.abs(lag).max() < 0.02  # under 2 % of the picture behind


def test_one_euro_restarts_after_a_long_gap() -> None:
    t = np.arange(40) / 20.0
    x = np.zeros((40, 1, 1))
    x[20:] = 1.0
    x[10:20] = np.nan  # 0.5 s without the person, who comes back elsewhere
    out = one_euro(x, t)
    assert np.isnan(out[10:20]).all()
    assert out[20, 0, 0] == pytest.approx(1.0)


def test_short_gaps_are_bridged_long_ones_left_empty() -> None:
    fps = 30.0
    x = np.arange(40, dtype=float).reshape(40, 1, 1).repeat(3, axis=1)
    x[5:8] = np.nan  # 0.1 s
    short = round(MAX_GAP_S * fps)
    x[15 : 15 + short] = np.nan  # exactly 0.3 s: too long
    x[:2] = np.nan  # the start: nothing to interpolate from
    filled, bridged = fill_gaps(x, fps)
    assert np.allclose(filled[5:8, 0, 0], [5, 6, 7])
    assert bridged[5:8].all() and bridged.sum() == 3
    assert np.isnan(filled[15 : 15 + short]).all() and np.isnan(filled[:2]).all()
