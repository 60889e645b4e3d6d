"""The window's menus, help, status bar and export dialogs, as a new user meets them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.about_dialog import AboutDialog
from app.help_text import studio_version
from app.main_window import MainWindow
from app.model import Clip, Project, Song
from app.model.track_sampling import asset_from_motion
from app.playback import SilentClock
from inference.audio import analyze_song, derive_parts
from inference.motion import rest_motion
from inference.paths import DEMO_SONG


def _help_rows(window: MainWindow) -> dict[str, str]:
    return {keys: text for _, rows in window.shortcut_groups() for keys, text in rows}


def test_the_shortcut_help_is_read_off_the_actions(window: MainWindow) -> None:
    rows = _help_rows(window)
    for keys in ("Ctrl+G", "Ctrl+Shift+G", "Ctrl+L", "T", "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+M"):
        assert keys in rows, keys
    assert rows["Ctrl+G"] == "Generate Routine" and rows["Ctrl+M"] == "Mirror Mode"
    assert "Ctrl+wheel" in rows and "Space" in rows and "Ctrl+0" in rows
    # The old help's wrong keys: "1/2/3" and "M" for the camera; M is the lanes' mirror only.
    assert "1/2/3" not in rows and rows["M"] == "Mirror Left/Right"
    # A new shortcut shows up without anyone editing the help.
    window._action("Help", "Say Hello", lambda: None, "Ctrl+Alt+H")
    assert _help_rows(window)["Ctrl+Alt+H"] == "Say Hello"


def test_about_shows_the_version(qtbot: QtBot, window: MainWindow) -> None:
    about = AboutDialog(window.bridge, window)
    assert studio_version() in about.version_label.text()
    assert any(ch.isdigit() for ch in studio_version())
    qtbot.waitUntil(lambda: not window.bridge.busy, timeout=60_000)  # its device question


def test_the_fps_counter_is_off_by_default_and_in_the_view_menu(window: MainWindow) -> None:
    fps = window.view_actions["fps"]
    assert fps in window._menus["View"].actions()
    assert not fps.isChecked()
    viewport = window.viewport
    if hasattr(viewport, "_show_fps"):
        assert not viewport._show_fps
        fps.trigger()
        assert viewport._show_fps


def test_the_play_and_pause_button_draws_an_icon_not_a_missing_glyph(window: MainWindow) -> None:
    bar = window.transport_bar
    for playing in (False, True):
        bar.show_playing(playing)
        button = bar.play_button
        assert not button.icon().isNull()
        metrics = QFontMetrics(button.font())
        assert all(metrics.inFontUcs4(ord(ch)) for ch in button.text()), button.text()
    assert bar.play_button.text() == "Pause"


def test_silent_audio_explains_itself_and_offers_the_devices(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.transport.set_clock(SilentClock("No audio output device found; playing silently."))
    assert window.audio_label.text() == "Audio: silent"
    assert "No audio output device found" in window.audio_label.toolTip()
    monkeypatch.setattr("app.main_window.output_devices", lambda: [(3, "USB headphones")])
    menu = window.audio_menu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[0].startswith("No audio output device found")
    assert "USB headphones" in texts and "System default output" in texts
    # Choosing a device that fails keeps the studio working and says which one failed.
    monkeypatch.setattr(
        "app.main_window.open_clock",
        lambda device: SilentClock(f"Could not open output device {device}: busy; silently."),
    )
    next(a for a in menu.actions() if a.text() == "USB headphones").trigger()
    assert "output device 3" in window.audio_label.toolTip()
    assert "output device 3" in window.statusBar().currentMessage()


def test_a_failing_device_falls_back_to_silence_with_the_reason(window: MainWindow) -> None:
    class BrokenClock(SilentClock):
        device = 7

        def start(self, position: float) -> None:
            raise RuntimeError("Device unavailable")

    import numpy as np

    window.transport.set_clock(BrokenClock())
    window.transport.set_song(np.zeros(8000, np.float32), 8000)
    window.transport.play()  # no crash: it plays silently
    assert window.transport.playing
    assert "Output device 7 failed" in window.audio_label.toolTip()
    window.transport.pause()


@pytest.fixture
def analysed(window: MainWindow, tmp_path: Path) -> MainWindow:
    analysis = analyze_song(DEMO_SONG)
    project = Project()
    project.set_song(Song(path=str(DEMO_SONG), title="Vibe Ace", duration=analysis.duration))
    project.set_beat_grid(analysis.grid)
    project.set_parts(derive_parts(analysis.grid))
    project.set_sections(analysis.sections)
    project.add_motion(asset_from_motion(rest_motion(60), "m", "idle"))
    part = project.parts[3]
    project.add_clip(
        project.dancer_tracks()[0].id,
        Clip("p4", "m", "Part 4", part.start, 0.0, min(2.0, part.end - part.start)),
    )
    window._set_project(project, tmp_path / "work" / "dance.eightcount")
    (tmp_path / "work").mkdir()
    window.analysis._remember(analysis)
    return window


def _export(window: MainWindow, monkeypatch: pytest.MonkeyPatch, menu_text: str, typed: str):
    asked = {}

    def fake(parent: object, title: str, directory: str, file_filter: str) -> tuple[str, str]:
        asked["dir"] = directory
        return str(Path(directory).parent / typed), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    action = next(a for a in window.export_menu.actions() if a.text().startswith(menu_text))
    action.trigger()
    return asked["dir"]


def test_exports_start_in_the_project_folder_and_get_their_extension(
    analysed: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "work"
    old = os.umask(0o022)
    try:
        suggested = _export(analysed, monkeypatch, "Audacity", "labels")
        assert suggested == str(folder / "Vibe Ace - labels.txt")
        written = folder / "labels.txt"
        assert written.is_file() and not (folder / "labels").exists()
        assert written.stat().st_mode & 0o777 == 0o644
        _export(analysed, monkeypatch, "Count Sheet", "countsheet")
        assert (folder / "countsheet.html").is_file()
    finally:
        os.umask(old)
    assert analysed.settings.last_folder() == folder


def test_a_renamed_part_reaches_the_clip_the_labels_and_the_count_sheet(
    analysed: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    analysed.analysis.rename_part(4, "Arm wave")
    assert analysed.project.find_clip("p4")[1].name == "Arm wave"  # the dancer clip too
    assert analysed.undo_stack.undoText() == "Rename part 4"
    _export(analysed, monkeypatch, "Audacity", "labels")
    labels = (tmp_path / "work" / "labels.txt").read_text()
    assert "\tArm wave\n" in labels and "\tPart 4\n" not in labels
    _export(analysed, monkeypatch, "Count Sheet", "sheet")
    assert "<td>Arm wave</td>" in (tmp_path / "work" / "sheet.html").read_text()
    analysed.undo_stack.undo()  # one step takes back the name and the clip's
    assert analysed.project.find_clip("p4")[1].name == "Part 4"
