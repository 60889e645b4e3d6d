"""``eightcount score``: a motion file against a keypoint track, JSON out, errors on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.cli import main
from inference.scoring.body import BodyTrack
from inference.scoring.camera import front_view, keypoint_array


def test_score_a_delayed_keypoint_track_against_a_bvh(
    tmp_path: Path,
    shared_data: Path,
    perfume: dict[str, BodyTrack],
    capsys: pytest.CaptureFixture[str],
) -> None:
    reference = shared_data / "motion" / "perfume" / "aachan.bvh"
    flat = front_view(perfume["aachan"])
    late = np.concatenate([np.repeat(flat.points[:1], 6, axis=0), flat.points])  # +0.2 s
    kp = keypoint_array(BodyTrack(late, 30.0), "mediapipe33", 1280, 720)
    take = tmp_path / "take.json"
    take.write_text(
        json.dumps(
            {
                "fps": 30,
                "width": 1280,
                "height": 720,
                "layout": "mediapipe33",
                "keypoints": kp.tolist(),
            }
        )
    )
    out = tmp_path / "score.json"
    assert main(["score", str(reference), str(take), "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert {"overall", "offset_s", "parts", "sync", "notes"} <= doc.keys()
    assert doc["offset_s"] == 0.0 and doc["sync"] == "start"
    assert len(doc["parts"]) == 18
    for part in doc["parts"]:
        assert {"index", "score", "timing_ms", "counts", "feedback"} <= part.keys()
        assert len(part["feedback"]) <= 3
    # Every part has 8 counts but the last, which the end of the routine cuts short.
    assert all(len(p["counts"]) == 8 for p in doc["parts"][:-1])
    timings = [p["timing_ms"] for p in doc["parts"][1:]]
    assert np.median(timings) == pytest.approx(200.0, abs=34.0)
    assert doc["overall"] >= 90.0
    assert "overall" in capsys.readouterr().out


def test_a_bad_take_is_a_clear_error(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = shared_data / "motion" / "perfume" / "A_test.bvh"
    take = tmp_path / "take.json"
    take.write_text('{"fps": 30, "width": 640, "height": 480, "layout": "coco17", "keypoints": []}')
    assert main(["score", str(reference), str(take)]) == 2
    err = capsys.readouterr().err
    assert "take.json" in err and "'keypoints'" in err
