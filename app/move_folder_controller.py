"""Add Folder of Moves: a folder of the user's clips becomes a style of the move library.

The folder is read and cut into counts on the worker (:mod:`inference.generate.move_folder`);
what went in joins the project as one undo step (the motions and their style), and the user is
told how many went in and which files failed, and why. The generator then uses the clips when
their style is chosen in the Generate panel, whose style box lists it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QWidget

from app.actions import AskText
from app.bridge import InferenceBridge, Policy
from app.commands import AddUserMovesCommand
from app.model import Project, new_id
from app.model.track_sampling import asset_from_motion
from inference.generate.move_folder import (
    ImportMoveFolderRequest,
    MoveFolderResult,
    style_from_folder,
)
from widgets.parameter_panel import ParameterPanel


class MoveFolderController(QObject):
    """Folder requests (menu, button, drop) into worker jobs, and their results into one edit.

    Signals
    -------
    message(str)
        A line for the status bar.
    error(str, str)
        A title and a message for an error dialog (files that did not go in).
    """

    message = Signal(str)
    error = Signal(str, str)

    def __init__(
        self, parent: QWidget, undo_stack: QUndoStack, bridge: InferenceBridge, ask: AskText
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._stack = undo_stack
        self._bridge = bridge
        self._ask = ask
        self._project = Project()

    def set_project(self, project: Project, panel: ParameterPanel) -> None:
        self._project = project
        panel.add_moves_requested.connect(self.add_folder_dialog)
        panel.moves_folder_dropped.connect(self.add_folder)

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._parent, "Add Folder of Moves")
        if folder:
            self.add_folder(Path(folder))

    def add_folder(self, folder: Path, style: str | None = None) -> bool:
        """Add every motion file in ``folder`` to the library, in ``style`` (asked if None).

        Returns False when there is nothing to do (not a folder, or the user cancelled).
        """
        if not folder.is_dir():
            self.message.emit(f"{folder.name} is not a folder of moves.")
            return False
        if style is None:
            style = self._ask(
                "Add Folder of Moves",
                f"Style name for the moves in {folder.name}:",
                style_from_folder(folder),
            )
        if style is None or not style.strip():
            return False
        request = ImportMoveFolderRequest(str(folder), " ".join(style.split()))
        # A folder waits for a running song analysis or generation instead of cancelling it.
        self._bridge.submit(request, self.apply, policy=Policy.QUEUE)
        self.message.emit(f"Adding the moves in {folder.name}…")
        return True

    def apply(self, result: MoveFolderResult) -> None:
        """Add what went in as one undo step; say what did not, and why."""
        if result.moves:
            assets = [asset_from_motion(m.motion, new_id(), m.name) for m in result.moves]
            n = len(assets)
            text = f"Add {n} move{'s' * (n != 1)} in the style {result.style}"
            ids = [a.id for a in assets]
            self._stack.push(AddUserMovesCommand(self._project, ids, text, result.style, assets))
        if result.failed:
            title = "Some moves did not go in" if result.moves else "No moves went in"
            self.error.emit(title, result.summary())
        else:
            self.message.emit(f"{result.summary()} Choose it in the Style box.")
