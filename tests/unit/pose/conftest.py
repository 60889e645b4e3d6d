"""Videos for the pose tests: the two real ones in ../shared/data, and small ones made with
ffmpeg in a temporary folder (cuts, crops, rotations, containers, a soundtrack)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from inference.jobs import run_job
from inference.pose import Extraction, VideoPoseResult, extract_pose_job, video_pose_job

MakeVideo = Callable[..., Path]


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    exe = shutil.which("ffmpeg")
    if exe is None:
        pytest.fail("ffmpeg is needed for the pose tests (packaging/system-deps.sh installs it)")
    return exe


@pytest.fixture(scope="session")
def dancer(shared_data: Path) -> Path:
    return shared_data / "video" / "mediapipe_pose_segmentation_dancer.mp4"


@pytest.fixture(scope="session")
def squats(shared_data: Path) -> Path:
    return shared_data / "video" / "tfjs_pose_squats.mp4"


@pytest.fixture(scope="session")
def make_video(ffmpeg: str, tmp_path_factory: pytest.TempPathFactory) -> MakeVideo:
    """``make_video(name, *ffmpeg_args)``: run ffmpeg once per name, return the file."""
    folder = tmp_path_factory.mktemp("videos")

    def make(name: str, *args: str) -> Path:
        out = folder / name
        if not out.exists():
            cmd = [ffmpeg, "-v", "error", "-y", *args, str(out)]
            subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        return out

    return make


@pytest.fixture(scope="session")
def dancer_result(dancer: Path, shared_data: Path) -> VideoPoseResult:
    """The whole import of the real (silent) dancer video with a song, run once for every test
    that reads it."""
    return run_job(video_pose_job(dancer, shared_data / "audio" / "Kevin_MacLeod_-_Vibe_Ace.ogg"))


@pytest.fixture(scope="session")
def squats_extraction(squats: Path) -> Extraction:
    return run_job(extract_pose_job(squats))
