"""The Qt bridge to ``inference``: one worker thread that runs one job at a time.

A request is an immutable snapshot of its inputs with a ``job()`` method that returns an
``inference.jobs.Job`` generator. The worker drives that generator, reports its progress, and
stops between two steps when the request is cancelled.

Whoever submits a request names who hears its outcome: ``on_done(result)`` and, optionally,
``on_failed(message)``. No one else hears it, so a controller never sorts other controllers'
results by type. The submitter also says what the request does to the running one:

- :attr:`Policy.REPLACE` (the default) cancels the running job and starts at once. The
  cancelled job's result, should it still arrive, is dropped: its serial number is stale.
- :attr:`Policy.QUEUE` waits until the worker is free (after the running job and any request
  queued before it), so it never kills an analysis or a generation the user is waiting for.
"""

from __future__ import annotations

import enum
import logging
import threading
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, QThread, Signal, Slot

from inference.errors import UserFacingError
from inference.jobs import Cancelled, Job, run_job

log = logging.getLogger(__name__)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Request(Protocol[T_co]):
    """What the bridge can run: a frozen dataclass whose ``job()`` builds the generator."""

    def job(self) -> Job[T_co]: ...


class Policy(enum.Enum):
    """What a newly submitted request does to the job that runs now."""

    REPLACE = "replace"
    """Cancel the running job and start now."""
    QUEUE = "queue"
    """Wait until the worker is free; run in the order submitted."""


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


@dataclass(frozen=True, eq=False)
class _Ticket(Generic[T]):
    serial: int
    request: Request[T]
    on_done: Callable[[T], object]
    on_failed: Callable[[str], object] | None
    cancel: threading.Event


class _Worker(QObject):
    """Lives on the worker thread; never touches widgets or shared state."""

    progressed = Signal(int, int, str)  # serial, percent, message
    succeeded = Signal(int, object)
    errored = Signal(int, str)
    cancelled = Signal(int)

    @Slot(object)
    def run(self, ticket: _Ticket[Any]) -> None:
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
            log.exception("%s failed", type(ticket.request).__name__)
            self.errored.emit(ticket.serial, f"Internal error: {type(error).__name__}: {error}")
        else:
            self.succeeded.emit(ticket.serial, result)


class InferenceBridge(QObject):
    """Submit requests from the main thread; their outcomes go to the callbacks given.

    Signals, for the window's status bar (they never carry a result)
    -------
    progress(int, str)
        The running job's percent and message.
    busy_changed(bool)
        True when the worker starts on a request, False when nothing runs or waits.
    cancelled(object)
        A request (running or waiting) was cancelled; its callbacks are never called.
    failed(str)
        A request submitted without ``on_failed`` failed: the message for an error dialog.
    """

    progress = Signal(int, str)
    busy_changed = Signal(bool)
    cancelled = Signal(object)
    failed = Signal(str)

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
        self._current: _Ticket[Any] | None = None
        self._waiting: deque[_Ticket[Any]] = deque()
        self._busy = False
        self._thread.start()

    @property
    def busy(self) -> bool:
        """True while a request runs or waits."""
        return self._busy

    def submit(
        self,
        request: Request[T],
        on_done: Callable[[T], object],
        on_failed: Callable[[str], object] | None = None,
        policy: Policy = Policy.REPLACE,
    ) -> int:
        """Run ``request`` as ``policy`` says; returns its serial number (for :meth:`cancel`).

        ``on_done(result)`` is called on the main thread when the job succeeds,
        ``on_failed(message)`` when it raises (without it, :attr:`failed` is emitted). Neither
        is called for a request that was cancelled or replaced.
        """
        self._serial += 1
        ticket = _Ticket(self._serial, request, on_done, on_failed, threading.Event())
        if policy is Policy.REPLACE or self._current is None:
            self._cancel_ticket(self._current)
            self._start(ticket)
        else:
            self._waiting.append(ticket)
        return ticket.serial

    def cancel(self, serial: int | None = None) -> None:
        """Cancel one request by its serial, or (None) the running one and all that wait.

        A running job stops at its next step and its result is dropped; a waiting one never
        starts.
        """
        for ticket in list(self._waiting):
            if serial is None or ticket.serial == serial:
                self._waiting.remove(ticket)
                self.cancelled.emit(ticket.request)
        if self._current is not None and serial in (None, self._current.serial):
            self._cancel_ticket(self._current)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Cancel any work and stop the thread; call before the application quits.

        The running job stops at its next step, and shutdown waits for it. The thread is
        never terminated: killing a thread in the middle of Python code (importing torch, say)
        can leave the interpreter's lock held, and the whole process then hangs for good, out
        of reach of Ctrl+C or any timeout. After ``timeout_ms`` the wait is logged; it waits
        in short slices so that signals are still handled meanwhile.
        """
        self.cancel()
        self._thread.quit()
        waited = 0
        while not self._thread.wait(50):
            waited += 50
            if waited - 50 < timeout_ms <= waited:  # said once
                log.warning("closing: waiting for the running task to reach its next step")

    # -- bookkeeping, all on the main thread ---------------------------------------------------

    @staticmethod
    def _cancel_ticket(ticket: _Ticket[Any] | None) -> None:
        if ticket is not None:
            ticket.cancel.set()

    def _start(self, ticket: _Ticket[Any]) -> None:
        self._current = ticket
        self._dispatch.emit(ticket)
        self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    def _take(self, serial: int) -> _Ticket[Any] | None:
        """Retire the current ticket if ``serial`` is it; None for a stale serial.

        A ticket cancelled before its result came back is retired as a cancellation.
        """
        ticket = self._current
        if ticket is None or ticket.serial != serial:
            return None
        self._current = None
        if ticket.cancel.is_set():
            self.cancelled.emit(ticket.request)
            self._next()
            return None
        return ticket

    def _next(self) -> None:
        """Start the first waiting request, unless a callback already started one."""
        if self._current is not None:
            return
        if self._waiting:
            self._start(self._waiting.popleft())
        else:
            self._set_busy(False)

    @Slot(int, int, str)
    def _on_progressed(self, serial: int, percent: int, message: str) -> None:
        if self._current is not None and self._current.serial == serial:
            self.progress.emit(percent, message)

    @Slot(int, object)
    def _on_succeeded(self, serial: int, result: object) -> None:
        ticket = self._take(serial)
        if ticket is not None:
            try:
                ticket.on_done(result)
            finally:
                self._next()

    @Slot(int, str)
    def _on_errored(self, serial: int, message: str) -> None:
        ticket = self._take(serial)
        if ticket is not None:
            try:
                if ticket.on_failed is not None:
                    ticket.on_failed(message)
                else:
                    self.failed.emit(message)
            finally:
                self._next()

    @Slot(int)
    def _on_cancelled(self, serial: int) -> None:
        ticket = self._current
        if ticket is not None and ticket.serial == serial:
            self._current = None
            self.cancelled.emit(ticket.request)
            self._next()
