"""The project document: plain Python, observable, edited only through small primitives.

Each primitive changes one thing, emits one past-tense event when (and only when) the value
really changed, and returns what an undo command needs to reverse it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from app.model.document import (
    BeatGrid,
    Clip,
    GenerationParams,
    MotionAsset,
    Part,
    Section,
    Song,
    StyleTag,
    Track,
    TrackKind,
    new_id,
)
from app.model.events import EventGroup
from app.model.takes import Take
from inference.audio.grid import empty_grid


class ProjectEvents(EventGroup):
    """Everything a view can observe on a :class:`Project`."""

    NAMES = (
        "name_changed",
        "song_changed",
        "beat_grid_changed",
        "parts_changed",
        "part_names_changed",
        "sections_changed",
        "track_added",
        "track_removed",
        "track_changed",
        "clip_added",
        "clip_removed",
        "clip_moved",
        "clip_trimmed",
        "clip_changed",
        "motion_added",
        "motion_removed",
        "generation_settings_changed",
        "user_moves_changed",
        "style_tags_changed",
        "takes_changed",
    )


class Project:
    """Song, beat grid, parts, sections, tracks of clips, and the generator's settings."""

    def __init__(self, name: str = "Untitled", tracks: Sequence[Track] | None = None) -> None:
        """Start a project with one audio track and one dancer track, or with ``tracks``."""
        if tracks is not None and sum(t.kind is TrackKind.AUDIO for t in tracks) != 1:
            raise ValueError("a project has exactly one audio track")
        self.events = ProjectEvents()
        self._name = name
        self._song: Song | None = None
        self._beat_grid = empty_grid(0.0)
        self._parts: tuple[Part, ...] = ()
        self._part_names: dict[int, str] = {}
        self._sections: tuple[Section, ...] = ()
        self._tracks: list[Track] = (
            list(tracks)
            if tracks is not None
            else [
                Track(id=new_id(), name="Audio", kind=TrackKind.AUDIO),
                Track(id=new_id(), name="Dancer 1", kind=TrackKind.DANCER),
            ]
        )
        self._motions: dict[str, MotionAsset] = {}
        self._generation = GenerationParams()
        self._user_moves: tuple[str, ...] = ()
        self._user_move_styles: dict[str, str] = {}
        self._style_tags: tuple[StyleTag, ...] = ()
        self._takes: tuple[Take, ...] = ()

    def new_dancer_track(self) -> Track:
        """A dancer track, not yet added, named "Dancer N" after the dancers there are."""
        names = {t.name for t in self._tracks}
        n = len(self.dancer_tracks()) + 1
        while f"Dancer {n}" in names:
            n += 1
        return Track(id=new_id(), name=f"Dancer {n}", kind=TrackKind.DANCER)

    def snapshot(self) -> Project:
        """A copy with no listeners, for a worker thread to read while this one is edited.

        Songs, tracks, clips and motions are frozen, so the copy shares them; only the
        containers are new, and no edit of this project can reach the copy.
        """
        copy = Project.__new__(Project)
        copy.__dict__.update(self.__dict__)
        copy.events = ProjectEvents()
        copy._part_names = dict(self._part_names)
        copy._tracks = list(self._tracks)
        copy._motions = dict(self._motions)
        copy._user_move_styles = dict(self._user_move_styles)
        return copy

    # -- read access -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def song(self) -> Song | None:
        return self._song

    @property
    def beat_grid(self) -> BeatGrid:
        return self._beat_grid

    @property
    def parts(self) -> tuple[Part, ...]:
        return self._parts

    @property
    def part_names(self) -> dict[int, str]:
        """User-given part names by 1-based part index (a copy; unnamed parts are absent)."""
        return dict(self._part_names)

    def part_label(self, part: Part) -> str:
        """The name the user gave ``part``, or "Part N"."""
        return self._part_names.get(part.index) or f"Part {part.index}"

    @property
    def sections(self) -> tuple[Section, ...]:
        return self._sections

    @property
    def tracks(self) -> tuple[Track, ...]:
        return tuple(self._tracks)

    @property
    def motions(self) -> dict[str, MotionAsset]:
        """A copy of the motion table, so callers cannot change it behind the events' back."""
        return dict(self._motions)

    @property
    def user_moves(self) -> tuple[str, ...]:
        """Motions the user added to the move library: the generator may use them."""
        return self._user_moves

    @property
    def user_move_styles(self) -> dict[str, str]:
        """The style each user move was added under, by motion id (a copy).

        A move without one (added as a single clip) dances in whichever style is chosen.
        """
        return dict(self._user_move_styles)

    def user_styles(self) -> tuple[str, ...]:
        """The style names the user's moves brought, in the order they were first added."""
        return tuple(
            dict.fromkeys(
                self._user_move_styles[m] for m in self._user_moves if m in self._user_move_styles
            )
        )

    @property
    def style_tags(self) -> tuple[StyleTag, ...]:
        """The stretches the user tagged as examples of their own styles, oldest first."""
        return self._style_tags

    @property
    def generation(self) -> GenerationParams:
        return self._generation

    @property
    def takes(self) -> tuple[Take, ...]:
        """The practice takes' history, oldest first (:mod:`app.model.takes`)."""
        return self._takes

    def track(self, track_id: str) -> Track:
        for track in self._tracks:
            if track.id == track_id:
                return track
        raise KeyError(f"no track {track_id!r}")

    def dancer_tracks(self) -> tuple[Track, ...]:
        return tuple(t for t in self._tracks if t.kind is TrackKind.DANCER)

    def find_clip(self, clip_id: str) -> tuple[Track, Clip]:
        """The clip with ``clip_id`` and the track that holds it."""
        for track in self._tracks:
            for clip in track.clips:
                if clip.id == clip_id:
                    return track, clip
        raise KeyError(f"no clip {clip_id!r}")

    # -- whole values --------------------------------------------------------------------------

    def set_name(self, name: str) -> None:
        if name != self._name:
            self._name = name
            self.events.name_changed.emit(name)

    def set_song(self, song: Song | None) -> None:
        if song != self._song:
            self._song = song
            self.events.song_changed.emit(song)

    def set_beat_grid(self, grid: BeatGrid) -> None:
        if grid != self._beat_grid:
            self._beat_grid = grid
            self.events.beat_grid_changed.emit(grid)

    def set_parts(self, parts: tuple[Part, ...]) -> None:
        if parts != self._parts:
            self._parts = parts
            self.events.parts_changed.emit(parts)

    def set_part_names(self, names: Mapping[int, str]) -> None:
        """Replace every part name at once; empty names are dropped (the part is "Part N")."""
        cleaned = {int(k): v for k, v in names.items() if v}
        if cleaned != self._part_names:
            self._part_names = cleaned
            self.events.part_names_changed.emit(dict(cleaned))

    def set_sections(self, sections: tuple[Section, ...]) -> None:
        if sections != self._sections:
            self._sections = sections
            self.events.sections_changed.emit(sections)

    def set_user_moves(
        self, motion_ids: tuple[str, ...], styles: Mapping[str, str] | None = None
    ) -> None:
        """Replace the user's moves, and the style of those that have one (see
        :attr:`user_move_styles`); ``styles`` only names moves in ``motion_ids``."""
        unknown = [m for m in motion_ids if m not in self._motions]
        if unknown:
            raise ValueError(f"unknown motions for the move library: {unknown}")
        cleaned = {str(k): str(v) for k, v in (styles or {}).items() if v}
        if not set(cleaned) <= set(motion_ids):
            raise ValueError("a move's style names a motion that is not a user move")
        if motion_ids != self._user_moves or cleaned != self._user_move_styles:
            self._user_moves = motion_ids
            self._user_move_styles = cleaned
            self.events.user_moves_changed.emit(motion_ids)

    def set_style_tags(self, tags: tuple[StyleTag, ...]) -> None:
        """Replace every style tag at once. Only what keeps the document whole is checked
        here; the rules for names and lengths live in :mod:`app.model.style_tags`."""
        unknown = sorted({t.motion_id for t in tags} - set(self._motions))
        if unknown:
            raise ValueError(f"style tags name unknown motions: {unknown}")
        if len({t.key for t in tags}) != len(tags):
            raise ValueError("a stretch is tagged twice")
        if tags != self._style_tags:
            self._style_tags = tags
            self.events.style_tags_changed.emit(tags)

    def set_takes(self, takes: tuple[Take, ...]) -> None:
        """Replace the take history whole (recording a take, and its undo, swap it)."""
        if takes != self._takes:
            self._takes = takes
            self.events.takes_changed.emit(takes)

    def set_generation_settings(self, settings: GenerationParams) -> None:
        if settings != self._generation:
            self._generation = settings
            self.events.generation_settings_changed.emit(settings)

    # -- tracks --------------------------------------------------------------------------------

    def add_track(self, track: Track, index: int | None = None) -> None:
        if any(t.id == track.id for t in self._tracks):
            raise ValueError(f"track {track.id!r} already exists")
        position = len(self._tracks) if index is None else index
        self._tracks.insert(position, track)
        self.events.track_added.emit(track, position)

    def remove_track(self, track_id: str) -> tuple[Track, int]:
        """Remove a track; returns it and its index, so the removal can be undone."""
        track = self.track(track_id)
        if track.kind is TrackKind.AUDIO:
            raise ValueError("the audio track cannot be removed")
        index = self._tracks.index(track)
        del self._tracks[index]
        self.events.track_removed.emit(track)
        return track, index

    def set_track_ghost(self, track_id: str, ghost: bool) -> None:
        """Show a dancer track as a translucent reference ghost, or as a normal dancer."""
        track = self.track(track_id)
        if track.kind is not TrackKind.DANCER:
            raise ValueError("only dancer tracks can be ghosts")
        if track.ghost != ghost:
            new = replace(track, ghost=ghost)
            self._replace_track(new)
            self.events.track_changed.emit(new)

    def _replace_track(self, new: Track) -> None:
        index = next(i for i, t in enumerate(self._tracks) if t.id == new.id)
        self._tracks[index] = new

    # -- motions -------------------------------------------------------------------------------

    def add_motion(self, motion: MotionAsset) -> None:
        if motion.id in self._motions:
            raise ValueError(f"motion {motion.id!r} already exists")
        self._motions[motion.id] = motion
        self.events.motion_added.emit(motion)

    def remove_motion(self, motion_id: str) -> MotionAsset:
        if any(c.motion_id == motion_id for t in self._tracks for c in t.clips):
            raise ValueError("a motion still used by a clip cannot be removed")
        if motion_id in self._user_moves:
            raise ValueError("a motion in the move library cannot be removed")
        if any(t.motion_id == motion_id for t in self._style_tags):
            raise ValueError("a motion tagged as a style cannot be removed")
        motion = self._motions.pop(motion_id)
        self.events.motion_removed.emit(motion)
        return motion

    # -- clips ---------------------------------------------------------------------------------

    def add_clip(self, track_id: str, clip: Clip) -> None:
        track = self.track(track_id)
        if track.kind is not TrackKind.DANCER:
            raise ValueError("clips go on dancer tracks")
        if clip.motion_id not in self._motions:
            raise ValueError(f"clip {clip.name!r} refers to an unknown motion")
        clips = tuple(sorted((*track.clips, clip), key=lambda c: c.start))
        self._replace_track(replace(track, clips=clips))
        self.events.clip_added.emit(track_id, clip)

    def remove_clip(self, clip_id: str) -> tuple[str, Clip]:
        """Remove a clip; returns its track id and the clip, so the removal can be undone."""
        track, clip = self.find_clip(clip_id)
        self._replace_track(replace(track, clips=tuple(c for c in track.clips if c.id != clip_id)))
        self.events.clip_removed.emit(track.id, clip)
        return track.id, clip

    def replace_clip(self, new: Clip, track_id: str | None = None) -> Clip:
        """Swap a clip for a new value with the same id, optionally onto another track.

        Emits the most specific event that describes the change: ``clip_moved`` when only the
        start or track changed, ``clip_trimmed`` when only the source range (and start) changed,
        ``clip_changed`` otherwise. Returns the old value.
        """
        track, old = self.find_clip(new.id)
        target_id = track.id if track_id is None else track_id
        if new == old and target_id == track.id:
            return old
        target = self.track(target_id)
        if target.kind is not TrackKind.DANCER:
            raise ValueError("clips go on dancer tracks")
        self._replace_track(replace(track, clips=tuple(c for c in track.clips if c.id != new.id)))
        target = self.track(target_id)
        clips = tuple(sorted((*target.clips, new), key=lambda c: c.start))
        self._replace_track(replace(target, clips=clips))
        self._emit_clip_change(track.id, target_id, old, new)
        return old

    def _emit_clip_change(self, old_track: str, new_track: str, old: Clip, new: Clip) -> None:
        moved_only = replace(old, start=new.start) == new
        trimmed = replace(old, start=new.start, source_in=new.source_in, source_out=new.source_out)
        if moved_only:
            self.events.clip_moved.emit(old_track, new_track, new)
        elif trimmed == new and old_track == new_track:
            self.events.clip_trimmed.emit(new_track, new)
        else:
            self.events.clip_changed.emit(new_track, new)
