"""The count timeline: waveform, beats, count numbers, parts, sections and the playhead.

Seconds on x everywhere; pixels only appear here, when deciding what is worth drawing. The view
observes the project and never edits it: every edit is a request signal (in seconds and beat
indices) that the window turns into one undo command.

Mouse and keys
--------------
* Wheel scrolls; Ctrl+wheel (or ``+``/``-``) zooms around the mouse; arrow keys scroll.
* A click seeks and selects the beat nearest to it (within a few pixels); the selected beat
  shows a handle that can be dragged: one move request is sent on release.
* A double-click inserts a beat; Delete removes the selected beat; ``1`` makes it count 1.
* Right-click on a part or section opens its menu (rename, merge with next, split here).

Beats are drawn as two batched line items (downbeats stronger) rather than one item per beat:
a 10-minute song has well over a thousand beats, and only the selected one needs to be a
draggable item of its own.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QCursor, QKeyEvent
from PySide6.QtWidgets import QMenu, QVBoxLayout, QWidget

from app.model import BeatGrid, Project, Song
from inference.audio import part_counts
from inference.waveform import WaveformPeaks, level_of_detail
from widgets.lanes import (
    PART_COLORS,
    BandLane,
    CountLabels,
    LaneGeometry,
    section_color,
)

WAVE_COLOR = "#5c6bc0"
BEAT_COLOR = (255, 255, 255, 70)
DOWNBEAT_COLOR = (255, 202, 40, 200)
PROVISIONAL_COLOR = (255, 255, 255, 110)
PLAYHEAD_COLOR = "#ff5252"
HANDLE_COLOR = "#00e5ff"

WAVE = LaneGeometry(-1.0, 1.0)
PARTS = LaneGeometry(1.12, 1.52)
SECTIONS = LaneGeometry(1.6, 2.0)
COUNTS_Y = -1.22
Y_RANGE = (-1.38, 2.04)

MIN_VISIBLE_SECONDS = 0.5
COUNTS_MIN_PIXELS_PER_BEAT = 16.0  # below this the numbers would overlap
PICK_PIXELS = 8.0  # how near a click must be to a beat to select it
FOLLOW_MARGIN = 0.85  # page when the playhead passes this share of the view


def vertical_segments(times: np.ndarray, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """x, y arrays drawing one vertical line per time with ``connect="pairs"``."""
    x = np.repeat(np.asarray(times, dtype=np.float64), 2)
    y = np.tile(np.array([low, high]), len(times))
    return x, y


class _TimelineViewBox(pg.ViewBox):
    """Wheel scrolls, Ctrl+wheel zooms around the mouse; y never moves."""

    def wheelEvent(self, event: object, axis: int | None = None) -> None:
        delta = event.delta()  # type: ignore[attr-defined]
        low, high = self.viewRange()[0]
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # type: ignore[attr-defined]
            center = self.mapSceneToView(event.scenePos()).x()  # type: ignore[attr-defined]
            self.zoom_x(0.8 if delta > 0 else 1.25, center)
        else:
            self.scroll_x(-0.1 * (high - low) * np.sign(delta))
        event.accept()  # type: ignore[attr-defined]

    def zoom_x(self, factor: float, center: float | None = None) -> None:
        low, high = self.viewRange()[0]
        center = (low + high) / 2 if center is None else center
        width = max((high - low) * factor, MIN_VISIBLE_SECONDS)
        share = (center - low) / (high - low) if high > low else 0.5
        self.setXRange(center - share * width, center - share * width + width, padding=0)

    def scroll_x(self, seconds: float) -> None:
        low, high = self.viewRange()[0]
        self.setXRange(low + seconds, high + seconds, padding=0)

    def mouseDragEvent(self, event: object, axis: int | None = None) -> None:
        # Left drag pans in x; the right-button "zoom box" of pyqtgraph is not wanted here.
        if event.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            super().mouseDragEvent(event, axis=0)
        else:
            event.ignore()  # type: ignore[attr-defined]


class TimelineView(QWidget):
    """Waveform, beats, counts, parts, sections and playhead of a :class:`Project`."""

    seek_requested = Signal(float)
    beat_move_requested = Signal(int, float)
    beat_insert_requested = Signal(float)
    beat_delete_requested = Signal(int)
    count_one_requested = Signal(int)
    part_edit_requested = Signal(str, int, float)  # "rename"/"merge"/"split", part index, time
    section_edit_requested = Signal(str, int, float)  # same, section position (0-based), time

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._peaks: WaveformPeaks | None = None
        self._lod: dict[int, WaveformPeaks] = {}
        self._counts: tuple[tuple[int, int], ...] = ()
        self.selected_beat: int | None = None
        self.follow_playhead = True

        self.view = _TimelineViewBox()
        self.plot = pg.PlotWidget(background="#1e1f26", viewBox=self.view)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getAxis("left").hide()
        self.plot.setLabel("bottom", "time", units="s")
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.setYRange(*Y_RANGE, padding=0)
        self.view.setLimits(yMin=Y_RANGE[0], yMax=Y_RANGE[1], xMin=0, minXRange=MIN_VISIBLE_SECONDS)
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self._wave = pg.PlotDataItem(pen=pg.mkPen(WAVE_COLOR, width=1), connect="pairs")
        self._beats = pg.PlotDataItem(pen=pg.mkPen(BEAT_COLOR, width=1), connect="pairs")
        self._downbeats = pg.PlotDataItem(pen=pg.mkPen(DOWNBEAT_COLOR, width=2), connect="pairs")
        self._provisional = pg.PlotDataItem(
            pen=pg.mkPen(PROVISIONAL_COLOR, width=1, style=Qt.PenStyle.DashLine), connect="pairs"
        )
        self.parts_lane = BandLane(self.view, PARTS)
        self.sections_lane = BandLane(self.view, SECTIONS)
        self.count_labels = CountLabels(self.view, COUNTS_Y)
        self.beat_handle = pg.InfiniteLine(
            angle=90, movable=True, pen=pg.mkPen(HANDLE_COLOR, width=3)
        )
        self.beat_handle.hide()
        self.playhead = pg.InfiniteLine(
            pos=0.0, angle=90, movable=True, pen=pg.mkPen(PLAYHEAD_COLOR, width=2)
        )
        for item in (self._wave, self._provisional, self._beats, self._downbeats):
            self.plot.addItem(item)
        self.plot.addItem(self.beat_handle)
        self.plot.addItem(self.playhead)
        self.playhead.setZValue(20)
        self.beat_handle.setZValue(19)
        self.playhead.sigPositionChangeFinished.connect(
            lambda line: self.seek_requested.emit(float(line.value()))
        )
        self.beat_handle.sigPositionChangeFinished.connect(self._on_handle_released)
        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.view.sigXRangeChanged.connect(self._on_range_changed)
        self.plot.keyPressEvent = self._on_key  # type: ignore[method-assign]

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

        events = project.events
        events.song_changed.connect(self._on_song_changed)
        events.beat_grid_changed.connect(self._on_beat_grid_changed)
        events.parts_changed.connect(self._on_parts_changed)
        events.part_names_changed.connect(self._on_parts_changed)
        events.sections_changed.connect(self._on_sections_changed)
        self._on_beat_grid_changed(project.beat_grid)
        self._on_sections_changed()

    # -- data in -----------------------------------------------------------------------------

    def set_waveform(self, peaks: WaveformPeaks | None) -> None:
        """Show the min/max peaks of the song (derived data, computed off the main thread)."""
        self._peaks = peaks
        self._lod = {}
        if peaks is not None:
            duration = len(peaks.minimum) * peaks.bin_seconds
            self.view.setLimits(xMax=duration)
            self.plot.setXRange(0, duration, padding=0)
        self._redraw_waveform()

    def set_provisional_beats(self, grid: BeatGrid | None) -> None:
        """Quick beats drawn dashed while the full analysis runs (not part of the project)."""
        times = np.asarray(grid.beats if grid is not None else ())
        self._provisional.setData(*vertical_segments(times, -0.8, 0.8))

    def set_playhead(self, seconds: float) -> None:
        """Move the playhead (no seek echoes back); page the view to follow it if asked."""
        self.playhead.blockSignals(True)
        self.playhead.setValue(seconds)
        self.playhead.blockSignals(False)
        if self.follow_playhead:
            low, high = self.visible_range()
            if not low <= seconds <= low + FOLLOW_MARGIN * (high - low):
                width = high - low
                start = max(0.0, seconds - (1 - FOLLOW_MARGIN) * width)
                self.plot.setXRange(start, start + width, padding=0)

    def set_gutter(self, pixels: int) -> None:
        """Leave a blank column of ``pixels`` on the left, so lanes below with names line up."""
        axis = self.plot.getAxis("left")
        axis.setWidth(pixels)
        axis.setTicks([[], []])
        axis.setStyle(showValues=False, tickLength=0)
        axis.setPen(pg.mkPen(None))
        self.plot.showAxis("left")

    def set_follow_playhead(self, follow: bool) -> None:
        self.follow_playhead = follow

    def visible_range(self) -> tuple[float, float]:
        low, high = self.view.viewRange()[0]
        return float(low), float(high)

    def show_range(self, low: float, high: float) -> None:
        """Zoom to show ``low``..``high`` seconds."""
        self.plot.setXRange(low, high, padding=0)

    def zoom(self, factor: float) -> None:
        """Zoom in (factor < 1) or out around the middle of the view."""
        self.view.zoom_x(factor)

    def scroll(self, fraction: float) -> None:
        """Scroll by a share of the visible width (negative: towards the start)."""
        low, high = self.visible_range()
        self.view.scroll_x(fraction * (high - low))

    def waveform_point_count(self) -> int:
        """How many points the waveform item draws now (it is bounded by the width)."""
        x, _ = self._wave.getData()
        return 0 if x is None else len(x)

    # -- model events ------------------------------------------------------------------------

    def _on_song_changed(self, song: Song | None) -> None:
        if song is None:
            self.set_waveform(None)

    def _on_beat_grid_changed(self, grid: BeatGrid) -> None:
        downbeats = set(grid.downbeat_indices)
        beats = np.asarray(grid.beats, dtype=np.float64)
        plain = np.asarray([b for i, b in enumerate(grid.beats) if i not in downbeats])
        self._beats.setData(*vertical_segments(plain, -1.0, 1.0))
        self._downbeats.setData(*vertical_segments(beats[list(downbeats)], -1.0, 1.0))
        if self.selected_beat is not None and self.selected_beat >= len(grid.beats):
            self.selected_beat = None
        self._update_handle()
        self._on_parts_changed()

    def _on_parts_changed(self, *_: object) -> None:
        project = self._project
        grid, parts = project.beat_grid, project.parts
        # A command sets the grid and then the parts: in between, the old parts may point past
        # the new grid's beats. Count without them until the parts arrive.
        fits = all(p.first_beat + p.n_beats <= len(grid.beats) for p in parts)
        self._counts = part_counts(grid, parts if fits else ())
        bands = [
            (
                p.start,
                p.end,
                project.part_label(p),
                str(p.index),
                PART_COLORS[(p.index - 1) % len(PART_COLORS)],
            )
            for p in project.parts
        ]
        self.parts_lane.show(bands)
        self._on_range_changed()

    def _on_sections_changed(self, *_: object) -> None:
        bands = [
            (s.start, s.end, s.label, s.label[:1], section_color(s.label))
            for s in self._project.sections
        ]
        self.sections_lane.show(bands)
        self._on_range_changed()

    # -- drawing -----------------------------------------------------------------------------

    def _seconds_per_pixel(self) -> float:
        low, high = self.visible_range()
        return max(high - low, 1e-3) / max(1, self.view.width())

    def _on_range_changed(self, *_: object) -> None:
        self._redraw_waveform()
        spp = self._seconds_per_pixel()
        self.parts_lane.fit_labels(spp)
        self.sections_lane.fit_labels(spp)
        self._redraw_counts(spp)

    def _redraw_counts(self, seconds_per_pixel: float) -> None:
        grid = self._project.beat_grid
        period = 60.0 / grid.tempo_bpm if grid.tempo_bpm else 0.0
        if period / seconds_per_pixel < COUNTS_MIN_PIXELS_PER_BEAT:
            self.count_labels.show((), ())
            return
        low, high = self.visible_range()
        beats = np.asarray(grid.beats)
        first, last = np.searchsorted(beats, [low, high])
        self.count_labels.show(beats[first:last].tolist(), self._counts[first:last])

    def _level(self, factor: int) -> WaveformPeaks:
        """Peaks merged by a power of two, cached, so zooming never re-merges the whole song."""
        assert self._peaks is not None
        if factor not in self._lod:
            self._lod[factor] = level_of_detail(self._peaks, factor)
        return self._lod[factor]

    def _redraw_waveform(self) -> None:
        """Draw only the visible bins, merged so there are one to two per pixel."""
        if self._peaks is None:
            self._wave.setData([], [])
            return
        low, high = self.visible_range()
        bins_per_pixel = self._seconds_per_pixel() / self._peaks.bin_seconds
        factor = 1 << max(0, int(np.floor(np.log2(max(bins_per_pixel, 1.0)))))
        peaks = self._level(factor)
        first = max(0, int(low / peaks.bin_seconds) - 1)
        last = min(len(peaks.minimum), int(high / peaks.bin_seconds) + 2)
        times = peaks.times[first:last]
        x = np.repeat(times, 2)
        y = np.empty(2 * len(times))
        y[0::2] = peaks.minimum[first:last]
        y[1::2] = peaks.maximum[first:last]
        self._wave.setData(x, y)

    def _update_handle(self) -> None:
        beats = self._project.beat_grid.beats
        if self.selected_beat is None or self.selected_beat >= len(beats):
            self.beat_handle.hide()
            return
        self.beat_handle.blockSignals(True)
        self.beat_handle.setValue(beats[self.selected_beat])
        self.beat_handle.blockSignals(False)
        self.beat_handle.show()

    # -- input, in data coordinates ----------------------------------------------------------

    def nearest_beat(self, seconds: float, max_pixels: float = PICK_PIXELS) -> int | None:
        """The beat within ``max_pixels`` of ``seconds`` at the current zoom, if any."""
        beats = np.asarray(self._project.beat_grid.beats)
        if beats.size == 0:
            return None
        i = int(np.argmin(np.abs(beats - seconds)))
        if abs(beats[i] - seconds) > max_pixels * self._seconds_per_pixel():
            return None
        return i

    def select_beat(self, index: int | None) -> None:
        self.selected_beat = index
        self._update_handle()

    def click(self, x: float, y: float, double: bool = False) -> None:
        """A left click at data point ``(x, y)``: seek and select, or insert on a double-click."""
        if double:
            if WAVE.bottom <= y <= WAVE.top:
                self.beat_insert_requested.emit(max(0.0, x))
            return
        self.select_beat(self.nearest_beat(x))
        self.seek_requested.emit(max(0.0, x))

    def context_menu(self, x: float, y: float) -> QMenu | None:
        """The menu for the part or section under ``(x, y)``; None elsewhere."""
        part = self.parts_lane.index_at(x, y)
        section = self.sections_lane.index_at(x, y)
        menu = QMenu(self)
        if part is not None:
            index = self._project.parts[part].index
            for action, text in (("rename", "Rename Part…"), ("merge", "Merge with Next Part")):
                menu.addAction(text).triggered.connect(
                    lambda _=False, a=action: self.part_edit_requested.emit(a, index, x)
                )
            menu.addAction("Split Part at Beat Here").triggered.connect(
                lambda: self.part_edit_requested.emit("split", index, x)
            )
        elif section is not None:
            for action, text in (
                ("rename", "Rename Section…"),
                ("merge", "Merge with Next Section"),
                ("split", "Split Section Here"),
            ):
                menu.addAction(text).triggered.connect(
                    lambda _=False, a=action: self.section_edit_requested.emit(a, section, x)
                )
        else:
            return None
        return menu

    def _on_scene_clicked(self, event: object) -> None:
        position = event.scenePos()  # type: ignore[attr-defined]
        if not self.view.sceneBoundingRect().contains(position):
            return
        point: QPointF = self.view.mapSceneToView(position)
        button = event.button()  # type: ignore[attr-defined]
        if button == Qt.MouseButton.RightButton:
            menu = self.context_menu(point.x(), point.y())
            if menu is not None:
                menu.exec(QCursor.pos())
        elif button == Qt.MouseButton.LeftButton:
            self.click(point.x(), point.y(), double=event.double())  # type: ignore[attr-defined]
        self.plot.setFocus()

    def _on_handle_released(self, line: pg.InfiniteLine) -> None:
        if self.selected_beat is not None:
            self.beat_move_requested.emit(self.selected_beat, float(line.value()))
            self._update_handle()  # back onto the beat if the model refused the move

    def _on_key(self, event: QKeyEvent) -> None:
        key = event.key()
        selected = self.selected_beat
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(0.5)
        elif key == Qt.Key.Key_Minus:
            self.zoom(2.0)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.scroll(-0.25 if key == Qt.Key.Key_Left else 0.25)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and selected is not None:
            self.beat_delete_requested.emit(selected)
        elif key == Qt.Key.Key_1 and selected is not None:
            self.count_one_requested.emit(selected)
        else:
            event.ignore()
            return
        event.accept()
