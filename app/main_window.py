"""The studio's main window: timeline, viewport area, parameter panel, inspector, status bar."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.about_dialog import AboutDialog
from app.actions import ask_text, build_beat_menu, build_export_menu, connect_timeline
from app.analysis_controller import AnalysisController
from app.autosave import Autosaver, Recovery, find_recoveries
from app.bridge import InferenceBridge
from app.commands import SetGenerationSettingsCommand, SetSongCommand
from app.error_dialog import show_error
from app.file_dialogs import DialogPlaces
from app.generate_controller import GenerateController
from app.help_text import action_rows, menu_groups, shortcut_html
from app.model import GenerationParams, Project, Song
from app.model.routine import part_moves
from app.motion_controller import MotionController
from app.move_folder_controller import MoveFolderController
from app.playback import AudioClock, SilentClock, Transport, open_clock, output_devices
from app.practice_controller import PracticeController
from app.practice_mode_controller import install_practice_mode
from app.project_io import PROJECT_SUFFIX, ProjectSaveError, load_project, save_project
from app.prompt_reader import PromptReader
from app.recovery_dialog import ask_which_to_restore
from app.scorecard_controller import install_scorecard
from app.settings import StudioSettings
from app.settings_dialog import edit_settings, remember_audio_output
from app.style_tag_controller import install_style_tags, show_project
from app.video_export_controller import VideoExportController
from app.video_import_controller import VideoImportController, is_video
from app.view_menu import VIEWPORT_GESTURES, build_view_menu, make_viewport
from inference.device import nvidia_gpu_present
from inference.errors import UserFacingError
from inference.motion import INPUT_SUFFIXES as MOTION_SUFFIXES
from inference.song_requests import LoadedSong, LoadSongRequest
from viewport.widget import DancerViewport
from widgets.clip_track import CLIP_GESTURES, GUTTER_PIXELS, ClipTracksView
from widgets.inspector import InspectorPanel
from widgets.parameter_panel import ParameterPanel
from widgets.timeline import TIMELINE_GESTURES, TimelineView
from widgets.transport_bar import TransportBar
from widgets.video_panel import VideoPanel

log = logging.getLogger(__name__)

APP_NAME = "EightCount Studio"
AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".flac", ".m4a", ".aiff", ".mp4", ".mov", ".webm")
AUDIO_FILTER = "Audio (" + " ".join(f"*{s}" for s in AUDIO_SUFFIXES) + ")"
PROJECT_FILTER = f"EightCount projects (*{PROJECT_SUFFIX})"


class MainWindow(QMainWindow):
    """One open project, its undo stack, and the views on it."""

    def __init__(
        self,
        settings: StudioSettings,
        recovery_dir: Path,
        clock: AudioClock | SilentClock | None = None,
        autosave_interval_ms: int | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.project = Project()
        self.project_path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
        self.bridge = InferenceBridge(self)
        self.bridge.progress.connect(self._on_task_progress)
        self.bridge.failed.connect(lambda message: self._show_error("The task failed", message))
        self.bridge.cancelled.connect(lambda _: self._show_status("Cancelled."))
        self.bridge.busy_changed.connect(self._on_busy_changed)
        self.transport = Transport(clock or open_clock(), self)
        self.transport.clock_changed.connect(self._on_clock_changed)
        self.places = DialogPlaces(settings, lambda: self.project_path, lambda: self.project.song)
        self.loaded_song: LoadedSong | None = None
        self.analysis = AnalysisController(self.bridge, self.undo_stack, self)
        self.analysis.message.connect(self._show_status)
        self.analysis.no_beat.connect(lambda text: self._show_error("No steady beat", text))
        self.analysis.provisional_grid.connect(lambda g: self.timeline.set_provisional_beats(g))
        self.motion = MotionController(self, self.undo_stack, self.bridge, self.transport)
        self.motion.places = self.places
        self.motion.message.connect(self._show_status)
        self.motion.error.connect(self._show_error)
        self.video_panel = VideoPanel()
        self.video = VideoImportController(
            self, self.undo_stack, self.bridge, self.transport, lambda: self.loaded_song,
            self.video_panel, self.places,
        )  # fmt: skip
        self.video.message.connect(self._show_status)
        self.video.error.connect(self._show_error)
        self.motion.videos_requested.connect(self.video.import_paths)
        self.video_export = VideoExportController(self.statusBar(), self)
        self.video_export.message.connect(self._show_status)
        self.video_export.error.connect(self._show_error)
        self.motion.video_export = self.video_export
        self.generation = GenerateController(
            self.bridge, self.undo_stack, self.analysis.current_analysis, self
        )
        self.generation.message.connect(self._show_status)
        self.move_folders = MoveFolderController(self, self.undo_stack, self.bridge, ask_text(self))
        self.move_folders.message.connect(self._show_status)
        self.move_folders.error.connect(self._show_error)
        self.prompt_reader = PromptReader(self)
        self.generation.device_changed.connect(
            lambda device: self.device_label.setText(f"Compute: {device.upper()}")
        )

        interval = {} if autosave_interval_ms is None else {"interval_ms": autosave_interval_ms}
        self.autosaver = Autosaver(
            recovery_dir, self.undo_stack, parent=self, decoded_song=self._decoded_song, **interval
        )
        self._embedding_declined: set[str] = set()
        self.autosaver.failed.connect(self._show_status)

        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self._build_status_bar()
        self._build_views()
        self._build_menus()
        self._set_project(Project(), None)
        geometry, state = settings.window_geometry(), settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        if self.transport.clock.reason:
            self._show_status(self.transport.clock.reason)

    # -- building ----------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(220)
        self.cancel_button = QPushButton("Cancel")
        # A lambda: clicked(bool) would hand its False to cancel() as the serial to cancel.
        self.cancel_button.clicked.connect(lambda: self.bridge.cancel())
        self.audio_label = QToolButton()
        self.audio_label.setAutoRaise(True)
        self.audio_label.clicked.connect(self._show_audio_menu)
        self._show_audio_state()
        self.device_label = QLabel(
            "Compute: CUDA available" if nvidia_gpu_present() else "Compute: CPU"
        )
        for widget in (self.progress_bar, self.cancel_button):
            widget.hide()
            bar.addPermanentWidget(widget)
        bar.addPermanentWidget(self.audio_label)
        bar.addPermanentWidget(self.device_label)

    @property
    def _silent(self) -> bool:
        return isinstance(self.transport.clock, SilentClock)

    def _show_audio_state(self) -> None:
        clock = self.transport.clock
        self.audio_label.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        if isinstance(clock, SilentClock):
            icon = QStyle.StandardPixmap.SP_MessageBoxInformation
            self.audio_label.setIcon(self.style().standardIcon(icon))
            self.audio_label.setText("Audio: silent")
            self.audio_label.setToolTip(
                f"{clock.reason or 'Playing silently.'}\nClick to choose an output device."
            )
        else:
            device = "default output" if clock.device is None else f"device {clock.device}"
            self.audio_label.setIcon(
                self.style().standardIcon(QStyle.StandardPixmap.SP_MediaVolume)
            )
            self.audio_label.setText("Audio: on")
            self.audio_label.setToolTip(f"Playing through the {device}. Click to change it.")

    def audio_menu(self) -> QMenu:
        """Why the studio is silent (or where it plays), and the output devices to choose."""
        menu = QMenu(self)
        clock = self.transport.clock
        reason = clock.reason if isinstance(clock, SilentClock) else "Audio plays."
        menu.addAction(reason or "Playing silently.").setEnabled(False)
        menu.addSeparator()
        devices = output_devices()
        if not devices:
            menu.addAction("No output devices found (is a sound card or PulseAudio there?)")
            menu.actions()[-1].setEnabled(False)
        current = getattr(clock, "device", "silent")
        for index, name in [(None, "System default output"), *devices]:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self._silent and current == index)
            action.triggered.connect(lambda _=False, d=index: self.choose_audio_device(d))
        return menu

    def _show_audio_menu(self) -> None:
        self.audio_menu().exec(self.audio_label.mapToGlobal(self.audio_label.rect().topLeft()))

    def choose_audio_device(self, device: int | None) -> None:
        """Play through ``device`` (None: the default); a failure says why and stays silent.
        The choice is remembered for the next start (it is also Settings' audio output)."""
        self.transport.set_clock(open_clock(device))
        remember_audio_output(self.settings, device)

    def _on_clock_changed(self, clock: AudioClock | SilentClock) -> None:
        self._show_audio_state()
        self._show_status(clock.reason or "Audio plays through the chosen output device.")

    def _build_views(self) -> None:
        self.viewport = make_viewport()
        if isinstance(self.viewport, DancerViewport):
            self.transport.position_changed.connect(self.viewport.set_time)
        self.timeline_host = QWidget()
        QVBoxLayout(self.timeline_host).setContentsMargins(0, 0, 0, 0)
        self.transport_bar = TransportBar()
        self.practice = PracticeController(self.transport, self.transport_bar, self.bridge, self)
        self.transport_bar.tap_clicked.connect(self.tap_tempo)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.setSpacing(0)
        lower_layout.addWidget(self.transport_bar)
        lower_layout.addWidget(self.timeline_host, 1)
        beside = QSplitter(Qt.Orientation.Horizontal)  # the video panel next to the 3D view
        beside.setObjectName("viewportSplitter")
        beside.addWidget(self.viewport)
        beside.addWidget(self.video_panel)
        beside.setStretchFactor(0, 3)
        beside.setStretchFactor(1, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(beside)
        splitter.addWidget(lower)
        splitter.setSizes([480, 320])
        self.setCentralWidget(splitter)
        self.parameter_dock = self._dock("Generate", "parameterDock")
        self.inspector_dock = self._dock("Inspector", "inspectorDock")
        self.scorecard = install_scorecard(self)
        self.style_tags = install_style_tags(self)

    def _dock(self, title: str, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def _action(self, menu_name: str, text: str, slot: object, shortcut: object = None) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, str):
            shortcut = QKeySequence(shortcut)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        action.triggered.connect(slot)
        self._menus[menu_name].addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        names = ("File", "Edit", "View", "Playback", "Generate", "Help")
        self._menus = {name: bar.addMenu(f"&{name}") for name in names}
        key = QKeySequence
        self._action("File", "&New Project", self.new_project, key(key.StandardKey.New))
        self._action("File", "&Open…", self.open_dialog, key("Ctrl+O"))
        self.recent_menu = self._menus["File"].addMenu("Open &Recent")
        self._action("File", "Import &Song…", self.import_song_dialog, key("Ctrl+I"))
        self._action("File", "Import &Motion…", self.motion.import_dialog, key("Ctrl+Shift+I"))
        self._action("File", "Import &Video…", self.video.import_dialog, key("Ctrl+Shift+V"))
        self.embed_action = self._action("File", "&Embed Song in Project", self.set_song_embedded)
        self.embed_action.setCheckable(True)
        self.embed_action.setToolTip("Store a copy of the song inside the project file")
        self._menus["File"].addSeparator()
        self._action("File", "&Save", self.save, key("Ctrl+S"))
        self._action("File", "Save &As…", self.save_as_dialog, key("Ctrl+Shift+S"))
        self._menus["File"].addSeparator()
        self.export_menu = build_export_menu(
            self._menus["File"], self, self.analysis, self._show_status, self.places, self._moves
        )
        self.export_menu.addSeparator()
        for text, slot in (
            ("Motion as &BVH…", lambda: self.motion.export_motion_dialog(".bvh")),
            ("Motion as &JSON…", lambda: self.motion.export_motion_dialog(".json")),
            ("&Video (MP4 with the Song)…", self.motion.export_video_dialog),
        ):
            self.export_menu.addAction(text).triggered.connect(slot)
        self._menus["File"].addSeparator()
        self._action("File", "&Quit", self.close, key(key.StandardKey.Quit))

        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(key("Ctrl+Z"))
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([key("Ctrl+Shift+Z"), key("Ctrl+Y")])
        self._menus["Edit"].addActions([undo, redo])
        self._menus["Edit"].addSeparator()
        self._action(
            "Edit", "&Tag Selected Clips as Style…", self.style_tags.tag_selected, key("Ctrl+T")
        )
        self._action("Edit", "Add &Dancer Track", self.motion.add_dancer_track)
        self._action(
            "Edit", "Toggle Reference &Ghost (Current Dancer)", self.motion.toggle_current_ghost
        )
        self.beat_edit_action = self._action(
            "Edit", "Edit &Beats on the Timeline", lambda on: self.timeline.set_beat_edit(on), "E"
        )
        self.beat_edit_action.setCheckable(True)
        self.beat_edit_action.setToolTip("While on, a click on the waveform selects a beat")
        self.beat_actions = build_beat_menu(
            self._menus["Edit"],
            self,
            self.analysis,
            lambda: self.timeline,
            lambda: self.transport.position,
        )
        self._menus["Edit"].addSeparator()
        settings_action = self._action(
            "Edit", "&Settings…", lambda: edit_settings(self), key(key.StandardKey.Preferences)
        )
        settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        self.view_actions = build_view_menu(self._menus["View"], self.viewport)
        self._menus["View"].addSeparator()
        self._action("View", "Zoom &In", lambda: self.timeline.zoom(0.5), key("Ctrl+="))
        self._action("View", "Zoom &Out", lambda: self.timeline.zoom(2.0), key("Ctrl+-"))
        self._action("View", "Zoom to &Fit", lambda: self.timeline.zoom_to_fit(), key("Ctrl+0"))
        self._menus["View"].addSeparator()
        self._menus["View"].addAction(self.video.panel_action)

        self.play_action = self._action(
            "Playback", "&Play / Pause", self.transport.toggle, key(Qt.Key.Key_Space)
        )
        self._action("Playback", "Go to &Start", lambda: self.transport.seek(0.0), key("Home"))
        self._menus["Playback"].addSeparator()
        self.tap_action = self._action("Playback", "&Tap Tempo", self.tap_tempo, key("T"))
        self.follow_action = self._action(
            "Playback", "&Follow Playhead", lambda on: self.timeline.set_follow_playhead(on)
        )
        self.follow_action.setCheckable(True)
        self.follow_action.setChecked(True)

        self._action("Generate", "&Generate Routine", self.generate_routine, key("Ctrl+G"))
        self._action(
            "Generate", "&Regenerate Part at Playhead", self.regenerate_part, key("Ctrl+Shift+G")
        )
        self.lock_action = self._action(
            "Generate", "&Lock Selected Clip", self.motion.toggle_selected_lock, key("Ctrl+L")
        )
        self._action(
            "Generate",
            "Add Selected Clip to the &Move Library",
            self.motion.add_selected_to_library,
        )
        self._action("Generate", "Add &Folder of Moves…", self.move_folders.add_folder_dialog)
        self._menus["Generate"].addSeparator()
        self.cancel_action = self._action(
            "Generate", "&Cancel Running Task", lambda: self.bridge.cancel(), key("Esc")
        )
        self.cancel_action.setEnabled(False)

        self.practice_mode = install_practice_mode(self)

        self._action("Help", "&Keyboard Shortcuts", self._show_shortcuts)
        self._action("Help", "&About EightCount Studio", self._show_about)
        self._refresh_recent_menu()

    @staticmethod
    def _build_project_views(
        project: Project,
    ) -> tuple[TimelineView, ClipTracksView, ParameterPanel, InspectorPanel]:
        """The views on ``project``, built before the window switches to it: if one cannot be
        built, the window still shows the old project, untouched."""
        built: list[QWidget] = []
        try:
            for view in (TimelineView, ClipTracksView, ParameterPanel, InspectorPanel):
                built.append(view(project))
        except BaseException:
            for widget in built:
                widget.deleteLater()
            raise
        timeline, clip_lanes, parameter_panel, inspector = built
        return timeline, clip_lanes, parameter_panel, inspector  # type: ignore[return-value]

    def _set_project(self, project: Project, path: Path | None) -> None:
        """Show ``project``: fresh views on it, an empty undo stack, autosave watching it."""
        timeline, clip_lanes, parameter_panel, inspector = self._build_project_views(project)
        self.transport.pause()
        self.project = project
        self.project_path = path
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.timeline = timeline
        self.timeline.seek_requested.connect(self.transport.seek)
        self.timeline.set_follow_playhead(self.follow_action.isChecked())
        self.timeline.set_beat_edit(self.beat_edit_action.isChecked())
        self.timeline.beat_edit_changed.connect(self._sync_beat_edit_action)
        self.timeline.loop_edit_requested.connect(self.practice.set_loop)
        self.transport.loop_changed.connect(self.timeline.set_loop)
        self.analysis.set_project(project)
        connect_timeline(self.timeline, project, self.analysis, ask_text(self))
        self.transport.position_changed.connect(self.timeline.set_playhead)
        self.timeline.set_gutter(GUTTER_PIXELS)
        self.clip_lanes = clip_lanes
        self.clip_lanes.view.setXLink(self.timeline.view)
        self.clip_lanes.set_playhead(self.transport.position)
        self.transport.position_changed.connect(self.clip_lanes.set_playhead)
        self.motion.set_project(project, self.clip_lanes)
        self.video.set_project(project, self.clip_lanes)
        self.clip_lanes.selection_changed.connect(self._on_clip_selected)
        lanes = QSplitter(Qt.Orientation.Vertical)
        lanes.addWidget(self.timeline)
        lanes.addWidget(self.clip_lanes)
        lanes.setSizes([200, 120])
        self._replace_child(self.timeline_host, lanes)
        if isinstance(self.viewport, DancerViewport):
            self.viewport.set_project(project)
            self.viewport.set_time(self.transport.position)
        self.parameter_panel = parameter_panel
        self.parameter_panel.settings_edited.connect(self._on_settings_edited)
        self.parameter_panel.generate_requested.connect(self.generate_routine)
        self.parameter_panel.regenerate_part_requested.connect(self.regenerate_part)
        self.parameter_panel.lock_requested.connect(self.motion.toggle_selected_lock)
        self.generation.set_project(project)
        self.scorecard.set_project(project)
        self.practice_mode.set_project(project)
        self.move_folders.set_project(project, self.parameter_panel)
        self.prompt_reader.attach(self.parameter_panel)
        self._replace_dock_widget(self.parameter_dock, self.parameter_panel)
        self.inspector = inspector
        self._replace_dock_widget(self.inspector_dock, self.inspector)
        show_project(self, project)
        for name in ("clip_changed", "clip_removed", "clip_added"):
            getattr(project.events, name).connect(lambda *_: self._sync_lock_action())
        self._on_clip_selected(None)
        project.events.song_changed.connect(self._on_song_changed)
        self._sync_embed_action(project.song)
        project.events.name_changed.connect(lambda _: self._update_title())
        self.autosaver.watch(project, str(path) if path else None)
        self.loaded_song = None
        self.transport.set_song(None, 1)
        self.practice.set_song(project, None)
        # Only a regular file is decoded: a FIFO would block the worker, a device never ends.
        if project.song is not None and Path(project.song.path).is_file():
            self.bridge.submit(LoadSongRequest(project.song.path), self._on_song_loaded)
        self._embedding_declined.clear()
        self._update_title()

    def _on_clip_selected(self, clip_id: str | None) -> None:
        self.inspector.set_selected_clip(clip_id)
        self.parameter_panel.set_selected_clip(clip_id)
        self._sync_lock_action()

    def _sync_lock_action(self) -> None:
        """The menu says what Ctrl+L will do to the selected clip: lock it, or unlock it."""
        clip_id = self.clip_lanes.selected_clip
        clip = None
        if clip_id is not None:
            try:
                clip = self.project.find_clip(clip_id)[1]
            except KeyError:
                clip = None
        locked = clip is not None and clip.locked
        self.lock_action.setText("&Unlock Selected Clip" if locked else "&Lock Selected Clip")
        self.lock_action.setEnabled(clip is not None)

    def _sync_beat_edit_action(self, on: bool) -> None:
        if self.beat_edit_action.isChecked() != on:
            self.beat_edit_action.blockSignals(True)
            self.beat_edit_action.setChecked(on)
            self.beat_edit_action.blockSignals(False)

    def _moves(self) -> dict[int, tuple[str, ...]]:
        """The moves the current dancer track dances in each part, for the count sheet."""
        track = self.motion.target_track()
        return part_moves(self.project, track) if track is not None else {}

    @staticmethod
    def _replace_child(host: QWidget, widget: QWidget) -> None:
        layout = host.layout()
        while layout.count():
            old = layout.takeAt(0).widget()
            if old is not None:
                old.deleteLater()
        layout.addWidget(widget)

    @staticmethod
    def _replace_dock_widget(dock: QDockWidget, widget: QWidget) -> None:
        old = dock.widget()
        dock.setWidget(widget)
        if old is not None:
            old.deleteLater()

    def _update_title(self) -> None:
        name = self.project_path.stem if self.project_path else self.project.name
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")

    # -- files -------------------------------------------------------------------------------

    def new_project(self) -> None:
        if self._may_discard_changes():
            self._set_project(Project(), None)

    def open_dialog(self) -> None:
        folder = str(self.places.folder())
        path, _ = QFileDialog.getOpenFileName(
            self, "Open", folder, f"{PROJECT_FILTER};;{AUDIO_FILTER}"
        )
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        """Open a project, import a song, motion or video; a bad file leaves the project
        untouched."""
        if is_video(path):
            self.video.import_paths([path])
            return True
        if path.is_dir() or path.suffix.lower() in MOTION_SUFFIXES:
            self.motion.import_paths([path])
            return True
        if path.suffix.lower() in AUDIO_SUFFIXES:
            self.import_song(path)
            return True
        if not self._may_discard_changes():
            return False
        try:
            project = load_project(path)
            self._set_project(project, path)
        except UserFacingError as error:
            self._show_error("Could not open the project", str(error))
            return False
        except Exception as error:  # a bug, not a bad file: still no half-switched window
            log.exception("opening %s failed", path)
            self._show_error(
                "Could not open the project",
                f"{path.name}: an unexpected error stopped the opening ({type(error).__name__}: "
                f"{error}). The open project was left as it was.",
            )
            return False
        self._remember(path)
        self._show_status(f"Opened {path.name}")
        self._offer_to_locate_song()
        return True

    def _offer_to_locate_song(self) -> None:
        """The project's song is not where the file says, nor beside it: offer Locate…"""
        song = self.project.song
        if song is None or Path(song.path).is_file():
            return
        located = self._ask_locate_song(song)
        if located is not None:
            self.import_song(located)
        else:
            self._show_status(f"Working without the song: {Path(song.path).name} was not found.")

    def _ask_locate_song(self, song: Song) -> Path | None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Song not found",
            f"The song {Path(song.path).name} is not at {song.path}, nor beside the project. "
            "Locate it, or keep working without it (the project keeps its place).",
            parent=self,
        )
        locate = box.addButton("Locate…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Keep Working", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not locate:
            return None
        path, _ = QFileDialog.getOpenFileName(
            self, f"Locate {Path(song.path).name}", "", AUDIO_FILTER
        )
        return Path(path) if path else None

    def import_song_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import Song", str(self.places.folder()), AUDIO_FILTER
        )
        if path:
            self.import_song(Path(path))

    def import_song(self, path: Path) -> None:
        """Decode the song on the inference thread; it joins the project when that succeeds."""
        self.bridge.submit(LoadSongRequest(str(path)), self._on_song_loaded)

    def save(self) -> bool:
        if self.project_path is None:
            return self.save_as_dialog()
        return self.save_to(self.project_path)

    def save_as_dialog(self) -> bool:
        suggested = self.places.suggestion(PROJECT_SUFFIX)
        path, _ = QFileDialog.getSaveFileName(self, "Save Project As", suggested, PROJECT_FILTER)
        if not path:
            return False
        target = Path(path)
        if target.suffix != PROJECT_SUFFIX:
            target = target.with_suffix(PROJECT_SUFFIX)
        return self.save_to(target)

    def save_to(self, path: Path) -> bool:
        self._offer_embedding(path)
        try:
            notes = save_project(self.project, path, self._decoded_song())
        except ProjectSaveError as error:
            self._show_error("Could not save the project", str(error))
            return False
        self.project_path = path
        self.undo_stack.setClean()
        self.autosaver.watch(self.project, str(path))
        self.autosaver.discard()
        self._remember(path)
        self._update_title()
        self._show_status(f"Saved {path.name}")
        if notes:
            self._show_error("Saved without the song", f"{path.name} was saved. " + " ".join(notes))
        return True

    def _decoded_song(self) -> str | None:
        """The file decoded as the project's song: the only one that may be embedded."""
        song, loaded = self.project.song, self.loaded_song
        return loaded.path if song and loaded and loaded.path == song.path else None

    def _offer_embedding(self, path: Path) -> None:
        """A song outside the project's folder will not travel with it: offer to embed it."""
        song = self.project.song
        if song is None or song.embedded or self._decoded_song() is None:
            return
        folder = path.parent.resolve()
        if (
            Path(song.path).resolve().is_relative_to(folder)
            or song.path in self._embedding_declined
        ):
            return
        if self._ask_embed_song(song, folder):
            self.set_song_embedded(True)
        else:
            self._embedding_declined.add(song.path)

    def _ask_embed_song(self, song: Song, folder: Path) -> bool:
        answer = QMessageBox.question(
            self,
            "Embed the song?",
            f"The song {Path(song.path).name} is outside the project's folder ({folder}), so "
            "the project will lose it if it is opened on another machine or the song moves. "
            "Store a copy of the song inside the project file?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _remember(self, path: Path) -> None:
        self.settings.add_recent_file(path)
        self._refresh_recent_menu()

    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        for recent in self.settings.recent_files():
            action = self.recent_menu.addAction(Path(recent).name)
            action.setToolTip(recent)
            action.triggered.connect(lambda _=False, p=recent: self._open_recent(p))
        self.recent_menu.setEnabled(bool(self.settings.recent_files()))

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            self.settings.remove_recent_file(path)
            self._refresh_recent_menu()
            self._show_error("Could not open the project", f"{path} no longer exists.")
            return
        self.open_path(Path(path))

    # -- recovery ----------------------------------------------------------------------------

    def offer_recovery(self) -> bool:
        """Offer every project crashed studios autosaved, newest first; True when one was
        restored. Restoring one keeps the others for later; a damaged one is moved aside, once,
        with a message saying where it is kept."""
        recoveries = find_recoveries(self.autosaver.project_file.parent)
        usable = [r for r in recoveries if not self._set_aside_if_damaged(r)]
        if not usable:
            return False
        chosen = self._ask_restore(usable)
        if chosen is None:
            return False
        try:
            project = load_project(chosen.project_file)
            original = Path(chosen.original_path) if chosen.original_path else None
            self._set_project(project, original)
        except UserFacingError as error:  # damaged since it was checked
            self._set_aside(chosen, str(error))
            return False
        self.undo_stack.resetClean()  # restored edits are not saved in the original file yet
        chosen.discard()  # its work lives in this studio's own autosave from now on
        self.autosaver.autosave_now()
        self._show_status(f"Restored the autosaved copy of {chosen.name}.")
        return True

    def _set_aside_if_damaged(self, recovery: Recovery) -> bool:
        problem = recovery.problem
        if problem is None:
            try:
                load_project(recovery.project_file)
            except UserFacingError as error:
                problem = str(error)
        if problem is not None:
            self._set_aside(recovery, problem)
        return problem is not None

    def _set_aside(self, recovery: Recovery, problem: str) -> None:
        try:
            folder = recovery.move_aside()
        except OSError as error:
            where = f"It stays in {recovery.project_file.parent} ({error.strerror})."
        else:
            where = f"It was moved to {folder} and kept there; it will not be offered again."
        self._show_error(
            "An autosave could not be restored",
            f"The autosaved copy of {recovery.name} cannot be restored: {problem}. {where}",
        )

    def _ask_restore(self, recoveries: list[Recovery]) -> Recovery | None:
        return ask_which_to_restore(recoveries, self)

    # -- edits and tasks ---------------------------------------------------------------------

    def _on_settings_edited(self, settings: GenerationParams, control: str, gesture: int) -> None:
        command = SetGenerationSettingsCommand(self.project, settings, control, gesture)
        self.undo_stack.push(command)

    def generate_routine(self) -> None:
        """A routine for the current dancer track, shaped by the Generate panel."""
        track = self.motion.target_track() or self.motion.add_dancer_track()
        self.generation.generate(track.id)

    def regenerate_part(self) -> None:
        track = self.motion.target_track()
        if track is not None:
            self.generation.regenerate_part_at(track.id, self.transport.position)

    def set_song_embedded(self, embedded: bool) -> None:
        """Store (or stop storing) a copy of the song in the project file: one undo step."""
        song = self.project.song
        if song is not None and song.embedded != embedded:
            text = "Embed song" if embedded else "Stop embedding song"
            self.undo_stack.push(
                SetSongCommand(self.project, replace(song, embedded=embedded), text)
            )

    def _sync_embed_action(self, song: Song | None) -> None:
        self.embed_action.setEnabled(song is not None)
        self.embed_action.setChecked(song is not None and song.embedded)

    def _on_song_changed(self, song: Song | None) -> None:
        self._sync_embed_action(song)
        if song is None:
            self.loaded_song = None
            self.transport.set_song(None, 1)
            self.timeline.set_waveform(None)
        elif self.loaded_song is None or self.loaded_song.path != song.path:
            self.bridge.submit(LoadSongRequest(song.path), self._on_song_loaded)

    def _on_song_loaded(self, song: LoadedSong) -> None:
        self.loaded_song = song
        self.transport.set_song(song.samples, song.sample_rate)
        self.practice.set_song(self.project, song)
        self.timeline.set_waveform(song.peaks)
        current = self.project.song
        if current is None or current.path != song.path:
            new = Song(path=song.path, title=song.title, duration=song.duration)
            self.undo_stack.push(SetSongCommand(self.project, new))
        self._show_status(f"Loaded {song.title} ({song.duration:.1f} s)")
        self.analysis.song_loaded(song)

    def tap_tempo(self) -> None:
        """One tap of tap tempo (key T), at the playhead's song time."""
        self.analysis.tap(time.perf_counter(), self.transport.position, self.transport.speed)

    def _on_task_progress(self, percent: int, message: str) -> None:
        self.progress_bar.setValue(percent)
        self.statusBar().showMessage(message, 8000)  # not logged: a job reports every step

    def _on_busy_changed(self, busy: bool) -> None:
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_action.setEnabled(busy)
        if busy:
            self.progress_bar.setValue(0)

    # -- messages ----------------------------------------------------------------------------

    def _show_status(self, message: str) -> None:
        log.info("status: %s", message)  # the log keeps what the status bar showed briefly
        self.statusBar().showMessage(message, 8000)

    def _show_error(self, title: str, message: str) -> None:
        self._show_status(message)
        show_error(self, title, message)

    def shortcut_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every shortcut, read off the actions themselves, and the mouse gestures."""
        lanes = [a for a in self.clip_lanes.actions() if isinstance(a, QAction)]
        return [
            *menu_groups(self.menuBar()),
            ("Dancer lanes (when they have the focus)", action_rows(lanes)),
            ("Timeline", list(TIMELINE_GESTURES)),
            ("Dancer lanes, with the mouse", list(CLIP_GESTURES)),
            ("3D view", list(VIEWPORT_GESTURES)),
        ]

    def _show_shortcuts(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard Shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcut_html(self.shortcut_groups()))
        box.exec()

    def _show_about(self) -> None:
        AboutDialog(self.bridge, self).exec()

    # -- closing and drops -------------------------------------------------------------------

    def _may_discard_changes(self) -> bool:
        """True when there is nothing unsaved, or the user chose to save or discard it."""
        if self.undo_stack.isClean():
            return True
        answer = self._ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _ask_save_changes(self) -> QMessageBox.StandardButton:
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        return QMessageBox.question(self, APP_NAME, "Save the changes to this project?", buttons)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_discard_changes():
            event.ignore()
            return
        self.transport.pause()
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.autosaver.stop()
        self.autosaver.discard()
        self.practice_mode.shutdown()
        self.bridge.shutdown()
        self.prompt_reader.shutdown()
        self.video_export.shutdown()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Videos import each as a clip; motion files and folders together as one step;
        otherwise open the first."""
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        videos = [p for p in paths if is_video(p)]
        motions = [p for p in paths if p.is_dir() or p.suffix.lower() in MOTION_SUFFIXES]
        self.video.import_paths(videos)
        if motions:
            self.motion.import_paths(motions)
        elif paths and not videos:
            self.open_path(paths[0])
