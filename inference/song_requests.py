"""Loading a song for the studio: decode it once, keep what playback, drawing and analysis need.

:class:`LoadSongRequest` decodes the file with the one decoder of the studio and the CLI
(:func:`~inference.audio.decode.load_audio`, with its ffmpeg fallback for m4a and video
soundtracks) at the file's own rate for playback, and resamples that once to the analysis
rate. The analysis requests take those samples (:attr:`LoadedSong.analysis_audio`), so the
file is decoded once however many analyses follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from inference.audio.analysis import SongAnalysis
from inference.audio.decode import ANALYSIS_SR, AudioClip, load_audio, resampled
from inference.audio.grid import BeatGrid
from inference.jobs import Job, Progress
from inference.waveform import WaveformPeaks, compute_peaks


@dataclass(frozen=True)
class LoadedSong:
    """A decoded song: mono samples for playback, peaks for drawing, samples for the analysis."""

    path: str
    title: str
    sample_rate: int
    samples: npt.NDArray[np.float32] = field(repr=False)
    peaks: WaveformPeaks = field(repr=False)
    analysis_audio: AudioClip | None = field(default=None, repr=False)
    """The same song at the analysis rate, for the analysis requests."""

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class LoadSongRequest:
    """Decode a song and compute its waveform peaks, on the inference thread."""

    path: str

    def job(self) -> Job[LoadedSong]:
        source = Path(self.path)
        yield Progress(5, f"Decoding {source.name}…")
        clip = load_audio(source, sample_rate=None)
        yield Progress(60, "Preparing the analysis…")
        analysis_audio = resampled(clip, ANALYSIS_SR)
        yield Progress(80, "Drawing the waveform…")
        peaks = compute_peaks(clip.samples, clip.sample_rate)
        yield Progress(100, f"Loaded {source.name}")
        return LoadedSong(
            self.path, source.stem, clip.sample_rate, clip.samples, peaks, analysis_audio
        )


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
    """Beats only, fast (under two seconds for a song), to draw while the full analysis runs.

    ``audio`` is the song already decoded (at any rate); without it ``path`` is decoded.
    """

    path: str
    audio: AudioClip | None = field(default=None, compare=False, repr=False)

    def job(self) -> Job[BeatGrid | NoBeatFound]:
        from inference.audio import NoBeatError, quick_beats

        yield Progress(10, "Finding the beats…")
        try:
            grid = quick_beats(_source(self.path, self.audio))
        except NoBeatError as error:
            return NoBeatFound(self.path, error.duration, str(error))
        yield Progress(100, f"Found {len(grid.beats)} beats; analysing the song…")
        return grid


@dataclass(frozen=True)
class AnalyzeSongRequest:
    """The full music analysis: beats, meter, parts, sections, energy, tempo map."""

    path: str
    audio: AudioClip | None = field(default=None, compare=False, repr=False)

    def job(self) -> Job[SongAnalysis | NoBeatFound]:
        from inference.audio import NoBeatError, analyze_song_job

        try:
            return (yield from analyze_song_job(_source(self.path, self.audio)))
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
    audio: AudioClip | None = field(default=None, compare=False, repr=False)

    def job(self) -> Job[SongAnalysis]:
        from inference.audio import analysis_from_grid

        yield Progress(10, "Reading the song's energy and sections…")
        return analysis_from_grid(_source(self.path, self.audio), self.grid)


def _source(path: str, audio: AudioClip | None) -> str | AudioClip:
    return path if audio is None else audio


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
