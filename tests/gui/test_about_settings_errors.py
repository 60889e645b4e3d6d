"""Help -> About, the Settings dialog and its effect, and the error dialog's "Copy details"."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from app.about_dialog import AboutDialog
from app.application import create_window
from app.error_dialog import BUG_TEXT, ErrorDialog, show_error
from app.help_text import studio_version
from app.main_window import MainWindow
from app.playback import SilentClock
from app.settings import Preferences, StudioSettings, make_settings
from app.settings_dialog import SettingsDialog, edit_settings
from inference.device import pick_device


@pytest.fixture
def no_forced_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test sets, the environment's Force CPU is put back after it."""
    monkeypatch.delenv("EIGHTCOUNT_FORCE_CPU", raising=False)


def menu_action(window: MainWindow, menu: str, text: str):  # type: ignore[no-untyped-def]
    return next(a for a in window._menus[menu].actions() if a.text() == text)


def test_about_lists_version_device_and_attributions(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, no_forced_cpu: None
) -> None:
    monkeypatch.setenv("EIGHTCOUNT_FORCE_CPU", "1")  # the same answer with or without a GPU
    about = AboutDialog(window.bridge, window)
    assert studio_version() in about.version_label.text()
    qtbot.waitUntil(lambda: "checking" not in about.device_label.text(), timeout=60_000)
    assert about.device_label.text() == "Compute device: CPU (Force CPU is on)"
    attributions = about.attributions.toPlainText()
    for credit in ("Vibe Ace", "Kevin MacLeod", "mocap.cs.cmu.edu", "AIST++", "all-MiniLM-L6-v2"):
        assert credit in attributions
    about.close()


def test_help_about_opens_the_about_dialog(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    menu_action(window, "Help", "&About EightCount Studio").trigger()
    assert len(shown) == 1
    # Let the worker finish importing torch: a window closed in the middle of an import
    # waits for it (InferenceBridge.shutdown), and on a loaded machine that is slow.
    qtbot.waitUntil(lambda: not window.bridge.busy, timeout=60_000)


def test_the_about_dialog_closed_before_the_device_is_known_is_left_alone(
    qtbot: QtBot, window: MainWindow
) -> None:
    about = AboutDialog(window.bridge, window)
    about.deleteLater()
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not window.bridge.busy, timeout=60_000)  # no error on arrival


def test_settings_are_edited_and_kept_in_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    before = Preferences(audio_output="USB Audio")
    dialog = SettingsDialog(before, ["Speakers", "HDMI"])
    assert dialog.audio_output.currentText() == "USB Audio (not connected)"
    dialog.force_cpu.setChecked(True)
    dialog.audio_output.setCurrentIndex(dialog.audio_output.findText("HDMI"))
    dialog.autosave.setValue(25)
    dialog.export_folder.setText(str(tmp_path))
    chosen = dialog.preferences()
    assert chosen == Preferences(
        force_cpu=True, audio_output="HDMI", autosave_seconds=25, export_folder=str(tmp_path)
    )
    StudioSettings(make_settings(path)).set_preferences(chosen)
    assert StudioSettings(make_settings(path)).preferences() == chosen


def test_a_hand_edited_autosave_interval_is_kept_in_range(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text("[autosave]\nseconds=1\n")
    assert StudioSettings(make_settings(path)).preferences().autosave_seconds == 10


def test_force_cpu_and_autosave_take_effect_at_once(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, no_forced_cpu: None
) -> None:
    def accept_with(force_cpu: bool, seconds: int):  # type: ignore[no-untyped-def]
        def exec_(dialog: SettingsDialog) -> int:
            dialog.force_cpu.setChecked(force_cpu)
            dialog.autosave.setValue(seconds)
            return QDialog.DialogCode.Accepted.value

        return exec_

    monkeypatch.setattr(SettingsDialog, "exec", accept_with(True, 30))
    assert edit_settings(window)
    assert os.environ.get("EIGHTCOUNT_FORCE_CPU") == "1"
    assert pick_device() == "cpu"  # what every model load asks
    assert window.autosaver.interval_ms == 30_000
    assert window.device_label.text() == "Compute: CPU (forced)"
    assert window.settings.preferences().force_cpu

    monkeypatch.setattr(SettingsDialog, "exec", accept_with(False, 45))
    assert edit_settings(window)
    assert "EIGHTCOUNT_FORCE_CPU" not in os.environ
    assert window.autosaver.interval_ms == 45_000

    monkeypatch.setattr(SettingsDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected.value)
    assert not edit_settings(window)
    assert window.settings.preferences().autosave_seconds == 45


def test_edit_settings_is_in_the_edit_menu(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[SettingsDialog] = []
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: opened.append(self) or 0)
    menu_action(window, "Edit", "&Settings…").trigger()
    assert len(opened) == 1


def test_a_new_window_starts_with_the_saved_preferences(
    tmp_path: Path, no_forced_cpu: None
) -> None:
    path = tmp_path / "settings.ini"
    StudioSettings(make_settings(path)).set_preferences(
        Preferences(force_cpu=True, autosave_seconds=20)
    )
    window = create_window(path, tmp_path / "recovery")
    try:
        assert os.environ.get("EIGHTCOUNT_FORCE_CPU") == "1"
        assert window.autosaver.interval_ms == 20_000
        assert window.device_label.text() == "Compute: CPU (forced)"
    finally:
        window.close()
        window.deleteLater()


def test_a_bug_is_told_plainly_and_copy_details_has_the_traceback(
    qtbot: QtBot, studio_log: Path
) -> None:
    try:
        {}["beats"]
    except KeyError:
        logging.getLogger("app.bridge").exception("AnalyzeSongRequest failed")
    dialog = ErrorDialog("The task failed", "Internal error: KeyError: 'beats'")
    qtbot.addWidget(dialog)
    assert dialog.message_label.text() == BUG_TEXT
    assert not dialog.details_view.isVisibleTo(dialog)
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert copied.startswith("The task failed: Internal error: KeyError: 'beats'")
    assert f"EightCount Studio {studio_version()}" in copied
    assert f"Log file: {studio_log}" in copied
    assert "Traceback (most recent call last)" in copied
    assert dialog.copy_button.text() == "Copied"
    dialog.show_button.click()
    assert dialog.details_view.isVisibleTo(dialog)
    assert dialog.details_view.toPlainText() == copied


def test_a_message_for_people_is_shown_as_it_is(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, studio_log: Path
) -> None:
    message = "song.mp3: this kind of file cannot be opened without ffmpeg; install ffmpeg"
    shown: list[ErrorDialog] = []
    monkeypatch.setattr(ErrorDialog, "exec", lambda self: shown.append(self) or 0)
    show_error(None, "Could not import the song", message)
    assert shown[0].message_label.text() == message
    assert shown[0].windowTitle() == "Could not import the song"
    assert f"Could not import the song: {message}" in studio_log.read_text()


@pytest.fixture
def two_outputs(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Two sound card outputs (numbers 3 and 7); the devices the studio opened are listed."""
    opened: list[int | None] = []

    def open_clock(device: int | None = None) -> SilentClock:
        opened.append(device)
        return SilentClock(f"test clock on {device}")

    devices = [(3, "Speakers"), (7, "USB Audio")]
    monkeypatch.setattr("app.settings_dialog.output_devices", lambda: devices)
    monkeypatch.setattr("app.main_window.open_clock", open_clock)
    monkeypatch.setattr("app.application.open_clock", open_clock)
    return opened


def test_the_audio_output_is_chosen_by_name_and_opened_again_next_start(
    tmp_path: Path,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    two_outputs: list[int | None],
) -> None:
    def choose_usb(dialog: SettingsDialog) -> int:
        assert [dialog.audio_output.itemText(i) for i in range(3)] == [
            "System default output",
            "Speakers",
            "USB Audio",
        ]
        dialog.audio_output.setCurrentIndex(2)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(SettingsDialog, "exec", choose_usb)
    assert edit_settings(window)
    assert two_outputs == [7]
    assert window.transport.clock.reason == "test clock on 7"
    # The status bar's audio menu is the same choice, and is remembered the same way.
    window.choose_audio_device(3)
    assert window.settings.preferences().audio_output == "Speakers"

    path = tmp_path / "next.ini"
    StudioSettings(make_settings(path)).set_preferences(Preferences(audio_output="USB Audio"))
    again = create_window(path, tmp_path / "recovery")
    try:
        assert two_outputs[-1] == 7
    finally:
        again.close()
        again.deleteLater()


def test_exports_start_in_the_export_folder_of_settings(
    tmp_path: Path, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts: list[str] = []
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda parent, title, start, kind: starts.append(start) or ("", ""),
    )
    window.places.save_path(window, "Export", ".bvh", "BVH (*.bvh)")
    exports = tmp_path / "exports"
    exports.mkdir()
    window.settings.set_preferences(Preferences(export_folder=str(exports)))
    window.places.save_path(window, "Export", ".bvh", "BVH (*.bvh)")
    assert Path(starts[0]).parent != exports
    assert Path(starts[1]).parent == exports
    window.settings.set_preferences(Preferences(export_folder=str(tmp_path / "gone")))
    window.places.save_path(window, "Export", ".bvh", "BVH (*.bvh)")
    assert Path(starts[2]).parent == Path(starts[0]).parent  # a folder that went: as before
