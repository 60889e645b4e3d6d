"""Whom to follow: the most central, largest person, then the same person throughout."""

from __future__ import annotations

import numpy as np
import pytest

import inference.pose.follow as follow
from inference.pose.landmarker import PoseCandidate
from inference.pose.people import PersonTracker, iou, prominence


def person(x0: float, y0: float, x1: float, y1: float) -> PoseCandidate:
    xs = np.linspace(x0, x1, 33)
    ys = np.linspace(y0, y1, 33)
    return PoseCandidate(np.stack([xs, ys, np.ones(33)], -1), np.zeros((33, 3)))


def test_iou_and_prominence() -> None:
    a = np.array([0.0, 0.0, 10.0, 10.0])
    assert iou(a, a) == 1.0 and iou(a, a + 20) == 0.0
    assert iou(a, np.array([5.0, 0.0, 15.0, 10.0])) == 1 / 3
    centre = prominence(np.array([270.0, 100.0, 370.0, 400.0]), 640, 480)
    edge = prominence(np.array([0.0, 100.0, 100.0, 400.0]), 640, 480)
    assert centre > edge > 0


def test_follows_the_central_person_and_keeps_them() -> None:
    tracker = PersonTracker(640, 480)
    side, middle = person(20, 150, 120, 450), person(270, 100, 370, 420)
    assert tracker.choose([side, middle], 0.0) is middle
    # The other person comes forward (larger, more central) while ours steps right.
    for k in range(1, 20):
        ours = person(270 + 5 * k, 100, 370 + 5 * k, 420)
        intruder = person(220, 40, 400, 470)
        picked = tracker.choose([intruder, ours], k / 30)
        assert picked is ours
    assert tracker.frames_with_several == 20


def test_someone_else_is_not_taken_for_the_lost_person() -> None:
    tracker = PersonTracker(640, 480, reacquire_s=2.0)
    tracker.choose([person(270, 100, 370, 420)], 0.0)
    assert tracker.choose([person(500, 100, 600, 420)], 0.5) is None  # far away: not ours
    fresh = person(500, 100, 600, 420)
    assert tracker.choose([fresh], 3.0) is fresh  # lost for over 2 s: choose again
    assert tracker.reacquired_at == [3.0]


class BlobModel:
    """Stands in for MediaPipe: every white blob of the picture is a person. Like MediaPipe's
    single-pose tracker, with ``num_poses=1`` it reports only one: here the left-most."""

    def __init__(self, num_poses: int = 1, video: bool = True) -> None:
        self.num_poses = num_poses

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseCandidate]:
        import cv2

        count, _, stats, _ = cv2.connectedComponentsWithStats((rgb[..., 0] > 128).astype(np.uint8))
        boxes = sorted((s[0], s[1], s[0] + s[2], s[1] + s[3]) for s in stats[1:count])
        return [person(*map(float, b)) for b in boxes][: self.num_poses]

    def close(self) -> None: ...


def test_the_follower_hands_the_tracker_only_the_chosen_person(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(follow, "PoseLandmarkerModel", BlobModel)
    follower = follow.PersonFollower(640, 480, BlobModel())  # type: ignore[arg-type]
    centres = []
    for k in range(10):
        frame = np.zeros((480, 640, 3), np.uint8)
        frame[200:300, 10:50] = 255  # a small person at the left edge, found first
        frame[100 + k : 420 + k, 280 + 4 * k : 380 + 4 * k] = 255  # the dancer, moving
        found = follower.find(frame, k / 30)
        assert found is not None
        centres.append(float((found.box[0] + found.box[2]) / 2))
    assert follower.most_people == 2
    assert min(centres) > 250  # never the person at the edge, although the tracker prefers them
    follower.close()
