"""Reads the prompt being typed, off the GUI thread, so the Generate panel can say what it got.

The reading runs on a bridge of its own (one more worker thread) rather than on the inference
worker: submitting there replaces the running job, so typing would cancel a generation or a
song analysis, and waiting behind one would leave the line stale for seconds. The reading is
light (spelling, then a small CPU sentence model once it is loaded) and shares nothing with
the generator but the prompt module's caches, which are safe across threads. Only the newest
prompt's line is shown: the bridge drops stale results, and so does the panel.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.bridge import InferenceBridge
from inference.generate.prompt_summary import SummarisePromptRequest
from widgets.parameter_panel import ParameterPanel

SLOW_READING_MS = 400
"""After this long without an answer the line says it is still reading (the first reading
loads the sentence model, seconds on a cold start)."""
READING = "reading the prompt…"


class PromptReader(QObject):
    """Turns ``prompt_typed`` requests into ``summary_ready(prompt, line)``.

    Call :meth:`shutdown` before the application quits: it stops the reader's thread.
    """

    summary_ready = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = InferenceBridge(self)
        self._pending = ""
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(SLOW_READING_MS)
        self._slow.timeout.connect(lambda: self.summary_ready.emit(self._pending, READING))

    def attach(self, panel: ParameterPanel) -> None:
        """Read what ``panel``'s prompt box holds now and whenever its typing pauses."""
        panel.prompt_typed.connect(self.read)
        self.summary_ready.connect(panel.show_prompt_summary)
        self.read(panel.prompt_edit.text())

    def read(self, prompt: str) -> None:
        """Read ``prompt`` on the reader's thread; an empty prompt is answered at once."""
        self._pending = prompt
        if prompt.strip():
            self._bridge.submit(
                SummarisePromptRequest(prompt),
                lambda line: self._answer(prompt, str(line)),
                lambda _message: self._answer(prompt, ""),
            )
            self._slow.start()
        else:
            self._bridge.cancel()
            self._slow.stop()
            self.summary_ready.emit(prompt, "")

    def _answer(self, prompt: str, line: str) -> None:
        if prompt == self._pending:
            self._slow.stop()
        self.summary_ready.emit(prompt, line)

    def shutdown(self) -> None:
        self._slow.stop()
        self._bridge.shutdown()
