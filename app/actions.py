"""The timeline's edit requests, and the beat, view and export menu actions, wired to commands.

The timeline only says what the user asked for, in seconds and indices; here each request
becomes one call of :class:`~app.analysis_controller.AnalysisController`, which pushes one undo
command (or says in the status bar why the edit was refused).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import assert_never

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from app.analysis_controller import EXPORTS, AnalysisController
from app.file_dialogs import DialogPlaces
from app.model import Project
from app.model.derive import (
    merge_parts,
    merge_sections,
    names_after_merge,
    names_after_split,
    rename_section,
    split_part,
    split_section,
)
from inference.audio import delete_beat, insert_beat, move_beat, set_count_one, shift_grid
from inference.errors import UserFacingError
from widgets.timeline import BandEdit, TimelineView

NUDGE_SECONDS = 0.01
"""How far one "shift beats" step moves the whole grid: below what the ear notices as a flam."""

AskText = Callable[[str, str, str], "str | None"]
PartMoves = Callable[[], Mapping[int, tuple[str, ...]]]

EXPORT_NAMES = {
    # kind: what the suggested file name says after the song's name
    "beats_csv": "beats",
    "parts_csv": "parts",
    "sections_csv": "sections",
    "json": "analysis",
    "labels": "labels",
    "count_sheet": "count sheet",
}


def ask_text(parent: QWidget) -> AskText:
    """A prompt for a name, as a function of (title, label, current text)."""

    def ask(title: str, label: str, current: str) -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, text=current)
        return text if ok and text.strip() else None

    return ask


def connect_timeline(
    timeline: TimelineView, project: Project, controller: AnalysisController, ask: AskText
) -> None:
    """Turn each edit request of ``timeline`` into one undoable edit of ``project``."""
    edit = controller.edit_grid
    timeline.beat_move_requested.connect(
        lambda i, t: edit(lambda g: move_beat(g, i, t), "Move beat")
    )
    timeline.beat_insert_requested.connect(lambda t: edit(lambda g: insert_beat(g, t), "Add beat"))
    timeline.beat_delete_requested.connect(
        lambda i: edit(lambda g: delete_beat(g, i), "Delete beat")
    )
    timeline.count_one_requested.connect(
        lambda i: edit(lambda g: set_count_one(g, i), "Set count 1")
    )

    def on_part(action: BandEdit, index: int, at: float) -> None:
        action = BandEdit(action)
        parts, names = project.parts, project.part_names
        try:
            if action is BandEdit.RENAME:
                current = project.part_label(parts[index - 1])
                name = ask("Rename Part", f"Name of part {index}:", current)
                if name is not None:
                    controller.rename_part(index, name)
            elif action is BandEdit.MERGE:
                merged = merge_parts(parts, index)
                controller.edit_parts(merged, names_after_merge(names, index), "Merge parts")
            elif action is BandEdit.SPLIT:
                beat = timeline.nearest_beat(at, max_pixels=1e9)
                split = split_part(parts, project.beat_grid, index, -1 if beat is None else beat)
                controller.edit_parts(split, names_after_split(names, index), "Split part")
            else:
                assert_never(action)
        except ValueError as error:
            controller.message.emit(str(error))

    def on_section(action: BandEdit, position: int, at: float) -> None:
        action = BandEdit(action)
        sections = project.sections
        try:
            if action is BandEdit.RENAME:
                label = ask("Rename Section", "Section name:", sections[position].label)
                if label is not None:
                    controller.edit_sections(
                        rename_section(sections, position, label), "Rename section"
                    )
            elif action is BandEdit.MERGE:
                controller.edit_sections(merge_sections(sections, position), "Merge sections")
            elif action is BandEdit.SPLIT:
                split = split_section(sections, project.parts, position, at)
                controller.edit_sections(split, "Split section")
            else:
                assert_never(action)
        except ValueError as error:
            controller.message.emit(str(error))

    timeline.part_edit_requested.connect(on_part)
    timeline.section_edit_requested.connect(on_section)


def add_action(menu: QMenu, parent: QWidget, text: str, slot: object, *keys: str) -> QAction:
    action = QAction(text, parent)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def build_beat_menu(
    menu: QMenu,
    parent: QWidget,
    controller: AnalysisController,
    timeline: Callable[[], TimelineView],
    position: Callable[[], float],
) -> dict[str, QAction]:
    """Beat editing actions on the Edit menu; returns them by name (for tests and toolbars)."""
    edit = controller.edit_grid

    def on_selected(make: Callable[[int], object]) -> Callable[[], None]:
        def run() -> None:
            selected = timeline().selected_beat
            if selected is None:
                controller.message.emit("Select a beat first: click next to it on the timeline.")
            else:
                make(selected)

        return run

    menu.addSeparator()
    return {
        "insert": add_action(
            menu,
            parent,
            "Insert Beat at Playhead",
            lambda: edit(lambda g: insert_beat(g, position()), "Add beat"),
            "I",
        ),
        "delete": add_action(
            menu,
            parent,
            "Delete Selected Beat",
            on_selected(lambda i: edit(lambda g: delete_beat(g, i), "Delete beat")),
        ),
        "count_one": add_action(
            menu,
            parent,
            "Make Selected Beat Count 1",
            on_selected(lambda i: edit(lambda g: set_count_one(g, i), "Set count 1")),
        ),
        "earlier": add_action(
            menu,
            parent,
            "Shift All Beats Earlier",
            lambda: edit(lambda g: shift_grid(g, -NUDGE_SECONDS), "Shift beats"),
            "Ctrl+Left",
        ),
        "later": add_action(
            menu,
            parent,
            "Shift All Beats Later",
            lambda: edit(lambda g: shift_grid(g, NUDGE_SECONDS), "Shift beats"),
            "Ctrl+Right",
        ),
        "reanalyze": add_action(menu, parent, "Re-analyse Song", controller.reanalyze),
    }


def build_export_menu(
    menu: QMenu,
    parent: QWidget,
    controller: AnalysisController,
    report: Callable[[str], None],
    places: DialogPlaces,
    moves: PartMoves,
) -> QMenu:
    """File → Export: each of :data:`~app.analysis_controller.EXPORTS`, through a save dialog
    that starts in the project's folder with a name made from the song; a name typed without
    an extension gets the export's own. The count sheet lists the ``moves`` of each part."""
    export_menu = menu.addMenu("&Export")

    def export(kind: str, file_filter: str) -> None:
        suffix = _filter_suffix(file_filter)
        target = places.save_path(parent, "Export", suffix, file_filter, EXPORT_NAMES[kind])
        if target is None:
            return
        try:
            written = controller.export(kind, target, dict(moves()))
        except (OSError, UserFacingError) as error:
            report(f"Could not export {target.name}: {error}")
            return
        report(f"Exported {written.name}")

    for kind, (text, file_filter) in EXPORTS.items():
        add_action(export_menu, parent, text, lambda _=False, k=kind, f=file_filter: export(k, f))
    return export_menu


def _filter_suffix(file_filter: str) -> str:
    """The first extension a dialog filter names: ``"Text (*.txt)"`` gives ``".txt"``."""
    found = re.search(r"\*(\.[\w.]+)", file_filter)
    if found is None:
        raise ValueError(f"the filter {file_filter!r} names no extension")
    return found.group(1)
