from __future__ import annotations

import csv
import io
import itertools
import json
import os
from pathlib import Path

import numpy as np
import pytest
from audio_synth import SR, click_times, render

from inference.audio.analysis import SongAnalysis, analyze_song, with_grid
from inference.audio.decode import AudioClip
from inference.audio.export import (
    JSON_KEYS,
    analysis_to_json_dict,
    write_audacity_labels,
    write_count_sheet_html,
    write_csv,
    write_json,
)
from inference.audio.grid import set_count_one
from inference.jobs import Progress


@pytest.fixture(scope="module")
def song() -> SongAnalysis:
    """A 66 s A-B-A-B song: A is drums only, B adds a loud, bright pad.

    The drums are unaccented, so the grid is counted from its first beat (0.5 s): parts start at
    0.5 + 4k s, and B holds 16.5-32.5 s and 48.5-64.5 s.
    """
    truth = click_times([(120.0, 66.0)], start=0.5)
    y = render(truth, meter=4, duration=66.5, accent=False).astype(np.float64)
    t = np.arange(y.size) / SR
    in_b = (((t - 0.5) // 16.0) % 2 == 1).astype(np.float64)
    pad = sum(np.sin(2 * np.pi * 466.2 * h * t) / h for h in range(1, 8))
    y += in_b * 0.15 * pad
    return analyze_song(AudioClip.from_array(y / np.max(np.abs(y)), SR))


def test_sections_tile_the_song_on_part_boundaries(song: SongAnalysis) -> None:
    secs = song.sections
    assert secs[0].start == 0.0 and secs[-1].end == pytest.approx(song.duration)
    assert all(a.end == b.start for a, b in itertools.pairwise(secs))
    part_starts = {p.start for p in song.parts}
    assert all(s.start in part_starts for s in secs[1:])
    # The A/B changes every 16 s are found, on the right part.
    for edge in (16.5, 32.5, 48.5):
        assert min(abs(s.start - edge) for s in secs[1:]) <= 0.1
    labels = [s.label for s in secs]
    bases = [label.rsplit(" ", 1)[0] if label[-1].isdigit() else label for label in labels]
    assert len(set(bases)) < len(bases), f"repeats should share a label: {labels}"


def test_energy_is_per_beat_and_higher_in_the_loud_sections(song: SongAnalysis) -> None:
    e = np.asarray(song.energy)
    b = np.asarray(song.grid.beats)
    assert e.shape == b.shape and e.min() >= 0.0 and e.max() <= 1.0
    loud = (((b - 0.5) // 16.0) % 2 == 1) & ((b - 0.5) % 16.0 > 2.0)
    assert e[loud].mean() > e[~loud].mean() + 0.3


def test_with_grid_rederives_parts(song: SongAnalysis) -> None:
    edited = with_grid(song, set_count_one(song.grid, 1))
    assert edited.parts[0].first_beat == 1
    assert len(edited.energy) == len(edited.grid.beats)


def test_json_has_exactly_the_cli_keys(song: SongAnalysis, tmp_path: Path) -> None:
    d = analysis_to_json_dict(song)
    assert tuple(d) == JSON_KEYS
    assert set(d["parts"][0]) == {"index", "start", "end"}
    assert set(d["sections"][0]) == {"label", "start", "end"}
    path = write_json(song, tmp_path / "out.json")
    loaded = json.loads(path.read_text())
    assert loaded == json.loads(json.dumps(d))
    assert loaded["meter"] == 4 and loaded["beats"][0] < loaded["beats"][1]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_csv_tables_parse(song: SongAnalysis, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(write_csv(song, tmp_path / "b.csv").read_text())))
    assert len(rows) == len(song.grid.beats)
    assert float(rows[0]["time"]) == pytest.approx(song.grid.beats[0], abs=1e-6)
    parts = list(
        csv.DictReader(io.StringIO(write_csv(song, tmp_path / "p.csv", "parts").read_text()))
    )
    assert [int(r["part"]) for r in parts] == [p.index for p in song.parts]
    secs = list(
        csv.DictReader(io.StringIO(write_csv(song, tmp_path / "s.csv", "sections").read_text()))
    )
    assert [r["section"] for r in secs] == [s.label for s in song.sections]
    with pytest.raises(ValueError):
        write_csv(song, tmp_path / "x.csv", "bogus")


def test_audacity_labels_format(song: SongAnalysis, tmp_path: Path) -> None:
    lines = write_audacity_labels(song, tmp_path / "labels.txt").read_text().splitlines()
    assert len(lines) == len(song.sections) + len(song.parts) + len(song.grid.beats)
    for line in lines:
        start, end, label = line.split("\t")
        assert len(start.split(".")[1]) == 6 and len(end.split(".")[1]) == 6
        assert float(start) <= float(end) and label
    assert lines[len(song.sections)].endswith("\tPart 1")


def test_count_sheet_lists_parts_and_sections(song: SongAnalysis, tmp_path: Path) -> None:
    text = write_count_sheet_html(song, tmp_path / "sheet.html", title="A&B").read_text()
    assert text.startswith("<!DOCTYPE html>") and "A&amp;B" in text
    assert all(f"Part {p.index}<" in text for p in song.parts)
    assert all(s.label in text for s in song.sections)


def test_job_reports_progress_up_to_100() -> None:
    from inference.audio.analysis import analyze_song_job

    clip = AudioClip.from_array(render(click_times([(120.0, 10.0)])), SR)
    job = analyze_song_job(clip)
    seen: list[Progress] = []
    try:
        while True:
            seen.append(next(job))
    except StopIteration as stop:
        result = stop.value
    assert [p.percent for p in seen] == sorted(p.percent for p in seen)
    assert seen[-1].percent == 100 and result.grid.beats


def test_unrepeated_sections_never_look_like_repeats() -> None:
    from inference.audio.sections import name_clusters

    # Seven segments unlike each other: none may be numbered as if it were a repeat.
    labels = name_clusters(list(range(7)), list(np.linspace(0.2, 0.8, 7)))
    assert labels[0] == "Intro" and labels[-1] == "Outro"
    assert len(set(labels)) == 7
    assert not any(label[-1].isdigit() for label in labels)
    assert "Chorus" not in labels


def test_renamed_parts_reach_the_labels_and_the_count_sheet_with_their_moves(
    song: SongAnalysis, tmp_path: Path
) -> None:
    names = {2: "Arm wave"}
    labels = write_audacity_labels(song, tmp_path / "l.txt", names).read_text().splitlines()
    parts = [line.split("\t")[2] for line in labels if "\tPart" in line or "Arm" in line]
    assert parts[:3] == ["Part 1", "Arm wave", "Part 3"]
    moves = {2: ("side slide", "hip sway", "knee pop")}
    sheet = write_count_sheet_html(song, tmp_path / "s.html", "x", names, moves).read_text()
    assert "<td>Arm wave</td>" in sheet and "<td>Part 2</td>" not in sheet
    assert "side slide · hip sway · knee pop" in sheet


def test_exports_get_the_permissions_of_the_users_umask(song: SongAnalysis, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        mode = write_audacity_labels(song, tmp_path / "l.txt").stat().st_mode & 0o777
        assert mode == 0o644  # not the owner-only 0o600 of a temporary file
        os.umask(0o002)
        mode = write_count_sheet_html(song, tmp_path / "s.html").stat().st_mode & 0o777
        assert mode == 0o664
    finally:
        os.umask(old)
