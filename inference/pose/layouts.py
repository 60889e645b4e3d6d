"""Keypoint layouts: MediaPipe's 33 BlazePose landmarks and the 17 COCO keypoints.

COCO-17 is what OpenPose (its COCO model), MMPose, MoveNet and AIST++ 2D keypoints use. Every
COCO point is also a BlazePose landmark, so a COCO track can be shown and compared in the
33-point layout, with the 16 points COCO lacks marked missing.
"""

from __future__ import annotations

MEDIAPIPE33 = "mediapipe33"
COCO17 = "coco17"

MEDIAPIPE33_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)

COCO17_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)

LAYOUT_POINTS = {MEDIAPIPE33: len(MEDIAPIPE33_NAMES), COCO17: len(COCO17_NAMES)}
"""Number of keypoints per frame in each layout."""

COCO17_IN_MEDIAPIPE33: tuple[int, ...] = tuple(MEDIAPIPE33_NAMES.index(n) for n in COCO17_NAMES)
"""For each COCO keypoint, the index of the same body point among the 33 landmarks."""

BONES_MEDIAPIPE33: tuple[tuple[int, int], ...] = (
    (11, 12), (11, 13), (13, 15), (12, 14), (14, 16), (11, 23), (12, 24), (23, 24),
    (23, 25), (25, 27), (27, 29), (29, 31), (27, 31), (24, 26), (26, 28), (28, 30), (30, 32),
    (28, 32), (15, 17), (15, 19), (17, 19), (16, 18), (16, 20), (18, 20), (0, 2), (0, 5),
    (2, 7), (5, 8), (9, 10),
)  # fmt: skip
"""Pairs of landmarks to draw as lines over the video (the MediaPipe pose connections)."""

LOWER_BODY = tuple(MEDIAPIPE33_NAMES.index(n) for n in (
    "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
))  # fmt: skip
"""Landmarks a motion needs below the hips; out of frame they make a partial-body video."""

CORE = tuple(MEDIAPIPE33_NAMES.index(n) for n in (
    "left_shoulder", "right_shoulder", "left_hip", "right_hip",
))  # fmt: skip
"""The torso landmarks a reliable pose always has."""
