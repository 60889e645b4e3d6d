"""Per-beat energy curve in 0..1, for the routine generator."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from inference.audio.meter import BeatFeatures

LOUDNESS_WEIGHT = 0.7
"""Loudness dominates what dancers call energy; onset density (busy drums) adds the rest."""


def _normalise(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Map the 5th..95th percentile to 0..1 and clip, so one loud hit does not flatten the rest."""
    if x.size == 0:
        return x
    lo, hi = np.percentile(x, [5.0, 95.0])
    if hi - lo < 1e-9:
        return np.full_like(x, 0.5)
    out: npt.NDArray[np.float64] = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return out


def beat_energy(bf: BeatFeatures) -> tuple[float, ...]:
    """Energy of each beat in 0..1 (loudness in dB and onset density, each normalised).

    Parameters
    ----------
    bf
        Beat-synchronous features of the song.
    """
    if bf.rms.size == 0:
        return ()
    loud_db = 20.0 * np.log10(np.maximum(bf.rms, 1e-6))
    e = LOUDNESS_WEIGHT * _normalise(loud_db) + (1.0 - LOUDNESS_WEIGHT) * _normalise(bf.onset_mean)
    # A light 3-beat smoothing: energy is a feel over a bar, not a per-hit spike.
    if e.size >= 3:
        e = np.convolve(np.pad(e, 1, mode="edge"), np.ones(3) / 3.0, mode="valid")
    return tuple(float(v) for v in np.clip(e, 0.0, 1.0))
