"""Reading video frames one at a time: files through OpenCV (ffmpeg as a fallback) and webcams.

Frames are streamed, never collected: memory stays at one decoded frame however long the
video. Pictures come out upright and in RGB: OpenCV applies the rotation metadata of phone
videos itself (``CAP_PROP_ORIENTATION_AUTO`` is on by default), and so does the ffmpeg CLI.

OpenCV (its bundled FFmpeg) reads mp4, mov, webm, avi and mkv; a file it cannot open or cannot
decode a first frame of goes to the system's ``ffmpeg`` as a raw-RGB pipe, which reads whatever
codec that build of ffmpeg has.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError, UserFacingError

VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".avi", ".mkv", ".m4v")
"""Video files the studio offers to open (any other container ffmpeg reads also works)."""

RGBImage = NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class VideoFrame:
    """One frame: its index in the video, its time in seconds, and its RGB pixels (``None`` for
    a frame skipped by a stride: decoded or read past, but not converted)."""

    index: int
    time: float
    rgb: RGBImage | None


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What is known about a video before decoding it.

    Attributes
    ----------
    fps
        Frames per second (nominal).
    width, height
        Size of the upright picture, pixels.
    n_frames
        Frame count from the container (0 when it does not say, as for some webm files).
    has_audio
        Whether the file holds a soundtrack (False also when ffprobe is not installed).
    rotation
        Degrees of the rotation metadata (already applied to the frames).
    backend
        ``"opencv"`` or ``"ffmpeg"``.
    """

    path: Path
    fps: float
    width: int
    height: int
    n_frames: int
    has_audio: bool
    rotation: int
    backend: str

    @property
    def duration(self) -> float:
        """Nominal length in seconds (0 when the frame count is unknown)."""
        return self.n_frames / self.fps if self.fps > 0 else 0.0


class WebcamError(UserFacingError):
    """No webcam at that index, or one that another program holds."""


def _ffprobe(path: Path) -> dict[str, Any] | None:
    """ffprobe's streams and format (no frame counting: that would decode the whole file)."""
    exe = shutil.which("ffprobe")
    if exe is None:
        return None
    cmd = [exe, "-v", "error", "-print_format", "json", "-show_streams", "-show_format", str(path)]
    try:
        result = subprocess.run(cmd, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    try:
        info: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        return None
    return info


def _rotation(stream: dict[str, Any]) -> int:
    for side in stream.get("side_data_list", []):
        if "rotation" in side:
            return round(float(side["rotation"])) % 360
    tag = stream.get("tags", {}).get("rotate")
    return int(tag) % 360 if tag is not None else 0


def _rate(text: str | None) -> float:
    try:
        num, _, den = (text or "0/1").partition("/")
        return float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return 0.0


def _check_file(path: Path) -> None:
    if not path.exists():
        raise BadFileError(path, "the file does not exist")
    if path.is_dir():
        raise BadFileError(path, "this is a folder, not a video file")
    if path.stat().st_size == 0:
        raise BadFileError(path, "the file is empty")


def probe_video(path: str | Path) -> VideoInfo:
    """Open ``path`` far enough to know its size, rate and length, and how to decode it.

    Raises
    ------
    BadFileError
        Missing, empty, not a video, or no frame can be decoded (corrupt or cut short before
        its first picture).
    """
    import cv2

    path = Path(path)
    _check_file(path)
    meta = _ffprobe(path)
    streams = meta.get("streams", []) if meta else []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    has_audio = any(s.get("codec_type") == "audio" for s in streams)
    rotation = _rotation(video) if video else 0
    cap = cv2.VideoCapture(str(path))
    try:
        ok, frame = cap.read() if cap.isOpened() else (False, None)
        if ok and frame is not None:
            fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
            if not np.isfinite(fps) or fps <= 0:
                fps = _rate(video.get("avg_frame_rate")) if video else 0.0
            count = int(max(0.0, cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0))
            h, w = frame.shape[:2]
            return _checked(VideoInfo(path, fps, w, h, count, has_audio, rotation, "opencv"))
    finally:
        cap.release()
    if video is None:
        problem = "no video stream in it" if meta else "not a video file that can be decoded"
        raise BadFileError(path, problem)
    if shutil.which("ffmpeg") is None:
        raise BadFileError(path, "OpenCV cannot decode it, and ffmpeg is not installed")
    w, h = int(video.get("width", 0)), int(video.get("height", 0))
    if rotation in (90, 270):
        w, h = h, w
    fps = _rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate"))
    count = int(video.get("nb_frames", 0) or 0)
    if not count and fps:
        count = int(float(video.get("duration") or meta.get("format", {}).get("duration", 0)) * fps)  # type: ignore[union-attr]
    info = _checked(VideoInfo(path, fps, w, h, count, has_audio, rotation, "ffmpeg"))
    first = next(_ffmpeg_frames(info), None)
    if first is None:
        raise BadFileError(path, "no picture could be decoded: the file is corrupt or truncated")
    return info


def _checked(info: VideoInfo) -> VideoInfo:
    if not (np.isfinite(info.fps) and 0 < info.fps <= 1000):
        raise BadFileError(info.path, f"the video has no usable frame rate ({info.fps!r} fps)")
    if info.width < 16 or info.height < 16:
        raise BadFileError(info.path, f"the picture is too small ({info.width}x{info.height})")
    return info


def _opencv_frames(info: VideoInfo, stride: int) -> Generator[VideoFrame, None, None]:
    import cv2

    cap = cv2.VideoCapture(str(info.path))
    try:
        index = 0
        while True:
            if index % stride:
                if not cap.grab():  # decode only: no colour conversion for skipped frames
                    return
                yield VideoFrame(index, index / info.fps, None)
            else:
                ok, bgr = cap.read()
                if not ok:
                    return
                rgb = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)
                yield VideoFrame(index, index / info.fps, rgb)
            index += 1
    finally:
        cap.release()


def _ffmpeg_frames(info: VideoInfo, stride: int = 1) -> Generator[VideoFrame, None, None]:
    exe = shutil.which("ffmpeg")
    assert exe is not None
    cmd = [exe, "-nostdin", "-v", "error", "-i", str(info.path), "-map", "0:v:0", "-an", "-sn"]
    cmd += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{info.width}x{info.height}", "pipe:1"]
    size = info.width * info.height * 3
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    try:
        index = 0
        while True:
            data = proc.stdout.read(size)
            if len(data) < size:
                return
            rgb = None
            if index % stride == 0:
                rgb = np.frombuffer(data, np.uint8).reshape(info.height, info.width, 3)
            yield VideoFrame(index, index / info.fps, rgb)
            index += 1
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def iter_frames(info: VideoInfo, stride: int = 1) -> Generator[VideoFrame, None, None]:
    """Decode the video's frames in order; only every ``stride``-th one carries its pixels.

    A generator: closing it stops the decoder, so a cancelled job leaves nothing running.
    """
    if stride < 1:
        raise ValueError("stride must be at least 1")
    if info.backend == "opencv":
        return _opencv_frames(info, stride)
    return _ffmpeg_frames(info, stride)


@dataclass(frozen=True, slots=True)
class WebcamInfo:
    """An opened webcam: its index, picture size and the frame rate it reports."""

    index: int
    fps: float
    width: int
    height: int


def open_webcam(index: int = 0) -> tuple[Any, WebcamInfo]:
    """Open webcam ``index`` through OpenCV and read one frame to prove it works.

    Returns the ``cv2.VideoCapture`` (release it when done) and what it reports.

    Raises
    ------
    WebcamError
        No camera at that index, or a camera that gives no picture (busy in another program).
    """
    import cv2

    cap = cv2.VideoCapture(index)
    if not cap.isOpened():
        cap.release()
        raise WebcamError(
            f"webcam {index}: no camera found (none is connected, or the system denies access)"
        )
    ok, frame = cap.read()
    if not ok or frame is None:
        cap.release()
        raise WebcamError(
            f"webcam {index}: the camera gives no picture; another program may be using it "
            "(close it and try again)"
        )
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
    h, w = frame.shape[:2]
    return cap, WebcamInfo(index, fps if 0 < fps <= 240 else 30.0, w, h)


def iter_webcam_frames(cap: Any, max_seconds: float) -> Generator[VideoFrame, None, None]:
    """Frames from an opened webcam for ``max_seconds``, timed by the clock as they arrive.

    Closing the generator releases the camera.
    """
    import cv2

    start = time.monotonic()
    index = 0
    try:
        while (now := time.monotonic() - start) < max_seconds:
            ok, bgr = cap.read()
            if not ok:
                if index == 0:
                    raise WebcamError("the webcam stopped giving pictures")
                return
            rgb = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)
            yield VideoFrame(index, now, rgb)
            index += 1
    finally:
        cap.release()
