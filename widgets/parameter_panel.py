"""The generator's controls: four sliders, a style, a prompt, a seed, and the Generate buttons.

The panel shows the project's :class:`GenerationParams` and asks for changes through
``settings_edited(settings, control, gesture)``; the window turns each request into an undo
command. ``gesture`` numbers the user's edits: every value of one slider drag (press to
release) shares one number, so the drag undoes as one step; any other edit gets its own.
The buttons only ask (``generate_requested``, ``regenerate_part_requested``,
``lock_requested``, ``add_moves_requested``); the window decides what they apply to.

Under the prompt a line says what the prompt was understood as. Reading a prompt can take
seconds (the first reading loads a sentence model), so the panel only asks
(``prompt_typed``, a short pause after the last key) and shows the answer it is given
(:meth:`show_prompt_summary`). A folder dropped on the panel is a folder of the user's own
moves (``moves_folder_dropped``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from app.model import GenerationParams, Project
from inference.generate.styles import known_styles

_SLIDER_STEPS = 100
PANEL_MIN_WIDTH = 360
"""Wide enough for a typical prompt line ("energy ↑, bounce ↑, focus: legs, footwork ↑") on
one line and most long ones on two."""
PROMPT_HINT = "Type a prompt: this line says how the generator reads it."
"""Shown while the prompt is empty, in the room the line keeps."""
LOCK_TEXT = "Lock clip"
UNLOCK_TEXT = "Unlock clip"
PROMPT_PAUSE_MS = 300
"""Typing pause after which the prompt is read: every key would queue a reading."""

SLIDER_TIPS = {
    "energy": "How much the dancer moves: higher means bigger, faster moves.",
    "smoothness": "How fluid the motion is: higher means less jerk.",
    "bounce": "How much the body rides the beat up and down.",
    "creativity": "How varied the routine is: higher means more distinct moves and looser repeats.",
}


class ParameterPanel(QWidget):
    """Editors for :class:`GenerationParams`, kept in step with the project."""

    settings_edited = Signal(object, str, int)  # new GenerationParams, control, gesture
    generate_requested = Signal()
    regenerate_part_requested = Signal()
    lock_requested = Signal()
    add_moves_requested = Signal()
    moves_folder_dropped = Signal(object)  # the folder's Path
    prompt_typed = Signal(str)  # the prompt in the box, once the typing pauses

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.setMinimumWidth(PANEL_MIN_WIDTH)
        layout = QFormLayout(self)
        self.sliders: dict[str, QSlider] = {}
        self._values: dict[str, QLabel] = {}
        self._gesture = 0
        for name in GenerationParams.SLIDERS:
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, _SLIDER_STEPS)
            slider.setToolTip(SLIDER_TIPS[name])
            slider.setAccessibleName(name)
            slider.valueChanged.connect(lambda value, n=name: self._on_slider_moved(n, value))
            slider.sliderPressed.connect(self._next_gesture)
            value_label = QLabel()
            value_label.setMinimumWidth(32)
            self.sliders[name] = slider
            self._values[name] = value_label
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.addWidget(slider, stretch=1)
            row_layout.addWidget(value_label)
            layout.addRow(name.capitalize(), row)

        self.style_box = QComboBox()
        self.style_box.setToolTip("The shipped styles, then the styles of your own moves")
        self.style_box.currentTextChanged.connect(lambda text: self._edit("style", style=text))
        layout.addRow("Style", self.style_box)

        self.prompt_edit = QLineEdit()
        self.prompt_edit.setPlaceholderText("e.g. sharp girl-crush chorus, lots of arm isolations")
        self.prompt_edit.editingFinished.connect(
            lambda: self._edit("prompt", prompt=self.prompt_edit.text())
        )
        layout.addRow("Prompt", self.prompt_edit)
        self.prompt_summary = QLabel(PROMPT_HINT)
        self.prompt_summary.setObjectName("promptSummary")
        self.prompt_summary.setWordWrap(True)
        self.prompt_summary.setToolTip("What the generator reads in the prompt")
        self.prompt_summary.setStyleSheet("color: palette(placeholder-text);")
        # Two lines are kept even when empty, so the rows below (and the buttons under the
        # mouse) do not jump as the line grows while the user types.
        self.prompt_summary.setMinimumHeight(2 * self.prompt_summary.fontMetrics().lineSpacing())
        self.prompt_summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addRow(self.prompt_summary)  # the whole width: a long reading wraps less
        self._prompt_timer = QTimer(self)
        self._prompt_timer.setSingleShot(True)
        self._prompt_timer.setInterval(PROMPT_PAUSE_MS)
        self._prompt_timer.timeout.connect(lambda: self.prompt_typed.emit(self.prompt_edit.text()))
        self.prompt_edit.textChanged.connect(lambda _: self._prompt_timer.start())

        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        self.seed_box.valueChanged.connect(lambda value: self._edit("seed", seed=value))
        layout.addRow("Seed", self.seed_box)

        self.moves_label = QLabel()
        self.moves_label.setWordWrap(True)
        self.moves_label.setToolTip("Clips you added to the move library; drop a folder here")
        self.add_moves_button = QPushButton("Add Folder…")
        self.add_moves_button.setToolTip(
            "Add a folder of your own clips (BVH, ...) as a style; or drop a folder on this panel"
        )
        self.add_moves_button.clicked.connect(self.add_moves_requested)
        moves_row = QWidget()
        moves_layout = QHBoxLayout(moves_row)
        moves_layout.setContentsMargins(0, 0, 0, 0)
        moves_layout.addWidget(self.moves_label, stretch=1)
        moves_layout.addWidget(self.add_moves_button)
        layout.addRow("Own moves", moves_row)
        self.setAcceptDrops(True)

        self.generate_button = QPushButton("Generate routine")
        self.generate_button.setToolTip("Make a routine for the whole song (locked clips stay)")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate_requested)
        self.regenerate_button = QPushButton("Regenerate part")
        self.regenerate_button.setToolTip("New moves for the 8-count part under the playhead")
        self.regenerate_button.clicked.connect(self.regenerate_part_requested)
        self.lock_button = QPushButton(LOCK_TEXT)
        self.lock_button.setToolTip("Lock or unlock the selected clip: generation never changes it")
        self.lock_button.clicked.connect(self.lock_requested)
        self._selected_clip: str | None = None
        layout.addRow(self.generate_button)
        layout.addRow(self.regenerate_button, self.lock_button)

        for name in ("clip_changed", "clip_removed", "clip_added", "clip_moved", "clip_trimmed"):
            getattr(project.events, name).connect(lambda *_: self._show_lock())
        self._show_lock()
        project.events.generation_settings_changed.connect(self._on_generation_settings_changed)
        project.events.user_moves_changed.connect(self._on_user_moves_changed)
        self._on_user_moves_changed(project.user_moves)
        self._on_generation_settings_changed(project.generation)

    def set_selected_clip(self, clip_id: str | None) -> None:
        """Follow the clip selection: the lock button says what it will do to that clip."""
        self._selected_clip = clip_id
        self._show_lock()

    def _show_lock(self) -> None:
        clip = None
        if self._selected_clip is not None:
            try:
                clip = self._project.find_clip(self._selected_clip)[1]
            except KeyError:
                clip = None
        self.lock_button.setText(UNLOCK_TEXT if clip is not None and clip.locked else LOCK_TEXT)
        self.lock_button.setEnabled(clip is not None)

    def show_prompt_summary(self, prompt: str, line: str) -> None:
        """Show what ``prompt`` was understood as, unless the box holds another prompt by now."""
        if prompt == self.prompt_edit.text():
            # A wrapped line never parts a move from its arrow ("power" / "↑").
            text = line.replace(" ↑", "\u00a0↑").replace(" ↓", "\u00a0↓")
            self.prompt_summary.setText(text or PROMPT_HINT)

    def _next_gesture(self) -> None:
        self._gesture += 1

    def _on_slider_moved(self, name: str, value: int) -> None:
        self._values[name].setText(f"{value}%")
        # A key press or a click on the groove is an edit of its own; a drag is one gesture.
        self._edit(name, self.sliders[name].isSliderDown(), **{name: value / _SLIDER_STEPS})

    def _edit(self, control: str, in_drag: bool = False, **changes: object) -> None:
        settings = replace(self._project.generation, **changes)  # type: ignore[arg-type]
        if settings != self._project.generation:
            if not in_drag:
                self._next_gesture()
            self.settings_edited.emit(settings, control, self._gesture)

    def _on_generation_settings_changed(self, settings: GenerationParams) -> None:
        editors = [*self.sliders.values(), self.style_box, self.prompt_edit, self.seed_box]
        for editor in editors:
            editor.blockSignals(True)
        for name, slider in self.sliders.items():
            value = round(getattr(settings, name) * _SLIDER_STEPS)
            slider.setValue(value)
            self._values[name].setText(f"{value}%")
        self._show_style(settings.style)
        if self.prompt_edit.text() != settings.prompt:
            self.prompt_edit.setText(settings.prompt)
            self.prompt_typed.emit(settings.prompt)  # an undo or an opened project: read it now
        self.seed_box.setValue(settings.seed)
        for editor in editors:
            editor.blockSignals(False)

    def _show_style(self, style: str) -> None:
        """Select ``style``, listing it even when neither the library nor the moves know it."""
        if self.style_box.findText(style) < 0:
            self.style_box.addItem(style)
        self.style_box.setCurrentText(style)

    def _on_user_moves_changed(self, _moves: tuple[str, ...]) -> None:
        styles = self._project.user_styles()
        self.style_box.blockSignals(True)
        self.style_box.clear()
        shipped, listed = known_styles(), known_styles(styles)
        self.style_box.addItems(listed)
        if len(listed) > len(shipped):  # the user's own styles go below a line
            self.style_box.insertSeparator(len(shipped))
        self._show_style(self._project.generation.style)
        self.style_box.blockSignals(False)
        count = len(self._project.user_moves)
        if count:
            listed = f": {', '.join(styles)}" if styles else ""
            self.moves_label.setText(f"{count} clip{'s' * (count != 1)}{listed}")
        else:
            self.moves_label.setText("none yet")

    # -- a dropped folder of moves ------------------------------------------------------------

    @staticmethod
    def _folders(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        return [
            Path(u.toLocalFile())
            for u in urls
            if u.isLocalFile() and Path(u.toLocalFile()).is_dir()
        ]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        # Only folders: a dropped file still goes to the window (a song, a clip to import).
        if self._folders(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        folders = self._folders(event)
        for folder in folders:
            self.moves_folder_dropped.emit(folder)
        if folders:
            event.acceptProposedAction()
