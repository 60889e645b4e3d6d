"""The count timeline: waveform, beats, count numbers, parts, sections and the playhead.

Seconds on x everywhere; pixels only appear here, when deciding what is worth drawing. The view
observes the project and never edits it: every edit is a request signal (in seconds and beat
indices) that the window turns into one undo command.

Mouse and keys
--------------
* The ruler on top: click to move the playhead, drag to scrub.
* Wheel scrolls; Ctrl+wheel (or ``+``/``-``) zooms around the mouse; arrow keys scroll;
  "Fit" shows the whole song.
* Two modes, shown above the lanes. Navigating (the default), a click seeks and nothing else.
  Editing beats (``E``), a click also selects the beat nearest to it (within a few pixels),
  which shows a handle that can be dragged (one move request on release); a double-click
  inserts a beat, Delete removes the selected one and ``1`` makes it count 1.
* Right-click on a part or section opens its menu (rename, merge, split here).
* A loop (of a part or A–B) is shaded; drag its edges to change it.

Beats are drawn as two batched line items (downbeats stronger) rather than one item per beat:
a 10-minute song has well over a thousand beats, and only the selected one needs to be a
draggable item of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QCursor, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget

from app.model import BeatGrid, Part, Project, Song
from inference.audio import part_counts
from inference.audio.grid import beats_per_part
from inference.waveform import WaveformPeaks, level_of_detail
from widgets.lanes import (
    PART_COLORS,
    Band,
    BandLane,
    CountLabels,
    LaneGeometry,
    TimeViewBox,
    section_color,
)

WAVE_COLOR = "#5c6bc0"
BEAT_COLOR = (255, 255, 255, 70)
DOWNBEAT_COLOR = (255, 202, 40, 200)
PROVISIONAL_COLOR = (255, 255, 255, 110)
PLAYHEAD_COLOR = "#ff5252"
HANDLE_COLOR = "#00e5ff"
BACKGROUND = "#1e1f26"
BEAT_EDIT_BACKGROUND = "#23262f"  # a shade lighter while editing beats: the mode shows
LOOP_BRUSH = (255, 214, 0, 45)
LOOP_EDGE_COLOR = "#ffd600"
NAVIGATE_HINT = "Navigate: click or drag the ruler to move the playhead · E edits beats"
BEAT_EDIT_HINT = (
    "Editing beats: click selects a beat, drag it to move · double-click adds · "
    "Delete removes · 1 sets count 1 · E to stop"
)

WAVE = LaneGeometry(-1.0, 1.0)
PARTS = LaneGeometry(1.12, 1.52)
SECTIONS = LaneGeometry(1.6, 2.0)
COUNTS_Y = -1.22
Y_RANGE = (-1.38, 2.04)

TIMELINE_GESTURES = (
    ("Click / drag the ruler", "move the playhead / scrub"),
    ("Wheel", "scroll the timeline"),
    ("Ctrl+wheel", "zoom around the mouse"),
    ("+ / −, ← / →", "zoom, scroll (timeline focused)"),
    ("E", "edit beats on / off; then click a beat, drag it, double-click adds one"),
    ("Delete / 1", "delete the selected beat / make it count 1 (editing beats)"),
    ("Right-click a part or section", "rename, merge, split"),
    ("Drag a loop edge", "change the loop"),
)
"""Mouse and key gestures of the timeline, for the shortcut help (they are no actions)."""
MIN_VISIBLE_SECONDS = TimeViewBox.MIN_VISIBLE_SECONDS
COUNTS_MIN_PIXELS_PER_BEAT = 16.0  # below this the numbers would overlap
PICK_PIXELS = 8.0  # how near a click must be to a beat to select it
FOLLOW_MARGIN = 0.85  # page when the playhead passes this share of the view


def vertical_segments(times: np.ndarray, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """x, y arrays drawing one vertical line per time with ``connect="pairs"``."""
    x = np.repeat(np.asarray(times, dtype=np.float64), 2)
    y = np.tile(np.array([low, high]), len(times))
    return x, y


class BandEdit(StrEnum):
    """What a part or section menu asks for (the payload of the edit request signals)."""

    RENAME = "rename"
    MERGE = "merge"  # with the next one
    SPLIT = "split"


class RulerAxis(pg.AxisItem):
    """The time ruler: a click puts the playhead there, a drag scrubs."""

    def __init__(self, on_seek: Callable[[float], None]) -> None:
        super().__init__("top")
        self._on_seek = on_seek

    def _seconds(self, event: object) -> float:
        view = self.linkedView()
        return float(view.mapSceneToView(event.scenePos()).x())  # type: ignore[attr-defined]

    def mouseClickEvent(self, event: object) -> None:
        if event.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            event.accept()  # type: ignore[attr-defined]
            self._on_seek(self._seconds(event))

    def mouseDragEvent(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            event.ignore()  # type: ignore[attr-defined]
            return
        event.accept()  # type: ignore[attr-defined]
        self._on_seek(self._seconds(event))

    def wheelEvent(self, event: object) -> None:
        view = self.linkedView()
        if view is not None:
            view.wheelEvent(event)


def part_texts(project: Project, part: Part) -> tuple[str, str]:
    """The long and short label of a part block: its name (with its number when the user named
    it), and how many counts a short part has; the short label is the number."""
    named = project.part_names.get(part.index)
    long_text = f"{part.index} · {named}" if named else f"Part {part.index}"
    if part.n_beats < beats_per_part(project.beat_grid.meter):
        long_text += f" · {part.n_beats} counts"
    return long_text, str(part.index)


class TimelineView(QWidget):
    """Waveform, beats, counts, parts, sections and playhead of a :class:`Project`."""

    seek_requested = Signal(float)
    beat_move_requested = Signal(int, float)
    beat_insert_requested = Signal(float)
    beat_delete_requested = Signal(int)
    count_one_requested = Signal(int)
    part_edit_requested = Signal(object, int, float)  # a BandEdit, part index, time
    section_edit_requested = Signal(object, int, float)  # same, section position (0-based), time
    loop_edit_requested = Signal(float, float)  # the loop's new start and end, seconds
    beat_edit_changed = Signal(bool)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._peaks: WaveformPeaks | None = None
        self._lod: dict[int, WaveformPeaks] = {}
        self._counts: tuple[tuple[int, int], ...] = ()
        self.selected_beat: int | None = None
        self.follow_playhead = True
        self.beat_edit = False

        self.view = TimeViewBox()
        self.ruler = RulerAxis(lambda seconds: self.seek_requested.emit(max(0.0, seconds)))
        self.plot = pg.PlotWidget(
            background=BACKGROUND, viewBox=self.view, axisItems={"top": self.ruler}
        )
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getAxis("left").hide()
        self.plot.hideAxis("bottom")
        self.plot.showAxis("top")
        self.ruler.setLabel("time", units="s")
        self.ruler.setToolTip("Click to move the playhead; drag to scrub")
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
        self.loop_region = pg.LinearRegionItem(
            values=(0.0, 1.0), movable=False, brush=LOOP_BRUSH, pen=pg.mkPen(LOOP_EDGE_COLOR)
        )
        for edge in self.loop_region.lines:
            edge.setMovable(True)  # the edges drag; the body leaves clicks and pans alone
            edge.setPen(pg.mkPen(LOOP_EDGE_COLOR, width=2))
        self.loop_region.setZValue(-5)
        self.loop_region.hide()
        self.plot.addItem(self.loop_region)
        self.loop_region.sigRegionChangeFinished.connect(self._on_loop_dragged)
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
        self.plot.keyPressEvent = self._on_key

        self.mode_button = QToolButton()
        self.mode_button.setText("Edit beats (E)")
        self.mode_button.setCheckable(True)
        self.mode_button.setToolTip("While on, a click on the waveform selects a beat to edit")
        self.mode_button.toggled.connect(self.set_beat_edit)
        self.mode_label = QLabel(NAVIGATE_HINT)
        self.mode_label.setObjectName("timelineMode")
        self.fit_button = QToolButton()
        self.fit_button.setText("Fit")
        self.fit_button.setToolTip("Zoom to show the whole song (Ctrl+0)")
        self.fit_button.clicked.connect(self.zoom_to_fit)
        header = QHBoxLayout()
        header.setContentsMargins(6, 2, 6, 0)
        header.addWidget(self.mode_button)
        header.addWidget(self.mode_label, 1)
        header.addWidget(self.fit_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
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

    def set_beat_edit(self, on: bool) -> None:
        """Switch between navigating (a click only seeks) and editing beats; both show."""
        if on == self.beat_edit:
            return
        self.beat_edit = on
        self.mode_button.blockSignals(True)
        self.mode_button.setChecked(on)
        self.mode_button.blockSignals(False)
        self.mode_label.setText(BEAT_EDIT_HINT if on else NAVIGATE_HINT)
        self.plot.setBackground(BEAT_EDIT_BACKGROUND if on else BACKGROUND)
        if not on:
            self.select_beat(None)
        self.beat_edit_changed.emit(on)

    def set_loop(self, loop: tuple[float, float] | None) -> None:
        """Shade the loop region (or hide it); no edit request echoes back."""
        if loop is None:
            self.loop_region.hide()
            return
        self.loop_region.blockSignals(True)
        self.loop_region.setRegion(loop)
        self.loop_region.blockSignals(False)
        self.loop_region.show()

    def loop_shown(self) -> tuple[float, float] | None:
        """The shaded loop region, or None."""
        if not self.loop_region.isVisible():
            return None
        low, high = self.loop_region.getRegion()
        return float(low), float(high)

    def _on_loop_dragged(self, region: pg.LinearRegionItem) -> None:
        low, high = sorted(float(v) for v in region.getRegion())
        self.loop_edit_requested.emit(max(0.0, low), high)

    def zoom_to_fit(self) -> None:
        """Show the whole song (or everything on the timeline when there is no song)."""
        grid = self._project.beat_grid
        song = self._project.song
        ends = [grid.duration, song.duration if song else 0.0]
        if self._peaks is not None:
            ends.append(len(self._peaks.minimum) * self._peaks.bin_seconds)
        if self._project.parts:
            ends.append(self._project.parts[-1].end)
        end = max(ends)
        self.show_range(0.0, end if end > 0 else 10.0)

    def visible_range(self) -> tuple[float, float]:
        low, high = self.view.viewRange()[0]
        return float(low), float(high)

    def show_range(self, low: float, high: float) -> None:
        """Zoom to show ``low``..``high`` seconds."""
        self.plot.setXRange(low, high, padding=0)

    def zoom(self, factor: float) -> None:
        """Zoom in (factor < 1) or out around the middle of the view."""
        self.view.zoom_x(factor)

    def scroll_by(self, fraction: float) -> None:
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
            Band(p.start, p.end, *part_texts(project, p), PART_COLORS[(p.index - 1) % 6])
            for p in project.parts
        ]
        self.parts_lane.show(bands)
        self._on_range_changed()

    def _on_sections_changed(self, *_: object) -> None:
        bands = [
            Band(s.start, s.end, s.label, s.label[:1], section_color(s.label))
            for s in self._project.sections
        ]
        self.sections_lane.show(bands)
        self._on_range_changed()

    # -- drawing -----------------------------------------------------------------------------

    def _seconds_per_pixel(self) -> float:
        low, high = self.visible_range()
        return max(high - low, 1e-3) / max(1.0, float(self.view.width()))

    def _on_range_changed(self, *_: object) -> None:
        self._redraw_waveform()
        self._redraw_counts(self._seconds_per_pixel())

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
        """A left click at data point ``(x, y)``: seek; while editing beats, also select the
        beat near it, or insert one on a double-click."""
        if double:
            if self.beat_edit and WAVE.bottom <= y <= WAVE.top:
                self.beat_insert_requested.emit(max(0.0, x))
            return
        if self.beat_edit:
            self.select_beat(self.nearest_beat(x))
        self.seek_requested.emit(max(0.0, x))

    def context_menu(self, x: float, y: float) -> QMenu | None:
        """The menu for the part or section under ``(x, y)``; None elsewhere."""
        part = self.parts_lane.index_at(x, y)
        section = self.sections_lane.index_at(x, y)
        menu = QMenu(self)
        if part is not None:
            self._part_menu(menu, self._project.parts[part], x)
        elif section is not None:
            for action, text in (
                (BandEdit.RENAME, "Rename Section…"),
                (BandEdit.MERGE, "Merge with Next Section"),
                (BandEdit.SPLIT, "Split Section Here"),
            ):
                menu.addAction(text).triggered.connect(
                    lambda _=False, a=action: self.section_edit_requested.emit(a, section, x)
                )
        else:
            return None
        return menu

    def _part_menu(self, menu: QMenu, part: Part, x: float) -> None:
        index, parts = part.index, self._project.parts
        entries = [(BandEdit.RENAME, index, "Rename Part…")]
        if index < len(parts):
            entries.append((BandEdit.MERGE, index, "Merge with Next Part"))
        short = part.n_beats < beats_per_part(self._project.beat_grid.meter)
        if short and index == len(parts) and index > 1:
            # The song's trailing partial 8-count: keep it as a short part, or fold it in.
            entries.append((BandEdit.MERGE, index - 1, f"Merge into Part {index - 1}"))
        entries.append((BandEdit.SPLIT, index, "Split Part at Beat Here"))
        for action, target, text in entries:
            menu.addAction(text).triggered.connect(
                lambda _=False, a=action, t=target: self.part_edit_requested.emit(a, t, x)
            )

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
            self.scroll_by(-0.25 if key == Qt.Key.Key_Left else 0.25)
        elif key == Qt.Key.Key_E:
            self.set_beat_edit(not self.beat_edit)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and selected is not None:
            self.beat_delete_requested.emit(selected)
        elif key == Qt.Key.Key_1 and selected is not None:
            self.count_one_requested.emit(selected)
        else:
            event.ignore()
            return
        event.accept()
