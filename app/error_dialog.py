"""Error dialogs a dancer or teacher can read, with the technical details one click away.

The studio's messages for bad files and refused edits are already written for people (they
name the file and what is wrong) and are shown as they are. A bug ("Internal error: KeyError:
...") is shown as what it means for the user: nothing was lost, they can keep working, and
"Copy details" puts what a developer needs on the clipboard: the message, the versions, and
the end of the log file, which holds the traceback.
"""

from __future__ import annotations

import logging
import platform
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.help_text import studio_version
from app.logging_setup import current_log_file, log_tail

log = logging.getLogger(__name__)

INTERNAL_PREFIX = "Internal error:"
BUG_TEXT = (
    "Something went wrong inside EightCount Studio. Your project and your files were not "
    "changed, and you can keep working. If it happens again, press Copy details and send what "
    "it copies to whoever looks after your studio."
)


def plain_message(message: str) -> str:
    """What the dialog says: the message itself, or, for a bug, what the bug means."""
    return BUG_TEXT if message.startswith(INTERNAL_PREFIX) else message


def error_details(title: str, message: str) -> str:
    """The text "Copy details" copies: what happened, the versions, and the log's end."""
    log_file = current_log_file()
    lines = [
        f"{title}: {message}",
        "",
        f"EightCount Studio {studio_version()}",
        f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}",
        f"System: {platform.platform()}",
        f"Frozen bundle: {'yes' if getattr(sys, 'frozen', False) else 'no'}",
        f"Log file: {log_file if log_file is not None else 'none'}",
    ]
    tail = log_tail()
    if tail:
        lines += ["", "End of the log:", tail]
    return "\n".join(lines)


class ErrorDialog(QDialog):
    """A warning in plain words, the details hidden until asked for, and "Copy details"."""

    def __init__(self, title: str, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.details = error_details(title, message)
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40)
        )
        self.message_label = QLabel(plain_message(message))
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumWidth(420)
        self.message_label.setTextInteractionFlags(
            self.message_label.textInteractionFlags()
            | self.message_label.textInteractionFlags().TextSelectableByMouse
        )
        self.details_view = QPlainTextEdit(self.details)
        self.details_view.setReadOnly(True)
        self.details_view.setMinimumHeight(180)
        self.details_view.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setToolTip("Put the technical details on the clipboard, to send them on")
        self.copy_button.clicked.connect(self.copy_details)
        self.show_button = QPushButton("Show details")
        self.show_button.setCheckable(True)
        self.show_button.toggled.connect(self._show_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)

        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addWidget(self.message_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_view, 1)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)
        self.copy_button.setText("Copied")

    def _show_details(self, shown: bool) -> None:
        self.details_view.setVisible(shown)
        self.show_button.setText("Hide details" if shown else "Show details")
        self.adjustSize()


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Log the error and show it in an :class:`ErrorDialog` (modal)."""
    log.warning("%s: %s", title, message)
    ErrorDialog(title, message, parent).exec()
