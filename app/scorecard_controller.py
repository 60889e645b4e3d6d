"""Keeps the scorecard panel up to date: after each generation or edit, the scored dancer
track is measured again on the worker, never on the UI thread.

Edits arrive as bursts of model events (one generation adds a clip per part), so they are
debounced: the request goes out :data:`DEBOUNCE_MS` after the last one. It is submitted with
``Policy.QUEUE``, so a scorecard never cancels a generation or an analysis the user waits for.
At most one scorecard is in flight: an edit made meanwhile marks it stale, its result is not
shown, and one fresh scorecard follows it. The track is assembled into one motion on the worker
too (:func:`assemble_track`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.bridge import InferenceBridge, Policy
from app.model import MotionAsset, Project, StyleTag, Track
from app.model.style_tags import style_examples, tag_example
from app.model.track_sampling import assemble_track
from inference.assess.scorecard_card import Scorecard, scorecard_job
from inference.assess.scorecard_style import StyleRead
from inference.audio import Part, SongAnalysis
from inference.jobs import Job, Progress
from widgets.scorecard_panel import ScorecardPanel

DEBOUNCE_MS = 400
FPS = 30.0
_EVENTS = (
    "clip_added",
    "clip_removed",
    "clip_moved",
    "clip_trimmed",
    "clip_changed",
    "beat_grid_changed",
    "parts_changed",
    "part_names_changed",
    "sections_changed",
    "track_removed",
    "style_tags_changed",
    "user_moves_changed",
)


@dataclass(frozen=True, eq=False)
class ScoreTrackRequest:
    """Score one dancer track: a snapshot of the track, the motions it uses and the song, and
    the examples of the user's own styles (tagged stretches and the motions they are of)."""

    track: Track
    motions: Mapping[str, MotionAsset]
    analysis: SongAnalysis
    names: tuple[tuple[int, str], ...] = ()
    examples: tuple[StyleTag, ...] = ()
    example_motions: Mapping[str, MotionAsset] = field(default_factory=dict)

    def job(self) -> Job[Scorecard]:
        yield Progress(0, f"Scorecard: assembling {self.track.name}")
        n_frames = max(1, round(self.analysis.duration * FPS))
        motion = assemble_track(self.track, self.motions, n_frames, FPS)
        spans = tuple((c.start, c.end) for c in self.track.clips)
        # The examples are cut from their motions here, on the worker.
        examples = [tag_example(t, self.example_motions[t.motion_id]) for t in self.examples]
        card: Scorecard = yield from scorecard_job(
            motion,
            self.analysis,
            self.track.name,
            spans,
            dict(self.names),
            style_examples=examples,
        )
        return card


class ScorecardController(QObject):
    """Scores the current dancer track whenever the routine or the song's parts change."""

    message = Signal(str)
    updated = Signal(object)  # the new Scorecard
    clip_styles_changed = Signal(object)  # {clip id: StyleRead or None} of the scored track

    def __init__(
        self,
        bridge: InferenceBridge,
        panel: ScorecardPanel,
        analysis: Callable[[], SongAnalysis],
        track: Callable[[], Track | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._panel = panel
        self._analysis = analysis
        self._track = track
        self._project = Project()
        self._serial: int | None = None
        self._request: ScoreTrackRequest | None = None
        self._stale = False
        self.card: Scorecard | None = None
        self.track_id: str | None = None
        self.clip_styles: dict[str, StyleRead | None] = {}
        """The style of each clip of the scored track, as the last scorecard read it."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        bridge.cancelled.connect(self._on_cancelled)

    def set_project(self, project: Project) -> None:
        """Watch ``project``; the panel is cleared until its first scorecard."""
        self._project = project
        for name in _EVENTS:
            getattr(project.events, name).connect(self.schedule)
        self._show(None, {})
        self.schedule()

    def schedule(self, *_: object) -> None:
        """Refresh after the burst of edits this one belongs to."""
        self._timer.start()

    @property
    def busy(self) -> bool:
        """True while a scorecard waits or runs on the worker."""
        return self._request is not None

    def refresh(self) -> bool:
        """Submit a scorecard of the current track now (or after the one in flight); False when
        there is nothing to score."""
        self._timer.stop()
        if self._request is not None:
            self._stale = True
            return True
        project = self._project
        track = self._track()
        if track is None or not track.clips or project.song is None or not project.parts:
            self._show(None, {})
            return False
        all_motions = project.motions
        motions = {c.motion_id: all_motions[c.motion_id] for c in track.clips}
        names = tuple((p.index, project.part_label(p)) for p in project.parts)
        examples = tuple(t for tags in style_examples(project).values() for t in tags)
        self._request = ScoreTrackRequest(
            track,
            motions,
            self._analysis(),
            names,
            examples,
            {t.motion_id: all_motions[t.motion_id] for t in examples},
        )
        self._stale = False
        self._panel.set_pending(True)
        self._bridge.submit(self._request, self._on_done, self._on_failed, policy=Policy.QUEUE)
        self.track_id = track.id
        return True

    def _finish(self) -> bool:
        """The request in flight is over; True when its result is still the current one."""
        self._request = None
        if self._stale:
            self.refresh()
            return False
        return True

    def _on_done(self, card: Scorecard) -> None:
        request = self._request
        if not self._finish() or request is None:
            return
        ids = [c.id for c in request.track.clips]
        styles = dict(zip(ids, card.span_styles, strict=True)) if card.span_styles else {}
        self._show(card, styles)
        self.updated.emit(card)
        self.message.emit(f"Scorecard updated ({card.seconds:.1f} s).")

    def _show(self, card: Scorecard | None, clip_styles: dict[str, StyleRead | None]) -> None:
        self.card, self.clip_styles = card, clip_styles
        self._panel.set_scorecard(card)
        self.clip_styles_changed.emit(clip_styles)

    def _on_failed(self, message: str) -> None:
        if self._finish():
            self._panel.set_message(f"The scorecard could not be computed: {message}")

    def _on_cancelled(self, request: object) -> None:
        if request is self._request:
            self._request = None
            self._panel.set_pending(False)

    # -- selection and export ------------------------------------------------------------------

    def part(self, index: int) -> Part | None:
        return next((p for p in self._project.parts if p.index == index), None)

    def clip_for_part(self, index: int) -> str | None:
        """The scored track's clip that covers most of part ``index``."""
        part = self.part(index)
        if part is None or self.track_id is None:
            return None
        try:
            track = self._project.track(self.track_id)
        except KeyError:
            return None
        best, overlap = None, 0.0
        for clip in track.clips:
            o = min(clip.end, part.end) - max(clip.start, part.start)
            if o > overlap:
                best, overlap = clip.id, o
        return best

    def export(self, kind: str, path: Path) -> Path:
        """Write the current scorecard as an HTML or PDF report."""
        from inference.assess.scorecard_report import report_html, write_report_html

        if self.card is None:
            raise ValueError("no scorecard to export")
        title = f"Scorecard: {self._project.name}"
        if kind == "html":
            return write_report_html(self.card, path, title)
        return write_pdf(report_html(self.card, title), path)


def write_pdf(html: str, path: Path) -> Path:
    """The HTML report as an A4 PDF, through Qt's rich-text engine (the plots are SVG images,
    drawn as vectors). Written to a temporary file and renamed, as every export."""
    import os
    import tempfile

    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    fd, tmp = tempfile.mkstemp(suffix=".pdf", dir=path.parent)
    os.close(fd)
    try:
        writer = QPdfWriter(tmp)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
        writer.setResolution(110)
        writer.setTitle("EightCount scorecard")
        document = QTextDocument()
        document.setHtml(html)
        document.print_(writer)
        del writer  # flushes and closes the file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def install_scorecard(window: Any) -> ScorecardController:
    """The window's scorecard: a dock tabbed with the inspector, and its controller.

    A part clicked in the panel is selected on the timeline: the playhead goes to its start,
    the timeline shows it, and the scored track's clip over it is selected.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget

    panel = ScorecardPanel()
    dock = QDockWidget("Scorecard", window)
    dock.setObjectName("scorecardDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(window.inspector_dock, dock)
    window.scorecard_panel, window.scorecard_dock = panel, dock
    controller = ScorecardController(
        window.bridge,
        panel,
        window.analysis.current_analysis,
        window.motion.target_track,
        window,
    )
    controller.message.connect(window.statusBar().showMessage)

    def select_part(index: int) -> None:
        part = controller.part(index)
        if part is None:
            return
        window.transport.seek(part.start)
        window.timeline.show_range(part.start, part.end)
        clip = controller.clip_for_part(index)
        if clip is not None:
            window.clip_lanes.select(clip)

    def export(kind: str) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        suffix = f".{kind}"
        name, _ = QFileDialog.getSaveFileName(
            window, "Export Scorecard", f"scorecard{suffix}", f"{kind.upper()} (*{suffix})"
        )
        if not name:
            return
        path = Path(name) if name.lower().endswith(suffix) else Path(name + suffix)
        try:
            controller.export(kind, path)
        except (OSError, ValueError) as error:
            QMessageBox.warning(window, "Could not export the scorecard", f"{path}: {error}")
            return
        window.statusBar().showMessage(f"Exported the scorecard to {path}", 8000)

    panel.part_clicked.connect(select_part)
    panel.export_requested.connect(export)
    return controller
