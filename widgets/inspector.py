"""The inspector: what the project holds, at a glance, kept current from the model's events."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app.model import Project


def _format_duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


class InspectorPanel(QWidget):
    """Song, tempo, meter, beats, parts, sections and clips of a :class:`Project`."""

    FIELDS = ("Song", "Length", "Tempo", "Meter", "Beats", "Parts", "Sections", "Dancers", "Clips")

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        layout = QFormLayout(self)
        self.values: dict[str, QLabel] = {}
        for field in self.FIELDS:
            label = QLabel()
            label.setWordWrap(True)
            self.values[field] = label
            layout.addRow(f"{field}:", label)
        for emitter in project.events.emitters():
            emitter.connect(self._on_project_changed)
        self._on_project_changed()

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
