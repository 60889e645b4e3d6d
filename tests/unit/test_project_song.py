"""Projects that travel (issue #11): the song is found by its absolute path, by its path
relative to the project, or beside the project; format 1 files are upgraded."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from app.model.project_reader import FORMAT_VERSION
from app.project_io import load_project, save_project
from inference.paths import DEMO_SONG
from tests.unit.project_files import edit_document, rich_project


def _song_entry(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("project.json"))["song"]  # type: ignore[no-any-return]


def test_the_file_stores_the_absolute_and_the_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work" / "music").mkdir(parents=True)
    shutil.copy(DEMO_SONG, tmp_path / "work" / "music" / "song.ogg")
    monkeypatch.chdir(tmp_path / "work")
    # The song as the user gave it on the command line: relative to the working folder.
    save_project(rich_project(Path("music/song.ogg")), tmp_path / "work" / "p.eightcount")
    entry = _song_entry(tmp_path / "work" / "p.eightcount")
    assert entry["path"] == str(tmp_path / "work" / "music" / "song.ogg")
    assert entry["relative_path"] == "music/song.ogg"


def test_a_moved_folder_still_finds_its_song(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a" / "music").mkdir(parents=True)
    shutil.copy(DEMO_SONG, tmp_path / "a" / "music" / "song.ogg")
    save_project(
        rich_project(tmp_path / "a" / "music" / "song.ogg"), tmp_path / "a" / "p.eightcount"
    )
    shutil.move(tmp_path / "a", tmp_path / "b")  # the absolute path is gone now
    monkeypatch.chdir(tmp_path)  # and the studio is started from somewhere else
    project = load_project(tmp_path / "b" / "p.eightcount")
    assert project.song is not None
    assert project.song.path == str(tmp_path / "b" / "music" / "song.ogg")


def test_a_song_beside_the_project_is_found(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(DEMO_SONG, tmp_path / "elsewhere" / "song.ogg")
    save_project(rich_project(tmp_path / "elsewhere" / "song.ogg"), tmp_path / "p.eightcount")
    # Someone mailed the project and the song together: both land in one folder.
    (tmp_path / "inbox").mkdir()
    shutil.move(tmp_path / "p.eightcount", tmp_path / "inbox" / "p.eightcount")
    shutil.move(tmp_path / "elsewhere" / "song.ogg", tmp_path / "inbox" / "song.ogg")
    project = load_project(tmp_path / "inbox" / "p.eightcount")
    assert project.song is not None
    assert project.song.path == str(tmp_path / "inbox" / "song.ogg")


def test_a_missing_song_keeps_its_path_and_the_project_opens(tmp_path: Path) -> None:
    save_project(rich_project(tmp_path / "gone.ogg"), tmp_path / "p.eightcount")
    project = load_project(tmp_path / "p.eightcount")
    assert project.song is not None and project.song.path == str(tmp_path / "gone.ogg")
    assert len(project.parts) == 2  # the rest of the work is all there


def _as_format_1(path: Path, song_path: str) -> None:
    """What the studio wrote before format 2: the song path as given, no relative path."""

    def edit(document: dict[str, object]) -> None:
        document["format_version"] = 1
        song = document["song"]
        assert isinstance(song, dict)
        song.pop("relative_path")
        song["path"] = song_path

    edit_document(path, edit)


def test_format_1_with_a_relative_path_is_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert FORMAT_VERSION >= 5
    (tmp_path / "project" / "music").mkdir(parents=True)
    shutil.copy(DEMO_SONG, tmp_path / "project" / "music" / "song.ogg")
    path = tmp_path / "project" / "old.eightcount"
    save_project(rich_project(DEMO_SONG), path)
    _as_format_1(path, "music/song.ogg")  # saved from a studio started inside that folder
    monkeypatch.chdir(tmp_path)  # opened from its parent: "music/song.ogg" is not here
    project = load_project(path)
    assert project.song is not None
    assert project.song.path == str(tmp_path / "project" / "music" / "song.ogg")
    saved = tmp_path / "project" / "new.eightcount"
    save_project(project, saved)
    with zipfile.ZipFile(saved) as archive:
        assert json.loads(archive.read("project.json"))["format_version"] == FORMAT_VERSION


def test_format_1_with_an_absolute_path_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.eightcount"
    save_project(rich_project(DEMO_SONG), path)
    _as_format_1(path, str(DEMO_SONG))
    project = load_project(path)
    assert project.song is not None and project.song.path == str(DEMO_SONG)
