"""DancerViewport: the widget the studio window shows its dancers in.

It is a plain raster QWidget. Its 3D frames are drawn by an
:class:`~viewport.offscreen.OffscreenRenderer` (its own hidden GL context, the renderer MP4
export uses) and painted as an image with QPainter. A QOpenGLWidget in the window would make
Qt compose the whole window through OpenGL whenever any widget of it changes (practice mode's
camera picture, the timeline's playhead): on software OpenGL (Mesa's llvmpipe) that took about
55 ms of CPU per practice picture, against about 9 ms for the 3D frames drawn this way. The
window now composes on Qt's raster path, and a 3D frame is drawn only when the dancers, the
camera or the size change (a repaint shows the last one again).

Feed it either poses directly (:meth:`DancerViewport.set_dancers`) or a project plus the
playback time (:meth:`DancerViewport.set_project`, then :meth:`DancerViewport.set_time` from
the playback clock). Mouse: left-drag orbits, right- or middle-drag (or shift + left) pans,
the wheel zooms; keys 1/2/3 pick the front/side/top views and M toggles mirror mode. Where no
OpenGL context can be had, it says so in place of the dancers (:meth:`DancerViewport.gl_error`).
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

import numpy as np
from numpy.typing import NDArray
from OpenGL.error import Error as GLError
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from app.model import Project, ProjectEvents
from viewport.camera import CameraPreset, OrbitCamera
from viewport.offscreen import OffscreenRenderer
from viewport.scene import DancerPose, PoseCache, poses_at

log = logging.getLogger(__name__)

# Radians of orbit per pixel dragged: a full turn is a drag across a typical viewport.
ORBIT_PER_PIXEL = 0.008
ZOOM_PER_NOTCH = 0.88
_PRESET_KEYS = {
    Qt.Key.Key_1: CameraPreset.FRONT,
    Qt.Key.Key_2: CameraPreset.SIDE,
    Qt.Key.Key_3: CameraPreset.TOP,
}
# Every change that can alter what is under the playhead: tracks, clips and motions.
_PROJECT_EVENTS = tuple(
    name for name in ProjectEvents.NAMES if name.split("_")[0] in {"track", "clip", "motion"}
)
_MESSAGE_BACKGROUND = QColor(0x15, 0x16, 0x1B)
_MESSAGE_TEXT = QColor(0x8A, 0x8F, 0xA3)


class DancerViewport(QWidget):
    """The 3D view of the dancers: shaded bodies on a stage floor, orbit camera, mirror mode.

    Signals
    -------
    fps_changed(float)
        Frames drawn per second, measured over the last second of drawing.
    camera_changed(object)
        The new :class:`~viewport.camera.OrbitCamera` after any camera change.
    """

    fps_changed = Signal(float)
    camera_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(160, 120)
        # paintEvent covers every pixel: Qt need not clear or draw what lies behind.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._offscreen: OffscreenRenderer | None = None  # made at the first paint
        self._gl_error: str | None = None
        self._pixels: NDArray[np.uint32] | None = None  # the buffer self._image shows
        self._image: QImage | None = None  # the last 3D frame drawn
        self._stale = True  # the dancers or the camera changed since it was drawn
        self._camera = OrbitCamera()
        self._dancers: list[DancerPose] = []
        self._ghosts: list[DancerPose] = []
        self._project: Project | None = None
        self._cache = PoseCache()
        self._seconds = 0.0
        self._show_fps = True
        self._frame_times: deque[float] = deque(maxlen=240)
        self._fps = 0.0
        self.frames_drawn = 0
        """3D frames drawn since the view was made (tests and benchmarks count redraws); a
        repaint that shows the last frame again (an overlay, an expose) does not count."""
        self._drag_from: QPointF | None = None

    # -- what to draw --------------------------------------------------------------------------

    def set_dancers(self, poses: Sequence[DancerPose]) -> None:
        """Draw exactly these dancers (ghost flags are honoured) and nothing from a project."""
        self._dancers = list(poses)
        self._redraw()

    def set_ghosts(self, poses: Sequence[DancerPose]) -> None:
        """Reference dancers drawn translucent on top of the others (their flag is forced)."""
        self._ghosts = [p if p.ghost else replace(p, ghost=True) for p in poses]
        self._redraw()

    def dancers(self) -> list[DancerPose]:
        """Everything drawn now: the dancers, then the ghosts."""
        return [*self._dancers, *self._ghosts]

    def set_project(self, project: Project | None) -> None:
        """Show ``project``'s dancer tracks at the current time, and follow its edits."""
        if self._project is not None:
            for name in _PROJECT_EVENTS:
                getattr(self._project.events, name).disconnect(self._on_project_changed)
        self._project = project
        self._cache.clear()
        if project is not None:
            for name in _PROJECT_EVENTS:
                getattr(project.events, name).connect(self._on_project_changed)
        self._on_project_changed()

    def set_time(self, seconds: float) -> None:
        """Move to song time ``seconds`` (call it from the playback clock's tick)."""
        self._seconds = seconds
        if self._project is not None:
            self.set_dancers(poses_at(self._project, seconds, self._cache))

    def time(self) -> float:
        return self._seconds

    def _on_project_changed(self, *_args: object) -> None:
        if self._project is None:
            self.set_dancers([])
        else:
            self.set_time(self._seconds)

    # -- camera --------------------------------------------------------------------------------

    def camera(self) -> OrbitCamera:
        return self._camera

    def set_camera(self, camera: OrbitCamera) -> None:
        if camera != self._camera:
            self._camera = camera
            self.camera_changed.emit(camera)
            self._redraw()

    def set_preset(self, preset: CameraPreset) -> None:
        """Look from the front (the audience), the side or the top."""
        self.set_camera(self._camera.with_preset(preset))

    def set_mirrored(self, mirrored: bool) -> None:
        """Mirror mode: flip the picture left to right, as a studio mirror does."""
        self.set_camera(replace(self._camera, mirror=mirrored))

    def is_mirrored(self) -> bool:
        return self._camera.mirror

    def set_fps_visible(self, visible: bool) -> None:
        self._show_fps = visible
        self.update()

    def fps(self) -> float:
        """Frames drawn per second over the last second of drawing (0 before any)."""
        return self._fps

    def gl_error(self) -> str | None:
        """Why no 3D frame can be drawn (no OpenGL context, a shader the driver refused), or
        ``None`` while frames are drawn. The view then shows the reason instead."""
        return self._gl_error

    def frame(self) -> QImage | None:
        """A copy of the 3D frame now shown (drawn first if out of date), device pixels, with
        no FPS readout; ``None`` where no frame can be drawn (see :meth:`gl_error`)."""
        image = self._current_frame()
        return None if image is None else image.copy()

    # -- drawing -------------------------------------------------------------------------------

    def _redraw(self) -> None:
        self._stale = True
        self.update()

    def _current_frame(self) -> QImage | None:
        """The 3D frame for the dancers, camera and size of now, drawn only if they changed."""
        if self._gl_error is not None:
            return None
        ratio = self.devicePixelRatioF()  # HiDPI: the frame is drawn in device pixels
        width, height = max(round(self.width() * ratio), 1), max(round(self.height() * ratio), 1)
        image = self._image
        if (
            image is None
            or self._stale
            or (image.width(), image.height()) != (width, height)
            or image.devicePixelRatio() != ratio
        ):
            try:
                image = self._draw_frame(width, height, ratio)
            except (RuntimeError, GLError) as error:  # ShaderError is a RuntimeError
                log.exception("the 3D view cannot draw its frames")
                self._fail(str(error) or type(error).__name__)
                return None
        return image

    def _draw_frame(self, width: int, height: int, ratio: float) -> QImage:
        if self._offscreen is None:
            self._offscreen = OffscreenRenderer(width, height)
            # Free its GL objects with the widget, not whenever Python collects it.
            self.destroyed.connect(partial(OffscreenRenderer.close, self._offscreen))
        else:
            self._offscreen.resize(width, height)
        pixels = self._offscreen.render_rgb32(self.dancers(), self._camera)
        # The image reads the renderer's buffer, no copy: it is redrawn in place, and
        # self._pixels keeps it alive as long as the image.
        image = QImage(pixels.data, width, height, pixels.strides[0], QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(ratio)
        self._pixels, self._image, self._stale = pixels, image, False
        self._count_frame()
        return image

    def _fail(self, reason: str) -> None:
        self._gl_error = reason
        self._pixels = self._image = None
        if self._offscreen is not None:
            self._offscreen.close()
            self._offscreen = None

    def paintEvent(self, event: QPaintEvent) -> None:
        image = self._current_frame()
        painter = QPainter(self)
        try:
            if image is None:
                self._paint_message(painter)
            else:
                painter.drawImage(QPointF(0.0, 0.0), image)
                if self._show_fps:
                    self._paint_overlay(painter)
        finally:
            painter.end()

    def _paint_message(self, painter: QPainter) -> None:
        painter.fillRect(self.rect(), _MESSAGE_BACKGROUND)
        painter.setPen(_MESSAGE_TEXT)
        font = QFont(painter.font())
        font.setPixelSize(14)
        painter.setFont(font)
        text = (
            f"No 3D view: {self._gl_error}.\nThe timeline, import and export still work; run "
            "the studio on a desktop with OpenGL 3.3 (or under Xvfb) to see the dancers."
        )
        box = QRectF(self.rect()).adjusted(16, 16, -16, -16)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

    def _count_frame(self) -> None:
        self.frames_drawn += 1
        now = time.perf_counter()
        self._frame_times.append(now)
        while self._frame_times and now - self._frame_times[0] > 1.0:
            self._frame_times.popleft()
        if len(self._frame_times) >= 2:
            span = self._frame_times[-1] - self._frame_times[0]
            fps = (len(self._frame_times) - 1) / span if span > 0 else 0.0
            if abs(fps - self._fps) >= 0.05:
                self._fps = fps
                self.fps_changed.emit(fps)

    def _paint_overlay(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = QFont(painter.font())
        font.setPointSizeF(9.0)
        painter.setFont(font)
        painter.setPen(QColor(200, 205, 215, 200))
        label = f"{self._fps:5.1f} fps" + ("   MIRROR" if self._camera.mirror else "")
        painter.drawText(10, 10 + painter.fontMetrics().ascent(), label)

    # -- mouse and keys ------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._drag_from = event.position()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_from = None
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            return
        delta = event.position() - self._drag_from
        self._drag_from = event.position()
        buttons = event.buttons()
        pan = buttons & (Qt.MouseButton.RightButton | Qt.MouseButton.MiddleButton) or (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if pan:
            height = max(self.height(), 1)
            self.set_camera(self._camera.panned(delta.x() / height, delta.y() / height))
        elif buttons & Qt.MouseButton.LeftButton:
            # Dragging right swings the camera to the left of the scene, so the scene turns
            # with the cursor; in mirror mode screen-right is world-left.
            sign = 1.0 if self._camera.mirror else -1.0
            self.set_camera(
                self._camera.orbited(
                    sign * delta.x() * ORBIT_PER_PIXEL, delta.y() * ORBIT_PER_PIXEL
                )
            )
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120.0
        self.set_camera(self._camera.zoomed(math.pow(ZOOM_PER_NOTCH, notches)))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in _PRESET_KEYS:
            self.set_preset(_PRESET_KEYS[key])
        elif key == Qt.Key.Key_M:
            self.set_mirrored(not self._camera.mirror)
        else:
            super().keyPressEvent(event)
            return
        event.accept()
