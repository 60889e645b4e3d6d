"""The whole music analysis as a job: decode, beats, meter, parts, sections, energy.

Entry points
------------
* :func:`quick_beats`: beats only, for "first beats on screen within 2 s".
* :func:`analyze_song_job`: the full pass as a :data:`inference.jobs.Job` for the worker thread.
* :func:`analyze_song`: the same, run to completion on the calling thread.
* :func:`with_grid`: re-derive parts, sections and energy after the user edited the grid.
* :func:`analysis_from_grid`: a full analysis around a grid the user made by hand (tap tempo or
  manual beats), used after :class:`~inference.audio.errors.NoBeatError`.

No steady beat
--------------
When the pulse clarity is below :data:`MIN_PULSE_CLARITY` (speech, ambient pads, noise) the full
pass raises :class:`~inference.audio.errors.NoBeatError` rather than returning a grid of guesses;
the error carries the duration so the UI can offer tap tempo and then call
:func:`analysis_from_grid`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from inference.audio.beats import estimate_tempo, track_beats
from inference.audio.decode import (
    ANALYSIS_SR,
    AudioClip,
    check_not_silent,
    load_audio,
    resampled,
)
from inference.audio.energy import beat_energy
from inference.audio.errors import NoBeatError
from inference.audio.features import FrameFeatures, compute_features
from inference.audio.grid import BeatGrid, Part, derive_parts, make_grid
from inference.audio.meter import beat_features, estimate_meter
from inference.audio.sections import Section, derive_sections
from inference.audio.tempo_map import TempoSpan, tempo_map
from inference.jobs import Job, Progress, run_job

MIN_PULSE_CLARITY = 0.2
"""Below this the music has no beat worth tracking. Real songs measured 0.32-0.86 (ballroom
songs, the demo song, the annotated waltz; one hard waltz 0.12, where the tracker failed anyway);
white noise, random clicks and a swelling noise pad 0.13-0.16."""

MIN_BEATS = 8


@dataclass(frozen=True, eq=False)
class SongAnalysis:
    """Everything the studio knows about a song's rhythm and form; all times in seconds.

    Attributes
    ----------
    path
        The analysed file (None for in-memory audio).
    duration
        Song length.
    grid
        Beats, counts and meter.
    tempo_bpm
        Global tempo.
    tempo_map
        Spans of steady tempo.
    parts
        8-count parts.
    sections
        Labelled sections, tiling 0..duration.
    energy
        Energy per beat, 0..1.
    pulse_clarity
        How clear the beat is, 0..1 (see :data:`MIN_PULSE_CLARITY`).
    """

    path: Path | None
    duration: float
    grid: BeatGrid
    tempo_bpm: float
    tempo_map: tuple[TempoSpan, ...]
    parts: tuple[Part, ...]
    sections: tuple[Section, ...]
    energy: tuple[float, ...]
    pulse_clarity: float
    _frames: FrameFeatures | None = field(default=None, repr=False, compare=False)

    @property
    def meter(self) -> int:
        """Beats per bar."""
        return self.grid.meter


def _load(source: str | Path | AudioClip) -> AudioClip:
    """The song at the analysis rate: decoded from a path, or resampled from samples."""
    if isinstance(source, AudioClip):
        clip = resampled(source, ANALYSIS_SR)
    else:
        clip = load_audio(source, ANALYSIS_SR)
    check_not_silent(clip)
    return clip


def quick_beats(source: str | Path | AudioClip) -> BeatGrid:
    """Beats only, fast: a provisional 4/4 grid counted from the first beat.

    Decoding, one STFT pass and the beat tracker; no meter, sections or energy. Takes well under a
    second for a 4-minute song once the modules are imported.

    Raises
    ------
    BadFileError, SilentAudioError, TooLongError
        Bad input.
    NoBeatError
        No steady beat.
    """
    clip = _load(source)
    frames = compute_features(clip)
    beats = _track(clip, frames)[0]
    return make_grid(beats, 4, 0, clip.duration)


def _track(clip: AudioClip, frames: FrameFeatures) -> tuple[list[float], float]:
    tempo = estimate_tempo(frames.onset, frames.fps)
    beats = track_beats(frames.onset, frames.fps, tempo)
    if tempo.pulse_clarity < MIN_PULSE_CLARITY or beats.size < MIN_BEATS:
        raise NoBeatError(clip.path, clip.duration, tempo.pulse_clarity)
    return [float(b) for b in beats], tempo.pulse_clarity


def _assemble(
    clip_path: Path | None,
    duration: float,
    frames: FrameFeatures,
    grid: BeatGrid,
    clarity: float,
) -> SongAnalysis:
    parts = derive_parts(grid)
    if grid.beats:
        bf = beat_features(frames, grid.beats)
        energy = beat_energy(bf)
        sections = derive_sections(grid, parts, bf, energy)
    else:
        energy = ()
        sections = derive_sections(grid, parts, None, energy)  # type: ignore[arg-type]
    return SongAnalysis(
        path=clip_path,
        duration=duration,
        grid=grid,
        tempo_bpm=grid.tempo_bpm,
        tempo_map=tempo_map(grid),
        parts=parts,
        sections=sections,
        energy=energy,
        pulse_clarity=clarity,
        _frames=frames,
    )


def analyze_song_job(source: str | Path | AudioClip) -> Job[SongAnalysis]:
    """The full analysis as a job: yields :class:`~inference.jobs.Progress`, returns the result.

    Raises
    ------
    BadFileError, SilentAudioError, TooLongError
        Bad input (with a message naming the file and the problem).
    NoBeatError
        No steady beat: offer tap tempo, then :func:`analysis_from_grid`.
    """
    yield Progress(0, "Decoding audio")
    clip = _load(source)
    yield Progress(15, "Computing spectral features")
    frames = compute_features(clip)
    yield Progress(45, "Tracking beats")
    beats, clarity = _track(clip, frames)
    yield Progress(65, "Finding downbeats and meter")
    bf = beat_features(frames, beats)
    meter, first = estimate_meter(bf)
    grid = make_grid(beats, meter, first, clip.duration)
    yield Progress(80, "Finding parts and sections")
    result = _assemble(clip.path, clip.duration, frames, grid, clarity)
    yield Progress(100, "Analysis done")
    return result


def analyze_song(source: str | Path | AudioClip) -> SongAnalysis:
    """Run :func:`analyze_song_job` to completion on the calling thread."""
    return run_job(analyze_song_job(source))


def with_grid(analysis: SongAnalysis, grid: BeatGrid) -> SongAnalysis:
    """The analysis re-derived for an edited grid (parts, sections, energy, tempo map).

    Uses the frame features kept from the analysis, so no audio is decoded again.
    """
    if analysis._frames is None:
        return replace(
            analysis, grid=grid, parts=derive_parts(grid), tempo_map=tempo_map(grid),
            tempo_bpm=grid.tempo_bpm,
        )  # fmt: skip
    return _assemble(
        analysis.path, analysis.duration, analysis._frames, grid, analysis.pulse_clarity
    )


def analysis_from_grid(source: str | Path | AudioClip, grid: BeatGrid) -> SongAnalysis:
    """A full analysis around a grid the user made (tap tempo, manual beats)."""
    clip = _load(source)
    frames = compute_features(clip)
    tempo = estimate_tempo(frames.onset, frames.fps)
    return _assemble(clip.path, clip.duration, frames, grid, tempo.pulse_clarity)
