"""Pose accuracy on real video against BlazePose reference keypoints, and frame reading
(portrait, rotation metadata, containers, the ffmpeg fallback)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from inference.jobs import run_job
from inference.pose import Extraction, PoseOptions, extract_pose_job, probe_video
from inference.pose.video_io import iter_frames

from .conftest import MakeVideo


def reference(shared_data: Path) -> np.ndarray:
    path = shared_data / "video" / "tfjs_pose_squats.blazepose_full_expected.json"
    return np.asarray(json.loads(path.read_text()))  # (65, 33, 3): x px, y px, z


def test_squats_match_the_blazepose_reference_within_10_px(
    squats_extraction: Extraction, shared_data: Path
) -> None:
    ref = reference(shared_data)
    track = squats_extraction.track
    assert (track.width, track.height, track.n_frames) == (720, 1280, 65)  # portrait
    assert track.present.all()
    error = np.linalg.norm(track.keypoints[..., :2] - ref[..., :2], axis=-1)
    assert error.mean() < 10.0, f"mean {error.mean():.2f} px"
    # Measured 5.7 px; every frame stays close, not just the mean.
    assert np.median(error.mean(axis=1)) < 10.0


def test_the_world_landmarks_are_metres(squats_extraction: Extraction) -> None:
    world = squats_extraction.track.world
    assert world is not None
    hips = world[:, [23, 24]].mean(axis=1)
    assert np.abs(hips).max() < 0.05  # MediaPipe's world origin is between the hips
    shin = np.linalg.norm(world[:, 25] - world[:, 27], axis=-1)
    assert 0.3 < np.median(shin) < 0.5


def test_rotation_metadata_is_applied(squats: Path, make_video: MakeVideo) -> None:
    # A phone stores portrait video sideways with a rotation flag: make one the same way.
    sideways = make_video("sideways.mp4", "-i", str(squats), "-t", "1", "-vf", "transpose=1")
    flagged = make_video(
        "flagged.mp4", "-i", str(sideways), "-c", "copy", "-metadata:s:v:0", "rotate=90"
    )
    original = next(iter_frames(probe_video(squats))).rgb.astype(int)
    for backend in ("opencv", "ffmpeg"):
        info = replace(probe_video(flagged), backend=backend)
        assert info.rotation == 90 and (info.width, info.height) == (720, 1280)
        upright = next(iter_frames(info)).rgb.astype(int)
        assert upright.shape == original.shape
        assert np.abs(upright - original).mean() < 3.0  # only the re-encoding differs


@pytest.mark.parametrize(
    ("suffix", "codec"),
    [(".mp4", "libx264"), (".mov", "libx264"), (".mkv", "libx264"), (".avi", "mpeg4"),
     (".webm", "libvpx-vp9")],
)  # fmt: skip
def test_every_container_decodes(
    dancer: Path, make_video: MakeVideo, suffix: str, codec: str
) -> None:
    clip = make_video(f"clip{suffix}", "-i", str(dancer), "-t", "0.5", "-c:v", codec)
    info = probe_video(clip)
    frames = list(iter_frames(info))
    assert (info.width, info.height) == (600, 600)
    assert len(frames) == 10 and frames[0].rgb.shape == (600, 600, 3)
    assert frames[3].time == pytest.approx(3 / 20)


def test_ffmpeg_fallback_when_opencv_cannot_open(
    dancer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cv2

    class Refusing:
        def __init__(self, *_: object) -> None: ...
        def isOpened(self) -> bool:
            return False

        def release(self) -> None: ...

    direct = next(iter_frames(probe_video(dancer))).rgb.astype(int)
    monkeypatch.setattr(cv2, "VideoCapture", Refusing)
    info = probe_video(dancer)
    assert info.backend == "ffmpeg" and info.fps == pytest.approx(20.0)
    assert info.n_frames == 102
    piped = next(iter_frames(info)).rgb.astype(int)
    assert np.abs(piped - direct).mean() < 2.0


def test_stride_interpolates_and_costs_little(squats: Path, dancer: Path) -> None:
    full = run_job(extract_pose_job(dancer, PoseOptions(smooth=False)))
    half = run_job(extract_pose_job(dancer, PoseOptions(smooth=False, stride=2)))
    assert half.track.n_frames == full.track.n_frames == 102
    assert half.track.present.all() and half.track.interpolated[1::2][:-1].all()
    error = np.linalg.norm(half.track.keypoints[..., :2] - full.track.keypoints[..., :2], axis=-1)
    assert error[1::2].mean() < 15.0  # interpolated frames: measured about 5 px at 20 fps
    assert any("every 2th" in n or "every 2" in n for n in half.notes)
