"""Min/max decimation of audio for drawing, so a 10-minute song stays smooth at every zoom."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class WaveformPeaks:
    """Per-bin minimum and maximum of the signal, ``bin_seconds`` apart, starting at time 0."""

    minimum: FloatArray
    maximum: FloatArray
    bin_seconds: float

    @property
    def times(self) -> npt.NDArray[np.float64]:
        return np.arange(len(self.minimum), dtype=np.float64) * self.bin_seconds


def compute_peaks(
    samples: FloatArray, sample_rate: int, bin_seconds: float = 0.005
) -> WaveformPeaks:
    """Decimate mono ``samples`` into min/max bins of ``bin_seconds``.

    A bin keeps the extremes, not an average, so short transients (drum hits) stay visible
    however far the view is zoomed out.
    """
    if samples.ndim != 1:
        raise ValueError("compute_peaks expects mono samples")
    bin_size = max(1, round(bin_seconds * sample_rate))
    usable = len(samples) - len(samples) % bin_size
    body = samples[:usable].reshape(-1, bin_size)
    minimum, maximum = body.min(axis=1), body.max(axis=1)
    if usable < len(samples):
        tail = samples[usable:]
        minimum = np.append(minimum, tail.min())
        maximum = np.append(maximum, tail.max())
    return WaveformPeaks(
        minimum.astype(np.float32), maximum.astype(np.float32), bin_size / sample_rate
    )


def level_of_detail(peaks: WaveformPeaks, factor: int) -> WaveformPeaks:
    """Merge every ``factor`` bins into one, for views zoomed far out."""
    if factor <= 1:
        return peaks
    count = len(peaks.minimum) // factor * factor
    if count == 0:
        return peaks
    return WaveformPeaks(
        peaks.minimum[:count].reshape(-1, factor).min(axis=1),
        peaks.maximum[:count].reshape(-1, factor).max(axis=1),
        peaks.bin_seconds * factor,
    )
