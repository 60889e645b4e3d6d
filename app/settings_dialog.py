"""Settings: Force CPU, the audio output device, the autosave interval, the export folder.

The dialog edits a :class:`~app.settings.Preferences` value and nothing else;
:func:`edit_settings` stores it with :class:`~app.settings.StudioSettings` and applies it to
the window at once (:func:`apply_preferences`). The audio output is the same choice as the
status bar's audio menu (``MainWindow.choose_audio_device``): either one is remembered by the
device's name. The export folder is where export dialogs start (``DialogPlaces``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.playback import output_devices
from app.settings import AUTOSAVE_SECONDS, Preferences, StudioSettings
from inference.device import nvidia_gpu_present

if TYPE_CHECKING:
    from app.main_window import MainWindow

log = logging.getLogger(__name__)

DEFAULT_OUTPUT = "System default output"
FORCE_CPU_ENV = "EIGHTCOUNT_FORCE_CPU"
"""What inference.device.pick_device reads: the worker needs no Qt to honour Force CPU."""


def apply_compute_preference(preferences: Preferences) -> None:
    """Force CPU on or off for every task from now on (the worker reads it per task)."""
    if preferences.force_cpu:
        os.environ[FORCE_CPU_ENV] = "1"
    else:
        os.environ.pop(FORCE_CPU_ENV, None)


def compute_label(preferences: Preferences) -> str:
    """The status bar's compute line before any task ran (a task then names its device)."""
    if preferences.force_cpu:
        return "Compute: CPU (forced)"
    return "Compute: CUDA available" if nvidia_gpu_present() else "Compute: CPU"


def device_index(name: str) -> int | None:
    """The output device called ``name`` now (its number changes between sessions), or None
    for the system's default, also when that device is not connected."""
    return next((index for index, known in output_devices() if known == name), None)


def remember_audio_output(settings: StudioSettings, device: int | None) -> None:
    """Keep the output device chosen (in Settings or the status bar's audio menu) by name."""
    name = next((known for index, known in output_devices() if index == device), "")
    settings.set_preferences(replace(settings.preferences(), audio_output=name))


def edit_settings(window: MainWindow) -> bool:
    """Settings..., stored and applied to ``window`` when the user presses OK."""
    old = window.settings.preferences()
    dialog = SettingsDialog(old, [name for _, name in output_devices()], window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    new = dialog.preferences()
    window.settings.set_preferences(new)
    apply_preferences(window, old, new)
    return True


def apply_preferences(window: MainWindow, old: Preferences, new: Preferences) -> None:
    """Make ``new`` take effect in ``window`` without a restart."""
    apply_compute_preference(new)
    if new.force_cpu != old.force_cpu:
        window.device_label.setText(compute_label(new))
    window.autosaver.set_interval(new.autosave_seconds * 1000)
    if new.audio_output != old.audio_output:
        window.choose_audio_device(device_index(new.audio_output) if new.audio_output else None)
    log.info("settings applied: %s", new)


class SettingsDialog(QDialog):
    """Edit ``preferences``; :meth:`preferences` reads the result after ``exec()``."""

    def __init__(
        self,
        preferences: Preferences,
        output_devices: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.force_cpu = QCheckBox("Force CPU")
        self.force_cpu.setToolTip(
            "Run analysis and generation on the processor even where a CUDA graphics card is "
            "available (slower, but leaves the card alone). Applies from the next task."
        )
        self.force_cpu.setChecked(preferences.force_cpu)

        self.audio_output = QComboBox()
        self.audio_output.addItem(DEFAULT_OUTPUT, "")
        for name in output_devices:
            self.audio_output.addItem(name, name)
        if preferences.audio_output and preferences.audio_output not in output_devices:
            # A device chosen before but not plugged in now stays chosen, and says so.
            self.audio_output.addItem(
                f"{preferences.audio_output} (not connected)", preferences.audio_output
            )
        self.audio_output.setCurrentIndex(
            max(0, self.audio_output.findData(preferences.audio_output))
        )

        self.autosave = QSpinBox()
        self.autosave.setRange(*AUTOSAVE_SECONDS)
        self.autosave.setSuffix(" s")
        self.autosave.setValue(preferences.autosave_seconds)
        self.autosave.setToolTip("How often a modified project is saved for crash recovery")

        self.export_folder = QLineEdit(preferences.export_folder)
        self.export_folder.setPlaceholderText("The project's folder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.export_folder, 1)
        folder_row.addWidget(browse)

        form = QFormLayout()
        form.addRow("Compute:", self.force_cpu)
        form.addRow("Audio output:", self.audio_output)
        form.addRow("Autosave every:", self.autosave)
        form.addRow("Export folder:", folder_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        note = QLabel("Exports start in the export folder when one is set.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def preferences(self) -> Preferences:
        return Preferences(
            force_cpu=self.force_cpu.isChecked(),
            audio_output=str(self.audio_output.currentData() or ""),
            autosave_seconds=self.autosave.value(),
            export_folder=self.export_folder.text().strip(),
        )

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export Folder", self.export_folder.text())
        if folder:
            self.export_folder.setText(folder)
