"""Import Video: the pose of a video's dancer becomes one clip on a dancer track.

The extraction (:func:`inference.pose.video_pose_job`: landmarks, motion, the soundtrack's
offset in the project's song) runs on the worker, waiting for a running analysis instead of
cancelling it, with the status bar's progress and Cancel. Its result is checked and placed
here before anything is pushed, so the one undo command that adds the clip cannot fail:

* a soundtrack that matched the song puts the video's frame 0 at the offset found (a video that
  starts before the song is trimmed to song time 0), on the current dancer track if that span
  is free there, else on the first dancer track where it is, else on a new one;
* otherwise (no song, no soundtrack, no match) the clip goes at the playhead, and the status
  bar says why.

The motion keeps its video (:class:`app.model.VideoSource`: the file, the keypoints and the
import's notes), which the video panel shows in step with the playhead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QWidget

from app.bridge import InferenceBridge, Policy
from app.commands import AddClipsCommand, AddTrackCommand
from app.file_dialogs import DialogPlaces
from app.model import Clip, MotionAsset, Project, Track, VideoSource, new_id
from app.model.clip_rules import free_start, overlaps, synced_span
from app.model.project_reader import MAX_MOTION_FRAMES, MAX_VIDEO_FRAMES
from app.model.track_sampling import asset_from_motion
from app.playback import Transport
from app.project_zip import MAX_ARRAY_MEMBER_BYTES, MAX_ARRAYS_BYTES, size_text
from inference.audio.decode import AudioClip
from inference.errors import UserFacingError
from inference.jobs import Job
from inference.pose import VIDEO_SUFFIXES, VideoPoseResult, video_pose_job
from inference.song_requests import LoadedSong
from widgets.clip_track import ClipTracksView
from widgets.video_panel import VideoPanel

VIDEO_FILTER = f"Videos ({' '.join('*' + s for s in VIDEO_SUFFIXES)})"


def is_video(path: Path) -> bool:
    """Whether Import Video (rather than a motion or song import) takes ``path``."""
    return path.suffix.lower() in VIDEO_SUFFIXES and not path.is_dir()


@dataclass(frozen=True, eq=False)
class ImportVideoRequest:
    """Pose, motion and soundtrack sync of one video, on the worker.

    ``song`` is the project's song (decoded, or its file) to align the soundtrack to, or
    ``None`` when the project has none.
    """

    path: str
    song: AudioClip | str | None = None

    def job(self) -> Job[VideoPoseResult]:
        return video_pose_job(self.path, self.song)


@dataclass(frozen=True)
class VideoPlacement:
    """Where an imported video's clip goes, and why, worked out before anything changes."""

    track: Track
    new_track: bool
    clip: Clip
    motion: MotionAsset
    how: str
    """Says where it went and why, for the status bar."""


def video_source(result: VideoPoseResult, extra_notes: Sequence[str] = ()) -> VideoSource:
    """The document's record of the video: file, keypoints (missing points as zeros with
    visibility 0, the project file's rule) and every note the import made."""
    points = np.array(result.track.keypoints, dtype=np.float64)
    missing = ~np.isfinite(points).all(axis=-1)
    points[missing] = 0.0
    points[..., 2] = np.clip(points[..., 2], 0.0, 1.0)
    return VideoSource(
        path=str(result.path.resolve()),
        fps=result.track.fps,
        width=result.track.width,
        height=result.track.height,
        keypoints=points,
        notes=(*result.notes, *extra_notes),
    )


def stored_bytes(motion: MotionAsset) -> int:
    """Bytes of a motion's arrays in the project file (its video's keypoints included)."""
    arrays = [*motion.arrays.values(), *([motion.video.keypoints] if motion.video else [])]
    return sum(np.asarray(a).nbytes for a in arrays)


class VideoImportController(QObject):
    """Submits video imports, places their results as one undo step, and drives the panel.

    Signals
    -------
    message(str)
        A line for the status bar.
    error(str, str)
        A title and a message for an error dialog.
    """

    message = Signal(str)
    error = Signal(str, str)

    def __init__(
        self,
        parent: QWidget,
        undo_stack: QUndoStack,
        bridge: InferenceBridge,
        transport: Transport,
        loaded_song: Callable[[], LoadedSong | None],
        panel: VideoPanel,
        places: DialogPlaces,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._places = places
        self._stack = undo_stack
        self._bridge = bridge
        self._transport = transport
        self._loaded_song = loaded_song
        self.panel = panel
        self.project = Project()
        self.lanes: ClipTracksView | None = None
        self.panel_action = QAction("&Video Panel", self)
        self.panel_action.setCheckable(True)
        self.panel_action.setToolTip("Show the source video of a clip beside the 3D view")
        self.panel_action.toggled.connect(panel.setVisible)
        panel.setVisible(False)
        transport.position_changed.connect(panel.set_time)

    def set_project(self, project: Project, lanes: ClipTracksView) -> None:
        self.project, self.lanes = project, lanes
        self.panel.close_video()
        self.panel.set_project(project)
        self.panel.set_time(self._transport.position)
        lanes.selection_changed.connect(self.panel.show_clip)
        has_video = any(m.video is not None for m in project.motions.values())
        self.panel_action.setChecked(has_video)

    # -- import --------------------------------------------------------------------------------

    def import_dialog(self) -> None:
        file_filter = f"{VIDEO_FILTER};;All files (*)"
        self.import_paths(self._places.open_paths(self._parent, "Import Video", file_filter))

    def import_paths(self, paths: Sequence[Path]) -> None:
        """Import each video on the worker (one after the other); each lands as one step."""
        for path in paths:
            self.import_video(path)

    def import_video(self, path: Path) -> int:
        """Start the import of ``path``; returns the request's serial (for cancelling)."""
        project = self.project
        song, why_unsynced = self._song_for_sync()
        request = ImportVideoRequest(str(path), song)
        self.message.emit(f"Finding the dancer in {path.name}…")
        return self._bridge.submit(
            request,
            lambda result: self._on_imported(result, project, why_unsynced),
            lambda problem: self._on_failed(path, problem),
            Policy.QUEUE,
        )

    def _song_for_sync(self) -> tuple[AudioClip | str | None, str | None]:
        """The song to align the soundtrack to (already decoded when it can be), or why none."""
        song = self.project.song
        if song is None:
            return None, "the project has no song to sync to: placed at the playhead"
        loaded = self._loaded_song()
        if loaded is not None and loaded.path == song.path and loaded.analysis_audio is not None:
            return loaded.analysis_audio, None
        if Path(song.path).is_file():
            return song.path, None
        return None, f"the song {Path(song.path).name} is missing: placed at the playhead"

    def _on_failed(self, path: Path, problem: str) -> None:
        self.error.emit(
            "Could not import the video",
            f"{problem}\n\n{path.name} was not imported; the project is unchanged.",
        )

    def _on_imported(
        self, result: VideoPoseResult, project: Project, why_unsynced: str | None
    ) -> None:
        if project is not self.project:
            self.message.emit(
                f"{result.path.name} was analysed for a project that is closed now: not added."
            )
            return
        self.add_imported(result, why_unsynced)

    def add_imported(self, result: VideoPoseResult, why_unsynced: str | None = None) -> None:
        """Put an extracted video into the open project as one undo step (see :meth:`place`);
        a video the project cannot hold gets the error dialog and changes nothing."""
        try:
            placement = self.place(result, why_unsynced)
        except UserFacingError as error:
            self._on_failed(result.path, str(error))
            return
        self._push(placement)
        if self.lanes is not None:
            self.lanes.select(placement.clip.id)
        self.panel_action.setChecked(True)
        self.panel.show_clip(placement.clip.id)
        self.message.emit(placement.how)

    def place(self, result: VideoPoseResult, why_unsynced: str | None = None) -> VideoPlacement:
        """Where ``result`` goes in the open project; changes nothing.

        Raises
        ------
        UserFacingError
            The video is longer than a project can hold.
        """
        name = result.path.name
        if result.motion.n_frames > MAX_MOTION_FRAMES or result.track.n_frames > MAX_VIDEO_FRAMES:
            raise UserFacingError(
                f"{name}: the video lasts {result.track.duration / 60:.0f} min; a project holds "
                f"motions of at most {MAX_MOTION_FRAMES / 30 / 3600:.0f} h"
            )
        asset = replace(asset_from_motion(result.motion, new_id(), name), video=None)
        self._check_fits(asset, result)
        offset = result.audio_offset
        span = synced_span(offset, result.motion.duration) if offset is not None else None
        if offset is not None and span is None:
            why_unsynced = "the video ends before the song starts: placed at the playhead"
        extra = (why_unsynced,) if why_unsynced and why_unsynced not in result.notes else ()
        asset = replace(asset, video=video_source(result, extra))
        if span is not None:
            start, source_in = span
            track, new = self._free_track(start, start + asset.duration - source_in)
            assert result.sync is not None
            how = (
                f"Imported {name} onto {track.name} at {start:.2f} s: its soundtrack matches the "
                f"song from {offset:+.2f} s (correlation {result.sync.correlation:.2f})"
            )
        else:
            track, new = self._target_track()
            start = free_start(track.clips, asset.duration, self._transport.position)
            assert start is not None  # there is always room after the last clip
            source_in = 0.0
            reason = why_unsynced or next(
                (n for n in reversed(result.notes) if "playhead" in n), "placed at the playhead"
            )
            how = f"Imported {name} onto {track.name} at {start:.2f} s: {reason}"
        clip = Clip(new_id(), asset.id, name, start, source_in, asset.duration)
        return VideoPlacement(track, new, clip, asset, how)

    def _check_fits(self, asset: MotionAsset, result: VideoPoseResult) -> None:
        """Refuse a video whose arrays the project file could not read back (its size limits)."""
        name = result.path.name
        member = stored_bytes(asset) + result.track.keypoints.nbytes
        if member > MAX_ARRAY_MEMBER_BYTES:
            minutes = MAX_ARRAY_MEMBER_BYTES / member * result.track.duration / 60
            raise UserFacingError(
                f"{name}: its motion and keypoints take {size_text(member)}; a project stores "
                f"at most {size_text(MAX_ARRAY_MEMBER_BYTES)} per motion (about {minutes:.0f} "
                "min of this video): cut the video shorter"
            )
        total = member + sum(stored_bytes(m) for m in self.project.motions.values())
        if total > MAX_ARRAYS_BYTES:
            raise UserFacingError(
                f"{name}: with it the project's motions would take {size_text(total)}; a "
                f"project holds at most {size_text(MAX_ARRAYS_BYTES)} of them"
            )

    def _target_track(self) -> tuple[Track, bool]:
        current = self.lanes.current_track if self.lanes is not None else None
        dancers = self.project.dancer_tracks()
        for track in dancers:
            if track.id == current:
                return track, False
        return (dancers[0], False) if dancers else (self.project.new_dancer_track(), True)

    def _free_track(self, start: float, end: float) -> tuple[Track, bool]:
        """The current dancer track if ``start..end`` is free on it, else the first where it
        is, else a new track: a synced clip is never shifted off its sync."""
        first, new = self._target_track()
        if new:
            return first, True
        others = [t for t in self.project.dancer_tracks() if t.id != first.id]
        for track in (first, *others):
            if not overlaps(track.clips, start, end):
                return track, False
        return self.project.new_dancer_track(), True

    def _push(self, placement: VideoPlacement) -> None:
        text = f"Import video {placement.clip.name}"
        add = AddClipsCommand(
            self.project, [(placement.track.id, placement.clip, placement.motion)], text
        )
        if not placement.new_track:
            self._stack.push(add)
            return
        self._stack.beginMacro(text)
        self._stack.push(AddTrackCommand(self.project, placement.track))
        self._stack.push(add)
        self._stack.endMacro()
