"""DancerViewport: draws on screen, follows a project and the clock, and takes mouse and keys."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from pytestqt.qtbot import QtBot

from app.model import Clip, Project
from inference.motion import CANONICAL
from tests.gui.viewport.conftest import counting_asset
from viewport.camera import CameraPreset
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
    image = rgb(view.grabFramebuffer())
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
    for _ in range(6):
        view.update()
        qtbot.wait(20)
    assert readings and view.fps() > 0
