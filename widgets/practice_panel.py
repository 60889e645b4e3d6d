"""The practice panel: the camera with the dancer's skeleton over it, the count shown large,
and the live score of the part being looped.

It shows what it is handed (pictures, landmarks, counts, scores) and owns no project state;
the practice-mode controller runs the camera and the scoring on a worker. With no camera it
says so and offers to score a video file instead.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from widgets.video_panel import VideoFrameView, mirror_picture

if TYPE_CHECKING:  # the scoring package loads scipy: not at start-up
    from inference.scoring import PartScore

IDLE_TEXT = (
    "Practice mode: put the playhead in a part and press Start. The part loops at the chosen "
    "speed while you dance it in front of the camera."
)


def _big_label(point_size: int, text: str = "") -> QLabel:
    label = QLabel(text)
    font = QFont()
    font.setPointSize(point_size)
    font.setBold(True)
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class PracticePanel(QWidget):
    """Camera picture and skeleton, count, live score, and the controls of practice mode.

    Signals
    -------
    start_requested, stop_requested
        The Start / Stop button.
    mirror_changed(bool)
        The Mirror box: mirror the picture and compare with the mirrored reference.
    score_video_requested
        Score a video file instead (offered always, and first of all when there is no camera).
    """

    start_requested = Signal()
    stop_requested = Signal()
    mirror_changed = Signal(bool)
    score_video_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practicePanel")
        self.running = False
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Loop the part at the playhead and watch the camera")
        self.start_button.clicked.connect(self._on_start_clicked)
        self.mirror_box = QCheckBox("Mirror")
        self.mirror_box.setToolTip(
            "Show the camera (and the 3D view) as a mirror would, and compare you with the "
            "mirrored reference: for dancing facing the screen"
        )
        self.mirror_box.toggled.connect(self._on_mirror_toggled)
        self.video_button = QPushButton("Score a Video File…")
        self.video_button.setToolTip("Score a recorded take (a phone video) against the routine")
        self.video_button.clicked.connect(self.score_video_requested)
        self.rate_label = QLabel("")
        self.rate_label.setStyleSheet("color:#8a8fa3;")
        top = QHBoxLayout()
        for widget in (self.start_button, self.mirror_box, self.video_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.rate_label)

        self.view = VideoFrameView()
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.part_label = _big_label(12, "–")
        self.count_label = _big_label(64, "–")
        self.count_label.setToolTip("The count the music is on (1…8)")
        self.count_label.setMinimumWidth(120)
        self.score_label = _big_label(28, "–")
        self.score_label.setToolTip(
            "The live score of this pass of the part (40–100), from its second half on"
        )
        self.timing_label = QLabel("")
        self.timing_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.last_label = QLabel("")
        self.last_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.last_label.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(self.part_label)
        side.addWidget(self.count_label, 1)
        side.addWidget(QLabel("Live score", alignment=Qt.AlignmentFlag.AlignCenter))
        side.addWidget(self.score_label)
        side.addWidget(self.timing_label)
        side.addWidget(self.last_label)
        middle = QHBoxLayout()
        middle.addWidget(self.view, 1)
        middle.addLayout(side)

        self.message = QLabel(IDLE_TEXT)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)

    # -- controls ------------------------------------------------------------------------------

    @property
    def mirrored(self) -> bool:
        return self.mirror_box.isChecked()

    def _on_start_clicked(self) -> None:
        (self.stop_requested if self.running else self.start_requested).emit()

    def _on_mirror_toggled(self, on: bool) -> None:
        self.mirror_changed.emit(on)

    def set_running(self, running: bool) -> None:
        """Show Start or Stop."""
        self.running = running
        self.start_button.setText("Stop" if running else "Start")
        if not running:
            self.rate_label.setText("")

    # -- what it shows -------------------------------------------------------------------------

    def show_frame(
        self,
        rgb: NDArray[np.uint8] | None,
        keypoints: NDArray[np.float64] | None,
        size: tuple[int, int],
        notes: tuple[str, ...] = (),
    ) -> None:
        """The camera's picture with the dancer's landmarks (33 x [x, y, visibility]), mirrored
        when the Mirror box is on; ``notes`` are said over the picture."""
        points = keypoints
        if self.mirrored and points is not None:
            rgb, points = mirror_picture(rgb, points, size[0])
        elif self.mirrored and rgb is not None:
            rgb = rgb[:, ::-1]
        self.view.show_picture(rgb, points, size, "\n".join(notes))

    def show_count(self, part_label: str, count: int) -> None:
        """The part being danced and the count the music is on (0: outside every part)."""
        self.part_label.setText(part_label)
        self.count_label.setText(str(count) if count > 0 else "–")

    def show_live_score(self, score: PartScore | None) -> None:
        """The live score of the current pass (``None`` until it covers half the part)."""
        from inference.scoring.report import score_color, timing_text

        if score is None or not math.isfinite(score.score):
            self.score_label.setText("–")
            self.score_label.setStyleSheet("")
            self.timing_label.setText("")
            return
        self.score_label.setText(f"{score.score:.0f}")
        self.score_label.setStyleSheet(f"color:{score_color(score.score)};")
        self.timing_label.setText(timing_text(score.timing_ms))

    def show_last_take(self, text: str) -> None:
        """A line on the last pass kept as a take ("Part 3: 78, late 120 ms")."""
        self.last_label.setText(text)

    def show_rate(self, pictures_per_second: float) -> None:
        self.rate_label.setText(f"{pictures_per_second:.0f} pictures/s")

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def show_no_camera(self, problem: str) -> None:
        """No camera: say so clearly, and point at scoring a video file instead."""
        self.set_running(False)
        self.view.show_picture(None, None, (16, 9), "No camera")
        self.message.setText(
            f"No camera: {problem}. Practice mode needs a webcam; you can score a recorded "
            "take instead with “Score a Video File…”."
        )
        self.video_button.setFocus()
