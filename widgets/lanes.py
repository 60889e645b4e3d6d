"""The timeline's lanes above and below the waveform: parts, sections and count numbers.

Each part and each section gets one :class:`BandItem`, kept in step with the model by
:class:`BandLane`; count numbers come from a small pool of text items, because only the beats in
view ever show one. Everything is placed in seconds (x) and lane units (y); the view converts to
pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

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


@dataclass(frozen=True)
class LaneGeometry:
    """Where a lane sits on the y axis (lane units, the waveform spans -1..1)."""

    bottom: float
    top: float


def section_color(label: str) -> str:
    """A colour per kind of section, so "Chorus 2" matches "Chorus"."""
    kind = label.rstrip("0123456789 ()").strip()
    return SECTION_COLORS.get(kind, _OTHER_SECTION_COLOR)


class BandItem(QGraphicsRectItem):
    """One part or section: a coloured band from ``start`` to ``end`` with a label."""

    def __init__(self, lane: LaneGeometry, color: str) -> None:
        super().__init__()
        self._lane = lane
        fill = QColor(color)
        fill.setAlpha(150)
        self.setBrush(QBrush(fill))
        pen = QPen(QColor("#101116"))
        pen.setCosmetic(True)  # one pixel at every zoom
        pen.setWidth(1)
        self.setPen(pen)
        self.label = pg.TextItem(color=LABEL_COLOR, anchor=(0, 0.5))
        self.label.setParentItem(self)
        self.long_text = ""
        self.short_text = ""
        self.start = 0.0
        self.end = 0.0

    def place(self, start: float, end: float, long_text: str, short_text: str) -> None:
        self.start, self.end = start, end
        self.long_text, self.short_text = long_text, short_text
        height = self._lane.top - self._lane.bottom
        self.setRect(QRectF(start, self._lane.bottom, max(end - start, 1e-6), height))
        self.label.setPos(start, self._lane.bottom + height / 2)

    def fit_label(self, seconds_per_pixel: float) -> None:
        """Show the long label where it fits, a short one where it does not, none when tiny."""
        width_px = (self.end - self.start) / max(seconds_per_pixel, 1e-9)
        if width_px > 7.5 * len(self.long_text) + 8:
            self.label.setText(self.long_text)
        elif width_px > 7.5 * len(self.short_text) + 6:
            self.label.setText(self.short_text)
        else:
            self.label.setText("")


class BandLane:
    """Keeps one :class:`BandItem` per band in ``view``; reuses items when the bands change."""

    def __init__(self, view: pg.ViewBox, lane: LaneGeometry) -> None:
        self._view = view
        self.lane = lane
        self.items: list[BandItem] = []

    def show(self, bands: Sequence[tuple[float, float, str, str, str]]) -> None:
        """Draw ``bands`` as ``(start, end, long label, short label, colour)``."""
        while len(self.items) > len(bands):
            self._view.removeItem(self.items.pop())
        for i, (start, end, long_text, short_text, color) in enumerate(bands):
            if i == len(self.items):
                item = BandItem(self.lane, color)
                self._view.addItem(item)
                self.items.append(item)
            else:
                item = self.items[i]
                item.setBrush(QBrush(_translucent(color)))
            item.place(start, end, long_text, short_text)

    def fit_labels(self, seconds_per_pixel: float) -> None:
        for item in self.items:
            item.fit_label(seconds_per_pixel)

    def index_at(self, x: float, y: float) -> int | None:
        """The position of the band under data point ``(x, y)``, if any."""
        if not self.lane.bottom <= y <= self.lane.top:
            return None
        for i, item in enumerate(self.items):
            if item.start <= x < item.end:
                return i
        return None


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
