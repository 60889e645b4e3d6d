"""Project files: round trips, atomic saves, and every kind of bad file."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from app import project_io
from app.model import (
    Part,
    Project,
    Section,
)
from app.project_io import ProjectFileError, ProjectSaveError, load_project, save_project
from inference.paths import DEMO_SONG
from tests.unit.project_files import rewrite, rich_project


def _assert_same(a: Project, b: Project) -> None:
    assert a.name == b.name
    assert a.beat_grid == b.beat_grid
    assert a.parts == b.parts
    assert a.part_names == b.part_names
    assert a.sections == b.sections
    assert a.tracks == b.tracks
    assert a.generation == b.generation
    assert a.motions.keys() == b.motions.keys()
    for key, motion in a.motions.items():
        for name, array in motion.arrays.items():
            np.testing.assert_array_equal(array, b.motions[key].arrays[name])


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    original = rich_project(DEMO_SONG)
    path = tmp_path / "routine.eightcount"
    save_project(original, path)
    loaded = load_project(path, cache_dir=tmp_path / "cache")
    _assert_same(original, loaded)
    assert loaded.song == original.song


def test_embedded_song_survives_a_moved_original(tmp_path: Path) -> None:
    song = tmp_path / "song.ogg"
    shutil.copy(DEMO_SONG, song)
    # The studio embeds only the file it decoded as the song.
    notes = save_project(
        rich_project(song, embedded=True), tmp_path / "p.eightcount", decoded_song=str(song)
    )
    assert notes == []
    song.unlink()
    loaded = load_project(tmp_path / "p.eightcount", cache_dir=tmp_path / "cache")
    assert loaded.song is not None
    assert Path(loaded.song.path).read_bytes() == DEMO_SONG.read_bytes()


def test_save_leaves_no_temporary_file(tmp_path: Path) -> None:
    save_project(rich_project(DEMO_SONG), tmp_path / "p.eightcount")
    assert [p.name for p in tmp_path.iterdir()] == ["p.eightcount"]


def test_disk_full_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.eightcount"
    save_project(rich_project(DEMO_SONG), path)
    before = path.read_bytes()

    real_writestr = zipfile.ZipFile.writestr

    def writestr_then_disk_full(
        self: zipfile.ZipFile, name: object, data: object, *a: object, **k: object
    ) -> None:
        real_writestr(self, name, data, *a, **k)  # type: ignore[arg-type]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr_then_disk_full)
    with pytest.raises(ProjectSaveError, match=r"disk is full.*left unchanged"):
        save_project(Project(name="other"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.eightcount"]


def _valid_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.eightcount"
    save_project(rich_project(DEMO_SONG), path)
    return path


def _object_npz() -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, beats=np.array([{"evil": 1}], dtype=object), downbeats=np.zeros(1))
    return buffer.getvalue()


def _future_json(tmp_path: Path) -> bytes:
    with zipfile.ZipFile(_valid_file(tmp_path)) as archive:
        document = json.loads(archive.read("project.json"))
    document["format_version"] = project_io.FORMAT_VERSION + 1
    return json.dumps(document).encode()


BAD_FILES = {
    "truncated zip": (
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
        "damaged, truncated",
    ),
    "no project.json": (lambda p: rewrite(p, {"project.json": None}), "project.json is missing"),
    "invalid json": (lambda p: rewrite(p, {"project.json": b"{not json"}), "not valid JSON"),
    "future version": (
        lambda p: rewrite(p, {"project.json": _future_json(p.parent / "x")}),
        "newer EightCount Studio",
    ),
    "missing arrays": (
        lambda p: rewrite(p, {project_io._GRID_ARRAYS: None}),
        "beat_grid.npz is missing",
    ),
    "pickled arrays": (
        lambda p: rewrite(p, {project_io._GRID_ARRAYS: _object_npz()}),
        "Python objects",
    ),
    "not a zip": (lambda p: p.write_text("hello"), "not a zip"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_get_a_clear_error(tmp_path: Path, case: str) -> None:
    (tmp_path / "x").mkdir()
    path = _valid_file(tmp_path)
    damage, message = BAD_FILES[case]
    damage(path)
    with pytest.raises(ProjectFileError, match=message) as error:
        load_project(path, cache_dir=tmp_path / "cache")
    assert "good.eightcount" in str(error.value)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="does not exist"):
        load_project(tmp_path / "nowhere.eightcount")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_path(tmp_path: Path) -> None:
    path = _valid_file(tmp_path)
    path.chmod(0)
    with pytest.raises(ProjectFileError, match="no permission"):
        load_project(path)


def test_unreadable_path_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _valid_file(tmp_path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(zipfile.ZipFile, "__init__", refuse)
    with pytest.raises(ProjectFileError, match="no permission"):
        load_project(path)


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="folder"):
        load_project(tmp_path)


def test_files_from_before_counts_still_open(tmp_path: Path) -> None:
    """Format 1 files written before counts: beats + downbeats, part names inside parts."""
    path = _valid_file(tmp_path)
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("project.json"))
    document["beat_grid"].pop("duration")
    document["parts"] = [{"index": 1, "start": 1.0, "end": 3.0, "name": "Hook"}]
    document["sections"] = [{"label": "Intro", "start": 0.0, "end": 3.0}]
    document.pop("part_names")
    buffer = io.BytesIO()
    np.savez(buffer, beats=np.arange(0.5, 4.0, 0.5), downbeats=np.array([1.0, 3.0]))
    rewrite(
        path,
        {"project.json": json.dumps(document).encode(), "arrays/beat_grid.npz": buffer.getvalue()},
    )
    project = load_project(path, cache_dir=tmp_path / "cache")
    assert project.beat_grid.counts[:6] == (4, 1, 2, 3, 4, 1)
    assert project.beat_grid.downbeats == (1.0, 3.0)
    assert project.parts == (Part(1, 1.0, 3.0, 1, 4),)
    assert project.part_names == {1: "Hook"}
    assert project.sections == (Section("Intro", 0.0, 3.0, 1, 1),)


def test_counts_that_do_not_fit_the_beats_are_refused(tmp_path: Path) -> None:
    path = _valid_file(tmp_path)
    buffer = io.BytesIO()
    np.savez(buffer, beats=np.array([0.5, 1.0]), counts=np.array([1, 9]))
    rewrite(path, {"arrays/beat_grid.npz": buffer.getvalue()})
    with pytest.raises(ProjectFileError, match=r"counts must lie in 1\.\.4"):
        load_project(path, cache_dir=tmp_path / "cache")
