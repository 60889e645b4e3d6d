"""Importing a song in the studio: an m4a soundtrack loads, is decoded once, and is analysed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from app.main_window import MainWindow
from inference.audio import decode as decode_module
from inference.paths import DEMO_SONG


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")
def test_an_m4a_song_imports_and_is_decoded_once(
    window: MainWindow, qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    song = tmp_path / "song.m4a"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-t", "20", "-i", str(DEMO_SONG), "-vn",
         "-c:a", "aac", str(song)],
        check=True,
    )  # fmt: skip
    decodes: list[Path] = []
    real = decode_module._read_ffmpeg

    def counted(p: Path, *args: object, **kwargs: object) -> object:
        decodes.append(p)
        return real(p, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(decode_module, "_read_ffmpeg", counted)
    window.import_song(song)
    qtbot.waitUntil(lambda: bool(window.project.beat_grid.beats), timeout=30000)  # type: ignore[attr-defined]
    assert not window.errors  # type: ignore[attr-defined]
    assert window.project.song is not None and window.project.song.path == str(song)
    assert window.loaded_song is not None and window.loaded_song.duration == pytest.approx(
        20.0, abs=0.1
    )
    assert 125 < window.project.beat_grid.tempo_bpm < 135
    assert decodes == [song]  # loading, quick beats and the full analysis: one decode
