"""Bad input gets a clear UserFacingError naming the file, and nothing is written or lost."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import inference.pose.extract as extract_module
from inference.errors import BadFileError, UserFacingError
from inference.jobs import Cancelled, Progress, run_job
from inference.pose import (
    DarkVideoError,
    NoPersonError,
    PartlyInFrameError,
    WebcamError,
    extract_pose_job,
    motion_from_track,
    probe_video,
    webcam_pose_job,
)
from inference.pose.video_io import iter_frames, open_webcam

from .conftest import MakeVideo


def test_corrupt_file(tmp_path: Path) -> None:
    junk = tmp_path / "take.mp4"
    junk.write_bytes(np.random.default_rng(0).bytes(50_000))
    with pytest.raises(BadFileError, match=r"take\.mp4"):
        probe_video(junk)
    empty = tmp_path / "empty.mov"
    empty.write_bytes(b"")
    with pytest.raises(BadFileError, match="empty"):
        probe_video(empty)
    with pytest.raises(BadFileError, match="does not exist"):
        probe_video(tmp_path / "none.mp4")


def test_truncated_files(dancer: Path, make_video: MakeVideo, tmp_path: Path) -> None:
    # Index at the end (ffmpeg's default): cut short, nothing can be decoded.
    whole = make_video("index_last.mp4", "-i", str(dancer), "-c:v", "libx264")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(BadFileError, match=r"cut\.mp4"):
        probe_video(cut)
    # Index first: the part before the cut plays, and the notes say the file stops early.
    fast = make_video("index_first.mp4", "-i", str(dancer), "-c:v", "libx264", "-movflags",
                      "+faststart")  # fmt: skip
    half = tmp_path / "half.mp4"
    half.write_bytes(fast.read_bytes()[: int(fast.stat().st_size * 0.5)])
    info = probe_video(half)
    frames = sum(1 for _ in iter_frames(info))
    assert 0 < frames < info.n_frames
    result = run_job(extract_pose_job(half))
    assert result.track.n_frames == frames
    assert any("truncated" in n for n in result.notes)


def test_no_person(make_video: MakeVideo) -> None:
    empty = make_video("testsrc.mp4", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10",
                       "-t", "1.5", "-c:v", "libx264")  # fmt: skip
    with pytest.raises(NoPersonError, match=r"testsrc.mp4: no person found in 15 frames"):
        run_job(extract_pose_job(empty))


def test_very_dark_video(dancer: Path, make_video: MakeVideo) -> None:
    dark = make_video("dark.mp4", "-i", str(dancer), "-t", "1", "-vf",
                      "eq=brightness=-0.9", "-c:v", "libx264")  # fmt: skip
    with pytest.raises(DarkVideoError, match=r"dark.mp4: the video is too dark") as err:
        run_job(extract_pose_job(dark))
    assert isinstance(err.value, UserFacingError)


def test_person_partly_in_frame(dancer: Path, make_video: MakeVideo) -> None:
    upper = make_video("upper.mp4", "-i", str(dancer), "-t", "1.5", "-vf", "crop=600:330:0:0",
                       "-c:v", "libx264")  # fmt: skip
    result = run_job(extract_pose_job(upper))
    assert result.lower_body_share < 0.5
    assert any("legs are out of the picture" in n for n in result.notes)
    with pytest.raises(PartlyInFrameError, match=r"upper.mp4: the legs are out of the picture"):
        motion_from_track(result.track, name="upper.mp4")


def test_ten_minute_video_streams_reports_progress_and_cancels(
    make_video: MakeVideo, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = make_video("ten_minutes.mp4", "-f", "lavfi", "-i",
                      "testsrc=size=64x64:rate=5", "-t", "600", "-c:v", "libx264",
                      "-preset", "ultrafast")  # fmt: skip
    info = probe_video(long)
    assert info.duration == pytest.approx(600.0)
    decoded = []
    real = extract_module.iter_frames

    def counting(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for frame in real(*args, **kwargs):  # type: ignore[arg-type]
            decoded.append(frame.index)
            yield frame

    monkeypatch.setattr(extract_module, "iter_frames", counting)
    seen: list[Progress] = []
    with pytest.raises(Cancelled):
        run_job(extract_pose_job(info), seen.append, lambda: len(seen) > 4)
    assert [p.percent for p in seen] == sorted(p.percent for p in seen)
    assert "Pose" in seen[-1].message
    # Frames are streamed: cancelling stopped the decoder after a handful of the 3000.
    assert len(decoded) < 40


def test_no_webcam() -> None:
    if Path("/dev/video0").exists():
        pytest.skip("this machine has a camera at index 0")
    with pytest.raises(WebcamError, match="webcam 0: no camera found"):
        open_webcam(0)
    with pytest.raises(WebcamError):
        run_job(webcam_pose_job(0, 1.0))


def test_busy_webcam(monkeypatch: pytest.MonkeyPatch) -> None:
    import cv2

    class Busy:
        released = False

        def __init__(self, index: int) -> None: ...
        def isOpened(self) -> bool:
            return True

        def read(self) -> tuple[bool, None]:
            return False, None  # what V4L2 gives while another program streams

        def release(self) -> None:
            Busy.released = True

    monkeypatch.setattr(cv2, "VideoCapture", Busy)
    with pytest.raises(WebcamError, match="another program may be using it"):
        open_webcam(3)
    assert Busy.released
