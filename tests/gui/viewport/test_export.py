"""MP4 export: exact frame count and duration, audio from 0, frame i shows time i / 30."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from app.cli import main
from inference.jobs import run_job
from inference.motion import load_motion, save_motion, trim
from inference.motion.mp4_writer import probe
from inference.paths import DEMO_SONG
from tests.gui.viewport.conftest import rest_pose
from viewport.camera import OrbitCamera
from viewport.export import VideoRequest, export_video
from viewport.scene import DancerPose

pytestmark = pytest.mark.gl

W, H = 96, 64


def decoded_frames(path: Path) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, H, W, 3)


def streams(path: Path) -> dict[str, dict]:
    return {s["codec_type"]: s for s in probe(path)["streams"]}


def test_frame_i_shows_time_i_over_30_and_the_song_starts_with_it(gl: None, tmp_path: Path) -> None:
    dancer, shown_at = rest_pose(), []

    def only_at_frame_7(seconds: float) -> list[DancerPose]:
        shown_at.append(seconds)
        return [dancer] if round(seconds * 30) == 7 else []

    out = tmp_path / "sync.mp4"
    request = VideoRequest(out, 20, W, H, audio=DEMO_SONG, camera=OrbitCamera(distance=3.0))
    progress = []
    assert run_job(export_video(only_at_frame_7, request), progress.append) == out
    assert shown_at == [i / 30 for i in range(20)]
    assert progress[-1].percent == 100
    frames = decoded_frames(out).astype(int)
    assert len(frames) == 20
    change = np.abs(frames - frames[0]).mean(axis=(1, 2, 3))
    assert int(np.argmax(change)) == 7 and change[7] > 5 * np.delete(change, 7).max() + 1
    info = streams(out)
    assert int(info["video"]["nb_read_frames"]) == 20 and info["video"]["r_frame_rate"] == "30/1"
    assert float(info["video"]["duration"]) == pytest.approx(20 / 30, abs=1e-3)
    assert float(info["audio"]["start_time"]) == 0.0 == float(info["video"]["start_time"])
    # The song is cut to the video (it is a minute long); one AAC frame is ~23 ms.
    assert float(info["audio"]["duration"]) == pytest.approx(20 / 30, abs=0.025)


def test_cancelling_stops_ffmpeg_and_leaves_no_file(gl: None, tmp_path: Path) -> None:
    out = tmp_path / "cancel.mp4"
    job = export_video(lambda s: [], VideoRequest(out, 300, W, H, camera=OrbitCamera()))
    for _ in range(3):
        next(job)
    job.close()
    assert not out.exists()


def test_convert_a_short_clip_to_mp4_with_the_song(
    gl: None, shared_data: Path, tmp_path: Path
) -> None:
    bvh = shared_data / "motion/bandai_namco/dataset-1_dance-short_normal_001.bvh"
    clip = tmp_path / "clip.json"
    save_motion(trim(load_motion(bvh), 300, 345), clip)
    out = tmp_path / "clip.mp4"
    args = ["convert", str(clip), str(out), "--song", str(DEMO_SONG), "--size", "160x96"]
    assert main(args) == 0
    info = streams(out)
    assert int(info["video"]["nb_read_frames"]) == 45
    assert float(info["video"]["duration"]) == pytest.approx(1.5, abs=1e-3)
    assert info["video"]["codec_name"] == "h264" and info["video"]["pix_fmt"] == "yuv420p"
    assert float(info["audio"]["start_time"]) == 0.0
    assert float(info["audio"]["duration"]) == pytest.approx(1.5, abs=0.025)


def test_an_export_renders_on_a_worker_thread_with_a_surface_from_the_gui_thread(
    gl: None, tmp_path: Path
) -> None:
    """The studio exports off the GUI thread, which keeps the window usable while it renders."""
    from PySide6.QtCore import QThread

    from viewport.offscreen import offscreen_surface

    surface = offscreen_surface()  # Qt allows this on the GUI thread only
    out, results = tmp_path / "worker.mp4", []
    request = VideoRequest(out, 6, W, H, camera=OrbitCamera(distance=3.0))

    class Worker(QThread):
        def run(self) -> None:
            results.append(run_job(export_video(lambda _: [rest_pose()], request, surface)))

    worker = Worker()
    worker.start()
    assert worker.wait(60_000)
    surface.destroy()
    assert results == [out]
    frames = decoded_frames(out)
    assert len(frames) == 6 and frames.std() > 5  # a dancer on a stage, not a blank picture
