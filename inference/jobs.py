"""The shape every long computation takes, so one worker thread can run, report and cancel it.

A job is a plain generator: it ``yield``s :class:`Progress` between steps and ``return``s its
result. Whoever drives it cancels by simply not asking for the next step (and closing the
generator), so a job needs no cancel flag of its own and no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress report: ``percent`` in 0..100 and a short message for the status bar."""

    percent: int
    message: str


Job = Generator[Progress, None, T]


class Cancelled(Exception):
    """Raised by :func:`run_job` when ``should_cancel`` turned true between two steps."""


def rescaled(job: Job[T], start: int, end: int) -> Job[T]:
    """``job`` as one stretch of a larger job: its 0..100 % become ``start``..``end`` %.

    Inside the larger job: ``motion = yield from rescaled(assemble_job(...), 60, 95)``.
    """
    try:
        while True:
            progress = next(job)
            yield Progress(start + round((end - start) * progress.percent / 100), progress.message)
    except StopIteration as stop:
        result: T = stop.value
        return result


def run_job(
    job: Job[T],
    on_progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> T:
    """Drive ``job`` to completion on the calling thread and return its result.

    Parameters
    ----------
    job
        The generator to run.
    on_progress
        Called with each :class:`Progress` the job yields.
    should_cancel
        Polled after every step; when it returns true the job is closed and
        :class:`Cancelled` is raised.
    """
    try:
        while True:
            progress = next(job)
            if on_progress is not None:
                on_progress(progress)
            if should_cancel is not None and should_cancel():
                job.close()
                raise Cancelled
    except StopIteration as stop:
        result: T = stop.value
        return result
