from __future__ import annotations

import dataclasses

import pytest

from inference.audio.grid import (
    BeatGrid,
    beats_per_part,
    delete_beat,
    derive_parts,
    grid_from_tap_tempo,
    insert_beat,
    make_grid,
    move_beat,
    part_counts,
    set_count_one,
    set_meter,
    shift_grid,
)
from inference.audio.tempo_map import tempo_map


def _grid(n: int = 20, meter: int = 4, first: int = 0) -> BeatGrid:
    return make_grid([0.5 * i + 0.25 for i in range(n)], meter, first, 0.5 * n + 0.5)


def test_grid_is_immutable_and_edits_return_new_grids() -> None:
    g = _grid()
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.meter = 3  # type: ignore[misc]
    g2 = move_beat(g, 3, 1.8)
    assert g.beats[3] == 1.75 and g2.beats[3] == 1.8  # undo is a swap back to g
    assert g2 != g


def test_move_cannot_pass_neighbours() -> None:
    with pytest.raises(ValueError):
        move_beat(_grid(), 3, 2.3)
    with pytest.raises(IndexError):
        move_beat(_grid(), 99, 1.0)


def test_insert_and_delete_renumber_following_counts() -> None:
    g = _grid()
    assert g.counts[:6] == (1, 2, 3, 4, 1, 2)
    g2 = insert_beat(g, 1.0)  # between beats 1 (0.75) and 2 (1.25)
    assert g2.beats[2] == 1.0
    assert g2.counts[:7] == (1, 2, 3, 4, 1, 2, 3)
    g3 = delete_beat(g2, 2)
    assert g3 == g
    with pytest.raises(ValueError):
        insert_beat(g, 0.76)


def test_set_count_one_rederives_downbeats_and_parts() -> None:
    g = set_count_one(_grid(), 2)
    assert g.counts[:4] == (3, 4, 1, 2)
    assert g.downbeats[:2] == (1.25, 3.25)
    parts = derive_parts(g)
    assert parts[0].index == 1 and parts[0].first_beat == 2 and parts[0].n_beats == 8
    assert parts[1].start == g.beats[10] and parts[0].end == parts[1].start
    counts = part_counts(g, parts)
    assert counts[:3] == ((0, 7), (0, 8), (1, 1))  # pickup leads in with "7, 8"
    assert counts[9] == (1, 8) and counts[10] == (2, 1)


def test_three_four_parts_are_two_bars_of_six_beats() -> None:
    assert beats_per_part(3) == 6 and beats_per_part(4) == 8 and beats_per_part(2) == 8
    g = _grid(n=13, meter=3)
    parts = derive_parts(g)
    assert [p.n_beats for p in parts] == [6, 6, 1]
    assert part_counts(g, parts)[5] == (1, 6)
    assert set_meter(g, 4).counts[:5] == (1, 2, 3, 4, 1)


def test_shift_drops_beats_outside_the_song() -> None:
    g = shift_grid(_grid(), -0.5)
    assert g.beats[0] == pytest.approx(0.25) and len(g) == 19
    assert g.counts[0] == 2


def test_tap_tempo_grid() -> None:
    g = grid_from_tap_tempo(120.0, 1.3, 10.0, meter=4)
    assert g.beats[0] == pytest.approx(0.3) and g.beats[-1] < 10.0
    assert g.counts[2] == 1 and g.beats[2] == pytest.approx(1.3)
    assert g.tempo_bpm == pytest.approx(120.0)
    assert len(tempo_map(g)) == 1
    with pytest.raises(ValueError):
        grid_from_tap_tempo(5.0, 0.0, 10.0)


def test_invalid_grids_are_refused() -> None:
    with pytest.raises(ValueError):
        BeatGrid((1.0, 0.5), (1, 2), 4, 2.0)
    with pytest.raises(ValueError):
        BeatGrid((0.5,), (5,), 4, 2.0)


def test_the_song_tail_after_the_last_beat_belongs_to_the_last_part() -> None:
    # 120 BPM beats stop at 9.5 s (the tracker found none in the ring-out) in an 11 s song.
    g = make_grid([0.5 * i for i in range(20)], 4, 0, 11.0)
    parts = derive_parts(g)
    assert parts[-1].end == 11.0  # no second of the song is outside every part
    assert parts[-1].n_beats == 4  # the trailing partial 8-count is a short part
    long_ending = make_grid([0.5 * i for i in range(20)], 4, 0, 40.0)
    assert derive_parts(long_ending)[-1].end == pytest.approx(10.0)  # a long beatless ending
