"""The one song decoder of the studio and the CLI: any song or video soundtrack to mono float32.

soundfile (libsndfile) reads wav, flac, ogg and mp3 without help; everything else (m4a, aac, the
soundtrack of mp4/mov/webm, and files libsndfile refuses) goes through an ``ffmpeg`` subprocess.
Either way the signal is mixed down to mono while it is read, so memory stays at one float32
channel plus one block, whatever the file's channel count and rate. The CLI decodes at the
analysis rate; the studio decodes once at the file's own rate for playback and hands
:func:`resampled` samples to the analysis (see :mod:`inference.song_requests`).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from inference.audio.errors import SilentAudioError, TooLongError
from inference.errors import BadFileError

ANALYSIS_SR = 22050
"""Sample rate of every analysis, in Hz."""

MAX_DURATION_S = 20.0 * 60.0
"""Longest input accepted. Songs are at most ~10 min; a longer file is most likely a mistake
(a whole album, a film) and would only tie up the worker."""

PLAYBACK_SR = 44100
"""Rate of a song decoded for playback through ffmpeg (whose raw output carries no rate)."""

SILENCE_PEAK = 10.0 ** (-70.0 / 20.0)
"""A file whose peak stays under -70 dBFS counts as silence (dither and noise floors sit there)."""

_BLOCK_FRAMES = 1 << 18


@dataclass(frozen=True, eq=False)
class AudioClip:
    """Decoded mono audio.

    Attributes
    ----------
    samples
        Read-only float32 samples in -1..1.
    sample_rate
        In Hz.
    path
        The file it came from, if any.
    """

    samples: npt.NDArray[np.float32]
    sample_rate: int
    path: Path | None = None

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return float(self.samples.shape[0]) / float(self.sample_rate)

    @staticmethod
    def from_array(samples: npt.ArrayLike, sample_rate: int, path: Path | None = None) -> AudioClip:
        """Wrap samples (mono, or channels last) as a read-only mono clip, without resampling."""
        arr = np.asarray(samples, dtype=np.float32)
        if arr.ndim == 2:
            arr = arr.mean(axis=1, dtype=np.float32)
        arr = np.ascontiguousarray(arr)
        arr.setflags(write=False)
        return AudioClip(arr, int(sample_rate), path)


def load_audio(
    path: str | Path,
    sample_rate: int | None = ANALYSIS_SR,
    max_duration: float = MAX_DURATION_S,
    duration: float | None = None,
) -> AudioClip:
    """Decode ``path`` to mono float32 at ``sample_rate``.

    Parameters
    ----------
    path
        An audio file (wav, mp3, ogg, flac, m4a, ...) or a video whose soundtrack is wanted.
    sample_rate
        Output rate in Hz; None keeps the file's own rate (:data:`PLAYBACK_SR` through ffmpeg).
    max_duration
        Files longer than this many seconds are refused with :class:`TooLongError`.
    duration
        Decode only the first ``duration`` seconds (for quick previews and tests).

    Raises
    ------
    BadFileError
        Missing, empty, not audio, or no soundtrack.
    TooLongError
        Longer than ``max_duration``.
    """
    p = Path(path)
    if not p.exists():
        raise BadFileError(p, "the file does not exist")
    if p.is_dir():
        raise BadFileError(p, "this is a folder, not an audio file")
    if p.stat().st_size == 0:
        raise BadFileError(p, "the file is empty")
    limit = max_duration if duration is None else min(duration, max_duration)
    decoded = _read_soundfile(
        p, sample_rate, limit, refuse_long=duration is None, max_s=max_duration
    )
    if decoded is None:
        rate = sample_rate or PLAYBACK_SR
        decoded = _read_ffmpeg(p, rate, limit, duration is None, max_duration), rate
    samples, rate = decoded
    if samples.size == 0:
        raise BadFileError(p, "the file contains no audio")
    return AudioClip.from_array(samples, rate, p)


def resampled(clip: AudioClip, sample_rate: int) -> AudioClip:
    """``clip`` at ``sample_rate`` (the same clip when it already is)."""
    if clip.sample_rate == sample_rate:
        return clip
    samples = _resample(clip.samples, clip.sample_rate, sample_rate)
    return AudioClip.from_array(samples, sample_rate, clip.path)


def check_not_silent(clip: AudioClip) -> None:
    """Raise :class:`SilentAudioError` when ``clip`` holds only silence."""
    if clip.samples.size == 0 or float(np.max(np.abs(clip.samples))) < SILENCE_PEAK:
        raise SilentAudioError(clip.path if clip.path is not None else Path("audio"))


def _resample(x: npt.NDArray[np.float32], sr_in: int, sr_out: int) -> npt.NDArray[np.float32]:
    if sr_in == sr_out:
        return x
    import soxr  # lazily: a song already at the analysis rate never pays for it

    out: npt.NDArray[np.float32] = soxr.resample(x, sr_in, sr_out, quality="HQ").astype(
        np.float32, copy=False
    )
    return out


def _read_soundfile(
    p: Path, sr: int | None, limit: float, refuse_long: bool, max_s: float
) -> tuple[npt.NDArray[np.float32], int] | None:
    """Decode with libsndfile (at ``sr``, or the file's rate), or None when it cannot."""
    import soundfile as sf

    try:
        f = sf.SoundFile(str(p))
    except Exception:  # libsndfile raises several types for "not my format"
        return None
    with f:
        sr_in = int(f.samplerate)
        if sr_in <= 0:
            return None
        total = f.frames / sr_in if f.frames > 0 else 0.0
        if refuse_long and total > max_s:
            raise TooLongError(p, total, max_s)
        max_frames = int(limit * sr_in) + 1
        blocks: list[npt.NDArray[np.float32]] = []
        read = 0
        try:
            while read < max_frames:
                block = f.read(
                    min(_BLOCK_FRAMES, max_frames - read), dtype="float32", always_2d=True
                )
                if block.shape[0] == 0:
                    break
                blocks.append(block.mean(axis=1, dtype=np.float32))
                read += block.shape[0]
        except Exception:
            if not blocks:
                return None
            # A truncated or partly corrupt file: keep what decoded, as players do.
    mono = np.concatenate(blocks) if blocks else np.zeros(0, np.float32)
    if refuse_long and read >= max_frames and mono.size / sr_in > max_s:
        raise TooLongError(p, mono.size / sr_in, max_s)
    return (mono, sr_in) if sr is None else (_resample(mono, sr_in, sr), sr)


def _read_ffmpeg(
    p: Path, sr: int, limit: float, refuse_long: bool, max_s: float
) -> npt.NDArray[np.float32]:
    """Decode with ffmpeg straight to mono float32 at ``sr``."""
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise BadFileError(
            p,
            "this kind of file cannot be opened without ffmpeg; install ffmpeg, or convert the "
            "song to wav, flac, ogg or mp3",
        )
    # Read one second past the limit, so "too long" can be told apart from "exactly the limit".
    read_s = limit + 1.0 if refuse_long else limit
    cmd = [
        exe, "-nostdin", "-v", "error", "-i", str(p), "-map", "0:a:0", "-vn", "-sn", "-dn",
        "-ac", "1", "-ar", str(sr), "-t", f"{read_s:.3f}", "-f", "f32le", "pipe:1",
    ]  # fmt: skip
    try:
        proc = subprocess.run(cmd, capture_output=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BadFileError(p, f"ffmpeg could not decode it ({exc})") from exc
    data = np.frombuffer(proc.stdout, dtype="<f4")
    if proc.returncode != 0 and data.size == 0:
        err = proc.stderr.decode("utf-8", "replace").lower()
        if "matches no streams" in err or "does not contain any stream" in err:
            raise BadFileError(p, "the file has no soundtrack")
        raise BadFileError(p, "this is not an audio or video file that can be decoded")
    if refuse_long and data.size > max_s * sr:
        raise TooLongError(p, data.size / sr, max_s)
    return data.astype(np.float32)
