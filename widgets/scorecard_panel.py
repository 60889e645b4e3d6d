"""The scorecard panel: per-part bars and curves over the song, the parts' verdicts and styles.

It shows a :class:`~inference.assess.scorecard_card.Scorecard` handed to it (it owns no state
of the project and computes nothing). Bars stand where their parts are on the song's timeline,
over the green band of real dance (p10-p90) and its median; the curves below share the time
axis. A click on a bar, on the curves or on a row of the part list emits :attr:`part_clicked`
with the part's number; the window selects that part on the timeline.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inference.assess.scorecard_card import PartScore, Scorecard
from inference.assess.scorecard_figures import METRIC, METRICS
from inference.assess.scorecard_report import BAR_FLAGGED, flagged_issues, real_group, shown

PLOT_BACKGROUND = (30, 31, 36)
BAR_COLOR = (74, 123, 208)
BAND_COLOR = (127, 191, 127, 70)
SELECTED_COLOR = (255, 210, 80, 60)
PANEL_METRICS = tuple(m.key for m in METRICS if not m.whole_only)
COLUMNS = ("Part", "Section", "Figure", "Style", "Verdict")
"""The style before the verdict: the verdict is the column that stretches and is elided in a
narrow dock (its tooltip holds it whole), and the style stays in view."""
CURVES_TIP = (
    "Over the song, beat by beat: the music's energy (orange), the body's speed scaled to the "
    "same height (blue) and each beat's BAS term (purple dots: 1 when the body stops on the "
    "beat). Click to select the part under the mouse."
)


def clicked_x(plot: pg.PlotWidget, event: object) -> float | None:
    """The data x of a mouse click on ``plot``'s scene, or ``None`` outside its plot area."""
    pos = event.scenePos()  # type: ignore[attr-defined]
    view = plot.getPlotItem().getViewBox()
    if not view.sceneBoundingRect().contains(pos):
        return None
    point: QPointF = view.mapSceneToView(pos)
    return float(point.x())


def _style_cell(part: PartScore) -> tuple[str, str]:
    """The part's style in short ("salsa/samba 75%", "unknown"), and in full for the tooltip."""
    if part.style is None:
        return "–", "Not classified (no dance here)"
    top = part.style.top(1)
    short = part.style.style
    if top and top[0][0] == short:
        short = f"{short} {top[0][1]:.0%}"
    return short, f"Style: {part.style.text()}"


class ScorecardPanel(QWidget):
    """Per-part bars, curves over time and the part list of one scorecard."""

    part_clicked = Signal(int)
    export_requested = Signal(str)  # "html" or "pdf"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card: Scorecard | None = None
        self.selected_part: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.style_label = QLabel("Style: –")
        # Wrapped: a user style's long name must not widen the dock column (and squeeze the
        # timeline) the way one unbroken line would.
        self.style_label.setWordWrap(True)
        self.style_label.setToolTip(
            "The style the classifier reads in the routine, with its probabilities. "
            "“mixed”: two styles share it; “unknown”: it looks like none it knows."
        )
        self.status_label = QLabel("")
        self.export_button = QToolButton()
        self.export_button.setText("Export report")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction("HTML…").triggered.connect(lambda: self.export_requested.emit("html"))
        menu.addAction("PDF…").triggered.connect(lambda: self.export_requested.emit("pdf"))
        self.export_button.setMenu(menu)
        self.export_button.setEnabled(False)
        top.addWidget(self.style_label, 1)
        top.addWidget(self.status_label)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.summary_label = QLabel("Generate or import a routine to score it.")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        row = QHBoxLayout()
        self.metric_box = QComboBox()
        for i, key in enumerate(PANEL_METRICS):
            self.metric_box.addItem(METRIC[key].name, key)
            self.metric_box.setItemData(i, METRIC[key].explanation, Qt.ItemDataRole.ToolTipRole)
        self.metric_box.currentIndexChanged.connect(self._on_metric_changed)
        self.real_label = QLabel("")
        row.addWidget(self.metric_box)
        row.addWidget(self.real_label, 1)
        layout.addLayout(row)
        self.bars = pg.PlotWidget(background=PLOT_BACKGROUND)
        self.bars.setMinimumHeight(70)
        # No SI rescaling: pyqtgraph would tick a 0-1 BAS as 0-1000 and put the "(x0.001)"
        # that says so at the end of an axis label the narrow panel cuts off.
        self.bars.getAxis("left").enableAutoSIPrefix(False)
        self.bars.setMouseEnabled(x=False, y=False)
        self.bars.hideButtons()
        self.curves = pg.PlotWidget(background=PLOT_BACKGROUND)
        self.curves.setMinimumHeight(60)
        self.curves.setMouseEnabled(x=False, y=False)
        self.curves.hideButtons()
        self.curves.setXLink(self.bars)
        self.curves.setToolTip(CURVES_TIP)
        for plot in (self.bars, self.curves):
            plot.scene().sigMouseClicked.connect(
                lambda event, p=plot: self._on_plot_clicked(p, event)
            )
            layout.addWidget(plot, 1)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)  # one line a part; the full verdict is its tooltip
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Verdict"), QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(60)
        self.table.cellClicked.connect(self._on_row_clicked)
        layout.addWidget(self.table, 2)
        self._selection_items: list[pg.LinearRegionItem] = []
        self._redraw_bars()

    def sizeHint(self) -> QSize:
        # Small, so that the dock column keeps the width the Generate panel gives it (the plots
        # and the table would ask for far more, squeezing the timeline).
        return QSize(240, 360)

    # -- feeding -------------------------------------------------------------------------------

    def set_pending(self, pending: bool) -> None:
        """Show that a new scorecard is being computed (the old one stays on screen)."""
        self.status_label.setText("Updating…" if pending else "")

    def set_message(self, text: str) -> None:
        """A line instead of (or about) the scorecard: nothing to score, or why it failed."""
        self.summary_label.setText(text)
        self.set_pending(False)

    def set_scorecard(self, card: Scorecard | None) -> None:
        """Show ``card`` (None clears the panel)."""
        self.card = card
        self.set_pending(False)
        self.export_button.setEnabled(card is not None)
        if card is None:
            self.style_label.setText("Style: –")
            self.summary_label.setText("Generate or import a routine to score it.")
        else:
            style = card.style.text() if card.style is not None else "not classified"
            self.style_label.setText(f"Style: {style}")
            self.summary_label.setText(card.summary)
        self._fill_table()
        self._redraw_bars()
        self._redraw_curves()
        self._show_selection()

    @property
    def metric(self) -> str:
        return str(self.metric_box.currentData())

    def set_metric(self, key: str) -> None:
        self.metric_box.setCurrentIndex(PANEL_METRICS.index(key))

    # -- drawing -------------------------------------------------------------------------------

    def _on_metric_changed(self, *_: object) -> None:
        self._fill_table()
        self.select_part(self.selected_part)
        self._redraw_bars()

    def _parts(self) -> tuple[PartScore, ...]:
        return self.card.parts if self.card is not None else ()

    def _redraw_bars(self, *_: object) -> None:
        key = self.metric
        metric = METRIC[key]
        self.bars.clear()
        self.bars.setToolTip(
            metric.explanation + " Green: real dance, p10 to p90; dashed: its median. "
            "Red bars break a verdict rule. Click a bar to select its part."
        )
        self.bars.setLabel("left", metric.unit or metric.name)
        parts = self._parts()
        self.real_label.setText("")
        if not parts or self.card is None:
            return
        values = np.array([p.figures.get(key, math.nan) for p in parts]) * metric.scale
        starts = np.array([p.start for p in parts])
        widths = np.array([p.end - p.start for p in parts])
        ok = np.isfinite(values)
        flagged = np.array([bool(flagged_issues(p, key)) for p in parts])
        brushes = [pg.mkBrush(BAR_FLAGGED if f else BAR_COLOR) for f in flagged[ok]]
        if ok.any():
            self.bars.addItem(
                pg.BarGraphItem(
                    x0=starts[ok] + 0.08 * widths[ok],
                    width=0.84 * widths[ok],
                    height=values[ok],
                    brushes=brushes,
                    pen=pg.mkPen(None),
                )
            )
        p10, med, p90 = (v * metric.scale for v in self.card.real_part(key, real_group(key)))
        if math.isfinite(p10) and math.isfinite(p90):
            band = pg.LinearRegionItem(
                (p10, p90),
                orientation="horizontal",
                movable=False,
                brush=pg.mkBrush(BAND_COLOR),
                pen=pg.mkPen(None),
            )
            band.setZValue(-10)
            self.bars.addItem(band)
            self.real_label.setText(
                f"real dance: {shown(key, p10 / metric.scale)} – {shown(key, p90 / metric.scale)}"
            )
        if math.isfinite(med):
            self.bars.addItem(
                pg.InfiniteLine(
                    med, angle=0, pen=pg.mkPen((47, 127, 47), style=Qt.PenStyle.DashLine)
                )
            )
        self.bars.setXRange(parts[0].start, parts[-1].end, padding=0.01)
        self._selection_items = [i for i in self._selection_items if i.scene() is not None]
        self._show_selection()

    def _redraw_curves(self) -> None:
        self.curves.clear()
        if self.card is None:
            return
        c = self.card.curves
        t = np.asarray(c.times, dtype=np.float64)
        if t.size == 0:
            return
        music = np.asarray(c.music_energy, dtype=np.float64)
        speed = np.asarray(c.motion_energy, dtype=np.float64)
        top = np.nanmax(speed) if np.isfinite(speed).any() else 1.0
        align = np.asarray(c.alignment, dtype=np.float64)
        self.curves.plot(t, music, pen=pg.mkPen((224, 138, 30), width=1.5), connect="finite")
        self.curves.plot(
            t, speed / max(top, 1e-9), pen=pg.mkPen((74, 123, 208), width=1.5), connect="finite"
        )
        ok = np.isfinite(align)
        self.curves.plot(
            t[ok], align[ok], pen=None, symbol="o", symbolSize=4, symbolBrush=(122, 63, 176)
        )
        self.curves.setYRange(0, 1.05, padding=0)

    def _fill_table(self) -> None:
        parts = self._parts()
        self.table.setRowCount(len(parts))
        tips = {
            "Part": "The part's number (8 counts each)",
            "Section": "The song's section: repeated sections share a name (Chorus, Chorus 2)",
            "Figure": "The figure chosen above, for this part",
            "Style": "The style the classifier reads in this part, with its probabilities",
            "Verdict": "What stands out against real dance, in plain words",
        }
        for col, name in enumerate(COLUMNS):
            header = self.table.horizontalHeaderItem(col)
            if header is not None:
                header.setToolTip(tips[name])
        key = self.metric
        for row, p in enumerate(parts):
            verdict = p.verdict.split(": ", 1)[-1]  # the row already names the part
            cells = (
                (str(p.index), p.label),
                (p.section, p.section),
                (shown(key, p.figures.get(key, math.nan)), METRIC[key].name),
                _style_cell(p),
                (verdict, p.verdict),
            )
            for col, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, p.index)
                item.setToolTip(tip)
                self.table.setItem(row, col, item)
        # No resizeColumnsToContents(): it also sizes the stretched Verdict column to its text
        # when the panel is a hidden tab, pushing the table past the dock (the header's modes
        # size every column already).

    # -- selection -----------------------------------------------------------------------------

    def part_at(self, seconds: float) -> int | None:
        """The number of the part at song time ``seconds``, if any."""
        for p in self._parts():
            if p.start <= seconds < p.end:
                return p.index
        return None

    def click_at(self, seconds: float) -> None:
        """A click on the plots at song time ``seconds`` (also used by tests)."""
        index = self.part_at(seconds)
        if index is not None:
            self.select_part(index)
            self.part_clicked.emit(index)

    def select_part(self, index: int | None) -> None:
        """Highlight part ``index`` (None: nothing) in the plots and the list."""
        self.selected_part = index
        self._show_selection()
        rows = [r for r, p in enumerate(self._parts()) if p.index == index]
        self.table.blockSignals(True)
        if rows:
            self.table.selectRow(rows[0])
            self.table.scrollTo(self.table.model().index(rows[0], 0))
        else:
            self.table.clearSelection()
        self.table.blockSignals(False)

    def _show_selection(self) -> None:
        for item in self._selection_items:
            if item.scene() is not None:
                item.scene().removeItem(item)
        self._selection_items = []
        part = next((p for p in self._parts() if p.index == self.selected_part), None)
        if part is None:
            return
        for plot in (self.bars, self.curves):
            region = pg.LinearRegionItem(
                (part.start, part.end), movable=False, brush=pg.mkBrush(SELECTED_COLOR)
            )
            region.setZValue(-20)
            plot.addItem(region)
            self._selection_items.append(region)

    def _on_row_clicked(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is None:
            return
        index = int(item.data(Qt.ItemDataRole.UserRole))
        self.select_part(index)
        self.part_clicked.emit(index)

    def _on_plot_clicked(self, plot: pg.PlotWidget, event: object) -> None:
        x = clicked_x(plot, event)
        if x is not None:
            self.click_at(x)
