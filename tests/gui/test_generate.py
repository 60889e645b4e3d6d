"""Generating a routine in the studio: one edit, part regeneration, locks, cancel."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from app.bridge import InferenceBridge
from app.commands import ReplaceClipCommand
from app.generate_controller import GenerateController
from app.model import Project, Song
from app.model.routine import subtract
from app.model.track_sampling import motion_of
from inference.audio import SongAnalysis, analyze_song
from inference.paths import DEMO_SONG


@pytest.fixture(scope="module")
def analysis() -> SongAnalysis:
    return analyze_song(DEMO_SONG)


@pytest.fixture
def studio(
    qapp: QApplication, analysis: SongAnalysis
) -> Iterator[tuple[Project, QUndoStack, GenerateController, InferenceBridge]]:
    project = Project()
    project.set_song(Song(path=str(DEMO_SONG), title="demo", duration=analysis.duration))
    project.set_beat_grid(analysis.grid)
    project.set_parts(analysis.parts)
    project.set_sections(analysis.sections)
    stack = QUndoStack()
    bridge = InferenceBridge()
    controller = GenerateController(bridge, stack, lambda: analysis)
    controller.set_project(project)
    yield project, stack, controller, bridge
    bridge.shutdown()


def _track(project: Project):  # type: ignore[no-untyped-def]
    return project.dancer_tracks()[0]


def _generate(studio, qtbot) -> None:  # type: ignore[no-untyped-def]
    project, stack, controller, _ = studio
    count = stack.count()
    assert controller.generate(_track(project).id)
    qtbot.waitUntil(lambda: stack.count() == count + 1, timeout=30000)


def _frames(project: Project, motion_id: str) -> np.ndarray:
    return motion_of(project.motions[motion_id]).positions()


def test_subtract_cuts_holes() -> None:
    assert subtract((0.0, 10.0), ((2.0, 3.0), (8.0, 12.0))) == [(0.0, 2.0), (3.0, 8.0)]
    assert subtract((0.0, 1.0), ((0.0, 1.0),)) == []


def test_generate_lays_out_one_clip_per_part_as_one_edit(studio, qtbot, analysis) -> None:  # type: ignore[no-untyped-def]
    project, stack, _, _ = studio
    _generate(studio, qtbot)
    clips = _track(project).clips
    assert len(clips) >= len(analysis.parts)
    assert len({c.motion_id for c in clips}) == 1
    starts = [c.start for c in clips]
    assert starts[0] == 0.0 and clips[-1].end == pytest.approx(analysis.duration)
    assert all(abs(a.end - b.start) < 1e-9 for a, b in itertools.pairwise(clips))
    part_clips = [c for c in clips if c.name.startswith("Part")]
    assert [(c.start, c.end) for c in part_clips] == [(p.start, p.end) for p in analysis.parts]
    stack.undo()
    assert _track(project).clips == () and project.motions == {}
    stack.redo()
    assert _track(project).clips == clips


def test_regenerating_a_part_changes_only_that_part(studio, qtbot, analysis) -> None:  # type: ignore[no-untyped-def]
    project, stack, controller, _ = studio
    _generate(studio, qtbot)
    before = _track(project).clips
    old_motion = before[0].motion_id
    part = analysis.parts[2]
    assert controller.regenerate_part(_track(project).id, part.index)
    qtbot.waitUntil(lambda: stack.count() == 2, timeout=30000)
    after = _track(project).clips
    changed = [c for c in after if c.motion_id != old_motion]
    assert [(c.start, c.end) for c in changed] == [(part.start, part.end)]
    old, new = _frames(project, old_motion), _frames(project, changed[0].motion_id)
    times = np.arange(len(old)) / 30.0
    outside = (times < part.start) | (times >= part.end)
    # The generator's contract: outside the part the new motion is the old one up to float
    # rounding (Motion renormalises its quaternions); on the timeline those frames still come
    # from the old motion's clips anyway.
    np.testing.assert_allclose(old[outside], new[outside], rtol=0, atol=1e-12)
    assert np.abs(old[~outside] - new[~outside]).max() > 0.05  # new choreography inside
    stack.undo()
    assert _track(project).clips == before


def test_locked_clips_never_change(studio, qtbot, analysis) -> None:  # type: ignore[no-untyped-def]
    project, stack, controller, _ = studio
    _generate(studio, qtbot)
    locked = next(c for c in _track(project).clips if c.name == "Part 2")
    stack.push(ReplaceClipCommand(project, replace(locked, locked=True), "Lock clip"))
    project.set_generation_settings(replace(project.generation, seed=99, energy=0.9))
    _generate(studio, qtbot)
    clips = _track(project).clips
    assert replace(locked, locked=True) in clips
    assert len({c.motion_id for c in clips}) == 2
    new_motion = next(c.motion_id for c in clips if not c.locked)
    old, new = _frames(project, locked.motion_id), _frames(project, new_motion)
    times = np.arange(len(old)) / 30.0
    inside = (times >= locked.start) & (times < locked.end)
    np.testing.assert_array_equal(old[inside], new[inside])
    assert not controller.regenerate_part(_track(project).id, 2)  # locked: refused


def test_cancel_takes_effect_quickly(studio, qtbot) -> None:  # type: ignore[no-untyped-def]
    project, stack, controller, bridge = studio
    cancelled: list[object] = []
    progress: list[int] = []
    bridge.cancelled.connect(cancelled.append)
    bridge.progress.connect(lambda percent, _: progress.append(percent))
    controller.generate(_track(project).id)
    qtbot.waitUntil(lambda: any(p >= 8 for p in progress), timeout=10000)  # planning started
    asked = time.perf_counter()
    bridge.cancel()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=5000)
    assert time.perf_counter() - asked < 0.5
    qtbot.wait(200)
    assert stack.count() == 0


def test_no_song_no_generation(qapp: QApplication) -> None:
    bridge = InferenceBridge()
    try:
        controller = GenerateController(bridge, QUndoStack(), lambda: None)  # type: ignore[arg-type,return-value]
        messages: list[str] = []
        controller.message.connect(messages.append)
        project = Project()
        controller.set_project(project)
        assert not controller.generate(project.dancer_tracks()[0].id)
        assert "Load a song" in messages[0]
    finally:
        bridge.shutdown()


def test_the_generate_panel_makes_an_undoable_routine(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.import_song(DEMO_SONG)
    qtbot.waitUntil(lambda: len(window.project.parts) > 0, timeout=30000)
    window.parameter_panel.generate_button.click()
    track = window.project.dancer_tracks()[0]
    qtbot.waitUntil(lambda: len(window.project.track(track.id).clips) > 0, timeout=30000)
    assert window.undo_stack.undoText() == "Generate routine"
    assert window.device_label.text() == "Compute: CPU"
    first = window.project.track(track.id).clips[2]
    window.clip_lanes.select(first.id)
    window.parameter_panel.lock_button.click()
    assert window.project.find_clip(first.id)[1].locked
    window.transport.seek(first.start + 0.1)
    window.parameter_panel.regenerate_button.click()  # the part under the playhead is locked
    assert window.undo_stack.undoText() == f"Lock {first.name}"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.project.track(track.id).clips == ()


def test_a_dancer_track_can_be_the_reference_ghost(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from viewport.scene import poses_at

    window.import_song(DEMO_SONG)
    qtbot.waitUntil(lambda: len(window.project.parts) > 0, timeout=30000)
    window.generate_routine()
    track = window.project.dancer_tracks()[0]
    qtbot.waitUntil(lambda: len(window.project.track(track.id).clips) > 0, timeout=30000)
    window.motion.toggle_current_ghost()
    assert window.project.track(track.id).ghost
    assert all(pose.ghost for pose in poses_at(window.project, 10.0))
    window.save_to(tmp_path / "ghost.eightcount")
    window.open_path(tmp_path / "ghost.eightcount")
    assert window.project.dancer_tracks()[0].ghost  # saved with the project
    window.motion.toggle_current_ghost()
    window.undo_stack.undo()
    assert window.project.dancer_tracks()[0].ghost


def test_an_imported_clip_joins_the_move_library(window, qtbot, shared_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bvh = next((shared_data / "motion" / "bandai_namco").glob("*dance*.bvh"))
    window.import_song(DEMO_SONG)
    qtbot.waitUntil(lambda: len(window.project.parts) > 0, timeout=30000)
    window.motion.import_paths([bvh])
    track = window.project.dancer_tracks()[0]
    qtbot.waitUntil(lambda: len(window.project.track(track.id).clips) == 1, timeout=30000)
    imported = window.project.track(track.id).clips[0]
    window.clip_lanes.select(imported.id)
    window.motion.add_selected_to_library()
    assert window.project.user_moves == (imported.motion_id,)
    window.save_to(tmp_path / "moves.eightcount")
    window.open_path(tmp_path / "moves.eightcount")
    assert window.project.user_moves == (imported.motion_id,)  # saved with the project

    # A second dancer gets a routine that draws on the user's move.
    second = window.motion.add_dancer_track()
    window.parameter_panel.sliders["creativity"].setValue(100)
    window.generation.generate(second.id)
    qtbot.waitUntil(lambda: len(window.project.track(second.id).clips) > 0, timeout=60000)
    routine = window.project.motions[window.project.track(second.id).clips[0].motion_id]
    from inference.generate import load_library

    base_units = len(load_library().units)
    assert (routine.arrays["plan"][:, 1] >= base_units).any(), "no user unit was used"
