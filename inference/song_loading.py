"""Loading a song for the studio: decode it once, keep what playback and drawing need."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from inference.audio.analysis import SongAnalysis
from inference.audio.grid import BeatGrid
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


@dataclass(frozen=True)
class NoBeatFound:
    """The analysis found no steady beat; the studio offers tap tempo and manual beats.

    Returned rather than raised, because the worker bridge reports a failure only as text and
    the studio must tell this case apart from a broken file.
    """

    path: str
    duration: float
    message: str


@dataclass(frozen=True)
class QuickBeatsRequest:
    """Beats only, fast (under two seconds for a song), to draw while the full analysis runs."""

    path: str

    def job(self) -> Job[BeatGrid | NoBeatFound]:
        from inference.audio import NoBeatError, quick_beats

        yield Progress(10, "Finding the beats…")
        try:
            grid = quick_beats(self.path)
        except NoBeatError as error:
            return NoBeatFound(self.path, error.duration, str(error))
        yield Progress(100, f"Found {len(grid.beats)} beats; analysing the song…")
        return grid


@dataclass(frozen=True)
class AnalyzeSongRequest:
    """The full music analysis: beats, meter, parts, sections, energy, tempo map."""

    path: str

    def job(self) -> Job[SongAnalysis | NoBeatFound]:
        from inference.audio import NoBeatError, analyze_song_job

        try:
            return (yield from analyze_song_job(self.path))
        except NoBeatError as error:
            return NoBeatFound(self.path, error.duration, str(error))


@dataclass(frozen=True)
class AnalysisFromGridRequest:
    """Energy, sections and tempo map around a grid the project already has.

    Used when a saved project opens (its grid is the user's, and must not be replaced) and after
    tap tempo on a song without a steady beat.
    """

    path: str
    grid: BeatGrid

    def job(self) -> Job[SongAnalysis]:
        from inference.audio import analysis_from_grid

        yield Progress(10, "Reading the song's energy and sections…")
        return analysis_from_grid(self.path, self.grid)


@dataclass(frozen=True)
class PracticeRenderRequest:
    """The song stretched to a practice speed (pitch kept), with an optional metronome."""

    samples: npt.NDArray[np.float32] = field(repr=False)
    sample_rate: int
    speed: float
    beats: tuple[float, ...] = ()
    counts: tuple[int, ...] = ()
    metronome: bool = False

    def job(self) -> Job[npt.NDArray[np.float32]]:
        from inference.audio.stretch import practice_mix

        yield Progress(10, f"Preparing practice audio at {self.speed:.2g}x…")
        return practice_mix(
            self.samples, self.sample_rate, self.speed, self.beats, self.counts, self.metronome
        )
