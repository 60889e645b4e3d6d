"""Every edit is one undo command, and each one undoes and redoes exactly."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QUndoStack

from app.application import ensure_application
from app.commands import (
    AddClipCommand,
    MirrorClipCommand,
    MoveClipCommand,
    RemoveClipCommand,
    SetBeatGridCommand,
    SetGenerationSettingsCommand,
    SetSongCommand,
    SplitClipCommand,
    TrimClipCommand,
)
from app.model import BeatGrid, Clip, GenerationParams, MotionAsset, Project, Song


@pytest.fixture
def project() -> Project:
    ensure_application()
    project = Project()
    project.add_motion(MotionAsset("m1", "wave", 30.0, {"x": np.zeros((120, 3))}))
    project.add_clip(
        project.dancer_tracks()[0].id,
        Clip(id="c1", motion_id="m1", name="wave", start=2.0, source_in=0.0, source_out=4.0),
    )
    return project


def snapshot(project: Project) -> tuple[object, ...]:
    return (
        project.song,
        project.beat_grid,
        project.tracks,
        tuple(project.motions),
        project.generation,
    )


def _round_trip(project: Project, make_command: object) -> None:
    stack = QUndoStack()
    before = snapshot(project)
    stack.push(make_command(project))  # type: ignore[operator]
    after = snapshot(project)
    assert after != before, "the command changed nothing"
    stack.undo()
    assert snapshot(project) == before
    stack.redo()
    assert snapshot(project) == after


COMMANDS = {
    "song": lambda p: SetSongCommand(p, Song(path="/x.ogg", title="x")),
    "grid": lambda p: SetBeatGridCommand(p, BeatGrid((0.5, 1.0), (1, 2), 4, 2.0)),
    "settings": lambda p: SetGenerationSettingsCommand(
        p, GenerationParams(energy=1.0), "energy", 1
    ),
    "move": lambda p: MoveClipCommand(p, "c1", 5.0),
    "trim": lambda p: TrimClipCommand(p, "c1", 1.0, 3.0),
    "mirror": lambda p: MirrorClipCommand(p, "c1"),
    "split": lambda p: SplitClipCommand(p, "c1", 3.0),
    "remove": lambda p: RemoveClipCommand(p, "c1"),
    "add": lambda p: AddClipCommand(
        p,
        p.dancer_tracks()[0].id,
        Clip(id="c2", motion_id="m2", name="pop", start=9.0, source_in=0.0, source_out=1.0),
        MotionAsset("m2", "pop", 30.0, {"x": np.ones((30, 3))}),
    ),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_undo_round_trip(project: Project, name: str) -> None:
    _round_trip(project, COMMANDS[name])


def test_split_makes_two_clips_that_cover_the_original(project: Project) -> None:
    stack = QUndoStack()
    stack.push(SplitClipCommand(project, "c1", 3.5))
    left, right = project.dancer_tracks()[0].clips
    assert (left.start, left.end) == (2.0, 3.5)
    assert (right.start, right.end) == (3.5, 6.0)
    assert (left.source_out, right.source_in) == (1.5, 1.5)
    with pytest.raises(ValueError, match="inside the clip"):
        SplitClipCommand(project, left.id, 9.0)


def test_trim_keeps_the_material_in_place(project: Project) -> None:
    QUndoStack().push(TrimClipCommand(project, "c1", 1.0, 3.0))
    clip = project.find_clip("c1")[1]
    # Trimming the head by 1 s moves the clip start by 1 s: the rest stays where it was.
    assert (clip.start, clip.end) == (3.0, 5.0)


def test_slider_changes_merge_within_one_gesture_of_one_control(project: Project) -> None:
    stack = QUndoStack()

    def push(control: str, gesture: int, **values: float) -> None:
        settings = GenerationParams(**values)  # type: ignore[arg-type]
        stack.push(SetGenerationSettingsCommand(project, settings, control, gesture))

    for value in (0.6, 0.7, 0.8):
        push("energy", 1, energy=value)
    push("bounce", 1, energy=0.8, bounce=0.1)
    push("energy", 2, energy=0.9, bounce=0.1)  # a second drag of the same slider
    assert stack.count() == 3
    stack.undo()
    assert project.generation == GenerationParams(energy=0.8, bounce=0.1)
    stack.undo()
    assert project.generation == GenerationParams(energy=0.8)
    stack.undo()
    assert project.generation == GenerationParams()
