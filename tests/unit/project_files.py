"""Project files for the tests: a project with everything in it, and ways to damage its file."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from app.model import Clip, GenerationParams, MotionAsset, Part, Project, Section, Song
from inference.audio import make_grid
from inference.motion import CANONICAL


def motion_arrays(frames: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Canonical motion arrays: a pelvis path and unit quaternions for every canonical joint."""
    rng = np.random.default_rng(seed)
    rotations = rng.normal(size=(frames, CANONICAL.n_joints, 4))
    rotations /= np.linalg.norm(rotations, axis=-1, keepdims=True)
    return {"root_translation": rng.normal(size=(frames, 3)), "local_rotations": rotations}


def rich_project(song_path: Path, embedded: bool = False) -> Project:
    project = Project(name="Routine")
    project.set_song(Song(path=str(song_path), title="Vibe Ace", duration=61.0, embedded=embedded))
    project.set_beat_grid(make_grid(np.arange(0.5, 9.0, 0.5).tolist(), 4, 0, 61.0))
    project.set_parts((Part(1, 0.5, 4.5, 0, 8), Part(2, 4.5, 8.5, 8, 8)))
    project.set_part_names({2: "Hook"})
    project.set_sections((Section("Intro", 0.0, 4.5, 1, 1), Section("Chorus", 4.5, 8.5, 2, 1)))
    project.set_generation_settings(GenerationParams(energy=0.9, prompt="sharp", seed=7))
    project.add_motion(MotionAsset(id="m1", name="wave", fps=30.0, arrays=motion_arrays(45)))
    track = project.dancer_tracks()[0]
    project.add_clip(
        track.id,
        Clip(
            id="c1",
            motion_id="m1",
            name="wave",
            start=1.0,
            source_in=0.2,
            source_out=1.4,
            mirrored=True,
        ),
    )
    return project


def rewrite(
    path: Path, replace_members: dict[str, bytes | None], compression: int = zipfile.ZIP_STORED
) -> None:
    """Rebuild the zip at ``path`` with some members replaced (None removes one)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, data in replace_members.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def edit_document(path: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    """Change ``project.json`` inside the project file at ``path`` in place."""
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("project.json"))
    edit(document)
    rewrite(path, {"project.json": json.dumps(document).encode()})


def point_song_at(path: Path, song: str) -> None:
    """Make the project file at ``path`` claim ``song`` as its song, to be embedded."""

    def edit(document: dict[str, Any]) -> None:
        document["song"].update(path=song, relative_path=None, embedded=True)

    edit_document(path, edit)


def song_members(path: Path) -> list[str]:
    """The songs embedded in the project file at ``path``."""
    with zipfile.ZipFile(path) as archive:
        return [m for m in archive.namelist() if m.startswith("song/")]
