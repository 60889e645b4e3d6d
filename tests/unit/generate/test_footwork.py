"""Footwork of the authored moves: planted feet, weight shifts, IK legs, and body use like real
dance; double-time counting; facings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from inference.assess.body_use import BodyUse, body_use, knee_flexion
from inference.assess.motion_metrics import foot_skating_ratio
from inference.assess.reference import POP_STREET, load_family
from inference.audio import Part, SongAnalysis
from inference.audio.grid import BeatGrid
from inference.generate.assembly import accent, facing_of
from inference.generate.beat_time import SAMPLES_PER_BEAT
from inference.generate.counting import dance_counts
from inference.generate.footwork import (
    ANKLE_HEIGHT,
    MIN_KNEE_DEG,
    STANCE_X,
    Step,
    foot_paths,
    step,
    weight_shift,
)
from inference.generate.library import authored_clip
from inference.generate.vocabulary import FAMILIES, IDLE_MOVES, MOVES, Move, side_steps
from inference.motion import Motion
from inference.motion.skeleton import CANONICAL

_ANKLES = [CANONICAL.index("ankle_l"), CANONICAL.index("ankle_r")]


def _motion(move: Move) -> Motion:
    clip = authored_clip(move)
    return Motion(CANONICAL, 30.0, clip.root, clip.rotations)


def test_a_planted_foot_stays_exactly_where_it_landed() -> None:
    move = next(m for m in MOVES if m.name == "step_touch_clap")
    pos = _motion(move).positions()
    feet, _, height = foot_paths(move.steps, pos.shape[0], SAMPLES_PER_BEAT)
    for i, side in enumerate("lr"):
        planted = height[side] == 0.0
        # The legs are solved so each ankle lands on its foot path ...
        np.testing.assert_allclose(pos[:, _ANKLES[i]], feet[side], atol=1e-6)
        # ... and between steps that path does not move.
        still = planted[1:] & planted[:-1]
        drift = np.linalg.norm(np.diff(pos[:, _ANKLES[i]], axis=0), axis=-1)[still]
        assert drift.max() < 1e-6


def test_every_step_shifts_the_weight_and_the_body_travels() -> None:
    steps = side_steps(0, "rl")
    n = 4 * SAMPLES_PER_BEAT + 1
    _, _, height = foot_paths(steps, n, SAMPLES_PER_BEAT)
    w = weight_shift(height, steps, SAMPLES_PER_BEAT)
    # The right foot steps out on count 1 and takes the weight while the left touches in (a low
    # left share); on count 3 the left leads and the weight goes over to it.
    quarter = SAMPLES_PER_BEAT // 4
    assert w[SAMPLES_PER_BEAT - quarter] < 0.35 and w[3 * SAMPLES_PER_BEAT - quarter] > 0.65
    move = next(m for m in MOVES if m.name == "step_touch_clap")
    assert body_use(_motion(move)).travel > 0.3


def test_a_step_lifts_before_it_travels_so_the_foot_never_drags() -> None:
    # Turns pivot on a planted foot, and the running man slides by design.
    moves = [
        m for m in MOVES
        if m.steps and all(s.heading is None for s in m.steps) and m.name != "running_man"
    ]  # fmt: skip
    for move in moves:
        assert foot_skating_ratio(_motion(move)) < 0.03, move.name


def test_knees_never_lock_and_stay_within_reach() -> None:
    for move in MOVES:
        pos = _motion(move).positions()
        _, _, height = foot_paths(move.steps, pos.shape[0], SAMPLES_PER_BEAT)
        flex = knee_flexion(pos)
        on_floor = np.stack([height["l"] == 0.0, height["r"] == 0.0], axis=-1)
        assert flex[on_floor].min() > MIN_KNEE_DEG - 1.0, move.name
        assert pos[:, _ANKLES, 1].min() >= ANKLE_HEIGHT - 1e-6, move.name


def test_overlapping_steps_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        foot_paths((step("r", 0.0, 1.0, -0.3), step("r", 0.5, 1.5)), 31, SAMPLES_PER_BEAT)
    with pytest.raises(ValueError):
        foot_paths((Step("l", 1.0, 1.0, STANCE_X),), 31, SAMPLES_PER_BEAT)


def _family_use(family: str) -> BodyUse:
    """Body use of the family's moves danced one after another at 120 BPM (30 fps)."""
    moves = [m for m in MOVES if m.style == family and m.name not in IDLE_MOVES]
    positions = np.concatenate([_motion(m).positions() for m in moves])
    return body_use(positions, 30.0)


@pytest.fixture(scope="module")
def real_pop_street(shared_data: Path) -> list[BodyUse]:
    uses = []
    for family in POP_STREET:
        dances, skipped = load_family(shared_data, family)
        assert dances, f"no {family} dance loaded: {skipped}"
        uses.extend(body_use(d.motion) for d in dances)
    return uses


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_uses_the_body_like_real_pop_and_street_dance(
    family: str, real_pop_street: list[BodyUse]
) -> None:
    ours = _family_use(family)
    real = {f: [getattr(u, f) for u in real_pop_street] for f in ("knee_p90", "speed")}
    # Knees bend like a real dancer's (every real pop/street dance here reaches >= 45 deg) ...
    assert ours.knee_p90 >= 45.0, ours
    assert ours.knee_p90 <= max(real["knee_p90"]) + 10.0, ours
    # ... the arms go above the shoulders, and the body moves at a real dancer's pace.
    assert ours.wrists_up >= 0.15, ours
    assert 0.7 * min(real["speed"]) <= ours.speed <= max(real["speed"]), (ours, real["speed"])
    assert ours.travel >= 0.25, ours


def _analysis(bpm: float, n_beats: int = 32) -> SongAnalysis:
    period = 60.0 / bpm
    beats = tuple(0.5 + period * i for i in range(n_beats))
    grid = BeatGrid(beats, tuple(i % 4 + 1 for i in range(n_beats)), 4, beats[-1] + 2.0)
    parts = tuple(
        Part(k + 1, beats[8 * k], beats[8 * k] + 8 * period, 8 * k, 8) for k in range(n_beats // 8)
    )
    return SongAnalysis(None, grid.duration, grid, bpm, (), parts, (), tuple([0.5] * n_beats), 0.9)


def test_a_slow_song_is_counted_in_double_time() -> None:
    slow = _analysis(70.0)
    counted = dance_counts(slow)
    assert len(counted.grid.beats) == 2 * len(slow.grid.beats)
    assert counted.grid.meter == 8
    assert counted.grid.beats[::2] == slow.grid.beats
    assert [(p.start, p.first_beat, p.n_beats) for p in counted.parts] == [
        (p.start, 2 * p.first_beat, 16) for p in slow.parts
    ]
    assert counted.tempo_bpm == pytest.approx(140.0)
    fast = _analysis(128.0)
    assert dance_counts(fast) is fast
    # Without room for a count after the last beat, the grid ends on that beat.
    short = replace(slow, grid=replace(slow.grid, duration=slow.grid.beats[-1] + 0.1))
    assert len(dance_counts(short).grid.beats) == 2 * len(slow.grid.beats) - 1


def test_double_time_eases_into_the_music_beats_only() -> None:
    x = np.linspace(0.0, 8.0, 801)
    for period in (1, 2):
        eased = accent(x, 0.6, period)
        assert np.all(np.diff(eased) > 0)  # time never runs backwards
        speed = np.gradient(eased, x)
        beats = np.arange(0, 801, 100 * period)
        assert np.all(speed[beats] < 0.5)  # slow into each accented count
    half = accent(x, 0.6, 2)
    assert np.gradient(half, x)[100] > 1.5  # the "and" count is passed through, not hit


def test_facing_depends_on_the_unit_and_seed_only() -> None:
    facings = {facing_of(u, 3) for u in range(200)}
    assert facings <= {0.0, 35.0, -35.0, 60.0, -60.0} and len(facings) > 3
    assert [facing_of(u, 3) for u in range(50)] == [facing_of(u, 3) for u in range(50)]
    assert [facing_of(u, 3) for u in range(50)] != [facing_of(u, 4) for u in range(50)]
