"""The ``eightcount`` command as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.project_io import load_project

ROOT = Path(__file__).resolve().parents[2]


def eightcount(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def test_help_lists_only_working_commands() -> None:
    done = eightcount("--help")
    assert done.returncode == 0
    assert "studio" in done.stdout and "demo" in done.stdout
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from app.cli import build_parser; build_parser();"
            "print('PySide6' in sys.modules, 'torch' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        check=True,
    )
    assert probe.stdout.split() == ["False", "False"]  # --help loads neither Qt nor torch


def test_headless_demo_writes_its_outputs(tmp_path: Path) -> None:
    done = eightcount("demo", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert abs(summary["duration_seconds"] - 61.46) < 0.05
    assert abs(summary["tempo_bpm"] - 130) < 1.5 and summary["meter"] == 4
    project = load_project(tmp_path / "out" / "demo.eightcount", cache_dir=tmp_path / "c")
    assert project.song is not None and project.song.path.endswith("demo_song.ogg")
    assert len(project.beat_grid.beats) > 100
    assert len(project.parts) == summary["parts"] > 10
    clips = project.dancer_tracks()[0].clips
    assert len(clips) >= len(project.parts) and clips[-1].end == project.song.duration
    assert summary["routine_metrics"]["nan_frames"] == 0
    for name in ("analysis.json", "labels.txt", "count_sheet.html", "routine.bvh"):
        assert (tmp_path / "out" / name).stat().st_size > 0


def test_a_bad_song_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ogg"
    bad.write_bytes(b"OggS but not really" * 10)
    done = eightcount("demo", "--song", str(bad), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "broken.ogg" in done.stderr and "Traceback" not in done.stderr
