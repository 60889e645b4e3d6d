"""User moves with a style of their own: the model, the project file, and unknown styles."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from app.model import GenerationParams, MotionAsset, Project
from app.project_io import ProjectFileError, load_project, save_project


def _motion(motion_id: str) -> MotionAsset:
    rotations = np.tile([1.0, 0.0, 0.0, 0.0], (30, 21, 1))
    arrays = {"root_translation": np.zeros((30, 3)), "local_rotations": rotations}
    return MotionAsset(id=motion_id, name=motion_id, fps=30.0, arrays=arrays)


def _project() -> Project:
    project = Project(name="moves")
    for motion_id in ("clip", "a", "b"):
        project.add_motion(_motion(motion_id))
    project.set_user_moves(("clip", "a", "b"), {"a": "our girl crush", "b": "our girl crush"})
    project.set_generation_settings(GenerationParams(style="our girl crush"))
    return project


def test_moves_keep_their_style_and_only_real_changes_are_events() -> None:
    project = _project()
    seen: list[object] = []
    project.events.user_moves_changed.connect(seen.append)
    assert project.user_styles() == ("our girl crush",)
    assert project.user_move_styles == {"a": "our girl crush", "b": "our girl crush"}
    project.set_user_moves(project.user_moves, project.user_move_styles)
    assert seen == []
    project.set_user_moves(project.user_moves, {"a": "our girl crush"})
    assert len(seen) == 1
    with pytest.raises(ValueError, match="not a user move"):
        project.set_user_moves(("a",), {"b": "x"})


def test_styles_of_moves_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "moves.eightcount"
    save_project(_project(), path)
    loaded = load_project(path)
    assert loaded.user_moves == ("clip", "a", "b")
    assert loaded.user_move_styles == {"a": "our girl crush", "b": "our girl crush"}
    assert loaded.generation.style == "our girl crush"


def _with_document(path: Path, change: dict[str, object], drop: str = "") -> None:
    """Rewrite the file's project.json with ``change`` applied and the key ``drop`` removed."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["project.json"])
    document.update(change)
    document.pop(drop, None)
    members["project.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_an_unknown_style_in_a_project_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "odd.eightcount"
    save_project(_project(), path)
    settings = {"energy": 0.5, "smoothness": 0.5, "bounce": 0.5, "creativity": 0.5}
    _with_document(path, {"generation": {**settings, "style": "nonsense"}})
    with pytest.raises(ProjectFileError) as caught:
        load_project(path)
    message = str(caught.value)
    assert message.startswith("odd.eightcount: ") and "unknown style 'nonsense'" in message
    assert "k-pop" in message and "salsa" in message and "your moves: our girl crush" in message


def test_a_users_style_needs_its_moves(tmp_path: Path) -> None:
    path = tmp_path / "lost.eightcount"
    save_project(_project(), path)
    _with_document(path, {"user_move_styles": {}})  # the style's moves are gone
    with pytest.raises(ProjectFileError, match="unknown style 'our girl crush'"):
        load_project(path)


def test_files_from_before_move_styles_still_open(tmp_path: Path) -> None:
    path = tmp_path / "old.eightcount"
    project = _project()
    project.set_generation_settings(GenerationParams(style="salsa"))
    save_project(project, path)
    _with_document(path, {}, drop="user_move_styles")
    loaded = load_project(path)
    assert loaded.user_moves == ("clip", "a", "b") and loaded.user_move_styles == {}
