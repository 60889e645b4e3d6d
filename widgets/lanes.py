"""The timeline's lanes above and below the waveform: parts, sections and count numbers.

All the parts (and all the sections) are one :class:`BandLane` item that paints the bands in
view, with the longest label that fits; count numbers come from a small pool of text items,
because only the beats in view ever show one. Everything is placed in seconds (x) and lane
units (y); the view converts to pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

PART_COLORS = ("#26a69a", "#7e57c2", "#ef6c00", "#29b6f6", "#d81b60", "#9ccc65")
SECTION_COLORS = {
    "Intro": "#546e7a",
    "Verse": "#3949ab",
    "Pre-Chorus": "#8e24aa",
    "Chorus": "#e53935",
    "Bridge": "#00897b",
    "Break": "#6d4c41",
    "Outro": "#546e7a",
}
_OTHER_SECTION_COLOR = "#5d6d7e"
LABEL_COLOR = "#eceff1"
LABEL_PADDING = 4  # pixels between a band's edge and its label


@dataclass(frozen=True)
class LaneGeometry:
    """Where a lane sits on the y axis (lane units, the waveform spans -1..1)."""

    bottom: float
    top: float


class TimeViewBox(pg.ViewBox):
    """The x-only view of the timeline and the clip lanes, navigated as in a DAW.

    The wheel scrolls (either wheel direction), Ctrl+wheel zooms around the mouse, a left drag
    on empty space pans; y never moves and pyqtgraph's right-button zoom box is off.
    """

    MIN_VISIBLE_SECONDS = 0.5

    def wheelEvent(self, event: object, axis: int | None = None) -> None:
        delta = event.delta()  # type: ignore[attr-defined]
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # type: ignore[attr-defined]
            center = self.mapSceneToView(event.scenePos()).x()  # type: ignore[attr-defined]
            self.zoom_x(0.8 if delta > 0 else 1.25, center)
        else:
            low, high = self.viewRange()[0]
            self.scroll_x(-0.1 * (high - low) * float(np.sign(delta)))
        event.accept()  # type: ignore[attr-defined]

    def zoom_x(self, factor: float, center: float | None = None) -> None:
        """Zoom by ``factor`` (< 1 zooms in), keeping ``center`` (seconds) where it is."""
        low, high = self.viewRange()[0]
        center = (low + high) / 2 if center is None else center
        width = max((high - low) * factor, self.MIN_VISIBLE_SECONDS)
        share = (center - low) / (high - low) if high > low else 0.5
        self.setXRange(center - share * width, center - share * width + width, padding=0)

    def scroll_x(self, seconds: float) -> None:
        low, high = self.viewRange()[0]
        self.setXRange(low + seconds, high + seconds, padding=0)

    def mouseDragEvent(self, event: object, axis: int | None = None) -> None:
        if event.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            super().mouseDragEvent(event, axis=0)
        else:
            event.ignore()  # type: ignore[attr-defined]


def section_color(label: str) -> str:
    """A colour per kind of section, so "Chorus 2" matches "Chorus"."""
    kind = label.rstrip("0123456789 ()").strip()
    return SECTION_COLORS.get(kind, _OTHER_SECTION_COLOR)


@dataclass(frozen=True)
class Band:
    """One part or section as drawn: seconds, a long and a short label, a colour."""

    start: float
    end: float
    long_text: str
    short_text: str
    color: str


def fitted_label(metrics: QFontMetrics, long_text: str, short_text: str, width: float) -> str:
    """The label that fits ``width`` pixels: the long one, else the long one cut short with an
    ellipsis while that still says more than the short one, else the short one, else none."""
    room = width - 2 * LABEL_PADDING
    if metrics.horizontalAdvance(long_text) <= room:
        return long_text
    elided = metrics.elidedText(long_text, Qt.TextElideMode.ElideRight, int(room))
    if len(elided) > len(short_text) + 2 and elided != "…":
        return elided
    return short_text if metrics.horizontalAdvance(short_text) <= room else ""


class PaintedItem(pg.GraphicsObject):
    """An item that paints many things itself (in pixels), within bounds it is given."""

    def __init__(self, bounds: QRectF) -> None:
        super().__init__()
        self._bounds = bounds
        self.font = QFont()
        self.font.setPointSizeF(8.5)

    def set_bounds(self, rect: QRectF) -> None:
        """Cover ``rect`` (data coordinates) and repaint."""
        if rect != self._bounds:
            self.prepareGeometryChange()
            self._bounds = rect
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds


class BandLane(PaintedItem):
    """Every part (or section) of the song, painted in one item: only the bands in view.

    One graphics item per band made opening a song of many parts cost seconds; here a lane
    is a pass over the bands (their times as arrays) and painting is bounded by the pixels.
    """

    def __init__(self, view: pg.ViewBox, lane: LaneGeometry) -> None:
        super().__init__(QRectF(0.0, lane.bottom, 1.0, lane.top - lane.bottom))
        self._view = view
        self.lane = lane
        self.bands: list[Band] = []
        self._starts = np.zeros(0)
        self._ends = np.zeros(0)
        self._brushes: dict[str, QBrush] = {}
        view.addItem(self, ignoreBounds=True)

    def show(self, bands: Sequence[Band]) -> None:
        """Draw ``bands`` (in time order)."""
        self.bands = list(bands)
        self._starts = np.array([b.start for b in self.bands], dtype=np.float64)
        self._ends = np.array([b.end for b in self.bands], dtype=np.float64)
        end = float(self._ends.max()) if self.bands else 1.0
        height = self.lane.top - self.lane.bottom
        self.set_bounds(QRectF(0.0, self.lane.bottom, max(end, 1.0), height))

    def index_at(self, x: float, y: float) -> int | None:
        """The position of the band under data point ``(x, y)``, if any."""
        if not self.lane.bottom <= y <= self.lane.top or not self.bands:
            return None
        i = int(np.searchsorted(self._starts, x, side="right")) - 1
        return i if i >= 0 and x < self._ends[i] else None

    def label_shown(self, index: int) -> str:
        """The label band ``index`` shows at the current zoom (what :meth:`paint` draws)."""
        band = self.bands[index]
        low, high = self._view.viewRange()[0]
        pixels = (band.end - band.start) * self._view.width() / max(high - low, 1e-9)
        return fitted_label(QFontMetrics(self.font), band.long_text, band.short_text, pixels)

    def _brush(self, color: str) -> QBrush:
        if color not in self._brushes:
            self._brushes[color] = QBrush(_translucent(color))
        return self._brushes[color]

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if not self.bands:
            return
        low, high = self._view.viewRange()[0]
        first = int(np.searchsorted(self._ends, low, side="right"))
        last = int(np.searchsorted(self._starts, high, side="left"))
        if last <= first:
            return
        to_pixels = painter.transform()
        painter.save()
        painter.resetTransform()  # pixels from here: crisp borders and text at every zoom
        painter.setFont(self.font)
        metrics = QFontMetrics(self.font)
        left_px = to_pixels.map(QPointF(low, 0.0)).x()
        height = self.lane.top - self.lane.bottom
        # At most one band per pixel column: the others would not show anyway.
        xs = np.array([to_pixels.map(QPointF(t, 0.0)).x() for t in (low, high)])
        scale = (xs[1] - xs[0]) / max(high - low, 1e-12)
        columns = np.floor((self._starts[first:last] - low) * scale)
        _, keep = np.unique(columns, return_index=True)
        border = QPen(QColor("#101116"), 1)
        for i in first + keep:
            band = self.bands[int(i)]
            rect = to_pixels.mapRect(
                QRectF(band.start, self.lane.bottom, band.end - band.start, height)
            )
            painter.setPen(border)
            painter.setBrush(self._brush(band.color))
            painter.drawRect(rect)
            # The label stays readable when the band begins off screen.
            text_rect = QRectF(max(rect.left(), left_px), rect.top(), 0, rect.height())
            text_rect.setRight(rect.right())
            label = fitted_label(metrics, band.long_text, band.short_text, text_rect.width())
            if label:
                painter.setPen(QColor(LABEL_COLOR))
                painter.drawText(
                    text_rect.adjusted(LABEL_PADDING, 0, -LABEL_PADDING, 0),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
        painter.restore()


def _translucent(color: str) -> QColor:
    fill = QColor(color)
    fill.setAlpha(150)
    return fill


class CountLabels:
    """Count numbers (1-8, or 1-6 in 3/4) under the beats in view, from a pool of text items."""

    MAX_SHOWN = 400  # more than a screen's worth at the zoom where counts appear

    def __init__(self, view: pg.ViewBox, y: float) -> None:
        self._view = view
        self._y = y
        self._pool: list[pg.TextItem] = []

    def show(self, times: Sequence[float], counts: Sequence[tuple[int, int]]) -> None:
        """Label each beat time with its count in the part; pickup counts are dimmed."""
        shown = min(len(times), self.MAX_SHOWN)
        while len(self._pool) < shown:
            item = pg.TextItem(anchor=(0.5, 0.5))
            self._view.addItem(item)
            self._pool.append(item)
        for i, item in enumerate(self._pool):
            if i >= shown:
                item.hide()
                continue
            part, count = counts[i]
            item.setText(str(count))
            item.setColor("#ffca28" if count == 1 and part else "#b0bec5" if part else "#607d8b")
            item.setPos(times[i], self._y)
            item.show()

    def visible_texts(self) -> list[tuple[float, str]]:
        """``(time, text)`` of every shown label (for tests and accessibility)."""
        return [(float(i.pos().x()), i.textItem.toPlainText()) for i in self._pool if i.isVisible()]
