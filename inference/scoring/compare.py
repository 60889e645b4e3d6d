"""Scoring a take against a reference, part by part, on the song's time line.

Both tracks are placed on the song: reference frame ``i`` is at ``ref_offset + i / fps`` and
take frame ``j`` at ``take_offset + j / fps`` seconds (how the offsets are found is
:mod:`inference.scoring.sync`'s job). Inside each 8-count part, a subsequence DTW
(:mod:`inference.scoring.dtw`) matches every reference frame of the part with one take frame
no more than ``tolerance_s`` away in song time; the match tells how late (positive) or early
the take is, frame by frame, and what the pose distance is (:mod:`inference.scoring.scale`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.audio.grid import BeatGrid, Part
from inference.scoring.body import BodyTrack, mirror_track, resample_track
from inference.scoring.camera import front_view
from inference.scoring.dtw import subsequence_dtw
from inference.scoring.embedding import embed
from inference.scoring.features import nanmean, pose_features
from inference.scoring.feedback import part_feedback
from inference.scoring.scale import ANGLES, EMBEDDING, score_from_distance, with_timing

Array = NDArray[np.float64]

WORK_FPS = 30.0
TIMING_TOLERANCE_S = 0.5
"""How far (song time) a take's move may be from the reference's and still be matched."""
STEP_PENALTY = 0.02
"""DTW cost of holding or skipping a take frame: keeps the path diagonal where poses rest."""
MIN_PART_COVERAGE = 0.5
"""A part the take covers less than this share of is left out (and the user told so)."""


@dataclass(frozen=True, slots=True)
class Features:
    """Per-frame features of one track at :data:`WORK_FPS`.

    ``embedding`` (unit vectors, :mod:`inference.scoring.embedding`) is set for 2D tracks when
    the score uses the view-invariant embedding; the angles still drive the feedback.
    """

    angles: Array  # (T, 14) radians
    positions: Array  # (T, 4, dims) torso lengths
    embedding: NDArray[np.float32] | None = None  # (T, D)

    @property
    def n_frames(self) -> int:
        return int(self.angles.shape[0])


def features_of(track: BodyTrack, network: Any | None = None) -> Features:
    """Features of ``track`` resampled to :data:`WORK_FPS`; with ``network`` (2D only), the
    view-invariant embedding too."""
    track = resample_track(track, WORK_FPS)
    angles, positions = pose_features(track)
    emb = embed(track, network) if network is not None and track.dims == 2 else None
    return Features(angles, positions, emb)


def comparable(
    reference: BodyTrack, take: BodyTrack, mirror: bool, network: Any | None = None
) -> tuple[Features, Features]:
    """Both tracks in one space: 2D if either is 2D (a 3D one filmed from the front), same fps,
    the reference mirrored when asked; with ``network``, 2D tracks are embedded."""
    if reference.dims != take.dims:
        reference = front_view(reference) if reference.dims == 3 else reference
        take = front_view(take) if take.dims == 3 else take
    if mirror:
        reference = mirror_track(reference)
    return features_of(reference, network), features_of(take, network)


def frame_distances(ref: Features, take: Features, rows: Any, cols: Any) -> Array:
    """Distance between reference frames ``rows`` and take frames ``cols`` (integer arrays
    that broadcast, e.g. ``rows[:, None]`` and ``cols[None, :]`` for a matrix); NaN where
    nothing was seen. With embeddings on both sides: 1 - cosine; else the angle and position
    formula of :mod:`inference.scoring.scale`."""
    if ref.embedding is not None and take.embedding is not None:
        r, c = np.asarray(rows), np.asarray(cols)
        if r.ndim == 2 and c.ndim == 2 and r.shape[1] == 1 and c.shape[0] == 1:
            cos = ref.embedding[r[:, 0]] @ take.embedding[c[0]].T  # a whole matrix: one product
        else:
            cos = np.sum(ref.embedding[r] * take.embedding[c], axis=-1)
        return np.asarray(1.0 - cos, dtype=np.float64)
    da = np.abs(ref.angles[rows] - take.angles[cols])
    dp = np.linalg.norm(ref.positions[rows] - take.positions[cols], axis=-1)
    # Equal halves; when one half saw nothing (no torso to scale by), the other stands alone.
    return nanmean(np.stack([nanmean(da, axis=-1), nanmean(dp, axis=-1)]), axis=0)


@dataclass(frozen=True, slots=True)
class PartScore:
    """One part's result.

    Attributes
    ----------
    index
        The part number (1-based, as :class:`inference.audio.Part`).
    score
        40..100, timing penalty included.
    timing_ms
        Median lateness over the part; positive = late, negative = early.
    counts
        A score per count (NaN where the take had no visible frame in that count).
    count_timing_ms
        Median lateness per count.
    feedback
        At most three corrections in plain words.
    distance
        Mean pose distance along the path (:mod:`inference.scoring.scale`).
    coverage
        Share of the part's reference frames that the take covered.
    """

    index: int
    score: float
    timing_ms: float
    counts: tuple[float, ...]
    count_timing_ms: tuple[float, ...]
    feedback: tuple[str, ...]
    distance: float
    coverage: float


@dataclass(frozen=True, slots=True)
class Comparison:
    """Part scores plus what the user should be told about how they were reached."""

    parts: tuple[PartScore, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def overall(self) -> float:
        """Mean of the part scores, weighted by how much of each part was scored."""
        scores = [p.score for p in self.parts if np.isfinite(p.score)]
        if not scores:
            return float("nan")
        w = [p.coverage for p in self.parts if np.isfinite(p.score)]
        return float(np.average(scores, weights=w))


def _count_edges(part: Part, beats: Sequence[float]) -> list[float]:
    edges = [float(beats[part.first_beat + k]) for k in range(part.n_beats)]
    return [*edges, part.end]


def _median_or_nan(x: Array) -> float:
    return float(np.median(x)) if x.size else float("nan")


def compare(
    ref: Features,
    take: Features,
    grid: BeatGrid,
    parts: Sequence[Part],
    take_offset_s: float,
    ref_offset_s: float = 0.0,
    tolerance_s: float = TIMING_TOLERANCE_S,
) -> Comparison:
    """Score ``take`` against ``ref`` in every part both cover (module docstring)."""
    fps = WORK_FPS
    ref_t = ref_offset_s + np.arange(ref.n_frames) / fps
    take_t = take_offset_s + np.arange(take.n_frames) / fps
    results: list[PartScore] = []
    skipped: list[int] = []
    partial: list[int] = []
    for part in parts:
        in_part = np.flatnonzero((ref_t >= part.start) & (ref_t < part.end))
        if in_part.size == 0:
            continue
        covered = in_part[(ref_t[in_part] >= take_t[0]) & (ref_t[in_part] <= take_t[-1])]
        coverage = covered.size / in_part.size
        if coverage < MIN_PART_COVERAGE or covered.size < 2:
            skipped.append(part.index)
            continue
        if coverage < 0.999:
            partial.append(part.index)
        results.append(
            _score_part(ref, take, part, grid, covered, ref_t, take_t, tolerance_s, coverage)
        )
    notes: list[str] = []
    if skipped:
        scored = [p.index for p in results]
        notes.append(
            f"the take covers {len(scored)} of {len(scored) + len(skipped)} parts: "
            f"parts {_ranges(skipped)} were not scored"
        )
    if partial:
        notes.append(f"parts {_ranges(partial)} were scored on the part the take covers")
    return Comparison(tuple(results), tuple(notes))


def _score_part(
    ref: Features,
    take: Features,
    part: Part,
    grid: BeatGrid,
    rows: NDArray[np.int64],
    ref_t: Array,
    take_t: Array,
    tolerance_s: float,
    coverage: float,
) -> PartScore:
    t0, t1 = ref_t[rows[0]] - tolerance_s, ref_t[rows[-1]] + tolerance_s
    cols = np.flatnonzero((take_t >= t0 - 1e-9) & (take_t <= t1 + 1e-9))
    dist = frame_distances(ref, take, rows[:, None], cols[None, :])
    mapping = EMBEDDING if ref.embedding is not None and take.embedding is not None else ANGLES
    lo = np.searchsorted(take_t[cols], ref_t[rows] - tolerance_s - 1e-9)
    hi = np.searchsorted(take_t[cols], ref_t[rows] + tolerance_s + 1e-9, side="right") - 1
    # A pair with nothing seen costs like an unremarkable pair: the median of the rest.
    finite = dist[np.isfinite(dist)]
    if finite.size == 0:
        return PartScore(part.index, float("nan"), float("nan"), (), (), (), float("nan"), coverage)
    cost = np.where(np.isfinite(dist), dist, float(np.median(finite)))
    path, _ = subsequence_dtw(cost, (lo, hi), STEP_PENALTY)
    matched = dist[np.arange(len(rows)), path]
    lateness_ms = 1000.0 * (take_t[cols[path]] - ref_t[rows])
    timing = _median_or_nan(lateness_ms)
    distance = float(nanmean(matched))
    angle_diff = np.degrees(take.angles[cols[path]] - ref.angles[rows])
    edges = _count_edges(part, grid.beats)
    counts: list[float] = []
    count_timing: list[float] = []
    count_diff: list[Array] = []
    count_numbers: list[int] = []
    for k in range(len(edges) - 1):
        sel = (ref_t[rows] >= edges[k]) & (ref_t[rows] < edges[k + 1])
        ct = _median_or_nan(lateness_ms[sel])
        counts.append(with_timing(score_from_distance(float(nanmean(matched[sel])), mapping), ct))
        count_timing.append(ct)
        if np.any(sel):
            count_diff.append(nanmean(angle_diff[sel], axis=0))
            count_numbers.append(k + 1)
    feedback = part_feedback(
        np.array(count_diff) if count_diff else np.zeros((0, angle_diff.shape[1])),
        count_numbers,
        timing,
    )
    return PartScore(
        index=part.index,
        score=with_timing(score_from_distance(distance, mapping), timing),
        timing_ms=timing,
        counts=tuple(counts),
        count_timing_ms=tuple(count_timing),
        feedback=tuple(feedback),
        distance=distance,
        coverage=coverage,
    )


def _ranges(indices: Sequence[int]) -> str:
    """[1, 2, 3, 7] -> '1–3, 7'."""
    out: list[str] = []
    start = prev = indices[0]
    for i in [*indices[1:], None]:
        if i is not None and i == prev + 1:
            prev = i
            continue
        out.append(f"{start}–{prev}" if prev > start else f"{start}")
        if i is not None:
            start = prev = i
    return ", ".join(out)
