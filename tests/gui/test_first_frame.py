"""The studio's start-up work waits for the window's first frame (issue 11, point 16)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from app.application import start_studio
from app.first_frame import AfterFirstFrame
from app.main_window import MainWindow
from viewport.widget import DancerViewport


def test_the_work_of_a_start_begins_once_the_first_frame_is_on_screen(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run from zero-delay timers, recovery, the song to open and the tour came before the
    # first expose, and the song's decoding on the worker held the first paint up.
    monkeypatch.setattr(MainWindow, "_show_error", lambda self, title, text: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    seen: list[tuple[bool, int]] = []
    real_offer = MainWindow.offer_recovery

    def offer_recovery(self: MainWindow) -> bool:
        handle = self.windowHandle()
        view = self.viewport
        drawn = view.frames_drawn if isinstance(view, DancerViewport) else 0
        seen.append((handle is not None and handle.isExposed(), drawn))
        return real_offer(self)

    monkeypatch.setattr(MainWindow, "offer_recovery", offer_recovery)
    settings_file = tmp_path / "settings.ini"
    settings_file.write_text("[window]\n")  # not a first start: the tour alone
    window = start_studio(settings_file=settings_file, recovery_dir=tmp_path / "recovery")
    try:
        assert seen == []  # nothing before the event loop runs
        qtbot.waitUntil(lambda: getattr(window, "tour", None) is not None, timeout=10_000)
        assert len(seen) == 1
        exposed, frames_before = seen[0]
        assert exposed
        if isinstance(window.viewport, DancerViewport):  # xcb: the 3D view is in that frame
            assert frames_before >= 1
    finally:
        if isValid(window):
            window.close()
            window.deleteLater()
        QApplication.processEvents()


def test_the_work_still_runs_when_no_frame_ever_comes(qtbot: QtBot) -> None:
    widget = QWidget()
    widget.winId()  # a native window that is never shown, so never exposed
    calls: list[str] = []
    AfterFirstFrame(widget, [lambda: calls.append("a"), lambda: calls.append("b")], 50)
    QApplication.processEvents()
    assert calls == []
    qtbot.waitUntil(lambda: calls == ["a", "b"], timeout=2000)
    qtbot.wait(100)
    assert calls == ["a", "b"]  # once
    widget.deleteLater()


def test_a_window_already_on_screen_runs_the_work_at_once(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    calls: list[str] = []
    AfterFirstFrame(widget, [lambda: calls.append("a")])
    qtbot.waitUntil(lambda: calls == ["a"], timeout=1000)
