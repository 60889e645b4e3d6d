"""Practice audio: time stretch keeps the pitch, the metronome clicks on the beats."""

from __future__ import annotations

import numpy as np
import pytest

from inference.audio.stretch import click_track, practice_mix, time_stretch

RATE = 22050


def _dominant_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    k = int(np.argmax(spectrum))
    # Parabolic interpolation of the peak: bins are rate / len(x) apart, too coarse for 1 %.
    a, b, c = np.log(spectrum[k - 1 : k + 2] + 1e-12)
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * rate / len(x)


@pytest.mark.parametrize("speed", [0.5, 0.75, 1.0])
def test_a_sine_keeps_its_pitch_and_the_length_scales(speed: float) -> None:
    t = np.arange(3 * RATE) / RATE
    sine = (0.5 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)
    out = time_stretch(sine, speed)
    assert len(out) == round(len(sine) / speed)
    middle = out[len(out) // 4 : 3 * len(out) // 4]
    assert _dominant_hz(middle, RATE) == pytest.approx(440.0, rel=0.01)
    # The level is kept too: no fading, no doubling where frames overlap (the vocoder's
    # phasiness costs about 13 % at 0.5x, measured).
    assert np.sqrt(np.mean(middle**2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.2)


def test_naive_resampling_would_fail_the_pitch_test() -> None:
    """The check above can fail: slowing by resampling drops the pitch to 330 Hz."""
    t = np.arange(3 * RATE) / RATE
    sine = np.sin(2 * np.pi * 440.0 * t)
    slowed = np.interp(np.arange(0, len(sine), 0.75), np.arange(len(sine)), sine)
    assert _dominant_hz(slowed, RATE) == pytest.approx(330.0, rel=0.01)


def test_clicks_land_on_the_beats_at_every_speed() -> None:
    beats, counts = [0.5, 1.0, 1.5, 2.0], [1, 2, 3, 4]
    for speed in (1.0, 0.5):
        track = click_track(beats, counts, int(5 * RATE), RATE, speed)
        onsets = np.flatnonzero((np.abs(track[1:]) > 1e-4) & (np.abs(track[:-1]) <= 1e-4)) + 1
        starts = [o for i, o in enumerate(onsets) if i == 0 or o - onsets[i - 1] > RATE // 10]
        assert np.allclose(np.array(starts) / RATE, np.array(beats) / speed, atol=2 / RATE)
    accent = np.abs(track[round(1.0 * RATE) :][:600]).max()
    plain = np.abs(track[round(2.0 * RATE) :][:600]).max()
    assert accent > 1.3 * plain  # count 1 is accented


def test_practice_mix_adds_the_clicks_to_the_stretched_song() -> None:
    song = np.zeros(2 * RATE, np.float32)
    quiet = practice_mix(song, RATE, 0.5)
    clicked = practice_mix(song, RATE, 0.5, [0.5, 1.0], [1, 2], metronome=True)
    assert len(quiet) == len(clicked) == 4 * RATE
    assert np.abs(quiet).max() == 0.0 and np.abs(clicked[RATE : RATE + 600]).max() > 0.2
