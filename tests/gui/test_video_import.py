"""Import Video in the studio: placed by the soundtrack or at the playhead, bad videos refused
with the project untouched, cancel, the video panel in step with the playhead, save/reopen.

Pose runs on the CPU here, so the videos are a few seconds of the real dancer video (20 fps),
and the tests that need no worker share one extraction (``synced_result``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app import video_import_controller
from app.main_window import MainWindow
from app.model import Clip, TrackKind
from inference.jobs import run_job
from inference.paths import DEMO_SONG
from inference.pose import VideoPoseResult, video_pose_job
from inference.pose.frame_reader import VideoFrameReader
from tests.gui.test_motion_io import drop

SONG_FROM, SOUNDTRACK_FROM = 10.0, 18.0
"""The project's song is the demo song from 10 s; the synced video's sound is the song's 18 s,
so its frame 0 belongs at 8 s of the project's song."""
OFFSET = SOUNDTRACK_FROM - SONG_FROM
VIDEO_FPS = 20.0


@pytest.fixture(scope="session")
def media(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 20 s song, a 3 s video with its soundtrack, a silent one, and broken ones."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.fail("ffmpeg is needed for the video tests (packaging/system-deps.sh installs it)")
    folder = tmp_path_factory.mktemp("video_media")
    dancer = str(shared_data / "video" / "mediapipe_pose_segmentation_dancer.mp4")
    x264 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
    recipes: dict[str, tuple[str, ...]] = {
        "song.ogg": ("-ss", str(SONG_FROM), "-t", "20", "-i", str(DEMO_SONG), "-vn"),
        "synced.mp4": ("-t", "3", "-i", dancer, "-ss", str(SOUNDTRACK_FROM), "-t", "3", "-i",
                       str(DEMO_SONG), "-map", "0:v", "-map", "1:a", *x264, "-c:a", "aac"),
        "silent.mp4": ("-t", "2", "-i", dancer, *x264),
        "long.mp4": ("-stream_loop", "5", "-i", dancer, "-c", "copy"),
        "nobody.mp4": ("-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-t", "1", *x264),
        "dark.mp4": ("-t", "1", "-i", dancer, "-vf", "eq=brightness=-0.9", *x264),
        "upper.mp4": ("-t", "1.5", "-i", dancer, "-vf", "crop=600:330:0:0", *x264),
    }  # fmt: skip
    files = {}
    for name, args in recipes.items():
        files[name] = folder / name
        subprocess.run([ffmpeg, "-v", "error", "-y", *args, str(files[name])], check=True)
    files["corrupt.mp4"] = folder / "corrupt.mp4"
    files["corrupt.mp4"].write_bytes(np.random.default_rng(0).bytes(60_000))
    files["truncated.mp4"] = folder / "truncated.mp4"
    whole = files["silent.mp4"].read_bytes()  # ffmpeg writes the index last: cut, it is lost
    files["truncated.mp4"].write_bytes(whole[: len(whole) // 2])
    return files


@pytest.fixture(scope="session")
def synced_result(media: dict[str, Path]) -> VideoPoseResult:
    """One extraction of the synced video against the song, for the tests that need no worker."""
    return run_job(video_pose_job(media["synced.mp4"], media["song.ogg"]))


def video_clips(window: MainWindow) -> list[Clip]:
    motions = window.project.motions
    return [
        c
        for t in window.project.dancer_tracks()
        for c in t.clips
        if motions[c.motion_id].video is not None
    ]


def idle(window: MainWindow, qtbot: QtBot, until: Callable[[], bool] = lambda: True) -> None:
    qtbot.waitUntil(lambda: not window.bridge.busy and until(), timeout=60_000)


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def test_a_dropped_video_lands_where_its_soundtrack_is_in_the_song(
    window: MainWindow, qtbot: QtBot, media: dict[str, Path]
) -> None:
    window.import_song(media["song.ogg"])
    idle(window, qtbot, lambda: bool(window.project.beat_grid.beats))
    steps = window.undo_stack.count()
    progress: list[int] = []
    window.bridge.progress.connect(lambda percent, _: progress.append(percent))
    drop(window, [media["synced.mp4"]])
    assert window.progress_bar.isVisible() and window.cancel_button.isVisible()
    idle(window, qtbot, lambda: bool(video_clips(window)))
    (clip,) = video_clips(window)
    assert clip.start == pytest.approx(OFFSET, abs=0.05) and clip.source_in == 0.0
    assert window.project.find_clip(clip.id)[0].name == "Dancer 1"
    assert re.search(r"matches the song from \+(7\.9\d|8\.0\d) s", status(window))
    assert len(progress) > 5 and progress == sorted(progress)
    video = window.project.motions[clip.motion_id].video
    assert video is not None and Path(video.path) == media["synced.mp4"]
    assert any("soundtrack matched" in n for n in video.notes)  # the notes stay with the clip
    assert window.video_panel.isVisible() and window.clip_lanes.selected_clip == clip.id
    assert window.undo_stack.count() == steps + 1
    window.undo_stack.undo()
    assert video_clips(window) == [] and not window.project.motions
    # A silent video, given to Import Motion, goes to the playhead and the status bar says why.
    window.transport.seek(12.0)
    window.motion.import_paths([media["silent.mp4"]])
    idle(window, qtbot, lambda: bool(video_clips(window)))
    (silent,) = video_clips(window)
    assert silent.start == pytest.approx(12.0) and silent.source_in == 0.0
    assert status(window).endswith("at 12.00 s: no soundtrack: placed at the playhead")
    assert window.errors == []  # type: ignore[attr-defined]


def give_the_playhead_room(window: MainWindow, seconds: float = 30.0) -> None:
    """The playhead runs over the song: a silent one of ``seconds`` when the test has none."""
    window.transport.set_song(np.zeros(int(seconds * 8000), np.float32), 8000)


def test_without_a_song_a_video_goes_to_the_playhead_and_says_why(
    window: MainWindow, qtbot: QtBot, media: dict[str, Path]
) -> None:
    give_the_playhead_room(window)
    window.transport.seek(4.0)
    window.open_path(media["synced.mp4"])
    idle(window, qtbot, lambda: bool(video_clips(window)))
    (clip,) = video_clips(window)
    assert clip.start == pytest.approx(4.0) and clip.duration == pytest.approx(3.0, abs=0.05)
    assert status(window).endswith(
        "at 4.00 s: the project has no song to sync to: placed at the playhead"
    )
    video = window.project.motions[clip.motion_id].video
    assert video is not None and "the project has no song to sync to" in video.notes[-1]
    assert window.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("corrupt.mp4", "corrupt.mp4"),
        ("truncated.mp4", "truncated.mp4"),
        ("nobody.mp4", "no person found"),
        ("dark.mp4", "too dark to see anyone"),
        ("upper.mp4", "the legs are out of the picture"),
    ],
)
def test_a_bad_video_gets_a_dialog_and_leaves_the_project_as_it_was(
    window: MainWindow, qtbot: QtBot, media: dict[str, Path], name: str, expected: str
) -> None:
    tracks = window.project.tracks
    window.open_path(media[name])
    idle(window, qtbot, lambda: bool(window.errors))  # type: ignore[attr-defined]
    (message,) = window.errors  # type: ignore[attr-defined]
    assert name in message and expected in message and "the project is unchanged" in message
    assert "Internal error" not in message
    assert window.project.tracks == tracks and not window.project.motions
    assert window.undo_stack.count() == 0 and window.undo_stack.isClean()


@pytest.mark.parametrize("how", ["button", "Esc"])
def test_cancel_leaves_nothing(
    window: MainWindow, qtbot: QtBot, media: dict[str, Path], how: str
) -> None:
    started: list[int] = []
    window.bridge.progress.connect(lambda percent, _: started.append(percent))
    window.video.import_video(media["long.mp4"])  # 30 s of video: far from done when cancelled
    qtbot.waitUntil(lambda: any(p > 2 for p in started), timeout=30_000)
    if how == "button":
        window.cancel_button.click()
    else:
        window.cancel_action.trigger()
    idle(window, qtbot)
    assert status(window) == "Cancelled." and max(started) < 50
    assert not window.project.motions and window.undo_stack.count() == 0
    assert window.errors == []  # type: ignore[attr-defined]


def test_a_synced_clip_is_never_shifted_off_its_sync(
    window: MainWindow, synced_result: VideoPoseResult
) -> None:
    project = window.project
    dancer = project.dancer_tracks()[0]
    window.video.add_imported(synced_result)  # Dancer 1 is free at 8 s
    (first,) = video_clips(window)
    window.video.add_imported(synced_result)  # taken now: a new track, same time
    second = next(c for c in video_clips(window) if c.id != first.id)
    track = project.find_clip(second.id)[0]
    assert track.id != dancer.id and track.kind is TrackKind.DANCER and track.name == "Dancer 2"
    assert second.start == first.start == pytest.approx(synced_result.audio_offset)
    window.undo_stack.undo()  # one step takes the clip and its new track away
    assert len(project.dancer_tracks()) == 1 and len(video_clips(window)) == 1


def test_a_video_from_before_the_song_is_trimmed_to_song_time_zero(
    window: MainWindow, synced_result: VideoPoseResult
) -> None:
    early = VideoPoseResult(**{**vars(synced_result), "audio_offset": -1.0})
    window.video.add_imported(early)
    (clip,) = video_clips(window)
    assert clip.start == 0.0 and clip.source_in == pytest.approx(1.0)
    assert clip.source_out == pytest.approx(synced_result.motion.duration)


def panel_frame(window: MainWindow, qtbot: QtBot, seconds: float, frame: int) -> None:
    window.transport.seek(seconds)
    qtbot.waitUntil(
        lambda: (shown := window.video_panel.shown) is not None and shown.frame == frame,
        timeout=5000,
    )


def test_the_panel_shows_the_frame_at_the_playhead_with_landmarks_and_mirrors(
    window: MainWindow, qtbot: QtBot, synced_result: VideoPoseResult
) -> None:
    give_the_playhead_room(window)
    window.video.add_imported(synced_result)
    (clip,) = video_clips(window)
    panel = window.video_panel
    at = clip.start + 1.02  # 1.02 s into the video: frame 20 at 20 fps
    panel_frame(window, qtbot, at, 20)
    with VideoFrameReader(synced_result.path) as reader:
        expected = reader.frame(20)
    assert expected is not None and panel.shown is not None and panel.shown.has_picture
    np.testing.assert_array_equal(panel.view._buffer, expected)
    points = panel.view._points
    assert points is not None
    np.testing.assert_allclose(points[11, :2], synced_result.track.keypoints[20, 11, :2])
    assert "frame 21 of 60" in panel.title.text()
    assert any("One Euro" in line for line in panel.notes.text().splitlines())
    plain = panel.view.grab().toImage()
    panel.mirror_box.click()
    qtbot.waitUntil(lambda: panel.shown is not None and panel.shown.mirrored, timeout=5000)
    np.testing.assert_array_equal(panel.view._buffer, expected[:, ::-1])
    mirrored_points = panel.view._points
    assert mirrored_points is not None
    assert mirrored_points[11, 0] == pytest.approx(600 - points[11, 0])
    assert panel.view.grab().toImage() != plain
    panel_frame(window, qtbot, clip.start + 2.5, 50)  # playback moves the picture on


def test_save_and_reopen_keep_the_video_of_the_clip(
    window: MainWindow, qtbot: QtBot, synced_result: VideoPoseResult, tmp_path: Path
) -> None:
    moved = tmp_path / "takes" / "synced.mp4"
    moved.parent.mkdir()
    shutil.copy(synced_result.path, moved)
    result = VideoPoseResult(**{**vars(synced_result), "path": moved})
    window.video.add_imported(result)
    saved = tmp_path / "video.eightcount"
    assert window.save_to(saved)
    window.new_project()
    assert window.video_panel.isHidden()
    assert window.open_path(saved)
    give_the_playhead_room(window)
    (clip,) = video_clips(window)
    video = window.project.motions[clip.motion_id].video
    assert video is not None and video.path == str(moved)
    np.testing.assert_allclose(video.keypoints[:, 11, :2], result.track.keypoints[:, 11, :2])
    assert window.video_panel.isVisible()
    panel_frame(window, qtbot, clip.start + 0.5, 10)
    assert window.video_panel.shown is not None and window.video_panel.shown.has_picture
    # The video moved away: the project still opens, and the panel draws the landmarks alone.
    moved.unlink()
    window.new_project()
    assert window.open_path(saved)
    give_the_playhead_room(window)
    panel_frame(window, qtbot, clip.start + 0.5, 10)
    assert not window.video_panel.shown.has_picture  # type: ignore[union-attr]
    assert "Landmarks only" in window.video_panel.view._message


def test_with_no_dancer_track_the_import_adds_one_in_the_same_step(
    window: MainWindow, synced_result: VideoPoseResult
) -> None:
    project = window.project
    project.remove_track(project.dancer_tracks()[0].id)
    window.video.add_imported(synced_result)
    (track,) = project.dancer_tracks()
    assert track.name == "Dancer 1" and len(track.clips) == 1
    window.undo_stack.undo()
    assert not project.dancer_tracks() and not project.motions


def test_a_video_the_project_file_could_not_hold_is_refused(
    window: MainWindow, synced_result: VideoPoseResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(video_import_controller, "MAX_ARRAY_MEMBER_BYTES", 100_000)
    window.video.add_imported(synced_result)
    (message,) = window.errors  # type: ignore[attr-defined]
    assert "synced.mp4: its motion and keypoints take" in message
    assert "at most 100.0 KB per motion" in message and "the project is unchanged" in message
    assert not window.project.motions and window.undo_stack.count() == 0
