"""Every user edit is one QUndoCommand whose body only calls primitives of the model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from PySide6.QtGui import QUndoCommand

from app.model import (
    BeatGrid,
    Clip,
    GenerationParams,
    MotionAsset,
    Part,
    Project,
    Section,
    Song,
    StyleTag,
    Take,
    Track,
    new_id,
)
from app.model.takes import kept_takes

# Commands with the same id can merge: slider drags, and the taps of one tap-tempo run.
_SETTINGS_MERGE_ID = 1001
TAP_TEMPO_MERGE_ID = 1002


class SetSongCommand(QUndoCommand):
    def __init__(self, project: Project, song: Song | None, text: str = "") -> None:
        super().__init__(text or ("Load song" if song else "Remove song"))
        self._project = project
        self._old = project.song
        self._new = song

    def redo(self) -> None:
        self._project.set_song(self._new)

    def undo(self) -> None:
        self._project.set_song(self._old)


class SetRhythmCommand(QUndoCommand):
    """Swap any of the beat grid, parts, part names and sections as one undo step.

    Values left as None are not touched. Applying an analysis, a grid edit (with the parts and
    sections that follow it) and a part merge are each one user action, so each is one command
    that sets several whole values; undo swaps them all back.
    """

    def __init__(
        self,
        project: Project,
        text: str,
        grid: BeatGrid | None = None,
        parts: tuple[Part, ...] | None = None,
        sections: tuple[Section, ...] | None = None,
        part_names: Mapping[int, str] | None = None,
        merge_id: int = -1,
        merge_key: object = None,
    ) -> None:
        super().__init__(text)
        self._project = project
        self._merge_id = merge_id
        self._merge_key = merge_key
        self._old = _Rhythm(project.beat_grid, project.parts, project.sections, project.part_names)
        self._new = _Rhythm(
            project.beat_grid if grid is None else grid,
            project.parts if parts is None else parts,
            project.sections if sections is None else sections,
            project.part_names if part_names is None else dict(part_names),
        )

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Only commands that asked for a merge id get here (Qt compares ids first); the key
        # keeps apart runs of the same kind of edit, such as two separate tap-tempo runs.
        if not isinstance(other, SetRhythmCommand) or other._merge_key != self._merge_key:
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._new.apply(self._project)

    def undo(self) -> None:
        self._old.apply(self._project)


@dataclass(frozen=True)
class _Rhythm:
    grid: BeatGrid
    parts: tuple[Part, ...]
    sections: tuple[Section, ...]
    part_names: dict[int, str]

    def apply(self, project: Project) -> None:
        # The grid first: views that draw parts read the grid they belong to.
        project.set_beat_grid(self.grid)
        project.set_parts(self.parts)
        project.set_part_names(self.part_names)
        project.set_sections(self.sections)


class SetBeatGridCommand(SetRhythmCommand):
    """Swap the whole (immutable) beat grid, so undo is a swap back."""

    def __init__(self, project: Project, grid: BeatGrid, text: str = "Edit beats") -> None:
        super().__init__(project, text, grid=grid)


class SetPartsCommand(SetRhythmCommand):
    def __init__(self, project: Project, parts: tuple[Part, ...], text: str = "Edit parts") -> None:
        super().__init__(project, text, parts=parts)


class SetSectionsCommand(SetRhythmCommand):
    def __init__(
        self, project: Project, sections: tuple[Section, ...], text: str = "Edit sections"
    ) -> None:
        super().__init__(project, text, sections=sections)


class SetGenerationSettingsCommand(QUndoCommand):
    """A change of the generator's controls.

    Changes of one control in one ``gesture`` (one slider drag, from press to release) merge
    into one command, so a drag is one undo step however many values it passed through; two
    drags of the same slider are two steps.
    """

    def __init__(
        self, project: Project, settings: GenerationParams, control: str, gesture: int
    ) -> None:
        super().__init__(f"Change {control}")
        self._project = project
        self._old = project.generation
        self._new = settings
        self.control = control
        self.gesture = gesture

    def id(self) -> int:
        return _SETTINGS_MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetGenerationSettingsCommand):
            return False
        if (other.control, other.gesture) != (self.control, self.gesture):
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


class AddTrackCommand(QUndoCommand):
    """Add a track (at the end, or at ``index``)."""

    def __init__(self, project: Project, track: Track, index: int | None = None) -> None:
        super().__init__(f"Add {track.name}")
        self._project = project
        self._track = track
        self._index = index

    def redo(self) -> None:
        self._project.add_track(self._track, self._index)

    def undo(self) -> None:
        self._project.remove_track(self._track.id)


class AddClipsCommand(QUndoCommand):
    """Place several clips (with their new motions) at once: an import of a folder is one step.

    ``items`` holds ``(track id, clip, motion or None)``; motions are added before any clip,
    so two clips may share one new motion.
    """

    def __init__(
        self,
        project: Project,
        items: Sequence[tuple[str, Clip, MotionAsset | None]],
        text: str,
    ) -> None:
        super().__init__(text)
        self._project = project
        self._items = tuple(items)

    def redo(self) -> None:
        for _, _, motion in self._items:
            if motion is not None:
                self._project.add_motion(motion)
        for track_id, clip, _ in self._items:
            self._project.add_clip(track_id, clip)

    def undo(self) -> None:
        for _, clip, _ in reversed(self._items):
            self._project.remove_clip(clip.id)
        for _, _, motion in reversed(self._items):
            if motion is not None:
                self._project.remove_motion(motion.id)


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


class SetTrackGhostCommand(QUndoCommand):
    """Show a dancer track as the translucent reference ghost, or as a dancer again."""

    def __init__(self, project: Project, track_id: str, ghost: bool) -> None:
        name = project.track(track_id).name
        super().__init__(f"Show {name} as reference ghost" if ghost else f"Show {name} solid")
        self._project = project
        self._track_id = track_id
        self._ghost = ghost

    def redo(self) -> None:
        self._project.set_track_ghost(self._track_id, self._ghost)

    def undo(self) -> None:
        self._project.set_track_ghost(self._track_id, not self._ghost)


class AddUserMovesCommand(QUndoCommand):
    """Put motions into the move library the generator draws from, as one undo step.

    Parameters
    ----------
    motion_ids
        The motions that become user moves.
    text
        The undo text.
    style
        The style they are tagged with; empty means they dance in whichever style is chosen.
    motions
        Assets the project gains with them (a folder of moves brings its own motions; a
        clip's motion is in the project already).
    """

    def __init__(
        self,
        project: Project,
        motion_ids: Sequence[str],
        text: str,
        style: str = "",
        motions: Sequence[MotionAsset] = (),
    ) -> None:
        super().__init__(text)
        self._project = project
        self._motions = tuple(motions)
        self._old = (project.user_moves, project.user_move_styles)
        styles = project.user_move_styles
        if style:
            styles.update(dict.fromkeys(motion_ids, style))
        self._new = ((*project.user_moves, *motion_ids), styles)

    def redo(self) -> None:
        for motion in self._motions:
            self._project.add_motion(motion)
        self._project.set_user_moves(*self._new)

    def undo(self) -> None:
        self._project.set_user_moves(*self._old)
        for motion in self._motions:
            self._project.remove_motion(motion.id)


class AddUserMoveCommand(AddUserMovesCommand):
    """Put a clip's motion into the move library the generator draws from."""

    def __init__(self, project: Project, motion_id: str, name: str) -> None:
        super().__init__(project, (motion_id,), f"Add {name} to the move library")


class SetStyleTagsCommand(QUndoCommand):
    """Tag stretches as examples of the user's styles, or untag them: the whole tuple of tags
    is swapped, so undo is a swap back. Build the new tuple with :mod:`app.model.style_tags`,
    which refuses what the project cannot hold, before pushing this."""

    def __init__(self, project: Project, tags: tuple[StyleTag, ...], text: str) -> None:
        super().__init__(text)
        self._project = project
        self._old = project.style_tags
        self._new = tags

    def redo(self) -> None:
        self._project.set_style_tags(self._new)

    def undo(self) -> None:
        self._project.set_style_tags(self._old)


class RecordTakesCommand(QUndoCommand):
    """Add scored takes to the project's take history (undo takes them out again)."""

    def __init__(self, project: Project, takes: Sequence[Take], text: str) -> None:
        super().__init__(text)
        self._project = project
        self._old = project.takes
        self._new = kept_takes(project.takes, takes)

    def redo(self) -> None:
        self._project.set_takes(self._new)

    def undo(self) -> None:
        self._project.set_takes(self._old)
