"""Fixtures for the generator tests: the demo song's analysis and routines, made once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from inference.audio import SongAnalysis, analyze_song
from inference.generate import GenerationParams, RoutineResult, generate_routine_job
from inference.jobs import run_job
from inference.paths import DEMO_SONG


@pytest.fixture(scope="session")
def demo_analysis() -> SongAnalysis:
    return analyze_song(DEMO_SONG)


@pytest.fixture(scope="session")
def routine(demo_analysis: SongAnalysis) -> Callable[..., RoutineResult]:
    """``routine(**params)``: the demo song's routine for those params (cached)."""
    cache: dict[tuple[tuple[str, object], ...], RoutineResult] = {}

    def make(**params: object) -> RoutineResult:
        key = tuple(sorted(params.items()))
        if key not in cache:
            job = generate_routine_job(demo_analysis, GenerationParams(**params))  # type: ignore[arg-type]
            cache[key] = run_job(job)
        return cache[key]

    return make
