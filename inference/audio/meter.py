"""Beat-synchronous features, meter (3 or 4 beats to the bar) and downbeat phase.

Our own method, with no trained model:

1. For each beat, measure cues that tend to mark the first beat of a bar: low-band onset strength
   (kick drum, bass note), the change of harmony (chroma) and of timbre (MFCC) from the previous
   beat, and the full-band onset strength.
2. **Meter.** For each candidate meter M, group the beats by their index modulo M and test, cue by
   cue, whether the groups differ (one-way ANOVA). A 4/4 song's accents repeat every 2 or 4
   beats, which a grouping by 3 averages away, and the other way round for 3/4. The p-values of
   the cues are combined with Fisher's method, which makes meters with different group counts
   comparable, and the meter with the strongest evidence wins.
3. **Phase.** The cues are z-scored and summed with fixed weights into a "downbeat-ness" per beat;
   the phase whose beats score highest on average holds count 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from inference.audio.features import FrameFeatures

_F64 = npt.NDArray[np.float64]

METERS = (3, 4)
"""Meters we choose between. 2/4 is counted as 4/4 and 6/8 as 3/4 (at the dotted-quarter beat
it is 2 beats to the bar, which dancers count like 4/4)."""

CUE_WEIGHTS = {"low_onset": 1.0, "chroma_change": 1.0, "mfcc_change": 0.5, "onset": 0.25}
"""Weights of the downbeat cues. Set by hand, not fitted, so as not to overfit the one annotated
waltz; checked on it, on the 4/4 demo song and on 20 ballroom songs against madmom's output."""


@dataclass(frozen=True, eq=False)
class BeatFeatures:
    """Features per beat (beat ``i`` spans ``beats[i]`` to ``beats[i + 1]``).

    Attributes
    ----------
    low_onset, onset
        Peak onset strength near the beat (low band and full band).
    chroma_change, mfcc_change
        Distance of the beat's mean chroma / MFCC from the previous beat's.
    chroma, mfcc
        Mean chroma (n, 12) and MFCC (n, N_MFCC) over each beat.
    rms
        Mean RMS amplitude over each beat.
    onset_mean
        Mean onset strength over each beat (note density).
    """

    low_onset: _F64
    onset: _F64
    chroma_change: _F64
    mfcc_change: _F64
    chroma: _F64
    mfcc: _F64
    rms: _F64
    onset_mean: _F64


def _segment_means(x: npt.NDArray[np.floating], edges: npt.NDArray[np.int64]) -> _F64:
    """Mean of ``x`` (frames first) over each frame span ``edges[i]:edges[i + 1]``."""
    x64 = np.asarray(x, dtype=np.float64)
    csum = np.concatenate([np.zeros((1, *x64.shape[1:])), np.cumsum(x64, axis=0)])
    lo = edges[:-1]
    hi = np.maximum(edges[1:], lo + 1)
    hi = np.minimum(hi, x64.shape[0])
    lo = np.minimum(lo, hi - 1)
    n = (hi - lo).reshape((-1,) + (1,) * (x64.ndim - 1))
    out: _F64 = (csum[hi] - csum[lo]) / n
    return out


def beat_features(features: FrameFeatures, beats: npt.ArrayLike) -> BeatFeatures:
    """Aggregate frame features per beat.

    Parameters
    ----------
    features
        Frame features of the song.
    beats
        Beat times in seconds (at least one).
    """
    b = np.asarray(beats, dtype=np.float64)
    n = features.n_frames
    frames = np.clip(np.round(b * features.fps).astype(np.int64), 0, n - 1)
    step = int(np.median(np.diff(frames))) if frames.size > 1 else int(features.fps / 2)
    edges = np.append(frames, min(n, frames[-1] + max(1, step)))

    # Peak within ±2 frames (±46 ms): beat times carry that much jitter.
    def peak(x: npt.NDArray[np.float32]) -> _F64:
        padded = np.pad(np.asarray(x, np.float64), 2, mode="edge")
        win = np.lib.stride_tricks.sliding_window_view(padded, 5).max(axis=1)
        out: _F64 = win[frames]
        return out

    chroma = _segment_means(features.chroma, edges)
    mfcc = _segment_means(features.mfcc, edges)
    norms = np.linalg.norm(chroma, axis=1) + 1e-9
    cos = np.sum(chroma[1:] * chroma[:-1], axis=1) / (norms[1:] * norms[:-1])
    chroma_change = np.concatenate([[0.0], 1.0 - cos])
    mfcc_change = np.concatenate([[0.0], np.linalg.norm(mfcc[1:] - mfcc[:-1], axis=1)])
    # Harmony over two beats after vs two beats before: single-beat chroma is noisy (passing
    # notes), and chords in 3/4 and 4/4 alike rarely change more often than every two beats.
    k = 2
    if chroma.shape[0] > 2 * k:
        csum = np.concatenate([np.zeros((1, 12)), np.cumsum(chroma, axis=0)])
        i = np.arange(k, chroma.shape[0] - k + 1)
        after = csum[i + k] - csum[i]
        before = csum[i] - csum[i - k]
        na = np.linalg.norm(after, axis=1) * np.linalg.norm(before, axis=1) + 1e-9
        wide = 1.0 - np.sum(after * before, axis=1) / na
        chroma_change = chroma_change.copy()
        chroma_change[i] = 0.5 * (chroma_change[i] + wide)
    return BeatFeatures(
        low_onset=peak(features.onset_low),
        onset=peak(features.onset),
        chroma_change=chroma_change,
        mfcc_change=mfcc_change,
        chroma=chroma,
        mfcc=mfcc,
        rms=_segment_means(features.rms, edges),
        onset_mean=_segment_means(features.onset, edges),
    )


def _zscore(x: _F64) -> _F64:
    sd = float(x.std())
    out: _F64 = (x - x.mean()) / sd if sd > 1e-12 else np.zeros_like(x)
    return out


def _cues(bf: BeatFeatures) -> dict[str, _F64]:
    # The first beat has no previous beat to change from; give it the median, not a fake 0.
    cues = {name: np.array(getattr(bf, name), dtype=np.float64) for name in CUE_WEIGHTS}
    for name in ("chroma_change", "mfcc_change"):
        if cues[name].size > 1:
            cues[name][0] = np.median(cues[name][1:])
    return cues


def meter_evidence(bf: BeatFeatures, meters: tuple[int, ...] = METERS) -> dict[int, float]:
    """Evidence for each meter: Fisher-combined ``-log p`` of per-cue one-way ANOVAs.

    Returns 0 for every meter when there are too few beats to tell (under 4 bars).
    """
    cues = _cues(bf)
    n = cues["onset"].size
    out: dict[int, float] = {}
    for m in meters:
        if n < 4 * m:
            out[m] = 0.0
            continue
        groups = np.arange(n) % m
        total = 0.0
        for x in cues.values():
            samples = [x[groups == g] for g in range(m)]
            if float(np.ptp(x)) <= 1e-12:
                continue
            p = one_way_anova_p(samples)
            total += -np.log(max(float(p), 1e-300)) if np.isfinite(p) else 0.0
        out[m] = total
    return out


def one_way_anova_p(samples: list[_F64]) -> float:
    """The p-value of a one-way ANOVA, as ``scipy.stats.f_oneway`` gives it (tested against it),
    from the F distribution's survival function: importing scipy.stats alone costs 0.4-0.6 s,
    a fifth of a cold ``eightcount generate`` on a one-minute song. NaN when no group varies
    and the groups' means agree; 0 when no group varies but the means differ."""
    from scipy.special import fdtrc  # lazily: the studio's start-up imports no scipy

    groups = [np.asarray(x, dtype=np.float64) for x in samples]
    n, k = sum(g.size for g in groups), len(groups)
    grand = np.concatenate(groups).mean()
    between = sum(g.size * (g.mean() - grand) ** 2 for g in groups)
    within = sum(float(((g - g.mean()) ** 2).sum()) for g in groups)
    if within <= 0.0:
        return float("nan") if between <= 0.0 else 0.0
    f = (between / (k - 1)) / (within / (n - k))
    return float(fdtrc(k - 1, n - k, f))


def downbeat_strength(bf: BeatFeatures) -> _F64:
    """Weighted sum of z-scored downbeat cues per beat (higher: more like a count 1)."""
    cues = _cues(bf)
    total = np.zeros(cues["onset"].size)
    for name, w in CUE_WEIGHTS.items():
        total += w * _zscore(cues[name])
    return total


def estimate_meter(bf: BeatFeatures, meters: tuple[int, ...] = METERS) -> tuple[int, int]:
    """Choose the meter and the index of the first downbeat.

    Returns
    -------
    meter, first_downbeat
        Beats per bar, and the index (``0 <= first_downbeat < meter``) of the first beat that is a
        count 1. With too little music to tell, 4/4 starting on the first beat.
    """
    evidence = meter_evidence(bf, meters)
    meter = max(meters, key=lambda m: (evidence[m], m == 4))
    strength = downbeat_strength(bf)
    if strength.size < meter:
        return meter, 0
    idx = np.arange(strength.size)
    scores = [float(strength[idx % meter == p].mean()) for p in range(meter)]
    return meter, int(np.argmax(scores))
