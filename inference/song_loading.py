"""Loading a song for the studio: decode it once, keep what playback and drawing need."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from inference.errors import BadFileError
from inference.jobs import Job, Progress
from inference.waveform import WaveformPeaks, compute_peaks


@dataclass(frozen=True)
class LoadedSong:
    """A decoded song: mono samples for analysis and playback, and peaks for drawing."""

    path: str
    title: str
    sample_rate: int
    samples: npt.NDArray[np.float32] = field(repr=False)
    peaks: WaveformPeaks = field(repr=False)

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def decode_mono(path: Path) -> tuple[npt.NDArray[np.float32], int]:
    """Decode ``path`` to mono float32 at its own sample rate."""
    import soundfile  # lazily: keeps libsndfile out of start-up

    if not path.exists():
        raise BadFileError(path, "the file does not exist")
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError) as error:
        raise BadFileError(path, "this is not an audio file the studio can read") from error
    if data.shape[0] == 0:
        raise BadFileError(path, "the audio file is empty")
    mono: npt.NDArray[np.float32] = data.mean(axis=1, dtype=np.float32)
    return mono, int(rate)


@dataclass(frozen=True)
class LoadSongRequest:
    """Decode a song and compute its waveform peaks, on the inference thread."""

    path: str

    def job(self) -> Job[LoadedSong]:
        source = Path(self.path)
        yield Progress(5, f"Decoding {source.name}…")
        samples, rate = decode_mono(source)
        yield Progress(80, "Drawing the waveform…")
        peaks = compute_peaks(samples, rate)
        yield Progress(100, f"Loaded {source.name}")
        return LoadedSong(self.path, source.stem, rate, samples, peaks)
