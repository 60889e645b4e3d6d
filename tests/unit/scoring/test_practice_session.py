"""Practice mode's loop without Qt: the song clock, the count, a video file standing in for the
camera, the live score of a real dancer against himself and against another dance, the end of
a pass, several people in view, and no camera at all."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from inference.audio.grid import derive_parts, grid_from_tap_tempo
from inference.pose import WebcamError
from inference.pose.live import LivePose, VideoAsCamera, WebcamSource
from inference.scoring import LiveScorer, load_source
from inference.scoring.body import BodyTrack
from inference.scoring.practice import (
    LiveFrame,
    PracticeSession,
    SongClock,
    even_track,
    part_and_count,
)

DANCER_FPS = 20.0
GRID = grid_from_tap_tempo(120.0, 0.0, 5.1)  # parts of 4 s: part 1 is 0-4 s, part 2 4-5.1 s
PARTS = derive_parts(GRID)


@pytest.fixture(scope="module")
def dancer(shared_data: Path) -> Path:
    return shared_data / "video" / "mediapipe_pose_segmentation_dancer.mp4"


@pytest.fixture(scope="module")
def references(dancer: Path, shared_data: Path) -> dict[str, BodyTrack]:
    other = shared_data / "motion" / "perfume" / "aachan.bvh"  # another dance, filmed in 2D
    return {"dancer": load_source(dancer).track, "other": load_source(other).track}


@pytest.fixture(scope="module")
def live_run(dancer: Path, references: dict[str, BodyTrack]) -> list[LiveFrame]:
    """The dancer video as the camera, each picture stamped with its own video time."""
    camera = VideoAsCamera(dancer, realtime=False)
    session = PracticeSession(camera, LiveScorer(references["dancer"], GRID, PARTS), GRID, PARTS)
    frames = []
    try:
        while not (
            frame := session.step(SongClock(camera.frames_read / DANCER_FPS, time.monotonic(), 1.0))
        ).ended:
            frames.append(frame)
    finally:
        session.close()
    return frames


def test_the_song_clock_runs_at_the_practice_speed_and_wraps_into_the_loop() -> None:
    clock = SongClock(position=3.0, at=100.0, rate=0.5, loop=(2.0, 4.0))
    assert clock.song_time(101.0) == pytest.approx(3.5)
    assert clock.song_time(103.0) == pytest.approx(2.5)  # 4.5 wrapped into 2..4
    assert SongClock(3.0, 100.0, 0.0, (2.0, 4.0)).song_time(150.0) == 3.0  # paused


def test_the_count_follows_the_beats_of_the_part() -> None:
    assert part_and_count(GRID, PARTS, 0.1) == (PARTS[0], 1)
    assert part_and_count(GRID, PARTS, 2.6) == (PARTS[0], 6)  # beats every 0.5 s
    assert part_and_count(GRID, PARTS, 3.99) == (PARTS[0], 8)
    assert part_and_count(GRID, PARTS, 4.2) == (PARTS[1], 1)
    assert part_and_count(GRID, PARTS, 60.0) == (None, 0)


def test_uneven_pictures_land_on_an_even_song_time_grid() -> None:
    times = [0.0, 0.05, 0.2]  # a stall after the second picture
    points = [np.tile([float(i), 0.0, 1.0], (33, 1)) for i in range(3)]  # x = i, fully seen
    track = even_track(times, points, fps=10.0)
    assert track.n_frames == 3  # 0.0, 0.1, 0.2
    assert track.points[:, 0, 0].tolist() == [0.0, 1.0, 2.0]  # 0.1 is nearest the 2nd picture


def test_a_video_as_camera_skips_the_pictures_it_fell_behind_on(dancer: Path) -> None:
    now = [0.0]
    camera = VideoAsCamera(dancer, clock=lambda: now[0])
    first = camera.read()
    now[0] = 1.0  # a second later the camera shows picture 20, not picture 1
    late = camera.read()
    camera.close()
    reference = VideoAsCamera(dancer, realtime=False)
    frames = [reference.read() for _ in range(21)]
    reference.close()
    assert first is not None and late is not None
    np.testing.assert_array_equal(first, frames[0])
    np.testing.assert_array_equal(late, frames[20])


def test_the_live_score_of_the_dancer_against_himself_is_high(live_run: list[LiveFrame]) -> None:
    assert sum(f.keypoints is not None for f in live_run) >= 0.9 * len(live_run)
    scored = [f.score for f in live_run if f.score is not None and f.part == 1]
    assert len(scored) >= 20  # from half the part on, every picture updates the score
    assert scored[-1].score >= 90.0
    finished = [f for f in live_run if f.finished is not None]
    assert [f.finished.index for f in finished if f.finished] == [1]  # part 1 ended once
    assert finished[0].finished_coverage_ok
    assert finished[0].part == 2


def test_the_same_pictures_score_far_lower_against_another_dance(
    live_run: list[LiveFrame], references: dict[str, BodyTrack]
) -> None:
    part_1 = [f for f in live_run if f.part == 1]
    missing = np.full((33, 3), np.nan)
    take = even_track(
        [f.song_time for f in part_1],
        [missing if f.keypoints is None else f.keypoints for f in part_1],
    )
    own = LiveScorer(references["dancer"], GRID, PARTS).score_part(take, 1, part_1[0].song_time)
    other = LiveScorer(references["other"], GRID, PARTS).score_part(take, 1, part_1[0].song_time)
    assert own is not None and other is not None
    assert other.score <= own.score - 20.0


def test_two_people_in_view_are_named_and_the_central_one_followed(
    dancer: Path, shared_data: Path, tmp_path: Path, references: dict[str, BodyTrack]
) -> None:
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg is not None, "ffmpeg is needed (packaging/system-deps.sh installs it)"
    two = tmp_path / "two.mp4"
    squats = shared_data / "video" / "tfjs_pose_squats.mp4"
    # The dancer large in the middle, the squatting woman smaller at the right edge (as the
    # pose tests compose them: smaller still, MediaPipe does not find her at all).
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-i", str(dancer), "-i", str(squats), "-t", "1",
         "-filter_complex",
         "color=gray:s=1280x720:r=20[bg];[0:v]scale=640:640[a];[1:v]scale=360:640[b];"
         "[bg][a]overlay=260:40:shortest=1[ab];[ab][b]overlay=920:80",
         "-c:v", "libx264", "-preset", "ultrafast", str(two)],
        check=True,
    )  # fmt: skip
    camera = VideoAsCamera(two, realtime=False)
    pose = LivePose(camera.width, camera.height)
    found = []
    try:
        for i in range(6):
            rgb = camera.read()
            assert rgb is not None
            found.append(pose.find(rgb, i / DANCER_FPS))
        assert pose.most_people == 2
        session = PracticeSession(
            camera,
            LiveScorer(references["dancer"], GRID, PARTS),
            GRID,
            PARTS,
            pose,
        )
        notes = session.step(SongClock(0.5, time.monotonic(), 1.0)).notes
    finally:
        pose.close()
        camera.close()
    assert any("2 people in view: following the most central, largest person" in n for n in notes)
    followed = [k for k in found if k is not None]
    assert followed and all(
        260 < np.median(k[:, 0]) < 900 for k in followed
    )  # never the woman (>920)


def test_no_camera_is_a_clear_error() -> None:
    # A real OpenCV open of a camera index no machine has: what CI and this machine answer.
    with pytest.raises(WebcamError, match="webcam 97: no camera found"):
        WebcamSource(97)


def test_remembered_embedding_rows_give_the_network_s_own_answer() -> None:
    from inference.scoring.embedding import load_embedding
    from inference.scoring.live import RememberingEmbedding

    plain = load_embedding()
    remembering = RememberingEmbedding(plain.layers)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(50, plain.layers[0][0].shape[1])).astype(np.float32)
    remembering(x[:40])
    grown = x.copy()
    grown[35:40] += 0.5  # the tail's windows reached new pictures
    out = remembering(grown)
    np.testing.assert_allclose(out, plain(grown), atol=1e-5)
    assert not np.allclose(out[35:40], remembering(x)[35:40])  # changed rows were recomputed
