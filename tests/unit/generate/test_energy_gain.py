"""The energy gain: bigger with the slider and the music's swell, never past MAX_GAIN."""

from __future__ import annotations

import numpy as np

from inference.generate import GenerationParams
from inference.generate.assembly import DYNAMICS, MAX_GAIN, apply_sliders
from inference.motion import quaternions as Q
from inference.motion.motion import Motion
from inference.motion.skeleton import CANONICAL

FPB = 15.0  # frames per beat (120 BPM at 30 fps)
KNEE = CANONICAL.index("knee_l")  # a joint at full gain (not a torso or arm joint)


def _knee_pumping(n: int = 240, degrees: float = 20.0, fpb: float = FPB) -> Motion:
    """A knee that bends 20 degrees either side of 30 once a beat, the rest at rest."""
    rots = Q.identity((n, CANONICAL.n_joints))
    angle = np.radians(30.0 + degrees * np.sin(2 * np.pi * np.arange(n) / fpb))
    rots[:, KNEE] = Q.from_axis_angle(angle[:, None] * np.array([1.0, 0.0, 0.0]))
    root = np.tile([0.0, 0.9, 0.0], (n, 1))
    return Motion(CANONICAL, 30.0, root, rots)


def _swing(motion: Motion) -> float:
    """Peak-to-peak knee angle (degrees) in the middle of the motion (away from its ends)."""
    angle = np.degrees(np.linalg.norm(Q.to_axis_angle(motion.local_rotations[:, KNEE]), axis=-1))
    return float(np.ptp(angle[60:-60]))


def _styled(energy: float, loudness: list[float], fpb: float = FPB) -> float:
    motion = _knee_pumping(fpb=fpb)
    beats = np.arange(motion.n_frames) / fpb
    params = GenerationParams(energy=energy, smoothness=0.0, bounce=0.0)
    return _swing(apply_sliders(motion, params, beats, fpb, loudness)) / _swing(motion)


def test_gain_rises_with_energy_and_the_music_but_stops_at_max_gain() -> None:
    flat = [0.5] * 16
    gains = [_styled(e, flat) for e in (0.0, 0.25, 0.5)]
    assert gains == sorted(gains) and gains[0] < 0.7 < 0.95 < gains[2] < 1.05, gains
    # A loud stretch swells the default gain by up to DYNAMICS (quiet beats around it).
    loud = [0.0] * 4 + [1.0] * 8 + [0.0] * 4
    swelled = _styled(0.5, loud)
    assert 1.05 < swelled <= min(1.0 + DYNAMICS, MAX_GAIN) + 0.02, swelled
    # Full energy in a loud stretch would be 1.4 x 1.3 = 1.82; the moves are never stretched
    # past MAX_GAIN, and that stays at most 1.3 (beyond, FID_k at energy 0.9 doubled).
    assert _styled(1.0, loud) <= min(MAX_GAIN, 1.3) + 0.02
    assert _styled(1.0, flat) >= swelled - 0.02


def test_a_slow_song_is_danced_bigger_up_to_max_gain() -> None:
    flat = [0.5] * 16
    # 108 BPM: the moves play at 0.9 of their pace, so they are danced 1/0.9 as big.
    assert abs(_styled(0.5, flat, fpb=16.67) - 1.11) < 0.03
    # 80 BPM would be 1.5 x; the cap holds.
    assert abs(_styled(0.5, flat, fpb=22.5) - MAX_GAIN) < 0.03
