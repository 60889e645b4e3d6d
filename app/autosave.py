"""Autosave while the project is modified, and recovery after a crash.

Each running studio writes its own recovery file, named after its process id, so two open
studios never overwrite each other's. A recovery file whose process is no longer alive is what a
crash left behind: the next start offers every one of them, newest first. Restoring one never
touches the others. One that cannot be read is moved into ``damaged/`` beside them, kept for
the user, and never offered again.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from app.model import Project
from app.project_io import PROJECT_SUFFIX, save_project
from inference.errors import UserFacingError

AUTOSAVE_INTERVAL_MS = 60_000
DAMAGED_FOLDER = "damaged"


@dataclass(frozen=True)
class Recovery:
    """A recovery file left by a studio that did not close normally.

    ``problem`` says why it cannot be restored, when that is known already (its info file is
    unreadable); otherwise loading it is the test.
    """

    project_file: Path
    original_path: str | None
    saved_at: float
    problem: str | None = None

    @property
    def info_file(self) -> Path:
        return self.project_file.with_suffix(".json")

    @property
    def name(self) -> str:
        """What the user called the project: its file name, or "an unsaved project"."""
        return Path(self.original_path).name if self.original_path else "an unsaved project"

    def discard(self) -> None:
        for path in (self.project_file, self.info_file):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def move_aside(self) -> Path:
        """Move both files into ``damaged/`` beside them (kept, never offered again)."""
        folder = self.project_file.parent / DAMAGED_FOLDER
        folder.mkdir(exist_ok=True)
        for path in (self.project_file, self.info_file):
            if path.exists():
                shutil.move(path, folder / path.name)
        return folder


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it just belongs to someone else
    return True


def find_recoveries(recovery_dir: Path) -> list[Recovery]:
    """Recovery files from studios that are no longer running, newest first.

    An info file is written atomically, so one that cannot be read was damaged after the
    fact: its recovery is returned with a ``problem`` (its process is unknown, so it counts as
    gone).
    """
    found: list[Recovery] = []
    for info_file in recovery_dir.glob("autosave-*.json"):
        project_file = info_file.with_suffix(PROJECT_SUFFIX)
        if not project_file.exists():
            continue
        try:
            info = json.loads(info_file.read_text())
            pid = int(info["pid"])
            original = info.get("original_path")
            saved_at = float(info["saved_at"])
            if original is not None and not isinstance(original, str):
                raise TypeError("original_path is not text")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            problem = f"its information file {info_file.name} is damaged ({error})"
            found.append(Recovery(project_file, None, project_file.stat().st_mtime, problem))
            continue
        if pid == os.getpid() or _process_alive(pid):
            continue
        found.append(Recovery(project_file, original, saved_at))
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


class Autosaver(QObject):
    """Saves the project to a recovery file every ``interval_ms`` while it is modified."""

    saved = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        recovery_dir: Path,
        undo_stack: QUndoStack,
        interval_ms: int = AUTOSAVE_INTERVAL_MS,
        parent: QObject | None = None,
        decoded_song: Callable[[], str | None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._dir = recovery_dir
        self._decoded_song = decoded_song
        self._undo_stack = undo_stack
        self._project: Project | None = None
        self._original_path: str | None = None
        self._saved_index: int | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.autosave_now)
        self._timer.start()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_interval(self, interval_ms: int) -> None:
        """Autosave every ``interval_ms`` from now on (Settings -> Autosave every)."""
        self._timer.setInterval(interval_ms)

    @property
    def project_file(self) -> Path:
        return self._dir / f"autosave-{os.getpid()}{PROJECT_SUFFIX}"

    def watch(self, project: Project, original_path: str | None) -> None:
        """Autosave ``project`` from now on; ``original_path`` is where the user saved it."""
        self._project = project
        self._original_path = original_path
        self._saved_index = None

    def autosave_now(self) -> None:
        """Write the recovery file if the project changed since the last autosave."""
        if self._project is None or self._undo_stack.isClean():
            return
        if self._saved_index == self._undo_stack.index():
            return
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            save_project(self._project, self.project_file, self._decoded_song())
            info = {
                "pid": os.getpid(),
                "original_path": self._original_path,
                "saved_at": time.time(),
            }
            temporary = self.project_file.with_suffix(".json.tmp")
            temporary.write_text(json.dumps(info))
            os.replace(temporary, self.project_file.with_suffix(".json"))
        except (UserFacingError, OSError) as error:
            self.failed.emit(f"Autosave failed: {error}")
            return
        self._saved_index = self._undo_stack.index()
        self.saved.emit(str(self.project_file))

    def discard(self) -> None:
        """Remove this studio's recovery file (after a save, or on a normal exit)."""
        Recovery(self.project_file, None, 0.0).discard()
        self._saved_index = None

    def stop(self) -> None:
        self._timer.stop()
