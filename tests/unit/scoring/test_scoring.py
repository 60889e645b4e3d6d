"""Scoring a take against a reference: itself, a delayed copy, a short take, mirror, feedback."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from inference.errors import UserFacingError
from inference.jobs import run_job
from inference.scoring import NoPersonError, ScoreRequest, ScoreResult, score_take_job
from inference.scoring.body import BodyTrack, J, mirror_track
from inference.scoring.camera import front_view

FPS = 30.0


@pytest.fixture(scope="module")
def routine(perfume: dict[str, BodyTrack]) -> BodyTrack:
    """32 s of a real idol routine (8 parts at 120 BPM)."""
    return BodyTrack(perfume["aachan"].points[:960], FPS, "aachan.bvh")


def score(reference: BodyTrack, take: BodyTrack, **kw: object) -> ScoreResult:
    return run_job(score_take_job(ScoreRequest(reference, take, **kw)))  # type: ignore[arg-type]


def delayed(track: BodyTrack, frames: int) -> BodyTrack:
    """The same dance started ``frames`` later: the first pose held meanwhile."""
    hold = np.repeat(track.points[:1], frames, axis=0)
    return replace(track, points=np.concatenate([hold, track.points]), source="late.json")


@pytest.mark.parametrize("flat", [False, True], ids=["3d", "2d"])
def test_a_take_against_itself_scores_100_in_every_part(routine: BodyTrack, flat: bool) -> None:
    track = front_view(routine) if flat else routine
    result = score(track, track)
    assert len(result.parts) == 8
    assert all(p.score == pytest.approx(100.0) for p in result.parts)
    assert all(c == pytest.approx(100.0) for p in result.parts for c in p.counts)
    assert all(p.timing_ms == 0.0 and p.feedback == () for p in result.parts)
    assert result.sync == "start" and "no soundtrack" in result.notes[0]


@pytest.mark.parametrize("flat", [False, True], ids=["3d", "2d"])
def test_a_copy_delayed_by_0_2_s_is_found_late_by_200_ms(routine: BodyTrack, flat: bool) -> None:
    track = front_view(routine) if flat else routine
    result = score(track, delayed(track, 6))
    frame_ms = 1000.0 / FPS
    for part in result.parts[1:]:  # part 1 starts on the held pose
        assert abs(part.timing_ms - 200.0) <= frame_ms, part
        assert "late by 200 ms" in part.feedback[0]
    assert result.parts[-1].score < 100.0  # late costs points even with the right poses


def test_sync_motion_lines_the_start_up_and_says_so(routine: BodyTrack) -> None:
    take = replace(routine, points=routine.points[60:])  # filmed from 2 s into the routine
    by_motion = score(routine, take, sync="motion")
    assert by_motion.sync == "motion" and by_motion.offset_s == pytest.approx(2.0, abs=1e-9)
    assert all(p.score == pytest.approx(100.0) for p in by_motion.parts)
    assert "hides a dancer who is late" in by_motion.notes[0]
    unsynced = score(routine, take)
    assert unsynced.offset_s == 0.0 and "--sync motion" in unsynced.notes[0]
    assert unsynced.overall < by_motion.overall - 20
    given = score(routine, take, offset_s=2.0)
    assert given.sync == "offset" and given.overall == pytest.approx(100.0)


def test_sync_audio_on_a_silent_take_is_refused_with_a_way_out(routine: BodyTrack) -> None:
    with pytest.raises(UserFacingError, match=r"no soundtrack.*--sync motion"):
        score(routine, routine, sync="audio")


def test_a_short_take_is_scored_where_it_overlaps_and_says_so(routine: BodyTrack) -> None:
    take = replace(routine, points=routine.points[:300], source="short.json")  # 10 s of 30
    result = score(routine, take)
    assert [p.index for p in result.parts] == [1, 2, 3]
    assert any("covers 3 of 8 parts" in n and "4–8" in n for n in result.notes)
    assert result.parts[-1].coverage == pytest.approx(0.5, abs=0.01)


def test_a_take_with_no_person_is_refused(routine: BodyTrack) -> None:
    empty = replace(routine, points=np.full_like(routine.points, np.nan), source="empty.json")
    with pytest.raises(NoPersonError, match=r"empty\.json: no person"):
        score(routine, empty)


def test_a_take_that_misses_the_reference_is_refused(routine: BodyTrack) -> None:
    with pytest.raises(UserFacingError, match=r"does not overlap.*--offset"):
        score(routine, routine, offset_s=100.0)


def test_mirror_mode_compares_with_the_mirrored_reference(routine: BodyTrack) -> None:
    student = mirror_track(routine)  # facing the camera, copying the screen
    assert score(routine, student, mirror=True).overall == pytest.approx(100.0)
    assert score(routine, student).overall < 90.0


def test_feedback_names_the_joint_and_the_counts(routine: BodyTrack) -> None:
    p = np.array(routine.points)
    # Straighten the left leg on counts 3-4 of part 2 (120 BPM: 5.0-6.0 s of the song).
    frames = slice(150, 180)
    hip, knee = p[frames, J["hip_l"]], p[frames, J["knee_l"]]
    shin = np.linalg.norm(p[frames, J["ankle_l"]] - knee, axis=-1, keepdims=True)
    thigh = (knee - hip) / np.linalg.norm(knee - hip, axis=-1, keepdims=True)
    bent = np.degrees(np.arccos(np.sum(-thigh * (p[frames, J["ankle_l"]] - knee) / shin, -1)))
    assert bent.mean() < 140  # the dancer really bends the knee there
    p[frames, J["ankle_l"]] = knee + thigh * shin
    result = score(routine, replace(routine, points=p))
    part2 = result.parts[1]
    assert part2.feedback[0] == "left knee: bend more on counts 3–4"
    assert max(part2.counts[2:4]) < 95.0 and part2.counts[0] == 100.0
    assert all(p.score == pytest.approx(100.0) for p in result.parts if p.index != 2)


def test_the_live_score_of_a_part_matches_the_whole_take(routine: BodyTrack) -> None:
    from inference.audio.grid import derive_parts, grid_from_tap_tempo
    from inference.scoring import LiveScorer

    grid = grid_from_tap_tempo(120.0, 0.0, routine.duration + 1.0)
    parts = derive_parts(grid)
    take = delayed(front_view(routine), 6)
    whole = score(routine, take, grid=grid, parts=parts)
    live = LiveScorer(routine, grid, parts)
    assert live.uses_embedding
    so_far = replace(take, points=take.points[: int(16.5 * FPS)])  # the webcam, 16.5 s in
    part4 = live.score_part(so_far, 4, take_offset_s=0.0)
    assert part4 is not None
    assert part4.score == pytest.approx(whole.parts[3].score, abs=2.0)
    assert part4.timing_ms == pytest.approx(200.0, abs=1000.0 / FPS)
    assert live.score_part(so_far, 6, take_offset_s=0.0) is None  # not danced yet
