"""The inspector: the selected clip (name, source, moves, start, length, lock, style), and what
the project holds, at a glance; kept current from the model's events. The clip's style is the
one the last scorecard read in it (:meth:`InspectorPanel.set_clip_styles`)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.model import Clip, Project
from app.model.routine import MOVE_SEPARATOR, clip_moves
from inference.assess.scorecard_style import StyleRead


def _format_duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _format_time(seconds: float) -> str:
    minutes, rest = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes)}:{rest:05.2f}"


class InspectorPanel(QWidget):
    """The selected clip, then song, tempo, meter, beats, parts, sections and clips."""

    FIELDS = ("Song", "Length", "Tempo", "Meter", "Beats", "Parts", "Sections", "Dancers", "Clips")
    CLIP_FIELDS = ("Name", "Source", "Moves", "Start", "Length", "Lock", "Style")

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.selected_clip: str | None = None
        self._clip_styles: dict[str, StyleRead | None] = {}
        # Scrolled, so the panel never makes the window taller than a laptop screen.
        content = QWidget()
        layout = QVBoxLayout(content)
        self.clip_box = QGroupBox("Selected clip")
        self.clip_values = self._form(self.clip_box, self.CLIP_FIELDS)
        self.project_box = QGroupBox("Project")
        self.values = self._form(self.project_box, self.FIELDS)
        layout.addWidget(self.clip_box)
        layout.addWidget(self.project_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        for emitter in project.events.emitters():
            emitter.connect(self._on_project_changed)
        self._on_project_changed()

    @staticmethod
    def _form(box: QGroupBox, fields: tuple[str, ...]) -> dict[str, QLabel]:
        form = QFormLayout(box)
        values: dict[str, QLabel] = {}
        for field in fields:
            label = QLabel()
            label.setWordWrap(True)
            values[field] = label
            form.addRow(f"{field}:", label)
        return values

    def set_selected_clip(self, clip_id: str | None) -> None:
        """Show ``clip_id`` (None: no clip is selected)."""
        self.selected_clip = clip_id
        self._show_clip()

    def set_clip_styles(self, styles: Mapping[str, StyleRead | None]) -> None:
        """The style the classifier read in each clip of the scored track, by clip id."""
        self._clip_styles = dict(styles)
        self._show_clip()

    def _style_text(self, clip: Clip) -> str:
        tag = next(
            (
                t.style
                for t in self._project.style_tags
                if t.key == (clip.motion_id, clip.source_in, clip.source_out)
            ),
            None,
        )
        if clip.id not in self._clip_styles:
            read = "not read yet (the scorecard reads the current dancer's clips)"
        else:
            style = self._clip_styles[clip.id]
            read = style.text() if style is not None else "too short to read (under 1 s)"
        return read + (f"; tagged as an example of “{tag}”" if tag else "")

    def _clip(self) -> Clip | None:
        if self.selected_clip is None:
            return None
        try:
            return self._project.find_clip(self.selected_clip)[1]
        except KeyError:
            return None

    def _show_clip(self) -> None:
        clip = self._clip()
        if clip is None:
            shown = dict.fromkeys(self.CLIP_FIELDS, "–")
            shown["Name"] = "none: click a clip on a dancer lane"
        else:
            asset = self._project.motions.get(clip.motion_id)
            generated = asset is not None and "plan" in asset.arrays
            source = asset.name if asset is not None else "missing motion"
            if generated:
                source = f"generated routine ({source})"
            if clip.mirrored:
                source += ", mirrored"
            moves = clip_moves(clip, asset) if asset is not None else ()
            shown = {
                "Name": clip.name,
                "Source": source,
                "Moves": MOVE_SEPARATOR.join(moves) or "–",
                "Start": _format_time(clip.start),
                "Length": f"{clip.duration:.2f} s",
                "Lock": "locked: generation never changes it" if clip.locked else "unlocked",
                "Style": self._style_text(clip),
            }
        for field, text in shown.items():
            self.clip_values[field].setText(text)

    def _on_project_changed(self, *_: object) -> None:
        project = self._project
        song = project.song
        grid = project.beat_grid
        dancers = project.dancer_tracks()
        shown = {
            "Song": song.title or song.path if song else "none loaded",
            "Length": _format_duration(song.duration) if song and song.duration else "–",
            "Tempo": f"{grid.tempo_bpm:.1f} BPM" if grid.tempo_bpm else "–",
            "Meter": f"{grid.meter}/4" if grid.beats else "–",
            "Beats": str(len(grid.beats)),
            "Parts": str(len(project.parts)),
            "Sections": ", ".join(s.label for s in project.sections) or "–",
            "Dancers": str(len(dancers)),
            "Clips": str(sum(len(t.clips) for t in dancers)),
        }
        for field, text in shown.items():
            self.values[field].setText(text)
        self._show_clip()
