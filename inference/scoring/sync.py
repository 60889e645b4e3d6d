"""Where a take starts on the song, and how that was decided (the user is always told).

- A take with a soundtrack is placed by its audio (the pose package's onset-envelope
  cross-correlation, when the take is a video).
- A silent take or a motion file starts with the reference, at its song time, unless the user
  gives ``--offset``.
- ``--sync motion`` lines the start up by the motion alone: the lag at which the take's joint
  angles differ least from the reference's. Only on request, because it would hide a dancer
  who is late all the way through.

``offset_s`` is always the song time of the take's first frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.signal import correlate

from inference.errors import UserFacingError
from inference.scoring.compare import WORK_FPS, Features

Array = NDArray[np.float64]

SyncMode = Literal["auto", "audio", "motion"]
SYNC_MODES: tuple[str, ...] = ("auto", "audio", "motion")
MAX_MOTION_LAG_S = 15.0
MIN_MOTION_OVERLAP_S = 4.0


@dataclass(frozen=True, slots=True)
class Placement:
    """The take's song time at its frame 0, the method (``audio``, ``motion``, ``offset`` or
    ``start``), and the sentence that tells the user."""

    offset_s: float
    method: str
    note: str


def motion_lag(ref: Features, take: Features, max_lag_s: float = MAX_MOTION_LAG_S) -> float:
    """Seconds to add to the take's time so its joint angles best match the reference's.

    The mean squared angle difference at every lag comes from FFT correlations of the
    features and of their seen/unseen masks, so unseen joints count for nothing; lags that
    overlap less than :data:`MIN_MOTION_OVERLAP_S` (or half the shorter track) are ignored.
    """
    r, t = ref.angles, take.angles
    mr, mt = np.isfinite(r).astype(np.float64), np.isfinite(t).astype(np.float64)
    r0, t0 = np.nan_to_num(r), np.nan_to_num(t)

    def xc(a: Array, b: Array) -> Array:
        # Sum over features of correlate(a[:, k], b[:, k]): entry for lag L pairs a[j+L], b[j].
        return sum(
            (correlate(a[:, k], b[:, k], mode="full", method="fft") for k in range(a.shape[1])),
            start=np.zeros(a.shape[0] + b.shape[0] - 1),
        )

    sq = xc(mr * r0**2, mt) + xc(mr, mt * t0**2) - 2.0 * xc(r0, t0)
    count = xc(mr, mt)
    lags = np.arange(-(t.shape[0] - 1), r.shape[0])
    overlap_frames = np.minimum(r.shape[0], lags + t.shape[0]) - np.maximum(0, lags)
    need = min(MIN_MOTION_OVERLAP_S * WORK_FPS, 0.5 * min(r.shape[0], t.shape[0]))
    ok = (overlap_frames >= need) & (np.abs(lags) <= max_lag_s * WORK_FPS) & (count > 0)
    if not np.any(ok):
        return 0.0
    mean_sq = np.where(ok, sq / np.maximum(count, 1.0), np.inf)
    return float(lags[int(np.argmin(mean_sq))] / WORK_FPS)


def place_take(
    take_name: str,
    ref: Features,
    take: Features,
    sync: str = "auto",
    offset_s: float | None = None,
    audio_offset_s: float | None = None,
    has_soundtrack: bool = False,
    ref_offset_s: float = 0.0,
) -> Placement:
    """Decide the take's start (module docstring).

    Parameters
    ----------
    audio_offset_s
        The take's soundtrack matched to the song (song time at take time 0), or ``None``
        when it has none or it did not match.
    has_soundtrack
        Whether the take had any sound at all (for the message when it did not match).

    Raises
    ------
    UserFacingError
        ``sync="audio"`` for a take with no soundtrack that matches the song.
    """
    if sync not in SYNC_MODES:
        raise UserFacingError(f"--sync must be one of {', '.join(SYNC_MODES)}, not {sync!r}")
    if sync == "motion":
        lag = motion_lag(ref, take)
        found = ref_offset_s + lag
        return Placement(
            found,
            "motion",
            f"{take_name}: start aligned by motion, as asked (take starts at {found:+.2f} s of "
            "the song); this hides a dancer who is late all the way through",
        )
    if offset_s is not None:
        return Placement(
            offset_s, "offset", f"{take_name}: starts at {offset_s:+.2f} s of the song, as given"
        )
    if audio_offset_s is not None:
        return Placement(
            audio_offset_s,
            "audio",
            f"{take_name}: placed on the song by its soundtrack (starts at "
            f"{audio_offset_s:+.2f} s of the song)",
        )
    why = "its soundtrack does not match the song" if has_soundtrack else "it has no soundtrack"
    if sync == "audio":
        raise UserFacingError(
            f"{take_name}: cannot sync by audio because {why}; use --sync motion to line it up "
            "by the motion, or --offset SECONDS"
        )
    return Placement(
        ref_offset_s,
        "start",
        f"{take_name}: {why}, so it starts with the reference (at {ref_offset_s:+.2f} s of the "
        "song); use --offset SECONDS, or --sync motion to line it up by the motion",
    )
