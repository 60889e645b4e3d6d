"""``eightcount generate`` and ``eightcount metrics`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import eightcount

from inference.motion import load_motion
from inference.paths import DEMO_SONG


def test_generate_writes_a_whole_song_bvh_and_a_summary(tmp_path: Path) -> None:
    out, summary = tmp_path / "routine.bvh", tmp_path / "routine.json"
    done = eightcount(
        "generate", str(DEMO_SONG), "-o", str(out), "--json", str(summary),
        "--energy", "0.8", "--prompt", "sharp hits", "--seed", "4",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(summary.read_text())
    motion = load_motion(out)
    assert doc["fps"] == 30.0 and abs(motion.n_frames - doc["frames"]) <= 1
    assert abs(motion.duration - 61.46) < 0.1  # the whole song from time 0
    assert doc["device"] in ("cpu", "cuda") and doc["seconds"] > 0
    assert len(doc["parts"]) >= 10 and all(p["units"] for p in doc["parts"])
    assert set(doc["metrics"]) >= {"bas", "pfc", "foot_skating", "div_k"}
    assert doc["metrics"]["nan_frames"] == 0 and doc["metrics"]["limit_violations"] == 0

    scored = tmp_path / "metrics.json"
    done = eightcount("metrics", str(out), "--song", str(DEMO_SONG), "--json", str(scored))
    assert done.returncode == 0, done.stderr
    again = json.loads(scored.read_text())["metrics"]
    assert abs(again["bas"] - doc["metrics"]["bas"]) < 0.05  # BVH round trip, same code


def test_generate_refuses_a_slider_out_of_range(tmp_path: Path) -> None:
    done = eightcount("generate", str(DEMO_SONG), "-o", str(tmp_path / "x.bvh"), "--energy", "2")
    assert done.returncode == 2 and "between 0 and 1" in done.stderr
