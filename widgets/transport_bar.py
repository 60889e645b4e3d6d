"""The transport bar: play/pause, time, practice speed, loops, metronome and tap tempo.

It shows the transport's state and says what the user asked for through signals; the window's
practice controller acts on them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QWidget,
)

SPEEDS = (1.0, 0.9, 0.75, 0.6, 0.5)


def format_time(seconds: float) -> str:
    minutes, rest = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes)}:{rest:05.2f}"


class TransportBar(QWidget):
    """Buttons and toggles under the timeline."""

    play_clicked = Signal()
    speed_chosen = Signal(float)
    loop_part_toggled = Signal(bool)
    set_a_clicked = Signal()
    set_b_clicked = Signal()
    clear_loop_clicked = Signal()
    metronome_toggled = Signal(bool)
    tap_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.play_button = QPushButton()
        self.play_button.clicked.connect(self.play_clicked)
        self.play_button.setToolTip("Play or pause (Space)")
        self.show_playing(False)
        self.time_label = QLabel(format_time(0.0))
        self.time_label.setMinimumWidth(70)
        self.speed_box = QComboBox()
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:.2g}x", speed)
        self.speed_box.currentIndexChanged.connect(
            lambda i: self.speed_chosen.emit(float(self.speed_box.itemData(i)))
        )
        self.loop_part = QCheckBox("Loop part")
        self.loop_part.toggled.connect(self.loop_part_toggled)
        self.a_button, self.b_button = QPushButton("A"), QPushButton("B")
        self.a_button.setToolTip("Loop from the playhead…")
        self.b_button.setToolTip("…to the playhead")
        self.a_button.clicked.connect(self.set_a_clicked)
        self.b_button.clicked.connect(self.set_b_clicked)
        self.clear_button = QPushButton("No loop")
        self.clear_button.clicked.connect(self.clear_loop_clicked)
        self.loop_label = QLabel("")
        self.metronome = QCheckBox("Metronome")
        self.metronome.toggled.connect(self.metronome_toggled)
        self.tap_button = QPushButton("Tap (T)")
        self.tap_button.clicked.connect(self.tap_clicked)
        for widget in (
            self.play_button,
            self.time_label,
            QLabel("Speed:"),
            self.speed_box,
            self.loop_part,
            self.a_button,
            self.b_button,
            self.clear_button,
            self.loop_label,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.metronome)
        layout.addWidget(self.tap_button)

    def show_position(self, seconds: float) -> None:
        self.time_label.setText(format_time(seconds))

    def show_playing(self, playing: bool) -> None:
        # The style's own icons: a media glyph in the text (⏸) is missing from many fonts
        # and draws as an empty box.
        pixmap = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(pixmap))
        self.play_button.setText("Pause" if playing else "Play")

    def show_loop(self, loop: tuple[float, float] | None) -> None:
        """Show the loop; unticks "Loop part" without echoing when the loop was cleared."""
        self.loop_label.setText(
            "" if loop is None else f"loop {format_time(loop[0])}–{format_time(loop[1])}"
        )
        if loop is None and self.loop_part.isChecked():
            self.loop_part.blockSignals(True)
            self.loop_part.setChecked(False)
            self.loop_part.blockSignals(False)
