"""Dancer lanes: every clip edit driven in data coordinates, one undo step, and snapping."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from app.model import BeatGrid, Clip, MotionAsset, Project, Track, TrackKind
from app.model.routine import clip_moves, routine_asset
from app.model.track_sampling import asset_from_motion
from app.project_io import load_project, save_project
from inference.motion import rest_motion
from widgets.clip_track import ClipAction, DragMode, label_left, lane_bounds

LANE_0 = sum(lane_bounds(0)) / 2
LANE_1 = sum(lane_bounds(1)) / 2
BEATS = tuple(0.5 * i for i in range(1, 41))  # 120 BPM for 20 s


@pytest.fixture
def studio(window: MainWindow) -> MainWindow:
    """Two dancer tracks; clip "c1" (2..4 s) and "c2" (6..7 s) on the first; beats every 0.5 s."""
    project = Project()
    project.add_track(Track("d2", "Dancer 2", TrackKind.DANCER))
    project.add_motion(asset_from_motion(rest_motion(300), "m1", "idle"))
    first = project.dancer_tracks()[0].id
    project.add_clip(first, Clip("c1", "m1", "idle", start=2.0, source_in=1.0, source_out=3.0))
    project.add_clip(first, Clip("c2", "m1", "idle", start=6.0, source_in=0.0, source_out=1.0))
    counts = tuple(i % 4 + 1 for i in range(len(BEATS)))
    project.set_beat_grid(BeatGrid(BEATS, counts, 4, 20.0))
    window._set_project(project, None)
    # The transport seeks within the song only: give it 20 s of silence.
    window.transport.set_song(np.zeros(20 * 8000, dtype=np.float32), 8000)
    window.timeline.show_range(0.0, 10.0)
    return window


def clip(window: MainWindow, clip_id: str) -> Clip:
    return window.project.find_clip(clip_id)[1]


def drag(
    window: MainWindow,
    clip_id: str,
    start: tuple[float, float],
    end: tuple[float, float],
    ripple: bool = False,
) -> DragMode | None:
    """A mouse drag from ``start`` to ``end`` (data coordinates), moving through the middle."""
    lanes = window.clip_lanes
    grabbed = lanes.grab_at(*start)
    assert grabbed is not None and grabbed.id == clip_id, "the drag must start on the clip"
    mode = lanes.begin_drag(*start)
    lanes.drag_to((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, ripple)
    lanes.drag_to(*end, ripple)
    lanes.finish_drag(*end, ripple)
    return mode


def round_trip(window: MainWindow, edit: Callable[[], object]) -> tuple[Track, ...]:
    """Run ``edit``: it must be one command that undo reverts and redo re-applies exactly."""
    before, count = window.project.tracks, window.undo_stack.count()
    edit()
    after = window.project.tracks
    assert after != before, "the edit changed nothing"
    assert window.undo_stack.count() == count + 1, "an edit must be exactly one command"
    window.undo_stack.undo()
    assert window.project.tracks == before
    window.undo_stack.redo()
    assert window.project.tracks == after
    return after


def test_dragging_a_clip_moves_it_on_release_snapped_to_a_beat(studio: MainWindow) -> None:
    mode = None

    def edit() -> None:
        nonlocal mode
        mode = drag(studio, "c1", (3.0, LANE_0), (4.04, LANE_0))

    round_trip(studio, edit)
    assert mode == "move"
    assert clip(studio, "c1").start == 3.0  # 3.04 snapped onto the beat at 3.0
    assert studio.clip_lanes.clip_rect("c1").left() == 3.0  # the lane follows the model


def test_a_drag_previews_without_touching_the_model(studio: MainWindow) -> None:
    lanes = studio.clip_lanes
    lanes.begin_drag(3.0, LANE_0)
    lanes.drag_to(3.7, LANE_0)
    assert clip(studio, "c1").start == 2.0 and studio.undo_stack.count() == 0
    assert lanes.preview_rect().left() == pytest.approx(2.7)
    lanes.finish_drag(3.0, LANE_0)  # released where it started: nothing to do
    assert studio.undo_stack.count() == 0 and lanes.preview_rect() is None


def test_a_clip_dragged_onto_its_neighbour_butts_against_it(studio: MainWindow) -> None:
    round_trip(studio, lambda: drag(studio, "c1", (3.0, LANE_0), (5.6, LANE_0)))
    assert clip(studio, "c1").end == pytest.approx(6.0)  # stops where "c2" begins


def test_a_clip_moves_to_another_dancer_track(studio: MainWindow) -> None:
    round_trip(studio, lambda: drag(studio, "c2", (6.5, LANE_0), (6.5, LANE_1)))
    assert studio.project.find_clip("c2")[0].id == "d2"
    assert studio.clip_lanes.lane_of("c2") == 1


def test_dragging_either_edge_trims_it(studio: MainWindow) -> None:
    assert round_trip(studio, lambda: drag(studio, "c1", (2.0, LANE_0), (1.52, LANE_0)))
    c1 = clip(studio, "c1")
    # The left edge snapped to the beat at 1.5 and the material stayed in place.
    assert (c1.start, c1.source_in, c1.end) == pytest.approx((1.5, 0.5, 4.0))
    round_trip(studio, lambda: drag(studio, "c1", (4.0, LANE_0), (4.73, LANE_0)))
    assert clip(studio, "c1").end == pytest.approx(4.73)  # no beat within reach: no snap


def test_split_at_the_playhead(studio: MainWindow) -> None:
    studio.transport.seek(3.0)
    round_trip(studio, lambda: studio.clip_lanes.request_action(ClipAction.SPLIT, "c1"))
    left, right, _ = studio.project.dancer_tracks()[0].clips
    assert (left.end, right.start, right.source_in) == (3.0, 3.0, 2.0)
    studio.transport.seek(9.0)  # outside the clip: refused, nothing pushed
    count = studio.undo_stack.count()
    studio.clip_lanes.request_action(ClipAction.SPLIT, "c1")
    assert studio.undo_stack.count() == count


def test_duplicate_mirror_and_delete_through_the_lane_keys(
    studio: MainWindow, qtbot: QtBot
) -> None:
    lanes = studio.clip_lanes
    lanes.select("c2")
    tracks = round_trip(studio, lambda: lanes.actions_by_name["duplicate"].trigger())
    copy = tracks[1].clips[-1]
    assert (copy.start, copy.duration, copy.id != "c2") == (7.0, 1.0, True)
    round_trip(studio, lambda: lanes.actions_by_name["mirror"].trigger())
    assert clip(studio, "c2").mirrored
    studio.activateWindow()
    lanes.plot.setFocus()
    qtbot.waitUntil(lambda: lanes.plot.hasFocus(), timeout=2000)
    round_trip(studio, lambda: qtbot.keyClick(lanes.plot, Qt.Key.Key_Delete))
    assert lanes.clip_rect("c2") is None and lanes.selected_clip is None


def test_the_context_menu_offers_every_clip_action(studio: MainWindow) -> None:
    menu = studio.clip_lanes.context_menu("c1")
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [
        "Split at Playhead",
        "Duplicate",
        "Mirror Left/Right",
        "Delete",
        "Lock",
        "Tag as Style…",
    ]
    round_trip(studio, lambda: menu.actions()[2].trigger())
    assert clip(studio, "c1").mirrored


def test_adjacent_clips_show_a_transition_mark(studio: MainWindow) -> None:
    assert studio.clip_lanes.rows[0].blended == set()
    drag(studio, "c1", (3.0, LANE_0), (5.6, LANE_0))  # now touching "c2"
    assert studio.clip_lanes.rows[0].blended == {"c2"}


def test_clicking_an_empty_lane_seeks_and_picks_the_import_track(studio: MainWindow) -> None:
    studio.clip_lanes.click(8.5, LANE_1)
    assert studio.transport.position == pytest.approx(8.5)
    assert studio.motion.target_track() == studio.project.track("d2")
    assert studio.clip_lanes.playhead.value() == pytest.approx(8.5)


def test_a_clip_stopped_by_its_neighbour_says_why_and_shift_ripples(studio: MainWindow) -> None:
    drag(studio, "c1", (3.0, LANE_0), (5.6, LANE_0))  # butts against c2 at 6 s
    message = studio.statusBar().currentMessage()
    assert "stops at idle" in message and "Shift" in message
    # Now they touch: a drag further right cannot move c1 at all, and says so.
    count = studio.undo_stack.count()
    studio.statusBar().clearMessage()
    drag(studio, "c1", (5.0, LANE_0), (5.5, LANE_0))
    assert studio.undo_stack.count() == count and clip(studio, "c1").end == pytest.approx(6.0)
    assert "stops at" in studio.statusBar().currentMessage()
    # With Shift (ripple) it goes where it was dropped and pushes c2 along: one undo step.
    tracks = round_trip(studio, lambda: drag(studio, "c1", (5.0, LANE_0), (5.6, LANE_0), True))
    assert studio.undo_stack.undoText() == "Ripple move idle"
    c1, c2 = tracks[1].clips
    assert c1.start == pytest.approx(4.6) and c2.start == pytest.approx(c1.end)


def test_the_preview_stops_where_the_edit_will(studio: MainWindow) -> None:
    lanes = studio.clip_lanes
    lanes.begin_drag(3.0, LANE_0)
    lanes.drag_to(5.6, LANE_0)  # the clip would overlap c2: the preview butts against it
    assert lanes.preview_rect().right() == pytest.approx(6.0)
    lanes.finish_drag(5.6, LANE_0)
    assert clip(studio, "c1").end == pytest.approx(6.0)


def test_a_trim_onto_the_neighbour_says_why(studio: MainWindow) -> None:
    drag(studio, "c1", (3.0, LANE_0), (5.6, LANE_0))
    count = studio.undo_stack.count()
    drag(studio, "c1", (5.98, LANE_0), (6.6, LANE_0))  # the right edge into c2
    assert studio.undo_stack.count() == count
    assert "stops at idle" in studio.statusBar().currentMessage()


def _pixels(window: MainWindow, x: float, y: float) -> tuple[int, int]:
    lanes = window.clip_lanes
    point = lanes.plot.mapFromScene(lanes.view.mapViewToScene(QPointF(x, y)))
    return point.x(), point.y()


def _darkest(image: QImage, left: int, right: int, y: int) -> int:
    return min(QColor(image.pixel(px, y)).lightness() for px in range(left, right))


def test_labels_are_cut_to_their_clip_and_gaps_show(studio: MainWindow) -> None:
    project = studio.project
    track = project.dancer_tracks()[0].id
    project.remove_clip("c2")
    long = project.find_clip("c1")[1]
    project.replace_clip(replace(long, name="Part 1 with a name far too long for this clip"))
    project.add_clip(track, Clip("c3", "m1", "", start=4.0, source_in=6.0, source_out=6.5))
    project.add_clip(track, Clip("c4", "m1", "later", start=8.0, source_in=0.0, source_out=1.0))
    studio.timeline.show_range(0.0, 10.0)
    image = studio.clip_lanes.plot.grab().toImage()
    left, y = _pixels(studio, 4.0, LANE_0)
    right, _ = _pixels(studio, 4.5, LANE_0)
    # No text of c1 runs on over c3 (c3 has no name of its own): "Part 1Part 12 13" is gone.
    assert _darkest(image, left + 3, right - 3, y) > 60
    # The gap between c3 and c4 is drawn (the dancer holds there), not left empty.
    gap_left, _ = _pixels(studio, 4.6, LANE_0)
    gap_right, _ = _pixels(studio, 7.9, LANE_0)
    brightest = max(QColor(image.pixel(px, y)).lightness() for px in range(gap_left, gap_right))
    assert brightest > 60


def test_the_label_starts_after_the_blend_mark() -> None:
    assert label_left(100.0, 24.0, 0.0) >= 124.0  # "locked" is no longer under the cross
    assert label_left(-50.0, 24.0, 10.0) >= 10.0  # pinned to the view's edge when scrolled


def _routine_asset() -> MotionAsset:
    from inference.generate import GenerationParams
    from inference.generate.routine_job import PartSummary, RoutineResult

    result = RoutineResult(
        motion=rest_motion(300),
        plan=(),
        unit_names=(),
        parts=(
            PartSummary(1, 0.0, 4.0, ("side_slide", "hip_sway (mirror)", "hip_sway")),
            PartSummary(2, 4.0, 8.0, ("knee_pop", "salsa 60_01 b2+4")),
        ),
        params=GenerationParams(),
    )
    return routine_asset(result, "Generate routine")


def test_generated_clips_show_their_moves_and_the_inspector_the_selected_clip(
    studio: MainWindow, tmp_path: Path
) -> None:
    project = studio.project
    asset = _routine_asset()
    project.add_motion(asset)
    track = project.dancer_tracks()[1].id
    project.add_clip(track, Clip("g1", asset.id, "Part 1", 0.0, 0.0, 4.0, locked=True))
    name, detail = studio.clip_lanes.clip_label("g1")
    assert (name, detail) == ("Part 1", "locked · side slide · hip sway")
    studio.clip_lanes.select("g1")
    shown = {k: v.text() for k, v in studio.inspector.clip_values.items()}
    assert shown["Name"] == "Part 1" and shown["Moves"] == "side slide · hip sway"
    assert shown["Source"].startswith("generated routine") and shown["Start"] == "0:00.00"
    assert shown["Length"] == "4.00 s" and shown["Lock"].startswith("locked")
    # The moves are kept in the project file.
    save_project(project, tmp_path / "p.eightcount")
    again = load_project(tmp_path / "p.eightcount")
    assert clip_moves(again.find_clip("g1")[1], again.motions[asset.id]) == (
        "side slide",
        "hip sway",
    )


def test_the_lock_button_and_menu_say_unlock_on_a_locked_clip(studio: MainWindow) -> None:
    panel = studio.parameter_panel
    studio.clip_lanes.select("c1")
    assert panel.lock_button.text() == "Lock clip"
    assert studio.lock_action.text() == "&Lock Selected Clip"
    panel.lock_button.click()
    assert clip(studio, "c1").locked
    assert panel.lock_button.text() == "Unlock clip"
    assert studio.lock_action.text() == "&Unlock Selected Clip"
    studio.lock_action.trigger()
    assert not clip(studio, "c1").locked and panel.lock_button.text() == "Lock clip"
    studio.clip_lanes.select(None)
    assert not panel.lock_button.isEnabled()
