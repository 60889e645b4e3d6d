"""Fixtures for the motion-core tests: real data paths and motions loaded once per module."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def motion_dir(shared_data: Path) -> Path:
    return shared_data / "motion"


@pytest.fixture(scope="session")
def tang_dir(shared_data: Path) -> Path:
    return shared_data / "motion_music" / "tang2018"
