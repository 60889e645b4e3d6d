"""Dancer tracks under the count timeline: one lane per dancer track, its clips and its gaps.

The view observes the project and never edits it. A drag previews where the clip will land
(the model's own rule, :mod:`app.model.clip_rules`, so the preview stops at a neighbour exactly
where the edit will) and, when the mouse is released, becomes one request signal in seconds;
the window pushes one undo command. The model's event then redraws the clip where it went.

All the clips of all lanes are drawn by one item (:class:`ClipLanesItem`) that paints only the
clips in view, so opening a project of ten thousand clips costs a pass over the clips, not ten
thousand graphics items.

Mouse and keys
--------------
* Drag a clip's body to move it (onto another dancer lane too); drag within a few pixels of
  either edge to trim that edge. A clip stops at its neighbour; hold Shift to ripple instead
  (the clips after it are pushed along), and the status bar says which happened.
* Click selects a clip; Ctrl+click adds a clip to the selection or takes it out (Tag as
  Style… tags every selected clip); a click on an empty lane seeks there and clears the
  selection.
* Right-click opens the clip menu. With the lanes focused: Delete removes the selected clip,
  S splits it at the playhead, M mirrors it, Ctrl+D duplicates it, Ctrl+L locks it.

A clip shows its name, "locked", the style it is tagged as an example of ("◆ girl crush") and
the moves it dances when there is room; a cross marks the
transition that blends two adjacent clips, and a dashed band marks a gap, where the dancer
stands and waits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QCursor,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QMenu, QStyleOptionGraphicsItem, QVBoxLayout, QWidget

from app.model import Clip, MotionAsset, Project, ProjectEvents
from app.model.clip_rules import ClipEdit, Edge, plan_move, plan_trim
from app.model.colors import dancer_hex_colors
from app.model.routine import MOVE_SEPARATOR, asset_moves, moves_between
from app.model.track_sampling import ADJACENT_SECONDS, BLEND_SECONDS, transition_sources
from widgets.lanes import PaintedItem, TimeViewBox

LANE_INSET = 0.1  # share of a lane left empty above and below the clips
EDGE_PIXELS = 7.0  # how near an edge a drag trims instead of moving
SNAP_PIXELS = 8.0  # how near a beat or clip edge a dragged edge snaps onto it
GUTTER_PIXELS = 86  # width of the track-name column; the count timeline matches it
LANE_PIXELS = 34
BACKGROUND = "#1a1b21"
SELECTED_PEN = "#ffffff"
LABEL_COLOR = "#101116"
GAP_COLOR = (255, 255, 255, 60)
PLAYHEAD_COLOR = "#ff5252"
TRANSITION_COLOR = (255, 255, 255, 150)
LABEL_PADDING = 4  # pixels between a clip's edge (or its blend mark) and its text
RIPPLE_MODIFIER = Qt.KeyboardModifier.ShiftModifier
EXTEND_MODIFIER = Qt.KeyboardModifier.ControlModifier
TAG_MARK = "◆"
LABEL_ALIGN = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class ClipAction(StrEnum):
    """What the clip menu and keys ask for (the payload of ``action_requested``)."""

    SPLIT = "split"
    DUPLICATE = "duplicate"
    MIRROR = "mirror"
    DELETE = "delete"
    LOCK = "lock"


class DragMode(StrEnum):
    MOVE = "move"
    LEFT = "left"
    RIGHT = "right"


CLIP_ACTIONS = (
    (ClipAction.SPLIT, "Split at Playhead", "S"),
    (ClipAction.DUPLICATE, "Duplicate", "Ctrl+D"),
    (ClipAction.MIRROR, "Mirror Left/Right", "M"),
    (ClipAction.DELETE, "Delete", "Delete"),
)
CLIP_GESTURES = (
    ("Drag a clip / its edge", "move / trim it (stops at the neighbour)"),
    ("Shift+drag", "ripple: push the clips after it along"),
    ("Ctrl+click a clip", "add it to the selection, or take it out"),
    ("Right-click a clip", "the clip menu"),
)
"""Mouse gestures of the dancer lanes, for the shortcut help (they are no actions)."""
# Every change that can move, add, recolour or relabel a clip.
_EVENTS = (
    *(n for n in ProjectEvents.NAMES if n.split("_")[0] in {"track", "clip", "motion"}),
    "style_tags_changed",
)


def lane_bounds(lane: int) -> tuple[float, float]:
    """Bottom and top (y) of a clip in lane ``lane``: lane 0 is the top one, at y 0..-1."""
    return -lane - 1 + LANE_INSET, -lane - LANE_INSET


def clip_lines(clip: Clip, moves: tuple[str, ...], tag: str | None = None) -> tuple[str, str]:
    """The two lines a clip shows: its name, then "locked", the style it is tagged with and
    the moves it dances."""
    name = clip.name + (" ⇋" if clip.mirrored else "")
    marks = (*(("locked",) if clip.locked else ()), *((f"{TAG_MARK} {tag}",) if tag else ()))
    detail = MOVE_SEPARATOR.join((*marks, *moves))
    return name, detail


def label_left(clip_left: float, blend: float, view_left: float) -> float:
    """Where (pixels) a clip's text starts: after its blend mark, so neither hides the other,
    and at the view's left edge when the clip begins off screen, so the name stays readable
    while scrolling."""
    return max(clip_left + blend, view_left) + LABEL_PADDING


@dataclass
class LaneRow:
    """One dancer lane as drawn: its clips in time order, as arrays for fast lookup."""

    track_id: str
    name: str
    color: str
    clips: list[Clip]
    starts: np.ndarray
    ends: np.ndarray
    blended: set[str] = field(default_factory=set)  # clips that fade in from the one before
    moves: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def visible(self, low: float, high: float) -> range:
        """Positions of the clips that overlap ``low``..``high`` seconds."""
        first = int(np.searchsorted(self.ends, low, side="right"))
        return range(first, int(np.searchsorted(self.starts, high, side="left")))


@dataclass
class DragState:
    clip: Clip
    track_id: str
    mode: DragMode
    grab: QPointF
    edit: ClipEdit | None = None
    target_track: str = ""


class ClipLanesItem(PaintedItem):
    """Paints every lane's clips in view, in pixels, and hands mouse input to the view."""

    def __init__(self, view: ClipTracksView) -> None:
        super().__init__(QRectF(0.0, -1.0, 1.0, 1.0))
        self._view = view
        self.setAcceptHoverEvents(True)

    # -- painting ------------------------------------------------------------------------------

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        view = self._view
        low, high = view.visible_range()
        to_pixels = painter.transform()
        painter.save()
        painter.resetTransform()  # from here on, pixels: borders and text stay crisp
        painter.setFont(self.font)
        metrics = QFontMetrics(self.font)
        left_px = to_pixels.map(QPointF(low, 0.0)).x()
        blend_px = BLEND_SECONDS / max(view.seconds_per_pixel(), 1e-9)
        dragging = view.drag.clip.id if view.drag is not None else None
        for lane, row in enumerate(view.rows):
            bottom, top = lane_bounds(lane)
            shown = row.visible(low, high)
            last_px = -np.inf
            previous_end: float | None = None
            for i in shown:
                clip = row.clips[i]
                rect = to_pixels.mapRect(QRectF(clip.start, bottom, clip.duration, top - bottom))
                if previous_end is not None and clip.start - previous_end > ADJACENT_SECONDS:
                    self._paint_gap(painter, to_pixels, previous_end, clip.start, bottom, top)
                previous_end = clip.end
                if rect.right() < last_px + 1.0:
                    continue  # thinner than a pixel next to the last one: it would not show
                last_px = rect.right()
                blend = min(blend_px, rect.width()) if clip.id in row.blended else 0.0
                faded = clip.id == dragging
                self._paint_clip(painter, metrics, row, clip, rect, blend, left_px, faded)
        painter.restore()

    def _paint_gap(
        self,
        painter: QPainter,
        to_pixels: object,
        start: float,
        end: float,
        bottom: float,
        top: float,
    ) -> None:
        middle = (bottom + top) / 2
        rect = to_pixels.mapRect(QRectF(start, middle - 0.12, end - start, 0.24))  # type: ignore[attr-defined]
        pen = QPen(QColor(*GAP_COLOR), 1, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        if rect.width() > 40:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "hold")

    def _paint_clip(
        self,
        painter: QPainter,
        metrics: QFontMetrics,
        row: LaneRow,
        clip: Clip,
        rect: QRectF,
        blend: float,
        left_px: float,
        faded: bool,
    ) -> None:
        selected = clip.id in self._view.selected_clips
        fill = QColor(row.color)
        if clip.locked:
            fill = fill.darker(150)  # what generation may not touch reads at a glance
        fill.setAlpha(70 if faded else 235 if selected else 175)
        pen = QPen(QColor(SELECTED_PEN if selected else "#0c0d11"), 2 if selected else 1)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        if blend > 0:  # a cross over the blend window, as editors draw a cross-fade
            painter.setPen(QPen(QColor(*TRANSITION_COLOR), 1.5))
            x0, x1 = rect.left(), rect.left() + blend
            painter.drawLine(QPointF(x0, rect.top()), QPointF(x1, rect.bottom()))
            painter.drawLine(QPointF(x0, rect.bottom()), QPointF(x1, rect.top()))
        text_left = label_left(rect.left(), blend, left_px)
        width = rect.right() - LABEL_PADDING - text_left
        if width < metrics.horizontalAdvance("…") + 2:
            return
        name, detail = clip_lines(clip, row.moves.get(clip.id, ()), self._view.tag_of(clip))
        painter.setPen(QColor("#ffffff" if clip.locked else LABEL_COLOR))
        two_lines = rect.height() >= 2 * metrics.lineSpacing() + 2
        if two_lines and detail:
            lines = [name, detail]
        else:
            lines = [MOVE_SEPARATOR.join(t for t in (name, detail) if t)]
        spacing = metrics.lineSpacing()
        top = rect.center().y() - spacing * len(lines) / 2
        for k, line in enumerate(lines):
            elided = metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(width))
            box = QRectF(text_left, top + k * spacing, width, spacing)
            painter.drawText(
                box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
            )

    # -- mouse, handed to the view in data coordinates ------------------------------------------

    def mouseDragEvent(self, event: object) -> None:
        view = self._view
        box = view.view
        point = box.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        if event.isStart():  # type: ignore[attr-defined]
            if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
                event.ignore()  # type: ignore[attr-defined]
                return
            down = box.mapSceneToView(event.buttonDownScenePos())  # type: ignore[attr-defined]
            if view.begin_drag(down.x(), down.y()) is None:
                event.ignore()  # type: ignore[attr-defined]  # empty lane: the view pans
                return
        if view.drag is None:
            event.ignore()  # type: ignore[attr-defined]
            return
        event.accept()  # type: ignore[attr-defined]
        ripple = bool(event.modifiers() & RIPPLE_MODIFIER)  # type: ignore[attr-defined]
        if event.isFinish():  # type: ignore[attr-defined]
            view.finish_drag(point.x(), point.y(), ripple)
        else:
            view.drag_to(point.x(), point.y(), ripple)

    def mouseClickEvent(self, event: object) -> None:
        view = self._view
        point = view.view.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        clip = view.clip_at(point.x(), point.y())
        if clip is None:
            event.ignore()  # type: ignore[attr-defined]  # the view's own click: seek
            return
        event.accept()  # type: ignore[attr-defined]
        right = event.button() == Qt.MouseButton.RightButton  # type: ignore[attr-defined]
        if not right and event.modifiers() & EXTEND_MODIFIER:  # type: ignore[attr-defined]
            view.toggle_selected(clip.id)
        else:  # a right-click keeps the selection it is in, for the menu to act on
            view.select(clip.id, keep_others=right)
        view.plot.setFocus()
        if right:
            view.context_menu(clip.id).exec(QCursor.pos())

    def hoverEvent(self, event: object) -> None:
        if event.isExit():  # type: ignore[attr-defined]
            self.unsetCursor()
            return
        point = self._view.view.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        clip = self._view.grab_at(point.x(), point.y())
        if clip is None:
            self.unsetCursor()
            return
        edge = self._view.edge_at(clip, point.x())
        self.setCursor(Qt.CursorShape.SizeHorCursor if edge else Qt.CursorShape.OpenHandCursor)


class ClipTracksView(QWidget):
    """The dancer lanes of a :class:`Project`, with the playhead."""

    move_requested = Signal(str, float, str, bool)  # clip id, wanted start, track id, ripple
    trim_requested = Signal(str, object, float, bool)  # clip id, Edge, wanted edge time, ripple
    action_requested = Signal(object, str)  # a ClipAction, clip id
    seek_requested = Signal(float)
    selection_changed = Signal(object)  # the selected clip id, or None
    tag_requested = Signal(list)  # ids of the clips to tag as examples of a style
    message = Signal(str)  # why a dragged clip stopped, for the status bar

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.rows: list[LaneRow] = []
        self._where: dict[str, tuple[int, int]] = {}  # clip id: (lane, position in the lane)
        self.selected_clip: str | None = None
        """The clip clicked last among the selected ones: edits and the inspector take it."""
        self.selected_clips: tuple[str, ...] = ()
        """Every selected clip (Ctrl+click adds more), in the order they were selected."""
        self._tags: dict[tuple[str, float, float], str] = {}
        self.current_track: str | None = None  # the lane last clicked: imports go there
        self.drag: DragState | None = None
        self._moves: dict[str, tuple[np.ndarray, tuple[tuple[str, ...], ...]]] = {}
        self.view = TimeViewBox()
        self.plot = pg.PlotWidget(background=BACKGROUND, viewBox=self.view)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.hideAxis("bottom")
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        axis = self.plot.getAxis("left")
        axis.setWidth(GUTTER_PIXELS)
        axis.setStyle(tickLength=0)
        self.lanes_item = ClipLanesItem(self)
        self.view.addItem(self.lanes_item, ignoreBounds=True)
        self.preview = pg.QtWidgets.QGraphicsRectItem()
        preview_pen = QPen(QColor(SELECTED_PEN), 2, Qt.PenStyle.DashLine)
        preview_pen.setCosmetic(True)
        self.preview.setPen(preview_pen)
        self.preview.setBrush(QBrush(QColor(255, 255, 255, 50)))
        self.preview.setZValue(15)
        self.preview.hide()
        self.view.addItem(self.preview, ignoreBounds=True)
        self.playhead = pg.InfiniteLine(pos=0.0, angle=90, pen=pg.mkPen(PLAYHEAD_COLOR, width=2))
        self.playhead.setZValue(20)
        self.plot.addItem(self.playhead)
        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.view.sigXRangeChanged.connect(lambda *_: self.lanes_item.update())
        self.actions_by_name = self._build_actions()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        for name in _EVENTS:
            getattr(project.events, name).connect(self.refresh)
        self.refresh()

    def _build_actions(self) -> dict[ClipAction, QAction]:
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
        """Bring every lane in line with the project: one pass over the clips."""
        tracks = self._project.dancer_tracks()
        motions = self._project.motions
        self._moves = {k: v for k, v in self._moves.items() if k in motions}
        self.rows, self._where = [], {}
        self._tags = {t.key: t.style for t in self._project.style_tags}
        latest = 1.0
        for lane, (track, color) in enumerate(zip(tracks, dancer_hex_colors(tracks), strict=True)):
            clips = sorted(track.clips, key=lambda c: c.start)
            row = LaneRow(
                track.id,
                track.name,
                color,
                clips,
                np.array([c.start for c in clips], dtype=np.float64),
                np.array([c.end for c in clips], dtype=np.float64),
                set(transition_sources(track)),
            )
            for i, clip in enumerate(clips):
                self._where[clip.id] = (lane, i)
                moves = self._clip_moves(clip, motions.get(clip.motion_id))
                if moves:
                    row.moves[clip.id] = moves
            if clips:
                latest = max(latest, float(row.ends.max()))
            self.rows.append(row)
        if any(c not in self._where for c in self.selected_clips):
            self._set_selection(tuple(c for c in self.selected_clips if c in self._where))
        if self.current_track not in {t.id for t in tracks}:
            self.current_track = None
        if self.drag is not None and self.drag.clip.id not in self._where:
            self._end_drag()
        names = [
            (-lane - 0.5, f"{track.name} (ghost)" if track.ghost else track.name)
            for lane, track in enumerate(tracks)
        ]
        self.plot.getAxis("left").setTicks([names, []])
        n = max(len(tracks), 1)
        self.view.setYRange(-n, 0.0, padding=0.02)
        self.lanes_item.set_bounds(QRectF(0.0, -n, latest, n))
        self.setMinimumHeight(LANE_PIXELS * n + 8)

    def _clip_moves(self, clip: Clip, asset: MotionAsset | None) -> tuple[str, ...]:
        if asset is None:
            return ()
        if asset.id not in self._moves:
            self._moves[asset.id] = asset_moves(asset)
        spans, lines = self._moves[asset.id]
        return moves_between(spans, lines, clip.source_in, clip.source_out)

    def clip_rect(self, clip_id: str) -> QRectF | None:
        """The data rectangle ``clip_id`` is drawn in; None when it is not on a lane."""
        where = self._where.get(clip_id)
        if where is None:
            return None
        lane, i = where
        clip = self.rows[lane].clips[i]
        bottom, top = lane_bounds(lane)
        return QRectF(clip.start, bottom, clip.duration, top - bottom)

    def lane_of(self, clip_id: str) -> int | None:
        where = self._where.get(clip_id)
        return None if where is None else where[0]

    def tag_of(self, clip: Clip) -> str | None:
        """The style ``clip``'s stretch is tagged as an example of, if any."""
        return self._tags.get((clip.motion_id, clip.source_in, clip.source_out))

    def clip_label(self, clip_id: str) -> tuple[str, str]:
        """The two lines the clip shows (before eliding to its width)."""
        lane, i = self._where[clip_id]
        row = self.rows[lane]
        clip = row.clips[i]
        return clip_lines(clip, row.moves.get(clip_id, ()), self.tag_of(clip))

    def clip_at(self, x: float, y: float) -> Clip | None:
        """The clip under data point ``(x, y)``, if any."""
        lane = int(-y) if y <= 0 else -1
        if not 0 <= lane < len(self.rows):
            return None
        bottom, top = lane_bounds(lane)
        if not bottom <= y <= top:
            return None
        row = self.rows[lane]
        i = int(np.searchsorted(row.starts, x, side="right")) - 1
        # Where clips overlap (old files) the later one wins, as in playback.
        for k in (i, i - 1):
            if k >= 0 and row.starts[k] <= x < row.ends[k]:
                return row.clips[k]
        return None

    def track_at(self, y: float) -> str | None:
        """The id of the dancer track whose lane holds ``y``, if any."""
        lane = int(-y) if y <= 0 else -1
        return self.rows[lane].track_id if 0 <= lane < len(self.rows) else None

    def visible_range(self) -> tuple[float, float]:
        low, high = self.view.viewRange()[0]
        return float(low), float(high)

    def visible_start(self) -> float:
        return self.visible_range()[0]

    def seconds_per_pixel(self) -> float:
        low, high = self.visible_range()
        return max(high - low, 1e-3) / max(1.0, float(self.view.width()))

    def snap_tolerance(self) -> float:
        """Seconds within which a dragged edge snaps: :data:`SNAP_PIXELS` at this zoom."""
        return SNAP_PIXELS * self.seconds_per_pixel()

    # -- drag protocol, in data coordinates -----------------------------------------------------

    def edge_at(self, clip: Clip, x: float) -> DragMode | None:
        """:attr:`DragMode.LEFT`/``RIGHT`` when ``x`` is within a few pixels of that edge."""
        reach = EDGE_PIXELS * self.seconds_per_pixel()
        reach = min(reach, clip.duration / 4)  # a short clip still has a middle to grab
        if abs(x - clip.start) <= reach:
            return DragMode.LEFT
        if abs(x - clip.end) <= reach:
            return DragMode.RIGHT
        return None

    def grab_at(self, x: float, y: float) -> Clip | None:
        """The clip a press at ``(x, y)`` takes: the one under it, or one whose edge is within
        reach just outside it (so an edge can be grabbed from either side)."""
        under = self.clip_at(x, y)
        if under is not None and self.edge_at(under, x):
            return under
        reach = EDGE_PIXELS * self.seconds_per_pixel()
        for nearby in (self.clip_at(x - reach, y), self.clip_at(x + reach, y)):
            if nearby is not None and self.edge_at(nearby, x):
                return nearby
        return under

    def begin_drag(self, x: float, y: float) -> DragMode | None:
        """Start a drag at data point ``(x, y)``: move or trim the clip there (None: no clip)."""
        clip = self.grab_at(x, y)
        if clip is None:
            return None
        track_id = self.rows[self._where[clip.id][0]].track_id
        mode = self.edge_at(clip, x) or DragMode.MOVE
        self.drag = DragState(clip, track_id, mode, QPointF(x, y), target_track=track_id)
        self.select(clip.id)
        return mode

    def _plan(self, x: float, y: float, ripple: bool) -> ClipEdit:
        """Where the clip of the drag would go if released at ``(x, y)``: the model's rule."""
        drag = self.drag
        assert drag is not None
        project = self._project
        dx = x - drag.grab.x()
        clip = drag.clip
        if drag.mode is DragMode.MOVE:
            drag.target_track = self.track_at(y) or drag.target_track
            target = project.track(drag.target_track)
            return plan_move(
                target.clips,
                project.beat_grid,
                clip,
                clip.start + dx,
                self.snap_tolerance(),
                ripple,
            )
        edge = Edge.LEFT if drag.mode is DragMode.LEFT else Edge.RIGHT
        at = (clip.start if edge is Edge.LEFT else clip.end) + dx
        track = project.track(drag.track_id)
        duration = project.motions[clip.motion_id].duration
        return plan_trim(
            track.clips, project.beat_grid, clip, edge, at, self.snap_tolerance(), duration, ripple
        )

    def drag_to(self, x: float, y: float, ripple: bool = False) -> None:
        """Preview the drag where the edit would put the clip (the model is not touched)."""
        if self.drag is None:
            return
        edit = self._plan(x, y, ripple)
        self.drag.edit = edit
        shown = edit.clip or self.drag.clip
        lane = next((k for k, r in enumerate(self.rows) if r.track_id == self.drag.target_track), 0)
        bottom, top = lane_bounds(
            lane if self.drag.mode is DragMode.MOVE else self._where[shown.id][0]
        )
        self.preview.setRect(QRectF(shown.start, bottom, shown.duration, top - bottom))
        self.preview.show()
        self.lanes_item.update()
        if edit.blocker is not None:
            self.message.emit(self.stop_message(self.drag.clip, edit.blocker, ripple))

    @staticmethod
    def stop_message(clip: Clip, blocker: Clip, ripple: bool) -> str:
        """What the status bar says when ``blocker`` stops ``clip``."""
        if ripple:
            return f"{clip.name} starts where {blocker.name} ends: ripple pushes only later clips."
        return (
            f"{clip.name} stops at {blocker.name}: clips on a dancer track never overlap. "
            "Hold Shift while dragging to push the clips after it along."
        )

    def preview_rect(self) -> QRectF | None:
        """Where the dragged clip would land now (None when no drag is previewing)."""
        return self.preview.rect() if self.preview.isVisible() else None

    def finish_drag(self, x: float, y: float, ripple: bool = False) -> None:
        """End the drag: ask for one edit (move or trim) in seconds."""
        drag = self.drag
        if drag is None:
            return
        dx = x - drag.grab.x()
        clip = drag.clip
        if drag.mode is DragMode.MOVE:
            target = self.track_at(y) or drag.target_track
            if dx != 0.0 or target != drag.track_id:
                self.move_requested.emit(clip.id, clip.start + dx, target, ripple)
        elif dx != 0.0:
            edge = Edge.LEFT if drag.mode is DragMode.LEFT else Edge.RIGHT
            at = (clip.start if edge is Edge.LEFT else clip.end) + dx
            self.trim_requested.emit(clip.id, edge, at, ripple)
        self._end_drag()

    def _end_drag(self) -> None:
        self.drag = None
        self.preview.hide()
        self.lanes_item.update()

    # -- selection, menu, keys -----------------------------------------------------------------

    def select(self, clip_id: str | None, keep_others: bool = False) -> None:
        """Select ``clip_id`` alone (None: nothing), or, with ``keep_others``, make it the
        current one of the selection it is in."""
        if clip_id is None:
            self._set_selection(())
        elif keep_others and clip_id in self.selected_clips:
            others = tuple(c for c in self.selected_clips if c != clip_id)
            self._set_selection((*others, clip_id))
        else:
            self._set_selection((clip_id,))

    def toggle_selected(self, clip_id: str) -> None:
        """Add ``clip_id`` to the selection (it becomes the current clip), or take it out."""
        if clip_id in self.selected_clips:
            self._set_selection(tuple(c for c in self.selected_clips if c != clip_id))
        else:
            self._set_selection((*self.selected_clips, clip_id))

    def _set_selection(self, clips: tuple[str, ...]) -> None:
        current = clips[-1] if clips else None
        where = self._where.get(current) if current is not None else None
        if where is not None:
            self.current_track = self.rows[where[0]].track_id
        changed = clips != self.selected_clips
        primary_changed = current != self.selected_clip
        self.selected_clips, self.selected_clip = clips, current
        if changed:
            self.lanes_item.update()
        if changed or primary_changed:
            self.selection_changed.emit(current)

    def request_action(self, action: ClipAction, clip_id: str | None = None) -> None:
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
        _, clip = self._project.find_clip(clip_id)
        lock = menu.addAction("Unlock" if clip.locked else "Lock")
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(lambda: self.request_action(ClipAction.LOCK, clip_id))
        menu.addSeparator()
        targets = list(self.selected_clips) if clip_id in self.selected_clips else [clip_id]
        many = f" ({len(targets)} clips)" if len(targets) > 1 else ""
        tag = menu.addAction(f"Tag as Style…{many}")
        tag.setToolTip("Make the clip an example of one of your own styles, for the classifier")
        tag.triggered.connect(lambda: self.tag_requested.emit(targets))
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
