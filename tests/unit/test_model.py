"""The document model: values, primitives and their events."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from app.model import (
    BeatGrid,
    Clip,
    GenerationParams,
    MotionAsset,
    Part,
    Project,
    Section,
    Song,
    TrackKind,
)
from inference.audio import make_grid


class Recorder:
    """Collects every event of a project as (name, args)."""

    def __init__(self, project: Project) -> None:
        self.seen: list[tuple[str, tuple[object, ...]]] = []
        for emitter in project.events.emitters():
            emitter.connect(lambda *args, _name=emitter.name: self.seen.append((_name, args)))

    def names(self) -> list[str]:
        return [name for name, _ in self.seen]


def _project_with_clip() -> tuple[Project, str, Clip]:
    project = Project()
    motion = MotionAsset(id="m1", name="wave", fps=30.0, arrays={"x": np.zeros((60, 3))})
    project.add_motion(motion)
    track_id = project.dancer_tracks()[0].id
    clip = Clip(id="c1", motion_id="m1", name="wave", start=1.0, source_in=0.0, source_out=2.0)
    project.add_clip(track_id, clip)
    return project, track_id, clip


def test_new_project_has_one_audio_and_one_dancer_track() -> None:
    kinds = [t.kind for t in Project().tracks]
    assert kinds == [TrackKind.AUDIO, TrackKind.DANCER]


def test_setters_emit_only_on_real_change() -> None:
    project = Project()
    recorder = Recorder(project)
    grid = BeatGrid(beats=(0.5, 1.0, 1.5), counts=(1, 2, 3), meter=4, duration=2.0)
    project.set_beat_grid(grid)
    project.set_beat_grid(BeatGrid(beats=(0.5, 1.0, 1.5), counts=(1, 2, 3), meter=4, duration=2.0))
    project.set_song(Song(path="/tmp/a.ogg", title="A"))
    project.set_song(Song(path="/tmp/a.ogg", title="A"))
    project.set_sections((Section("Intro", 0.0, 4.0, 1, 1),))
    project.set_sections((Section("Intro", 0.0, 4.0, 1, 1),))
    project.set_part_names({1: "Hook"})
    project.set_part_names({1: "Hook", 2: ""})
    project.set_generation_settings(GenerationParams(energy=0.8))
    project.set_generation_settings(GenerationParams(energy=0.8))
    project.set_name("Untitled")
    assert recorder.names() == [
        "beat_grid_changed",
        "song_changed",
        "sections_changed",
        "part_names_changed",
        "generation_settings_changed",
    ]


def test_clip_events_are_specific() -> None:
    project, _track_id, clip = _project_with_clip()
    recorder = Recorder(project)
    project.replace_clip(replace(clip, start=3.0))
    project.replace_clip(replace(clip, start=3.0, source_in=0.5))
    project.replace_clip(replace(clip, start=3.0, source_in=0.5, mirrored=True))
    project.replace_clip(replace(clip, start=3.0, source_in=0.5, mirrored=True))
    assert recorder.names() == ["clip_moved", "clip_trimmed", "clip_changed"]
    assert project.find_clip("c1")[1].mirrored


def test_clip_can_move_between_dancer_tracks() -> None:
    project, track_id, clip = _project_with_clip()
    from app.model import Track, new_id

    second = Track(id=new_id(), name="Dancer 2", kind=TrackKind.DANCER)
    project.add_track(second)
    recorder = Recorder(project)
    project.replace_clip(clip, track_id=second.id)
    assert project.track(track_id).clips == ()
    assert project.track(second.id).clips == (clip,)
    assert recorder.seen == [("clip_moved", (track_id, second.id, clip))]


def test_clips_stay_sorted_by_start() -> None:
    project, track_id, clip = _project_with_clip()
    early = replace(clip, id="c0", start=0.0)
    project.add_clip(track_id, early)
    assert [c.id for c in project.track(track_id).clips] == ["c0", "c1"]


def test_invalid_values_are_refused() -> None:
    with pytest.raises(ValueError, match="increasing"):
        BeatGrid(beats=(1.0, 0.5), counts=(1, 2), meter=4, duration=2.0)
    with pytest.raises(ValueError, match="energy"):
        GenerationParams(energy=1.5)
    with pytest.raises(ValueError, match="longer than zero"):
        Clip(id="x", motion_id="m", name="x", start=0, source_in=1.0, source_out=1.0)
    project = Project()
    with pytest.raises(ValueError, match="unknown motion"):
        project.add_clip(
            project.dancer_tracks()[0].id,
            Clip(id="x", motion_id="nope", name="x", start=0, source_in=0, source_out=1),
        )
    with pytest.raises(ValueError, match="audio track"):
        project.remove_track(project.tracks[0].id)


def test_remove_clip_returns_what_undo_needs() -> None:
    project, track_id, clip = _project_with_clip()
    recorder = Recorder(project)
    assert project.remove_clip("c1") == (track_id, clip)
    with pytest.raises(ValueError, match="still used"):
        project.add_clip(track_id, clip)
        project.remove_motion("m1")
    assert recorder.names() == ["clip_removed", "clip_added"]


def test_tempo_from_grid() -> None:
    grid = make_grid(np.arange(0, 10, 0.5).tolist(), 4, 0, 10.0)
    assert grid.tempo_bpm == pytest.approx(120.0)
    assert Project().beat_grid.tempo_bpm == 0.0


def test_part_labels_come_from_the_names() -> None:
    project = Project()
    part = Part(2, 4.0, 8.0, 8, 8)
    assert project.part_label(part) == "Part 2"
    project.set_part_names({2: "Hook"})
    assert project.part_label(part) == "Hook"
    assert project.part_names == {2: "Hook"}


def test_a_snapshot_keeps_what_the_project_held_and_hears_nothing() -> None:
    """A background export renders a snapshot while the user goes on editing the project."""
    project = Project()
    project.add_motion(MotionAsset(id="m", name="wave", fps=30.0, arrays={"x": np.zeros((90, 3))}))
    track = project.dancer_tracks()[0].id
    project.add_clip(track, Clip("c1", "m", "move", 0.0, 0.0, 1.0))
    project.set_part_names({1: "Intro"})
    heard: list[object] = []
    project.events.clip_added.connect(lambda *a: heard.append(a))
    snapshot = project.snapshot()
    project.add_clip(track, Clip("c2", "m", "move", 2.0, 0.0, 1.0))
    project.set_part_names({1: "Verse"})
    assert [c.id for c in snapshot.track(track).clips] == ["c1"]
    assert snapshot.part_names == {1: "Intro"}
    snapshot.add_clip(track, Clip("c3", "m", "move", 4.0, 0.0, 1.0))
    assert len(heard) == 1 and "c3" not in {c.id for c in project.track(track).clips}
