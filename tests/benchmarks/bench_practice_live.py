"""Practice mode's live rate on the CPU: pictures a second through pose and the live score.

Run: ``python tests/benchmarks/bench_practice_live.py [--seconds S]``. The dancer video stands
in for the webcam (600x600, and a 640x480 copy made with ffmpeg, a webcam's usual size), fed
as fast as the loop takes pictures (:class:`~inference.pose.live.VideoAsCamera` without
real-time pacing), against a 3D routine as the reference (Perfume's aachan, filmed from the
front, parts of 4 s at 120 BPM), as practice mode runs it on its worker. It prints, measured in
this run:

* pose alone: pictures a second through :class:`~inference.pose.live.LivePose`;
* pose and live score: :meth:`PracticeSession.step` a second (every step re-scores the part's
  pass so far), and that rate over the issue's target of 15 a second;
* ms per live-score update over a pass growing through a part, remembering the rows already
  embedded (:class:`~inference.scoring.live.RememberingEmbedding`) against embedding every
  frame afresh (as before), and the ratio.

It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inference.audio.grid import BeatGrid, Part, derive_parts, grid_from_tap_tempo  # noqa: E402  # noqa: E402
from inference.motion import Motion, load_motion  # noqa: E402
from inference.pose.live import LivePose, VideoAsCamera  # noqa: E402
from inference.scoring import LiveScorer  # noqa: E402
from inference.scoring.body import track_from_motion  # noqa: E402
from inference.scoring.camera import front_view  # noqa: E402
from inference.scoring.embedding import EmbeddingWeights  # noqa: E402
from inference.scoring.practice import PracticeSession, SongClock  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DANCER = DATA / "video" / "mediapipe_pose_segmentation_dancer.mp4"
TARGET_FPS = 15.0


def pose_rate(video: Path, n: int) -> float:
    camera = VideoAsCamera(video, realtime=False, loop=True)
    pose = LivePose(camera.width, camera.height)
    pictures = [camera.read() for _ in range(n)]
    started = time.perf_counter()
    for i, rgb in enumerate(pictures):
        assert rgb is not None
        pose.find(rgb, i / 20.0)
    took = time.perf_counter() - started
    pose.close()
    camera.close()
    return n / took


def session_rate(
    video: Path, scorer: LiveScorer, grid: object, parts: object, n: int
) -> tuple[float, float]:
    camera = VideoAsCamera(video, realtime=False, loop=True)
    session = PracticeSession(camera, scorer, grid, parts)  # type: ignore[arg-type]
    step_s, scored = [], 0
    for i in range(n):
        frame = session.step(SongClock(i / 20.0, time.monotonic(), 1.0))
        step_s.append(frame.seconds)
        scored += frame.score is not None
    session.close()
    return 1.0 / float(np.mean(step_s)), scored / n


def update_costs(motion: Motion, grid: BeatGrid, parts: tuple[Part, ...]) -> str:
    """ms per live-score update over a pass growing from half a part to the whole part
    (Perfume's kashiyuka filmed from the front), remembering embedded rows and not."""
    take = front_view(track_from_motion(load_motion(DATA / "motion" / "perfume" / "kashiyuka.bvh")))
    remembering, plain = LiveScorer(motion, grid, parts), LiveScorer(motion, grid, parts)
    if not plain.uses_embedding:
        return "live score updates: joint angles only (no embedding to remember)"
    plain._network = EmbeddingWeights(plain._network.layers)  # type: ignore[union-attr]
    part = parts[6]
    first = int(part.start * take.fps)
    costs: dict[str, list[float]] = {"remembering": [], "afresh": []}
    for _ in range(3):
        for name, scorer in (("remembering", remembering), ("afresh", plain)):
            started = time.perf_counter()
            for k in range(60, 121):
                so_far = replace(take, points=take.points[first : first + k])
                scorer.score_part(so_far, part.index, part.start)
            costs[name].append(1000 * (time.perf_counter() - started) / 61)
    now, before = (float(np.median(costs[k])) for k in ("remembering", "afresh"))
    return (
        f"live score update (part {part.index}, growing pass): {now:.1f} ms remembering the "
        f"embedded rows, {before:.1f} ms embedding every frame afresh: {now / before:.2f}x"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0, help="song seconds per run")
    args = parser.parse_args()
    motion = load_motion(DATA / "motion" / "perfume" / "aachan.bvh")
    grid = grid_from_tap_tempo(120.0, 0.0, motion.n_frames / motion.fps)
    parts = derive_parts(grid)
    started = time.perf_counter()
    scorer = LiveScorer(motion, grid, parts)
    print(f"reference prepared in {time.perf_counter() - started:.2f} s "
          f"({'view embedding' if scorer.uses_embedding else 'joint angles'})")  # fmt: skip
    n = int(args.seconds * 20)
    with tempfile.TemporaryDirectory() as tmp:
        videos = {"600x600": DANCER}
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg:
            webcam = Path(tmp) / "webcam.mp4"
            subprocess.run(
                [ffmpeg, "-v", "error", "-y", "-i", str(DANCER), "-vf",
                 "scale=480:480,pad=640:480:80:0", "-c:v", "libx264", "-preset", "ultrafast",
                 str(webcam)],
                check=True,
            )  # fmt: skip
            videos["640x480"] = webcam
        for size, video in videos.items():
            pose_fps = pose_rate(video, n)
            live_fps, scored = session_rate(video, scorer, grid, parts, n)
            print(
                f"{size}: pose alone {pose_fps:.1f} pictures/s; pose + live score "
                f"{live_fps:.1f} pictures/s = {live_fps / TARGET_FPS:.2f}x the target of "
                f"{TARGET_FPS:.0f}/s (a score in {scored:.0%} of the steps)"
            )
    print(update_costs(motion, grid, parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
