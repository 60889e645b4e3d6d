"""Editing: regenerate one part, keep locked ranges, seams stay within the stated bound;
the job can be cancelled between steps."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pytest

from inference.audio import SongAnalysis
from inference.generate import GenerationParams, RoutineResult, generate_routine_job
from inference.jobs import Progress, run_job

Make = Callable[..., RoutineResult]
WINDOW = 15  # frames either side of a seam: 0.5 s


def same(a: np.ndarray, b: np.ndarray) -> None:
    """Equal up to the last bit Motion's quaternion re-normalisation may flip."""
    np.testing.assert_allclose(a, b, rtol=0.0, atol=1e-12)


def seam_check(old: RoutineResult, new: RoutineResult, seam: int) -> None:
    """The bound stated in inference/generate/splice.py, at one seam frame."""
    p_new = new.motion.positions()
    p_old = old.motion.positions()
    step = np.linalg.norm(np.diff(p_new, axis=0), axis=-1)  # step[k]: frame k -> k + 1
    lo, hi = max(0, seam - WINDOW), min(step.shape[0], seam + WINDOW)
    near = max(
        np.linalg.norm(np.diff(p[lo : hi + 1], axis=0), axis=-1).max() for p in (p_old, p_new)
    )
    assert step[seam - 1].max() <= 1.5 * near + 0.02
    vel = np.diff(p_new, axis=0)
    change = np.linalg.norm(np.diff(vel, axis=0), axis=-1)  # change[k]: around frame k + 1
    near_change = max(
        np.linalg.norm(np.diff(np.diff(p[lo : hi + 2], axis=0), axis=0), axis=-1).max()
        for p in (p_old, p_new)
    )
    assert change[seam - 2 : seam + 1].max() <= 2.0 * near_change + 0.02


def test_regenerating_a_part_changes_only_that_part(
    routine: Make, demo_analysis: SongAnalysis
) -> None:
    old = routine()
    part = demo_analysis.parts[5]
    started = time.perf_counter()
    new = run_job(
        generate_routine_job(
            demo_analysis, GenerationParams(), previous=old, regenerate_range=(part.start, part.end)
        )
    )
    assert time.perf_counter() - started < 5.0  # generous: the benchmark reports the real time
    assert new.variant == 1
    assert new.parts[5].units != old.parts[5].units
    assert [p.units for p in new.parts if p.index != part.index] == [
        p.units for p in old.parts if p.index != part.index
    ]
    fps = old.motion.fps
    a, b = int(np.ceil(part.start * fps)), int(np.ceil(part.end * fps))
    outside = np.r_[0:a, b : old.motion.n_frames]
    same(new.motion.local_rotations[outside], old.motion.local_rotations[outside])
    same(new.motion.root_translation[outside], old.motion.root_translation[outside])
    assert not np.array_equal(new.motion.local_rotations[a:b], old.motion.local_rotations[a:b])
    for seam in (a, b):
        seam_check(old, new, seam)


def test_locked_ranges_never_change(routine: Make, demo_analysis: SongAnalysis) -> None:
    old = routine()
    parts = demo_analysis.parts
    lock = (parts[3].start, parts[4].end)
    new = run_job(
        generate_routine_job(
            demo_analysis,
            GenerationParams(),
            previous=old,
            regenerate_range=(parts[2].start, parts[6].end),
            locked=[lock],
        )
    )
    fps = old.motion.fps
    a, b = int(np.ceil(lock[0] * fps)), int(np.ceil(lock[1] * fps))
    same(new.motion.local_rotations[a:b], old.motion.local_rotations[a:b])
    assert [p.units for p in new.parts[3:5]] == [p.units for p in old.parts[3:5]]
    assert new.parts[2].units != old.parts[2].units or new.parts[5].units != old.parts[5].units


def test_regenerate_needs_a_previous_routine(demo_analysis: SongAnalysis) -> None:
    with pytest.raises(ValueError, match="previous"):
        run_job(generate_routine_job(demo_analysis, GenerationParams(), regenerate_range=(0, 5)))


def test_the_job_reports_often_and_closes_between_steps(demo_analysis: SongAnalysis) -> None:
    job = generate_routine_job(demo_analysis, GenerationParams(seed=3))
    first = next(job)  # the library loads in this step (once per process)
    assert isinstance(first, Progress)
    gaps = []
    last = time.perf_counter()
    reports = []
    for progress in job:
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
        reports.append(progress)
        if len(reports) == 4:
            break
    job.close()  # cancel: the generator ends where it stood
    assert job.gi_frame is None
    assert len(reports) == 4 and reports[-1].percent < 100
    assert max(gaps) < 1.0  # ~0.1 s on 2 cores; loose for slow CI machines
