"""DancerViewport: draws on screen, follows a project and the clock, and takes mouse and keys.

It is a raster widget painting frames of the offscreen renderer: no OpenGL composition of the
window, and a 3D frame drawn only when the dancers, the camera or the size change.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtOpenGLWidgets import QOpenGLWidget
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.model import Clip, Project
from inference.motion import CANONICAL
from tests.gui.viewport.conftest import counting_asset, rest_pose
from viewport.camera import CameraPreset, OrbitCamera
from viewport.widget import DancerViewport

pytestmark = pytest.mark.gl

PELVIS = CANONICAL.index("pelvis")


@pytest.fixture
def view(gl: None, qtbot: QtBot) -> Iterator[DancerViewport]:
    widget = DancerViewport()
    qtbot.addWidget(widget)
    widget.resize(320, 240)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    stride = image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), np.uint8, image.height() * stride)
    return raw.reshape(image.height(), stride)[:, : image.width() * 3].reshape(
        image.height(), image.width(), 3
    )


def test_set_time_shows_the_clip_frame_under_the_playhead(view: DancerViewport) -> None:
    project = Project()
    project.add_motion(counting_asset(90))
    track = project.dancer_tracks()[0]
    project.add_clip(track.id, Clip("c", "m1", "c", start=1.0, source_in=0.0, source_out=2.0))
    view.set_project(project)
    view.set_time(1.5)
    assert [round(p.positions[PELVIS, 0]) for p in view.dancers()] == [15]
    view.set_time(0.5)  # before the clip the dancer waits where the clip begins (frame 0)
    assert [round(p.positions[PELVIS, 0]) for p in view.dancers()] == [0]
    # An edit of the project redraws the current time without a new tick.
    project.replace_clip(Clip("c", "m1", "c", start=0.0, source_in=0.0, source_out=2.0))
    assert [round(p.positions[PELVIS, 0]) for p in view.dancers()] == [15]


def test_the_viewport_draws_the_dancer_where_its_camera_projects_it(
    view: DancerViewport,
) -> None:
    project = Project()
    asset = counting_asset(1)
    project.add_motion(asset)
    project.add_clip(project.dancer_tracks()[0].id, Clip("c", "m1", "c", 0.0, 0.0, 1.0))
    view.set_project(project)
    view.set_time(0.0)
    view.set_fps_visible(False)
    frame = view.frame()
    assert frame is not None
    image = rgb(frame)
    h, w = image.shape[:2]
    chest = view.dancers()[0].positions[CANONICAL.index("chest")]
    x, y = view.camera().project(chest, w, h)
    r, g, b = image[int(y), int(x)].astype(int)
    assert b > r + 40 and g > r + 20  # the default sky-blue body, not the grey stage
    assert np.abs(image[5, 5].astype(int) - image[5, w - 6]).sum() < 6  # empty sky both sides


def test_mouse_orbits_pans_and_zooms_and_keys_pick_views(
    view: DancerViewport, qtbot: QtBot
) -> None:
    start = view.camera()
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    qtbot.mouseMove(view, QPoint(160, 110))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(160, 110))
    assert view.camera().yaw != start.yaw and view.camera().pitch > start.pitch
    wheel = QWheelEvent(
        QPointF(50, 50),
        QPointF(view.mapToGlobal(QPoint(50, 50))),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    distance = view.camera().distance
    view.wheelEvent(wheel)
    assert view.camera().distance < distance
    target = view.camera().target
    qtbot.mousePress(view, Qt.MouseButton.RightButton, pos=QPoint(100, 100))
    qtbot.mouseMove(view, QPoint(130, 100))
    qtbot.mouseRelease(view, Qt.MouseButton.RightButton, pos=QPoint(130, 100))
    assert view.camera().target != target
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert view.camera() == view.camera().with_preset(CameraPreset.SIDE)
    qtbot.keyClick(view, Qt.Key.Key_M)
    assert view.is_mirrored()


def test_the_fps_readout_is_measured_from_drawn_frames(view: DancerViewport, qtbot: QtBot) -> None:
    readings: list[float] = []
    view.fps_changed.connect(readings.append)
    for i in range(6):
        view.set_camera(view.camera().orbited(0.01 * (i + 1), 0.0))
        qtbot.wait(20)
    assert readings and view.fps() > 0


def test_the_view_is_a_raster_widget_that_shows_the_dancer(
    view: DancerViewport, qtbot: QtBot
) -> None:
    # A QOpenGLWidget would make Qt compose the whole window through OpenGL (issue 13).
    assert not isinstance(view, QOpenGLWidget) and not view.findChildren(QOpenGLWidget)
    view.set_fps_visible(False)
    empty = view.frame()
    view.set_dancers([rest_pose(0.0)])
    qtbot.waitUntil(lambda: view.frames_drawn >= 2)
    shown = rgb(view.grab().toImage())  # what the widget paints, as a screenshot takes it
    assert empty is not None and view.gl_error() is None
    changed = np.abs(shown.astype(int) - rgb(empty)).sum(axis=2) > 30
    assert 0.01 < changed.mean() < 0.5  # the dancer, on a stage that is still there


def test_a_repaint_shows_the_last_frame_without_drawing_it_again(
    view: DancerViewport, qtbot: QtBot
) -> None:
    view.set_dancers([rest_pose(0.0)])
    qtbot.waitUntil(lambda: view.frames_drawn >= 1)
    QApplication.processEvents()
    drawn = view.frames_drawn
    before = view.grab().toImage()
    view.set_fps_visible(False)  # an overlay change repaints, it does not draw in 3D
    view.repaint()
    view.update()
    QApplication.processEvents()
    assert view.frames_drawn == drawn
    view.set_dancers([rest_pose(0.5)])
    view.repaint()
    assert view.frames_drawn == drawn + 1
    view.resize(200, 150)
    view.repaint()
    frame = view.frame()
    assert view.frames_drawn == drawn + 2
    assert frame is not None and frame.size() == view.size() * view.devicePixelRatio()
    assert view.grab().toImage() != before


def test_a_view_that_cannot_draw_says_why(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_context(*_args: object) -> None:
        raise RuntimeError("no OpenGL context for offscreen rendering: a test")

    fresh = DancerViewport()
    qtbot.addWidget(fresh)
    monkeypatch.setattr("viewport.widget.OffscreenRenderer", no_context)
    fresh.resize(320, 240)
    fresh.set_dancers([rest_pose(0.0)])
    fresh.show()
    qtbot.waitExposed(fresh)
    assert fresh.frame() is None
    assert fresh.gl_error() == "no OpenGL context for offscreen rendering: a test"
    shown = rgb(fresh.grab().toImage())
    # The message's dark background, and its text: no stage, no dancer.
    assert (np.abs(shown[2, 2].astype(int) - (0x15, 0x16, 0x1B)) <= 2).all()
    assert (shown.sum(axis=2) > 200).any()
    fresh.set_camera(OrbitCamera(distance=3.0))  # the mouse and keys still work
    fresh.repaint()
    assert fresh.frames_drawn == 0
