from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from audio_synth import DATA, require

from inference.audio.analysis import analyze_song
from inference.audio.decode import load_audio
from inference.audio.errors import SilentAudioError, TooLongError
from inference.errors import BadFileError

SR_IN = 44100


def _stereo_tone(seconds: float = 2.0) -> np.ndarray:
    t = np.arange(int(seconds * SR_IN)) / SR_IN
    left = 0.5 * np.sin(2 * np.pi * 440 * t)
    return np.stack([left, 0.25 * left], axis=1).astype(np.float32)


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg"])
def test_soundfile_formats_decode_to_mono_at_analysis_rate(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"tone.{fmt}"
    sf.write(path, _stereo_tone(), SR_IN)
    clip = load_audio(path)
    assert clip.sample_rate == 22050
    assert clip.samples.ndim == 1 and clip.samples.dtype == np.float32
    assert clip.duration == pytest.approx(2.0, abs=0.02)
    # Mono mix of 0.5 and 0.125 amplitude channels: peak 0.3125.
    assert float(np.max(np.abs(clip.samples))) == pytest.approx(0.3125, abs=0.02)
    assert not clip.samples.flags.writeable


def require_ffmpeg() -> None:
    if shutil.which("ffmpeg") is None:
        pytest.fail("ffmpeg is not installed: it is a system dependency (packaging/system-deps.sh)")


@pytest.mark.parametrize("ext", ["mp3", "m4a", "mp4"])
def test_ffmpeg_formats_and_video_soundtracks(tmp_path: Path, ext: str) -> None:
    require_ffmpeg()
    src = tmp_path / "tone.wav"
    sf.write(src, _stereo_tone(), SR_IN)
    out = tmp_path / f"tone.{ext}"
    cmd = ["ffmpeg", "-v", "error", "-y"]
    if ext == "mp4":
        cmd += ["-f", "lavfi", "-i", "color=c=black:s=64x64:d=2"]
    cmd += ["-i", str(src), "-shortest", str(out)]
    subprocess.run(cmd, check=True, capture_output=True)
    clip = load_audio(out)
    assert clip.duration == pytest.approx(2.0, abs=0.1)
    assert float(np.max(np.abs(clip.samples))) > 0.2


def test_video_without_soundtrack_is_refused() -> None:
    video = require(DATA / "video" / "mediapipe_pose_segmentation_dancer.mp4")
    require_ffmpeg()
    with pytest.raises(BadFileError, match="no soundtrack"):
        load_audio(video)


def test_missing_empty_and_non_audio_files(tmp_path: Path) -> None:
    with pytest.raises(BadFileError, match="does not exist"):
        load_audio(tmp_path / "nope.wav")
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    with pytest.raises(BadFileError, match="empty"):
        load_audio(empty)
    text = tmp_path / "notes.wav"
    text.write_text("this is not audio\n" * 50)
    with pytest.raises(BadFileError, match="not an audio"):
        load_audio(text)


def test_silence_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    sf.write(path, np.zeros(SR_IN * 3, np.float32), SR_IN)
    with pytest.raises(SilentAudioError, match="only silence"):
        analyze_song(path)


def test_too_long_is_refused_without_decoding_everything(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    sf.write(path, _stereo_tone(3.0), SR_IN)
    with pytest.raises(TooLongError, match="minutes"):
        load_audio(path, max_duration=2.0)
    assert load_audio(path, duration=1.0).duration == pytest.approx(1.0, abs=0.01)
