"""MP4 export speed: x real time of ours against a full redraw of every frame, in one run.

Run under a display, e.g. ``xvfb-run -a -s "-screen 0 1600x1000x24" python
tests/benchmarks/bench_export.py [--seconds S]``. Both cases export the Bandai dance at 1280x720
with the demo song through :func:`viewport.export.export_video` (render, read back, pipe raw RGB
into ffmpeg's libx264); the baseline draws the sky and floor again for every frame, as the
export did before it kept the stage of its fixed camera. Prints x real time, the CPU time per
frame of this process (rendering, llvmpipe's threads included) and of ffmpeg, and whether the
two videos' frames are identical. CPU time is the steadier figure on a shared machine. It
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from OpenGL import GL  # noqa: E402
from PySide6.QtOpenGL import QOpenGLFramebufferObject  # noqa: E402

import viewport.export as export  # noqa: E402
from inference.jobs import run_job  # noqa: E402
from inference.motion import face_audience, load_motion  # noqa: E402
from viewport.camera import OrbitCamera  # noqa: E402
from viewport.offscreen import OffscreenRenderer  # noqa: E402
from viewport.scene import DancerPose  # noqa: E402

BVH = ROOT.parent / "shared/data/motion/bandai_namco/dataset-1_dance-short_normal_001.bvh"
SONG = ROOT / "resources/demo_song.ogg"
SIZE = (1280, 720)


class FullRedraw(OffscreenRenderer):
    """The export's renderer before the stage cache: everything drawn for every frame."""

    def render(self, poses: Sequence[DancerPose], camera: OrbitCamera) -> NDArray[np.uint8]:
        self._context.makeCurrent(self._surface)
        self._draw.bind()
        self.renderer.render(poses, camera, self.width, self.height)
        QOpenGLFramebufferObject.blitFramebuffer(self._resolve, self._draw)
        self._resolve.bind()
        GL.glPixelStorei(GL.GL_PACK_ALIGNMENT, 1)
        raw = GL.glReadPixels(0, 0, self.width, self.height, GL.GL_RGB, GL.GL_UNSIGNED_BYTE)
        self._resolve.release()
        pixels = np.frombuffer(raw, np.uint8).reshape(self.height, self.width, 3)
        return np.ascontiguousarray(pixels[::-1])


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed_export(renderer: type[OffscreenRenderer], output: Path, n_frames: int) -> dict:
    export.OffscreenRenderer = renderer  # type: ignore[misc]  # the one seam that differs
    source, _ = export.motion_source(face_audience(load_motion(BVH)))
    request = export.VideoRequest(output, n_frames, *SIZE, audio=SONG)
    own, child = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run_job(export.export_video(source, request), lambda _: None, lambda: False)
    wall = time.perf_counter() - started
    return {
        "x_real_time": n_frames / export.VIDEO_FPS / wall,
        "own_ms": 1000 * (cpu_seconds(resource.RUSAGE_SELF) - own) / n_frames,
        "ffmpeg_ms": 1000 * (cpu_seconds(resource.RUSAGE_CHILDREN) - child) / n_frames,
    }


def decoded_frames(path: Path) -> NDArray[np.uint8]:
    cmd = ["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    raw = subprocess.run(cmd, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="video length (default 20)")
    args = parser.parse_args(argv)
    export.ensure_gl_application()
    n_frames = int(args.seconds * export.VIDEO_FPS)
    with tempfile.TemporaryDirectory() as tmp:
        ours_path, base_path = Path(tmp, "ours.mp4"), Path(tmp, "baseline.mp4")
        base = timed_export(FullRedraw, base_path, n_frames)
        ours = timed_export(OffscreenRenderer, ours_path, n_frames)
        same = np.array_equal(decoded_frames(ours_path), decoded_frames(base_path))
    print(f"MP4 export, {SIZE[0]}x{SIZE[1]}, {args.seconds:g} s of the Bandai dance with the song")
    print(f"{'':10} {'x real time':>12} {'own CPU ms/frame':>17} {'ffmpeg CPU ms/frame':>20}")
    for name, row in (("baseline", base), ("ours", ours)):
        x, own, ffmpeg = row["x_real_time"], row["own_ms"], row["ffmpeg_ms"]
        print(f"{name:10} {x:12.2f} {own:17.1f} {ffmpeg:20.1f}")
    print(f"ours / baseline: x real time {ours['x_real_time'] / base['x_real_time']:.2f}, "
          f"own CPU {ours['own_ms'] / base['own_ms']:.2f}")  # fmt: skip
    print(f"decoded frames identical to the baseline's: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
