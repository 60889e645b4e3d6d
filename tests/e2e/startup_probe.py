"""Start-up measurements shared by the start-up test and benchmark.

Each run is a fresh process with its own settings and data folders, so runs do not see each
other's recent files or recovery files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE_QT_WINDOW = """
import time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.show()
app.processEvents()
print(f"WINDOW_SHOWN {time.time():.6f} heavy=-", flush=True)
"""


@dataclass(frozen=True)
class StartupRun:
    seconds_to_window: float
    heavy_modules: tuple[str, ...]
    """Libraries loaded by the time the window was shown (torch, scipy, ...)."""


def _isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM=env.get("STARTUP_QPA", "offscreen"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        EIGHTCOUNT_STARTUP_PROBE="1",
        PYTHONPATH=str(ROOT),
    )
    return env


def measure(command: list[str]) -> StartupRun:
    """Run ``command`` until it prints WINDOW_SHOWN; time from just before the spawn."""
    with tempfile.TemporaryDirectory() as home:
        started = time.time()
        done = subprocess.run(
            command, capture_output=True, text=True, env=_isolated_env(Path(home)), timeout=120
        )
    line = next((x for x in done.stdout.splitlines() if x.startswith("WINDOW_SHOWN")), None)
    if line is None:
        raise RuntimeError(f"no window was shown:\n{done.stdout}\n{done.stderr}")
    _, shown_at, heavy = line.split()
    loaded = heavy.removeprefix("heavy=")
    return StartupRun(float(shown_at) - started, () if loaded == "-" else tuple(loaded.split(",")))


def studio_command() -> list[str]:
    return [sys.executable, "-m", "app", "studio"]


def bare_qt_command() -> list[str]:
    return [sys.executable, "-c", BARE_QT_WINDOW]
