"""The shipped classifier on held-out real files, its uncertainty rule, the job, and bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from inference.errors import UserFacingError
from inference.jobs import Cancelled, Progress, run_job
from inference.motion import load_motion
from inference.motion.motion import rest_motion
from inference.motion.ops import trim
from inference.style import MIXED, STYLES, UNKNOWN, classify_job, classify_motion, shipped_model
from inference.style.classify import decide
from inference.style.dataset import files
from inference.style.model import Calibration

HELD_OUT = {
    "motion/cmu_dance/005_10.bvh": "modern/ballet",
    "motion/cmu_salsa/60_13_scaled.bvh": "salsa/samba",
    "motion/aistpp_slices/true_gLH_sBM_cAll_d18_mLH4_ch02_slice1.csv": "hip-hop/street",
}


def test_the_files_used_here_are_held_out() -> None:
    assert set(HELD_OUT) <= {f.path for f in files("test")}


@pytest.mark.parametrize("path", sorted(HELD_OUT))
def test_held_out_files_get_their_style(shared_data: Path, path: str) -> None:
    result = classify_motion(load_motion(shared_data / path), source=Path(path).name)
    assert result.style == HELD_OUT[path]
    assert set(result.probabilities) == set(STYLES)
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    assert max(result.probabilities, key=lambda s: result.probabilities[s]) == HELD_OUT[path]
    assert result.windows and result.windows[0].start == 0.0
    assert result.windows[-1].end == pytest.approx(
        load_motion(shared_data / path).duration, abs=0.05
    )


def test_the_uncertainty_rule_says_mixed_or_unknown_instead_of_forcing_a_label() -> None:
    cal = Calibration(scale=10.0, threshold=0.6, min_similarity=0.3)
    names = ("a", "b", "c", "d")
    assert decide(np.array([0.8, 0.1, 0.05, 0.05]), 0.9, cal, names) == "a"
    assert decide(np.array([0.45, 0.4, 0.1, 0.05]), 0.9, cal, names) == MIXED  # two share it
    assert decide(np.array([0.3, 0.28, 0.22, 0.2]), 0.9, cal, names) == UNKNOWN  # spread thin
    assert decide(np.array([0.97, 0.01, 0.01, 0.01]), 0.2, cal, names) == UNKNOWN  # unfamiliar


def test_an_unfamiliar_motion_reads_unknown(shared_data: Path) -> None:
    # A body standing still in the rest pose is nothing the classifier was taught.
    result = classify_motion(rest_motion(90), source="rest")
    assert result.style == UNKNOWN
    assert {w.style for w in result.windows} == {UNKNOWN}


def test_the_job_reports_progress_and_can_be_cancelled(shared_data: Path) -> None:
    motion = load_motion(shared_data / "motion/cmu_dance/005_10.bvh")
    seen: list[Progress] = []
    result = run_job(classify_job(motion, "005_10.bvh"), seen.append)
    assert result.style == "modern/ballet" and seen[-1].percent == 100
    assert result.device == shipped_model().device
    with pytest.raises(Cancelled):
        run_job(classify_job(motion, "005_10.bvh"), should_cancel=lambda: True)


def test_a_two_frame_motion_is_refused_by_name(shared_data: Path) -> None:
    motion = trim(load_motion(shared_data / "motion/cmu_dance/005_10.bvh"), 0, 2)
    with pytest.raises(UserFacingError, match=r"tiny.bvh: 2 frames is too short"):
        classify_motion(motion, source="tiny.bvh")
