"""MediaPipe Tasks ``PoseLandmarker`` in VIDEO mode, offline, with the shipped model.

VIDEO mode tracks each person from frame to frame (the detector runs only when a person is
lost), so frames must come in order with increasing timestamps. The model bundle is
``resources/models/pose_landmarker_from_legacy.task`` (Apache-2.0, see ATTRIBUTION.md): the
BlazePose detector and the *full* landmark model.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError
from inference.paths import RESOURCES_DIR

Array = NDArray[np.float64]

POSE_MODEL = RESOURCES_DIR / "models" / "pose_landmarker_from_legacy.task"
"""The pose-landmarker bundle the studio ships."""


@dataclass(frozen=True, slots=True)
class PoseCandidate:
    """One person found in one frame.

    Attributes
    ----------
    image
        (33, 3): x, y in pixels, visibility in 0..1.
    world
        (33, 3) metres, MediaPipe's frame (origin between the hips, y down).
    """

    image: Array
    world: Array

    @property
    def box(self) -> Array:
        """(x0, y0, x1, y1) pixel bounds of the landmarks."""
        xy = self.image[:, :2]
        return np.asarray(np.r_[xy.min(axis=0), xy.max(axis=0)], dtype=np.float64)


class PoseLandmarkerModel:
    """The landmarker for one video; use as a context manager (it holds native resources).

    Parameters
    ----------
    num_poses
        How many people it looks for per frame. With more than one, MediaPipe runs its
        detector on every frame instead of tracking (slower, and measured less accurate: 7.2
        against 5.9 px on the squats reference), so extraction uses one and picks whom to
        follow itself (:mod:`inference.pose.follow`).
    video
        VIDEO mode (tracking between frames, timestamps must increase) or IMAGE mode (every
        frame on its own: used to count the people in one picture).
    model_path
        The ``.task`` bundle.
    """

    def __init__(
        self, num_poses: int = 1, video: bool = True, model_path: Path = POSE_MODEL
    ) -> None:
        if not model_path.is_file():
            raise BadFileError(model_path, "the pose model is missing from the installation")
        os.environ.setdefault("GLOG_minloglevel", "2")  # MediaPipe's C++ chatter on stderr
        from mediapipe.tasks.python import BaseOptions, vision

        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
            num_poses=num_poses,
        )
        self._landmarker: Any = vision.PoseLandmarker.create_from_options(options)
        self._video = video
        self._last_ms = -1

    def detect(self, rgb: NDArray[np.uint8], time_s: float) -> list[PoseCandidate]:
        """Every person found in one RGB frame shown at ``time_s`` seconds."""
        import mediapipe as mp

        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self._video:
            # Timestamps must increase strictly; rounded to ms they could tie at > 1000 fps.
            ms = max(round(time_s * 1000.0), self._last_ms + 1)
            self._last_ms = ms
            result = self._landmarker.detect_for_video(image, ms)
        else:
            result = self._landmarker.detect(image)
        h, w = rgb.shape[:2]
        out = []
        for marks, world in zip(result.pose_landmarks, result.pose_world_landmarks, strict=True):
            img = np.array([(p.x * w, p.y * h, p.visibility or 0.0) for p in marks])
            wld = np.array([(p.x, p.y, p.z) for p in world])
            out.append(PoseCandidate(img, wld))
        return out

    def close(self) -> None:
        """Free the native graph."""
        self._landmarker.close()

    def __enter__(self) -> PoseLandmarkerModel:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
