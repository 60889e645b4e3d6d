"""The banded subsequence DTW against librosa's, and its band and free ends."""

from __future__ import annotations

import numpy as np
import pytest

from inference.scoring.dtw import STEPS, subsequence_dtw


@pytest.mark.parametrize("seed", range(4))
def test_same_path_and_cost_as_librosa(seed: int) -> None:
    import librosa  # a dev dependency: the reference this DTW must match

    rng = np.random.default_rng(seed)
    cost = rng.random((40, 55))
    penalty = 0.1
    path, total = subsequence_dtw(cost, step_penalty=penalty)
    acc, wp = librosa.sequence.dtw(
        C=cost,
        step_sizes_sigma=np.array(STEPS),
        weights_add=np.array([0.0, penalty, penalty]),
        weights_mul=np.ones(3),
        subseq=True,
    )
    wp = wp[::-1]
    assert total == pytest.approx(float(acc[-1].min()), rel=1e-9)
    np.testing.assert_array_equal(wp[:, 0], np.arange(40))
    np.testing.assert_array_equal(wp[:, 1], path)


def test_finds_a_delay_with_free_start_and_end() -> None:
    x = np.sin(np.linspace(0, 12, 120))[:, None] * np.arange(1, 4)
    delayed = np.concatenate([np.repeat(x[:1], 7, axis=0), x])  # the take is 7 frames late
    cost = np.abs(x[:, None] - delayed[None]).sum(-1)
    path, total = subsequence_dtw(cost, step_penalty=0.01)
    assert total == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_array_equal(path[5:], np.arange(5, 120) + 7)


def test_the_band_is_respected() -> None:
    rng = np.random.default_rng(1)
    cost = rng.random((30, 30))
    lo = np.maximum(0, np.arange(30) - 2)
    hi = np.minimum(29, np.arange(30) + 2)
    path, _ = subsequence_dtw(cost, (lo, hi))
    assert np.all((path >= lo) & (path <= hi))
    with pytest.raises(ValueError, match="band"):
        subsequence_dtw(cost, (np.full(30, 5), np.full(30, 4)))
