"""User styles in the studio: clips tagged on the dancer lanes (Ctrl+click, Tag as Style…) or
moves of the library tagged in the Styles panel become styles the classifier recognises,
few-shot, in each clip and part; tagging is one undo step, refused names change nothing, and
the tags are saved with the project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from app.commands import AddUserMovesCommand, ReplaceClipCommand
from app.main_window import MainWindow
from app.model import Clip, Project, Song, Track, TrackKind, new_id
from app.model.style_tags import style_names
from app.model.track_sampling import asset_from_motion
from app.project_io import load_project
from inference.audio import SongAnalysis
from inference.motion import Motion, load_motion
from inference.paths import DEMO_SONG
from inference.style.dataset import authored_clips
from widgets.clip_track import lane_bounds
from widgets.scorecard_panel import COLUMNS

LANE_1 = sum(lane_bounds(1)) / 2
IDOL, KPOP = "our idol pop", "our girl crush"
EXAMPLE_SECONDS = 10.0
"""How much of each 32-s Perfume capture is tagged (a trim: the tag is the clip's stretch)."""


def add_clip(project: Project, track_id: str, name: str, motion: Motion, start: float) -> Clip:
    """A clip of ``motion`` at ``start``: all of it, or 10 s from 1 s into a long one."""
    asset = asset_from_motion(motion, new_id(), name)
    project.add_motion(asset)
    source_in = 1.0 if asset.duration > EXAMPLE_SECONDS + 1.0 else 0.0
    source_out = min(asset.duration, source_in + EXAMPLE_SECONDS)
    clip = Clip(new_id(), asset.id, name, start, source_in, source_out)
    project.add_clip(track_id, clip)
    return clip


@pytest.fixture
def studio(
    window: MainWindow, demo_analysis: SongAnalysis, shared_data: Path
) -> tuple[MainWindow, list[str], list[str], dict[str, str]]:
    """Dancer 1: five held-out clips (a Perfume routine, four authored hip-hop and conceptual
    moves); Dancer 2: three Perfume captures and three authored moves of other families, to
    tag. Returns the window, the ids of the idol and the k-pop clips to tag, and the
    held-out clips' ids with the style each should read as."""
    project = Project(
        tracks=[
            Track(new_id(), "Audio", TrackKind.AUDIO),
            Track("d1", "Dancer 1", TrackKind.DANCER),
            Track("d2", "Dancer 2", TrackKind.DANCER),
        ]
    )
    project.set_song(Song(str(DEMO_SONG), "Vibe Ace", demo_analysis.duration))
    project.set_beat_grid(demo_analysis.grid)
    project.set_parts(demo_analysis.parts)
    project.set_sections(demo_analysis.sections)
    perfume = shared_data / "motion" / "perfume"
    start, idol, kpop = 0.0, [], []
    for name in ("A_test", "B_test", "C_test"):
        idol.append(add_clip(project, "d2", name, load_motion(perfume / f"{name}.bvh"), start))
        start = idol[-1].end + 0.5
    for family in ("pop", "girl-crush", "ballad"):
        name, motion = authored_clips(family)[0]
        kpop.append(add_clip(project, "d2", name, motion, start))
        start = kpop[-1].end + 0.5
    held_out = [("aachan", load_motion(perfume / "aachan.bvh"), IDOL)]
    held_out += [(*authored_clips(f)[i], KPOP) for f in ("hip-hop", "conceptual") for i in (0, 1)]
    start, expected = 0.0, {}
    for name, motion, style in held_out:
        clip = add_clip(project, "d1", name, motion, start)
        expected[clip.id] = style
        start = clip.end + 1.0
    window._set_project(project, None)
    window.clip_lanes.select(next(iter(expected)))  # the scorecard scores Dancer 1
    return window, [c.id for c in idol], [c.id for c in kpop], expected


def answer_style(window: MainWindow, name: str | None) -> list[tuple[Sequence[str], int]]:
    """Make the Tag as Style box answer ``name``; returns what it was asked."""
    asked: list[tuple[Sequence[str], int]] = []

    def ask(names: Sequence[str], count: int) -> str | None:
        asked.append((list(names), count))
        return name

    window.style_tags.ask = ask
    return asked


def ctrl_click(window: MainWindow, qtbot: QtBot, clip: Clip, lane_y: float) -> None:
    """A real Ctrl+click on the middle of ``clip`` on the dancer lanes."""
    lanes = window.clip_lanes
    scene = lanes.view.mapViewToScene(QPointF((clip.start + clip.end) / 2, lane_y))
    point: QPoint = lanes.plot.mapFromScene(scene)
    qtbot.mouseClick(
        lanes.plot.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, point
    )


def test_tagged_clips_teach_styles_that_the_studio_reads_in_each_clip_and_part(
    studio: tuple[MainWindow, list[str], list[str], dict[str, str]], qtbot: QtBot, tmp_path: Path
) -> None:
    window, idol, kpop, expected = studio
    lanes, stack = window.clip_lanes, window.undo_stack
    window.timeline.show_range(0.0, 60.0)
    # Three clips selected on Dancer 2: a click, then two Ctrl+clicks; tagged in one step.
    lanes.select(idol[0])
    for clip_id in idol[1:]:
        ctrl_click(window, qtbot, window.project.find_clip(clip_id)[1], LANE_1)
    assert lanes.selected_clips == tuple(idol)
    asked = answer_style(window, IDOL)
    count = stack.count()
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    tag_action = next(a for a in edit_menu.actions() if a.text().startswith("&Tag Selected"))
    assert tag_action.shortcut().toString() == "Ctrl+T"
    tag_action.trigger()
    assert asked == [([], 3)] and stack.count() == count + 1
    assert [t.style for t in window.project.style_tags] == [IDOL] * 3
    # The second style from the clip menu of the first of three selected clips.
    lanes.select(kpop[0])
    lanes.toggle_selected(kpop[1])
    lanes.toggle_selected(kpop[2])
    answer_style(window, KPOP)
    menu = lanes.context_menu(kpop[0])
    next(a for a in menu.actions() if a.text() == "Tag as Style… (3 clips)").trigger()
    assert style_names(window.project) == (IDOL, KPOP)
    tree = window.style_panel.styles_tree
    assert [tree.topLevelItem(i).text(0) for i in range(2)] == [
        f"{IDOL}  (3 clips)",
        f"{KPOP}  (3 clips)",
    ]
    assert lanes.clip_label(kpop[0])[1].startswith(f"◆ {KPOP}")
    # Undo and redo swap the tags whole.
    tags = window.project.style_tags
    stack.undo()
    assert style_names(window.project) == (IDOL,)
    stack.redo()
    assert window.project.style_tags == tags

    # The scorecard learns both styles on the worker and reads them in the held-out clips
    # (while the Styles tab is in front: the scorecard fills its part list hidden).
    window.styles_dock.raise_()
    lanes.select(next(iter(expected)))
    window.scorecard.schedule()
    qtbot.waitUntil(
        lambda: (
            window.scorecard.card is not None
            and window.scorecard.card.user_styles == (IDOL, KPOP)
            and not window.scorecard.busy
        ),
        timeout=90000,
    )
    styles = window.scorecard.clip_styles
    assert set(styles) == set(expected)
    for clip_id, style in expected.items():
        read = styles[clip_id]
        assert read is not None
        best = read.top(1)[0][0]
        assert best == style, f"{window.project.find_clip(clip_id)[1].name}: {read.text()}"
        assert read.style in (style, "mixed")
    panel = window.style_panel
    row = panel.clip_row(next(iter(expected)))
    assert row == 0 and panel.clips_table.item(row, 2).text().startswith(IDOL)
    card = window.scorecard.card
    assert card.parts[0].style is not None and card.parts[0].style.top(1)[0][0] == IDOL
    scorecard_panel = window.scorecard_panel
    table, style_column = scorecard_panel.table, COLUMNS.index("Style")
    assert table.item(0, style_column).text().startswith(IDOL)
    # The parts' styles are in view in the docked panel, not scrolled off to the right.
    window.scorecard_dock.raise_()
    qtbot.waitUntil(lambda: table.isVisible(), timeout=2000)
    right = table.columnViewportPosition(style_column) + table.columnWidth(style_column)
    assert right <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0  # the verdict is elided, not scrolled
    # The routine's style line, long with the user's names, wraps instead of widening the
    # dock column (which squeezed the timeline).
    label = scorecard_panel.style_label
    assert label.text().startswith("Style: ") and any(n in label.text() for n in (KPOP, IDOL))
    line = label.fontMetrics().horizontalAdvance(label.text())
    assert label.minimumSizeHint().width() < line / 2
    window.inspector.set_selected_clip(next(iter(expected)))
    assert window.inspector.clip_values["Style"].text().startswith(IDOL)
    # A click on a clip's row selects it on the timeline.
    held = list(expected)[2]
    panel._on_clip_row_clicked(panel.clip_row(held), 0)
    assert lanes.selected_clip == held
    assert window.transport.position == pytest.approx(window.project.find_clip(held)[1].start)

    # Saved with the project, and back when it is opened.
    path = tmp_path / "styles.eightcount"
    assert window.save_to(path)
    assert load_project(path).style_tags == tags
    window.open_path(path)
    assert window.project.style_tags == tags
    assert window.style_panel.styles_tree.topLevelItemCount() == 2


def test_a_refused_name_or_a_short_clip_changes_nothing_and_says_why(
    studio: tuple[MainWindow, list[str], list[str], dict[str, str]],
) -> None:
    window, idol, _kpop, _expected = studio
    stack, lanes = window.undo_stack, window.clip_lanes
    messages: list[str] = []
    window.style_tags.message.connect(messages.append)
    count = stack.count()
    lanes.select(idol[0])
    answer_style(window, "Hip-Hop/Street")
    assert not window.style_tags.tag_selected()
    assert "a name the classifier uses itself" in messages[-1]
    answer_style(window, None)  # the box cancelled
    assert not window.style_tags.tag_selected()
    lanes.select(None)
    assert not window.style_tags.tag_selected()
    assert messages[-1].startswith("Select one or more clips")
    # A clip trimmed under a second cannot be an example.
    _track, clip = window.project.find_clip(idol[1])
    stack.push(ReplaceClipCommand(window.project, replace(clip, source_out=1.5), "Trim"))
    answer_style(window, IDOL)
    assert not window.style_tags.tag_clips([idol[0], idol[1]])
    assert "B_test lasts 0.50 s" in messages[-1]
    assert stack.count() == count + 1 and window.project.style_tags == ()


def test_moves_of_the_library_are_tagged_and_untagged_in_the_styles_panel(
    studio: tuple[MainWindow, list[str], list[str], dict[str, str]],
) -> None:
    window, _idol, kpop, _expected = studio
    project = window.project
    moves = [project.find_clip(c)[1].motion_id for c in kpop]
    window.undo_stack.push(AddUserMovesCommand(project, moves, "Add moves", "our folder"))
    panel = window.style_panel
    # A folder's style is a style too, learnt from its moves.
    assert style_names(project) == ("our folder",)
    assert panel.moves_list.count() == 3 and "(our folder)" in panel.moves_list.item(0).text()
    assert not panel.untag_button.isEnabled()  # a folder's moves are no tags to undo
    panel.moves_list.item(0).setSelected(True)
    panel.moves_list.item(2).setSelected(True)
    answer_style(window, "  our   ballad ")
    panel.tag_moves_button.click()
    assert [(t.style, t.motion_id) for t in project.style_tags] == [
        ("our ballad", moves[0]),
        ("our ballad", moves[2]),
    ]
    assert style_names(project) == ("our ballad", "our folder")
    assert "(our ballad)" in panel.moves_list.item(0).text()
    top = panel.styles_tree.topLevelItem(0)
    assert top.text(0) == "our ballad  (2 clips)"
    top.child(1).setSelected(True)
    assert panel.untag_button.isEnabled()
    panel.untag_button.click()
    assert [t.motion_id for t in project.style_tags] == [moves[0]]
    window.undo_stack.undo()
    assert len(project.style_tags) == 2
