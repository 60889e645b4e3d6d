"""A motion made from a video keeps its video (file, size, rate, keypoints, notes) in the project
file (format 3); format 2 files, which knew no videos, still open."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.model import MotionAsset, Project, VideoSource
from app.model.project_reader import FORMAT_VERSION
from app.project_io import ProjectFileError, load_project, save_project
from inference.paths import DEMO_SONG
from tests.unit.project_files import edit_document, motion_arrays, rewrite, rich_project


def keypoints(frames: int = 12) -> np.ndarray:
    rng = np.random.default_rng(3)
    points = np.concatenate(
        [rng.uniform(0, 600, (frames, 33, 2)), rng.uniform(0, 1, (frames, 33, 1))], axis=-1
    )
    points[4] = 0.0  # a frame without the person
    return points


def video_project(video: Path) -> Project:
    project = rich_project(DEMO_SONG)
    source = VideoSource(
        str(video), 20.0, 600, 600, keypoints(), ("followed the most central person",)
    )
    project.add_motion(MotionAsset("mv", "take.mp4", 30.0, motion_arrays(18), source))
    return project


def saved(tmp_path: Path, video: Path | None = None) -> Path:
    video = video or tmp_path / "videos" / "take.mp4"
    video.parent.mkdir(parents=True, exist_ok=True)
    video.write_bytes(b"not decoded here")
    path = tmp_path / "p.eightcount"
    save_project(video_project(video), path)
    return path


def test_the_video_of_a_motion_survives_save_and_open(tmp_path: Path) -> None:
    path = saved(tmp_path)
    loaded = load_project(path).motions["mv"]
    assert loaded.video is not None
    assert loaded.video.path == str(tmp_path / "videos" / "take.mp4")
    assert (loaded.video.fps, loaded.video.width, loaded.video.height) == (20.0, 600, 600)
    assert loaded.video.notes == ("followed the most central person",)
    np.testing.assert_array_equal(loaded.video.keypoints, keypoints())
    assert loaded.frame_count == 18  # the keypoints are not a motion array
    assert load_project(path).motions["m1"].video is None
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("project.json"))["format_version"] == FORMAT_VERSION


def test_a_moved_project_finds_its_video_beside_it(tmp_path: Path) -> None:
    path = saved(tmp_path)
    moved = tmp_path / "elsewhere"
    shutil.copytree(tmp_path / "videos", moved / "videos")
    shutil.copy(path, moved / "p.eightcount")
    shutil.rmtree(tmp_path / "videos")
    video = load_project(moved / "p.eightcount").motions["mv"].video
    assert video is not None and video.path == str(moved / "videos" / "take.mp4")


def test_a_missing_video_keeps_its_path_and_the_project_opens(tmp_path: Path) -> None:
    path = saved(tmp_path)
    shutil.rmtree(tmp_path / "videos")
    video = load_project(path).motions["mv"].video
    assert video is not None and video.path == str(tmp_path / "videos" / "take.mp4")


def test_a_format_2_file_opens_without_videos(tmp_path: Path) -> None:
    path = tmp_path / "old.eightcount"
    save_project(rich_project(DEMO_SONG), path)

    def as_format_2(document: dict[str, Any]) -> None:
        # Format 2 had no videos; a stray "video" key was never read, and still is not.
        document["format_version"] = 2
        document["motions"][0]["video"] = {"path": 5}

    edit_document(path, as_format_2)
    project = load_project(path)
    assert project.motions["m1"].video is None
    assert [c.id for c in project.dancer_tracks()[0].clips] == ["c1"]
    save_project(project, tmp_path / "new.eightcount")
    with zipfile.ZipFile(tmp_path / "new.eightcount") as archive:
        assert json.loads(archive.read("project.json"))["format_version"] == FORMAT_VERSION


def _npz(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _keypoints(points: np.ndarray | None) -> Callable[[Path], None]:
    arrays = motion_arrays(18)
    if points is not None:
        arrays["video_keypoints"] = points
    return lambda path: rewrite(path, {"motions/mv.npz": _npz(**arrays)})


def _video_field(key: str, value: object) -> Callable[[Path], None]:
    def edit(document: dict[str, Any]) -> None:
        entry = next(m for m in document["motions"] if m["id"] == "mv")
        entry["video"][key] = value

    return lambda path: edit_document(path, edit)


def _no_video_entry(path: Path) -> None:
    def edit(document: dict[str, Any]) -> None:
        next(m for m in document["motions"] if m["id"] == "mv").pop("video")

    edit_document(path, edit)


NAN_POINTS = keypoints()
NAN_POINTS[2, 3, 0] = np.nan
VISIBLE_TWICE = keypoints()
VISIBLE_TWICE[1, 1, 2] = 2.0

BAD_VIDEOS: dict[str, tuple[Callable[[Path], None], str]] = {
    "no keypoints": (_keypoints(None), "motions/mv.npz lacks the array video_keypoints"),
    "keypoints of 17 points": (
        _keypoints(np.zeros((12, 17, 3))),
        "video_keypoints must have shape N×33×3, not (12, 17, 3)",
    ),
    "NaN keypoints": (_keypoints(NAN_POINTS), "video_keypoints holds NaN"),
    "visibility 2": (_keypoints(VISIBLE_TWICE), "visibilities outside 0..1"),
    "keypoints without a video": (_no_video_entry, "video_keypoints belong to no motions[1]"),
    "fps 0": (_video_field("fps", 0), "motions[1].video.fps must lie in 1..1000, not 0"),
    "width as text": (
        _video_field("width", "600"),
        "motions[1].video.width must be a whole number, not '600'",
    ),
    "path missing": (_video_field("path", None), "motions[1].video.path is missing"),
    "notes not text": (_video_field("notes", [3]), "motions[1].video.notes[0] must be text"),
}


@pytest.mark.parametrize("case", sorted(BAD_VIDEOS))
def test_a_bad_video_field_is_named(tmp_path: Path, case: str) -> None:
    path = saved(tmp_path)
    damage, expected = BAD_VIDEOS[case]
    damage(path)
    with pytest.raises(ProjectFileError) as caught:
        load_project(path, cache_dir=tmp_path / "cache")
    assert "p.eightcount" in str(caught.value) and expected in str(caught.value), caught.value


def test_a_format_3_file_loses_only_its_unsettable_muted_flag(tmp_path: Path) -> None:
    path = tmp_path / "old.eightcount"
    save_project(rich_project(DEMO_SONG), path)

    def as_format_3(document: dict[str, Any]) -> None:
        document["format_version"] = 3
        for track in document["tracks"]:
            track["muted"] = False  # format 3 wrote it for every track; nothing could set it

    edit_document(path, as_format_3)
    project = load_project(path)
    assert [c.id for c in project.dancer_tracks()[0].clips] == ["c1"]
    save_project(project, tmp_path / "new.eightcount")
    with zipfile.ZipFile(tmp_path / "new.eightcount") as archive:
        document = json.loads(archive.read("project.json"))
    assert document["format_version"] == FORMAT_VERSION
    assert all("muted" not in track for track in document["tracks"])


def test_the_format_4_upgrade_drops_the_muted_key() -> None:
    from app.model.project_reader import upgrade

    old = {"format_version": 3, "tracks": [{"id": "t", "muted": True}, "not a track"]}
    assert upgrade(old, 3)["tracks"] == [{"id": "t"}, "not a track"]
    assert old["tracks"][0] == {"id": "t", "muted": True}  # the caller's document is untouched
