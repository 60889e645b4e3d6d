"""The first start: the demo song, analysed, with a generated routine, and a four-step tour.

:class:`FirstRun` drives the window's own actions, so the demo is made exactly as a user
would make it: it imports the demo song (the analysis follows on the worker, with progress
and Cancel), and once the song's parts are on the timeline it generates a routine. It follows
the undo stack to know how far it got, and stops quietly if the user opens something else,
cancels, or a step fails. The window is on screen from the start; the work never blocks it.

:class:`Tour` is a card floating over the window that points at the timeline, the 3D view,
the sliders and the practice controls in turn, with a frame around each. Finishing it or
closing it dismisses it for good (the settings remember it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from inference.paths import DEMO_SONG

if TYPE_CHECKING:
    from app.main_window import MainWindow

log = logging.getLogger(__name__)


class FirstRun(QObject):
    """Open the demo song in ``window``, let it be analysed, then generate a routine.

    Signals
    -------
    finished(bool)
        Emitted once: True when the demo has its beats, parts and a routine; False when the
        user cancelled, opened something else, or a step failed.
    """

    finished = Signal(bool)

    def __init__(self, window: MainWindow, song: Path = DEMO_SONG) -> None:
        super().__init__(window)
        self._window = window
        self._song = song
        self._project = window.project
        self._generating = False
        self._done = False

    def start(self) -> None:
        log.info("first run: opening the demo song %s", self._song)
        window = self._window
        window.undo_stack.indexChanged.connect(self._on_edit)
        window.bridge.cancelled.connect(self._on_cancelled)
        window.bridge.failed.connect(lambda _message: self._finish(False, "a task failed"))
        window.analysis.no_beat.connect(lambda _text: self._finish(False, "no beat found"))
        window.import_song(self._song)

    def _on_edit(self, _index: int) -> None:
        window = self._window
        if window.project is not self._project:
            self._finish(False, "another project was opened")
        elif self._generating and any(t.clips for t in self._project.dancer_tracks()):
            window.undo_stack.setClean()  # the demo is not the user's unsaved work
            self._finish(True, "the demo song is analysed and has a routine")
        elif not self._generating and self._project.parts:
            self._generating = True
            # After the analysis' own handler returns: the worker is free by then.
            QTimer.singleShot(0, window.generate_routine)

    def _on_cancelled(self, _request: object) -> None:
        self._finish(False, "cancelled")

    def _finish(self, complete: bool, why: str) -> None:
        if self._done:
            return
        self._done = True
        self._window.undo_stack.indexChanged.disconnect(self._on_edit)
        self._window.bridge.cancelled.disconnect(self._on_cancelled)
        log.info("first run: %s", why)
        self.finished.emit(complete)


@dataclass(frozen=True)
class TourStep:
    title: str
    text: str
    target: Callable[[], QWidget]


def tour_steps(window: MainWindow) -> tuple[TourStep, ...]:
    """The four steps: timeline, 3D view, sliders, practice mode."""
    return (
        TourStep(
            "The count timeline",
            "The song's beats (count 1 in gold), its numbered 8-count parts and its sections. "
            "Below them, the dancer lanes hold the routine, one clip per part: drag, trim or "
            "lock a clip, and click anywhere to move the playhead.",
            lambda: window.timeline_host,
        ),
        TourStep(
            "The 3D view",
            "The dancer, in time with the music. Drag to orbit, right-drag to pan, wheel to "
            "zoom; Ctrl+1/2/3 give the front, side and top views, Ctrl+M a studio mirror.",
            lambda: window.viewport,
        ),
        TourStep(
            "The sliders",
            "Energy, smoothness, bounce and creativity, a style and a prompt shape the "
            "routine. Generate Routine (Ctrl+G) makes a new one; Regenerate Part "
            "(Ctrl+Shift+G) changes only the part under the playhead.",
            lambda: window.parameter_dock,
        ),
        TourStep(
            "Practice mode",
            "Loop the current part or an A-B range, slow the song down to half speed with the "
            "pitch kept, and add a metronome. Space plays and pauses.",
            lambda: window.transport_bar,
        ),
    )


class Tour(QFrame):
    """A dismissible card over ``window`` that walks through ``steps``.

    Signals
    -------
    dismissed()
        The user finished the tour or closed it: it is not to be shown again.
    """

    dismissed = Signal()

    def __init__(self, window: QWidget, steps: tuple[TourStep, ...]) -> None:
        super().__init__(window)
        self.setObjectName("tourCard")
        self.setStyleSheet(
            "#tourCard { background: #30313a; border: 2px solid #7c4dff; border-radius: 8px; }"
        )
        self._window = window
        self._steps = steps
        self.index = 0
        self.highlight = QFrame(window)
        self.highlight.setObjectName("tourHighlight")
        self.highlight.setStyleSheet(
            "#tourHighlight { border: 3px solid #ffca28; border-radius: 6px; background: none; }"
        )
        self.highlight.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.step_label = QLabel()
        self.close_button = QPushButton("✕")
        self.close_button.setToolTip("Close the tour (it will not be shown again)")
        self.close_button.setFlat(True)
        self.close_button.clicked.connect(self.dismiss)
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(lambda: self.show_step(self.index - 1))
        self.next_button = QPushButton("Next")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._next)

        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.close_button)
        footer = QHBoxLayout()
        footer.addWidget(self.step_label, 1)
        footer.addWidget(self.back_button)
        footer.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.text_label)
        layout.addLayout(footer)
        self.setFixedWidth(360)
        window.installEventFilter(self)

    def start(self) -> None:
        log.info("tour: shown")
        self.show_step(0)

    def show_step(self, index: int) -> None:
        self.index = max(0, min(index, len(self._steps) - 1))
        step = self._steps[self.index]
        self.title_label.setText(step.title)
        self.text_label.setText(step.text)
        self.step_label.setText(f"{self.index + 1} of {len(self._steps)}")
        self.back_button.setEnabled(self.index > 0)
        last = self.index == len(self._steps) - 1
        self.next_button.setText("Finish" if last else "Next")
        self.show()
        self.adjustSize()
        self._place()
        self.raise_()

    def target(self) -> QWidget:
        return self._steps[self.index].target()

    def dismiss(self) -> None:
        log.info("tour: dismissed at step %d", self.index + 1)
        self._window.removeEventFilter(self)
        self.highlight.hide()
        self.hide()
        self.dismissed.emit()
        self.highlight.deleteLater()
        self.deleteLater()

    def _next(self) -> None:
        if self.index == len(self._steps) - 1:
            self.dismiss()
        else:
            self.show_step(self.index + 1)

    def _place(self) -> None:
        """Frame the step's widget and put the card beside it, inside the window."""
        target = self.target()
        window = self._window.rect()
        if not target.isVisible():  # a dock the user closed: the card still explains it
            self.highlight.hide()
            self.move(card_position(window, window, self.size()))
            return
        area = QRect(target.mapTo(self._window, QPoint(0, 0)), target.size())
        self.highlight.setGeometry(area.adjusted(-2, -2, 2, 2))
        self.highlight.show()
        self.highlight.raise_()
        self.move(card_position(area, window, self.size()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self._place()
        return False


MARGIN = 8


def card_position(target: QRect, window: QRect, card: QSize) -> QPoint:
    """Where the card goes: inside a target at least twice its size, else on the side of the
    target with the most room (so the card never hides what it talks about), kept inside the
    window."""
    center = target.center()
    x, y = center.x() - card.width() // 2, center.y() - card.height() // 2
    big = target.width() >= 2 * card.width() and target.height() >= 2 * card.height()
    if not big:
        room = {
            "above": target.top() - window.top(),
            "below": window.bottom() - target.bottom(),
            "left": target.left() - window.left(),
            "right": window.right() - target.right(),
        }
        needed = {"above": card.height(), "below": card.height()}
        fitting = [s for s in room if room[s] >= needed.get(s, card.width()) + 2 * MARGIN]
        side = max(fitting, key=room.__getitem__) if fitting else None
        if side == "above":
            y = target.top() - card.height() - MARGIN
        elif side == "below":
            y = target.bottom() + MARGIN
        elif side == "left":
            x = target.left() - card.width() - MARGIN
        elif side == "right":
            x = target.right() + MARGIN
    x = min(max(x, window.left() + MARGIN), window.right() - card.width() - MARGIN)
    y = min(max(y, window.top() + MARGIN), window.bottom() - card.height() - MARGIN)
    return QPoint(x, y)
