"""MP4 export in the background: the studio stays usable while the video renders.

The export runs on a worker of its own, so it never cancels an analysis or a generation and
never waits behind one. It renders a snapshot of the project taken when it starts (later edits
do not reach the video), on a GL context made on that worker over a surface made here, on the
GUI thread, as Qt requires. Progress and a Cancel button sit in the status bar; cancelling
stops ffmpeg and removes the partial file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QOffscreenSurface
from PySide6.QtWidgets import QProgressBar, QStatusBar, QToolButton

from app.bridge import InferenceBridge
from app.model import Project
from inference.jobs import Job


@dataclass(frozen=True)
class VideoExportRequest:
    """Render ``project`` (a snapshot nobody edits) into ``target`` on the export worker."""

    project: Project
    target: Path
    n_frames: int
    size: tuple[int, int]
    audio: Path | None
    surface: QOffscreenSurface

    def job(self) -> Job[Path]:
        from viewport.export import VideoRequest, export_video, project_source

        source, _ = project_source(self.project)
        request = VideoRequest(self.target, self.n_frames, *self.size, audio=self.audio)
        return export_video(source, request, self.surface)


class VideoExportController(QObject):
    """Starts exports, shows their progress in ``status_bar``, and reports how they ended."""

    message = Signal(str)
    error = Signal(str, str)  # title, text

    def __init__(self, status_bar: QStatusBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = InferenceBridge(self)
        self._bridge.progress.connect(self._on_progress)
        self._bridge.cancelled.connect(self._on_cancelled)
        self._request: VideoExportRequest | None = None
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setFormat("Video %p%")
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel Export")
        self.cancel_button.setToolTip("Stop rendering the video; the partial file is removed")
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.progress_bar, self.cancel_button):
            widget.setVisible(False)
            status_bar.addPermanentWidget(widget)

    @property
    def busy(self) -> bool:
        return self._request is not None

    def start(
        self,
        project: Project,
        target: Path,
        n_frames: int,
        size: tuple[int, int],
        audio: Path | None,
    ) -> bool:
        """Begin rendering ``project`` into ``target``; False (and a message) if one runs."""
        if self._request is not None:
            self.message.emit(f"Already exporting {self._request.target.name}: wait or cancel it.")
            return False
        from viewport.export import ensure_gl_application
        from viewport.offscreen import offscreen_surface

        ensure_gl_application()
        self._request = VideoExportRequest(
            project.snapshot(), target, n_frames, size, audio, offscreen_surface()
        )
        self._show(True)
        self.message.emit(f"Exporting {target.name}…")
        self._bridge.submit(self._request, self._on_done, self._on_failed)
        return True

    def cancel(self) -> None:
        self._bridge.cancel()

    def shutdown(self) -> None:
        """Stop any export (removing its partial file) and the worker; call when closing."""
        self._bridge.shutdown()
        self._finish()

    def _on_progress(self, percent: int, text: str) -> None:
        self.progress_bar.setValue(percent)
        self.progress_bar.setToolTip(text)

    def _on_done(self, path: Any) -> None:
        self._finish()
        self.message.emit(f"Exported {Path(path).name}")

    def _on_failed(self, text: str) -> None:
        target = self._request.target.name if self._request else "the video"
        self._finish()
        self.error.emit("Could not export", f"{target}: {text}")

    def _on_cancelled(self, _request: object) -> None:
        self._finish()
        self.message.emit("Export cancelled.")

    def _finish(self) -> None:
        if self._request is not None:
            self._request.surface.destroy()
            self._request = None
        self._show(False)

    def _show(self, busy: bool) -> None:
        self.progress_bar.setValue(0)
        for widget in (self.progress_bar, self.cancel_button):
            widget.setVisible(busy)
