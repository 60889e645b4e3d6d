"""The main window: title mark, files, recent files, bad input, song import, playback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QSlider

from app.main_window import MainWindow
from app.model import GenerationParams
from app.project_io import save_project
from inference.paths import DEMO_SONG


def _edit(window: MainWindow, energy: float = 0.9) -> None:
    window.parameter_panel.sliders["energy"].setValue(round(energy * 100))


def test_title_shows_the_modified_mark(window: MainWindow, tmp_path: Path) -> None:
    assert window.windowTitle() == "Untitled[*] — EightCount Studio"
    assert not window.isWindowModified()
    _edit(window)
    assert window.isWindowModified()
    window.undo_stack.undo()
    assert not window.isWindowModified()
    _edit(window)
    assert window.save_to(tmp_path / "dance.eightcount")
    assert not window.isWindowModified()
    assert window.windowTitle() == "dance[*] — EightCount Studio"


def _drag(slider: QSlider, values: range) -> None:
    """Press, move through ``values``, release: what a mouse drag does to a QSlider."""
    slider.setSliderDown(True)
    for value in values:
        slider.setValue(value)
    slider.setSliderDown(False)


def test_slider_drag_is_one_undo_step(window: MainWindow) -> None:
    slider = window.parameter_panel.sliders["bounce"]
    _drag(slider, range(50, 81, 5))
    assert window.project.generation.bounce == pytest.approx(0.8)
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.project.generation.bounce == pytest.approx(0.5)
    assert slider.value() == 50  # the panel follows the model back


def test_two_drags_of_one_slider_undo_separately(window: MainWindow) -> None:
    slider = window.parameter_panel.sliders["energy"]
    _drag(slider, range(50, 71, 5))
    _drag(slider, range(70, 91, 5))
    slider.setValue(95)  # a key press or a click on the groove: a step of its own
    slider.setValue(100)
    assert window.undo_stack.count() == 4
    expected = (0.95, 0.9, 0.7, 0.5)
    for energy in expected:
        window.undo_stack.undo()
        assert window.project.generation.energy == pytest.approx(energy)


def test_save_and_reopen(window: MainWindow, tmp_path: Path) -> None:
    _edit(window, 0.25)
    path = tmp_path / "p.eightcount"
    window.save_to(path)
    window.new_project()
    assert window.project.generation == GenerationParams()
    assert window.open_path(path)
    assert window.project.generation.energy == pytest.approx(0.25)
    assert window.parameter_panel.sliders["energy"].value() == 25
    assert window.settings.recent_files()[0] == str(path.resolve())


def test_bad_project_leaves_the_open_project_untouched(window: MainWindow, tmp_path: Path) -> None:
    _edit(window, 0.3)
    project_before = window.project
    bad = tmp_path / "bad.eightcount"
    bad.write_bytes(b"PK\x03\x04 truncated")
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    assert not window.open_path(bad)
    assert window.project is project_before
    assert window.project.generation.energy == pytest.approx(0.3)
    assert window.isWindowModified()
    assert "bad.eightcount" in window.errors[-1]  # type: ignore[attr-defined]


def test_unsaved_changes_are_not_dropped_on_cancel(window: MainWindow, answer: object) -> None:
    _edit(window)
    project = window.project
    answer(QMessageBox.StandardButton.Cancel)  # type: ignore[operator]
    window.new_project()
    assert window.project is project


def test_recent_files_menu(window: MainWindow, tmp_path: Path) -> None:
    for name in ("a", "b"):
        window.save_to(tmp_path / f"{name}.eightcount")
    names = [a.text() for a in window.recent_menu.actions()]
    assert names == ["b.eightcount", "a.eightcount"]


def test_importing_a_song_is_undoable(window: MainWindow, qtbot: object, tmp_path: Path) -> None:
    song = tmp_path / "song.ogg"
    shutil.copy(DEMO_SONG, song)
    window.import_song(song)
    qtbot.waitUntil(lambda: window.project.song is not None, timeout=15000)  # type: ignore[attr-defined]
    assert window.project.song.duration == pytest.approx(61.46, abs=0.05)  # type: ignore[union-attr]
    assert window.inspector.values["Length"].text() == "1:01"
    assert window.timeline.visible_range()[1] == pytest.approx(61.46, abs=0.1)
    window.undo_stack.undo()
    assert window.project.song is None


def test_a_bad_song_reports_and_changes_nothing(
    window: MainWindow, qtbot: object, tmp_path: Path
) -> None:
    bad = tmp_path / "noise.mp3"
    bad.write_bytes(b"this is not audio at all" * 100)
    window.import_song(bad)
    qtbot.waitUntil(lambda: bool(window.errors), timeout=10000)  # type: ignore[attr-defined]
    assert "noise.mp3" in window.errors[0]  # type: ignore[attr-defined]
    assert window.project.song is None
    assert window.undo_stack.count() == 0


def test_project_with_a_song_reloads_its_audio(
    window: MainWindow, qtbot: object, tmp_path: Path
) -> None:
    from app.model import Project, Song

    project = Project()
    project.set_song(Song(path=str(DEMO_SONG), title="demo", duration=61.46))
    save_project(project, tmp_path / "s.eightcount")
    window.open_path(tmp_path / "s.eightcount")
    qtbot.waitUntil(lambda: window.loaded_song is not None, timeout=15000)  # type: ignore[attr-defined]
    assert window.undo_stack.count() == 0  # reloading audio is not an edit


def test_space_plays_on_the_silent_clock(window: MainWindow, qtbot: object) -> None:
    window.import_song(DEMO_SONG)
    qtbot.waitUntil(lambda: window.loaded_song is not None, timeout=15000)  # type: ignore[attr-defined]
    assert window.play_action.shortcut().toString() == "Space"
    window.play_action.trigger()
    assert window.transport.playing
    qtbot.wait(150)  # type: ignore[attr-defined]
    window.play_action.trigger()
    assert not window.transport.playing
    played = window.transport.position
    assert 0.1 < played < 2.0
    assert window.timeline.playhead.value() == pytest.approx(played, abs=0.05)
    window.transport.seek(30.0)
    assert window.transport.position == pytest.approx(30.0)


def test_embedding_the_song_survives_a_moved_original(
    window: MainWindow, qtbot: object, tmp_path: Path
) -> None:
    song = tmp_path / "song.ogg"
    shutil.copy(DEMO_SONG, song)
    assert not window.embed_action.isEnabled()
    window.import_song(song)
    qtbot.waitUntil(lambda: window.project.song is not None, timeout=15000)  # type: ignore[attr-defined]
    window.embed_action.trigger()
    assert window.project.song.embedded  # type: ignore[union-attr]
    assert window.undo_stack.undoText() == "Embed song"
    window.save_to(tmp_path / "with_song.eightcount")
    song.unlink()
    assert window.open_path(tmp_path / "with_song.eightcount")
    assert window.embed_action.isChecked()
    assert Path(window.project.song.path).read_bytes() == DEMO_SONG.read_bytes()  # type: ignore[union-attr]


def test_window_layout_is_remembered(
    window: MainWindow, studio_settings: object, tmp_path: Path
) -> None:
    from app.playback import SilentClock

    window.resize(1234, 777)
    window.inspector_dock.hide()
    size = (window.width(), window.height())
    window.close()
    again = MainWindow(studio_settings, tmp_path / "recovery2", clock=SilentClock("test"))  # type: ignore[arg-type]
    try:
        assert (again.width(), again.height()) == size == (1234, 777)
        assert again.inspector_dock.isHidden()
    finally:
        again.close()
