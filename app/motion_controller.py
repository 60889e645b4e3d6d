"""Motion on the timeline: clip edits, motion import, and BVH/JSON/MP4 export.

The clip lanes only say what the user asked for (a wanted start, a wanted edge, an action);
here the snapping and overlap rules of :mod:`app.model.clip_rules` turn each request into at
most one undo command. Imports run on the worker thread and land as one command.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import assert_never

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QWidget

from app.bridge import InferenceBridge, Policy
from app.commands import (
    AddClipCommand,
    AddClipsCommand,
    AddTrackCommand,
    AddUserMoveCommand,
    MirrorClipCommand,
    RemoveClipCommand,
    ReplaceClipCommand,
    SetTrackGhostCommand,
    SplitClipCommand,
)
from app.file_dialogs import DialogPlaces, ensure_suffix
from app.model import Clip, MotionAsset, Project, Track, new_id
from app.model.clip_rules import ClipEdit, Edge, free_start, plan_move, plan_trim
from app.model.track_sampling import assemble_track, asset_from_motion
from app.playback import Transport
from app.video_export_controller import VideoExportController
from inference.errors import UserFacingError
from inference.motion import INPUT_SUFFIXES, Motion, save_motion
from inference.motion.importing import ImportedMotion, ImportMotionRequest
from inference.pose.video_io import VIDEO_SUFFIXES
from widgets.clip_track import ClipAction, ClipTracksView

EXPORT_FPS = 30.0
MOTION_FILTER = f"Motion ({' '.join('*' + s for s in (*INPUT_SUFFIXES, *VIDEO_SUFFIXES))})"
VIDEO_SIZE = (1280, 720)


class MotionController(QObject):
    """Turns clip-lane requests, imports and exports into undo commands and files.

    Signals
    -------
    message(str)
        A line for the status bar.
    error(str, str)
        A title and a message for an error dialog.
    videos_requested(list)
        Paths of videos given to the motion import: Import Video takes them.
    """

    message = Signal(str)
    error = Signal(str, str)
    videos_requested = Signal(list)

    def __init__(
        self,
        parent: QWidget,
        undo_stack: QUndoStack,
        bridge: InferenceBridge,
        transport: Transport,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._stack = undo_stack
        self._bridge = bridge
        self._transport = transport
        self.project = Project()
        self.lanes: ClipTracksView | None = None
        self.video_size = VIDEO_SIZE
        self.places: DialogPlaces | None = None  # where file dialogs start (the window's)
        self.video_export: VideoExportController | None = None  # the window's, for MP4s

    def set_project(self, project: Project, lanes: ClipTracksView) -> None:
        self.project, self.lanes = project, lanes
        lanes.move_requested.connect(self.move)
        lanes.trim_requested.connect(self.trim)
        lanes.action_requested.connect(self.act)
        lanes.seek_requested.connect(self._transport.seek)
        lanes.message.connect(self.message)

    # -- clip edits ----------------------------------------------------------------------------

    def _tolerance(self) -> float:
        return self.lanes.snap_tolerance() if self.lanes is not None else 0.0

    def _asset(self, clip: Clip) -> MotionAsset:
        return self.project.motions[clip.motion_id]

    def move(self, clip_id: str, start: float, track_id: str, ripple: bool = False) -> None:
        """Move a clip to ``start`` on ``track_id``: snapped, then into the nearest free slot
        (with ``ripple``: where it was dropped, pushing the clips after it)."""
        track, clip = self.project.find_clip(clip_id)
        target = self.project.track(track_id)
        edit = plan_move(
            target.clips, self.project.beat_grid, clip, start, self._tolerance(), ripple
        )
        if edit.clip is None:
            self.message.emit(f"No room for {clip.name} on {target.name}.")
            return
        self._say_why_stopped(clip, edit, ripple)
        if edit.clip.start != clip.start or target.id != track.id:
            text = f"{'Ripple move' if edit.pushed else 'Move'} {clip.name}"
            self._push_edit(edit.clip, edit.pushed, text, target.id)

    def trim(self, clip_id: str, edge: Edge, seconds: float, ripple: bool = False) -> None:
        """Drag the ``edge`` of a clip to ``seconds`` (snapped, stopped by its neighbours, or
        with ``ripple`` on the right edge shifting the clips after it)."""
        track, clip = self.project.find_clip(clip_id)
        duration = self._asset(clip).duration
        grid = self.project.beat_grid
        edit = plan_trim(
            track.clips, grid, clip, Edge(edge), seconds, self._tolerance(), duration, ripple
        )
        self._say_why_stopped(clip, edit, ripple)
        if edit.clip is None:
            if edit.blocker is None:
                self.message.emit(f"{clip.name} cannot grow there: its motion has no more frames.")
            return
        text = f"{'Ripple trim' if edit.pushed else 'Trim'} {clip.name}"
        self._push_edit(edit.clip, edit.pushed, text)

    def _say_why_stopped(self, clip: Clip, edit: ClipEdit, ripple: bool) -> None:
        if edit.blocker is not None:
            self.message.emit(ClipTracksView.stop_message(clip, edit.blocker, ripple))

    def _push_edit(
        self, clip: Clip, pushed: tuple[Clip, ...], text: str, track_id: str | None = None
    ) -> None:
        """One undo step: ``clip``'s new value, and the clips a ripple pushed along."""
        if not pushed:
            self._stack.push(ReplaceClipCommand(self.project, clip, text, track_id))
            return
        self._stack.beginMacro(text)
        for moved in reversed(pushed):  # the last first, so no two clips ever overlap
            self._stack.push(ReplaceClipCommand(self.project, moved, f"Push {moved.name}"))
        self._stack.push(ReplaceClipCommand(self.project, clip, text, track_id))
        self._stack.endMacro()

    def act(self, action: ClipAction, clip_id: str) -> None:
        """Do ``action`` to a clip: split it at the playhead, duplicate, mirror, delete it, or
        toggle its lock."""
        action = ClipAction(action)  # a plain string names a member too; any other is refused
        track, clip = self.project.find_clip(clip_id)
        if action is ClipAction.SPLIT:
            at = self._transport.position
            if not clip.start < at < clip.end:
                self.message.emit(f"Put the playhead inside {clip.name} to split it.")
                return
            self._stack.push(SplitClipCommand(self.project, clip_id, at))
        elif action is ClipAction.DUPLICATE:
            start = free_start(track.clips, clip.duration, clip.end)
            if start is not None:
                copy = replace(clip, id=new_id(), start=start)
                command = AddClipCommand(self.project, track.id, copy)
                command.setText(f"Duplicate {clip.name}")
                self._stack.push(command)
        elif action is ClipAction.MIRROR:
            self._stack.push(MirrorClipCommand(self.project, clip_id))
        elif action is ClipAction.DELETE:
            self._stack.push(RemoveClipCommand(self.project, clip_id))
        elif action is ClipAction.LOCK:
            text = f"{'Unlock' if clip.locked else 'Lock'} {clip.name}"
            self._stack.push(
                ReplaceClipCommand(self.project, replace(clip, locked=not clip.locked), text)
            )
        else:
            assert_never(action)

    def selected_clip(self) -> Clip | None:
        clip_id = self.lanes.selected_clip if self.lanes is not None else None
        if clip_id is None:
            self.message.emit("Select a clip first.")
            return None
        return self.project.find_clip(clip_id)[1]

    def toggle_selected_lock(self) -> None:
        """Lock the selected clip, so generation never changes it, or unlock it."""
        clip = self.selected_clip()
        if clip is not None:
            self.act(ClipAction.LOCK, clip.id)

    def add_selected_to_library(self) -> None:
        """Let the generator use the selected clip's motion (cut into counts) from now on."""
        clip = self.selected_clip()
        if clip is None:
            return
        if clip.motion_id in self.project.user_moves:
            self.message.emit(f"{clip.name} is already in the move library.")
            return
        self._stack.push(AddUserMoveCommand(self.project, clip.motion_id, clip.name))

    def toggle_current_ghost(self) -> None:
        """Draw the current dancer track translucent, as a reference, or solid again."""
        track = self.target_track()
        if track is not None:
            self._stack.push(SetTrackGhostCommand(self.project, track.id, not track.ghost))

    def add_dancer_track(self) -> Track:
        """A new, empty dancer track below the others (one undo step); it becomes current."""
        track = self.project.new_dancer_track()
        self._stack.push(AddTrackCommand(self.project, track))
        if self.lanes is not None:
            self.lanes.current_track = track.id
        return track

    # -- import --------------------------------------------------------------------------------

    def import_dialog(self) -> None:
        file_filter = f"{MOTION_FILTER};;All files (*)"
        if self.places is not None:
            paths = self.places.open_paths(self._parent, "Import Motion", file_filter)
        else:
            chosen, _ = QFileDialog.getOpenFileNames(self._parent, "Import Motion", "", file_filter)
            paths = [Path(p) for p in chosen]
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> None:
        """Import motion files and folders on the worker; they join the project as one step.

        The import waits for a running analysis or generation instead of cancelling it. Video
        files among them go to Import Video (:attr:`videos_requested`).
        """
        videos = [p for p in paths if p.suffix.lower() in VIDEO_SUFFIXES and not p.is_dir()]
        if videos:
            self.videos_requested.emit(videos)
            paths = [p for p in paths if p not in videos]
            if not paths:
                return
        request = ImportMotionRequest(tuple(str(p) for p in paths))
        self._bridge.submit(request, self.add_imported, policy=Policy.QUEUE)

    def target_track(self) -> Track | None:
        """The lane last clicked (or of the selected clip), else the first dancer track."""
        current = self.lanes.current_track if self.lanes is not None else None
        if current is not None:
            return self.project.track(current)
        dancers = self.project.dancer_tracks()
        return dancers[0] if dancers else None

    def add_imported(self, imported: list[ImportedMotion], track: Track | None = None) -> None:
        """Place imported motions as consecutive clips from the playhead, in one command."""
        track = track or self.target_track()
        if track is None or not imported:
            self.message.emit("Add a dancer track first.")
            return
        placed: list[Clip] = list(track.clips)
        items: list[tuple[str, Clip, MotionAsset | None]] = []
        wanted = self._transport.position
        for entry in imported:
            asset = asset_from_motion(entry.motion, new_id(), entry.name)
            start = free_start(placed, asset.duration, wanted)
            assert start is not None  # there is always room after the last clip
            clip = Clip(new_id(), asset.id, entry.name, start, 0.0, asset.duration)
            items.append((track.id, clip, asset))
            placed.append(clip)
            wanted = clip.end
        names = imported[0].name if len(imported) == 1 else f"{len(imported)} motions"
        self._stack.push(AddClipsCommand(self.project, items, f"Import {names}"))
        self.message.emit(f"Imported {names} onto {track.name}")

    # -- export --------------------------------------------------------------------------------

    def export_length(self) -> float:
        """Seconds an export covers: the song, or the routine when it runs longer."""
        song = self.project.song.duration if self.project.song is not None else 0.0
        clips = (c.end for t in self.project.dancer_tracks() for c in t.clips)
        return max(song, max(clips, default=0.0))

    def export_motion(self, path: Path, track: Track | None = None) -> Motion:
        """Write one dancer track over the song timeline, from 0 s at 30 fps (.bvh or .json)."""
        track = track or self.target_track()
        if track is None or not track.clips:
            raise UserFacingError("There is no motion to export: import or generate some first.")
        n_frames = max(math.ceil(self.export_length() * EXPORT_FPS - 1e-6), 1)
        motion = assemble_track(track, self.project.motions, n_frames, EXPORT_FPS)
        save_motion(motion, path)
        return motion

    def _save_path(self, title: str, suffix: str, file_filter: str) -> Path | None:
        """Ask where to save: in the project's folder, named after the song, with ``suffix``."""
        if self.places is not None:
            return self.places.save_path(self._parent, title, suffix, file_filter)
        path, _ = QFileDialog.getSaveFileName(self._parent, title, "", file_filter)
        return ensure_suffix(path, suffix) if path else None

    def export_motion_dialog(self, suffix: str) -> None:
        kind = "BVH (*.bvh)" if suffix == ".bvh" else "JSON (*.json)"
        target = self._save_path("Export Motion", suffix, kind)
        if target is not None:
            self._run_export(lambda: self.export_motion(target), target)

    def export_video_dialog(self) -> None:
        target = self._save_path("Export Video", ".mp4", "MP4 (*.mp4)")
        if target is not None:
            self.export_video(target)

    def _run_export(self, export: Callable[[], object], target: Path) -> None:
        try:
            export()
        except (OSError, UserFacingError) as error:
            self.error.emit("Could not export", f"{target.name}: {error}")
        else:
            self.message.emit(f"Exported {target.name}")

    def export_video(self, path: Path) -> bool:
        """Start rendering the dancers with the song into an MP4 in the background.

        Returns whether it started (one export at a time); the export controller reports its
        progress in the status bar and how it ended.
        """
        if self.video_export is None:
            raise RuntimeError("no video export controller attached")
        n_frames = max(math.ceil(self.export_length() * EXPORT_FPS - 1e-6), 1)
        song = self.project.song
        audio = Path(song.path) if song is not None and Path(song.path).is_file() else None
        try:
            return self.video_export.start(self.project, path, n_frames, self.video_size, audio)
        except UserFacingError as error:  # no GL here, say: told before any work starts
            self.error.emit("Could not export", f"{path.name}: {error}")
            return False
