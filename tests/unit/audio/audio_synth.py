"""Synthetic test signals with known beats, tempo and meter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

SR = 22050
_CHORDS = (
    (261.6, 329.6, 392.0),
    (220.0, 261.6, 329.6),
    (174.6, 220.0, 261.6),
    (196.0, 246.9, 293.7),
)


def _burst(freq: float, length_s: float, decay_s: float, sr: int = SR) -> npt.NDArray[np.float64]:
    n = np.arange(int(length_s * sr))
    return np.exp(-n / (decay_s * sr)) * np.sin(2 * np.pi * freq * n / sr)


def click_times(bpm_segments: list[tuple[float, float]], start: float = 0.5) -> np.ndarray:
    """Beat times for consecutive ``(bpm, seconds)`` segments."""
    times = []
    t = start
    for bpm, seconds in bpm_segments:
        end = t + seconds
        while t < end:
            times.append(t)
            t += 60.0 / bpm
    return np.asarray(times)


def render(
    beats: np.ndarray,
    meter: int = 4,
    first_downbeat: int = 0,
    duration: float | None = None,
    accent: bool = True,
    sr: int = SR,
) -> npt.NDArray[np.float32]:
    """A drum-and-chords track: hi-hat click on every beat, kick and a new chord on count 1.

    With ``accent`` false every beat gets the same click (no meter cue).
    """
    total = float(duration if duration is not None else beats[-1] + 1.0)
    y = np.zeros(int(total * sr) + sr)
    rng = np.random.default_rng(1)
    hat = rng.standard_normal(int(0.03 * sr)) * np.exp(-np.arange(int(0.03 * sr)) / (0.005 * sr))
    kick = _burst(60.0, 0.25, 0.06, sr)
    bar = -1
    for i, t in enumerate(beats):
        k = int(t * sr)
        y[k : k + hat.size] += 0.3 * hat
        if accent and (i - first_downbeat) % meter == 0:
            bar += 1
            y[k : k + kick.size] += 0.9 * kick
            nxt = beats[i + meter] if i + meter < len(beats) else t + meter * 0.5
            length = int((nxt - t) * sr)
            n = np.arange(length)
            chord = sum(np.sin(2 * np.pi * f * n / sr) for f in _CHORDS[bar % len(_CHORDS)])
            y[k : k + length] += 0.08 * chord * np.minimum(1.0, (length - n) / (0.02 * sr))
        elif not accent:
            y[k : k + kick.size] += 0.5 * kick
    return (y[: int(total * sr)] / np.max(np.abs(y)) * 0.8).astype(np.float32)


DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
BEATS = DATA / "beats"
WALTZ = BEATS / "ballroom" / "Media-105901"
MADMOM = BEATS / "madmom_sample" / "sample"


def load_annotations(path: Path) -> np.ndarray:
    """``time [beat-in-bar]`` rows, comments skipped, as (n, 2); bar position 0 if absent."""
    rows = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if not parts or line.startswith("#"):
            continue
        rows.append((float(parts[0]), float(parts[1]) if len(parts) > 1 else 0.0))
    return np.asarray(rows)


def require(path: Path) -> Path:
    """``path``, or a failure naming it: the real data ships beside the repo (../shared)."""
    if not path.exists():
        pytest.fail(f"real data missing: {path} (the suite needs ../shared/data beside the repo)")
    return path
