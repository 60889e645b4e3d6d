"""Help -> About: the version, the device compute runs on, and the shipped data's attributions.

The device needs torch, which the window never imports itself: it is asked on the worker
(:class:`DeviceRequest`, queued behind any running task), and the line says "checking…" until
the answer comes. The attributions are ``resources/ATTRIBUTION.md``, shown as it is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.bridge import InferenceBridge, Policy
from app.help_text import studio_version
from app.logging_setup import current_log_file
from inference.device import describe_device
from inference.jobs import Job, Progress
from inference.paths import RESOURCES_DIR

ATTRIBUTION_FILE = RESOURCES_DIR / "ATTRIBUTION.md"


@dataclass(frozen=True)
class DeviceRequest:
    """Which device the next task will run on, in words ("CUDA: NVIDIA H200", "CPU")."""

    def job(self) -> Job[str]:
        yield Progress(0, "Checking the compute device…")
        return describe_device()


def attribution_markdown() -> str:
    try:
        return ATTRIBUTION_FILE.read_text(encoding="utf-8")
    except OSError as error:
        return f"The attributions could not be read from {ATTRIBUTION_FILE}: {error.strerror}."


class AboutDialog(QDialog):
    """The version, the compute device (filled in from the worker) and the attributions."""

    def __init__(self, bridge: InferenceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About EightCount Studio")
        self.resize(760, 620)
        self.version_label = QLabel(
            f"<b>EightCount Studio</b> {studio_version()}<br>"
            "An offline choreography studio: it never needs an internet connection."
        )
        self.device_label = QLabel("Compute device: checking…")
        log_file = current_log_file()
        self.log_label = QLabel(f"Log file: {log_file}" if log_file else "Log file: none")
        self.log_label.setWordWrap(True)
        self.attributions = QTextBrowser()
        self.attributions.setOpenExternalLinks(False)  # offline: links are shown, not opened
        self.attributions.setMarkdown(attribution_markdown())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.version_label, self.device_label, self.log_label):
            layout.addWidget(widget)
        layout.addWidget(QLabel("<b>Attributions</b>"))
        layout.addWidget(self.attributions, 1)
        layout.addWidget(buttons)
        bridge.submit(DeviceRequest(), self.show_device, self._device_failed, Policy.QUEUE)

    def show_device(self, device: str) -> None:
        self._set_device(device)

    def _device_failed(self, message: str) -> None:
        self._set_device(f"unknown ({message})")

    def _set_device(self, text: str) -> None:
        if isValid(self.device_label):  # the answer may come after the dialog was closed
            self.device_label.setText(f"Compute device: {text}")
