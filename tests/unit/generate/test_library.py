"""The move library, the authored vocabulary, kinematic beats, the prompt reader."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from inference.generate import add_user_unit, load_library, prompt_tags
from inference.generate.beat_time import SAMPLES_PER_BEAT, kinematic_beats, song_beat_position
from inference.generate.library import LIBRARY_DIR
from inference.generate.vocabulary import IDLE_MOVES, MOVES
from inference.motion import Motion, load_motion, rest_motion
from inference.motion import quaternions as Q
from inference.motion.skeleton import CANONICAL


def test_the_shipped_library_is_small_and_complete() -> None:
    size = sum(p.stat().st_size for p in LIBRARY_DIR.iterdir())
    assert size < 20e6
    library = load_library()
    assert len([m for m in MOVES if m.name not in IDLE_MOVES]) >= 30
    takes = {u.move for u in library.units if u.source == "cmu"}
    assert len([t for t in takes if t.startswith("salsa")]) == 6
    assert len([t for t in takes if t.startswith("modern")]) == 20  # CMU 05_02..05_20, 55_01
    assert len({u.move for u in library.units if u.source == "aist"}) == 6
    assert {u.n_beats for u in library.units if u.source == "cmu"} == {1, 2, 4, 8}
    names = {u.name for u in library.units}
    assert all(f"{u.name} (mirror)" in names for u in library.units if not u.mirrored)
    for u in library.units:
        assert set(u.tags) == {"energy", "smoothness", "bounce", "arms", "legs", "torso"}
        assert all(0.0 <= v <= 1.0 for v in u.tags.values())
        assert u.focus in ("arms", "legs", "torso", "full")


def test_units_are_beat_time_and_mirrors_are_mirror_images() -> None:
    library = load_library()
    unit = library.units[library.index("pop_point")]
    mirror = library.units[library.index("pop_point (mirror)")]
    root, rots = library.unit_samples(unit)
    m_root, m_rots = library.unit_samples(mirror)
    assert root.shape[0] == unit.n_beats * SAMPLES_PER_BEAT + 1
    np.testing.assert_allclose(m_root[:, 0], -root[:, 0], atol=1e-9)
    swap = CANONICAL.mirror_indices()
    np.testing.assert_allclose(m_rots[:, swap, 0], rots[:, :, 0], atol=1e-6)
    # Arms up on count 1: the right wrist is high in the original, the left in the mirror.
    from inference.motion.motion import forward_kinematics_arrays

    pos = forward_kinematics_arrays(CANONICAL.parents, CANONICAL.offsets, root, rots)[0]
    peak = SAMPLES_PER_BEAT
    assert pos[peak, CANONICAL.index("wrist_r"), 1] > pos[peak, CANONICAL.index("head"), 1]


def swinging_arms(period_frames: int, n_frames: int = 300) -> Motion:
    """Arms swinging with pauses every ``period_frames`` frames (speed minima at k * period)."""
    base = rest_motion(n_frames)
    t = np.arange(n_frames)
    angle = 0.8 * np.cos(np.pi * t / period_frames)  # turns round at every multiple of period
    rots = base.local_rotations.copy()
    for name in ("shoulder_l", "shoulder_r"):
        rots[:, CANONICAL.index(name)] = Q.from_axis_angle(angle[:, None] * [0.0, 0.0, 1.0])
    return base.with_(local_rotations=rots)


def test_kinematic_beats_find_the_pauses_of_a_known_motion() -> None:
    beats = kinematic_beats(swinging_arms(15))
    assert np.allclose(np.diff(beats), 15, atol=1)
    assert np.min(np.abs(beats[:, None] - np.arange(0, 301, 15)[None]), axis=1).max() <= 1


def test_song_beat_position_is_linear_between_beats_and_runs_on_outside() -> None:
    pos = song_beat_position([0.0, 1.0, 1.25, 2.0, 3.0], [1.0, 1.5, 2.0])
    np.testing.assert_allclose(pos, [-2.0, 0.0, 0.5, 2.0, 4.0])


def test_a_user_clip_is_cut_tagged_and_mirrored(shared_data: Path) -> None:
    library = load_library()
    motion = load_motion(
        shared_data / "motion" / "bandai_namco" / "dataset-1_dance-short_normal_001.bvh"
    )
    bigger = add_user_unit(library, motion, "my dance", style="mine", labels=("house",))
    new = [u for u in bigger.units if u.source == "user"]
    assert len(bigger.units) == len(library.units) + len(new)
    assert {u.n_beats for u in new} == {1, 2, 4, 8}
    assert any(u.mirrored for u in new) and all(u.style == "mine" for u in new)
    assert len(load_library().units) == len(library.units)  # the shipped one is untouched


def test_the_prompt_reader_maps_words_and_inflections_to_biases() -> None:
    bias = prompt_tags("Bouncing hip-hop with smooth ARMS")
    assert bias.nudges["bounce"] > 0 and bias.nudges["smoothness"] > 0
    assert bias.focus == "arms" and "groove" in bias.labels
    assert prompt_tags("powerful salsa").style == "salsa"
    empty = prompt_tags("the quick brown fox")
    assert not empty.nudges and empty.focus is None and not empty.labels
