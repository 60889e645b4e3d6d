"""MP4 export: render dancers offscreen frame by frame and stream them into ffmpeg.

A plain job generator (see :mod:`inference.jobs`): it yields progress between frames and is
cancelled by closing it, which stops ffmpeg and removes the partial file. Frame ``i`` shows
song time ``i / 30`` s exactly (computed from the index, never accumulated).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtGui import QGuiApplication, QOffscreenSurface

from app.model import Project
from inference.errors import UserFacingError
from inference.jobs import Job, Progress
from inference.motion import Motion
from inference.motion.mp4_writer import VIDEO_FPS, Mp4Writer, find_tool
from viewport.camera import CameraPreset, OrbitCamera
from viewport.offscreen import OffscreenRenderer, gl_context_error
from viewport.scene import PALETTE, DancerPose, PoseCache, motion_joints, parse_color, poses_at

PoseSource = Callable[[float], Sequence[DancerPose]]
"""Song time in seconds to the dancers to draw then."""


@dataclass(frozen=True)
class VideoRequest:
    """What to export: the file, its length and size, the song, and the camera.

    ``camera`` ``None`` frames every pose of the export from the front.
    """

    output: Path
    n_frames: int
    width: int = 1280
    height: int = 720
    audio: Path | None = None
    camera: OrbitCamera | None = None


def ensure_gl_application() -> QGuiApplication:
    """A QGuiApplication that can make GL contexts, created if there is none.

    Raises a :class:`UserFacingError` instead of letting Qt abort the process when there is
    no display to connect to.
    """
    app = QGuiApplication.instance()
    if app is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([])
    reason = gl_context_error()
    if reason is not None:
        raise UserFacingError(
            f"MP4 export needs OpenGL 3.3, but {reason}: run it on a desktop, or headless "
            "under `xvfb-run -a eightcount convert ...`"
        )
    assert isinstance(app, QGuiApplication)
    return app


def framing_camera(source: PoseSource, n_frames: int, aspect: float) -> OrbitCamera:
    """A front camera that keeps every dancer of the whole export in view."""
    step = max(n_frames // 120, 1)  # sampling the poses is enough to find the extent
    points = [
        np.r_[pose.positions, pose.end_sites, pose.positions * [1, 0, 1]]
        for i in range(0, n_frames, step)
        for pose in source(i / VIDEO_FPS)
    ]
    camera = OrbitCamera().with_preset(CameraPreset.FRONT)
    return camera.framing(np.concatenate(points), aspect, margin=1.05) if points else camera


def export_video(
    source: PoseSource, request: VideoRequest, surface: QOffscreenSurface | None = None
) -> Job[Path]:
    """Render ``request.n_frames`` frames of ``source`` into an MP4 (with the song if given).

    Yields :class:`~inference.jobs.Progress` after each frame; returns the output path.
    Needs a QGuiApplication that can make GL contexts (see :func:`ensure_gl_application`).
    To run it on a worker thread, pass a ``surface`` made on the GUI thread by
    :func:`~viewport.offscreen.offscreen_surface`, and a ``source`` that reads nothing the
    GUI thread may change meanwhile.
    """
    find_tool("ffmpeg")  # fail before any rendering when ffmpeg is missing
    aspect = request.width / request.height
    camera = request.camera or framing_camera(source, request.n_frames, aspect)
    with (
        closing(OffscreenRenderer(request.width, request.height, surface=surface)) as renderer,
        Mp4Writer(
            request.output, request.width, request.height, request.n_frames, audio=request.audio
        ) as writer,
    ):
        last = -1
        for i in range(request.n_frames):
            writer.write(renderer.render(source(i / VIDEO_FPS), camera))
            percent = (100 * (i + 1)) // request.n_frames
            if percent != last:
                last = percent
                yield Progress(percent, f"rendering frame {i + 1} of {request.n_frames}")
    return request.output


def motion_source(motion: Motion, color: str = PALETTE[0]) -> tuple[PoseSource, int]:
    """Poses of one motion for export, and its length in 30 fps video frames."""
    positions, ends = motion_joints(motion)
    rgb = parse_color(color)

    def at(seconds: float) -> list[DancerPose]:
        frame = min(math.floor(seconds * motion.fps + 1e-6), motion.n_frames - 1)
        return [DancerPose(positions[frame], ends[frame], rgb)]

    return at, max(math.ceil(motion.duration * VIDEO_FPS - 1e-6), 1)


def project_source(project: Project) -> tuple[PoseSource, int]:
    """Poses of every dancer track for export, and the routine's length in video frames."""
    cache = PoseCache()
    end = max((c.end for t in project.dancer_tracks() for c in t.clips), default=0.0)
    return (lambda seconds: poses_at(project, seconds, cache)), max(
        math.ceil(end * VIDEO_FPS - 1e-6), 1
    )
