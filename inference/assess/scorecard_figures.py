"""The scorecard's figures for one stretch of a dance: a part of a routine, or a part-length
piece of real mocap, measured the same way so that the two can stand side by side.

Every figure is one of the metrics of :mod:`.motion_metrics` and :mod:`.body_use`, called on the
stretch (or, for BAS, the whole motion's per-beat terms summed over the stretch's beats): nothing
here re-implements a metric. What is new is only how a stretch is cut, the per-beat motion
energy that the energy-to-music correlation compares with the song's energy, and the pose
signature that says whether two parts dance the same moves.

All at 30 fps on the canonical 21 joints, on a motion grounded once as a whole (a vertical
shift, :func:`inference.motion.ground`), as :func:`.scorecard.dance_metrics` does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from inference.assess.body_use import FIELDS as BODY_FIELDS
from inference.assess.body_use import body_use
from inference.assess.motion_metrics import foot_skating_ratio, kinetic_features, pfc
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]

FPS = 30.0
MIN_SPAN_FRAMES = 30
"""A stretch shorter than a second gets no figures (as :func:`.scorecard.part_features` skips
parts under a second for Div_k: under a second, PFC and body use are noise)."""
SIGNATURE_SAMPLES = 16
"""Poses sampled evenly over a part to compare its moves with another part's (two per count)."""
MIN_CORRELATION_BEATS = 4

_J = CANONICAL.index
_PELVIS = _J("pelvis")


@dataclass(frozen=True)
class Metric:
    """One figure of the scorecard: how it is shown and what it means in plain words."""

    key: str
    name: str
    unit: str
    better: str
    """"higher", "lower", or "" when only closeness to real dance counts."""
    explanation: str
    scale: float = 1.0
    """Shown value = stored value x scale (shares are stored 0..1 and shown in %)."""
    whole_only: bool = False


METRICS: tuple[Metric, ...] = (
    Metric(
        "bas",
        "Beat alignment (BAS)",
        "",
        "higher",
        "How often the body slows to a stop on a music beat (Bailando's Beat Align Score, 0 to "
        "1). Caveat: the studio's assembler warps every move so that it does, so a high BAS "
        "only shows that the warp works. It is not evidence that the dance is good; real "
        "dancers score low on it.",
    ),
    Metric(
        "pfc",
        "Floating (PFC)",
        "",
        "lower",
        "Physical foot contact (EDGE): high when the body speeds up or changes direction while "
        "neither foot is on the floor, as if it floated. Lower is more believable.",
    ),
    Metric(
        "foot_skating",
        "Foot sliding",
        "%",
        "lower",
        "The share of the frames with a foot on the floor in which that foot slides more than "
        "1 cm per frame, like skating on ice. Lower is better.",
        scale=100.0,
    ),
    Metric(
        "div_k",
        "Variety (Div_k)",
        "",
        "higher",
        "How different the movement is from the routine's other parts: the mean distance "
        "between the parts' kinetic features (Div_k). For the whole routine, the mean over all "
        "pairs of parts. Low: the parts all move alike.",
    ),
    Metric(
        "energy_corr",
        "Energy follows music",
        "",
        "higher",
        "Whether the dancer moves harder when the music is louder: the correlation, beat by "
        "beat, of the body's speed with the song's energy (-1 to 1; 0 means unrelated).",
    ),
    Metric(
        "knee_p90",
        "Knee bend",
        "°",
        "",
        "How deeply the knees bend (the 90th percentile of knee flexion; 0° is a straight "
        "leg). Real dance bends its knees; straight legs look stiff.",
    ),
    Metric(
        "pose_spread",
        "Pose change",
        "m",
        "",
        "How much the shape of the body changes: the mean, over joints, of how far each joint "
        "moves around the pelvis. Low: the dancer holds one pose.",
    ),
    Metric(
        "wrists_up",
        "Arms up",
        "%",
        "",
        "The share of the time a wrist is above its shoulder. Low: the arms stay low.",
        scale=100.0,
    ),
    Metric(
        "travel",
        "Travel",
        "m/s",
        "",
        "How fast the dancer moves across the floor (the pelvis's horizontal speed).",
    ),
    Metric(
        "speed",
        "Speed",
        "m/s",
        "",
        "The mean speed of all joints: how much the body moves at all.",
    ),
    Metric(
        "leg_speed",
        "Leg speed",
        "m/s",
        "",
        "How fast knees, ankles and toes move relative to the pelvis: footwork.",
    ),
    Metric(
        "arm_speed",
        "Arm speed",
        "m/s",
        "",
        "How fast elbows and wrists move relative to the pelvis: armwork.",
    ),
    Metric(
        "repeat_distance",
        "Repeat match",
        "m",
        "lower",
        "For a part whose music repeats an earlier part: how far its poses are from that "
        "part's, on average per joint (body-centred, facing removed). Near 0: it repeats the "
        "moves, as choreography usually does when the music repeats.",
    ),
    Metric(
        "fid_k",
        "FID_k",
        "",
        "lower",
        "How far the routine's movement energy, over 5-s windows, is from real pop and street "
        "dance (Bailando's FID_k on kinetic features). Lower is closer to real.",
        whole_only=True,
    ),
    Metric(
        "fid_g",
        "FID_g",
        "",
        "lower",
        "How far the routine's poses and gestures, over 5-s windows, are from real pop and "
        "street dance (Bailando's FID_g on 32 geometric relations). Lower is closer to real.",
        whole_only=True,
    ),
)
METRIC = {m.key: m for m in METRICS}
SPAN_KEYS = ("bas", "pfc", "foot_skating", "energy_corr", *BODY_FIELDS)
"""The figures measured on a stretch by itself (:func:`span_figures`)."""


def frame_span(start: float, end: float, n_frames: int, fps: float = FPS) -> tuple[int, int]:
    """The frames ``[a, b)`` of song seconds ``start``..``end``, clipped to the motion."""
    # Truncation, as :func:`.scorecard.part_features` cuts parts, so Div_k agrees with it.
    a = max(0, min(n_frames, int(start * fps)))
    b = max(a, min(n_frames, int(end * fps)))
    return a, b


def beat_energy_of_motion(positions: Array, beat_frames: NDArray[np.int64], fps: float) -> Array:
    """Mean joint speed (m/s) from each beat to the next (the last beat: to the motion's end).

    NaN for a beat outside the motion or with no frame before the next beat.
    """
    speed = np.linalg.norm(np.diff(positions, axis=0), axis=-1).mean(axis=1) * fps
    c = np.concatenate([[0.0], np.cumsum(speed)])
    n = speed.size
    lo = np.asarray(beat_frames, dtype=np.int64)
    hi = np.append(lo[1:], n)
    out = np.full(lo.shape, np.nan)
    ok = (lo >= 0) & (lo < n) & (hi > lo)
    hi_c = np.minimum(hi, n)
    out[ok] = (c[hi_c[ok]] - c[lo[ok]]) / (hi_c[ok] - lo[ok])
    return out


def correlation(a: Array, b: Array) -> float:
    """Pearson correlation over the entries finite in both; NaN when too few or constant."""
    ok = np.isfinite(a) & np.isfinite(b)
    x, y = a[ok], b[ok]
    if x.size < MIN_CORRELATION_BEATS or np.ptp(x) < 1e-9 or np.ptp(y) < 1e-9:
        return math.nan
    return float(np.corrcoef(x, y)[0, 1])


def span_figures(
    positions: Array,
    a: int,
    b: int,
    alignment: Array | None = None,
    motion_energy: Array | None = None,
    music_energy: Array | None = None,
    fps: float = FPS,
) -> dict[str, float]:
    """The figures of frames ``[a, b)`` of grounded canonical ``positions``.

    Parameters
    ----------
    alignment, motion_energy, music_energy
        Per music beat *of this stretch*: the BAS terms of the whole motion
        (:func:`~inference.assess.motion_metrics.beat_alignment`), the body's speed
        (:func:`beat_energy_of_motion`) and the song's energy (0..1). Without music the BAS and
        the energy correlation are NaN.

    Returns
    -------
    dict
        :data:`SPAN_KEYS` to values; every figure is NaN for a stretch under
        :data:`MIN_SPAN_FRAMES`, and foot sliding is NaN when no foot touches the floor.
    """
    out = dict.fromkeys(SPAN_KEYS, math.nan)
    if b - a < MIN_SPAN_FRAMES:
        return out
    piece = positions[a:b]
    if alignment is not None and np.isfinite(alignment).any():
        out["bas"] = float(np.nanmean(alignment))
    out["pfc"] = pfc(piece, fps)
    out["foot_skating"] = foot_skating_ratio(piece)
    if motion_energy is not None and music_energy is not None:
        out["energy_corr"] = correlation(motion_energy, music_energy)
    out.update(body_use(piece, fps).as_dict())
    return out


def span_kinetics(positions: Array, a: int, b: int, fps: float = FPS) -> Array | None:
    """Kinetic features of frames ``[a, b)`` (for Div_k), None for a stretch too short.

    Taken relative to the stretch's first pelvis position, as Bailando does for Div_k and FID
    (and :func:`.realism.window_features`): the AIST++ acceleration term keeps its precedence
    slip, which makes it depend on positions, so without this a part would score as "more
    diverse" merely for being danced further from the centre of the floor.
    """
    if b - a < MIN_SPAN_FRAMES:
        return None
    return kinetic_features(positions[a:b] - positions[a, _PELVIS], fps)


def pose_signature(positions: Array, a: int, b: int) -> Array | None:
    """(:data:`SIGNATURE_SAMPLES`, J, 3) poses sampled evenly over frames ``[a, b)``.

    Each pose is centred on the pelvis and turned so that the hips face the same way: two
    parts that dance the same moves match even when the dancer stands elsewhere or faces
    another wall. None for a stretch too short.
    """
    if b - a < MIN_SPAN_FRAMES:
        return None
    frames = np.linspace(a, b - 1, SIGNATURE_SAMPLES).round().astype(np.int64)
    pose = positions[frames] - positions[frames, _PELVIS : _PELVIS + 1]
    hips = pose[:, _J("hip_l")] - pose[:, _J("hip_r")]
    angle = np.arctan2(hips[:, 2], hips[:, 0])  # turn the hip axis onto +x
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    x, z = pose[..., 0], pose[..., 2]
    turned = np.stack([c * x + s * z, pose[..., 1], -s * x + c * z], axis=-1)
    return np.asarray(turned)


def signature_distance(first: Array, second: Array) -> float:
    """Mean joint distance (m) between two pose signatures: near 0 for the same moves."""
    return float(np.linalg.norm(first - second, axis=-1).mean())


def part_length_spans(
    n_frames: int, seconds: float, hop: float, fps: float = FPS
) -> list[tuple[int, int]]:
    """``[a, b)`` stretches of ``seconds`` every ``hop`` over a dance with no music (for the
    real reference); the last one may be shorter, down to half a stretch."""
    size, step = round(seconds * fps), max(1, round(hop * fps))
    spans = [(a, min(a + size, n_frames)) for a in range(0, max(n_frames - size // 2, 1), step)]
    return [(a, b) for a, b in spans if b - a >= max(size // 2, MIN_SPAN_FRAMES)]


def pairwise_distances(vectors: Sequence[Array]) -> Array:
    """(N, N) Euclidean distances between kinetic feature vectors (Div_k's distance)."""
    from scipy.spatial.distance import pdist, squareform

    return np.asarray(squareform(pdist(np.asarray(vectors, dtype=np.float64))))
