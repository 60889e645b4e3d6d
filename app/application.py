"""Starting the studio: the QApplication, the main window, and crash recovery."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication

from app.main_window import APP_NAME, MainWindow
from app.settings import StudioSettings, make_settings


def default_recovery_dir() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) / "recovery"


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("EightCount")
    app.setApplicationName("Studio")
    app.setApplicationDisplayName(APP_NAME)
    app.setStyle("Fusion")
    return app


def create_window(
    settings_file: Path | None = None,
    recovery_dir: Path | None = None,
    autosave_interval_ms: int | None = None,
) -> MainWindow:
    """Build the main window; paths are injectable so tests and scripts stay isolated."""
    ensure_application()
    settings = StudioSettings(make_settings(settings_file))
    return MainWindow(
        settings,
        recovery_dir or default_recovery_dir(),
        autosave_interval_ms=autosave_interval_ms,
    )


def run_studio(open_path: Path | None = None) -> int:
    """Open the studio window and run until it closes; returns the exit code."""
    app = ensure_application()
    window = create_window()
    window.show()
    if os.environ.get("EIGHTCOUNT_STARTUP_PROBE"):
        # Benchmarks: report when the window is on screen, then quit.
        QTimer.singleShot(0, lambda: _report_startup(window))
    else:
        QTimer.singleShot(0, window.offer_recovery)
        if open_path is not None:
            QTimer.singleShot(0, lambda: window.open_path(open_path))
    return app.exec()


def _report_startup(window: MainWindow) -> None:
    import time

    print(f"WINDOW_SHOWN {time.time():.6f} torch_loaded={'torch' in sys.modules}", flush=True)
    window.close()
