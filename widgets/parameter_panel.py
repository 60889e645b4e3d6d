"""The generator's controls: four sliders, a style, a prompt, a seed, and the Generate buttons.

The panel shows the project's :class:`GenerationSettings` and asks for changes through
``settings_edited(settings, control)``; the window turns each request into an undo command.
The buttons only ask (``generate_requested``, ``regenerate_part_requested``,
``lock_requested``); the window decides what they apply to.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
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

from app.model import GenerationSettings, Project
from inference.generate.params import STYLES

_SLIDER_STEPS = 100

SLIDER_TIPS = {
    "energy": "How much the dancer moves: higher means bigger, faster moves.",
    "smoothness": "How fluid the motion is: higher means less jerk.",
    "bounce": "How much the body rides the beat up and down.",
    "creativity": "How varied the routine is: higher means more distinct moves and looser repeats.",
}


class ParameterPanel(QWidget):
    """Editors for :class:`GenerationSettings`, kept in step with the project."""

    settings_edited = Signal(object, str)  # the new GenerationSettings, the control's name
    generate_requested = Signal()
    regenerate_part_requested = Signal()
    lock_requested = Signal()

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        layout = QFormLayout(self)
        self.sliders: dict[str, QSlider] = {}
        self._values: dict[str, QLabel] = {}
        for name in GenerationSettings.SLIDERS:
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, _SLIDER_STEPS)
            slider.setToolTip(SLIDER_TIPS[name])
            slider.setAccessibleName(name)
            slider.valueChanged.connect(lambda value, n=name: self._on_slider_moved(n, value))
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
        self.style_box.addItems(STYLES)
        self.style_box.currentTextChanged.connect(lambda text: self._edit("style", style=text))
        layout.addRow("Style", self.style_box)

        self.prompt_edit = QLineEdit()
        self.prompt_edit.setPlaceholderText("e.g. sharp girl-crush chorus, lots of arm isolations")
        self.prompt_edit.editingFinished.connect(
            lambda: self._edit("prompt", prompt=self.prompt_edit.text())
        )
        layout.addRow("Prompt", self.prompt_edit)

        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        self.seed_box.valueChanged.connect(lambda value: self._edit("seed", seed=value))
        layout.addRow("Seed", self.seed_box)

        self.generate_button = QPushButton("Generate routine")
        self.generate_button.setToolTip("Make a routine for the whole song (locked clips stay)")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate_requested)
        self.regenerate_button = QPushButton("Regenerate part")
        self.regenerate_button.setToolTip("New moves for the 8-count part under the playhead")
        self.regenerate_button.clicked.connect(self.regenerate_part_requested)
        self.lock_button = QPushButton("Lock clip")
        self.lock_button.setToolTip("Lock or unlock the selected clip: generation never changes it")
        self.lock_button.clicked.connect(self.lock_requested)
        layout.addRow(self.generate_button)
        layout.addRow(self.regenerate_button, self.lock_button)

        project.events.generation_settings_changed.connect(self._on_generation_settings_changed)
        self._on_generation_settings_changed(project.generation)

    def _on_slider_moved(self, name: str, value: int) -> None:
        self._values[name].setText(f"{value}%")
        self._edit(name, **{name: value / _SLIDER_STEPS})

    def _edit(self, control: str, **changes: object) -> None:
        settings = replace(self._project.generation, **changes)  # type: ignore[arg-type]
        if settings != self._project.generation:
            self.settings_edited.emit(settings, control)

    def _on_generation_settings_changed(self, settings: GenerationSettings) -> None:
        editors = [*self.sliders.values(), self.style_box, self.prompt_edit, self.seed_box]
        for editor in editors:
            editor.blockSignals(True)
        for name, slider in self.sliders.items():
            value = round(getattr(settings, name) * _SLIDER_STEPS)
            slider.setValue(value)
            self._values[name].setText(f"{value}%")
        if self.style_box.findText(settings.style) < 0:
            self.style_box.addItem(settings.style)
        self.style_box.setCurrentText(settings.style)
        if self.prompt_edit.text() != settings.prompt:
            self.prompt_edit.setText(settings.prompt)
        self.seed_box.setValue(settings.seed)
        for editor in editors:
            editor.blockSignals(False)
