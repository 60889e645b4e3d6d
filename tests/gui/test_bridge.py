"""The inference bridge: progress, results to their own submitter, errors, cancellation,
stale results, and the two policies (a new request replaces the running one, or queues)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QApplication

from app.bridge import InferenceBridge, ManagedThread, Policy
from inference.errors import UserFacingError
from inference.jobs import Job, Progress


@dataclass(frozen=True)
class CountTo:
    """Counts to ``n``, one step every ``step_s`` seconds, on the worker thread."""

    n: int
    step_s: float = 0.0
    fail_with: str = ""
    threads: list[str] = field(default_factory=list, compare=False)

    def job(self) -> Job[int]:
        for i in range(self.n):
            self.threads.append(threading.current_thread().name)
            if self.fail_with:
                raise UserFacingError(self.fail_with)
            time.sleep(self.step_s)
            yield Progress(int(100 * (i + 1) / self.n), f"step {i + 1}")
        return self.n


class Recorder:
    """What the bridge reports: its status signals, and what each submitter heard."""

    def __init__(self, bridge: InferenceBridge) -> None:
        self.bridge = bridge
        self.progress: list[int] = []
        self.heard: list[tuple[str, object]] = []  # (submitter, result or failure message)
        self.failed: list[str] = []  # failures nobody claimed: for the window's dialog
        self.cancelled: list[object] = []
        self.busy: list[bool] = []
        bridge.progress.connect(lambda percent, _message: self.progress.append(percent))
        bridge.failed.connect(self.failed.append)
        bridge.cancelled.connect(self.cancelled.append)
        bridge.busy_changed.connect(self.busy.append)

    def submit(
        self, name: str, request: CountTo, policy: Policy = Policy.REPLACE, claim: bool = False
    ) -> int:
        def failed(message: str) -> None:
            self.heard.append((f"{name} failed", message))

        return self.bridge.submit(
            request,
            lambda result: self.heard.append((name, result)),
            failed if claim else None,
            policy,
        )


@pytest.fixture
def bridge(qapp: QApplication) -> Iterator[InferenceBridge]:
    bridge = InferenceBridge()
    yield bridge
    bridge.shutdown()


def test_runs_off_the_main_thread_and_reports(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    request = CountTo(4)
    seen.submit("counter", request)
    qtbot.waitUntil(lambda: bool(seen.heard), timeout=5000)  # type: ignore[attr-defined]
    assert seen.heard == [("counter", 4)]
    assert seen.progress == [25, 50, 75, 100]
    assert threading.main_thread().name not in request.threads
    assert not bridge.busy
    assert seen.busy == [True, False]


def test_each_submitter_hears_only_its_own_result(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    seen.submit("first", CountTo(2, step_s=0.01), Policy.QUEUE)
    seen.submit("second", CountTo(3), Policy.QUEUE)
    qtbot.waitUntil(lambda: len(seen.heard) == 2, timeout=5000)  # type: ignore[attr-defined]
    assert seen.heard == [("first", 2), ("second", 3)]


def test_a_user_facing_error_goes_to_its_submitter(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    seen.submit("song", CountTo(3, fail_with="song.mp3: not audio"), claim=True)
    qtbot.waitUntil(lambda: bool(seen.heard), timeout=5000)  # type: ignore[attr-defined]
    assert seen.heard == [("song failed", "song.mp3: not audio")]
    assert not seen.failed


def test_an_unclaimed_error_becomes_failed(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    seen.submit("song", CountTo(3, fail_with="song.mp3: not audio"))
    qtbot.waitUntil(lambda: bool(seen.failed), timeout=5000)  # type: ignore[attr-defined]
    assert seen.failed == ["song.mp3: not audio"]
    assert not seen.heard


def test_cancel_stops_between_steps(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    request = CountTo(1000, step_s=0.01)
    seen.submit("slow", request)
    qtbot.waitUntil(lambda: len(request.threads) >= 3, timeout=5000)  # type: ignore[attr-defined]
    cancelled_at = time.perf_counter()
    bridge.cancel()
    qtbot.waitUntil(lambda: bool(seen.cancelled), timeout=5000)  # type: ignore[attr-defined]
    assert time.perf_counter() - cancelled_at < 0.5
    assert len(request.threads) < 100
    assert not seen.heard
    assert seen.cancelled == [request]
    assert not bridge.busy


def test_a_replaced_request_never_delivers(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    slow, fast = CountTo(50, step_s=0.01), CountTo(2)
    seen.submit("slow", slow)
    qtbot.waitUntil(lambda: bool(slow.threads), timeout=5000)  # type: ignore[attr-defined]
    seen.submit("fast", fast)
    qtbot.waitUntil(lambda: bool(seen.heard), timeout=5000)  # type: ignore[attr-defined]
    qtbot.wait(100)  # type: ignore[attr-defined]
    assert seen.heard == [("fast", 2)]
    assert len(slow.threads) < 50
    assert seen.busy == [True, False]


def test_a_queued_request_waits_instead_of_cancelling(
    bridge: InferenceBridge, qtbot: object
) -> None:
    seen = Recorder(bridge)
    analysis, imported = CountTo(20, step_s=0.01), CountTo(2)
    seen.submit("analysis", analysis)
    qtbot.waitUntil(lambda: bool(analysis.threads), timeout=5000)  # type: ignore[attr-defined]
    seen.submit("import", imported, Policy.QUEUE)
    assert bridge.busy
    qtbot.waitUntil(lambda: len(seen.heard) == 2, timeout=5000)  # type: ignore[attr-defined]
    assert seen.heard == [("analysis", 20), ("import", 2)]
    assert seen.busy == [True, False]  # one busy stretch for both


def test_a_request_queued_behind_one_that_fails_still_runs(
    bridge: InferenceBridge, qtbot: object
) -> None:
    seen = Recorder(bridge)
    seen.submit("broken", CountTo(3, step_s=0.01, fail_with="bad.bvh: no frames"), claim=True)
    seen.submit("next", CountTo(1), Policy.QUEUE)
    qtbot.waitUntil(lambda: len(seen.heard) == 2, timeout=5000)  # type: ignore[attr-defined]
    assert seen.heard == [("broken failed", "bad.bvh: no frames"), ("next", 1)]


def test_cancelling_a_waiting_request_by_serial(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    running, stale, fresh = CountTo(10, step_s=0.01), CountTo(1), CountTo(2)
    seen.submit("running", running)
    serial = seen.submit("stale", stale, Policy.QUEUE)
    seen.submit("fresh", fresh, Policy.QUEUE)
    bridge.cancel(serial)
    assert seen.cancelled == [stale]
    qtbot.waitUntil(lambda: len(seen.heard) == 2, timeout=5000)  # type: ignore[attr-defined]
    assert seen.heard == [("running", 10), ("fresh", 2)]
    assert not stale.threads


def test_cancel_all_drops_the_waiting_requests(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    running, waiting = CountTo(1000, step_s=0.01), CountTo(1)
    seen.submit("running", running)
    seen.submit("waiting", waiting, Policy.QUEUE)
    bridge.cancel()
    qtbot.waitUntil(lambda: not bridge.busy, timeout=5000)  # type: ignore[attr-defined]
    qtbot.wait(50)  # type: ignore[attr-defined]
    assert seen.cancelled == [waiting, running]
    assert not seen.heard
    assert not waiting.threads


def test_a_result_handler_may_submit_the_next_step(bridge: InferenceBridge, qtbot: object) -> None:
    """A chain (quick beats, then the full analysis) stays one busy stretch."""
    seen = Recorder(bridge)
    second = CountTo(2)

    def then(result: int) -> None:
        seen.heard.append(("first", result))
        seen.submit("second", second)

    bridge.submit(CountTo(1), then)
    qtbot.waitUntil(lambda: len(seen.heard) == 2, timeout=5000)  # type: ignore[attr-defined]
    assert seen.heard == [("first", 1), ("second", 2)]
    assert seen.busy == [True, False]


def test_the_thread_guard_sees_a_running_bridge(qapp: QApplication) -> None:
    def running_names() -> list[str]:
        return [thread.objectName() for thread in ManagedThread.running()]

    bridge = InferenceBridge()
    assert "inference-worker" in running_names()
    bridge.shutdown()
    assert "inference-worker" not in running_names()


@dataclass(frozen=True)
class BusyStep:
    """One long step of pure Python (it holds the interpreter lock, as an import does), then a
    ``finally`` that records that the job ended normally."""

    seconds: float
    ended: list[bool] = field(default_factory=list, compare=False)

    def job(self) -> Job[None]:
        try:
            yield Progress(0, "working")
            deadline = time.perf_counter() + self.seconds
            total = 0
            while time.perf_counter() < deadline:
                total += sum(range(1000))
            yield Progress(100, "done")
        finally:
            self.ended.append(True)


def test_shutdown_waits_for_the_step_instead_of_killing_the_thread(
    qapp: QApplication, qtbot: object
) -> None:
    """Killing a thread in the middle of Python code can leave the interpreter's lock held:
    the whole process then hangs, out of reach of any timeout. Shutdown lets the step end."""
    bridge = InferenceBridge()
    request = BusyStep(1.5)
    bridge.submit(request, lambda _: None)
    qtbot.waitUntil(lambda: bridge.busy)  # type: ignore[attr-defined]
    time.sleep(0.2)  # inside the long step
    bridge.shutdown(timeout_ms=100)
    assert request.ended == [True]
    assert "inference-worker" not in [t.objectName() for t in ManagedThread.running()]
