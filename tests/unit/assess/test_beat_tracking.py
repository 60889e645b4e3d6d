"""Beat-tracking F-measure (mir_eval conventions), against mir_eval itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from inference.assess.beat_tracking import count_matches, f_measure, trim_beats
from tests.unit.audio.audio_synth import load_annotations


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


def _jittered(rng: np.random.Generator, reference: np.ndarray) -> np.ndarray:
    """An estimate of ``reference``: jittered, some beats dropped, some spurious ones added."""
    kept = reference[rng.random(reference.size) > rng.uniform(0.0, 0.4)]
    jitter = rng.normal(0.0, rng.uniform(0.005, 0.08), kept.size)
    spurious = rng.uniform(0.0, reference.max() + 1.0, rng.integers(0, reference.size // 3 + 1))
    # Whole milliseconds, as beat annotations are written: no pair lands on the window edge
    # closer than float rounding, where |a - b| <= w and mir_eval's a >= b - w can disagree.
    return np.unique(np.round(np.concatenate([kept + jitter, spurious]), 3) + 1e-4)


# Some made-up estimates trim to nothing: mir_eval warns on those, and scores them 0 as we do.
@pytest.mark.filterwarnings("ignore:(Reference|Estimated) beats are empty:UserWarning")
def test_f_measure_equals_mir_eval_on_random_and_real_beats(shared_data: Path) -> None:
    """Compared with mir_eval itself (a dev dependency), as the quaternions are with scipy."""
    import mir_eval

    rng = np.random.default_rng(10)
    cases: list[tuple[np.ndarray, np.ndarray]] = []
    for _ in range(300):
        period = rng.uniform(0.25, 1.2)
        reference = np.round(np.arange(rng.uniform(0, 2), rng.uniform(8, 40), period), 3)
        cases.append((reference, _jittered(rng, reference)))
        cases.append((reference, _jittered(rng, reference)[::2]))  # half tempo
    grid = np.arange(0.0, 20.0, 0.5)
    cases.append((grid, np.where(grid == 5.0, 5.05, grid)))  # a beat on the 5 s trim itself
    annotated = sorted((shared_data / "beats").glob("**/*.beats"))
    assert annotated, f"no beat annotations under {shared_data / 'beats'}"
    for path in annotated:  # real annotations, each against a few made-up estimates
        reference = load_annotations(path)[:, 0]
        cases += [(reference, _jittered(rng, reference)) for _ in range(10)]
    for reference, estimated in cases:
        ours = f_measure(reference, estimated)
        trimmed = mir_eval.beat.trim_beats(reference), mir_eval.beat.trim_beats(estimated)
        theirs = mir_eval.beat.f_measure(*trimmed)  # what mir_eval.beat.evaluate reports
        assert ours == pytest.approx(theirs, abs=1e-12), (reference, estimated)
    assert len({round(f_measure(r, e), 2) for r, e in cases}) > 30  # a spread of scores
