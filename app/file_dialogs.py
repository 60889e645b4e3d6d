"""Where file dialogs start, what name they suggest, and the extension a typed name lacks.

A dialog starts in the open project's folder (else the folder last used, else the song's, else
home; an export starts in the export folder of Settings when one is set) with a name made from
the song ("Vibe Ace - count sheet.html"); a name typed without an extension gets the one of the
file type asked for, so ``labels`` is written as ``labels.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from app.model import Song
from app.settings import StudioSettings

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def ensure_suffix(path: str | Path, suffix: str) -> Path:
    """``path``, with ``suffix`` added unless it already ends with it (any letter case)."""
    text = str(path)
    return Path(text if text.lower().endswith(suffix.lower()) else text + suffix)


class DialogPlaces:
    """Start folders and suggested names for the window's file dialogs."""

    def __init__(
        self,
        settings: StudioSettings,
        project_path: Callable[[], Path | None],
        song: Callable[[], Song | None],
    ) -> None:
        self._settings = settings
        self._project_path = project_path
        self._song = song

    def folder(self) -> Path:
        """The project's folder, else the last used one, else the song's, else home."""
        project = self._project_path()
        song = self._song()
        candidates = [
            project.parent if project is not None else None,
            self._settings.last_folder(),
            Path(song.path).parent if song is not None and song.path else None,
        ]
        return next((c for c in candidates if c is not None and c.is_dir()), Path.home())

    def stem(self) -> str:
        """A file name stem made from the song's title (or file name), else the project's."""
        song, project = self._song(), self._project_path()
        if song is not None:
            name = song.title or Path(song.path).stem
        else:
            name = project.stem if project is not None else "Untitled"
        return _UNSAFE.sub(" ", name).strip() or "Untitled"

    def export_folder(self) -> Path:
        """Where exports start: the export folder set in Settings (if it exists), else
        :meth:`folder`."""
        chosen = self._settings.preferences().export_folder
        return Path(chosen) if chosen and Path(chosen).is_dir() else self.folder()

    def suggestion(self, suffix: str, what: str = "", folder: Path | None = None) -> str:
        """The path a save dialog proposes: ``<folder>/<song>[ - what]<suffix>``."""
        name = f"{self.stem()} - {what}" if what else self.stem()
        return str((folder or self.folder()) / f"{name}{suffix}")

    def remember(self, path: Path) -> None:
        self._settings.set_last_folder(path.parent)

    def save_path(
        self, parent: QWidget, title: str, suffix: str, file_filter: str, what: str = ""
    ) -> Path | None:
        """Ask where to export a ``suffix`` file (starting in :meth:`export_folder`); None when
        cancelled. The folder is remembered."""
        chosen, _ = QFileDialog.getSaveFileName(
            parent, title, self.suggestion(suffix, what, self.export_folder()), file_filter
        )
        if not chosen:
            return None
        target = ensure_suffix(chosen, suffix)
        self.remember(target)
        return target

    def open_paths(self, parent: QWidget, title: str, file_filter: str) -> list[Path]:
        """Ask for files to open, starting in :meth:`folder`; the folder is remembered."""
        chosen, _ = QFileDialog.getOpenFileNames(parent, title, str(self.folder()), file_filter)
        paths = [Path(p) for p in chosen]
        if paths:
            self.remember(paths[0])
        return paths
