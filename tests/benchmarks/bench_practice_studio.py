"""Practice mode's live rate inside the studio window: pictures a second with the 3D view.

Run under a display with GL, e.g. ``xvfb-run -a -s "-screen 0 1600x1000x24" python
tests/benchmarks/bench_practice_studio.py [--seconds S] [--rounds R]`` (with
``QT_QPA_PLATFORM=xcb``; Xvfb's GL is llvmpipe, software rendering on the same CPU cores).

The real studio window (1440x900) opens the demo song's analysis with a routine (Perfume's
aachan) on its dancer track; the dancer video stands in for the webcam, paced in real time as a
webcam is (:class:`~inference.pose.live.VideoAsCamera`, 30 pictures a second), and practice
mode runs as the user starts it (Playback ▸ Practice Mode, Start). In the same run it
alternates, ``--rounds`` times each:

* the playhead's followers (the reference 3D view, the timeline, the count) redrawing at the
  playback tick (about 60 a second, as many as the CPU allows), as before;
* them redrawing with the camera's pictures, at most
  :data:`app.practice_mode_controller.PRACTICE_DISPLAY_HZ` a second, as practice mode does.

For each it prints the pictures a second practice mode showed (frames shown over the measured
seconds, after a warm-up), the panel's smoothed figure at the end, the 3D view's frames a second,
the CPU milliseconds per picture shown (this process and the Xvfb serving it: the fewer, the
more pictures the cores allow), the share of CPU each thread took (the GUI thread, the pose
model's threads, the live worker, llvmpipe's) and the load average (other programs on the
machine lower every figure), then the capped / full ratios and the rate over the target of 15 a
second. It asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.main_window import MainWindow  # noqa: E402
from app.model import Clip, Project, Song  # noqa: E402
from app.model.track_sampling import asset_from_motion  # noqa: E402
from app.playback import SilentClock  # noqa: E402
from app.practice_mode_controller import PRACTICE_DISPLAY_HZ  # noqa: E402
from app.settings import StudioSettings, make_settings  # noqa: E402
from inference.audio import analyze_song  # noqa: E402
from inference.motion import load_motion  # noqa: E402
from inference.paths import DEMO_SONG  # noqa: E402
from inference.pose.live import VideoAsCamera  # noqa: E402
from viewport.widget import DancerViewport  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DANCER = DATA / "video" / "mediapipe_pose_segmentation_dancer.mp4"
TARGET_FPS = 15.0
WARM_UP_S = 3.0


def wait(app: QApplication, seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def _cpu_seconds(stat: Path) -> float:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def x_server() -> Path | None:
    """The stat file of the Xvfb serving this display: it paints on the same cores."""
    display = os.environ.get("DISPLAY", "")
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"Xvfb") and display.encode() in args:
            return cmdline.parent / "stat"
    return None


def thread_cpu(server: Path | None = None) -> dict[str, float]:
    """CPU seconds each thread of this process has used, summed by thread name (and the X
    server's, when given)."""
    used: dict[str, float] = defaultdict(float)
    for task in Path("/proc/self/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            seconds = _cpu_seconds(task / "stat")
        except OSError:
            continue
        if task.name == str(os.getpid()):
            name = "GUI thread"
        elif name.startswith("llvmpipe"):
            name = "llvmpipe"
        elif name.startswith("mediapipe"):
            name = "mediapipe"
        used[name] += seconds
    if server is not None:
        used["Xvfb"] = _cpu_seconds(server)
    return used


def practice_window(settings_dir: Path) -> MainWindow:
    window = MainWindow(
        StudioSettings(make_settings(settings_dir / "settings.ini")),
        settings_dir / "recovery",
        clock=SilentClock("benchmark"),
    )
    window.resize(1440, 900)
    window.show()
    analysis = analyze_song(DEMO_SONG)
    project = Project()
    project.set_song(Song(path="", title="demo", duration=analysis.duration))
    project.set_beat_grid(analysis.grid)
    project.set_parts(analysis.parts)
    window._set_project(project, None)
    motion = load_motion(DATA / "motion" / "perfume" / "aachan.bvh")
    project.add_motion(asset_from_motion(motion, "aachan", "aachan.bvh"))
    track = project.dancer_tracks()[0]
    project.add_clip(track.id, Clip("c1", "aachan", "aachan", 0.0, 0.0, motion.duration))
    rate = 8000  # the song as silence: the loop needs its length, not its sound
    window.transport.set_song(np.zeros(int(analysis.duration * rate), np.float32), rate)
    window.undo_stack.setClean()
    window.practice_mode.camera_opener = lambda: VideoAsCamera(DANCER, loop=True)
    window.practice_mode_action.setChecked(True)
    window.transport.seek(project.parts[1].start + 0.01)
    return window


def measure(app: QApplication, window: MainWindow, seconds: float, capped: bool) -> dict:
    controller = window.practice_mode
    view = window.viewport
    controller.display_hz = PRACTICE_DISPLAY_HZ if capped else None
    assert controller.start()
    started = time.monotonic()
    while controller.frames_shown < 3 or time.monotonic() - started < WARM_UP_S:
        wait(app, 0.1)
    server = x_server()
    frames0, cpu0, t0 = controller.frames_shown, thread_cpu(server), time.monotonic()
    drawn0 = view.frames_drawn if isinstance(view, DancerViewport) else 0
    wait(app, seconds)
    took = time.monotonic() - t0
    frames, cpu = controller.frames_shown - frames0, thread_cpu(server)
    drawn = (view.frames_drawn if isinstance(view, DancerViewport) else 0) - drawn0
    shown_rate = controller.rate
    controller.stop()
    while controller.session is not None or controller._closing:
        wait(app, 0.05)
    shares = {name: (cpu[name] - cpu0.get(name, 0.0)) / took for name in cpu}
    return {
        "pictures": frames / took, "label": shown_rate, "view_fps": drawn / took,
        "cpu": shares, "cpu_ms": 1000 * sum(shares.values()) * took / max(frames, 1),
        "load": os.getloadavg()[0],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per case")
    parser.add_argument("--rounds", type=int, default=1, help="times each case is measured")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        window = practice_window(Path(tmp))
        results: dict[bool, list[dict]] = {False: [], True: []}
        for _ in range(args.rounds):
            for capped in (False, True):
                results[capped].append(measure(app, window, args.seconds, capped))
        print(f"{os.cpu_count()} CPUs, GL: {QApplication.platformName()}")
        for capped, runs in results.items():
            name = (
                f"3D view with the pictures, capped at {PRACTICE_DISPLAY_HZ:.0f}/s"
                if capped
                else "3D view at full rate"
            )
            for run in runs:
                cpu = ", ".join(
                    f"{k} {v:.0%}" for k, v in sorted(run["cpu"].items(), key=lambda kv: -kv[1])
                    if v >= 0.02
                )  # fmt: skip
                print(
                    f"{name}: {run['pictures']:.1f} pictures/s (panel shows "
                    f"{run['label']:.0f}), 3D view {run['view_fps']:.1f} frames/s = "
                    f"{run['pictures'] / TARGET_FPS:.2f}x the target of {TARGET_FPS:.0f}/s; "
                    f"{run['cpu_ms']:.0f} ms of CPU per picture (this process and Xvfb); "
                    f"CPU: {cpu}; load average {run['load']:.1f}"
                )
        full, capped_rate = (
            float(np.mean([r["pictures"] for r in results[c]])) for c in (False, True)
        )
        full_ms, capped_ms = (
            float(np.mean([r["cpu_ms"] for r in results[c]])) for c in (False, True)
        )
        print(
            f"capped / full rate: {capped_rate / full:.2f}x pictures/s, {capped_ms / full_ms:.2f}x "
            f"CPU per picture; capped {capped_rate:.1f} pictures/s = "
            f"{capped_rate / TARGET_FPS:.2f}x the target of {TARGET_FPS:.0f}/s"
        )
        window.undo_stack.setClean()
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
