"""The video done-when checks: the dancer against itself, a delayed copy, and the squats.

The takes are read by the video issue's pose extraction (``inference.pose``); ffmpeg makes the
delayed copy.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from inference.jobs import run_job
from inference.scoring import ScoreRequest, ScoreResult, load_source, score_take_job
from inference.scoring.body import BodyTrack

if shutil.which("ffmpeg") is None:
    pytest.skip("ffmpeg is needed to make the delayed copy", allow_module_level=True)

DANCER_FPS = 20


@pytest.fixture(scope="module")
def videos(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, BodyTrack]:
    folder = shared_data / "video"
    dancer = folder / "mediapipe_pose_segmentation_dancer.mp4"
    late = tmp_path_factory.mktemp("video") / "dancer_late.mp4"
    # 0.2 s late: the first frame held for 4 frames at 20 fps, everything after shifted.
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(dancer),
            "-vf",
            "tpad=start=4:start_mode=clone",
            "-an",
            str(late),
        ],
        check=True,
    )
    paths = {"dancer": dancer, "late": late, "squats": folder / "tfjs_pose_squats.mp4"}
    return {name: load_source(path).track for name, path in paths.items()}


def score(reference: BodyTrack, take: BodyTrack) -> ScoreResult:
    return run_job(score_take_job(ScoreRequest(reference, take)))


def test_the_dancer_against_itself_scores_at_least_95_in_every_part(
    videos: dict[str, BodyTrack],
) -> None:
    result = score(videos["dancer"], videos["dancer"])
    assert result.parts and all(p.score >= 95.0 for p in result.parts)


def test_the_dancer_against_the_squats_scores_at_least_20_less(
    videos: dict[str, BodyTrack],
) -> None:
    itself = score(videos["dancer"], videos["dancer"]).overall
    squats = score(videos["dancer"], videos["squats"]).overall
    assert squats <= itself - 20.0, (itself, squats)


def test_a_copy_delayed_by_0_2_s_finds_the_delay_within_a_frame(
    videos: dict[str, BodyTrack],
) -> None:
    result = score(videos["dancer"], videos["late"])
    for part in result.parts:
        assert abs(part.timing_ms - 200.0) <= 1000.0 / DANCER_FPS, part


def test_a_take_with_the_song_as_soundtrack_is_placed_by_its_audio(
    shared_data: Path, tmp_path: Path, videos: dict[str, BodyTrack]
) -> None:
    from inference.paths import DEMO_SONG

    dancer = shared_data / "video" / "mediapipe_pose_segmentation_dancer.mp4"
    take = tmp_path / "take_with_song.mp4"
    # The dancer filmed while the song played from 12.34 s on (at 20 s the demo song repeats
    # itself exactly, and the audio match lands 2 bars early: a limit of audio sync itself).
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(dancer), "-ss", "12.34", "-t", "5.1", "-i",
         str(DEMO_SONG), "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac", str(take)],
        check=True,
    )  # fmt: skip
    request = ScoreRequest(videos["dancer"], take, song=DEMO_SONG, reference_offset_s=12.34)
    result = run_job(score_take_job(request))
    assert result.sync == "audio" and "by its soundtrack" in result.notes[0]
    assert result.offset_s == pytest.approx(12.34, abs=0.05)
    assert all(p.score >= 95.0 for p in result.parts)
