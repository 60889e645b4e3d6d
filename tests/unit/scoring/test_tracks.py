"""Keypoint-track JSON (read by inference.pose) and AIST++ views as body tracks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from inference.errors import BadFileError
from inference.pose import NoPersonError
from inference.scoring.body import BodyTrack
from inference.scoring.camera import front_view, keypoint_array
from inference.scoring.sources import load_source
from inference.scoring.tracks import load_aistpp_views, read_keypoint_track


def track_doc(track: BodyTrack, layout: str = "mediapipe33") -> dict[str, Any]:
    kp = keypoint_array(front_view(track), layout, 1080, 1920)
    return {
        "fps": track.fps,
        "width": 1080,
        "height": 1920,
        "layout": layout,
        "keypoints": kp.tolist(),
    }


@pytest.fixture(scope="module")
def short(perfume: dict[str, BodyTrack]) -> BodyTrack:
    return BodyTrack(perfume["kashiyuka"].points[:60], 30.0)


@pytest.mark.parametrize("layout", ["mediapipe33", "coco17"])
def test_a_written_track_reads_back_as_the_projected_body(
    tmp_path: Path, short: BodyTrack, layout: str
) -> None:
    path = tmp_path / "take.json"
    path.write_text(json.dumps(track_doc(short, layout)))
    track = read_keypoint_track(path)
    flat = front_view(short)
    assert track.dims == 2 and track.fps == 30.0 and track.n_frames == 60
    # Pixels, y down in the file; y up in the track, about the image centre.
    np.testing.assert_allclose(track.points, flat.points + np.array([540.0, -960.0]), atol=1e-6)


def test_frames_with_no_person_are_unseen(tmp_path: Path, short: BodyTrack) -> None:
    doc = track_doc(short)
    doc["keypoints"][3] = [[0.0, 0.0, 0.0]] * 33  # the file's mark for a missing point
    path = tmp_path / "gaps.json"
    path.write_text(json.dumps(doc))
    track = read_keypoint_track(path)
    assert np.isnan(track.points[3]).all() and np.isfinite(track.points[4]).all()


def test_a_bad_track_is_refused_by_the_pose_reader_naming_the_file(
    tmp_path: Path, short: BodyTrack
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**track_doc(short), "layout": "openpose25"}))
    with pytest.raises(BadFileError, match="'layout'") as info:
        load_source(path)
    assert "bad.json" in str(info.value)


def test_a_track_with_invisible_keypoints_has_no_person(tmp_path: Path, short: BodyTrack) -> None:
    doc = track_doc(short)
    kp = np.array(doc["keypoints"])
    kp[..., 2] = 0.1  # below the visibility a keypoint needs
    doc["keypoints"] = kp.tolist()
    path = tmp_path / "dark.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(NoPersonError, match=r"dark\.json: no person"):
        load_source(path)


def test_a_corrupt_video_is_a_clear_error(tmp_path: Path) -> None:
    video = tmp_path / "take.mp4"
    video.write_bytes(b"\0" * 100)
    with pytest.raises(BadFileError, match=r"take\.mp4"):
        load_source(video)


def test_aistpp_views_are_nine_synchronised_coco_tracks(aistpp_dir: Path) -> None:
    views = load_aistpp_views(aistpp_dir / "gBR_sBM_cAll_d04_mBR0_ch01.pkl")
    assert len(views) == 9
    assert all(v.n_frames == 720 and v.fps == 60.0 and v.dims == 2 for v in views)
    assert min(v.visible_fraction() for v in views) > 0.2
