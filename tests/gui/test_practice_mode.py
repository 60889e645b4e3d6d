"""Practice mode in the studio: a video file as the camera, the skeleton and the count, the live
score on its worker, a pass kept as a take; no camera (for real); scoring a video file with
progress, Cancel, bad input and the silent-take offer; the score view's clicks, its history and
its HTML report."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from app.model import Clip, Take
from app.model.track_sampling import asset_from_motion
from app.practice_mode_controller import PRACTICE_DISPLAY_HZ, PRACTICE_IDLE_DISPLAY_HZ
from inference.motion import load_motion
from inference.pose.live import VideoAsCamera, WebcamSource
from inference.scoring.practice import PracticeSession
from tests.gui.conftest import require_gl
from tests.gui.test_video_import import media  # noqa: F401 (the shared video fixture)
from viewport.offscreen import gl_context_error
from viewport.widget import DancerViewport

WAIT_MS = 60_000


@pytest.fixture
def practice_window(analysed_window: MainWindow, shared_data: Path) -> MainWindow:
    """The analysed demo song with a routine (Perfume's aachan) on the dancer track."""
    window = analysed_window
    project = window.project
    motion = load_motion(shared_data / "motion" / "perfume" / "aachan.bvh")
    project.add_motion(asset_from_motion(motion, "aachan", "aachan.bvh"))
    track = project.dancer_tracks()[0]
    duration = motion.n_frames / motion.fps
    project.add_clip(track.id, Clip("c1", "aachan", "aachan", 0.0, 0.0, duration))
    window.undo_stack.setClean()
    rate = 8000  # the song as silence: the silent clock plays it, and the loop needs its length
    window.transport.set_song(
        np.zeros(int(window.project.beat_grid.duration * rate), np.float32), rate
    )
    return window


def fake_camera(shared_data: Path) -> VideoAsCamera:
    return VideoAsCamera(
        shared_data / "video" / "mediapipe_pose_segmentation_dancer.mp4", loop=True
    )


def test_practice_mode_shows_the_skeleton_the_count_and_a_live_score_from_the_worker(
    practice_window: MainWindow, shared_data: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = practice_window
    controller = window.practice_mode
    controller.camera_opener = lambda: fake_camera(shared_data)
    threads: set[int] = set()
    step = PracticeSession.step

    def recording_step(self: PracticeSession, clock: object) -> object:
        threads.add(threading.get_ident())
        return step(self, clock)  # type: ignore[arg-type]

    monkeypatch.setattr(PracticeSession, "step", recording_step)
    window.practice_mode_action.setChecked(True)
    assert window.practice_panel.isVisible()
    part = window.project.parts[0]
    window.transport.seek(part.start + 0.01)
    assert controller.start()
    assert window.transport.loop == (part.start, part.end)  # the part loops
    qtbot.waitUntil(lambda: controller.frames_shown >= 3, timeout=WAIT_MS)
    view = window.practice_panel.view
    assert view._image is not None and view._points is not None  # picture and skeleton
    counts = set()
    qtbot.waitUntil(
        lambda: counts.add(window.practice_panel.count_label.text()) or len(window.project.takes),
        timeout=WAIT_MS,
    )  # a whole pass through the part, kept as a take
    assert counts >= {"1", "8"} and counts <= {str(k) for k in range(1, 9)} | {"–"}
    take = window.project.takes[0]
    assert (take.part, take.source) == (part.index, "camera") and 40 <= take.score <= 100
    assert window.take_score_panel.result is not None  # the pass is in the score view
    assert window.practice_panel.score_label.text() != "" and controller.rate > 0
    assert threading.get_ident() not in threads and len(threads) == 1  # one worker, not the UI
    assert window.undo_stack.undoText().startswith("Practice take of Part 1")
    window.undo_stack.undo()
    assert window.project.takes == ()
    controller.stop()
    qtbot.waitUntil(lambda: controller.session is None and not controller._closing, timeout=WAIT_MS)
    assert not window.transport.playing


def test_while_practising_the_reference_view_redraws_at_the_cap_and_still_moves(
    practice_window: MainWindow, shared_data: Path, qtbot: QtBot
) -> None:
    window = practice_window
    view = window.viewport
    if not isinstance(view, DancerViewport):
        require_gl(gl_context_error())
    assert isinstance(view, DancerViewport)
    controller = window.practice_mode
    controller.camera_opener = lambda: fake_camera(shared_data)
    window.practice_mode_action.setChecked(True)
    window.transport.seek(window.project.parts[0].start + 0.01)
    assert controller.start()
    qtbot.waitUntil(lambda: controller.frames_shown >= 3, timeout=WAIT_MS)
    assert window.transport.display_rate == PRACTICE_IDLE_DISPLAY_HZ  # the pictures pace it
    shown: list[float] = []
    window.transport.position_changed.connect(shown.append)
    drawn, frames, started = view.frames_drawn, controller.frames_shown, time.perf_counter()
    qtbot.wait(2000)
    elapsed = time.perf_counter() - started
    # At most the cap (a little slack for a resize or an expose), however fast the machine:
    # the playhead is shown with the camera's pictures, and by the tick only when none come.
    assert view.frames_drawn - drawn <= PRACTICE_DISPLAY_HZ * elapsed + 3
    assert len(shown) <= PRACTICE_DISPLAY_HZ * elapsed + 2
    assert len(set(shown)) >= 3 and view.time() > shown[0]  # the reference still advances
    assert controller.frames_shown > frames  # and so does the camera
    controller.stop()
    assert window.transport.display_rate is None  # the studio redraws at every tick again
    qtbot.waitUntil(lambda: controller.session is None and not controller._closing, timeout=WAIT_MS)


def test_no_camera_says_so_and_offers_a_video_file(
    practice_window: MainWindow,
    qtbot: QtBot,
    media: dict[str, Path],  # noqa: F811
) -> None:
    window = practice_window
    controller = window.practice_mode
    controller.camera_opener = lambda: WebcamSource(97)  # a real OpenCV open: no such camera
    window.practice_mode_action.setChecked(True)
    assert controller.start()
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    panel = window.practice_panel
    assert panel.message.text().startswith("No camera: webcam 97: no camera found")
    assert "Score a Video File" in panel.message.text()
    assert panel.start_button.text() == "Start" and panel.video_button.isVisible()
    controller.ask_video = lambda: media["silent.mp4"]
    panel.video_button.click()
    qtbot.waitUntil(lambda: controller.result is not None, timeout=WAIT_MS)
    assert window.take_score_panel.result is controller.result
    assert [t.source for t in window.project.takes] == ["silent.mp4"]


def test_a_video_take_is_scored_in_the_background_and_kept_in_the_history(
    practice_window: MainWindow,
    qtbot: QtBot,
    media: dict[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    window = practice_window
    controller, panel = window.practice_mode, window.take_score_panel
    progress: list[int] = []
    window.bridge.progress.connect(lambda percent, _: progress.append(percent))
    assert controller.score_video(media["silent.mp4"])
    assert window.cancel_button.isVisibleTo(window)  # the status bar's Cancel
    qtbot.waitUntil(lambda: controller.result is not None, timeout=WAIT_MS)
    result = controller.result
    assert result is not None and progress and max(progress) == 100
    # Silent: started with the reference, said so, and lining up by motion is offered.
    assert result.sync == "start" and panel.sync_button.isVisibleTo(panel)
    assert any("no soundtrack" in n or "starts with the reference" in n for n in result.notes)
    # Much shorter than the routine: what overlaps is scored, and the notes say so.
    assert any("were not scored" in n for n in result.notes)
    assert "were not scored" in panel.notes.text()
    assert panel.feedback.count() >= 1 and panel.history.rowCount() == len(result.parts)
    scored = {t.part for t in window.project.takes}
    assert scored == {p.index for p in result.parts}
    panel.sync_button.click()
    qtbot.waitUntil(lambda: controller.result is not result, timeout=WAIT_MS)
    assert controller.result is not None and controller.result.sync == "motion"
    assert re.search(r"→", panel.history.item(0, 1).text())  # two takes of the part now
    report = controller.export_report(tmp_path / "take.html")
    assert report is not None
    text = report.read_text(encoding="utf-8")
    assert text.count("data:image/svg+xml;base64,") == 2 and "silent.mp4" in text


def test_cancel_stops_a_video_score_and_changes_nothing(
    practice_window: MainWindow,
    qtbot: QtBot,
    media: dict[str, Path],  # noqa: F811
) -> None:
    window = practice_window
    controller = window.practice_mode
    assert controller.score_video(media["silent.mp4"])
    with qtbot.waitSignal(window.bridge.cancelled, timeout=WAIT_MS):
        window.cancel_button.click()
    assert controller.result is None and window.project.takes == ()
    assert window.undo_stack.isClean()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("corrupt.mp4", "corrupt.mp4: "),
        ("nobody.mp4", "nobody.mp4: no person"),
    ],
)
def test_bad_takes_get_a_clear_message_and_lose_nothing(
    practice_window: MainWindow,
    qtbot: QtBot,
    media: dict[str, Path],  # noqa: F811
    name: str,
    expected: str,
) -> None:
    window = practice_window
    window.project.set_takes((Take(1, 70.0, None, "camera", 1.0),))
    before = (window.project.takes, window.undo_stack.count(), media[name].read_bytes())
    assert window.practice_mode.score_video(media[name])
    qtbot.waitUntil(lambda: bool(window.errors), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert expected in window.errors[-1]  # type: ignore[attr-defined]
    assert expected in window.take_score_panel.notes.text()
    assert (window.project.takes, window.undo_stack.count(), media[name].read_bytes()) == before


def test_no_routine_or_no_parts_is_said_before_any_work(
    analysed_window: MainWindow,
    media: dict[str, Path],  # noqa: F811
) -> None:
    controller = analysed_window.practice_mode
    assert not controller.start()
    assert "no routine to practise" in analysed_window.practice_panel.message.text()
    assert not controller.score_video(media["silent.mp4"])
    assert "no routine" in analysed_window.errors[-1]  # type: ignore[attr-defined]
    assert not controller.running and analysed_window.project.takes == ()


def click_plot(plot: object, seconds: float, y: float) -> None:
    """A real mouse click on a pyqtgraph plot at data coordinates (seconds, y)."""
    view = plot.getPlotItem().getViewBox()  # type: ignore[attr-defined]
    scene_pos = view.mapViewToScene(QPointF(seconds, y))
    widget_pos = plot.mapFromScene(scene_pos)  # type: ignore[attr-defined]
    QTest.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=widget_pos)  # type: ignore[attr-defined]


def test_clicking_a_bar_or_a_count_seeks_there(practice_window: MainWindow, qtbot: QtBot) -> None:
    from tests.unit.scoring.test_take_report import RESULT

    window = practice_window
    panel = window.take_score_panel
    window.take_score_dock.show()
    window.take_score_dock.raise_()
    parts, grid = window.project.parts, window.project.beat_grid
    panel.set_result(RESULT, parts, grid, "take.mp4")
    panel.resize(700, 500)
    qtbot.wait(50)
    third = parts[2]
    click_plot(panel.bars, (third.start + third.end) / 2, 60.0)
    assert window.transport.position == pytest.approx(third.start)
    cell = next(c for c in panel.cells if c.part == 3 and c.count == 5)
    click_plot(panel.strip, (cell.start + cell.end) / 2, 0.5)
    assert window.transport.position == pytest.approx(cell.start)
    assert cell.start == pytest.approx(grid.beats[third.first_beat + 4])
    panel.feedback.itemClicked.emit(panel.feedback.item(0))
    assert window.transport.position == pytest.approx(parts[0].start)


def test_mirror_mirrors_the_3d_view_and_the_picture(practice_window: MainWindow) -> None:
    window = practice_window
    panel = window.practice_panel
    rgb = np.zeros((4, 6, 3), np.uint8)
    rgb[:, 0] = 255  # a red left edge
    points = np.zeros((33, 3))
    points[0] = (1.0, 2.0, 1.0)
    panel.mirror_box.setChecked(True)
    assert window.view_actions["mirror"].isChecked()
    panel.show_frame(rgb, points, (6, 4))
    assert panel.view._points is not None and panel.view._points[0, 0] == 5.0
    assert panel.view._buffer is not None and panel.view._buffer[0, -1, 0] == 255
