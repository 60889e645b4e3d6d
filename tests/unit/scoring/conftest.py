"""Fixtures for the scoring tests: real motions loaded once, and helpers to make takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from inference.motion import load_motion
from inference.scoring.body import BodyTrack, track_from_motion


@pytest.fixture(scope="session")
def perfume(shared_data: Path) -> dict[str, BodyTrack]:
    """Perfume's two members (one routine) and the three test captures (other routines)."""
    folder = shared_data / "motion" / "perfume"
    names = ("aachan", "kashiyuka", "A_test", "B_test", "C_test")
    return {n: track_from_motion(load_motion(folder / f"{n}.bvh"), f"{n}.bvh") for n in names}


@pytest.fixture(scope="session")
def bandai_dance(shared_data: Path) -> BodyTrack:
    path = shared_data / "motion" / "bandai_namco" / "dataset-1_dance-short_normal_001.bvh"
    return track_from_motion(load_motion(path), path.name)


@pytest.fixture(scope="session")
def aistpp_dir(shared_data: Path) -> Path:
    return shared_data / "video" / "aistpp_keypoints2d"
