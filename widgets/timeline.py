"""The timeline: the song's waveform with beat markers and a playhead, in seconds on x.

The view observes the project; it never edits it. A click or a playhead drag asks for a seek
through ``seek_requested``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.model import BeatGrid, Project, Song
from inference.waveform import WaveformPeaks, level_of_detail

WAVE_COLOR = "#5c6bc0"
BEAT_COLOR = (255, 255, 255, 60)
DOWNBEAT_COLOR = (255, 202, 40, 170)
PLAYHEAD_COLOR = "#ff5252"


def _vertical_segments(times: np.ndarray, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """x, y arrays drawing one vertical line per time with ``connect="pairs"``."""
    x = np.repeat(np.asarray(times, dtype=np.float64), 2)
    y = np.tile(np.array([low, high]), len(times))
    return x, y


class TimelineView(QWidget):
    """Waveform, beats and playhead of a :class:`Project`."""

    seek_requested = Signal(float)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._peaks: WaveformPeaks | None = None

        self.plot = pg.PlotWidget(background="#1e1f26")
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=False)
        self.plot.getAxis("left").hide()
        self.plot.setLabel("bottom", "time", units="s")
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.setYRange(-1.05, 1.05, padding=0)
        self.plot.getViewBox().setLimits(yMin=-1.1, yMax=1.1, xMin=0)

        self._wave = pg.PlotDataItem(pen=pg.mkPen(WAVE_COLOR, width=1), connect="pairs")
        self._beats = pg.PlotDataItem(pen=pg.mkPen(BEAT_COLOR, width=1), connect="pairs")
        self._downbeats = pg.PlotDataItem(pen=pg.mkPen(DOWNBEAT_COLOR, width=2), connect="pairs")
        self.playhead = pg.InfiniteLine(
            pos=0.0, angle=90, movable=True, pen=pg.mkPen(PLAYHEAD_COLOR, width=2)
        )
        for item in (self._wave, self._beats, self._downbeats, self.playhead):
            self.plot.addItem(item)
        self.playhead.sigPositionChangeFinished.connect(
            lambda line: self.seek_requested.emit(float(line.value()))
        )
        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.plot.getViewBox().sigXRangeChanged.connect(self._redraw_waveform)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

        project.events.song_changed.connect(self._on_song_changed)
        project.events.beat_grid_changed.connect(self._on_beat_grid_changed)
        self._on_beat_grid_changed(project.beat_grid)

    # -- data in -----------------------------------------------------------------------------

    def set_waveform(self, peaks: WaveformPeaks | None) -> None:
        """Show the min/max peaks of the song (derived data, computed off the main thread)."""
        self._peaks = peaks
        if peaks is not None:
            duration = len(peaks.minimum) * peaks.bin_seconds
            self.plot.getViewBox().setLimits(xMax=duration)
            self.plot.setXRange(0, duration, padding=0)
        self._redraw_waveform()

    def set_playhead(self, seconds: float) -> None:
        """Move the playhead; it does not echo a seek back."""
        self.playhead.blockSignals(True)
        self.playhead.setValue(seconds)
        self.playhead.blockSignals(False)

    def visible_range(self) -> tuple[float, float]:
        low, high = self.plot.getViewBox().viewRange()[0]
        return float(low), float(high)

    # -- model events ------------------------------------------------------------------------

    def _on_song_changed(self, song: Song | None) -> None:
        if song is None:
            self.set_waveform(None)

    def _on_beat_grid_changed(self, grid: BeatGrid) -> None:
        downbeats = set(grid.downbeats)
        plain = [b for b in grid.beats if b not in downbeats]
        self._beats.setData(*_vertical_segments(np.asarray(plain), -1.0, 1.0))
        self._downbeats.setData(*_vertical_segments(np.asarray(grid.downbeats), -1.05, 1.05))

    # -- drawing -----------------------------------------------------------------------------

    def _redraw_waveform(self) -> None:
        """Draw only the visible bins, merged so there are about two per pixel."""
        if self._peaks is None:
            self._wave.setData([], [])
            return
        low, high = self.visible_range()
        pixels = max(1, self.plot.width())
        seconds_per_pixel = max(high - low, 1e-3) / pixels
        factor = max(1, int(seconds_per_pixel / 2 / self._peaks.bin_seconds))
        peaks = level_of_detail(self._peaks, factor)
        first = max(0, int(low / peaks.bin_seconds) - 1)
        last = min(len(peaks.minimum), int(high / peaks.bin_seconds) + 2)
        times = peaks.times[first:last]
        x = np.repeat(times, 2)
        y = np.empty(2 * len(times))
        y[0::2] = peaks.minimum[first:last]
        y[1::2] = peaks.maximum[first:last]
        self._wave.setData(x, y)

    def _on_scene_clicked(self, event: object) -> None:
        position = event.scenePos()  # type: ignore[attr-defined]
        if self.plot.getViewBox().sceneBoundingRect().contains(position):
            seconds = self.plot.getViewBox().mapSceneToView(position).x()
            self.seek_requested.emit(max(0.0, float(seconds)))
