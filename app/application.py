"""Starting the studio: the QApplication, the main window, crash recovery, the first run."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from app.first_frame import AfterFirstFrame
from app.first_run import FirstRun, Tour, tour_steps
from app.logging_setup import install_exception_hooks, setup_logging
from app.main_thread_gc import MainThreadCollector
from app.main_window import APP_NAME, MainWindow
from app.playback import open_clock
from app.settings import StudioSettings, make_settings
from app.settings_dialog import apply_compute_preference, compute_label, device_index
from inference.paths import RESOURCES_DIR
from viewport.widget import DancerViewport

log = logging.getLogger(__name__)


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
    MainThreadCollector(app)  # Qt objects must never be collected on the worker thread
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
    """Build the main window with the saved preferences; paths are injectable so tests and
    scripts stay isolated."""
    ensure_application()
    settings = StudioSettings(make_settings(settings_file))
    preferences = settings.preferences()
    apply_compute_preference(preferences)
    if autosave_interval_ms is None:
        autosave_interval_ms = preferences.autosave_seconds * 1000
    clock = None  # the default output
    if preferences.audio_output:
        device = device_index(preferences.audio_output)
        if device is None:
            log.info("audio output %r is not connected: default output", preferences.audio_output)
        clock = open_clock(device)
    window = MainWindow(
        settings,
        recovery_dir or default_recovery_dir(),
        clock=clock,
        autosave_interval_ms=autosave_interval_ms,
    )
    window.device_label.setText(compute_label(preferences))
    return window


def start_studio(
    open_path: Path | None = None,
    settings_file: Path | None = None,
    recovery_dir: Path | None = None,
) -> MainWindow:
    """Show the studio window at once; once its first frame is on screen, offer crash
    recovery and open ``open_path``; on the first start (no settings file yet) open the demo
    song, analysed and with a routine, and show the tour until it is dismissed."""
    settings_path = Path(make_settings(settings_file).fileName())
    first_run = not settings_path.exists()
    window = create_window(settings_file, recovery_dir)
    install_exception_hooks(lambda message: window._show_error("Something went wrong", message))
    window.show()
    log.info("ready: the studio window is shown (first run: %s)", "yes" if first_run else "no")
    view = window.viewport
    log.info("3D view: %s", "OpenGL" if isinstance(view, DancerViewport) else view.text())
    work: list[Callable[[], object]] = [window.offer_recovery]
    if open_path is not None:
        work.append(lambda: window.open_path(open_path))
    if not window.settings.tour_dismissed():
        if first_run and open_path is None:
            window.first_run = FirstRun(window)
            window.first_run.finished.connect(lambda _complete: show_tour(window))
            work.append(window.first_run.start)
        else:
            work.append(lambda: show_tour(window))
    AfterFirstFrame(window, work)
    return window


def show_tour(window: MainWindow) -> Tour:
    """The tour over ``window``; dismissing it is remembered in the settings."""
    window.tour = Tour(window, tour_steps(window))
    window.tour.dismissed.connect(window.settings.set_tour_dismissed)
    window.tour.start()
    return window.tour


def run_studio(open_path: Path | None = None) -> int:
    """Open the studio window and run until it closes; returns the exit code."""
    app = ensure_application()
    if os.environ.get("EIGHTCOUNT_STARTUP_PROBE"):
        # Benchmarks: report when the window is on screen, then quit.
        window = create_window()
        window.show()
        QTimer.singleShot(0, lambda: _report_startup(window))
        return app.exec()
    log_file = setup_logging()
    log.info("EightCount Studio starting; log file %s", log_file)
    start_studio(open_path)
    return app.exec()


# Libraries that only the work itself needs; the start-up benchmark reports any that loaded.
HEAVY_MODULES = ("torch", "scipy", "librosa", "mediapipe", "cv2", "numba")


def _report_startup(window: MainWindow) -> None:
    import time

    heavy = ",".join(m for m in HEAVY_MODULES if m in sys.modules) or "-"
    print(f"WINDOW_SHOWN {time.time():.6f} heavy={heavy}", flush=True)
    window.close()
