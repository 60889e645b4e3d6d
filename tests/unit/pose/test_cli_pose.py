"""``eightcount pose``: the files it writes, and nothing written when the video fails."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from inference.motion import load_motion

from .conftest import MakeVideo


def test_pose_writes_the_track_and_the_bvh(
    dancer: Path, make_video: MakeVideo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = make_video("dancer_2s.mp4", "-i", str(dancer), "-t", "2", "-c:v", "libx264")
    out_json, out_bvh = tmp_path / "d.json", tmp_path / "d.bvh"
    code = main(["pose", str(clip), "--json", str(out_json), "--bvh", str(out_bvh), "--quiet"])
    assert code == 0
    doc = json.loads(out_json.read_text())
    assert set(doc) == {"fps", "width", "height", "layout", "keypoints", "world"}
    assert len(doc["keypoints"]) == 40 and len(doc["keypoints"][0]) == 33
    assert doc["fps"] == 20.0 and (doc["width"], doc["height"]) == (600, 600)
    motion = load_motion(out_bvh)
    assert motion.n_frames == int(39 / 20 * 30) + 1
    assert "person in 100% of frames" in capsys.readouterr().out


def test_pose_failure_leaves_no_file(
    make_video: MakeVideo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = make_video("nobody.mp4", "-f", "lavfi", "-i", "color=c=white:s=160x120:r=10",
                       "-t", "1", "-c:v", "libx264")  # fmt: skip
    out = tmp_path / "x.json"
    assert main(["pose", str(empty), "--json", str(out), "--quiet"]) == 2
    assert "nobody.mp4: no person found" in capsys.readouterr().err
    assert not out.exists()
    # Options are checked while parsing, before any work.
    assert main(["pose", str(empty), "--json", str(tmp_path / "x.txt")]) == 2
    assert "cannot write '.txt'" in capsys.readouterr().err
    assert main(["pose", str(empty)]) == 2


def test_importing_the_package_loads_no_mediapipe_or_opencv() -> None:
    code = (
        "import sys, inference.pose, inference.pose.dataset, app.cli_commands.pose;"
        "print(sorted(m for m in ('mediapipe', 'cv2', 'torch', 'ray') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
