"""Snapping and the no-overlap rule for clips on a dancer track (pure functions)."""

from __future__ import annotations

import numpy as np
import pytest

from app.model import BeatGrid, Clip
from app.model.clip_rules import (
    MIN_CLIP_SECONDS,
    Edge,
    free_start,
    overlaps,
    plan_move,
    plan_trim,
    snap,
    snap_start,
    snap_targets,
    trimmed,
)

GRID = BeatGrid(beats=(0.5, 1.0, 1.5, 2.0, 2.5), counts=(1, 2, 3, 4, 1), meter=4, duration=3.0)


def clip(clip_id: str, start: float, duration: float, source_in: float = 0.0) -> Clip:
    return Clip(clip_id, "m", clip_id, start, source_in, source_in + duration)


def test_targets_are_song_start_beats_and_other_clip_edges() -> None:
    targets = snap_targets(GRID, [clip("a", 3.2, 1.0), clip("me", 0.1, 1.0)], exclude="me")
    np.testing.assert_allclose(targets, [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.2, 4.2])


def test_snap_only_within_the_tolerance() -> None:
    targets = snap_targets(GRID, [])
    assert snap(1.04, targets, 0.05) == 1.0
    assert snap(1.06, targets, 0.05) == 1.06
    assert snap(1.04, targets, 0.0) == 1.04


def test_a_span_snaps_by_whichever_edge_is_nearer_a_target() -> None:
    targets = snap_targets(GRID, [])
    # Start 0.97 is 0.03 from beat 1.0; end 1.47 is 0.03 from 1.5: tie goes to the first.
    assert snap_start(0.97, 0.5, targets, 0.05) == pytest.approx(1.0)
    # Start 1.22 is far from any beat, but the end 1.98 is 0.02 from beat 2.0.
    assert snap_start(1.22, 0.76, targets, 0.05) == pytest.approx(1.24)
    assert snap_start(1.22, 0.5, targets, 0.05) == 1.22


def test_touching_clips_do_not_overlap() -> None:
    clips = [clip("a", 1.0, 1.0)]
    assert not overlaps(clips, 2.0, 3.0)
    assert not overlaps(clips, 0.0, 1.0)
    assert overlaps(clips, 1.9, 2.5)
    assert not overlaps(clips, 1.5, 1.8, exclude="a")


def test_a_clip_dropped_onto_a_neighbour_butts_against_it() -> None:
    clips = [clip("a", 2.0, 2.0), clip("b", 6.0, 1.0)]
    assert free_start(clips, 1.0, 0.5) == 0.5  # free: stays
    assert free_start(clips, 1.0, 1.6) == pytest.approx(1.0)  # ends where "a" starts
    assert free_start(clips, 1.0, 3.8) == pytest.approx(4.0)  # starts where "a" ends
    assert free_start(clips, 3.0, 4.5) == pytest.approx(7.0)  # the 4..6 gap is too short
    assert free_start(clips, 1.0, -3.0) == 0.0  # never before the song
    assert free_start(clips, 2.0, 2.5, exclude="a") == 2.5  # a clip does not block itself


def test_trim_stops_at_neighbours_and_the_source() -> None:
    left, me, right = clip("l", 0.0, 1.0), clip("me", 2.0, 2.0, source_in=1.5), clip("r", 5.0, 1)
    clips = [left, me, right]
    # Left edge: the source runs out 1.5 s before the clip (at 0.5); the neighbour ends at 1.0.
    new = trimmed(me, "left", 0.2, clips, source_duration=10.0)
    assert new is not None
    assert (new.start, new.source_in, new.end) == pytest.approx((1.0, 0.5, 4.0))
    # Right edge: the neighbour at 5.0 stops it before the source's end.
    new = trimmed(me, "right", 9.0, clips, source_duration=10.0)
    assert new is not None and new.end == pytest.approx(5.0)
    # ... and the source's end (4.0 s of material: 1.5 + 2.5) when that comes first.
    new = trimmed(me, "right", 9.0, clips, source_duration=4.0)
    assert new is not None and new.end == pytest.approx(4.5)
    # A trim never makes the clip shorter than a frame, nor changes nothing.
    new = trimmed(me, "left", 99.0, clips, source_duration=10.0)
    assert new is not None and new.duration == pytest.approx(MIN_CLIP_SECONDS)
    assert trimmed(me, "right", me.end, clips, source_duration=10.0) is None
    with pytest.raises(ValueError, match="edge"):
        trimmed(me, "top", 1.0, clips, 10.0)


def test_a_move_into_a_neighbour_stops_at_it_and_names_it() -> None:
    a, b = clip("a", 0.0, 1.0), clip("b", 1.0, 1.0)  # side by side, as a routine lays them
    edit = plan_move([a, b], GRID, a, 0.4, tolerance=0.0)
    assert edit.clip is not None and edit.clip.start == 0.0  # no room: it stays where it is
    assert edit.blocker == b  # and the status bar can say who stopped it
    assert plan_move([a, b], GRID, a, 5.0, tolerance=0.0).blocker is None  # free: no blocker


def test_ripple_pushes_the_clips_after_the_moved_one_just_enough() -> None:
    a, b, c = clip("a", 0.0, 1.0), clip("b", 1.0, 1.0), clip("c", 3.0, 1.0)
    edit = plan_move([a, b, c], GRID, a, 0.4, tolerance=0.0, ripple=True)
    assert edit.clip is not None and edit.clip.start == pytest.approx(0.4)
    assert [(p.id, p.start) for p in edit.pushed] == [("b", pytest.approx(1.4))]  # c fits
    # Dropped inside b, it starts where b ends, and pushes c (which began at 2.5) to 3.0.
    c = clip("c", 2.5, 1.0)
    far = plan_move([a, b, c], GRID, a, 1.5, tolerance=0.0, ripple=True)
    assert far.clip is not None and far.clip.start == 2.0 and far.blocker == b
    assert [(p.id, p.start) for p in far.pushed] == [("c", pytest.approx(3.0))]


def test_trims_stop_at_the_neighbour_or_ripple_the_clips_after() -> None:
    a, b = clip("a", 0.0, 1.0), clip("b", 1.0, 1.0)
    stopped = plan_trim([a, b], GRID, a, Edge.RIGHT, 1.6, 0.0, source_duration=5.0)
    assert stopped.clip is None and stopped.blocker == b
    rippled = plan_trim([a, b], GRID, a, Edge.RIGHT, 1.6, 0.0, 5.0, ripple=True)
    assert rippled.clip is not None and rippled.clip.end == pytest.approx(1.6)
    assert [(p.id, p.start) for p in rippled.pushed] == [("b", pytest.approx(1.6))]
