from __future__ import annotations

import numpy as np
import pytest

from inference.audio.metrics import count_matches, f_measure, trim_beats


def test_trim_keeps_beats_at_and_after_five_seconds() -> None:
    assert trim_beats([4.99, 5.0, 6.0]).tolist() == [5.0, 6.0]


def test_window_is_inclusive_and_seventy_ms() -> None:
    ref = [6.0, 7.0]
    assert f_measure(ref, [6.0699, 7.0]) == pytest.approx(1.0)
    assert f_measure(ref, [6.0701, 7.0]) == pytest.approx(0.5)


def test_double_tempo_gives_two_thirds() -> None:
    ref = np.arange(5.0, 30.0, 0.5)
    est = np.arange(5.0, 30.0, 0.25)
    # precision 1/2, recall 1 -> F = 2/3
    assert f_measure(ref, est) == pytest.approx(2.0 / 3.0, abs=1e-3)


def test_empty_and_early_only_sequences_score_zero() -> None:
    assert f_measure([], [6.0]) == 0.0
    assert f_measure([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert f_measure([1.0, 2.0], [1.0, 2.0], min_beat_time=0.0) == 1.0


def test_each_beat_matches_at_most_once() -> None:
    # Two estimates inside one reference's window count once.
    assert count_matches([6.0], [5.95, 6.05]) == 1
    assert count_matches([6.0, 6.1], [6.05, 6.06]) == 2
