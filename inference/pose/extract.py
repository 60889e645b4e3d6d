"""Pose extraction as a job: frames in, one person's keypoint track out, with notes.

The job streams frames (memory stays at one picture plus the landmarks), yields progress every
few frames so the worker can cancel it between steps, follows one person
(:mod:`inference.pose.people`), bridges gaps under 0.3 s and leaves longer ones empty, and damps
jitter with a One Euro filter (:mod:`inference.pose.smoothing`).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from inference.errors import UserFacingError
from inference.jobs import Job, Progress
from inference.pose.follow import PersonFollower
from inference.pose.landmarker import PoseLandmarkerModel
from inference.pose.layouts import LOWER_BODY, MEDIAPIPE33
from inference.pose.smoothing import (
    BETA,
    MAX_GAP_S,
    MIN_CUTOFF_HZ,
    fill_gaps,
    jitter,
    one_euro,
)
from inference.pose.track import KeypointTrack, runs
from inference.pose.video_io import (
    VideoFrame,
    VideoInfo,
    iter_frames,
    iter_webcam_frames,
    open_webcam,
    probe_video,
)

Array = NDArray[np.float64]

DARK_BRIGHTNESS = 40.0
"""Mean brightness (0..255) under which a picture counts as very dark."""
MIN_DETECTED_FRAMES = 2
VISIBLE = 0.5
"""A landmark with at least this visibility, inside the picture, counts as seen."""
FULL_BODY_SHARE = 0.5
"""A motion needs the legs seen in at least this share of the frames with a person."""
PROGRESS_EVERY = 5
"""Frames between two progress reports (each one is a chance to cancel)."""


class NoPersonError(UserFacingError):
    """Nobody was found in the video."""


class DarkVideoError(NoPersonError):
    """Nobody was found, and the video is too dark to see anyone."""


@dataclass(frozen=True)
class PoseOptions:
    """How to extract.

    Attributes
    ----------
    num_poses
        People the tracking landmarker looks for per frame. Keep 1: whom to follow is chosen
        by :mod:`inference.pose.follow`; more makes MediaPipe detect afresh in every frame
        (slower and less accurate).
    stride
        Analyse every ``stride``-th frame and interpolate the others (faster; the benchmark
        prints the accuracy this costs).
    smooth
        Apply the One Euro filter.
    max_gap_s
        Bridge gaps shorter than this.
    """

    num_poses: int = 1
    stride: int = 1
    smooth: bool = True
    max_gap_s: float = MAX_GAP_S


@dataclass(frozen=True, eq=False)
class Extraction:
    """The keypoint track and what happened while making it.

    Attributes
    ----------
    track
        The followed person's keypoints.
    notes
        Sentences for the user (several people, gaps, darkness, a truncated file...).
    frames_read
        Frames decoded from the source.
    frames_detected
        Analysed frames in which the person was found.
    lower_body_share
        Share of those frames in which the legs were seen in the picture.
    mean_brightness
        Mean picture brightness, 0..255.
    jitter_raw, jitter_filtered
        Mean frame-to-frame landmark acceleration, pixels per frame², before and after the
        One Euro filter (equal when smoothing is off).
    """

    track: KeypointTrack
    notes: tuple[str, ...]
    frames_read: int
    frames_detected: int
    lower_body_share: float
    mean_brightness: float
    jitter_raw: float
    jitter_filtered: float
    info: VideoInfo | None = field(default=None)


def _full_body(image: Array, width: int, height: int) -> bool:
    pts = image[list(LOWER_BODY)]
    inside = (pts[:, 0] >= 0) & (pts[:, 0] < width) & (pts[:, 1] >= 0) & (pts[:, 1] < height)
    return bool(np.mean(inside & (pts[:, 2] >= VISIBLE)) >= 0.75)


def lower_body_share(track: KeypointTrack) -> float:
    """Share of the frames with a person in which the legs are seen inside the picture."""
    frames = np.flatnonzero(track.present)
    if not frames.size:
        return 0.0
    seen = [_full_body(track.keypoints[i], track.width, track.height) for i in frames]
    return float(np.mean(seen))


def _span(a: float, b: float) -> str:
    return f"{a:.1f}–{b:.1f} s"


@dataclass
class _Raw:
    """What the detection pass collected, frame by frame."""

    image: list[Array] = field(default_factory=list)
    world: list[Array] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    brightness: list[float] = field(default_factory=list)
    detected: int = 0
    full_body: int = 0
    most_people: int = 0
    last_analysed: int = 0
    reacquired_at: list[float] = field(default_factory=list)


def _detect(
    frames: Generator[VideoFrame, None, None],
    fps: float,
    width: int,
    height: int,
    expected_frames: int,
    name: str,
    num_poses: int,
) -> Job[_Raw]:
    """Run the landmarker over the frames, following one person; rows stay aligned to frames."""
    raw = _Raw()
    missing = np.full((33, 3), np.nan)
    total = max(expected_frames, 1)
    with PoseLandmarkerModel(num_poses) as model:
        follower = PersonFollower(width, height, model)
        try:
            for frame in frames:
                raw.times.append(frame.time)
                if frame.rgb is None:  # skipped by the stride
                    raw.image.append(missing)
                    raw.world.append(missing)
                    continue
                raw.last_analysed = frame.index
                raw.brightness.append(float(frame.rgb[::8, ::8].mean()))
                person = follower.find(frame.rgb, frame.time)
                if person is None:
                    raw.image.append(missing)
                    raw.world.append(missing)
                else:
                    raw.detected += 1
                    raw.full_body += _full_body(person.image, width, height)
                    raw.image.append(person.image)
                    raw.world.append(person.world)
                if frame.index % PROGRESS_EVERY == 0:
                    done = min(99, int(100 * (frame.index + 1) / total)) if expected_frames else 50
                    yield Progress(done, f"Pose {frame.time:.1f} s of {name}")
        finally:
            follower.close()
    raw.most_people = follower.most_people
    raw.reacquired_at = follower.people.reacquired_at
    return raw


def _notes(raw: _Raw, track: KeypointTrack, options: PoseOptions, jitters: Array) -> list[str]:
    fps = track.fps
    notes: list[str] = []
    if raw.most_people > 1:
        notes.append(
            f"{raw.most_people} people in view: followed the most central, largest person "
            "throughout"
        )
    notes.extend(
        f"lost the person and followed the most central one again from {at:.1f} s"
        for at in raw.reacquired_at
    )
    gaps = runs(~track.present)
    if gaps:
        spans = ", ".join(_span(a / fps, b / fps) for a, b in gaps[:5])
        more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
        notes.append(f"no person at {spans}{more}: left empty, not invented")
    if options.stride > 1:
        notes.append(f"analysed every {options.stride}th frame; the others are interpolated")
    if options.smooth and jitters[0] > 0:
        notes.append(
            f"jitter filtered (One Euro, min cut-off {MIN_CUTOFF_HZ:g} Hz, beta {BETA:g}): "
            f"frame-to-frame acceleration {jitters[0]:.2f} -> {jitters[1]:.2f} px/frame² "
            f"({1 - jitters[1] / jitters[0]:.0%} less)"
        )
    light = float(np.mean(raw.brightness))
    if light < DARK_BRIGHTNESS:
        notes.append(
            f"the video is very dark (brightness {light:.0f} of 255): landmarks may be unreliable"
        )
    lower = raw.full_body / raw.detected
    if lower < FULL_BODY_SHARE:
        notes.append(
            f"the legs are out of the picture or hidden in {1 - lower:.0%} of the frames with "
            "a person: the keypoints cover the upper body only"
        )
    return notes


def _extract(
    frames: Generator[VideoFrame, None, None],
    fps: float,
    width: int,
    height: int,
    expected_frames: int,
    name: str,
    options: PoseOptions,
) -> Job[Extraction]:
    """The shared core of file and webcam extraction."""
    if options.stride < 1 or options.stride / fps >= options.max_gap_s:
        raise UserFacingError(
            f"{name}: a stride of {options.stride} at {fps:g} fps skips {options.stride / fps:.2f}"
            f" s, too long to interpolate (under {options.max_gap_s} s needed)"
        )
    yield Progress(0, f"Finding the dancer in {name}")
    raw = yield from _detect(frames, fps, width, height, expected_frames, name, options.num_poses)
    read = len(raw.times)
    light = float(np.mean(raw.brightness)) if raw.brightness else 0.0
    if raw.detected < MIN_DETECTED_FRAMES:
        if light < DARK_BRIGHTNESS:
            raise DarkVideoError(
                f"{name}: the video is too dark to see anyone (mean brightness "
                f"{light:.0f} of 255; at least {DARK_BRIGHTNESS:.0f} is needed)"
            )
        raise NoPersonError(f"{name}: no person found in {read} frames ({read / fps:.1f} s)")
    yield Progress(99, "Cleaning up the landmarks")
    image, world, t = np.array(raw.image), np.array(raw.world), np.array(raw.times)
    raw_jitter = jitter(image[..., :2])
    if options.smooth:
        scale = float(height)
        image[..., :2] = one_euro(image[..., :2] / scale, t, reset_after=options.max_gap_s) * scale
        world = one_euro(world, t, reset_after=options.max_gap_s)
    filtered_jitter = jitter(image[..., :2])  # before bridging: filled frames have no shake
    both, bridged = fill_gaps(np.concatenate([image, world], axis=-1), fps, options.max_gap_s)
    # Frames the stride skipped after the last analysed one keep its pose (at most stride - 1).
    both[raw.last_analysed + 1 :] = both[raw.last_analysed]
    bridged[raw.last_analysed + 1 :] = np.isfinite(both[raw.last_analysed, 0, 0])
    track = KeypointTrack(fps, width, height, MEDIAPIPE33, both[..., :3], both[..., 3:], bridged)
    notes = _notes(raw, track, options, np.array([raw_jitter, filtered_jitter]))
    if expected_frames and read < 0.95 * expected_frames - 2:
        notes.append(
            f"the video stops at {read / fps:.1f} s although its header says "
            f"{expected_frames / fps:.1f} s: the file may be truncated; the decoded part is used"
        )
    yield Progress(100, f"Pose found in {raw.detected} frames of {name}")
    return Extraction(
        track,
        tuple(notes),
        read,
        raw.detected,
        raw.full_body / raw.detected,
        light,
        raw_jitter,
        filtered_jitter,
    )


def extract_pose_job(
    source: str | Path | VideoInfo, options: PoseOptions | None = None
) -> Job[Extraction]:
    """Extract one person's pose from a video file, as a job.

    Raises
    ------
    BadFileError
        Not a video, corrupt, or no picture decodes.
    NoPersonError, DarkVideoError
        Nobody found (the second when the picture is too dark to see anyone).
    """
    info = source if isinstance(source, VideoInfo) else probe_video(source)
    options = options or PoseOptions()
    frames = iter_frames(info, options.stride)
    try:
        result = yield from _extract(
            frames, info.fps, info.width, info.height, info.n_frames, info.path.name, options
        )
    finally:
        frames.close()
    return replace(result, info=info)


def webcam_pose_job(
    index: int = 0, seconds: float = 10.0, options: PoseOptions | None = None
) -> Job[Extraction]:
    """Record ``seconds`` of webcam ``index`` and extract the pose, as a job.

    Raises
    ------
    WebcamError
        No webcam, or a busy one.
    """
    cap, cam = open_webcam(index)
    frames = iter_webcam_frames(cap, seconds)
    try:
        expected = int(seconds * cam.fps)
        result = yield from _extract(
            frames,
            cam.fps,
            cam.width,
            cam.height,
            expected,
            f"webcam {index}",
            options or PoseOptions(),
        )
    finally:
        frames.close()
    return result
