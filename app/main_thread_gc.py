"""Python's cycle collector, run on the GUI thread only.

CPython runs its cycle collector in whichever thread happens to allocate when a threshold is
crossed. When that is the inference worker and the garbage holds Qt objects (the widgets of a
closed window or dialog), the worker destroys them, while the GUI thread may be destroying
their relatives: each thread then waits for a lock the other holds (Qt's per-object lock and
the interpreter lock) and the studio freezes for good, out of reach of Ctrl+C. gdb showed
exactly that in the GUI tests: the worker in ``~QObject`` waiting for the interpreter lock,
the GUI thread in ``~QAction`` waiting for the object lock.

So automatic collection is switched off while the studio runs, and a timer on the GUI thread
collects instead, with the interpreter's own thresholds: cycles made on the worker wait at
most one tick. Reference counting, which frees almost everything, is unaffected.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

TICK_MS = 250


class MainThreadCollector(QObject):
    """Owns the collector while it lives: :meth:`stop` hands it back to the interpreter."""

    def __init__(self, parent: QObject | None = None, tick_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(tick_ms)

    def collect_due(self) -> int | None:
        """Collect the oldest generation whose count is past its threshold, as CPython would;
        returns the generation collected, or None."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if self._thresholds[generation] and counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return generation
        return None

    def stop(self) -> None:
        """Collect once more here, on the GUI thread, then give collection back."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
