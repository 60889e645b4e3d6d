"""User settings kept between runs: window layout, recent files, the last dialog folder,
the preferences (Settings dialog) and whether the tour was dismissed.

The QSettings object is passed in, never looked up globally, so each test can give the window
its own settings file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT_FILES = 10
AUTOSAVE_SECONDS = (10, 3600)
"""The autosave intervals one may choose, in seconds (the range of the Settings box)."""


@dataclass(frozen=True)
class Preferences:
    """What the Settings dialog edits."""

    force_cpu: bool = False
    """Run every model on the CPU even where CUDA is available."""
    audio_output: str = ""
    """The output device's name ("" for the system's default): names outlive device numbers."""
    autosave_seconds: int = 60
    export_folder: str = ""
    """Where export dialogs start ("" for the project's folder, as before)."""


def make_settings(path: Path | None = None) -> QSettings:
    """The application's settings, or an INI file at ``path`` (tests, portable installs)."""
    if path is not None:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "EightCount", "Studio")


class StudioSettings:
    """Typed access to the few values the studio remembers."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    @property
    def file_path(self) -> Path:
        return Path(self._settings.fileName())

    def recent_files(self) -> list[str]:
        value = self._settings.value("recent_files", [])
        # QSettings hands back one string for a one-item list, and None for an empty one.
        files = (
            [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        )
        return [str(f) for f in files]

    def add_recent_file(self, path: str | Path) -> list[str]:
        """Put ``path`` at the top of the recent files; returns the new list."""
        resolved = str(Path(path).resolve())
        files = [resolved] + [f for f in self.recent_files() if f != resolved]
        files = files[:MAX_RECENT_FILES]
        self._settings.setValue("recent_files", files)
        return files

    def remove_recent_file(self, path: str) -> None:
        self._settings.setValue("recent_files", [f for f in self.recent_files() if f != path])

    def preferences(self) -> Preferences:
        default = Preferences()
        value = self._settings.value
        stored = value("autosave/seconds", default.autosave_seconds, type=int)
        seconds = stored if isinstance(stored, int) else default.autosave_seconds
        low, high = AUTOSAVE_SECONDS
        return Preferences(
            force_cpu=bool(value("compute/force_cpu", default.force_cpu, type=bool)),
            audio_output=str(value("audio/output_device", default.audio_output, type=str)),
            autosave_seconds=min(max(seconds, low), high),
            export_folder=str(value("export/folder", default.export_folder, type=str)),
        )

    def set_preferences(self, preferences: Preferences) -> None:
        self._settings.setValue("compute/force_cpu", preferences.force_cpu)
        self._settings.setValue("audio/output_device", preferences.audio_output)
        self._settings.setValue("autosave/seconds", preferences.autosave_seconds)
        self._settings.setValue("export/folder", preferences.export_folder)
        self._settings.sync()

    def tour_dismissed(self) -> bool:
        return bool(self._settings.value("tour/dismissed", False, type=bool))

    def set_tour_dismissed(self) -> None:
        self._settings.setValue("tour/dismissed", True)
        self._settings.sync()

    def last_folder(self) -> Path | None:
        """The folder a file dialog was last used in, if it still exists."""
        value = self._settings.value("dialogs/last_folder", "")
        folder = Path(str(value)) if value else None
        return folder if folder is not None and folder.is_dir() else None

    def set_last_folder(self, folder: Path) -> None:
        self._settings.setValue("dialogs/last_folder", str(folder))

    def window_geometry(self) -> QByteArray | None:
        value = self._settings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._settings.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._settings.setValue("window/geometry", geometry)
        self._settings.setValue("window/state", state)
        self._settings.sync()
