"""How fast the video panel gets its frames: playback, scrubbing, and a seek for every frame.

Run: ``python tests/benchmarks/bench_video_panel.py``. For the dancer video (600x600, 20 fps)
and a 1280x720 30 fps copy made with ffmpeg, it times :class:`VideoFrameReader` in the same
run three ways:

* ``playback``: every frame in order (what playing does): ms per frame, and as a multiple of
  real time (video seconds per wall-clock second; the panel keeps up while it is >= 1);
* ``scrub``: 200 random frames (a drag of the playhead) with the reader's forward decoding and
  cache, against ``seek each``: the same frames with a seek before every one (no cache), the
  naive way; the ratio is ours / seek each.

It asserts nothing about time.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inference.pose.frame_reader import VideoFrameReader  # noqa: E402

DANCER = ROOT.parent / "shared" / "data" / "video" / "mediapipe_pose_segmentation_dancer.mp4"


def seek_each(path: Path, frames: list[int]) -> float:
    import cv2

    cap = cv2.VideoCapture(str(path))
    start = time.perf_counter()
    for index in frames:
        cap.set(cv2.CAP_PROP_POS_FRAMES, float(index))
        ok, bgr = cap.read()
        assert ok
        cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    cap.release()
    return time.perf_counter() - start


def timed(path: Path, frames: list[int]) -> float:
    with VideoFrameReader(path) as reader:
        start = time.perf_counter()
        for index in frames:
            assert reader.frame(index) is not None
        return time.perf_counter() - start


def main() -> None:
    import cv2

    with tempfile.TemporaryDirectory() as folder:
        hd = Path(folder) / "dancer_720p30.mp4"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-stream_loop", "2", "-i", str(DANCER), "-vf",
             "scale=720:720,pad=1280:720:280:0,fps=30", "-c:v", "libx264", str(hd)],
            check=True,
        )  # fmt: skip
        print(f"{'video':<22} {'playback ms':>11} {'x real time':>11} "
              f"{'scrub ms':>9} {'seek each ms':>12} {'ratio':>6}")  # fmt: skip
        for path in (DANCER, hd):
            cap = cv2.VideoCapture(str(path))
            n, fps = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)), cap.get(cv2.CAP_PROP_FPS)
            cap.release()
            play = timed(path, list(range(n))) / n
            rng = np.random.default_rng(0)
            # A drag: the playhead wanders, mostly in small steps, sometimes a jump.
            steps = rng.choice(
                [1, 2, 3, -1, -2, 25, -40], size=200, p=[0.3, 0.2, 0.1, 0.15, 0.1, 0.1, 0.05]
            )
            scrub = list(np.clip(np.cumsum(steps) + n // 2, 0, n - 1).astype(int))
            ours = timed(path, scrub) / len(scrub)
            naive = seek_each(path, scrub) / len(scrub)
            print(
                f"{path.name:<22} {1000 * play:>11.2f} {1 / (play * fps):>11.1f} "
                f"{1000 * ours:>9.2f} {1000 * naive:>12.2f} {ours / naive:>6.2f}"
            )


if __name__ == "__main__":
    main()
