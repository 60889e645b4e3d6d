"""Whom to follow when several people are in the picture.

The first person chosen is the most central and largest one (the dancer a camera is pointed
at, not a passer-by at the edge). After that the same person is followed from frame to frame by
the overlap (IoU) of their landmark boxes, or, when boxes barely overlap (fast moves, a frame
skipped), by how near their centres stay, so someone walking past never takes over. A person
lost for longer than ``reacquire_s`` is chosen afresh by the first rule.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from inference.pose.landmarker import PoseCandidate

Array = NDArray[np.float64]

MIN_IOU = 0.2
"""Boxes overlapping at least this much are the same person."""
MAX_CENTRE_JUMP = 0.5
"""Failing that, a centre within this share of the last box's diagonal is the same person."""


def iou(a: Array, b: Array) -> float:
    """Intersection over union of two (x0, y0, x1, y1) boxes."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def prominence(box: Array, width: int, height: int) -> float:
    """How much a box looks like the subject: larger and nearer the centre scores higher."""
    area = max(0.0, (box[2] - box[0]) * (box[3] - box[1])) / float(width * height)
    centre = np.array([(box[0] + box[2]) / 2 / width - 0.5, (box[1] + box[3]) / 2 / height - 0.5])
    off_centre = float(np.linalg.norm(centre)) / np.sqrt(0.5)  # 0 at the centre, 1 in a corner
    return float(np.sqrt(area) * (1.0 - off_centre))


class PersonTracker:
    """Pick, frame after frame, the candidate that is the person being followed.

    Parameters
    ----------
    width, height
        Picture size in pixels.
    reacquire_s
        After this long without the person, choose the most prominent person again.
    """

    def __init__(self, width: int, height: int, reacquire_s: float = 2.0) -> None:
        self.width, self.height = width, height
        self.reacquire_s = reacquire_s
        self._box: Array | None = None
        self._last_seen = -np.inf
        self.frames_with_several = 0
        """Frames in which more than one person was found."""
        self.reacquired_at: list[float] = []
        """Times (s) at which a lost person was replaced by a fresh choice."""

    def choose(self, candidates: Sequence[PoseCandidate], time_s: float) -> PoseCandidate | None:
        """The followed person among ``candidates`` at ``time_s``, or ``None`` if not there."""
        if len(candidates) > 1:
            self.frames_with_several += 1
        if not candidates:
            return None
        boxes = [c.box for c in candidates]
        pick: int | None = None
        if self._box is not None and time_s - self._last_seen <= self.reacquire_s:
            overlaps = [iou(self._box, b) for b in boxes]
            best = int(np.argmax(overlaps))
            if overlaps[best] >= MIN_IOU:
                pick = best
            else:
                diag = float(np.hypot(*(self._box[2:] - self._box[:2])))
                centre = (self._box[:2] + self._box[2:]) / 2
                dist = [float(np.linalg.norm((b[:2] + b[2:]) / 2 - centre)) for b in boxes]
                near = int(np.argmin(dist))
                if dist[near] <= MAX_CENTRE_JUMP * diag:
                    pick = near
            if pick is None:
                return None
        else:
            if self._box is not None:
                self.reacquired_at.append(time_s)
            pick = int(np.argmax([prominence(b, self.width, self.height) for b in boxes]))
        self._box = boxes[pick]
        self._last_seen = time_s
        return candidates[pick]
