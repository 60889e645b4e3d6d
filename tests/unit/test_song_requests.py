"""The studio's song loading: one decoder (with the ffmpeg fallback), decoding once."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from inference.audio import analysis
from inference.audio import decode as decode_module
from inference.audio.analysis import analyze_song
from inference.jobs import run_job
from inference.paths import DEMO_SONG
from inference.song_requests import AnalyzeSongRequest, LoadSongRequest, QuickBeatsRequest

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")


def aac_song(path: Path, seconds: float) -> Path:
    """The demo song's first ``seconds`` as AAC in ``path`` (.m4a or .mp4)."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-t", str(seconds), "-i", str(DEMO_SONG), "-vn",
         "-c:a", "aac", str(path)],
        check=True,
    )  # fmt: skip
    return path


@needs_ffmpeg
@pytest.mark.parametrize("suffix", [".m4a", ".mp4"])
def test_m4a_and_video_soundtracks_load_as_the_song(tmp_path: Path, suffix: str) -> None:
    song = aac_song(tmp_path / f"song{suffix}", 6.0)
    loaded = run_job(LoadSongRequest(str(song)).job())
    assert loaded.sample_rate == decode_module.PLAYBACK_SR
    assert loaded.duration == pytest.approx(6.0, abs=0.1)
    assert loaded.analysis_audio is not None
    assert loaded.analysis_audio.sample_rate == decode_module.ANALYSIS_SR
    assert loaded.analysis_audio.duration == pytest.approx(loaded.duration, abs=0.01)


def test_playback_keeps_the_files_rate(tmp_path: Path) -> None:
    song = tmp_path / "tone.wav"
    t = np.arange(48000) / 48000
    sf.write(song, 0.5 * np.sin(2 * np.pi * 440 * t), 48000)
    loaded = run_job(LoadSongRequest(str(song)).job())
    assert loaded.sample_rate == 48000 and loaded.samples.size == 48000


def test_the_analyses_use_the_loaded_samples_without_decoding_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = run_job(LoadSongRequest(str(DEMO_SONG)).job())
    decodes: list[object] = []
    monkeypatch.setattr(analysis, "load_audio", lambda *a, **k: decodes.append(a))
    grid = run_job(QuickBeatsRequest(loaded.path, loaded.analysis_audio).job())
    result = run_job(AnalyzeSongRequest(loaded.path, loaded.analysis_audio).job())
    assert decodes == []
    monkeypatch.undo()
    # The same samples the path would give: the same beats.
    assert grid.beats  # type: ignore[union-attr]
    assert result.grid.beats == analyze_song(DEMO_SONG).grid.beats  # type: ignore[union-attr]
