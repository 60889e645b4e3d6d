"""What is under the playhead: clip lookup, frame accuracy, mirroring, colours, caching."""

from __future__ import annotations

import numpy as np
import pytest

from app.model import Clip, Project, Track, TrackKind
from inference.motion import CANONICAL, mirror
from tests.gui.viewport.conftest import counting_asset
from viewport.scene import PALETTE, PoseCache, motion_joints, motion_of, parse_color, poses_at

PELVIS = CANONICAL.index("pelvis")
SONG_FRAMES = 3 * 60 * 30  # a three-minute song at 30 fps


def project_with(*clips: Clip, n_frames: int = SONG_FRAMES + 10) -> Project:
    project = Project()
    project.add_motion(counting_asset(n_frames))
    track = project.dancer_tracks()[0]
    for clip in clips:
        project.add_clip(track.id, clip)
    return project


def shown_frame(project: Project, seconds: float, cache: PoseCache) -> int | None:
    poses = poses_at(project, seconds, cache)
    return None if not poses else round(float(poses[0].positions[PELVIS, 0]))


def test_frame_index_never_drifts_over_a_three_minute_song() -> None:
    project = project_with(Clip("c", "m1", "all", 0.0, 0.0, SONG_FRAMES / 30.0))
    cache = PoseCache()
    # Times as a sample-counting audio clock gives them (44.1 kHz, 1470 samples per frame).
    shown = [shown_frame(project, (k * 1470) / 44100.0, cache) for k in range(SONG_FRAMES)]
    assert shown == list(range(SONG_FRAMES))
    # Anywhere inside a frame's interval shows that frame, up to just before the next one.
    for k in (0, 1, 2999, SONG_FRAMES - 2):
        assert shown_frame(project, (k + 0.5) / 30.0, cache) == k
        assert shown_frame(project, (k + 1) / 30.0 - 1e-4, cache) == k


def test_clip_offsets_map_song_time_to_source_frames() -> None:
    clip = Clip("c", "m1", "part", start=2.0, source_in=1.0, source_out=3.0)
    project = project_with(clip)
    cache = PoseCache()
    # Around the clip the dancer does not vanish: it waits where the clip begins...
    assert shown_frame(project, 1.99, cache) == 30
    assert shown_frame(project, 2.0, cache) == 30
    assert shown_frame(project, 2.0 + 17 / 30, cache) == 47
    assert shown_frame(project, clip.end - 1e-3, cache) == 89
    assert shown_frame(project, clip.end, cache) == 89  # ...and stays where it ended
    assert shown_frame(project_with(), 1.0, cache) is None  # a track with no clip: nobody


def test_a_mirrored_clip_shows_the_mirrored_motion() -> None:
    project = project_with(Clip("c", "m1", "m", 0.0, 0.0, 1.0, mirrored=True), n_frames=40)
    expected = motion_joints(mirror(motion_of(project.motions["m1"])))[0][12]
    pose = poses_at(project, 12 / 30)[0]
    np.testing.assert_allclose(pose.positions, expected)
    assert pose.positions[PELVIS, 0] == pytest.approx(-12.0)  # reflected across x = 0


def test_each_dancer_track_gets_its_own_colour() -> None:
    project = project_with(Clip("a", "m1", "a", 0.0, 0.0, 1.0), n_frames=40)
    for name in ("Dancer 2", "Dancer 3"):
        track = Track(id=name, name=name, kind=TrackKind.DANCER)
        project.add_track(track)
        project.add_clip(track.id, Clip(f"c{name}", "m1", "x", 0.0, 0.0, 1.0))
    poses = poses_at(project, 0.5)
    assert [p.name for p in poses] == ["Dancer 1", "Dancer 2", "Dancer 3"]
    assert [p.color for p in poses] == [parse_color(c) for c in PALETTE[:3]]


def test_the_cache_reuses_joints_until_the_asset_is_replaced() -> None:
    cache = PoseCache(max_entries=2)
    asset = counting_asset(20)
    first = cache.joints(asset, False)[0]
    assert cache.joints(asset, False)[0] is first
    assert cache.joints(counting_asset(20), False)[0] is not first
    cache.joints(asset, True)
    cache.joints(counting_asset(5, "other"), False)
    assert len(cache._entries) == 2


def test_bad_colours_are_rejected() -> None:
    with pytest.raises(ValueError, match="#rrggbb"):
        parse_color("blue")
