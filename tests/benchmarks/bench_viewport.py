"""Viewport drawing speed with 1 and with 7 dancers, and their ratio, measured in one run.

Run under a display, e.g. ``xvfb-run -a -s "-screen 0 1600x1000x24" python
tests/benchmarks/bench_viewport.py``. Each case is a project whose dancer tracks play the Bandai
dance; every frame advances the playback time by 1/30 s through ``DancerViewport.set_time`` (clip
lookup and cached poses included) and repaints the on-screen widget synchronously (its 3D frame
drawn offscreen, read back and painted), then renders the same frame into the offscreen export
framebuffer (with read-back). Prints frames per second for each case and the 7-dancer / 1-dancer
ratio. It asserts nothing about time.
"""

from __future__ import annotations

import sys
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from OpenGL import GL  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.model import Clip, MotionAsset, Project, Track, TrackKind  # noqa: E402
from inference.motion import Motion, face_audience, load_motion, place  # noqa: E402
from viewport.camera import OrbitCamera  # noqa: E402
from viewport.offscreen import OffscreenRenderer  # noqa: E402
from viewport.scene import PoseCache, poses_at  # noqa: E402
from viewport.widget import DancerViewport  # noqa: E402

BVH = ROOT.parent / "shared/data/motion/bandai_namco/dataset-1_dance-short_normal_001.bvh"
SIZE = (1280, 720)
FRAMES = 150
# Stage spots for a group of seven: a front row of four and a back row of three.
SPOTS = [(-2.1, 0.6), (-0.7, 0.6), (0.7, 0.6), (2.1, 0.6), (-1.4, -1.0), (0.0, -1.0), (1.4, -1.0)]


def group_project(motion: Motion, n_dancers: int) -> Project:
    project = Project(tracks=[Track("audio", "Audio", TrackKind.AUDIO)])
    for i, (x, z) in enumerate(SPOTS[:n_dancers]):
        moved = place(motion, x, z)
        arrays = {
            "root_translation": moved.root_translation,
            "local_rotations": moved.local_rotations,
        }
        project.add_motion(MotionAsset(f"m{i}", f"dancer {i}", moved.fps, arrays))
        project.add_track(Track(f"t{i}", f"Dancer {i + 1}", TrackKind.DANCER))
        project.add_clip(f"t{i}", Clip(f"c{i}", f"m{i}", "dance", 0.0, 0.0, moved.duration))
    return project


def widget_fps(app: QApplication, view: DancerViewport, project: Project) -> float:
    view.set_project(project)
    view.set_time(0.0)
    view.repaint()
    started = time.perf_counter()
    for i in range(FRAMES):
        view.set_time(i / 30.0)
        view.repaint()  # the frame is drawn and read back before this returns
        app.processEvents()
    return FRAMES / (time.perf_counter() - started)


def offscreen_fps(project: Project) -> float:
    cache = PoseCache()
    with closing(OffscreenRenderer(*SIZE)) as renderer:
        camera = OrbitCamera(distance=7.0)
        renderer.render(poses_at(project, 0.0, cache), camera)
        started = time.perf_counter()
        for i in range(FRAMES):
            renderer.render(poses_at(project, i / 30.0, cache), camera)
        return FRAMES / (time.perf_counter() - started)


def main() -> int:
    app = QApplication(sys.argv)
    motion = face_audience(load_motion(BVH))
    view = DancerViewport()
    view.resize(*SIZE)
    view.set_fps_visible(False)
    view.show()
    app.processEvents()
    print(f"viewport {SIZE[0]}x{SIZE[1]}, {FRAMES} frames per case, renderer: ", end="")
    with closing(OffscreenRenderer(16, 16)):  # its context is current once made
        print(GL.glGetString(GL.GL_RENDERER).decode(), GL.glGetString(GL.GL_VERSION).decode())
    results = {}
    for n in (1, 7):
        project = group_project(motion, n)
        results[n] = (widget_fps(app, view, project), offscreen_fps(project))
        print(f"{n} dancer(s): widget {results[n][0]:6.1f} fps   offscreen+readback "
              f"{results[n][1]:6.1f} fps")  # fmt: skip
    print(f"ratio 7 / 1 dancers: widget {results[7][0] / results[1][0]:.2f}   "
          f"offscreen {results[7][1] / results[1][1]:.2f}")  # fmt: skip
    view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
