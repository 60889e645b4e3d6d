"""Pose from video, with no Qt: landmarks, keypoint-track files, motion, sync, datasets.

* :func:`video_pose_job`: one video in, a :class:`VideoPoseResult` out (keypoint track, motion,
  soundtrack offset, notes); what the studio's Import Video runs on its worker.
* :func:`extract_pose_job` and :func:`webcam_pose_job`: only the keypoint track.
* :func:`read_track` / :func:`write_track`: the keypoint-track JSON (mediapipe33 or coco17).
* :func:`motion_from_track`: a track's canonical motion.
* :func:`align_to_song`: where a video's soundtrack sits in a song.
* :mod:`inference.pose.dataset`: a folder of videos in, a dance dataset out.

MediaPipe and OpenCV are imported inside the functions that use them, so importing this package
costs nothing at start-up.
"""

from __future__ import annotations

from inference.pose.extract import (
    DarkVideoError,
    Extraction,
    NoPersonError,
    PoseOptions,
    extract_pose_job,
    webcam_pose_job,
)
from inference.pose.sync import SyncResult, align_to_song
from inference.pose.to_motion import PartlyInFrameError, VideoMotion, motion_from_track
from inference.pose.track import KeypointTrack, read_track, write_track
from inference.pose.video_io import VIDEO_SUFFIXES, VideoInfo, WebcamError, probe_video
from inference.pose.video_pose import VideoPoseResult, video_pose_job

__all__ = [
    "VIDEO_SUFFIXES",
    "DarkVideoError",
    "Extraction",
    "KeypointTrack",
    "NoPersonError",
    "PartlyInFrameError",
    "PoseOptions",
    "SyncResult",
    "VideoInfo",
    "VideoMotion",
    "VideoPoseResult",
    "WebcamError",
    "align_to_song",
    "extract_pose_job",
    "motion_from_track",
    "probe_video",
    "read_track",
    "video_pose_job",
    "webcam_pose_job",
    "write_track",
]
