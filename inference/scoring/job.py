"""Scoring as one job: a request in, a :class:`ScoreResult` out, for the CLI and the studio.

>>> request = ScoreRequest("ref.bvh", "take.json", song="song.ogg")
>>> result = run_job(score_take_job(request))  # doctest: +SKIP
>>> result.overall, result.offset_s, result.parts[0].feedback, result.notes  # doctest: +SKIP

The studio's practice mode passes its routine (a :class:`~inference.motion.Motion`) as the
reference, the webcam's keypoints as a :class:`~inference.scoring.body.BodyTrack`, and the
project's beat grid and parts, so no song is analysed again. The job yields
:class:`~inference.jobs.Progress` between steps and can be cancelled between any two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from inference.audio.grid import BeatGrid, Part, derive_parts, grid_from_tap_tempo
from inference.errors import UserFacingError
from inference.jobs import Job, Progress, rescaled
from inference.scoring.compare import PartScore, comparable, compare
from inference.scoring.embedding import embedding_available, embedding_helps, load_embedding
from inference.scoring.sources import Source, load_source_job
from inference.scoring.sync import place_take

DEFAULT_BPM = 120.0


@dataclass(frozen=True, eq=False)
class ScoreRequest:
    """An immutable snapshot of what to score.

    Attributes
    ----------
    reference, take
        A path (motion file, keypoint-track JSON, video), a Motion or a BodyTrack.
    song
        The song, for its counts and to place a take's soundtrack; optional.
    grid, parts
        The project's beat grid and parts (skips analysing ``song`` for them).
    mirror
        Compare with the mirrored reference (a student facing the camera).
    offset_s
        The take's start on the song, when the user knows it.
    sync
        ``"auto"`` (audio if the take has a soundtrack, else the reference's start),
        ``"audio"`` (audio or an error) or ``"motion"`` (line the start up by the motion).
    reference_offset_s
        Song time of the reference's first frame (0 for a routine made on the song).
    bpm
        Tempo of the 8-count parts when there is neither a song nor a grid.
    metric
        ``"auto"``: the view embedding for 2D when its weights are there and measured better
        than the joint angles (:func:`~inference.scoring.embedding.embedding_helps`);
        ``"angles"``: always the joint angles (for comparisons).
    """

    reference: Source
    take: Source
    song: str | Path | None = None
    grid: BeatGrid | None = None
    parts: tuple[Part, ...] | None = None
    mirror: bool = False
    offset_s: float | None = None
    sync: str = "auto"
    reference_offset_s: float = 0.0
    bpm: float = DEFAULT_BPM
    metric: str = "auto"


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """The score of a take.

    Attributes
    ----------
    overall
        40..100, the parts' mean weighted by how much of each was scored.
    offset_s
        Song time of the take's first frame.
    sync
        How ``offset_s`` was found: ``audio``, ``motion``, ``offset`` or ``start``.
    parts
        One :class:`~inference.scoring.compare.PartScore` per part scored.
    notes
        Sentences for the user: how the take was placed, what was not scored, and why.
    metric
        ``"joint angles"`` or ``"view embedding"`` (what the pose distance was).
    """

    overall: float
    offset_s: float
    sync: str
    parts: tuple[PartScore, ...]
    notes: tuple[str, ...] = field(default=())
    metric: str = "joint angles"

    def to_json_dict(self) -> dict[str, Any]:
        """The CLI's JSON: overall, offset_s, parts (index, score, timing_ms, counts,
        feedback, count_timing_ms), sync, metric, notes. NaN becomes null."""

        def num(x: float, digits: int = 1) -> float | None:
            return round(float(x), digits) if np.isfinite(x) else None

        return {
            "overall": num(self.overall),
            "offset_s": num(self.offset_s, 3),
            "sync": self.sync,
            "metric": self.metric,
            "parts": [
                {
                    "index": p.index,
                    "score": num(p.score),
                    "timing_ms": num(p.timing_ms, 0),
                    "counts": [num(c) for c in p.counts],
                    "count_timing_ms": [num(c, 0) for c in p.count_timing_ms],
                    "feedback": list(p.feedback),
                }
                for p in self.parts
            ],
            "notes": list(self.notes),
        }


def _counts(request: ScoreRequest, duration: float) -> tuple[BeatGrid, tuple[Part, ...], str]:
    if request.grid is not None:
        parts = request.parts if request.parts is not None else derive_parts(request.grid)
        return request.grid, parts, ""
    if request.song is not None:
        from inference.audio import analyze_song

        analysis = analyze_song(request.song)
        return analysis.grid, analysis.parts, ""
    end = request.reference_offset_s + duration
    grid = grid_from_tap_tempo(request.bpm, max(0.0, request.reference_offset_s), end + 1.0)
    note = (
        f"no song given: parts are 8 counts at {request.bpm:.0f} BPM from the reference's "
        "start; give the song for its real counts"
    )
    return grid, derive_parts(grid), note


def score_take_job(request: ScoreRequest) -> Job[ScoreResult]:
    """Load, place, align and score (module docstring).

    Raises
    ------
    UserFacingError
        A file that cannot be read, a take with no person in it, ``sync="audio"`` for a take
        that has no soundtrack matching the song.
    """
    song = Path(request.song) if request.song is not None else None
    ref = yield from rescaled(load_source_job(request.reference, song), 0, 25)
    take = yield from rescaled(load_source_job(request.take, song), 25, 50)
    yield Progress(50, "Finding the counts")
    grid, parts, counts_note = _counts(request, ref.track.duration)
    yield Progress(65, "Measuring the poses")
    # 3D against 3D needs no embedding (its features already ignore the camera).
    use_embedding = (
        request.metric == "auto"
        and min(ref.track.dims, take.track.dims) == 2
        and embedding_available()
        and embedding_helps()
    )
    network = load_embedding() if use_embedding else None
    ref_f, take_f = comparable(ref.track, take.track, request.mirror, network)
    yield Progress(80, "Placing the take on the song")
    placement = place_take(
        take.name,
        ref_f,
        take_f,
        request.sync,
        request.offset_s,
        take.audio_offset_s,
        take.has_soundtrack,
        request.reference_offset_s,
    )
    yield Progress(85, "Comparing part by part")
    result = compare(ref_f, take_f, grid, parts, placement.offset_s, request.reference_offset_s)
    notes = [placement.note, *ref.notes, *take.notes, *result.notes]
    if counts_note:
        notes.append(counts_note)
    if request.mirror:
        notes.append("compared with the mirrored reference (mirror mode)")
    if not result.parts:
        raise UserFacingError(
            f"{take.name}: it does not overlap the reference in any part (it starts at "
            f"{placement.offset_s:+.2f} s of the song and lasts {take.track.duration:.1f} s); "
            "check --offset"
        )
    yield Progress(100, "Scored")
    return ScoreResult(
        overall=result.overall,
        offset_s=placement.offset_s,
        sync=placement.method,
        parts=result.parts,
        notes=tuple(notes),
        metric="view embedding" if use_embedding else "joint angles",
    )
