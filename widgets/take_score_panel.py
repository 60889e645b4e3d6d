"""The score view of a take: a bar per part, a timing strip per count, the feedback, the notes,
and the last takes of each part.

It draws a :class:`~inference.scoring.ScoreResult` handed to it on the song's time line: each
part's bar spans the part and each count's cell spans the count (coloured by the rules of
:mod:`inference.scoring.report`, so the exported page says the same). A click on a bar or a
cell, or on a feedback line, emits :attr:`seek_requested` with the song time to go to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.model import Take
from app.model.takes import takes_of_part
from inference.audio.grid import BeatGrid, Part
from widgets.scorecard_panel import clicked_x

if TYPE_CHECKING:  # the scoring package loads scipy: it is imported with the first result
    from inference.scoring import ScoreResult
    from inference.scoring.report import CountCell

PLOT_BACKGROUND = (30, 31, 36)
HISTORY_COLUMNS = ("Part", "Last takes (oldest first)", "Best")


class TakeScorePanel(QWidget):
    """Bars, timing strip, feedback and history of one scored take.

    Signals
    -------
    seek_requested(float)
        Go to this song time (a part's start, or a count's).
    export_requested
        Export the report (the Export button).
    sync_by_motion_requested
        Score the take again, lined up by its motion (offered for a silent take).
    """

    seek_requested = Signal(float)
    export_requested = Signal()
    sync_by_motion_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("takeScorePanel")
        self.result: ScoreResult | None = None
        self.parts: tuple[Part, ...] = ()
        self.cells: list[CountCell] = []
        self.title = QLabel("No take scored yet: practise a part, or score a video file.")
        self.title.setWordWrap(True)
        self.export_button = QPushButton("Export Report…")
        self.export_button.setToolTip("One HTML file with the plots, the feedback and the history")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_requested)
        self.sync_button = QPushButton("Line Up by Motion")
        self.sync_button.setToolTip(
            "The take has no soundtrack to place it on the song, so it was started with the "
            "reference. Line its start up by the motion instead (this hides a dancer who is "
            "late all the way through)."
        )
        self.sync_button.clicked.connect(self.sync_by_motion_requested)
        self.sync_button.hide()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.sync_button)
        top.addWidget(self.export_button)

        self.bars = pg.PlotWidget(background=PLOT_BACKGROUND)
        self.bars.setMinimumHeight(90)
        self.bars.setYRange(40, 100, padding=0.02)
        self.bars.setToolTip("Score per part (40–100). Click a bar to go to the part.")
        self.strip = pg.PlotWidget(background=PLOT_BACKGROUND)
        self.strip.setMinimumHeight(50)
        self.strip.setMaximumHeight(70)
        self.strip.setYRange(0, 1, padding=0)
        self.strip.getPlotItem().hideAxis("left")
        self.strip.getPlotItem().getAxis("bottom").setHeight(16)
        self.strip.setXLink(self.bars)
        self.strip.setToolTip(
            "Timing per count: green on time, orange late, blue early. Click a count to go there."
        )
        for plot in (self.bars, self.strip):
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.getPlotItem().getAxis("left").setWidth(30)
            plot.scene().sigMouseClicked.connect(
                lambda event, p=plot: self._on_plot_clicked(p, event)
            )
        self.strip.getPlotItem().showAxis("left")
        self.strip.getPlotItem().getAxis("left").setStyle(showValues=False)

        self.feedback = QListWidget()
        self.feedback.setToolTip("What to fix, part by part. Click a line to go to its part.")
        self.feedback.itemClicked.connect(self._on_feedback_clicked)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color:#8a8fa3;")
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setHorizontalHeaderLabels(HISTORY_COLUMNS)
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.history.setToolTip("The last takes of each part, so progress shows")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.bars, 3)
        layout.addWidget(self.strip, 1)
        layout.addWidget(QLabel("Feedback"))
        layout.addWidget(self.feedback, 2)
        layout.addWidget(self.notes)
        layout.addWidget(QLabel("Take history"))
        layout.addWidget(self.history, 2)

    def sizeHint(self) -> QSize:
        # Small, as the scorecard panel's: the dock column keeps the width the Generate panel
        # gives it (the plots and the table would ask for more, squeezing the timeline).
        return QSize(240, 360)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 240)

    # -- what it shows -------------------------------------------------------------------------

    def set_pending(self, text: str) -> None:
        """A take is being scored: say what, keep the last result on screen."""
        self.title.setText(text)

    def set_message(self, text: str) -> None:
        """Say something about the take (an error) without dropping the last result."""
        self.notes.setText(text)

    def set_result(
        self, result: ScoreResult, parts: Sequence[Part], grid: BeatGrid, take_name: str
    ) -> None:
        """Show ``result`` (a take scored against the project's ``parts`` and ``grid``)."""
        from inference.scoring.report import count_cells

        self.result, self.parts = result, tuple(parts)
        self.cells = count_cells(result.parts, parts, grid)
        overall = f"{result.overall:.0f}" if math.isfinite(result.overall) else "–"
        self.title.setText(
            f"<b>{take_name}</b>: overall <b>{overall}</b> · starts at {result.offset_s:+.2f} s "
            f"of the song ({result.sync})"
        )
        self.export_button.setEnabled(True)
        self.sync_button.setVisible(result.sync == "start")
        self._draw_bars()
        self._draw_strip()
        self.feedback.clear()
        for score in result.parts:
            lines = score.feedback or ("no correction: well done",)
            for line in lines:
                item = QListWidgetItem(f"Part {score.index} ({score.score:.0f}): {line}")
                item.setData(Qt.ItemDataRole.UserRole, score.index)
                self.feedback.addItem(item)
        self.notes.setText("\n".join(f"• {n}" for n in result.notes))

    def set_history(self, takes: Sequence[Take], parts: Sequence[Part]) -> None:
        """One row per part with takes: their scores, oldest first, and the best."""
        rows = [p for p in parts if takes_of_part(takes, p.index)]
        self.history.setRowCount(len(rows))
        for r, part in enumerate(rows):
            scores = [t.score for t in takes_of_part(takes, part.index)]
            trend = " → ".join(f"{s:.0f}" for s in scores)
            for c, text in enumerate((str(part.index), trend, f"{max(scores):.0f}")):
                self.history.setItem(r, c, QTableWidgetItem(text))
        self.history.resizeColumnToContents(0)

    def _draw_bars(self) -> None:
        from inference.scoring.report import score_color

        assert self.result is not None
        self.bars.clear()
        by_index = {p.index: p for p in self.parts}
        shown = [(by_index[s.index], s) for s in self.result.parts if s.index in by_index]
        finite = [(p, s) for p, s in shown if math.isfinite(s.score)]
        if finite:
            self.bars.addItem(
                pg.BarGraphItem(
                    x0=[p.start for p, _ in finite],
                    width=[0.92 * (p.end - p.start) for p, _ in finite],
                    y0=40.0,
                    height=[s.score - 40.0 for _, s in finite],
                    brushes=[pg.mkBrush(score_color(s.score)) for _, s in finite],
                    pens=[pg.mkPen(None)] * len(finite),
                )
            )
        for part, score in shown:
            text = f"{score.score:.0f}" if math.isfinite(score.score) else "–"
            label = pg.TextItem(f"{text}\nPart {part.index}", anchor=(0.5, 1.0), color="w")
            label.setPos((part.start + part.end) / 2, max(score.score, 41) if finite else 41)
            self.bars.addItem(label)
        if shown:
            self.bars.setXRange(shown[0][0].start, shown[-1][0].end, padding=0.02)
        self.bars.setYRange(40, 100, padding=0.02)

    def _draw_strip(self) -> None:
        from inference.scoring.report import timing_color, timing_text

        self.strip.clear()
        if not self.cells:
            return
        self.strip.addItem(
            pg.BarGraphItem(
                x0=[c.start for c in self.cells],
                width=[0.95 * (c.end - c.start) for c in self.cells],
                y0=0.0,
                height=1.0,
                brushes=[pg.mkBrush(timing_color(c.timing_ms)) for c in self.cells],
                pens=[pg.mkPen(None)] * len(self.cells),
            )
        )
        for cell in self.cells:
            off = timing_text(cell.timing_ms)
            text = (
                str(cell.count)
                if off in ("on time", "–")
                else f"{cell.count}\n{cell.timing_ms:+.0f}"
            )
            label = pg.TextItem(text, anchor=(0.5, 0.5), color="k")
            label.setPos((cell.start + cell.end) / 2, 0.5)
            self.strip.addItem(label)
        self.strip.setYRange(0, 1, padding=0)

    # -- clicks --------------------------------------------------------------------------------

    def time_at(self, plot: pg.PlotWidget, seconds: float) -> float | None:
        """Where a click at song time ``seconds`` on ``plot`` goes: the start of the count
        (strip) or of the part (bars) under it, or ``None`` off the take."""
        if plot is self.strip:
            cell = next((c for c in self.cells if c.start <= seconds < c.end), None)
            return None if cell is None else cell.start
        scored = {s.index for s in self.result.parts} if self.result else set()
        part = next(
            (p for p in self.parts if p.index in scored and p.start <= seconds < p.end), None
        )
        return None if part is None else part.start

    def _on_plot_clicked(self, plot: pg.PlotWidget, event: object) -> None:
        x = clicked_x(plot, event)
        target = None if x is None else self.time_at(plot, x)
        if target is not None:
            self.seek_requested.emit(target)

    def _on_feedback_clicked(self, item: QListWidgetItem) -> None:
        index = item.data(Qt.ItemDataRole.UserRole)
        part = next((p for p in self.parts if p.index == index), None)
        if part is not None:
            self.seek_requested.emit(part.start)
