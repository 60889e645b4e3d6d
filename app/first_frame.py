"""Start-up work that waits until the studio window's first frame is on screen.

Qt serves zero-delay timers before the window's first expose event, so work queued with
``QTimer.singleShot(0, ...)`` right after ``show()`` (crash recovery, opening the file given
on the command line, the first run's demo song, the tour) ran before the window had painted
anything. The song then decoded on the worker thread while the main thread painted the
widgets and composed them with the 3D view through OpenGL: on software OpenGL (Mesa's
llvmpipe) and two busy cores the two fought over the cores and Python's interpreter lock,
and the mapped window stayed black for 0.3 s to a second. Run after the first frame, the same
work no longer delays it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

FALLBACK_MS = 2000
"""Run the work anyway when no frame came this long after show() (a window started
minimised, a platform that never exposes it): the start must never wait for good."""


class AfterFirstFrame(QObject):
    """Calls ``callbacks`` in order once ``window`` (shown already) has drawn its first frame.

    Qt draws a window's first frame while it handles the window's first expose event, so a
    zero-delay timer started from that event runs once the frame has been flushed to the
    screen.
    """

    def __init__(
        self, window: QWidget, callbacks: list[Callable[[], object]], fallback_ms: int = FALLBACK_MS
    ) -> None:
        super().__init__(window)
        self._callbacks = callbacks
        self._shown_at = time.perf_counter()
        handle = window.windowHandle()
        if handle is None or handle.isExposed():
            QTimer.singleShot(0, self, self._run)
            return
        handle.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, lambda: self._run("no frame yet"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The filter sees the expose before the window handles it, that is, paints.
        if (
            event.type() == QEvent.Type.Expose
            and isinstance(watched, QWindow)
            and watched.isExposed()
        ):
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, lambda: self._run("first frame"))
        return False

    def _run(self, why: str = "first frame") -> None:
        if not self._callbacks:
            return  # the frame came, and then the fallback
        waited_ms = (time.perf_counter() - self._shown_at) * 1000
        log.info("%s %.0f ms after show: the start-up work begins", why, waited_ms)
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()
