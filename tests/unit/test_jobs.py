"""The one job protocol: a generator of Progress that returns its result, nested by rescaled."""

from __future__ import annotations

import pytest

from inference.jobs import Cancelled, Job, Progress, rescaled, run_job


def steps(n: int) -> Job[str]:
    for i in range(n):
        yield Progress(100 * i // n, f"step {i}")
    return "done"


def outer() -> Job[tuple[str, str]]:
    yield Progress(0, "start")
    first = yield from rescaled(steps(4), 10, 50)
    second = yield from rescaled(steps(2), 50, 90)
    yield Progress(100, "end")
    return first, second


def test_a_nested_job_reports_inside_its_stretch_and_returns_its_result() -> None:
    seen: list[Progress] = []
    assert run_job(outer(), seen.append) == ("done", "done")
    assert [p.percent for p in seen] == [0, 10, 20, 30, 40, 50, 70, 100]
    assert [p.message for p in seen][1:3] == ["step 0", "step 1"]


def test_a_nested_job_is_cancelled_between_its_own_steps() -> None:
    seen: list[Progress] = []
    with pytest.raises(Cancelled):
        run_job(outer(), seen.append, should_cancel=lambda: len(seen) >= 3)
    assert len(seen) == 3
