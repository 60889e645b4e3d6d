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

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog, QWidget

from app.bridge import InferenceBridge, Policy
from app.commands import (
    AddClipCommand,
    AddClipsCommand,
    AddTrackCommand,
    AddUserMoveCommand,
    MirrorClipCommand,
    MoveClipCommand,
    RemoveClipCommand,
    ReplaceClipCommand,
    SetTrackGhostCommand,
    SplitClipCommand,
)
from app.model import Clip, MotionAsset, Project, Track, TrackKind, new_id
from app.model.arrange import assemble_track, asset_from_motion
from app.model.clip_rules import free_start, snap, snap_start, snap_targets, trimmed
from app.playback import Transport
from inference.errors import UserFacingError
from inference.jobs import Cancelled, run_job
from inference.motion import INPUT_SUFFIXES, Motion, save_motion
from inference.motion.importing import ImportedMotion, ImportMotionRequest
from inference.pose.video_io import VIDEO_SUFFIXES
from widgets.clip_track import ClipTracksView

SNAP_PIXELS = 8.0
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

    def set_project(self, project: Project, lanes: ClipTracksView) -> None:
        self.project, self.lanes = project, lanes
        lanes.move_requested.connect(self.move)
        lanes.trim_requested.connect(self.trim)
        lanes.action_requested.connect(self.act)
        lanes.seek_requested.connect(self._transport.seek)

    # -- clip edits ----------------------------------------------------------------------------

    def _tolerance(self) -> float:
        return SNAP_PIXELS * self.lanes.seconds_per_pixel() if self.lanes is not None else 0.0

    def _asset(self, clip: Clip) -> MotionAsset:
        return self.project.motions[clip.motion_id]

    def move(self, clip_id: str, start: float, track_id: str) -> None:
        """Move a clip to ``start`` on ``track_id``: snapped, then into the nearest free slot."""
        track, clip = self.project.find_clip(clip_id)
        target = self.project.track(track_id)
        targets = snap_targets(self.project.beat_grid, target.clips, exclude=clip_id)
        wanted = snap_start(start, clip.duration, targets, self._tolerance())
        placed = free_start(target.clips, clip.duration, wanted, exclude=clip_id)
        if placed is None:
            self.message.emit(f"No room for {clip.name} on {target.name}.")
        elif placed != clip.start or target.id != track.id:
            self._stack.push(MoveClipCommand(self.project, clip_id, placed, target.id))

    def trim(self, clip_id: str, edge: str, seconds: float) -> None:
        """Drag the ``edge`` of a clip to ``seconds`` (snapped, stopped by its neighbours)."""
        track, clip = self.project.find_clip(clip_id)
        targets = snap_targets(self.project.beat_grid, track.clips, exclude=clip_id)
        at = snap(seconds, targets, self._tolerance())
        new = trimmed(clip, edge, at, track.clips, self._asset(clip).duration)
        if new is not None:
            self._stack.push(ReplaceClipCommand(self.project, new, f"Trim {clip.name}"))

    def act(self, action: str, clip_id: str) -> None:
        """Do ``action`` to a clip: ``"split"`` (at the playhead), ``"duplicate"``, ``"mirror"``,
        ``"delete"`` or ``"lock"`` (which toggles the lock)."""
        track, clip = self.project.find_clip(clip_id)
        if action == "split":
            at = self._transport.position
            if not clip.start < at < clip.end:
                self.message.emit(f"Put the playhead inside {clip.name} to split it.")
                return
            self._stack.push(SplitClipCommand(self.project, clip_id, at))
        elif action == "duplicate":
            start = free_start(track.clips, clip.duration, clip.end)
            if start is not None:
                copy = replace(clip, id=new_id(), start=start)
                command = AddClipCommand(self.project, track.id, copy)
                command.setText(f"Duplicate {clip.name}")
                self._stack.push(command)
        elif action == "mirror":
            self._stack.push(MirrorClipCommand(self.project, clip_id))
        elif action == "delete":
            self._stack.push(RemoveClipCommand(self.project, clip_id))
        elif action == "lock":
            text = f"{'Unlock' if clip.locked else 'Lock'} {clip.name}"
            self._stack.push(
                ReplaceClipCommand(self.project, replace(clip, locked=not clip.locked), text)
            )
        else:
            raise ValueError(f"unknown clip action {action!r}")

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
            self.act("lock", clip.id)

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
        number = len(self.project.dancer_tracks()) + 1
        names = {t.name for t in self.project.tracks}
        name = next(
            f"Dancer {n}" for n in range(number, number + 1000) if f"Dancer {n}" not in names
        )
        track = Track(id=new_id(), name=name, kind=TrackKind.DANCER)
        self._stack.push(AddTrackCommand(self.project, track))
        if self.lanes is not None:
            self.lanes.current_track = track.id
        return track

    # -- import --------------------------------------------------------------------------------

    def import_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self._parent, "Import Motion", "", f"{MOTION_FILTER};;All files (*)"
        )
        if paths:
            self.import_paths([Path(p) for p in paths])

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

    def export_motion_dialog(self, suffix: str) -> None:
        kind = "BVH (*.bvh)" if suffix == ".bvh" else "JSON (*.json)"
        path, _ = QFileDialog.getSaveFileName(self._parent, "Export Motion", "", kind)
        if not path:
            return
        target = Path(path) if Path(path).suffix.lower() == suffix else Path(path + suffix)
        self._run_export(lambda: self.export_motion(target), target)

    def export_video_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self._parent, "Export Video", "", "MP4 (*.mp4)")
        if path:
            target = Path(path) if path.lower().endswith(".mp4") else Path(path + ".mp4")
            self._run_export(lambda: self.export_video(target), target)

    def _run_export(self, export: Callable[[], object], target: Path) -> None:
        try:
            export()
        except Cancelled:
            self.message.emit("Export cancelled.")
        except (OSError, UserFacingError) as error:
            self.error.emit("Could not export", f"{target.name}: {error}")
        else:
            self.message.emit(f"Exported {target.name}")

    def export_video(self, path: Path) -> Path:
        """Render the dancers with the song into an MP4, behind a modal progress dialog.

        Rendering needs this thread's GL, so it runs here; the dialog's event processing keeps
        the window alive and its Cancel stops between two frames (raising ``Cancelled``).
        """
        from viewport.export import (
            VideoRequest,
            ensure_gl_application,
            export_video,
            project_source,
        )

        ensure_gl_application()
        source, _ = project_source(self.project)
        n_frames = max(math.ceil(self.export_length() * EXPORT_FPS - 1e-6), 1)
        song = self.project.song
        audio = Path(song.path) if song is not None and Path(song.path).is_file() else None
        request = VideoRequest(path, n_frames, *self.video_size, audio=audio)
        dialog = QProgressDialog("Rendering video…", "Cancel", 0, 100, self._parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def show(progress: object) -> None:
            dialog.setValue(progress.percent)  # type: ignore[attr-defined]
            dialog.setLabelText(progress.message)  # type: ignore[attr-defined]
            QApplication.processEvents()

        try:
            return run_job(export_video(source, request), show, dialog.wasCanceled)
        finally:
            dialog.close()
            dialog.deleteLater()
