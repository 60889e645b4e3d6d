"""The keypoint-track JSON: the issue's exact format, missing frames, coco17, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from inference.errors import BadFileError
from inference.motion.smpl import safe_load_pickle
from inference.pose import KeypointTrack, read_track, write_track
from inference.pose.layouts import COCO17_IN_MEDIAPIPE33, MEDIAPIPE33_NAMES


def small_track(n: int = 6) -> KeypointTrack:
    rng = np.random.default_rng(0)
    kp = np.concatenate([rng.uniform(10, 500, (n, 33, 2)), rng.uniform(0.2, 1, (n, 33, 1))], -1)
    world = rng.normal(0, 0.4, (n, 33, 3))
    kp[2:4] = np.nan  # a marked gap
    kp[2:4, :, 2] = 0.0
    world[2:4] = np.nan
    return KeypointTrack(25.0, 640, 480, "mediapipe33", kp, world)


def test_round_trip_writes_exactly_the_issue_keys(tmp_path: Path) -> None:
    track = small_track()
    path = write_track(track, tmp_path / "pose.json")
    doc = json.loads(path.read_text())
    assert set(doc) == {"fps", "width", "height", "layout", "keypoints", "world"}
    assert (doc["fps"], doc["width"], doc["height"], doc["layout"]) == (
        25.0,
        640,
        480,
        "mediapipe33",
    )
    assert np.asarray(doc["keypoints"]).shape == (6, 33, 3)
    assert np.asarray(doc["world"]).shape == (6, 33, 3)
    assert doc["keypoints"][2][0] == [0.0, 0.0, 0.0]  # the gap: zeros, visibility 0
    back = read_track(path)
    assert back.gaps() == [(2 / 25, 4 / 25)]
    ok = np.isfinite(track.keypoints)
    assert np.allclose(back.keypoints[ok], track.keypoints[ok], atol=1e-3)
    assert back.world is not None and np.isnan(back.world[2:4]).all()
    assert back.person_fraction == pytest.approx(4 / 6)


def test_aistpp_coco17_keypoints_are_read(tmp_path: Path, shared_data: Path) -> None:
    pkl = shared_data / "video" / "aistpp_keypoints2d" / "gBR_sBM_cAll_d04_mBR0_ch01.pkl"
    view = np.asarray(safe_load_pickle(pkl)["keypoints2d"])[0]  # camera 1: (720, 17, 3)
    doc = {"fps": 60, "width": 1920, "height": 1080, "layout": "coco17",
           "keypoints": view.tolist()}  # fmt: skip
    (tmp_path / "aist.json").write_text(json.dumps(doc))
    track = read_track(tmp_path / "aist.json")
    assert track.layout == "coco17" and track.n_frames == 720 and track.world is None
    wide = track.to_mediapipe33()
    assert wide.keypoints.shape == (720, 33, 3)
    assert MEDIAPIPE33_NAMES[COCO17_IN_MEDIAPIPE33[15]] == "left_ankle"
    assert np.allclose(wide.keypoints[:, 27], track.keypoints[:, 15], equal_nan=True)
    assert np.isnan(wide.keypoints[:, 17, 0]).all()  # COCO has no pinky
    assert track.person_fraction > 0.9


def test_openpose_missing_points_are_missing(tmp_path: Path) -> None:
    kp = np.full((3, 17, 3), 100.0)
    kp[1, 5] = 0.0  # OpenPose writes a point it did not find as (0, 0, 0)
    doc = {"fps": 30, "width": 640, "height": 480, "layout": "coco17", "keypoints": kp.tolist()}
    (tmp_path / "op.json").write_text(json.dumps(doc))
    track = read_track(tmp_path / "op.json")
    assert np.isnan(track.keypoints[1, 5, 0]) and track.present.all()


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"fps": 30, "width": 64, "height": 64, "layout": "body25", "keypoints": []}, "layout"),
        ({"fps": 0, "width": 64, "height": 64, "keypoints": [[[0, 0, 0]] * 33]}, "fps"),
        ({"fps": 30, "width": 6.5, "height": 64, "keypoints": [[[0, 0, 0]] * 33]}, "width"),
        ({"fps": 30, "width": 64, "height": 64, "keypoints": [[[0, 0, 0]] * 32]}, "keypoints"),
        ({"fps": 30, "width": 64, "height": 64, "keypoints": [[[0, 0, "a"]] * 33]}, "keypoints"),
        ({"fps": 30, "width": 64, "height": 64, "layout": "coco17",
          "keypoints": [[[1, 1, 1]] * 17], "world": [[[0, 0, 0]] * 17]}, "world"),
        ({"fps": 30, "width": 64, "height": 64, "keypoints": [[[1, 1, 1]] * 33],
          "world": [[[0, 0, 0]] * 33] * 2}, "world"),
        ({"poses": []}, "keypoints"),
    ],
)  # fmt: skip
def test_bad_tracks_name_the_field(tmp_path: Path, doc: dict[str, object], field: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(BadFileError, match=field) as err:
        read_track(path)
    assert "bad.json" in str(err.value)


def test_not_json_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(BadFileError, match="not valid JSON"):
        read_track(tmp_path / "x.json")
    with pytest.raises(BadFileError, match="cannot read"):
        read_track(tmp_path / "none.json")
