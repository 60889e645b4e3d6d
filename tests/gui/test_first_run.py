"""The first start: demo song analysed with a routine, the tour, and never the tour again."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from app.application import start_studio
from app.first_run import Tour, card_position
from app.main_window import MainWindow
from inference.paths import DEMO_SONG


@pytest.fixture
def launch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Callable[[Path], MainWindow]]:
    """Start studios as the app does, on a settings file; every one is closed after the test.

    No dialog may block: errors are recorded in ``window.errors``. The exception hooks the
    start installs are put back.
    """
    monkeypatch.setattr(
        MainWindow, "_show_error", lambda self, title, text: self.errors.append(text)
    )
    monkeypatch.setattr(
        MainWindow, "_ask_save_changes", lambda self: QMessageBox.StandardButton.Discard
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    windows: list[MainWindow] = []

    def start(settings_file: Path) -> MainWindow:
        monkeypatch.setattr(MainWindow, "errors", [], raising=False)
        window = start_studio(settings_file=settings_file, recovery_dir=tmp_path / "recovery")
        windows.append(window)
        return window

    yield start
    for window in windows:
        close(window)


def close(window: MainWindow) -> None:
    if isValid(window):
        window.close()
        window.deleteLater()
    QApplication.processEvents()


def routine_clips(window: MainWindow) -> int:
    return sum(len(track.clips) for track in window.project.dancer_tracks())


@pytest.mark.slow
def test_first_start_opens_the_demo_analysed_with_a_routine_and_the_tour_once(
    qtbot: QtBot, tmp_path: Path, launch: Callable[[Path], MainWindow]
) -> None:
    settings_file = tmp_path / "settings.ini"
    window = launch(settings_file)
    # The window is up before any of the work: nothing is loaded yet.
    assert window.isVisible()
    assert window.project.song is None
    qtbot.waitUntil(lambda: getattr(window, "tour", None) is not None, timeout=180_000)

    assert window.errors == []  # type: ignore[attr-defined]
    assert window.project.song is not None
    assert Path(window.project.song.path) == DEMO_SONG
    assert window.project.beat_grid.beats
    assert len(window.project.parts) >= 8
    assert routine_clips(window) >= len(window.project.parts)
    assert window.undo_stack.isClean()  # the demo is not unsaved work of the user's
    tour: Tour = window.tour
    assert tour.isVisible()
    assert tour.target() is window.timeline_host
    targets = []
    for step in range(4):
        tour.show_step(step)
        targets.append(tour.target())
        assert tour.highlight.isVisible()
        assert tour.highlight.geometry().contains(
            QRect(tour.target().mapTo(window, tour.target().rect().topLeft()), QSize(1, 1))
        )
    assert targets == [
        window.timeline_host,
        window.viewport,
        window.parameter_dock,
        window.transport_bar,
    ]
    tour.close_button.click()
    assert not tour.isVisible()
    close(window)

    again = launch(settings_file)
    qtbot.wait(300)  # the event loop runs the start-up steps
    assert getattr(again, "tour", None) is None
    assert getattr(again, "first_run", None) is None
    assert again.project.song is None


@pytest.mark.parametrize("how", ["Cancel button", "Esc"])
def test_cancelling_the_first_run_still_shows_the_tour_without_a_routine(
    qtbot: QtBot, tmp_path: Path, launch: Callable[[Path], MainWindow], how: str
) -> None:
    window = launch(tmp_path / "s.ini")
    qtbot.waitUntil(lambda: window.bridge.busy, timeout=10_000)
    if how == "Esc":
        window.cancel_action.trigger()
    else:
        window.cancel_button.click()
    qtbot.waitUntil(lambda: getattr(window, "tour", None) is not None, timeout=30_000)
    assert routine_clips(window) == 0
    assert not window.bridge.busy
    assert not window.settings.tour_dismissed()  # only dismissing the tour dismisses it


def test_a_tour_closed_unfinished_comes_back_and_finishing_it_ends_it(
    qtbot: QtBot, tmp_path: Path, launch: Callable[[Path], MainWindow]
) -> None:
    settings_file = tmp_path / "s.ini"
    settings_file.write_text("[window]\n")  # not a first start: no demo, the tour alone
    window = launch(settings_file)
    qtbot.waitUntil(lambda: getattr(window, "tour", None) is not None, timeout=10_000)
    assert window.project.song is None
    close(window)  # quit without dismissing it

    window = launch(settings_file)
    qtbot.waitUntil(lambda: getattr(window, "tour", None) is not None, timeout=10_000)
    for _ in range(4):
        window.tour.next_button.click()  # Next, Next, Next, Finish
    assert window.settings.tour_dismissed()


def test_the_card_sits_beside_a_small_target_and_inside_a_big_one() -> None:
    window = QRect(0, 0, 1280, 800)
    card = QSize(360, 160)
    timeline = QRect(0, 500, 910, 270)
    placed = QRect(card_position(timeline, window, card), card)
    assert placed.bottom() < timeline.top()  # above it, not over it
    dock = QRect(918, 18, 362, 450)
    placed = QRect(card_position(dock, window, card), card)
    assert placed.right() < dock.left()
    viewport = QRect(0, 18, 910, 450)
    placed = QRect(card_position(viewport, window, card), card)
    assert viewport.contains(placed)
    assert window.contains(QRect(card_position(window, window, card), card))
