"""The inference bridge: progress, results, errors, cancellation and stale results."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QApplication

from app.bridge import InferenceBridge, ManagedThread
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
    def __init__(self, bridge: InferenceBridge) -> None:
        self.progress: list[int] = []
        self.finished: list[tuple[object, object]] = []
        self.failed: list[str] = []
        self.cancelled: list[object] = []
        bridge.progress.connect(lambda percent, _message: self.progress.append(percent))
        bridge.finished.connect(lambda request, result: self.finished.append((request, result)))
        bridge.failed.connect(lambda _request, message: self.failed.append(message))
        bridge.cancelled.connect(self.cancelled.append)


@pytest.fixture
def bridge(qapp: QApplication) -> Iterator[InferenceBridge]:
    bridge = InferenceBridge()
    yield bridge
    bridge.shutdown()


def test_runs_off_the_main_thread_and_reports(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    request = CountTo(4)
    bridge.submit(request)
    qtbot.waitUntil(lambda: bool(seen.finished), timeout=5000)  # type: ignore[attr-defined]
    assert seen.finished == [(request, 4)]
    assert seen.progress == [25, 50, 75, 100]
    assert threading.main_thread().name not in request.threads
    assert not bridge.busy


def test_a_user_facing_error_becomes_failed(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    bridge.submit(CountTo(3, fail_with="song.mp3: not audio"))
    qtbot.waitUntil(lambda: bool(seen.failed), timeout=5000)  # type: ignore[attr-defined]
    assert seen.failed == ["song.mp3: not audio"]
    assert not seen.finished


def test_cancel_stops_between_steps(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    request = CountTo(1000, step_s=0.01)
    bridge.submit(request)
    qtbot.waitUntil(lambda: len(request.threads) >= 3, timeout=5000)  # type: ignore[attr-defined]
    cancelled_at = time.perf_counter()
    bridge.cancel()
    qtbot.waitUntil(lambda: bool(seen.cancelled), timeout=5000)  # type: ignore[attr-defined]
    assert time.perf_counter() - cancelled_at < 0.5
    assert len(request.threads) < 100
    assert not seen.finished


def test_a_replaced_request_never_delivers(bridge: InferenceBridge, qtbot: object) -> None:
    seen = Recorder(bridge)
    slow, fast = CountTo(50, step_s=0.01), CountTo(2)
    bridge.submit(slow)
    qtbot.waitUntil(lambda: bool(slow.threads), timeout=5000)  # type: ignore[attr-defined]
    bridge.submit(fast)
    qtbot.waitUntil(lambda: bool(seen.finished), timeout=5000)  # type: ignore[attr-defined]
    qtbot.wait(100)  # type: ignore[attr-defined]
    assert seen.finished == [(fast, 2)]


def test_the_thread_guard_sees_a_running_bridge(qapp: QApplication) -> None:
    def running_names() -> list[str]:
        return [thread.objectName() for thread in ManagedThread.running()]

    bridge = InferenceBridge()
    assert "inference-worker" in running_names()
    bridge.shutdown()
    assert "inference-worker" not in running_names()
