"""Tag as Style…: clips of the timeline, or moves of the library, become examples of one of
the user's own styles, as one undo step; and the Styles dock that shows them.

The new tags are built and checked by :mod:`app.model.style_tags` before the command is
pushed (a refused name or a clip too short is said in the status bar, and nothing changes).
The classifier learns the styles from their examples on the worker, each time the scorecard
is made (:class:`app.scorecard_controller.ScoreTrackRequest`), and the styles it reads in each
clip and part come back with the scorecard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QInputDialog, QWidget

from app.commands import SetStyleTagsCommand
from app.model import Project
from app.model.style_tags import (
    Stretch,
    clip_stretch,
    move_stretch,
    style_names,
    tagged,
    untagged,
)
from inference.errors import UserFacingError
from widgets.clip_track import ClipTracksView
from widgets.style_panel import StylePanel

AskStyle = Callable[[Sequence[str], int], "str | None"]
"""Asks for a style name, offering the existing ones: (names, how many clips) -> name."""


def ask_style(parent: QWidget) -> AskStyle:
    """A box to type a new style name in, or pick one of the user's styles."""

    def ask(names: Sequence[str], count: int) -> str | None:
        what = f"{count} clip{'s' * (count != 1)}"
        text, ok = QInputDialog.getItem(
            parent,
            "Tag as Style",
            f"Tag {what} as an example of the style (type a new name, or pick one of yours):",
            list(names),
            0,
            True,
        )
        return text if ok and text.strip() else None

    return ask


class StyleTagController(QObject):
    """Turns tag and untag requests into one undo command each.

    Signals
    -------
    message(str)
        A line for the status bar: what was tagged, or why nothing was.
    """

    message = Signal(str)

    def __init__(self, undo_stack: QUndoStack, ask: AskStyle, parent: QObject | None = None):
        super().__init__(parent)
        self._stack = undo_stack
        self.ask = ask
        self.project = Project()
        self.lanes: ClipTracksView | None = None

    def set_project(self, project: Project, lanes: ClipTracksView) -> None:
        self.project, self.lanes = project, lanes
        lanes.tag_requested.connect(self.tag_clips)

    def tag_selected(self) -> bool:
        """Tag the clips selected on the dancer lanes (Ctrl+click selects several)."""
        return self.tag_clips(list(self.lanes.selected_clips) if self.lanes is not None else [])

    def tag_clips(self, clip_ids: Sequence[str]) -> bool:
        """Ask for a style and tag ``clip_ids``; False when nothing was tagged."""
        found = []
        for clip_id in clip_ids:
            try:
                found.append(self.project.find_clip(clip_id)[1])
            except KeyError:
                continue
        return self._tag([clip_stretch(c) for c in found], "clip")

    def tag_moves(self, motion_ids: Sequence[str]) -> bool:
        """Ask for a style and tag whole moves of the library; False when nothing was."""
        motions = self.project.motions
        return self._tag([move_stretch(motions[m]) for m in motion_ids if m in motions], "move")

    def _tag(self, stretches: list[Stretch], noun: str, style: str | None = None) -> bool:
        if not stretches:
            self.message.emit(
                f"Select one or more {noun}s to tag first (Ctrl+click adds clips)."
                if noun == "clip"
                else "Select moves of the library to tag first."
            )
            return False
        name = style if style is not None else self.ask(style_names(self.project), len(stretches))
        if name is None:
            return False
        try:
            tags = tagged(self.project, stretches, name)
        except UserFacingError as error:
            self.message.emit(str(error))
            return False
        style_name = tags[-1].style
        n = len(stretches)
        what = stretches[0].name if n == 1 else f"{n} {noun}s"
        self._stack.push(SetStyleTagsCommand(self.project, tags, f"Tag {what} as {style_name}"))
        examples = sum(t.style == style_name for t in tags)
        self.message.emit(
            f"Tagged {what} as “{style_name}” ({examples} example{'s' * (examples != 1)}); "
            "the scorecard reads it from now on."
        )
        return True

    def untag(self, keys: Sequence[tuple[str, float, float]]) -> bool:
        """The tagged stretches of ``keys`` stop being examples (one undo step)."""
        tags = untagged(self.project, keys)
        gone = len(self.project.style_tags) - len(tags)
        if not gone:
            return False
        text = f"Untag {gone} clip{'s' * (gone != 1)}"
        self._stack.push(SetStyleTagsCommand(self.project, tags, text))
        self.message.emit(f"{text}.")
        return True


def install_style_tags(window: Any) -> StyleTagController:
    """The window's Styles dock (tabbed with the inspector and the scorecard) and its
    controller; call :func:`show_project` whenever the window shows another project."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget

    dock = QDockWidget("Styles", window)
    dock.setObjectName("stylesDock")
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(window.scorecard_dock, dock)
    window.scorecard_dock.raise_()  # the scorecard stays the tab shown first
    window.styles_dock = dock
    controller = StyleTagController(window.undo_stack, ask_style(window), window)
    controller.message.connect(window.statusBar().showMessage)

    def show_clip_styles(styles: object) -> None:
        # The first project's views are not built yet when its scorecard is first cleared.
        for view in (getattr(window, "style_panel", None), getattr(window, "inspector", None)):
            if view is not None:
                view.set_clip_styles(styles)

    window.scorecard.clip_styles_changed.connect(show_clip_styles)
    return controller


def show_project(window: Any, project: Project) -> None:
    """A Styles panel on ``project`` in the window's dock, wired to the controller."""
    controller: StyleTagController = window.style_tags
    controller.set_project(project, window.clip_lanes)
    panel = StylePanel(project)
    panel.tag_clips_requested.connect(controller.tag_selected)
    panel.tag_moves_requested.connect(controller.tag_moves)
    panel.untag_requested.connect(controller.untag)

    def select_clip(clip_id: str) -> None:
        try:
            _track, clip = project.find_clip(clip_id)
        except KeyError:
            return
        window.transport.seek(clip.start)
        window.timeline.show_range(clip.start, clip.end)
        window.clip_lanes.select(clip_id)

    panel.clip_clicked.connect(select_clip)
    panel.set_clip_styles(window.scorecard.clip_styles)
    old = window.styles_dock.widget()
    window.styles_dock.setWidget(panel)
    if old is not None:
        old.deleteLater()
    window.style_panel = panel
