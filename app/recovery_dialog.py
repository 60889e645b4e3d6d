"""The start-up offer to restore what crashed studios autosaved: every project, newest first."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.autosave import Recovery


def recovery_label(recovery: Recovery) -> str:
    saved = time.strftime("%a %d %b %Y, %H:%M", time.localtime(recovery.saved_at))
    where = f" ({recovery.original_path})" if recovery.original_path else ""
    return f"{recovery.name}{where}: autosaved {saved}"


class RecoveryDialog(QDialog):
    """Lists the recoverable projects; Restore opens the selected one, Discard deletes it, and
    Later keeps them all for the next start."""

    def __init__(self, recoveries: list[Recovery], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore autosaved work?")
        self.chosen: Recovery | None = None
        layout = QVBoxLayout(self)
        count = len(recoveries)
        intro = QLabel(
            "EightCount Studio did not close normally. "
            + ("This project was" if count == 1 else f"These {count} projects were")
            + " autosaved (newest first). Restore one now; the others stay for later."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        for recovery in recoveries:
            item = QListWidgetItem(recovery_label(recovery))
            item.setData(Qt.ItemDataRole.UserRole, recovery)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _: self.restore())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("Restore")
        self.restore_button.setDefault(True)
        self.discard_button = QPushButton("Discard")
        self.discard_button.setToolTip("Delete the selected autosave for good")
        self.later_button = QPushButton("Later")
        self.later_button.setToolTip("Keep every autosave and ask again at the next start")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard_selected)
        self.later_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _selected(self) -> Recovery | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def restore(self) -> None:
        self.chosen = self._selected()
        if self.chosen is not None:
            self.accept()

    def discard_selected(self) -> None:
        recovery = self._selected()
        if recovery is None:
            return
        recovery.discard()
        self.list.takeItem(self.list.currentRow())
        if self.list.count() == 0:
            self.reject()


def ask_which_to_restore(recoveries: list[Recovery], parent: QWidget | None) -> Recovery | None:
    """The recovery the user chose to restore, or None (the rest are kept either way)."""
    dialog = RecoveryDialog(recoveries, parent)
    dialog.exec()
    return dialog.chosen
