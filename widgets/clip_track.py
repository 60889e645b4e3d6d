"""Dancer tracks under the count timeline: one lane per dancer track, one ClipItem per clip.

The view observes the project and never edits it. A drag previews on the item itself and,
when the mouse is released, becomes one request signal in seconds (the wanted start or edge,
and the lane under the cursor); the window applies snapping and the overlap rule
(:mod:`app.model.clip_rules`) and pushes one undo command. The model's event then moves the
item to where the clip really went.

Mouse and keys
--------------
* Drag a clip's body to move it (onto another dancer lane too); drag within a few pixels of
  either edge to trim that edge.
* Click selects a clip; a click on an empty lane seeks there and clears the selection.
* Right-click opens the clip menu. With the lanes focused: Delete removes the selected clip,
  S splits it at the playhead, M mirrors it, Ctrl+D duplicates it.

Adjacent clips show a small cross mark over the transition that blends them.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QCursor, QKeySequence, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QMenu, QVBoxLayout, QWidget

from app.model import Clip, Project, ProjectEvents
from app.model.arrange import BLEND_SECONDS, transition_into
from app.model.colors import dancer_hex_colors

LANE_INSET = 0.1  # share of a lane left empty above and below the clips
EDGE_PIXELS = 7.0  # how near an edge a drag trims instead of moving
GUTTER_PIXELS = 86  # width of the track-name column; the count timeline matches it
LANE_PIXELS = 34
BACKGROUND = "#1a1b21"
SELECTED_PEN = "#ffffff"
PLAYHEAD_COLOR = "#ff5252"
TRANSITION_COLOR = (255, 255, 255, 150)
CLIP_ACTIONS = (
    ("split", "Split at Playhead", "S"),
    ("duplicate", "Duplicate", "Ctrl+D"),
    ("mirror", "Mirror Left/Right", "M"),
    ("delete", "Delete", "Delete"),
)
# Every change that can move, add or recolour a clip item.
_EVENTS = tuple(n for n in ProjectEvents.NAMES if n.split("_")[0] in {"track", "clip"})


def lane_bounds(lane: int) -> tuple[float, float]:
    """Bottom and top (y) of a clip in lane ``lane``: lane 0 is the top one, at y 0..-1."""
    return -lane - 1 + LANE_INSET, -lane - LANE_INSET


class ClipItem(QGraphicsRectItem):
    """One clip drawn as a rounded band in its track's colour, with its name.

    The drag protocol is in data coordinates (:meth:`begin_drag`, :meth:`drag_to`,
    :meth:`finish_drag`), so tests drive exactly what the mouse drives.
    """

    def __init__(self, view: ClipTracksView, clip: Clip) -> None:
        super().__init__()
        self._view = view
        self.clip = clip
        self.track_id = ""
        self.lane = 0
        self.label = pg.TextItem(color="#101116", anchor=(0, 0.5))
        self.label.setParentItem(self)
        self.mode: str | None = None
        self._grab = QPointF()
        self.setAcceptHoverEvents(True)

    def place(self, track_id: str, lane: int, clip: Clip, color: str, selected: bool) -> None:
        """Show ``clip`` in lane ``lane`` (a fresh model value ends any drag preview)."""
        self.clip, self.track_id, self.lane = clip, track_id, lane
        self.setPos(0.0, 0.0)
        bottom, top = lane_bounds(lane)
        self.setRect(QRectF(clip.start, bottom, clip.duration, top - bottom))
        fill = QColor(color)
        fill.setAlpha(235 if selected else 175)
        self.setBrush(QBrush(fill))
        if clip.locked:
            # Locked clips are darker, so what generation may not touch reads at a glance.
            self.setBrush(QBrush(fill.darker(150)))
        pen = QPen(QColor(SELECTED_PEN if selected else "#0c0d11"))
        pen.setCosmetic(True)
        pen.setWidth(2 if selected else 1)
        self.setPen(pen)
        self.setZValue(5 if selected else 1)
        text = clip.name + (" ⇋" if clip.mirrored else "") + ("\nlocked" if clip.locked else "")
        self.label.setText(text)
        self.pin_label(self._view.visible_start())

    def pin_label(self, view_start: float) -> None:
        """Keep the name readable: at the clip's start, or the view's left edge inside it."""
        bottom, top = lane_bounds(self.lane)
        x = min(max(self.clip.start, view_start), self.clip.end)
        self.label.setPos(x, (bottom + top) / 2)

    # -- drag protocol, in data coordinates ---------------------------------------------------

    def edge_at(self, x: float) -> str | None:
        """``"left"``/``"right"`` when ``x`` is within a few pixels of that edge."""
        reach = EDGE_PIXELS * self._view.seconds_per_pixel()
        reach = min(reach, self.clip.duration / 4)  # a short clip still has a middle to grab
        if abs(x - self.clip.start) <= reach:
            return "left"
        if abs(x - self.clip.end) <= reach:
            return "right"
        return None

    def begin_drag(self, x: float, y: float) -> str:
        """Start a drag at data point ``(x, y)``; returns ``"move"``, ``"left"`` or ``"right"``."""
        self.mode = self.edge_at(x) or "move"
        self._grab = QPointF(x, y)
        self._view.select(self.clip.id)
        return self.mode

    def drag_to(self, x: float, y: float) -> None:
        """Preview the drag (the model is not touched until :meth:`finish_drag`)."""
        dx = x - self._grab.x()
        bottom, top = lane_bounds(self.lane)
        clip = self.clip
        if self.mode == "move":
            dy = round((y - self._grab.y()) / 1.0)
            self.setPos(dx, float(dy))
        elif self.mode == "left":
            start = min(clip.start + dx, clip.end - 1e-3)
            self.setRect(QRectF(start, bottom, clip.end - start, top - bottom))
        elif self.mode == "right":
            end = max(clip.end + dx, clip.start + 1e-3)
            self.setRect(QRectF(clip.start, bottom, end - clip.start, top - bottom))

    def finish_drag(self, x: float, y: float) -> None:
        """End the drag: ask for one edit (move or trim) in seconds."""
        mode, self.mode = self.mode, None
        dx = x - self._grab.x()
        if mode == "move":
            track_id = self._view.track_at(y) or self.track_id
            if dx != 0.0 or track_id != self.track_id:
                self._view.move_requested.emit(self.clip.id, self.clip.start + dx, track_id)
        elif mode in ("left", "right") and dx != 0.0:
            edge = self.clip.start if mode == "left" else self.clip.end
            self._view.trim_requested.emit(self.clip.id, mode, edge + dx)
        self._view.refresh()  # back to the model's value if the edit was refused

    # -- pyqtgraph mouse events ----------------------------------------------------------------

    def mouseDragEvent(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            event.ignore()  # type: ignore[attr-defined]
            return
        event.accept()  # type: ignore[attr-defined]
        box = self._view.view
        point = box.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        if event.isStart():  # type: ignore[attr-defined]
            down = box.mapSceneToView(event.buttonDownScenePos())  # type: ignore[attr-defined]
            self.begin_drag(down.x(), down.y())
        if self.mode is None:
            return
        if event.isFinish():  # type: ignore[attr-defined]
            self.finish_drag(point.x(), point.y())
        else:
            self.drag_to(point.x(), point.y())

    def mouseClickEvent(self, event: object) -> None:
        event.accept()  # type: ignore[attr-defined]
        self._view.select(self.clip.id)
        self._view.plot.setFocus()
        if event.button() == Qt.MouseButton.RightButton:  # type: ignore[attr-defined]
            self._view.context_menu(self.clip.id).exec(QCursor.pos())

    def hoverEvent(self, event: object) -> None:
        if event.isExit():  # type: ignore[attr-defined]
            self.unsetCursor()
            return
        x = self._view.view.mapSceneToView(event.scenePos()).x()  # type: ignore[attr-defined]
        shape = Qt.CursorShape.SizeHorCursor if self.edge_at(x) else Qt.CursorShape.OpenHandCursor
        self.setCursor(shape)


class _LaneViewBox(pg.ViewBox):
    """Wheel and drag pan in x only (the count timeline above is x-linked to it)."""

    def mouseDragEvent(self, event: object, axis: int | None = None) -> None:
        if event.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            super().mouseDragEvent(event, axis=0)
        else:
            event.ignore()  # type: ignore[attr-defined]

    def wheelEvent(self, event: object, axis: int | None = None) -> None:
        super().wheelEvent(event, axis=0)


class ClipTracksView(QWidget):
    """The dancer lanes of a :class:`Project`, with the playhead."""

    move_requested = Signal(str, float, str)  # clip id, wanted start, target track id
    trim_requested = Signal(str, str, float)  # clip id, "left"/"right", wanted edge time
    action_requested = Signal(str, str)  # "split"/"duplicate"/"mirror"/"delete", clip id
    seek_requested = Signal(float)
    selection_changed = Signal(object)  # the selected clip id, or None

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.items: dict[str, ClipItem] = {}
        self.selected_clip: str | None = None
        self.current_track: str | None = None  # the lane last clicked: imports go there
        self.view = _LaneViewBox()
        self.plot = pg.PlotWidget(background=BACKGROUND, viewBox=self.view)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.hideAxis("bottom")
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        axis = self.plot.getAxis("left")
        axis.setWidth(GUTTER_PIXELS)
        axis.setStyle(tickLength=0)
        self.playhead = pg.InfiniteLine(pos=0.0, angle=90, pen=pg.mkPen(PLAYHEAD_COLOR, width=2))
        self.playhead.setZValue(20)
        self.plot.addItem(self.playhead)
        self._transitions = pg.PlotDataItem(pen=pg.mkPen(TRANSITION_COLOR, width=1.5))
        self._transitions.setZValue(10)
        self.plot.addItem(self._transitions)
        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.view.sigXRangeChanged.connect(self._on_range_changed)
        self.actions_by_name = self._build_actions()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        for name in _EVENTS:
            getattr(project.events, name).connect(self.refresh)
        self.refresh()

    def _build_actions(self) -> dict[str, QAction]:
        actions = {}
        for name, text, key in CLIP_ACTIONS:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            # Only while the lanes have focus: Delete and M mean other things elsewhere.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, n=name: self.request_action(n))
            self.addAction(action)
            actions[name] = action
        return actions

    # -- reading the model ---------------------------------------------------------------------

    def refresh(self, *_: object) -> None:
        """Bring every lane, item and transition mark in line with the project."""
        tracks = self._project.dancer_tracks()
        colors = dancer_hex_colors(tracks)
        seen: set[str] = set()
        marks_x: list[float] = []
        marks_y: list[float] = []
        for lane, (track, color) in enumerate(zip(tracks, colors, strict=True)):
            bottom, top = lane_bounds(lane)
            for clip in track.clips:
                item = self.items.get(clip.id)
                if item is None:
                    item = ClipItem(self, clip)
                    self.plot.addItem(item)
                    self.items[clip.id] = item
                item.place(track.id, lane, clip, color, clip.id == self.selected_clip)
                seen.add(clip.id)
                if transition_into(track, clip) is not None:
                    s, e = clip.start, clip.start + min(BLEND_SECONDS, clip.duration)
                    # A cross over the blend window, as editors draw a cross-fade.
                    marks_x += [s, e, float("nan"), s, e, float("nan")]
                    marks_y += [top, bottom, float("nan"), bottom, top, float("nan")]
        for clip_id in [c for c in self.items if c not in seen]:
            self.plot.removeItem(self.items.pop(clip_id))
        if self.selected_clip not in seen and self.selected_clip is not None:
            self.select(None)
        if self.current_track not in {t.id for t in tracks}:
            self.current_track = None
        self._transitions.setData(marks_x, marks_y, connect="finite")
        names = [
            (-lane - 0.5, f"{track.name} (ghost)" if track.ghost else track.name)
            for lane, track in enumerate(tracks)
        ]
        self.plot.getAxis("left").setTicks([names, []])
        self.view.setYRange(-max(len(tracks), 1), 0.0, padding=0.02)
        self.setMinimumHeight(LANE_PIXELS * max(len(tracks), 1) + 8)

    def track_at(self, y: float) -> str | None:
        """The id of the dancer track whose lane holds ``y``, if any."""
        tracks = self._project.dancer_tracks()
        lane = int(-y) if y <= 0 else -1
        return tracks[lane].id if 0 <= lane < len(tracks) else None

    def visible_start(self) -> float:
        return float(self.view.viewRange()[0][0])

    def _on_range_changed(self, *_: object) -> None:
        start = self.visible_start()
        for item in self.items.values():
            item.pin_label(start)

    def seconds_per_pixel(self) -> float:
        low, high = self.view.viewRange()[0]
        return max(high - low, 1e-3) / max(1.0, float(self.view.width()))

    # -- selection, menu, keys -----------------------------------------------------------------

    def select(self, clip_id: str | None) -> None:
        item = self.items.get(clip_id) if clip_id is not None else None
        if item is not None:
            self.current_track = item.track_id
        if clip_id != self.selected_clip:
            self.selected_clip = clip_id
            self.refresh()
            self.selection_changed.emit(clip_id)

    def request_action(self, action: str, clip_id: str | None = None) -> None:
        """Ask for ``action`` on ``clip_id`` (the selected clip by default)."""
        target = clip_id or self.selected_clip
        if target is not None:
            self.action_requested.emit(action, target)

    def context_menu(self, clip_id: str) -> QMenu:
        menu = QMenu(self)
        for name, text, key in CLIP_ACTIONS:
            action = menu.addAction(text)
            action.setShortcut(QKeySequence(key))  # shown as a hint; the lanes own the keys
            action.triggered.connect(lambda _=False, n=name: self.request_action(n, clip_id))
        return menu

    def set_playhead(self, seconds: float) -> None:
        self.playhead.setValue(seconds)

    def click(self, x: float, y: float) -> None:
        """A left click on an empty spot at data point ``(x, y)``: deselect, pick lane, seek."""
        self.select(None)
        self.current_track = self.track_at(y) or self.current_track
        self.seek_requested.emit(max(0.0, x))

    def _on_scene_clicked(self, event: object) -> None:
        if event.isAccepted():  # type: ignore[attr-defined]
            return  # a clip took it
        position = event.scenePos()  # type: ignore[attr-defined]
        if not self.view.sceneBoundingRect().contains(position):
            return
        if event.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            point = self.view.mapSceneToView(position)
            self.click(point.x(), point.y())
        self.plot.setFocus()
