"""The Generate panel's work: a routine (or one part of it) on the worker, applied as one edit.

How a routine is laid out as clips is :mod:`app.model.routine`. Regenerating a part makes a
new motion that equals the previous one outside the part (to the last bit), and only that
part's clip switches to it. Locked clips are never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.bridge import InferenceBridge
from app.model import Clip, MotionAsset, Project, Track
from app.model.routine import (
    Span,
    current_routine,
    locked_spans,
    replaced_clips,
    routine_asset,
    routine_clips,
    subtract,
)
from app.model.track_sampling import motion_of
from inference.audio import SongAnalysis
from inference.generate.params import GenerationParams
from inference.jobs import Job
from inference.motion import Motion

if TYPE_CHECKING:  # the generator itself loads on first use, not with the window
    from inference.generate import RoutineResult


@dataclass(frozen=True, eq=False)
class GenerateRoutineRequest:
    """An immutable snapshot of everything one generation needs."""

    track_id: str
    analysis: SongAnalysis
    params: GenerationParams
    previous: RoutineResult | None = None
    locked: tuple[Span, ...] = ()
    regenerate_range: Span | None = None
    label: str = "Generate routine"
    user_moves: tuple[tuple[str, Motion, str], ...] = ()
    """The user's own moves (name, motion, style), added to the library; a move with no style
    of its own (``""``) joins the requested one."""

    def job(self) -> Job[RoutineResult]:
        from inference.generate import generate_routine_job
        from inference.generate.move_folder import user_library

        library = user_library(
            [(name, motion, style or self.params.style) for name, motion, style in self.user_moves]
        )
        return generate_routine_job(
            self.analysis,
            self.params,
            previous=self.previous,
            locked=self.locked,
            regenerate_range=self.regenerate_range,
            library=library,
        )


class ApplyRoutineCommand(QUndoCommand):
    """Swap some clips of a track for clips of a newly generated motion: one undo step."""

    def __init__(
        self,
        project: Project,
        track_id: str,
        motion: MotionAsset,
        removed: tuple[Clip, ...],
        added: tuple[Clip, ...],
        text: str,
    ) -> None:
        super().__init__(text)
        self._project = project
        self._track_id = track_id
        self._motion = motion
        self._removed = removed
        self._added = added

    def redo(self) -> None:
        self._project.add_motion(self._motion)
        for clip in self._removed:
            self._project.remove_clip(clip.id)
        for clip in self._added:
            self._project.add_clip(self._track_id, clip)

    def undo(self) -> None:
        for clip in self._added:
            self._project.remove_clip(clip.id)
        for clip in self._removed:
            self._project.add_clip(self._track_id, clip)
        self._project.remove_motion(self._motion.id)


class GenerateController(QObject):
    """Turns Generate / Regenerate part into worker requests and their results into edits."""

    message = Signal(str)
    device_changed = Signal(str)

    def __init__(
        self,
        bridge: InferenceBridge,
        undo_stack: QUndoStack,
        analysis: Callable[[], SongAnalysis],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._stack = undo_stack
        self._analysis = analysis
        self._project = Project()

    def set_project(self, project: Project) -> None:
        self._project = project

    # -- requests ----------------------------------------------------------------------------

    def generate(self, track_id: str) -> bool:
        """Generate the whole routine for a dancer track, keeping its locked clips."""
        analysis = self._ready_analysis()
        if analysis is None:
            return False
        track = self._project.track(track_id)
        locked = locked_spans(track)
        previous = self._previous(track) if locked else None
        if previous is None:
            self._submit(track_id, analysis)
        else:  # keep the locked clips: regenerate everything around them
            self._submit(track_id, analysis, previous, locked, (0.0, analysis.duration))
        return True

    def regenerate_part(self, track_id: str, part_index: int) -> bool:
        """Make new choreography for one part; everything else stays exactly as it is."""
        analysis = self._ready_analysis()
        if analysis is None:
            return False
        track = self._project.track(track_id)
        previous = self._previous(track)
        if previous is None:
            self.message.emit("Generate a routine first: then its parts can be regenerated.")
            return False
        part = next((p for p in analysis.parts if p.index == part_index), None)
        if part is None:
            self.message.emit(f"There is no part {part_index}.")
            return False
        span = (part.start, part.end)
        if not subtract(span, locked_spans(track)):
            self.message.emit(f"Part {part_index} is locked: unlock its clip to regenerate it.")
            return False
        label = f"Regenerate part {part_index}"
        self._submit(track_id, analysis, previous, locked_spans(track), span, label)
        return True

    def _submit(
        self,
        track_id: str,
        analysis: SongAnalysis,
        previous: RoutineResult | None = None,
        locked: tuple[Span, ...] = (),
        regenerate_range: Span | None = None,
        label: str = "Generate routine",
    ) -> None:
        """Send one generation to the worker, with the project's settings and user moves."""
        request = GenerateRoutineRequest(
            track_id,
            analysis,
            self._params(),
            previous,
            locked,
            regenerate_range,
            label,
            self._user_moves(),
        )
        self._bridge.submit(request, lambda result: self._apply(request, result))

    def regenerate_part_at(self, track_id: str, seconds: float) -> bool:
        """Regenerate the part under ``seconds`` (the playhead)."""
        part = next((p for p in self._project.parts if p.start <= seconds < p.end), None)
        if part is None:
            self.message.emit("Put the playhead inside a part to regenerate it.")
            return False
        return self.regenerate_part(track_id, part.index)

    def _ready_analysis(self) -> SongAnalysis | None:
        if self._project.song is None or not self._project.beat_grid.beats:
            self.message.emit("Load a song and find its beats first.")
            return None
        return self._analysis()

    def _user_moves(self) -> tuple[tuple[str, Motion, str], ...]:
        motions, styles = self._project.motions, self._project.user_move_styles
        return tuple(
            (motions[m].name, motion_of(motions[m]), styles.get(m, ""))
            for m in self._project.user_moves
        )

    def _params(self) -> GenerationParams:
        return self._project.generation

    def _previous(self, track: Track) -> RoutineResult | None:
        return current_routine(self._project, track, self._params())

    # -- results -----------------------------------------------------------------------------

    def _apply(self, request: GenerateRoutineRequest, result: RoutineResult) -> None:
        try:
            track = self._project.track(request.track_id)
        except KeyError:
            return  # the track went away while the routine was being made
        asset = routine_asset(result, request.label)
        area = request.regenerate_range or (0.0, request.analysis.duration)
        removed = replaced_clips(track, area)
        added = routine_clips(request.analysis, self._project, track, asset, area)
        self._stack.push(
            ApplyRoutineCommand(self._project, track.id, asset, removed, added, request.label)
        )
        self.device_changed.emit(result.device)
        self.message.emit(
            f"{request.label}: done in {result.seconds:.1f} s on {result.device.upper()}."
        )
