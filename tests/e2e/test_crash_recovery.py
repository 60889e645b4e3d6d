"""A studio killed with SIGKILL after an autosave gets its edits back on the next start."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

DRIVER = Path(__file__).with_name("drive_studio.py")
ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_edits_survive_a_killed_process(tmp_path: Path) -> None:
    settings, recovery = tmp_path / "settings.ini", tmp_path / "recovery"
    with subprocess.Popen(
        [sys.executable, str(DRIVER), "edit-and-wait", str(settings), str(recovery)],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    ) as studio:
        try:
            assert studio.stdout is not None
            assert studio.stdout.readline().strip() == "AUTOSAVED"
        finally:
            os.kill(studio.pid, signal.SIGKILL)
            studio.wait(timeout=30)
    assert studio.returncode == -signal.SIGKILL
    assert list(recovery.glob("autosave-*.eightcount")), "the crash left no recovery file"

    restarted = subprocess.run(
        [sys.executable, str(DRIVER), "restore", str(settings), str(recovery)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=True,
    )
    state = json.loads(restarted.stdout.strip().splitlines()[-1])
    assert state["restored"] is True
    assert (state["energy"], state["bounce"], state["seed"]) == (0.87, 0.12, 4242)
    assert state["modified"] is True  # restored edits still need saving
    # The dead process's recovery file is gone once restored (the new one is removed on exit).
    assert not list(recovery.glob("autosave-*.eightcount"))


def test_nothing_to_restore_after_a_normal_exit(tmp_path: Path) -> None:
    settings, recovery = tmp_path / "settings.ini", tmp_path / "recovery"
    restarted = subprocess.run(
        [sys.executable, str(DRIVER), "restore", str(settings), str(recovery)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=True,
    )
    assert json.loads(restarted.stdout.strip().splitlines()[-1])["restored"] is False
