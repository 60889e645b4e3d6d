"""Music analysis in the studio: run it on the worker, apply it as one undo step, edit the grid.

When a song loads, quick beats are drawn first (a provisional overlay, not a model change), then
the full analysis runs with progress and Cancel, and its result is applied by pushing one
"Analyze song" command. A project that already has a grid keeps it: the analysis is then only
re-derived around it, so energy and the tempo map are at hand for the generator, and nothing is
pushed. Every beat, part and section edit goes through :meth:`AnalysisController.edit`, which
computes the new values (see :mod:`app.model.derive` for how parts and sections follow the
grid) and pushes exactly one command.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.bridge import InferenceBridge
from app.commands import TAP_TEMPO_MERGE_ID, ReplaceClipCommand, SetRhythmCommand
from app.model import BeatGrid, Part, Project, Section
from app.model.derive import (
    parts_follow_grid,
    reanchor_sections,
    renamed_part_clips,
    sections_follow,
)
from app.tap_tempo import TapTempo
from inference.audio import (
    SongAnalysis,
    analysis_from_grid,
    derive_parts,
    grid_from_tap_tempo,
    tempo_map,
    with_grid,
    write_audacity_labels,
    write_count_sheet_html,
    write_csv,
    write_json,
)
from inference.song_requests import (
    AnalysisFromGridRequest,
    AnalyzeSongRequest,
    LoadedSong,
    NoBeatFound,
    QuickBeatsRequest,
)

R = TypeVar("R")

# How many re-derived analyses to keep: undo and redo walk back and forth between a few grids.
_CACHE_SIZE = 8

EXPORTS: dict[str, tuple[str, str]] = {
    # kind: (menu text, file filter)
    "beats_csv": ("Beats (CSV)…", "CSV (*.csv)"),
    "parts_csv": ("Parts (CSV)…", "CSV (*.csv)"),
    "sections_csv": ("Sections (CSV)…", "CSV (*.csv)"),
    "json": ("Analysis (JSON)…", "JSON (*.json)"),
    "labels": ("Audacity Labels…", "Text (*.txt)"),
    "count_sheet": ("Count Sheet (HTML)…", "HTML (*.html)"),
}


class AnalysisController(QObject):
    """Runs the analysis of the open project's song and turns edits into undo commands.

    Signals
    -------
    provisional_grid(object)
        Quick beats to draw until the full analysis lands (None clears them).
    message(str)
        A line for the status bar.
    no_beat(str)
        The song has no steady beat; the text says what the user can do.
    """

    provisional_grid = Signal(object)
    message = Signal(str)
    no_beat = Signal(str)

    def __init__(
        self, bridge: InferenceBridge, undo_stack: QUndoStack, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._stack = undo_stack
        self._project = Project()
        self._song: LoadedSong | None = None
        self._analysis: SongAnalysis | None = None
        self._derived: dict[BeatGrid, SongAnalysis] = {}
        self.taps = TapTempo()

    # -- state -------------------------------------------------------------------------------

    @property
    def analysis(self) -> SongAnalysis | None:
        """The analysis of the song for the project's current grid (energy, tempo map, ...)."""
        if self._analysis is None:
            return None
        return self._for_grid(self._project.beat_grid)

    def set_project(self, project: Project) -> None:
        """Follow a newly opened project; what was known about the old song is dropped."""
        self._project = project
        self._song = None
        self._analysis = None
        self._derived.clear()
        self.taps.reset()
        self.provisional_grid.emit(None)

    def song_loaded(self, song: LoadedSong) -> None:
        """Analyse a freshly loaded song; a project with beats keeps them (nothing is pushed)."""
        self._song = song
        self._analysis = None
        self._derived.clear()
        grid = self._project.beat_grid
        audio = song.analysis_audio  # the samples decoded once by LoadSongRequest
        if grid.beats:
            request = AnalysisFromGridRequest(song.path, grid, audio)
            self._bridge.submit(request, self._for_song(song.path, self._remember))
        else:
            quick = QuickBeatsRequest(song.path, audio)
            self._bridge.submit(quick, self._for_song(song.path, self._on_quick_beats))

    def reanalyze(self) -> None:
        """Run the full analysis again; its result replaces the grid as one undo step."""
        if self._song is not None:
            self._analyze(self._song)

    def _analyze(self, song: LoadedSong) -> None:
        request = AnalyzeSongRequest(song.path, song.analysis_audio)
        self._bridge.submit(request, self._for_song(song.path, self._apply))

    def _for_song(self, path: str, apply: Callable[[R], None]) -> Callable[[R | NoBeatFound], None]:
        """``apply`` for results about the song at ``path`` while it is open; no beat is said."""

        def on_done(result: R | NoBeatFound) -> None:
            if self._song is None or self._song.path != path:
                return
            if isinstance(result, NoBeatFound):
                self.provisional_grid.emit(None)
                self.no_beat.emit(result.message)
            else:
                apply(result)

        return on_done

    def _on_quick_beats(self, grid: BeatGrid) -> None:
        self.provisional_grid.emit(grid)
        assert self._song is not None
        self._analyze(self._song)

    def _apply(self, analysis: SongAnalysis) -> None:
        self._remember(analysis)
        self.provisional_grid.emit(None)
        command = SetRhythmCommand(
            self._project,
            "Analyze song",
            grid=analysis.grid,
            parts=analysis.parts,
            sections=analysis.sections,
            part_names={},
        )
        self._stack.push(command)
        self.message.emit(
            f"{analysis.tempo_bpm:.1f} BPM in {analysis.meter}/4: {len(analysis.parts)} parts, "
            f"{len(analysis.sections)} sections."
        )

    def _remember(self, analysis: SongAnalysis) -> None:
        self._analysis = analysis
        self._derived = {analysis.grid: analysis}

    def _for_grid(self, grid: BeatGrid) -> SongAnalysis:
        """The analysis re-derived for ``grid``, from the kept frame features (cached)."""
        assert self._analysis is not None
        if grid not in self._derived:
            if len(self._derived) >= _CACHE_SIZE:
                self._derived.pop(next(iter(self._derived)))
            self._derived[grid] = with_grid(self._analysis, grid)
        return self._derived[grid]

    # -- edits -------------------------------------------------------------------------------

    def edit_grid(self, make: Callable[[BeatGrid], BeatGrid], text: str) -> bool:
        """Push one command that applies ``make`` to the grid, with parts and sections following.

        Returns False (and says why in the status bar) when the edit is refused, for example a
        beat dragged past its neighbour; nothing is pushed then.
        """
        old = self._project.beat_grid
        try:
            new = make(old)
        except (ValueError, IndexError) as error:
            self.message.emit(f"{text}: {error}")
            return False
        if new == old:
            return False
        parts = parts_follow_grid(self._project.parts, old, new)
        if self._analysis is not None:
            sections = sections_follow(
                self._project.sections,
                self._for_grid(old).sections,
                self._for_grid(new).sections,
                parts,
            )
        else:
            sections = reanchor_sections(self._project.sections, parts)
        self._stack.push(SetRhythmCommand(self._project, text, new, parts, sections))
        return True

    def edit_parts(
        self, parts: tuple[Part, ...], names: Mapping[int, str] | None, text: str
    ) -> None:
        """Push one command with edited parts (and names); sections re-anchor on them."""
        sections = reanchor_sections(self._project.sections, parts)
        self._stack.push(SetRhythmCommand(self._project, text, None, parts, sections, names))

    def edit_sections(self, sections: tuple[Section, ...], text: str) -> None:
        self._stack.push(SetRhythmCommand(self._project, text, sections=sections))

    def rename_part(self, index: int, name: str) -> None:
        """Name part ``index``; the clips that carry the part's old name take the new one
        (one undo step)."""
        project = self._project
        part = next((p for p in project.parts if p.index == index), None)
        names = project.part_names
        names[index] = name.strip()
        text = f"Rename part {index}"
        renamed = renamed_part_clips(project, part, names[index]) if part is not None else []
        self._stack.beginMacro(text)
        self._stack.push(SetRhythmCommand(project, text, part_names=names))
        for track_id, clip in renamed:
            self._stack.push(ReplaceClipCommand(project, clip, text, track_id))
        self._stack.endMacro()

    def tap(self, now: float, position: float, speed: float = 1.0) -> None:
        """One tap of the tap-tempo key at wall time ``now`` with the playhead at ``position``.

        From the fourth tap of a run on, the grid becomes a steady grid at the tapped tempo, the
        last tap a count 1. The taps of one run merge into one undo step.
        """
        estimate = self.taps.tap(now, position, speed)
        duration = self._song.duration if self._song else self._project.beat_grid.duration
        if estimate is None or duration <= 0:
            self.message.emit(f"Tap tempo: {self.taps.count} taps, keep tapping on the beat…")
            return
        bpm, anchor = estimate
        meter = self._project.beat_grid.meter
        grid = grid_from_tap_tempo(bpm, min(anchor, duration - 1e-3), duration, meter)
        parts = derive_parts(grid)
        sections = self._tapped_sections(grid)
        self._stack.push(
            SetRhythmCommand(
                self._project,
                "Tap tempo",
                grid,
                parts,
                sections,
                merge_id=TAP_TEMPO_MERGE_ID,
                merge_key=self.taps.run,
            )
        )
        self.message.emit(f"Tap tempo: {bpm:.1f} BPM from {self.taps.count} taps.")

    def _tapped_sections(self, grid: BeatGrid) -> tuple[Section, ...]:
        if self._analysis is not None:
            return self._for_grid(grid).sections
        # No analysis (no steady beat was found): sections come with the first export or
        # re-analysis; until then the song is one section.
        return (Section("Song", 0.0, grid.duration, 1, len(derive_parts(grid))),)

    # -- exports -----------------------------------------------------------------------------

    def current_analysis(self) -> SongAnalysis:
        """The project's rhythm as an analysis value: its grid, its (edited) parts and sections."""
        project = self._project
        grid = project.beat_grid
        if self._analysis is not None:
            base = self._for_grid(grid)
        elif self._song is not None and grid.beats:
            base = analysis_from_grid(self._song.path, grid)
        else:
            base = SongAnalysis(
                path=Path(project.song.path) if project.song else None,
                duration=grid.duration,
                grid=grid,
                tempo_bpm=grid.tempo_bpm,
                tempo_map=tempo_map(grid),
                parts=(),
                sections=(),
                energy=(),
                pulse_clarity=0.0,
            )
        return replace(base, parts=project.parts, sections=project.sections)

    def export(
        self, kind: str, path: Path, moves: Mapping[int, tuple[str, ...]] | None = None
    ) -> Path:
        """Write the export ``kind`` (a key of :data:`EXPORTS`) to ``path``; the count sheet
        lists ``moves`` (by part index) under each part."""
        analysis = self.current_analysis()
        title = self._project.song.title if self._project.song else None
        names = self._project.part_names
        if kind.endswith("_csv"):
            return write_csv(analysis, path, kind.removesuffix("_csv"))
        writers: dict[str, Callable[[], Path]] = {
            "json": lambda: write_json(analysis, path),
            "labels": lambda: write_audacity_labels(analysis, path, names),
            "count_sheet": lambda: write_count_sheet_html(analysis, path, title, names, moves),
        }
        return writers[kind]()
