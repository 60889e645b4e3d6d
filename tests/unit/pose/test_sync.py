"""The video's soundtrack is found in the song by onset-envelope cross-correlation."""

from __future__ import annotations

from pathlib import Path

import pytest

from inference.jobs import run_job
from inference.pose import VideoPoseResult, align_to_song, video_pose_job

from .conftest import MakeVideo


@pytest.fixture(scope="module")
def song(shared_data: Path) -> Path:
    return shared_data / "audio" / "Kevin_MacLeod_-_Vibe_Ace.ogg"


@pytest.mark.parametrize("start", [0.5, 12.34, 25.0])
def test_a_cut_of_the_song_is_found_at_its_offset(
    song: Path, make_video: MakeVideo, start: float
) -> None:
    # A phone filming a dance: the soundtrack is 8 s of the song from `start`, AAC-coded.
    clip = make_video(f"cut_{start}.mp4", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
                      "-ss", str(start), "-i", str(song), "-t", "8", "-map", "0:v", "-map", "1:a",
                      "-c:v", "libx264", "-c:a", "aac", "-shortest")  # fmt: skip
    result = align_to_song(clip, song)
    assert result is not None and result.trusted
    assert result.offset == pytest.approx(start, abs=0.025)  # measured within 2 ms


def test_a_silent_video_has_no_offset(dancer: Path, song: Path) -> None:
    assert align_to_song(dancer, song) is None


def test_video_import_reports_offset_and_notes(
    dancer: Path, song: Path, make_video: MakeVideo
) -> None:
    take = make_video("dancer_sound.mp4", "-i", str(dancer), "-ss", "7.5", "-i", str(song),
                      "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac",
                      "-shortest")  # fmt: skip
    result = run_job(video_pose_job(take, song))
    assert result.audio_offset == pytest.approx(7.5, abs=0.05)
    assert any("matched" in n for n in result.notes)


def test_no_soundtrack_is_placed_at_the_playhead(dancer_result: VideoPoseResult) -> None:
    result = dancer_result  # the dancer video is silent; it was imported with a song
    assert result.sync is None and result.audio_offset is None
    assert "no soundtrack: placed at the playhead" in result.notes
