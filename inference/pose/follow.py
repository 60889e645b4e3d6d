"""Follow one person through a video with MediaPipe's single-person tracking.

MediaPipe's VIDEO mode tracks one person well (the detector runs only when the person is lost)
but picks whom to track by detector score, not by where people are. So the first picture with
someone in it is also scanned for everyone (IMAGE mode, up to :data:`SCAN_POSES` people). With
one person in view nothing changes: whole pictures go to the tracker. With several, the most
central, largest one is chosen (:func:`inference.pose.people.prominence`) and the tracker is
given only a window around that person, which moves with them, so nobody else can take over.
A person lost for :data:`RESCAN_S` in window mode is looked for again in the whole picture,
nearest to where they were.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from inference.pose.landmarker import PoseCandidate, PoseLandmarkerModel
from inference.pose.people import PersonTracker

Array = NDArray[np.float64]

SCAN_POSES = 4
WINDOW_MARGIN = 1.5
"""Window side as a multiple of the person's larger landmark extent."""
WINDOW_PIXELS = 512
"""The window is resampled to this square before it goes to the landmarker."""
RESCAN_S = 0.5


class PersonFollower:
    """Find the followed person in each frame.

    Parameters
    ----------
    width, height
        Picture size.
    tracker_model
        A VIDEO-mode, single-pose landmarker (the caller owns and closes it).
    """

    def __init__(self, width: int, height: int, tracker_model: PoseLandmarkerModel) -> None:
        self.width, self.height = width, height
        self._model = tracker_model
        self._scanner: PoseLandmarkerModel | None = None
        self.people = PersonTracker(width, height)
        self.most_people = 0
        """The most people seen in one scanned picture."""
        self._window: Array | None = None  # centre x, centre y, side (pixels)
        self._last_found = -np.inf
        self._last_scan = -np.inf
        self._scanned = False

    def close(self) -> None:
        """Free the scanner (the tracker model belongs to the caller)."""
        if self._scanner is not None:
            self._scanner.close()

    def _scan(self, rgb: NDArray[np.uint8], time_s: float) -> PoseCandidate | None:
        if self._scanner is None:
            self._scanner = PoseLandmarkerModel(SCAN_POSES, video=False)
        self._last_scan = time_s
        found = self._scanner.detect(rgb, time_s)
        self.most_people = max(self.most_people, len(found))
        return self.people.choose(found, time_s)

    def _set_window(self, box: Array) -> None:
        centre = (box[:2] + box[2:]) / 2
        side = WINDOW_MARGIN * float(max(box[2] - box[0], box[3] - box[1], 32.0))
        new = np.array([centre[0], centre[1], side])
        self._window = new if self._window is None else 0.5 * (self._window + new)

    def _in_window(self, rgb: NDArray[np.uint8], time_s: float) -> list[PoseCandidate]:
        import cv2

        assert self._window is not None
        cx, cy, side = self._window
        scale = WINDOW_PIXELS / side
        x0, y0 = cx - side / 2, cy - side / 2
        warp = np.array([[scale, 0.0, -x0 * scale], [0.0, scale, -y0 * scale]])
        crop = cv2.warpAffine(rgb, warp, (WINDOW_PIXELS, WINDOW_PIXELS), flags=cv2.INTER_AREA)
        out = []
        for c in self._model.detect(np.asarray(crop, dtype=np.uint8), time_s):
            image = c.image.copy()
            image[:, :2] = image[:, :2] / scale + [x0, y0]
            out.append(PoseCandidate(image, c.world))
        return out

    def find(self, rgb: NDArray[np.uint8], time_s: float) -> PoseCandidate | None:
        """The followed person in this frame, or ``None`` when they are not found."""
        if self._window is None:
            found = self._model.detect(rgb, time_s)
            if found and not self._scanned:
                self._scanned = True
                chosen = self._scan(rgb, time_s)
                if self.most_people > 1 and chosen is not None:
                    self._set_window(chosen.box)  # from the next frame on, window mode
                    self._last_found = time_s
                    return chosen
            person = self.people.choose(found, time_s)
        else:
            person = self.people.choose(self._in_window(rgb, time_s), time_s)
            if person is None and time_s - max(self._last_found, self._last_scan) >= RESCAN_S:
                person = self._scan(rgb, time_s)
        if person is not None:
            self._last_found = time_s
            if self._window is not None:
                self._set_window(person.box)
        return person
