"""How long the studio takes to show a project with many clips and parts, and how that grows.

Run under a display, e.g. ``xvfb-run -a -s "-screen 0 1600x1000x24" python
tests/benchmarks/bench_timeline_build.py``. Each case builds a project (one dancer track of N
clips of 1 s side by side, or a beat grid cut into N parts) and times ``MainWindow._set_project``
on it: the count timeline, the clip lanes, the inspector and the viewport are built, and the
window is painted once. Prints seconds per case and, for each kind, the ratio between the
largest and the smallest case against the ratio of their sizes: a linear build keeps the two
close. It asserts nothing about time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.main_window import MainWindow  # noqa: E402
from app.model import Clip, Project, Track, TrackKind  # noqa: E402
from app.model.track_sampling import asset_from_motion  # noqa: E402
from app.playback import SilentClock  # noqa: E402
from app.settings import StudioSettings, make_settings  # noqa: E402
from inference.audio import derive_parts, make_grid  # noqa: E402
from inference.motion import rest_motion  # noqa: E402

CLIP_COUNTS = (1_000, 10_000, 50_000)
PART_COUNTS = (1_000, 10_000, 100_000)


def clips_project(n: int) -> Project:
    """One dancer track of ``n`` adjacent 1 s clips that alternate between two motions (so
    every cut is a transition)."""
    clips = tuple(Clip(f"c{i}", f"m{i % 2}", f"clip {i}", float(i), 0.0, 1.0) for i in range(n))
    tracks = [
        Track("audio", "Audio", TrackKind.AUDIO),
        Track("d1", "Dancer 1", TrackKind.DANCER, clips=clips),
    ]
    project = Project(tracks=tracks)
    for k in range(2):
        project.add_motion(asset_from_motion(rest_motion(60), f"m{k}", f"idle {k}"))
    return project


def parts_project(n: int) -> Project:
    """A 120 BPM grid long enough for ``n`` 8-count parts."""
    beats = [0.5 * i for i in range(8 * n)]
    grid = make_grid(beats, 4, 0, 0.5 * len(beats))
    project = Project()
    project.set_beat_grid(grid)
    project.set_parts(derive_parts(grid))
    return project


def open_seconds(app: QApplication, window: MainWindow, project: Project) -> float:
    started = time.perf_counter()
    window._set_project(project, None)
    window.repaint()
    app.processEvents()
    return time.perf_counter() - started


def main() -> int:
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        settings = StudioSettings(make_settings(Path(folder) / "settings.ini"))
        window = MainWindow(settings, Path(folder) / "recovery", clock=SilentClock("bench"))
        window.resize(1600, 1000)
        window.show()
        app.processEvents()
        for kind, counts, make in (
            ("clips", CLIP_COUNTS, clips_project),
            ("parts", PART_COUNTS, parts_project),
        ):
            seconds = {}
            for n in counts:
                seconds[n] = open_seconds(app, window, make(n))
                print(f"{n:>7} {kind}: open {seconds[n]:7.3f} s")
            small, large = counts[0], counts[-1]
            size = large / small
            ratio = seconds[large] / seconds[small]
            print(f"{kind}: time ratio {ratio:.1f} for {size:.0f}x the {kind} (linear: {size:.0f})")
        window.undo_stack.setClean()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
