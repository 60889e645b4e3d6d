"""The count timeline: drawing bounds, analysis as one undo step, and every edit driven in data
coordinates with its undo round trip."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.main_window import MainWindow
from app.model import Project
from inference.audio import analyze_song
from inference.paths import DEMO_SONG
from inference.waveform import compute_peaks
from widgets.timeline import TimelineView


@pytest.fixture
def studio(analysed_window: MainWindow) -> MainWindow:
    """The window with the demo song's analysis, zoomed in on the first parts, editing beats
    (the beat edits below need the beat-edit mode)."""
    analysed_window.timeline.set_beat_edit(True)
    return analysed_window


def _snapshot(project: Project) -> tuple[object, ...]:
    return (project.beat_grid, project.parts, project.part_names, project.sections)


def _undo_round_trip(window: MainWindow, edit: Callable[[], object], text: str) -> None:
    before = _snapshot(window.project)
    count = window.undo_stack.count()
    edit()
    after = _snapshot(window.project)
    assert after != before, "the edit changed nothing"
    assert window.undo_stack.count() == count + 1, "an edit must be exactly one command"
    assert window.undo_stack.undoText() == text
    window.undo_stack.undo()
    assert _snapshot(window.project) == before
    window.undo_stack.redo()
    assert _snapshot(window.project) == after


def test_waveform_of_a_10_minute_song_draws_a_bounded_number_of_points(qtbot: object) -> None:
    rate = 8000
    samples = np.random.default_rng(0).uniform(-1, 1, 600 * rate).astype(np.float32)
    view = TimelineView(Project())
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.resize(1200, 300)
    view.show()
    view.set_waveform(compute_peaks(samples, rate))
    width = view.view.width()
    for span in (600.0, 120.0, 10.0, 1.0, 0.5):
        for start in (0.0, 300.0, 600.0 - span):
            view.show_range(start, start + span)
            points = view.waveform_point_count()
            # Two points (min and max) per bin, one to two bins per pixel, plus edge bins.
            assert 0 < points <= 4 * width + 16, (span, start, points)
    view.show_range(0.0, 600.0)
    assert view.waveform_point_count() >= width  # zoomed out it still fills the width


def test_a_loaded_song_is_analysed_in_one_undo_step(window: MainWindow, qtbot: object) -> None:
    window.import_song(DEMO_SONG)
    qtbot.waitUntil(lambda: bool(window.project.parts), timeout=20000)  # type: ignore[attr-defined]
    assert window.undo_stack.undoText() == "Analyze song"
    project = window.project
    assert 125 < project.beat_grid.tempo_bpm < 135
    assert len(window.timeline.parts_lane.bands) == len(project.parts)
    assert len(window.timeline.sections_lane.bands) == len(project.sections) >= 2
    assert window.analysis.analysis is not None and window.analysis.analysis.energy
    window.undo_stack.undo()
    assert project.beat_grid.beats == () and project.parts == ()
    assert window.timeline.parts_lane.bands == []
    assert project.song is not None  # loading the song is its own step


def test_count_numbers_show_when_zoomed_in(studio: MainWindow) -> None:
    timeline = studio.timeline
    first_part = studio.project.parts[0]
    timeline.show_range(first_part.start - 0.01, first_part.end - 0.01)
    texts = [t for _, t in timeline.count_labels.visible_texts()]
    assert texts == [str(c) for c in range(1, 9)]
    timeline.show_range(0.0, 60.0)
    assert timeline.count_labels.visible_texts() == []  # too dense to read: hidden


def test_drag_a_beat_is_one_command_on_release(studio: MainWindow) -> None:
    timeline = studio.timeline
    beats = studio.project.beat_grid.beats
    target = beats[5]

    def drag() -> None:
        timeline.click(target + 0.01, 0.0)
        assert timeline.selected_beat == 5
        for step in (0.01, 0.02, 0.03):  # mouse moves push nothing
            timeline.beat_handle.setValue(target + step)
        assert studio.project.beat_grid.beats[5] == target
        timeline.beat_handle.sigPositionChangeFinished.emit(timeline.beat_handle)

    _undo_round_trip(studio, drag, "Move beat")
    assert studio.project.beat_grid.beats[5] == pytest.approx(target + 0.03)


def test_a_drag_past_the_neighbour_is_refused(studio: MainWindow) -> None:
    timeline = studio.timeline
    beats = studio.project.beat_grid.beats
    timeline.click(beats[5], 0.0)
    timeline.beat_handle.setValue(beats[7])
    timeline.beat_handle.sigPositionChangeFinished.emit(timeline.beat_handle)
    assert studio.project.beat_grid.beats == beats
    assert studio.undo_stack.count() == 0
    assert timeline.beat_handle.value() == pytest.approx(beats[5])  # snapped back


def test_double_click_inserts_and_delete_key_removes(studio: MainWindow, qtbot: object) -> None:
    timeline = studio.timeline
    beats = studio.project.beat_grid.beats
    middle = (beats[3] + beats[4]) / 2
    _undo_round_trip(studio, lambda: timeline.click(middle, 0.2, double=True), "Add beat")
    assert middle in studio.project.beat_grid.beats

    def delete() -> None:
        timeline.click(beats[2], 0.0)
        qtbot.keyClick(timeline.plot, Qt.Key.Key_Delete)  # type: ignore[attr-defined]

    _undo_round_trip(studio, delete, "Delete beat")


def test_count_one_key_rederives_counts_and_parts(studio: MainWindow, qtbot: object) -> None:
    timeline = studio.timeline
    grid = studio.project.beat_grid
    index = next(i for i, c in enumerate(grid.counts) if c == 3 and i > 8)

    def count_one() -> None:
        timeline.click(grid.beats[index], 0.0)
        qtbot.keyClick(timeline.plot, Qt.Key.Key_1)  # type: ignore[attr-defined]

    _undo_round_trip(studio, count_one, "Set count 1")
    new = studio.project
    assert new.beat_grid.counts[index] == 1
    assert any(p.first_beat == index for p in new.parts)  # parts followed the grid


def test_shift_all_beats_action(studio: MainWindow) -> None:
    first = studio.project.beat_grid.beats[0]
    _undo_round_trip(studio, studio.beat_actions["later"].trigger, "Shift beats")
    assert studio.project.beat_grid.beats[0] == pytest.approx(first + 0.01)


def test_tap_tempo_runs_merge_into_one_step_each(studio: MainWindow) -> None:
    controller = studio.analysis
    count = studio.undo_stack.count()
    for k in range(6):
        controller.tap(100.0 + 0.5 * k, 10.0 + 0.5 * k)
    assert studio.undo_stack.count() == count + 1
    grid = studio.project.beat_grid
    assert grid.tempo_bpm == pytest.approx(120.0, abs=0.01)
    assert 12.5 in [round(b, 6) for b in grid.downbeats]  # the last tap is a count 1
    for k in range(4):  # a second run, after a pause, is its own step
        controller.tap(110.0 + 0.4 * k, 20.0 + 0.4 * k)
    assert studio.undo_stack.count() == count + 2
    assert studio.project.beat_grid.tempo_bpm == pytest.approx(150.0, abs=0.01)
    studio.undo_stack.undo()
    assert studio.project.beat_grid.tempo_bpm == pytest.approx(120.0, abs=0.01)


def _menu_action(studio: MainWindow, x: float, y: float, starts: str) -> Callable[[], None]:
    menu = studio.timeline.context_menu(x, y)
    assert menu is not None
    return next(a for a in menu.actions() if a.text().startswith(starts)).trigger


def test_part_menu_renames_merges_and_splits(
    studio: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = studio.project.parts
    x, y = (parts[1].start + parts[1].end) / 2, 1.3  # inside part 2, in the parts lane
    monkeypatch.setattr("app.main_window.ask_text", lambda parent: lambda *a: "Hook")
    studio._set_project(studio.project, None)  # re-wire with the patched prompt
    _undo_round_trip(studio, _menu_action(studio, x, y, "Rename"), "Rename part 2")
    assert studio.project.part_label(studio.project.parts[1]) == "Hook"
    assert studio.timeline.parts_lane.bands[1].long_text == "2 · Hook"
    _undo_round_trip(studio, _menu_action(studio, x, y, "Merge"), "Merge parts")
    assert len(studio.project.parts) == len(parts) - 1
    split_at = studio.project.beat_grid.beats[parts[1].first_beat + 4]
    _undo_round_trip(studio, _menu_action(studio, split_at, y, "Split"), "Split part")


def test_section_menu_renames_merges_and_splits(
    studio: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    sections = studio.project.sections
    section = next(s for s in sections if s.n_parts >= 2)
    x, y = section.start + 0.1, 1.8
    monkeypatch.setattr("app.main_window.ask_text", lambda parent: lambda *a: "Drop")
    studio._set_project(studio.project, None)
    studio.analysis._remember(analyze_song(DEMO_SONG))
    _undo_round_trip(studio, _menu_action(studio, x, y, "Rename"), "Rename section")
    _undo_round_trip(studio, _menu_action(studio, x, y, "Split"), "Split section")
    _undo_round_trip(studio, _menu_action(studio, sections[0].start, y, "Merge"), "Merge sections")


def test_automatic_sections_follow_a_grid_edit_and_edited_ones_stay(studio: MainWindow) -> None:
    sections = studio.project.sections
    studio.beat_actions["later"].trigger()
    assert studio.project.sections == studio.analysis.analysis.sections  # type: ignore[union-attr]
    studio.analysis.edit_sections(
        (replace(sections[0], label="Drop"), *sections[1:]), "Rename section"
    )
    studio.beat_actions["later"].trigger()
    assert studio.project.sections[0].label == "Drop"


def test_follow_playhead_pages_the_view(studio: MainWindow) -> None:
    timeline = studio.timeline
    timeline.show_range(0.0, 10.0)
    timeline.set_playhead(9.5)
    low, high = timeline.visible_range()
    assert low < 9.5 < high and high - low == pytest.approx(10.0)
    assert low > 0.0
    studio.follow_action.trigger()  # off
    timeline.set_playhead(30.0)
    assert timeline.visible_range()[1] < 30.0


def test_keys_zoom_and_scroll(studio: MainWindow, qtbot: object) -> None:
    timeline = studio.timeline
    timeline.show_range(10.0, 20.0)
    qtbot.keyClick(timeline.plot, Qt.Key.Key_Plus)  # type: ignore[attr-defined]
    low, high = timeline.visible_range()
    assert high - low == pytest.approx(5.0) and low == pytest.approx(12.5)
    qtbot.keyClick(timeline.plot, Qt.Key.Key_Right)  # type: ignore[attr-defined]
    assert timeline.visible_range()[0] == pytest.approx(12.5 + 1.25)
