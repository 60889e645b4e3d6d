"""Live pose: pictures from a camera (or a video file standing in for one), a person in each.

Practice mode reads one picture at a time from a :class:`FrameSource` and finds the dancer in
it with :class:`LivePose`. A source is anything with ``read()`` and ``close()``, so the studio
and the tests can put a video file where the webcam would be (:class:`VideoAsCamera`): CI has
no webcam, and a recorded dancer makes a repeatable camera.

OpenCV and MediaPipe are imported only when a source or a landmarker is opened.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from inference.pose.follow import PersonFollower
from inference.pose.landmarker import PoseLandmarkerModel
from inference.pose.video_io import VideoFrame, WebcamError, iter_frames, open_webcam, probe_video

RGBImage = NDArray[np.uint8]


class FrameSource(Protocol):
    """A camera as practice mode sees it."""

    name: str
    width: int
    height: int

    def read(self) -> RGBImage | None:
        """The newest picture (RGB, upright), or ``None`` once the source has ended."""
        ...

    def close(self) -> None:
        """Release the device or file."""
        ...


CameraOpener = Callable[[], FrameSource]
"""Opens the camera practice mode uses (raises :class:`WebcamError` when there is none)."""


class WebcamSource:
    """Webcam ``index`` through OpenCV.

    Raises
    ------
    WebcamError
        No camera at that index, or one that gives no picture.
    """

    def __init__(self, index: int = 0) -> None:
        import cv2

        self._cap, info = open_webcam(index)
        # Keep the driver's queue short: practice wants the newest picture, not a backlog.
        self._cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        self.name = f"webcam {index}"
        self.width, self.height = info.width, info.height

    def read(self) -> RGBImage | None:
        import cv2

        ok, bgr = self._cap.read()
        if not ok or bgr is None:
            return None
        return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)

    def close(self) -> None:
        self._cap.release()


class VideoAsCamera:
    """A video file played as if it were a camera.

    Parameters
    ----------
    path
        The video.
    realtime
        Give the frame due at the wall-clock time since the first read, as a camera would
        (frames the reader fell behind on are skipped, and a read ahead of time waits);
        without it every frame comes in turn, as fast as they are asked for.
    loop
        Start the video again when it ends (else :meth:`read` returns ``None`` there).
    clock
        The wall clock (tests pass their own).

    Raises
    ------
    BadFileError
        Not a video, or a corrupt one (:func:`~inference.pose.video_io.probe_video`).
    """

    def __init__(
        self,
        path: str | Path,
        realtime: bool = True,
        loop: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._info = probe_video(path)
        self.name = Path(path).name
        self.width, self.height = self._info.width, self._info.height
        self._realtime, self._loop, self._clock = realtime, loop, clock
        self._frames: Generator[VideoFrame, None, None] = iter_frames(self._info)
        self._index = 0  # the next frame the generator gives, counted over loops
        self._started: float | None = None
        self.frames_read = 0

    def _next(self) -> RGBImage | None:
        frame = next(self._frames, None)
        if frame is None and self._loop and self._index > 0:
            self._frames.close()
            self._frames = iter_frames(self._info)
            frame = next(self._frames, None)
        if frame is None:
            return None
        self._index += 1
        return frame.rgb

    def read(self) -> RGBImage | None:
        if not self._realtime:
            rgb = self._next()
            self.frames_read += rgb is not None
            return rgb
        now = self._clock()
        if self._started is None:
            self._started = now
        elapsed = now - self._started
        due, coming = int(elapsed * self._info.fps), self._index
        if due < coming:  # asked before the camera's next picture: wait for it
            time.sleep(max(0.0, coming / self._info.fps - elapsed))
            due = coming
        rgb = self._next()
        while rgb is not None and self._index - 1 < due:  # behind: skip what is already past
            rgb = self._next()
        self.frames_read += rgb is not None
        return rgb

    def close(self) -> None:
        self._frames.close()


def open_camera(index: int = 0) -> FrameSource:
    """Webcam ``index`` (the default :data:`CameraOpener`); raises :class:`WebcamError`."""
    return WebcamSource(index)


class LivePose:
    """The dancer in each picture of a live source, followed as in a video file
    (:class:`~inference.pose.follow.PersonFollower`: with several people in view, the most
    central, largest one). Use from one thread; :meth:`close` frees the models."""

    def __init__(self, width: int, height: int) -> None:
        self._model = PoseLandmarkerModel(1)
        self._follower = PersonFollower(width, height, self._model)

    @property
    def most_people(self) -> int:
        """The most people seen in one picture so far."""
        return self._follower.most_people

    def find(self, rgb: RGBImage, time_s: float) -> NDArray[np.float64] | None:
        """(33, 3) image landmarks (x, y pixels, visibility) of the dancer, or ``None``."""
        person = self._follower.find(rgb, time_s)
        return None if person is None else person.image

    def close(self) -> None:
        self._follower.close()
        self._model.close()


__all__ = [
    "CameraOpener",
    "FrameSource",
    "LivePose",
    "VideoAsCamera",
    "WebcamError",
    "WebcamSource",
    "open_camera",
]
