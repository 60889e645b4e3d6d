"""The real reference set: families, what loads, and the benchmark songs."""

from __future__ import annotations

from pathlib import Path

from inference.assess.reference import (
    FAMILIES,
    POP_STREET,
    bench_songs,
    family_files,
    load_family,
    song_label,
    tang_motion,
)


def test_every_family_has_files_and_the_walks_are_left_out(shared_data: Path) -> None:
    assert set(POP_STREET) <= set(FAMILIES)
    for family in FAMILIES:
        files = family_files(shared_data, family)
        assert files, family
        assert not any("walk" in p.name or p.name == "005_01.bvh" for p in files), family


def test_perfume_loads_at_30_fps_and_a_bad_file_is_skipped_with_its_reason(
    shared_data: Path, tmp_path: Path
) -> None:
    dances, skipped = load_family(shared_data, "perfume")
    assert [d.name for d in dances] == ["A_test", "B_test", "C_test", "aachan", "kashiyuka"]
    assert not skipped and all(d.motion.fps == 30.0 for d in dances)
    (tmp_path / "motion" / "perfume").mkdir(parents=True)
    (tmp_path / "motion" / "perfume" / "broken.bvh").write_text("HIERARCHY\n")
    dances, skipped = load_family(tmp_path, "perfume")
    assert not dances and skipped[0][0].name == "broken.bvh" and skipped[0][1]


def test_songs_every_song_or_the_quick_three(shared_data: Path) -> None:
    every = bench_songs(shared_data)
    assert len(every) == 4 + 1 + 22 and all(p.is_file() for p in every)
    quick = bench_songs(shared_data, quick=True)
    assert len(quick) == 3 and set(quick) <= set(every)
    tang = [s for s in quick if tang_motion(s) is not None]
    assert [song_label(s) for s in tang] == ["DANCE_T_5"]
