"""The done-when figures on real pairs: Perfume's members, other routines, AIST++ cameras.

Calibration (the two numbers of ``inference/scoring/scale.py`` were set on these): aachan
against kashiyuka and against A_test. Held out: B_test, C_test, the Bandai Namco dance, and
the AIST++ views (which the view embedding never saw either).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from inference.jobs import run_job
from inference.scoring import ScoreRequest, score_take_job
from inference.scoring.body import BodyTrack
from inference.scoring.camera import Camera, facing_yaw, front_view, project
from inference.scoring.compare import features_of
from inference.scoring.embedding import embedding_available, embedding_helps, load_embedding
from inference.scoring.tracks import load_aistpp_views
from inference.scoring.views import camera_score_gap

OTHER_ROUTINES = ("A_test", "B_test", "C_test", "bandai")


def overall(reference: BodyTrack, take: BodyTrack) -> tuple[float, str]:
    result = run_job(score_take_job(ScoreRequest(reference, take)))
    return result.overall, result.metric


@pytest.fixture(scope="module")
def takes(perfume: dict[str, BodyTrack], bandai_dance: BodyTrack) -> dict[str, BodyTrack]:
    return {**perfume, "bandai": bandai_dance}


def test_the_shipped_embedding_is_the_one_measured_better() -> None:
    assert embedding_available() and embedding_helps()


def test_perfume_members_high_other_routines_25_points_lower_in_3d(
    takes: dict[str, BodyTrack],
) -> None:
    members, metric = overall(takes["aachan"], takes["kashiyuka"])
    assert metric == "joint angles"
    assert members >= 80.0  # measured 83.6
    for name in OTHER_ROUTINES:
        other, _ = overall(takes["aachan"], takes[name])
        assert other <= members - 25.0, (name, other)  # measured 45.1-53.9


@pytest.mark.parametrize("degrees", [0, 45])
def test_the_same_holds_filmed_in_2d(takes: dict[str, BodyTrack], degrees: int) -> None:
    def film(track: BodyTrack) -> BodyTrack:
        return project(track, Camera(azimuth=facing_yaw(track) + np.radians(degrees)))

    reference = front_view(takes["aachan"])
    members, metric = overall(reference, film(takes["kashiyuka"]))
    assert metric == "view embedding"
    assert members >= 80.0  # measured 84.7 (front), 83.0 (45 degrees)
    for name in OTHER_ROUTINES:
        other, _ = overall(reference, film(takes[name]))
        assert other <= members - 25.0, (name, other)  # measured 42.2-48.5


def test_aistpp_same_performance_two_cameras_15_points_above_two_choreographies(
    aistpp_dir: Path,
) -> None:
    """All 7 performances; cameras 1-5, 2-7, 3-8 and 4-9 (measured: 72.5 against 52.7 with
    the embedding; the joint angles alone give 63.4 against 60.2)."""
    performances = [load_aistpp_views(f) for f in sorted(aistpp_dir.glob("*.pkl"))]
    assert len(performances) == 7
    net = load_embedding()
    same, other = camera_score_gap(performances, lambda t: features_of(t, net))
    assert same.mean() >= other.mean() + 15.0, (same.mean(), other.mean())
