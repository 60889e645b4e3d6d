"""Motion import (menu, folder, drop), bad files, BVH/JSON/MP4 export and the live viewport."""

from __future__ import annotations

import math
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage, QSurface
from PySide6.QtOpenGLWidgets import QOpenGLWidget
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from app.model import Clip
from app.model.track_sampling import asset_from_motion
from inference.motion import load_motion, rest_motion
from inference.paths import DEMO_SONG
from tests.gui.conftest import require_gl
from viewport.offscreen import gl_context_error
from viewport.widget import DancerViewport

BANDAI = "motion/bandai_namco/dataset-1_dance-short_normal_001.bvh"
WALK = "motion/bandai_namco/dataset-1_walk_normal_001.bvh"
TANG = "motion_music/tang2018/DANCE_C_2"


def imported(window: MainWindow, qtbot: QtBot, count: int) -> list[Clip]:
    """Wait until the first dancer track holds ``count`` clips; return them."""
    track = lambda: window.project.dancer_tracks()[0]  # noqa: E731
    qtbot.waitUntil(lambda: len(track().clips) >= count and not window.bridge.busy, timeout=20000)
    return list(track().clips)


def drop(window: MainWindow, paths: list[Path]) -> None:
    """Drop ``paths`` (files and folders) on the window, as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_import_a_bvh_and_a_tang_folder_each_as_one_step(
    window: MainWindow, qtbot: QtBot, shared_data: Path
) -> None:
    assert window.open_path(shared_data / BANDAI)
    (bandai,) = imported(window, qtbot, 1)
    expected = load_motion(shared_data / BANDAI)
    assert bandai.start == 0.0 and bandai.duration == pytest.approx(expected.duration)
    assert window.project.motions[bandai.motion_id].frame_count == expected.n_frames
    # The Tang folder holds config.json and audio too: only skeletons.json is motion.
    window.motion.import_paths([shared_data / TANG])
    clips = imported(window, qtbot, 2)
    assert clips[1].name == "DANCE_C_2" and clips[1].start == pytest.approx(bandai.end)
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    assert len(window.project.motions) == 1 and len(window.project.dancer_tracks()[0].clips) == 1
    assert window.errors == []  # type: ignore[attr-defined]


def test_an_import_waits_for_the_song_analysis_instead_of_cancelling_it(
    window: MainWindow, qtbot: QtBot, shared_data: Path
) -> None:
    window.import_song(DEMO_SONG)
    qtbot.waitUntil(lambda: window.project.song is not None, timeout=20000)
    assert window.bridge.busy  # the quick beats run, the full analysis follows them
    window.motion.import_paths([shared_data / BANDAI])
    (clip,) = imported(window, qtbot, 1)
    assert clip.name.startswith("dataset-1_dance-short")
    assert window.project.beat_grid.beats and window.project.sections  # the analysis landed
    stack = window.undo_stack
    texts = [stack.text(i) for i in range(stack.count())]
    assert texts[-2:] == ["Analyze song", f"Import {clip.name}"], texts
    assert window.errors == []  # type: ignore[attr-defined]


def test_dropping_a_folder_imports_every_motion_file_as_consecutive_clips(
    window: MainWindow, qtbot: QtBot, shared_data: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "takes"
    folder.mkdir()
    for name in (BANDAI, WALK):
        shutil.copy(shared_data / name, folder)
    (folder / "notes.json").write_text('{"take": 1}')  # not motion: skipped in a folder
    drop(window, [folder])
    first, second = imported(window, qtbot, 2)
    assert first.name.startswith("dataset-1_dance") and second.name.startswith("dataset-1_walk")
    assert second.start == pytest.approx(first.end)
    assert window.undo_stack.count() == 1  # the whole folder is one step


def _bad_files(shared_data: Path, folder: Path) -> list[Path]:
    text = (shared_data / BANDAI).read_text()
    truncated = folder / "truncated.bvh"
    truncated.write_text(text[: len(text) // 3])
    lines = text.splitlines()
    first_frame = next(i for i, line in enumerate(lines) if line.startswith("Frame Time")) + 1
    values = lines[first_frame + 4].split()
    values[4] = "nan"
    lines[first_frame + 4] = " ".join(values)
    nan = folder / "nan.bvh"
    nan.write_text("\n".join(lines))
    alien = folder / "alien.bvh"
    alien.write_text(
        "HIERARCHY\nROOT Blob\n{\n OFFSET 0 0 0\n CHANNELS 6 Xposition Yposition Zposition "
        "Zrotation Xrotation Yrotation\n End Site\n {\n  OFFSET 0 5 0\n }\n}\nMOTION\n"
        "Frames: 1\nFrame Time: 0.033333\n0 0 0 0 0 0\n"
    )
    strings = folder / "strings.pkl"
    strings.write_bytes(pickle.dumps({"smpl_poses": "no", "smpl_trans": [1, 2]}))
    return [truncated, nan, alien, strings]


def test_bad_files_name_the_file_and_leave_the_project_untouched(
    window: MainWindow, qtbot: QtBot, shared_data: Path, tmp_path: Path
) -> None:
    project = window.project
    project.add_motion(asset_from_motion(rest_motion(30), "m", "idle"))
    before = (project.tracks, tuple(project.motions))
    errors = window.errors  # type: ignore[attr-defined]
    for bad in _bad_files(shared_data, tmp_path):
        count = len(errors)
        window.motion.import_paths([bad])
        qtbot.waitUntil(lambda n=count: len(errors) > n, timeout=10000)
        assert bad.name in errors[-1]
        assert (project.tracks, tuple(project.motions)) == before
        assert window.undo_stack.count() == 0


def test_bvh_and_json_export_reimport_with_the_song_timeline_length(
    window: MainWindow, qtbot: QtBot, shared_data: Path, tmp_path: Path
) -> None:
    window.motion.import_paths([shared_data / WALK])
    (clip,) = imported(window, qtbot, 1)
    # Move the clip to 1.5 s: the export still starts at song time 0, rest pose before it.
    window.motion.move(clip.id, 1.5, window.project.dancer_tracks()[0].id)
    frames = math.ceil((clip.duration + 1.5) * 30 - 1e-6)
    for suffix in (".bvh", ".json"):
        path = tmp_path / f"routine{suffix}"
        window.motion.export_motion(path)
        back = load_motion(path)
        assert back.n_frames == frames and back.fps == 30.0
    np.testing.assert_allclose(back.local_rotations[0, 1:], [[1, 0, 0, 0]] * 20, atol=1e-6)


def test_video_export_renders_the_routine(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    if not isinstance(window.viewport, DancerViewport):
        require_gl(gl_context_error())
    project = window.project
    project.add_motion(asset_from_motion(rest_motion(15), "m", "idle"))
    project.add_clip(project.dancer_tracks()[0].id, Clip("c", "m", "idle", 0.0, 0.0, 0.5))
    window.motion.video_size = (160, 96)
    path = tmp_path / "routine.mp4"
    messages: list[str] = []
    window.video_export.message.connect(messages.append)
    assert window.motion.export_video(path)
    # It renders in the background: the window's event loop keeps running meanwhile.
    assert window.video_export.busy and window.video_export.progress_bar.isVisible()
    qtbot.waitUntil(lambda: not window.video_export.busy, timeout=60_000)
    assert messages[-1] == "Exported routine.mp4" and path.stat().st_size > 1000
    assert not window.video_export.progress_bar.isVisible()


def test_cancelling_a_video_export_says_so_and_leaves_no_file(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    if not isinstance(window.viewport, DancerViewport):
        require_gl(gl_context_error())
    project = window.project
    project.add_motion(asset_from_motion(rest_motion(300), "m", "idle"))
    project.add_clip(project.dancer_tracks()[0].id, Clip("c", "m", "idle", 0.0, 0.0, 10.0))
    window.motion.video_size = (160, 96)
    path, messages = tmp_path / "long.mp4", []
    window.video_export.message.connect(messages.append)
    assert window.motion.export_video(path)
    assert not window.motion.export_video(tmp_path / "second.mp4")  # one at a time
    assert messages[-1] == "Already exporting long.mp4: wait or cancel it."
    qtbot.waitUntil(lambda: window.video_export.progress_bar.value() > 0, timeout=60_000)
    qtbot.mouseClick(window.video_export.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.video_export.busy, timeout=60_000)
    assert messages[-1] == "Export cancelled." and not path.exists()


def test_the_viewport_follows_the_transport(window: MainWindow) -> None:
    if not isinstance(window.viewport, DancerViewport):
        require_gl(gl_context_error())
    window.transport.set_song(np.zeros(10 * 8000, dtype=np.float32), 8000)
    project = window.project
    project.add_motion(asset_from_motion(rest_motion(300), "m", "idle"))
    project.add_clip(project.dancer_tracks()[0].id, Clip("c", "m", "idle", 2.0, 0.0, 5.0))
    window.transport.seek(3.25)
    assert window.viewport.time() == pytest.approx(window.transport.position) == 3.25
    assert len(window.viewport.dancers()) == 1
    window.transport.seek(1.0)  # before the clip the dancer waits on stage, standing
    assert window.viewport.time() == 1.0 and len(window.viewport.dancers()) == 1
    window.transport.seek(8.0)  # and after it, where it ended
    assert len(window.viewport.dancers()) == 1


def test_the_window_is_composed_without_opengl_and_shows_the_dancer(
    window: MainWindow, qtbot: QtBot
) -> None:
    # Issue 13: a QOpenGLWidget anywhere in the window makes Qt compose all of it through
    # OpenGL on every update (llvmpipe: the cores' time); the 3D view paints an image instead.
    qtbot.waitExposed(window)
    assert not window.findChildren(QOpenGLWidget)
    assert window.windowHandle().surfaceType() == QSurface.SurfaceType.RasterSurface
    view = window.viewport
    if not isinstance(view, DancerViewport):
        require_gl(gl_context_error())
    assert isinstance(view, DancerViewport)
    view.set_fps_visible(False)
    stage = view.grab().toImage()
    project = window.project
    project.add_motion(asset_from_motion(rest_motion(30), "m", "idle"))
    project.add_clip(project.dancer_tracks()[0].id, Clip("c", "m", "idle", 0.0, 0.0, 1.0))
    qtbot.waitUntil(lambda: view.grab().toImage() != stage)
    assert view.gl_error() is None
    before, after = (rgb_pixels(image) for image in (stage, view.grab().toImage()))
    changed = np.abs(after - before).sum(axis=2) > 30
    assert 0.005 < changed.mean() < 0.5  # the dancer stands on the stage


def rgb_pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(image.constBits(), np.uint8, image.height() * image.bytesPerLine())
    rows = raw.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
    return rows.reshape(image.height(), image.width(), 3).astype(int)


def test_without_gl_the_window_explains_instead_of_crashing(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMenu

    import app.view_menu as view_menu

    monkeypatch.setattr(view_menu, "gl_context_error", lambda: "the platform has no GL")
    label = view_menu.make_viewport()
    assert isinstance(label, view_menu.NoViewport) and "no GL" in label.text()
    menu = QMenu()
    actions = view_menu.build_view_menu(menu, label)
    assert not any(a.isEnabled() for a in actions.values())
    label.deleteLater()


def test_fbx_glb_and_csv_import_by_menu_filter_and_drop(
    window: MainWindow, qtbot: QtBot, shared_data: Path
) -> None:
    from app import motion_controller

    for suffix in (".bvh", ".fbx", ".glb", ".gltf", ".csv", ".json", ".pkl"):
        assert f"*{suffix}" in motion_controller.MOTION_FILTER
    files = [
        shared_data / "motion/mixamo/Rumba_Dancing.fbx",
        shared_data / "motion/mixamo/Michelle.glb",
        shared_data / "motion/aistpp_slices/true_gKR_sBM_cAll_d30_mKR2_ch02_slice6.csv",
    ]
    drop(window, files)
    clips = imported(window, qtbot, 3)
    assert [c.name for c in clips] == [p.stem for p in files]
    assert window.undo_stack.count() == 1
