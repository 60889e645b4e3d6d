"""Starting the studio: the QApplication, the main window, and crash recovery."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from app.main_window import APP_NAME, MainWindow
from app.settings import StudioSettings, make_settings
from inference.paths import RESOURCES_DIR


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
    app.setPalette(studio_palette())
    app.setWindowIcon(QIcon(str(RESOURCES_DIR / "icons" / "eightcount.svg")))
    return app


def studio_palette() -> QPalette:
    """A dark palette: dancers and waveforms read best on dark, as in DAWs and 3D tools."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    palette = QPalette()
    colors = {
        role.Window: "#25262d",
        role.WindowText: "#e3e5ec",
        role.Base: "#1b1c22",
        role.AlternateBase: "#2b2c34",
        role.ToolTipBase: "#33343d",
        role.ToolTipText: "#e3e5ec",
        role.Text: "#e3e5ec",
        role.Button: "#30313a",
        role.ButtonText: "#e3e5ec",
        role.BrightText: "#ff5252",
        role.Highlight: "#7c4dff",
        role.HighlightedText: "#ffffff",
        role.Link: "#8c9eff",
        role.PlaceholderText: "#7d8194",
    }
    for color_role, color in colors.items():
        palette.setColor(color_role, QColor(color))
    for disabled in (role.Text, role.ButtonText, role.WindowText):
        palette.setColor(group.Disabled, disabled, QColor("#6b6e7d"))
    return palette


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


# Libraries that only the work itself needs; the start-up benchmark reports any that loaded.
HEAVY_MODULES = ("torch", "scipy", "librosa", "mediapipe", "cv2", "numba")


def _report_startup(window: MainWindow) -> None:
    import time

    heavy = ",".join(m for m in HEAVY_MODULES if m in sys.modules) or "-"
    print(f"WINDOW_SHOWN {time.time():.6f} heavy={heavy}", flush=True)
    window.close()
