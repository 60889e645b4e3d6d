"""Single frames of a video on demand, for showing it beside the timeline: seek, decode, cache.

Playback asks for the next frame most of the time, scrubbing for any frame. The reader keeps
one OpenCV capture open and knows which frame it decodes next: a frame a little ahead is
reached by decoding forward (cheap, no colour conversion for the frames skipped), anything
else by a seek (OpenCV seeks to the keyframe before and decodes up to the frame, so it is
exact). The last frames shown stay in a small cache bounded in bytes, so stepping back and
forth over a few frames decodes nothing, and memory stays at a few frames however long the
video is. Frames are shrunk so their long side is at most ``max_side`` pixels before they are
cached: a panel never shows more, and a 4K phone video then costs what a 960-pixel one does.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError

RGBImage = NDArray[np.uint8]

DECODE_AHEAD = 30
"""A frame at most this many frames ahead is reached by decoding forward instead of seeking."""
MAX_SIDE = 960
CACHE_BYTES = 48 * 1024 * 1024


class VideoFrameReader:
    """Frames of one video file by index, upright and in RGB (the keypoints' picture).

    Parameters
    ----------
    path
        The video file.
    max_side
        Frames are scaled down (never up) so their long side is at most this; :attr:`scale` is
        the factor from the video's pixels to the frames'.
    cache_bytes
        Memory the cached frames may take.

    Raises
    ------
    BadFileError
        The file is missing or OpenCV cannot decode it.
    """

    def __init__(
        self, path: str | Path, max_side: int = MAX_SIDE, cache_bytes: int = CACHE_BYTES
    ) -> None:
        import cv2

        self.path = Path(path)
        if not self.path.is_file():
            raise BadFileError(self.path, "the video file is not there (moved or deleted?)")
        self._cap: Any = cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            self._cap.release()
            raise BadFileError(self.path, "OpenCV cannot open this video to show its frames")
        self.n_frames = int(max(0.0, self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0))
        self._next = 0
        ok, first = self._cap.read()
        if not ok or first is None:
            self._cap.release()
            raise BadFileError(self.path, "no frame of this video can be decoded")
        self._next = 1
        height, width = first.shape[:2]
        self.scale = min(1.0, max_side / max(width, height))
        self._cache: OrderedDict[int, RGBImage] = OrderedDict()
        self._cache_bytes = cache_bytes
        self.decoded = 1
        """Frames decoded so far (for tests and the benchmark: a cache hit decodes none)."""
        self.seeks = 0
        self._keep(0, self._convert(first))

    def close(self) -> None:
        """Release the decoder (the reader answers nothing after this)."""
        self._cap.release()
        self._cache.clear()

    def __enter__(self) -> VideoFrameReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def frame(self, index: int) -> RGBImage | None:
        """Frame ``index`` (read-only), or ``None`` past the frames that decode."""
        if index < 0:
            return None
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        if not self._decoder_at(index):
            return None
        ok, bgr = self._cap.read()
        self.decoded += 1
        if not ok or bgr is None:
            self._next = -1  # unknown: the next request seeks
            return None
        self._next = index + 1
        return self._keep(index, self._convert(bgr))

    def _decoder_at(self, index: int) -> bool:
        """Make the capture's next frame ``index``: decode forward when close, else seek."""
        import cv2

        if 0 <= self._next <= index <= self._next + DECODE_AHEAD:
            while self._next < index:
                if not self._cap.grab():
                    self._next = -1
                    return False
                self.decoded += 1
                self._next += 1
            return True
        self.seeks += 1
        self._next = index
        return bool(self._cap.set(cv2.CAP_PROP_POS_FRAMES, float(index)))

    def _convert(self, bgr: Any) -> RGBImage:
        import cv2

        if self.scale < 1.0:
            size = (round(bgr.shape[1] * self.scale), round(bgr.shape[0] * self.scale))
            bgr = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
        rgb = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)
        rgb.setflags(write=False)
        return rgb

    def _keep(self, index: int, rgb: RGBImage) -> RGBImage:
        self._cache[index] = rgb
        used = sum(f.nbytes for f in self._cache.values())
        while used > self._cache_bytes and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            used -= dropped.nbytes
        return rgb
