"""``eightcount dataset``: every video done exactly once across an interruption, on local
workers and on a local Ray cluster."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inference.pose.dataset import DONE, SKIPPED, find_videos, video_dir

from .conftest import MakeVideo

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def videos(
    dancer: Path,
    squats: Path,
    shared_data: Path,
    make_video: MakeVideo,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    folder = tmp_path_factory.mktemp("dance_videos")
    song = shared_data / "audio" / "Kevin_MacLeod_-_Vibe_Ace.ogg"
    (folder / dancer.name).symlink_to(dancer)
    (folder / squats.name).symlink_to(squats)
    # Filmed to the song, from 7.5 s in; the song itself lies next to the video.
    shutil.copy(make_video("to_song.mp4", "-i", str(dancer), "-ss", "7.5", "-i", str(song),
                           "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac",
                           "-shortest"), folder / "to_song.mp4")  # fmt: skip
    (folder / "to_song.ogg").symlink_to(song)
    shutil.copy(make_video("blank.mp4", "-f", "lavfi", "-i", "color=c=white:s=160x120:r=10",
                           "-t", "1", "-c:v", "libx264"), folder / "blank.mp4")  # fmt: skip
    (folder / "notes.txt").write_text("not a video")
    return folder


def dataset(*args: str, **popen: object) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "app", "dataset", *args]
    return subprocess.Popen(cmd, env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, **popen)  # type: ignore[call-overload]  # fmt: skip


def markers(out: Path, videos: Path) -> dict[str, tuple[str, float]]:
    found = {}
    for video in find_videos(videos):
        done = video_dir(out, video) / DONE
        if done.exists():
            found[video.name] = (json.loads(done.read_text())["run"], done.stat().st_mtime)
    return found


def check_entries(out: Path) -> None:
    song = json.loads((out / "to_song_mp4" / "video.json").read_text())
    assert song["music"] == "to_song.ogg"
    assert song["music_to_motion_offset"] == pytest.approx(7.5, abs=0.05)
    assert (out / "to_song_mp4" / "analysis.json").exists()
    dancer = json.loads((out / "mediapipe_pose_segmentation_dancer_mp4" / "video.json").read_text())
    assert dancer["fps"] == 20.0 and dancer["person_fraction"] == 1.0
    assert dancer["quality"] == "good" and dancer["music_to_motion_offset"] is None
    for name in ("track.json", "motion.bvh", "video.json"):
        assert (out / "tfjs_pose_squats_mp4" / name).exists()
    skipped = json.loads((out / "blank_mp4" / SKIPPED).read_text())
    assert "no person found" in skipped["reason"]


def test_interrupted_and_restarted_every_video_is_done_once(videos: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    first = dataset(str(videos), str(out), "--workers", "2", start_new_session=True)
    deadline = time.monotonic() + 240
    while not markers(out, videos) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the whole run, workers too, as a closed terminal
    first.wait()
    assert first.stdout is not None
    first.stdout.close()
    before = markers(out, videos)
    assert 1 <= len(before) < 3, "the run must be cut part way"

    second = dataset(str(videos), str(out), "--workers", "2")
    text, _ = second.communicate(timeout=600)
    assert second.returncode == 1, text  # one video skipped
    after = markers(out, videos)
    assert set(after) == {"mediapipe_pose_segmentation_dancer.mp4", "tfjs_pose_squats.mp4",
                          "to_song.mp4"}  # fmt: skip
    for name, marker in before.items():
        assert after[name] == marker  # never redone: same run, same file
    runs = {run for run, _ in after.values()}
    assert len(runs) == 2
    assert f"{len(before)} already done" in text
    assert "skipped blank.mp4: blank.mp4: no person found" in text
    summary = json.loads((out / "summary.json").read_text())
    assert sorted(summary["done_this_run"]) == sorted(set(after) - set(before))
    check_entries(out)

    third = dataset(str(videos), str(out))
    text, _ = third.communicate(timeout=120)
    assert "3 already done, 1 skipped before, 0 to do" in text
    assert markers(out, videos) == after


def test_the_same_job_runs_on_a_local_ray_cluster(
    videos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install '.[ray]')")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the cluster's workers import the project
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=100 * 1024**2,
             log_to_driver=False)  # fmt: skip
    try:
        address = ray.get_runtime_context().gcs_address
        out = tmp_path / "on_ray"
        run = dataset(str(videos), str(out), "--ray", address)
        text, _ = run.communicate(timeout=600)
    finally:
        ray.shutdown()
    assert run.returncode == 1, text
    assert f"to do on Ray at {address}" in text
    assert len(markers(out, videos)) == 3
    check_entries(out)
