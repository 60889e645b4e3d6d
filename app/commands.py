"""Every user edit is one QUndoCommand whose body only calls primitives of the model."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from app.model import (
    BeatGrid,
    Clip,
    GenerationSettings,
    MotionAsset,
    Part,
    Project,
    Section,
    Song,
    new_id,
)

# Commands with the same id can merge; only slider drags use it.
_SETTINGS_MERGE_ID = 1001


class SetSongCommand(QUndoCommand):
    def __init__(self, project: Project, song: Song | None) -> None:
        super().__init__("Load song" if song else "Remove song")
        self._project = project
        self._old = project.song
        self._new = song

    def redo(self) -> None:
        self._project.set_song(self._new)

    def undo(self) -> None:
        self._project.set_song(self._old)


class SetBeatGridCommand(QUndoCommand):
    """Swap the whole (immutable) beat grid, so undo is a swap back."""

    def __init__(self, project: Project, grid: BeatGrid, text: str = "Edit beats") -> None:
        super().__init__(text)
        self._project = project
        self._old = project.beat_grid
        self._new = grid

    def redo(self) -> None:
        self._project.set_beat_grid(self._new)

    def undo(self) -> None:
        self._project.set_beat_grid(self._old)


class SetPartsCommand(QUndoCommand):
    def __init__(self, project: Project, parts: tuple[Part, ...], text: str = "Edit parts") -> None:
        super().__init__(text)
        self._project = project
        self._old = project.parts
        self._new = parts

    def redo(self) -> None:
        self._project.set_parts(self._new)

    def undo(self) -> None:
        self._project.set_parts(self._old)


class SetSectionsCommand(QUndoCommand):
    def __init__(
        self, project: Project, sections: tuple[Section, ...], text: str = "Edit sections"
    ) -> None:
        super().__init__(text)
        self._project = project
        self._old = project.sections
        self._new = sections

    def redo(self) -> None:
        self._project.set_sections(self._new)

    def undo(self) -> None:
        self._project.set_sections(self._old)


class SetGenerationSettingsCommand(QUndoCommand):
    """A change of the generator's controls.

    Consecutive changes of the same control merge into one command, so a slider drag is one
    undo step however many values it passed through.
    """

    def __init__(self, project: Project, settings: GenerationSettings, control: str) -> None:
        super().__init__(f"Change {control}")
        self._project = project
        self._old = project.generation
        self._new = settings
        self.control = control

    def id(self) -> int:
        return _SETTINGS_MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetGenerationSettingsCommand) or other.control != self.control:
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._project.set_generation_settings(self._new)

    def undo(self) -> None:
        self._project.set_generation_settings(self._old)


class AddClipCommand(QUndoCommand):
    """Place a clip on a track, adding its motion to the project when it is new."""

    def __init__(
        self, project: Project, track_id: str, clip: Clip, motion: MotionAsset | None = None
    ) -> None:
        super().__init__(f"Add {clip.name}")
        self._project = project
        self._track_id = track_id
        self._clip = clip
        self._motion = motion

    def redo(self) -> None:
        if self._motion is not None:
            self._project.add_motion(self._motion)
        self._project.add_clip(self._track_id, self._clip)

    def undo(self) -> None:
        self._project.remove_clip(self._clip.id)
        if self._motion is not None:
            self._project.remove_motion(self._motion.id)


class RemoveClipCommand(QUndoCommand):
    def __init__(self, project: Project, clip_id: str) -> None:
        track, clip = project.find_clip(clip_id)
        super().__init__(f"Delete {clip.name}")
        self._project = project
        self._track_id = track.id
        self._clip = clip

    def redo(self) -> None:
        self._project.remove_clip(self._clip.id)

    def undo(self) -> None:
        self._project.add_clip(self._track_id, self._clip)


class ReplaceClipCommand(QUndoCommand):
    """Swap a clip for a new value of itself (moved, trimmed, mirrored, locked...)."""

    def __init__(self, project: Project, new: Clip, text: str, track_id: str | None = None) -> None:
        super().__init__(text)
        old_track, old = project.find_clip(new.id)
        self._project = project
        self._old, self._old_track = old, old_track.id
        self._new, self._new_track = new, track_id or old_track.id

    def redo(self) -> None:
        self._project.replace_clip(self._new, self._new_track)

    def undo(self) -> None:
        self._project.replace_clip(self._old, self._old_track)


class MoveClipCommand(ReplaceClipCommand):
    def __init__(
        self, project: Project, clip_id: str, start: float, track_id: str | None = None
    ) -> None:
        _, clip = project.find_clip(clip_id)
        super().__init__(project, replace(clip, start=start), f"Move {clip.name}", track_id)


class TrimClipCommand(ReplaceClipCommand):
    """Trim either edge: the clip's timeline start follows its source in-point."""

    def __init__(self, project: Project, clip_id: str, source_in: float, source_out: float) -> None:
        _, clip = project.find_clip(clip_id)
        start = clip.start + (source_in - clip.source_in)
        new = replace(clip, start=start, source_in=source_in, source_out=source_out)
        super().__init__(project, new, f"Trim {clip.name}")


class MirrorClipCommand(ReplaceClipCommand):
    def __init__(self, project: Project, clip_id: str) -> None:
        _, clip = project.find_clip(clip_id)
        super().__init__(project, replace(clip, mirrored=not clip.mirrored), f"Mirror {clip.name}")


class SplitClipCommand(QUndoCommand):
    """Cut a clip in two at a time on the timeline."""

    def __init__(self, project: Project, clip_id: str, at: float) -> None:
        track, clip = project.find_clip(clip_id)
        if not clip.start < at < clip.end:
            raise ValueError("the split point must lie inside the clip")
        super().__init__(f"Split {clip.name}")
        cut = clip.source_in + (at - clip.start)
        self._project = project
        self._track_id = track.id
        self._old = clip
        self._left = replace(clip, source_out=cut)
        self._right = replace(clip, id=new_id(), start=at, source_in=cut)

    @property
    def right_clip_id(self) -> str:
        return self._right.id

    def redo(self) -> None:
        self._project.replace_clip(self._left)
        self._project.add_clip(self._track_id, self._right)

    def undo(self) -> None:
        self._project.remove_clip(self._right.id)
        self._project.replace_clip(self._old)
