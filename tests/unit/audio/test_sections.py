"""Sections of a song whose form is known: assembled from a real recording (see
``tests/benchmarks/section_set.py``), Intro A B A B C B Outro in two-part sections."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from inference.audio.analysis import SongAnalysis, analyze_song
from inference.audio.sections import name_clusters

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import section_set

RAGTIME = "audio/442789__lena-orsa__happy-music-pistachio-ice-cream-ragtime.ogg"
FORM = [("I", 0), ("A", 7), ("B", 4), ("A", 7), ("B", 4), ("C", 14), ("B", 4), ("O", 19)]
"""(label, first part of the passage in the source); every section is two parts (4 bars)."""


@pytest.fixture(scope="module")
def assembled(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[section_set.AssembledSong, SongAnalysis]:
    spec = section_set.SongSpec(
        "ragtime_form", RAGTIME, tuple(section_set.Segment(x, a, 2) for x, a in FORM)
    )
    song = section_set.assemble(spec)
    return song, analyze_song(song.write(tmp_path_factory.mktemp("sections")))


def test_sections_start_where_the_form_changes(
    assembled: tuple[section_set.AssembledSong, SongAnalysis],
) -> None:
    song, analysis = assembled
    starts = [s.start for s in analysis.sections]
    truth = song.intervals[:, 0].tolist()
    assert len(starts) == len(truth), [s.label for s in analysis.sections]
    assert starts == pytest.approx(truth, abs=0.1)


def test_the_passage_heard_most_is_the_chorus(
    assembled: tuple[section_set.AssembledSong, SongAnalysis],
) -> None:
    labels = [s.label for s in assembled[1].sections]
    assert labels == [
        "Intro", "Verse", "Chorus", "Verse 2", "Chorus 2", "Bridge", "Chorus 3", "Outro",
    ]  # fmt: skip


def test_chorus_only_for_repeats() -> None:
    # One repeated label (cluster 1, twice) among one-offs: only it may be the chorus.
    assert name_clusters([0, 1, 2, 1, 3], [0.2, 0.5, 0.9, 0.5, 0.3]) == [
        "Intro", "Chorus", "Bridge", "Chorus 2", "Outro",
    ]  # fmt: skip
    # Of two repeated labels the one heard more often is the chorus, though quieter.
    assert name_clusters([0, 1, 2, 1, 2, 1], [0.1, 0.4, 0.9, 0.4, 0.9, 0.4])[1] == "Chorus"
    # On a tie, the louder one.
    assert name_clusters([1, 2, 1, 2], [0.3, 0.8, 0.3, 0.8]) == [
        "Verse", "Chorus", "Verse 2", "Chorus 2",
    ]  # fmt: skip


def test_an_outro_that_brings_back_the_intro_is_no_chorus() -> None:
    assert name_clusters([0, 1, 2, 1, 2, 0], [0.9, 0.3, 0.5, 0.3, 0.5, 0.9]) == [
        "Intro", "Verse", "Chorus", "Verse 2", "Chorus 2", "Outro",
    ]  # fmt: skip
