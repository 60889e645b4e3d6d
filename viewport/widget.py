"""DancerViewport: the QOpenGLWidget the studio window shows its dancers in.

Feed it either poses directly (:meth:`DancerViewport.set_dancers`) or a project plus the
playback time (:meth:`DancerViewport.set_project`, then :meth:`DancerViewport.set_time` from
the playback clock). Mouse: left-drag orbits, right- or middle-drag (or shift + left) pans,
the wheel zooms; keys 1/2/3 pick the front/side/top views and M toggles mirror mode.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtOpenGLWidgets import QOpenGLWidget
from PySide6.QtWidgets import QWidget

from app.model import Project, ProjectEvents
from viewport.camera import CameraPreset, OrbitCamera
from viewport.offscreen import surface_format
from viewport.renderer import Renderer
from viewport.scene import DancerPose, PoseCache, poses_at

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


class DancerViewport(QOpenGLWidget):
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
        self.setFormat(surface_format())
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(160, 120)
        self._renderer = Renderer()
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
        """Frames painted since the view was made (tests and benchmarks count redraws)."""
        self._drag_from: QPointF | None = None

    # -- what to draw --------------------------------------------------------------------------

    def set_dancers(self, poses: Sequence[DancerPose]) -> None:
        """Draw exactly these dancers (ghost flags are honoured) and nothing from a project."""
        self._dancers = list(poses)
        self.update()

    def set_ghosts(self, poses: Sequence[DancerPose]) -> None:
        """Reference dancers drawn translucent on top of the others (their flag is forced)."""
        self._ghosts = [p if p.ghost else replace(p, ghost=True) for p in poses]
        self.update()

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
            self.update()

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

    # -- GL ------------------------------------------------------------------------------------

    def initializeGL(self) -> None:
        self._renderer.initialize()
        self.context().aboutToBeDestroyed.connect(self._release_gl)

    def _release_gl(self) -> None:
        self.makeCurrent()
        self._renderer.dispose()
        self.doneCurrent()

    def paintGL(self) -> None:
        ratio = self.devicePixelRatioF()
        width, height = round(self.width() * ratio), round(self.height() * ratio)
        self._renderer.render(self.dancers(), self._camera, width, height)
        self._count_frame()
        if self._show_fps:
            self._paint_overlay()

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

    def _paint_overlay(self) -> None:
        # QPainter after raw GL: the renderer resets all the state it needs every frame.
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = QFont(painter.font())
        font.setPointSizeF(9.0)
        painter.setFont(font)
        painter.setPen(QColor(200, 205, 215, 200))
        label = f"{self._fps:5.1f} fps" + ("   MIRROR" if self._camera.mirror else "")
        painter.drawText(10, 10 + painter.fontMetrics().ascent(), label)
        painter.end()

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
