"""The Qt bridge to ``inference``: one worker thread that runs one job at a time.

A request is an immutable snapshot of its inputs with a ``job()`` method that returns an
``inference.jobs.Job`` generator. The worker drives that generator, reports its progress, and
stops between two steps when the request is cancelled. Only the newest request's result reaches
the main thread: a result from a request that has been replaced is dropped there.
"""

from __future__ import annotations

import threading
import traceback
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from PySide6.QtCore import QObject, QThread, Signal, Slot

from inference.errors import UserFacingError
from inference.jobs import Cancelled, Job, run_job


class Request(Protocol):
    """What the bridge can run: a frozen dataclass whose ``job()`` builds the generator."""

    def job(self) -> Job[Any]: ...


class ManagedThread(QThread):
    """A QThread that registers itself, so tests can prove no thread outlives its owner."""

    _instances: ClassVar[weakref.WeakSet[ManagedThread]] = weakref.WeakSet()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        ManagedThread._instances.add(self)

    @classmethod
    def running(cls) -> Iterator[ManagedThread]:
        return (t for t in list(cls._instances) if t.isRunning())


@dataclass(frozen=True)
class _Ticket:
    serial: int
    request: Request
    cancel: threading.Event


class _Worker(QObject):
    """Lives on the worker thread; never touches widgets or shared state."""

    progressed = Signal(int, int, str)  # serial, percent, message
    succeeded = Signal(int, object)
    errored = Signal(int, str)
    cancelled = Signal(int)

    @Slot(object)
    def run(self, ticket: _Ticket) -> None:
        if ticket.cancel.is_set():
            self.cancelled.emit(ticket.serial)
            return
        try:
            result = run_job(
                ticket.request.job(),
                on_progress=lambda p: self.progressed.emit(ticket.serial, p.percent, p.message),
                should_cancel=ticket.cancel.is_set,
            )
        except Cancelled:
            self.cancelled.emit(ticket.serial)
        except UserFacingError as error:
            self.errored.emit(ticket.serial, str(error))
        except MemoryError:
            self.errored.emit(ticket.serial, "Not enough memory for this task.")
        except Exception as error:  # a bug: report it rather than kill the thread
            traceback.print_exc()
            self.errored.emit(ticket.serial, f"Internal error: {type(error).__name__}: {error}")
        else:
            self.succeeded.emit(ticket.serial, result)


class InferenceBridge(QObject):
    """Submit requests from the main thread; get ``progress``, ``finished`` and ``failed``.

    ``finished(request, result)`` and ``failed(request, message)`` carry the request, so the
    receiver knows what the result is for. ``cancelled(request)`` follows :meth:`cancel`.
    """

    progress = Signal(int, str)
    finished = Signal(object, object)
    failed = Signal(object, str)
    cancelled = Signal(object)
    busy_changed = Signal(bool)

    _dispatch = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = ManagedThread("inference-worker")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._dispatch.connect(self._worker.run)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.errored.connect(self._on_errored)
        self._worker.cancelled.connect(self._on_cancelled)
        self._serial = 0
        self._current: _Ticket | None = None
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._current is not None

    def submit(self, request: Request) -> int:
        """Run ``request`` after cancelling whatever runs now. Returns its serial number."""
        self.cancel()
        self._serial += 1
        self._current = _Ticket(self._serial, request, threading.Event())
        self._dispatch.emit(self._current)
        self.busy_changed.emit(True)
        return self._serial

    def cancel(self) -> None:
        """Ask the running request to stop at its next step; its result will be dropped."""
        if self._current is not None:
            self._current.cancel.set()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Cancel any work and stop the thread; call before the application quits."""
        self.cancel()
        self._thread.quit()
        if not self._thread.wait(timeout_ms):
            # A job that never yields cannot be stopped politely.
            self._thread.terminate()
            self._thread.wait()

    def _take(self, serial: int) -> _Ticket | None:
        """The current ticket if ``serial`` is it; None for a stale serial."""
        ticket = self._current
        if ticket is None or ticket.serial != serial:
            return None
        if ticket.cancel.is_set():
            # Cancelled before the result came back: treat like a cancellation.
            self._current = None
            self.busy_changed.emit(False)
            self.cancelled.emit(ticket.request)
            return None
        self._current = None
        self.busy_changed.emit(False)
        return ticket

    @Slot(int, int, str)
    def _on_progressed(self, serial: int, percent: int, message: str) -> None:
        if self._current is not None and self._current.serial == serial:
            self.progress.emit(percent, message)

    @Slot(int, object)
    def _on_succeeded(self, serial: int, result: object) -> None:
        ticket = self._take(serial)
        if ticket is not None:
            self.finished.emit(ticket.request, result)

    @Slot(int, str)
    def _on_errored(self, serial: int, message: str) -> None:
        ticket = self._take(serial)
        if ticket is not None:
            self.failed.emit(ticket.request, message)

    @Slot(int)
    def _on_cancelled(self, serial: int) -> None:
        ticket = self._current
        if ticket is not None and ticket.serial == serial:
            self._current = None
            self.busy_changed.emit(False)
            self.cancelled.emit(ticket.request)
