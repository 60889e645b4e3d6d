"""Practice mode and take scoring in the studio: the camera, the live score, the score view.

Practice mode loops the part at the playhead (through :class:`PracticeController`, at its
speed) and runs a :class:`~inference.scoring.practice.PracticeSession` on a worker of its own:
each step reads one camera picture, finds the dancer and re-scores the pass, and the next step
is asked for when the last one's frame is shown, so the camera runs as fast as the worker does
and never queues up. The live worker is not the inference worker: a step never waits behind an
analysis, and never cancels one. A pass that covered its part is kept as a take (one undo
step) in the project's take history. While practising, the playhead's followers (the reference
dancer in the 3D view, the timeline, the count) redraw with the camera's pictures, at most
:data:`PRACTICE_DISPLAY_HZ` times a second, not at every playback tick: without a GPU they
share the CPU with the pose model, and each window update costs.

Scoring a video file runs on the inference worker (its status bar shows the progress, and
Cancel stops it), with the very job of ``eightcount score``, against the current dancer track
assembled into one motion. Bad input (no person, a corrupt file, a take that covers too little)
gets a message; nothing in the project changes until a result is there.

The camera is injectable: :attr:`PracticeModeController.camera_opener` opens it, so tests and
demos put a video file where the webcam would be (:class:`~inference.pose.live.VideoAsCamera`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.bridge import InferenceBridge, Policy
from app.commands import RecordTakesCommand
from app.model import MotionAsset, Project, Take, Track
from app.model.takes import takes_of_part
from app.model.track_sampling import assemble_track
from app.playback import RatePacer, Transport
from app.practice_controller import PracticeController
from inference.audio.grid import BeatGrid, Part, part_and_count
from inference.jobs import Job, Progress
from inference.motion.motion import Motion
from inference.pose.live import CameraOpener, open_camera
from inference.pose.video_io import WebcamError
from widgets.practice_panel import PracticePanel
from widgets.take_score_panel import TakeScorePanel

if TYPE_CHECKING:  # the scoring package loads scipy: it is imported when practice starts
    from inference.scoring import ScoreResult
    from inference.scoring.practice import LiveFrame, PracticeSession

log = logging.getLogger(__name__)

FPS = 30.0
PRACTICE_DISPLAY_HZ = 20.0
"""The most times a second the playhead's followers (the reference dancer in the 3D view, the
timeline, the count) redraw while practising, instead of at every 60 Hz playback tick; they
redraw with the camera's pictures, so the window is composed once for both. Without a GPU
(llvmpipe) each 3D frame and each window composition costs milliseconds of the cores the
camera's pose runs on: redrawn on their own ticks, they held the live rate to the 15 a second
target on 2 cores. 20 keeps the reference smooth (two of every three of its 30 fps frames)."""
PRACTICE_IDLE_DISPLAY_HZ = 5.0
"""How often the playback tick shows the playhead while practising when no picture comes."""
RATE_SMOOTHING = 0.2
"""Weight of the newest interval in the pictures-a-second figure shown."""


@dataclass(frozen=True, eq=False)
class Routine:
    """A snapshot of the dancer track to score against, assembled on the worker."""

    track: Track
    motions: Mapping[str, MotionAsset]
    n_frames: int

    def motion(self) -> Motion:
        return assemble_track(self.track, self.motions, self.n_frames, FPS)


@dataclass(frozen=True, eq=False)
class SessionStart:
    """The opened session, or why there is no camera."""

    session: PracticeSession | None
    reference: Motion | None
    camera_problem: str | None = None


@dataclass(frozen=True, eq=False)
class OpenPracticeRequest:
    """Open the camera, prepare the reference and the landmarker (on the live worker)."""

    open_camera: CameraOpener
    routine: Routine
    grid: BeatGrid
    parts: tuple[Part, ...]
    mirror: bool

    def job(self) -> Job[SessionStart]:
        from inference.scoring import LiveScorer
        from inference.scoring.practice import PracticeSession

        yield Progress(0, "Opening the camera")
        try:
            source = self.open_camera()
        except WebcamError as error:
            return SessionStart(None, None, str(error))
        try:
            yield Progress(30, "Preparing the reference")
            reference = self.routine.motion()
            scorer = LiveScorer(reference, self.grid, self.parts, mirror=self.mirror)
            yield Progress(80, "Loading the pose model")
            session = PracticeSession(source, scorer, self.grid, self.parts)
        except BaseException:  # cancelled, or a failure: the camera is not left open
            source.close()
            raise
        return SessionStart(session, reference)


@dataclass(frozen=True, eq=False)
class LiveStepRequest:
    """One picture read, found and scored (on the live worker)."""

    session: PracticeSession
    clock: Any  # a SongClock

    def job(self) -> Job[LiveFrame]:
        frame = self.session.step(self.clock)
        yield from ()
        return frame


@dataclass(frozen=True, eq=False)
class MirrorRequest:
    """Compare with the reference mirrored (or not) from now on."""

    session: PracticeSession
    reference: Motion
    grid: BeatGrid
    parts: tuple[Part, ...]
    mirror: bool

    def job(self) -> Job[None]:
        from inference.scoring import LiveScorer

        self.session.replace_scorer(
            LiveScorer(self.reference, self.grid, self.parts, mirror=self.mirror)
        )
        yield from ()


@dataclass(frozen=True, eq=False)
class CloseSessionRequest:
    """Free the camera and the landmarker on the thread that used them."""

    session: PracticeSession

    def job(self) -> Job[None]:
        self.session.close()
        yield from ()


@dataclass(frozen=True, eq=False)
class ScoreVideoRequest:
    """Score a video take against the routine: ``eightcount score``'s job."""

    routine: Routine
    video: Path
    song: str | None
    grid: BeatGrid | None
    parts: tuple[Part, ...] | None
    mirror: bool
    sync: str = "auto"

    def job(self) -> Job[ScoreResult]:
        from inference.scoring import ScoreRequest, score_take_job

        yield Progress(0, f"Scoring {self.video.name}: assembling the routine")
        reference = self.routine.motion()
        request = ScoreRequest(
            reference, self.video, song=self.song, grid=self.grid, parts=self.parts,
            mirror=self.mirror, sync=self.sync,
        )  # fmt: skip
        result: ScoreResult = yield from score_take_job(request)
        return result


class PracticeModeController(QObject):
    """Runs practice mode and take scoring for one window (module docstring)."""

    message = Signal(str)
    error = Signal(str, str)  # title, text
    mirror_changed = Signal(bool)

    def __init__(
        self,
        bridge: InferenceBridge,
        undo_stack: QUndoStack,
        transport: Transport,
        practice: PracticeController,
        panel: PracticePanel,
        score_panel: TakeScorePanel,
        target_track: Callable[[], Track | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge, self._undo_stack, self._transport = bridge, undo_stack, transport
        self._practice, self.panel, self.score_panel = practice, panel, score_panel
        self._target_track = target_track
        self.camera_opener: CameraOpener = open_camera
        self.ask_video: Callable[[], Path | None] = lambda: None
        self.ask_report_path: Callable[[], Path | None] = lambda: None
        self._live = InferenceBridge(self)
        self.project = Project()
        self.session: PracticeSession | None = None
        self._closing: list[PracticeSession] = []  # closes queued on the live worker
        self._reference: Motion | None = None
        self.running = False
        self._stepping = False
        self.display_hz: float | None = PRACTICE_DISPLAY_HZ
        """The cap on the playhead's redraws while practising (``None``: every tick)."""
        self._display: RatePacer | None = None  # which pictures show the playhead too
        self._last_frame_at: float | None = None
        self.rate = 0.0
        """Pictures a second the live loop shows (smoothed)."""
        self.frames_shown = 0
        self.result: ScoreResult | None = None
        self._result_name = ""
        self._last_video: Path | None = None
        self._score_serial: int | None = None
        panel.start_requested.connect(self.start)
        panel.stop_requested.connect(self.stop)
        panel.mirror_changed.connect(self._on_mirror_changed)
        panel.score_video_requested.connect(lambda: self.score_video())
        score_panel.sync_by_motion_requested.connect(self.rescore_by_motion)
        score_panel.export_requested.connect(lambda: self.export_report())
        transport.position_changed.connect(self._show_count)

    # -- the project ---------------------------------------------------------------------------

    def set_project(self, project: Project) -> None:
        self.stop()
        self.project = project
        project.events.takes_changed.connect(lambda _: self._show_history())
        project.events.parts_changed.connect(lambda _: self._show_history())
        self._show_history()
        self._show_count(self._transport.position)

    def _show_history(self) -> None:
        self.score_panel.set_history(self.project.takes, self.project.parts)

    def _show_count(self, position: float) -> None:
        part, count = part_and_count(self.project.beat_grid, self.project.parts, position)
        label = self.project.part_label(part) if part is not None else "Outside the parts"
        self.panel.show_count(label, count)

    def _routine(self) -> Routine | str:
        """The routine to score against, or what is missing (a sentence for the user)."""
        track = self._target_track()
        if track is None or not track.clips:
            return (
                "There is no routine to practise: generate one or import a motion on a dancer "
                "track first (it is the reference you are scored against)."
            )
        song = self.project.song
        end = max(c.end for c in track.clips)
        duration = max(end, song.duration if song is not None else 0.0)
        motions = {c.motion_id: self.project.motions[c.motion_id] for c in track.clips}
        return Routine(track, motions, max(2, round(duration * FPS)))

    # -- practice mode -------------------------------------------------------------------------

    def start(self) -> bool:
        """Loop the part at the playhead, open the camera and start the live score."""
        if self.running:
            return True
        routine = self._routine()
        if isinstance(routine, str):
            self.panel.show_message(routine)
            self.message.emit(routine)
            return False
        parts = self.project.parts
        if not parts:
            text = "Practice loops one part of the song's counts: load and analyse a song first."
            self.panel.show_message(text)
            self.message.emit(text)
            return False
        part, _ = part_and_count(self.project.beat_grid, parts, self._transport.position)
        if part is None:
            self._transport.seek(parts[0].start)
        self._practice.loop_current_part(True)
        if self._transport.loop is None:
            text = "The song is not loaded (is its file missing?): practice loops it as you dance."
            self.panel.show_message(text)
            self.message.emit(text)
            return False
        self.running = True
        self.panel.set_running(True)
        self.panel.show_message("Opening the camera…")
        request = OpenPracticeRequest(
            self.camera_opener, routine, self.project.beat_grid, parts, self.panel.mirrored
        )
        self._live.submit(request, self._on_opened, self._on_live_failed)
        return True

    def stop(self) -> None:
        """Stop the camera and the loop's playback (the loop itself stays)."""
        if not self.running:
            return
        self.running = False
        self._transport.pause()
        self._transport.set_display_rate(None)
        self._display = None
        self.panel.set_running(False)
        self.panel.show_live_score(None)
        self.panel.show_message("Stopped. Press Start to practise again.")
        if not self._stepping:
            self._close_session()

    def _close_session(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            self._closing.append(session)
            self._live.submit(
                CloseSessionRequest(session), lambda _: self._closing.remove(session),
                policy=Policy.QUEUE,
            )  # fmt: skip

    def _on_opened(self, start: SessionStart) -> None:
        if start.session is None:
            self.running = False
            problem = start.camera_problem or "no camera"
            self.panel.show_no_camera(problem)
            self.message.emit(f"No camera: {problem}. Score a video file instead.")
            return
        self.session, self._reference = start.session, start.reference
        if not self.running:  # stopped while the camera was opening
            self._close_session()
            return
        self.panel.show_message(
            f"Dance the looped part in front of {start.session.source.name}. The score shows "
            "from the part's second half; each whole pass is kept as a take."
        )
        self._last_frame_at = None
        if self.display_hz is not None:
            self._display = RatePacer(self.display_hz)
            self._transport.set_display_rate(PRACTICE_IDLE_DISPLAY_HZ)
        self._transport.play()
        self._step()

    def _step(self) -> None:
        from inference.scoring.practice import SongClock

        assert self.session is not None
        transport = self._transport
        rate = transport.speed if transport.playing else 0.0
        clock = SongClock(transport.position, time.monotonic(), rate, transport.loop)
        self._stepping = True
        self._live.submit(
            LiveStepRequest(self.session, clock), self._on_frame, self._on_live_failed,
            policy=Policy.QUEUE,
        )  # fmt: skip

    def _on_frame(self, frame: LiveFrame) -> None:
        self._stepping = False
        session = self.session
        if session is None:
            return
        self.frames_shown += 1
        now = time.monotonic()
        if self.running and self._last_frame_at is not None and now > self._last_frame_at:
            rate = 1.0 / (now - self._last_frame_at)
            self.rate = (
                rate if self.rate == 0 else (1 - RATE_SMOOTHING) * self.rate + RATE_SMOOTHING * rate
            )
            self.panel.show_rate(self.rate)
        self._last_frame_at = now
        size = (session.source.width, session.source.height)
        self.panel.show_frame(frame.rgb, frame.keypoints, size, frame.notes)
        self.panel.show_live_score(frame.score if self.running else None)
        if self._display is not None and self._transport.playing and self._display.due(now):
            self._transport.show_position()  # redrawn with the picture: one window update
        if frame.finished is not None and frame.finished_coverage_ok:
            self._keep_pass(frame.finished)
        if frame.ended:
            self.stop()
            self.panel.show_message("The camera stopped giving pictures (unplugged?).")
            return
        if self.running:
            self._step()
        else:
            self._close_session()

    def _keep_pass(self, score: Any) -> None:
        from inference.scoring import ScoreResult
        from inference.scoring.report import timing_text

        part = next((p for p in self.project.parts if p.index == score.index), None)
        if part is None or not 0.0 <= score.score <= 100.0:
            return
        timing = score.timing_ms if score.timing_ms == score.timing_ms else None
        take = Take(score.index, float(score.score), timing, "camera", time.time())
        label = self.project.part_label(part)
        self._undo_stack.push(
            RecordTakesCommand(
                self.project, [take], f"Practice take of {label} ({score.score:.0f})"
            )
        )
        result = ScoreResult(score.score, part.start, "camera", (score,), ())
        self._show_result(result, "camera")
        self.panel.show_last_take(
            f"Last pass, {label}: {score.score:.0f}, {timing_text(score.timing_ms)}"
        )

    def _on_live_failed(self, message: str) -> None:
        self._stepping = False
        if self.running:
            self.stop()
        self.panel.show_message(f"Practice stopped: {message}")
        self.error.emit("Practice mode stopped", message)

    def _on_mirror_changed(self, mirrored: bool) -> None:
        self.mirror_changed.emit(mirrored)
        if self.session is not None and self._reference is not None:
            request = MirrorRequest(
                self.session, self._reference, self.project.beat_grid, self.project.parts,
                mirrored,
            )  # fmt: skip
            self._live.submit(request, lambda _: None, self._on_live_failed, policy=Policy.QUEUE)

    # -- scoring a video file ------------------------------------------------------------------

    def score_video(self, path: Path | None = None, sync: str = "auto") -> bool:
        """Score a video take against the routine on the inference worker."""
        routine = self._routine()
        if isinstance(routine, str):
            self.error.emit("Nothing to score against", routine)
            return False
        path = path or self.ask_video()
        if path is None:
            return False
        song = self.project.song
        song_path = song.path if song is not None and Path(song.path).is_file() else None
        grid = self.project.beat_grid if self.project.parts else None
        parts = self.project.parts or None
        if grid is None and song_path is None:
            self.message.emit("No song: the take's parts are 8 counts at 120 BPM from its start.")
        request = ScoreVideoRequest(
            routine, path, song_path, grid, parts, self.panel.mirrored, sync
        )
        self._last_video = path
        self.score_panel.set_pending(f"Scoring {path.name}… (Esc or Cancel stops it)")
        self._score_serial = self._bridge.submit(
            request,
            lambda result: self._on_video_scored(path, result),
            lambda message: self._on_video_failed(path, message),
            policy=Policy.QUEUE,
        )
        return True

    def rescore_by_motion(self) -> None:
        """Score the last video take again, lined up by its motion."""
        if self._last_video is not None:
            self.score_video(self._last_video, sync="motion")

    def _on_video_scored(self, path: Path, result: ScoreResult) -> None:
        takes = [
            Take(p.index, float(p.score), p.timing_ms if p.timing_ms == p.timing_ms else None,
                 path.name, time.time())
            for p in result.parts
            if 0.0 <= p.score <= 100.0
        ]  # fmt: skip
        if takes:
            self._undo_stack.push(
                RecordTakesCommand(self.project, takes, f"Score take {path.name}")
            )
        self._show_result(result, path.name)
        self.message.emit(
            f"Scored {path.name}: overall {result.overall:.0f} over {len(result.parts)} part(s)."
        )

    def _on_video_failed(self, path: Path, message: str) -> None:
        self.score_panel.set_pending(f"Could not score {path.name}.")
        self.score_panel.set_message(message)
        self.error.emit("Could not score the take", message)

    def _show_result(self, result: ScoreResult, name: str) -> None:
        self.result, self._result_name = result, name
        self.score_panel.set_result(result, self.project.parts, self.project.beat_grid, name)

    # -- the report ----------------------------------------------------------------------------

    def export_report(self, path: Path | None = None) -> Path | None:
        """The shown take as one HTML file with its plots; ``None`` when nothing was written."""
        from inference.scoring.report import write_report_html

        if self.result is None:
            return None
        path = path or self.ask_report_path()
        if path is None:
            return None
        history = {
            p.index: [t.score for t in takes_of_part(self.project.takes, p.index)]
            for p in self.project.parts
        }
        try:
            write_report_html(
                self.result, self.project.parts, self.project.beat_grid, path, history,
                f"Practice take: {self.project.name}", self._result_name,
            )  # fmt: skip
        except OSError as error:
            self.error.emit("Could not export the report", f"{path}: {error.strerror or error}")
            return None
        self.message.emit(f"Exported the take report to {path}")
        return path

    def shutdown(self) -> None:
        """Stop practice mode and its worker (call when the window closes)."""
        self.running = False
        self._live.shutdown()  # the running step ends; what waited is cancelled
        for session in [*self._closing, *([self.session] if self.session else [])]:
            session.close()
        self._closing.clear()
        self.session = None


def install_practice_mode(window: Any) -> PracticeModeController:
    """The window's practice mode: the practice panel beside the 3D view (shown by
    Playback ▸ Practice Mode), the Take Score dock tabbed with the scorecard, their menu
    entries, and the controller. The score view's clicks move the playhead; mirror mode
    mirrors the 3D view too."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QDockWidget, QFileDialog, QSplitter

    from app.video_import_controller import VIDEO_FILTER

    panel, score_panel = PracticePanel(), TakeScorePanel()
    panel.hide()
    splitter = window.findChild(QSplitter, "viewportSplitter")
    splitter.addWidget(panel)
    dock = QDockWidget("Take Score", window)
    dock.setObjectName("takeScoreDock")
    dock.setWidget(score_panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(window.scorecard_dock, dock)
    controller = PracticeModeController(
        window.bridge, window.undo_stack, window.transport, window.practice, panel,
        score_panel, window.motion.target_track, window,
    )  # fmt: skip
    controller.message.connect(window._show_status)
    controller.error.connect(window._show_error)
    controller.mirror_changed.connect(window.view_actions["mirror"].setChecked)
    score_panel.seek_requested.connect(window.transport.seek)

    def ask_video() -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            window, "Score a Take from a Video File", str(window.places.folder()), VIDEO_FILTER
        )
        return Path(name) if name else None

    def ask_report_path() -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            window, "Export Take Report", window.places.suggestion(".html"), "HTML (*.html)"
        )
        if not name:
            return None
        return Path(name) if name.lower().endswith(".html") else Path(name + ".html")

    controller.ask_video, controller.ask_report_path = ask_video, ask_report_path

    def show_practice(on: bool) -> None:
        panel.setVisible(on)
        if not on:
            controller.stop()
            return
        dock.raise_()
        # The reference dancer and the camera side by side, the camera a little larger.
        sizes = splitter.sizes()
        total, video = sum(sizes), sizes[1] if window.video_panel.isVisible() else 0
        splitter.setSizes(
            [int(0.45 * (total - video)), video, total - video - int(0.45 * (total - video))]
        )

    menu = window._menus["Playback"]
    menu.addSeparator()
    action = QAction("&Practice Mode (Camera)", window)
    action.setShortcut(QKeySequence("Ctrl+Shift+P"))
    action.setCheckable(True)
    action.setToolTip("The camera beside the 3D view, the part looped, a live score")
    action.toggled.connect(show_practice)
    menu.addAction(action)
    score_action = QAction("Score a Take from a &Video File…", window)
    score_action.setToolTip("Score a recorded take against the current dancer track")
    score_action.triggered.connect(lambda: controller.score_video())
    menu.addAction(score_action)
    window.practice_panel, window.take_score_panel, window.take_score_dock = (
        panel,
        score_panel,
        dock,
    )
    window.practice_mode_action = action
    return controller
