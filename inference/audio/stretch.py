"""Practice audio: slower playback with the pitch kept (a phase vocoder), and a metronome click.

The phase vocoder reads the song's short-time spectrum at a fractional frame step of ``speed``
and writes frames at a fixed hop, so the song lasts ``1 / speed`` times longer. Magnitudes are
interpolated between the two nearest analysis frames; phases advance by each bin's measured
instantaneous frequency, so a sine keeps its frequency. It runs in blocks of frames, so the
memory it needs does not grow with the song's length (a 10-minute song never holds its whole
spectrum). numpy only: no librosa, whose import alone takes seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]

N_FFT = 2048
HOP = N_FFT // 4
_BLOCK = 512  # output frames per block
CLICK_SECONDS = 0.03
ACCENT_HZ = 1760.0
CLICK_HZ = 1046.5


def time_stretch(samples: F32, speed: float) -> F32:
    """``samples`` played at ``speed`` (0 < speed <= 1 slows down) with the pitch unchanged.

    Returns ``round(len(samples) / speed)`` samples; ``speed == 1`` returns a copy.
    """
    if not 0.0 < speed <= 4.0:
        raise ValueError("the speed must lie in (0, 4]")
    x = np.asarray(samples, dtype=np.float32)
    out_len = round(len(x) / speed)
    if speed == 1.0 or len(x) == 0:
        return x.copy()
    window = np.hanning(N_FFT + 1)[:-1].astype(np.float64)
    padded = np.concatenate([np.zeros(N_FFT // 2), x, np.zeros(N_FFT + HOP)]).astype(np.float64)
    n_frames = 1 + (len(padded) - N_FFT) // HOP
    steps = np.arange(0.0, n_frames - 1, speed)
    omega = 2.0 * np.pi * np.arange(N_FFT // 2 + 1) * HOP / N_FFT  # expected advance per hop
    out = np.zeros(len(steps) * HOP + N_FFT)
    norm = np.zeros_like(out)
    phase = np.angle(_frames(padded, window, np.array([0])))[:, 0]
    for b0 in range(0, len(steps), _BLOCK):
        block = steps[b0 : b0 + _BLOCK]
        base = np.floor(block).astype(int)
        frac = (block - base)[np.newaxis, :]
        left = _frames(padded, window, base)
        right = _frames(padded, window, base + 1)
        magnitude = (1.0 - frac) * np.abs(left) + frac * np.abs(right)
        delta = np.angle(right) - np.angle(left) - omega[:, np.newaxis]
        delta -= 2.0 * np.pi * np.round(delta / (2.0 * np.pi))
        advance = omega[:, np.newaxis] + delta
        # Each output frame uses the accumulated phase, then advances it by its own step.
        phases = phase[:, np.newaxis] + np.cumsum(advance, axis=1) - advance
        phase = phases[:, -1] + advance[:, -1]
        frames = np.fft.irfft(magnitude * np.exp(1j * phases), n=N_FFT, axis=0) * window[:, None]
        _overlap_add(out, frames, b0 * HOP)
        _overlap_add(norm, np.repeat(window[:, None] ** 2, frames.shape[1], axis=1), b0 * HOP)
    out = out[N_FFT // 2 :]
    norm = norm[N_FFT // 2 :]
    result = out / np.maximum(norm, 1e-3)
    return _fit(result, out_len).astype(np.float32)


def _overlap_add(out: npt.NDArray[np.float64], frames: npt.NDArray[np.float64], at: int) -> None:
    """Add frame ``k`` (a column) to ``out`` at ``at + k * HOP``, without a Python loop per frame.

    With ``HOP = N_FFT / 4`` every fourth frame touches a disjoint stretch of ``out``, so each
    of the four interleaved sets is one contiguous, reshaped addition.
    """
    per = N_FFT // HOP
    for q in range(per):
        chosen = frames[:, q::per]
        if chosen.shape[1] == 0:
            continue
        start = at + q * HOP
        flat = chosen.T.reshape(-1)
        out[start : start + len(flat)] += flat


def _frames(
    x: npt.NDArray[np.float64], window: npt.NDArray[np.float64], index: npt.NDArray[np.int_]
) -> npt.NDArray[np.complex128]:
    """The windowed spectra of the frames starting at ``index * HOP``, one column each."""
    offsets = index[np.newaxis, :] * HOP + np.arange(N_FFT)[:, np.newaxis]
    offsets = np.minimum(offsets, len(x) - 1)
    spectra: npt.NDArray[np.complex128] = np.fft.rfft(x[offsets] * window[:, None], axis=0)
    return spectra


def _fit(x: npt.NDArray[np.float64], length: int) -> npt.NDArray[np.float64]:
    if len(x) >= length:
        return x[:length]
    return np.concatenate([x, np.zeros(length - len(x))])


def click_track(
    beats: Sequence[float],
    counts: Sequence[int],
    n_samples: int,
    sample_rate: int,
    speed: float = 1.0,
    gain: float = 0.5,
) -> F32:
    """A metronome: one short click per beat, accented (higher and louder) on count 1.

    ``beats`` are in song seconds; at ``speed`` a beat at song time ``t`` sounds at ``t / speed``
    in the output, so the clicks stay on the stretched music.
    """
    out = np.zeros(n_samples, dtype=np.float32)
    length = round(CLICK_SECONDS * sample_rate)
    t = np.arange(length) / sample_rate
    envelope = np.exp(-t / (CLICK_SECONDS / 5))
    accent = (np.sin(2 * np.pi * ACCENT_HZ * t) * envelope * gain).astype(np.float32)
    plain = (np.sin(2 * np.pi * CLICK_HZ * t) * envelope * gain * 0.6).astype(np.float32)
    for beat, count in zip(beats, counts, strict=True):
        start = round(beat / speed * sample_rate)
        if not 0 <= start < n_samples:
            continue
        click = accent if count == 1 else plain
        end = min(n_samples, start + length)
        out[start:end] += click[: end - start]
    return out


def practice_mix(
    samples: F32,
    sample_rate: int,
    speed: float,
    beats: Sequence[float] = (),
    counts: Sequence[int] = (),
    metronome: bool = False,
) -> F32:
    """The audio the practice player sends out: stretched to ``speed``, clicks mixed in."""
    out = time_stretch(samples, speed)
    if metronome and beats:
        out = out + click_track(beats, counts, len(out), sample_rate, speed)
        np.clip(out, -1.0, 1.0, out=out)
    return out
