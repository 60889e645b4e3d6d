"""Cycles are collected on the GUI thread, never on a worker (see app.main_thread_gc)."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import ClassVar

from PySide6.QtWidgets import QApplication

from app.main_thread_gc import MainThreadCollector


class Cycle:
    """Garbage only the cycle collector can free; records the thread that freed it."""

    freed_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_on.append(threading.current_thread().name)


def test_a_cycle_made_on_a_worker_is_freed_on_the_gui_thread(
    qapp: QApplication, qtbot: object
) -> None:
    # The suite's own collector (conftest) is running: the interpreter's is off.
    assert not gc.isenabled()
    Cycle.freed_on.clear()
    made: list[weakref.ref[Cycle]] = []
    kept: list[list[int]] = []

    def churn() -> None:
        # Far past generation 0's threshold (live allocations count): with automatic
        # collection on, the cycle would be freed right here, on this thread.
        made.append(weakref.ref(Cycle()))
        kept.extend([i] for i in range(5 * gc.get_threshold()[0]))

    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()
    assert made[0]() is not None, "collected on the worker thread"
    qtbot.waitUntil(lambda: made[0]() is None, timeout=5000)  # type: ignore[attr-defined]
    assert Cycle.freed_on == [threading.main_thread().name]


def test_stop_gives_collection_back(qapp: QApplication) -> None:
    enabled = gc.isenabled()
    collector = MainThreadCollector(qapp)
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled() == enabled
