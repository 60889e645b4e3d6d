"""GUI fixtures: per-test settings, a main window, and a guard against leaked threads."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app.bridge import ManagedThread
from app.main_thread_gc import MainThreadCollector
from app.main_window import MainWindow
from app.model import Project, Song
from app.playback import SilentClock
from app.settings import StudioSettings, make_settings
from inference.audio import SongAnalysis, analyze_song
from inference.paths import DEMO_SONG

# Platforms that can never give a GL context: skipping there is expected. Anywhere else (the
# suite's Xvfb with xcb) a missing context is a real failure.
NO_GL_PLATFORMS = {"offscreen", "minimal", "vnc"}


def require_gl(reason: str | None) -> None:
    """Skip where the platform cannot give OpenGL, fail where it should (``reason``: why not)."""
    if reason is None:
        return
    if QGuiApplication.platformName() in NO_GL_PLATFORMS:
        pytest.skip(f"no OpenGL here: {reason} (run under Xvfb with QT_QPA_PLATFORM=xcb)")
    pytest.fail(f"no OpenGL context although the platform should give one: {reason}")


def running_thread_names() -> list[str]:
    return [t.objectName() for t in ManagedThread.running()]


@pytest.fixture(autouse=True)
def no_thread_left_running() -> Iterator[None]:
    """Fail any test that leaves a QThread (or a new Python thread) running."""
    python_threads = set(threading.enumerate())
    yield
    app = QApplication.instance()
    if app is not None:
        app.processEvents()
    leaked = running_thread_names()
    for thread in list(ManagedThread.running()):
        thread.quit()
        thread.wait(2000)
    # Foreign threads (QThreads) show up as dummy entries that never die: ManagedThread
    # covers those, so only real Python threads are checked here.
    new_python = [
        t.name
        for t in threading.enumerate()
        if t not in python_threads and t.is_alive() and not isinstance(t, threading._DummyThread)  # type: ignore[attr-defined]
    ]
    assert not leaked, f"the test left QThreads running: {leaked}"
    assert not new_python, f"the test left Python threads running: {new_python}"


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the studio: cycles (dead windows of earlier tests) are collected on this thread,
    never on the worker (see :mod:`app.main_thread_gc`); the rest of the suite gets the
    interpreter's collector back."""
    collector = MainThreadCollector(qapp)
    yield
    collector.stop()
    collector.deleteLater()


@pytest.fixture
def studio_settings(tmp_path: Path) -> StudioSettings:
    """Each test gets its own settings file."""
    return StudioSettings(make_settings(tmp_path / "settings.ini"))


@pytest.fixture
def window(
    qapp: QApplication,
    tmp_path: Path,
    studio_settings: StudioSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[MainWindow]:
    # A dialog would block the test: record errors instead of showing them.
    errors: list[str] = []
    monkeypatch.setattr(
        MainWindow, "_show_error", lambda self, title, message: errors.append(message)
    )
    # Nor may a "save changes?" question; tests that care set their answer with `answer`.
    monkeypatch.setattr(
        MainWindow, "_ask_save_changes", lambda self: QMessageBox.StandardButton.Discard
    )
    # Nor the offers to locate a missing song or to embed one (tests that care answer them).
    monkeypatch.setattr(MainWindow, "_ask_locate_song", lambda self, song: None)
    monkeypatch.setattr(MainWindow, "_ask_embed_song", lambda self, song, folder: False)
    main = MainWindow(studio_settings, tmp_path / "recovery", clock=SilentClock("test"))
    main.errors = errors  # type: ignore[attr-defined]
    main.show()
    yield main
    main.undo_stack.setClean()
    main.close()
    main.deleteLater()


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> object:
    """Set the button the "save changes?" question will get."""

    def set_answer(button: QMessageBox.StandardButton) -> None:
        monkeypatch.setattr(MainWindow, "_ask_save_changes", lambda self: button)

    return set_answer


@pytest.fixture(scope="session")
def demo_analysis() -> SongAnalysis:
    return analyze_song(DEMO_SONG)


@pytest.fixture
def analysed_window(window: MainWindow, demo_analysis: SongAnalysis) -> MainWindow:
    """The window with the demo song's analysis applied, zoomed in on the first parts."""
    project = Project()
    project.set_song(Song(path="", title="demo", duration=demo_analysis.duration))
    project.set_beat_grid(demo_analysis.grid)
    project.set_parts(demo_analysis.parts)
    project.set_sections(demo_analysis.sections)
    window._set_project(project, None)
    window.analysis._remember(demo_analysis)
    window.timeline.show_range(0.0, 12.0)
    return window
