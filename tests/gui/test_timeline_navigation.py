"""DAW navigation of the count timeline, driven with real mouse and wheel events at data
coordinates: the ruler, the wheel, zoom to fit, the beat-edit mode, loop shading, part labels."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from inference.audio import SongAnalysis
from widgets.timeline import NAVIGATE_HINT, PARTS, TimelineView


@pytest.fixture
def studio(analysed_window: MainWindow, demo_analysis: SongAnalysis) -> MainWindow:
    """The analysed window, navigating (not editing beats), with a song to play."""
    rate = 8000
    samples = np.zeros(int(demo_analysis.duration * rate), np.float32)
    analysed_window.transport.set_song(samples, rate)
    return analysed_window


def widget_point(timeline: TimelineView, x: float, y: float | None = None) -> QPoint:
    """The pixel of the plot's viewport at data ``x`` and ``y`` (None: on the ruler)."""
    if y is None:
        scene_x = timeline.view.mapViewToScene(QPointF(x, 0.0)).x()
        scene = QPointF(scene_x, timeline.ruler.sceneBoundingRect().center().y())
    else:
        scene = timeline.view.mapViewToScene(QPointF(x, y))
    return timeline.plot.mapFromScene(scene)


def wheel(timeline: TimelineView, x: float, steps: int, ctrl: bool = False) -> None:
    position = QPointF(widget_point(timeline, x, 0.0))
    modifiers = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    event = QWheelEvent(
        position,
        QPointF(timeline.plot.viewport().mapToGlobal(position.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(timeline.plot.viewport(), event)


def test_clicking_the_ruler_moves_the_playhead_and_dragging_scrubs(
    studio: MainWindow, qtbot: QtBot
) -> None:
    timeline = studio.timeline
    viewport = timeline.plot.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=widget_point(timeline, 7.0))
    assert studio.transport.position == pytest.approx(7.0, abs=0.05)
    assert timeline.playhead.value() == pytest.approx(7.0, abs=0.05)
    seen = []
    studio.transport.position_changed.connect(seen.append)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=widget_point(timeline, 2.0))
    for x in (3.0, 4.0, 5.0, 6.0):  # moves with the button held (QTest's carry no button)
        point = QPointF(widget_point(timeline, x))
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            point,
            QPointF(viewport.mapToGlobal(point.toPoint())),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, move)
        qtbot.wait(30)  # pyqtgraph drops moves closer than its rate limit (10 ms)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=widget_point(timeline, 6.0))
    assert studio.transport.position == pytest.approx(6.0, abs=0.05)
    assert len(seen) >= 3 and seen == sorted(seen)  # it followed the mouse: a scrub


def test_the_wheel_scrolls_and_ctrl_wheel_zooms_around_the_mouse(studio: MainWindow) -> None:
    timeline = studio.timeline
    timeline.show_range(10.0, 20.0)
    wheel(timeline, 15.0, -1)
    low, high = timeline.visible_range()
    assert high - low == pytest.approx(10.0) and low == pytest.approx(11.0)
    wheel(timeline, 13.0, 1, ctrl=True)
    low, high = timeline.visible_range()
    assert high - low == pytest.approx(8.0)
    assert (13.0 - low) / (high - low) == pytest.approx(0.2, abs=0.01)  # 13 s stayed put
    # The dancer lanes below scroll the same way (they used to zoom instead).
    before = timeline.visible_range()
    lanes = studio.clip_lanes
    position = QPointF(lanes.plot.mapFromScene(lanes.view.mapViewToScene(QPointF(15.0, -0.5))))
    QApplication.sendEvent(
        lanes.plot.viewport(),
        QWheelEvent(
            position,
            QPointF(lanes.plot.viewport().mapToGlobal(position.toPoint())),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    )
    after = timeline.visible_range()
    assert after[1] - after[0] == pytest.approx(before[1] - before[0])
    assert after[0] > before[0]


def test_zoom_to_fit_shows_the_whole_song(studio: MainWindow) -> None:
    studio.timeline.show_range(20.0, 22.0)
    fit = next(a for a in studio._menus["View"].actions() if "Fit" in a.text())
    assert fit.shortcut().toString() == "Ctrl+0"
    fit.trigger()
    low, high = studio.timeline.visible_range()
    assert low == pytest.approx(0.0) and high == pytest.approx(studio.project.song.duration)


def test_a_waveform_click_selects_a_beat_only_in_the_visible_beat_edit_mode(
    studio: MainWindow, qtbot: QtBot
) -> None:
    timeline = studio.timeline
    beat = studio.project.beat_grid.beats[5]
    viewport = timeline.plot.viewport()
    assert not timeline.beat_edit and timeline.mode_label.text() == NAVIGATE_HINT
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=widget_point(timeline, beat, 0.0))
    assert timeline.selected_beat is None  # navigating: the click only seeks
    assert studio.transport.position == pytest.approx(beat, abs=0.05)
    studio.beat_edit_action.trigger()  # E
    assert timeline.beat_edit and timeline.mode_button.isChecked()
    assert "Editing beats" in timeline.mode_label.text()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=widget_point(timeline, beat, 0.0))
    assert timeline.selected_beat == 5
    timeline.mode_button.click()  # off again from the timeline's own button
    assert not studio.beat_edit_action.isChecked() and timeline.selected_beat is None


def test_the_loop_is_shaded_and_its_edges_drag(studio: MainWindow) -> None:
    timeline, transport = studio.timeline, studio.transport
    assert timeline.loop_shown() is None
    part = studio.project.parts[2]
    transport.seek((part.start + part.end) / 2)
    studio.transport_bar.loop_part.setChecked(True)  # loop this part
    assert timeline.loop_shown() == pytest.approx((part.start, part.end))
    _, right = timeline.loop_region.lines
    right.setValue(part.end + 1.0)  # the drag of the right edge, released
    right.sigPositionChangeFinished.emit(right)
    assert transport.loop == pytest.approx((part.start, part.end + 1.0))
    assert "loop" in studio.transport_bar.loop_label.text()
    studio.transport_bar.clear_button.click()
    assert timeline.loop_shown() is None
    studio.transport_bar.a_button.click()  # A at the playhead...
    transport.seek(part.end + 2.0)
    studio.transport_bar.b_button.click()  # ...B here: the A–B loop is shaded too
    assert timeline.loop_shown() == pytest.approx(transport.loop)


def test_a_named_part_shows_its_name_when_there_is_room(studio: MainWindow) -> None:
    studio.analysis.rename_part(4, "Arm wave")
    lane = studio.timeline.parts_lane
    part = studio.project.parts[3]
    studio.timeline.show_range(part.start - 4.0, part.end + 4.0)  # normal zoom
    assert lane.label_shown(3) == "4 · Arm wave"
    studio.timeline.show_range(0.0, 400.0)  # far out: the block is a few pixels
    assert lane.label_shown(3) in ("4", "")


def test_the_trailing_partial_part_reaches_the_song_end_and_can_be_merged(
    studio: MainWindow,
) -> None:
    project = studio.project
    last = project.parts[-1]
    assert last.end == pytest.approx(project.song.duration)  # the last 3 s belong to it
    assert last.n_beats < 8
    assert studio.timeline.parts_lane.bands[-1].long_text.endswith(f"{last.n_beats} counts")
    menu = studio.timeline.context_menu(
        (last.start + last.end) / 2, sum(PARTS.__dict__.values()) / 2
    )
    assert menu is not None
    merge = next(a for a in menu.actions() if a.text() == f"Merge into Part {last.index - 1}")
    merge.trigger()
    assert len(project.parts) == last.index - 1
    assert project.parts[-1].end == pytest.approx(project.song.duration)
    studio.undo_stack.undo()  # the user's choice either way, one step
    assert project.parts[-1] == last
