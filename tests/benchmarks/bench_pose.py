"""Pose extraction speed at 720p 30 fps on 2 CPU cores, with the accuracy beside it.

Run: ``python tests/benchmarks/bench_pose.py``. Pins itself to two cores (where the OS allows),
then prints, for every stride (1 = every frame; 2 = every other frame, the rest interpolated):

* ``x real time``: video seconds per wall-clock second (the target is >= 1);
* ``CPU s/frame``: CPU time of the whole process (all threads) per video frame, steadier than
  the wall clock on a shared machine;
* the accuracy: the mean distance to the BlazePose reference keypoints on the real squats video
  (720x1280, the only video with a reference; 5 fps, so it is run at stride 1 only), and what a
  stride costs: the mean distance of its interpolated frames to the every-frame landmarks on
  the real dancer at its native 20 fps (a frame skipped at 20 fps is 50 ms of motion, a harder
  case than 33 ms at 30 fps), in pixels and in % of the body's height;
* the jitter reduction of the One Euro filter on the dancer.

The 720p 30 fps clip is the dancer video scaled onto a 1280x720 canvas (ffmpeg, frames
repeated up to 30 fps: the speed test only needs the picture size and rate). It asserts nothing
about time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inference.jobs import run_job  # noqa: E402
from inference.pose import PoseOptions, extract_pose_job  # noqa: E402

VIDEO = ROOT.parent / "shared" / "data" / "video"
DANCER = VIDEO / "mediapipe_pose_segmentation_dancer.mp4"
SQUATS = VIDEO / "tfjs_pose_squats.mp4"
REFERENCE = VIDEO / "tfjs_pose_squats.blazepose_full_expected.json"


def make_720p30(folder: Path) -> Path:
    out = folder / "dancer_720p30.mp4"
    vf = "scale=-2:720,pad=1280:720:(ow-iw)/2:0,fps=30"
    cmd = ["ffmpeg", "-v", "error", "-y", "-i", str(DANCER), "-vf", vf, "-c:v", "libx264"]
    subprocess.run([*cmd, "-preset", "veryfast", "-crf", "18", str(out)], check=True)
    return out


def timed(video: Path, options: PoseOptions) -> tuple[float, float, int, float]:
    """(wall s, CPU s, frames, video seconds) of one extraction."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run_job(extract_pose_job(video, options))
    return (
        time.perf_counter() - wall,
        time.process_time() - cpu,
        result.track.n_frames,
        result.track.duration,
    )


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        cores = sorted(os.sched_getaffinity(0))[:2]
        os.sched_setaffinity(0, cores)
    else:
        cores = []
    print(f"cores: {cores or 'all (affinity not supported)'}; load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        clip = make_720p30(Path(tmp))
        run_job(extract_pose_job(clip, PoseOptions()))  # warm-up: model load, caches
        ref = np.asarray(json.loads(REFERENCE.read_text()))
        squats = run_job(extract_pose_job(SQUATS)).track
        ref_err = np.linalg.norm(squats.keypoints[..., :2] - ref[..., :2], axis=-1).mean()
        every = run_job(extract_pose_job(DANCER, PoseOptions(smooth=False)))
        height = float(np.nanmedian(np.ptp(every.track.keypoints[..., 1], axis=1)))
        print(f"accuracy: squats vs BlazePose reference {ref_err:.2f} px (mean, 65 frames)")
        smoothed = run_job(extract_pose_job(DANCER))
        print(
            f"One Euro filter on the dancer: acceleration {smoothed.jitter_raw:.2f} -> "
            f"{smoothed.jitter_filtered:.2f} px/frame² "
            f"({1 - smoothed.jitter_filtered / smoothed.jitter_raw:.0%} less)"
        )
        print(f"{'stride':>6} {'x real time':>12} {'CPU s/frame':>12} {'stride cost':>22}")
        for stride in (1, 2, 3):
            wall, cpu, frames, seconds = timed(clip, PoseOptions(stride=stride))
            cost = "-"
            if stride > 1:
                skip = run_job(extract_pose_job(DANCER, PoseOptions(smooth=False, stride=stride)))
                gap = skip.track.interpolated
                d = skip.track.keypoints[gap, :, :2] - every.track.keypoints[gap, :, :2]
                px = float(np.linalg.norm(d, axis=-1).mean())
                cost = f"{px:.1f} px = {100 * px / height:.1f} % body"
            print(f"{stride:>6} {seconds / wall:>11.2f}x {cpu / frames:>12.4f} {cost:>22}")


if __name__ == "__main__":
    main()
