"""User settings kept between runs: window layout, recent files, the last dialog folder.

The QSettings object is passed in, never looked up globally, so each test can give the window
its own settings file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT_FILES = 10


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
