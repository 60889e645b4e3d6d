"""Part and section edits, and how parts and sections follow an edited beat grid."""

from __future__ import annotations

import numpy as np
import pytest

from app.model.derive import (
    merge_parts,
    merge_sections,
    names_after_merge,
    names_after_split,
    parts_follow_grid,
    rename_section,
    split_part,
    split_section,
)
from inference.audio import Section, derive_parts, insert_beat, make_grid


def _grid(n: int = 40) -> object:
    return make_grid((0.5 + 0.5 * np.arange(n)).tolist(), 4, 0, 0.5 * n + 1.0)


def test_merge_then_split_restores_the_parts() -> None:
    grid = _grid()
    parts = derive_parts(grid)  # type: ignore[arg-type]
    merged = merge_parts(parts, 2)
    assert len(merged) == len(parts) - 1
    assert merged[1].start == parts[1].start and merged[1].end == parts[2].end
    assert merged[1].n_beats == 16
    assert [p.index for p in merged] == list(range(1, len(merged) + 1))
    assert split_part(merged, grid, 2, parts[2].first_beat) == parts  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="inside"):
        split_part(parts, grid, 1, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no next part"):
        merge_parts(parts, len(parts))


def test_part_names_follow_merges_and_splits() -> None:
    names = {1: "Intro", 3: "Hook", 4: "Drop"}
    assert names_after_merge(names, 2) == {1: "Intro", 2: "Hook", 3: "Drop"}
    assert names_after_split(names, 1) == {1: "Intro", 4: "Hook", 5: "Drop"}


def test_automatic_parts_are_rederived_and_edited_parts_kept() -> None:
    grid = _grid()
    edited_grid = insert_beat(grid, 0.75)  # type: ignore[arg-type]
    automatic = derive_parts(grid)  # type: ignore[arg-type]
    assert parts_follow_grid(automatic, grid, edited_grid) == derive_parts(edited_grid)  # type: ignore[arg-type]
    merged = merge_parts(automatic, 1)
    kept = parts_follow_grid(merged, grid, edited_grid)  # type: ignore[arg-type]
    assert [(p.start, p.end) for p in kept] == [(p.start, p.end) for p in merged]
    assert kept[1].first_beat == merged[1].first_beat + 1  # one more beat before it now


def test_section_edits() -> None:
    parts = derive_parts(_grid())  # type: ignore[arg-type]
    sections = (
        Section("Intro", 0.0, parts[2].start, 1, 2),
        Section("Verse", parts[2].start, 21.0, 3, 3),
    )
    split = split_section(sections, parts, 1, parts[3].start + 0.1)
    assert [s.label for s in split] == ["Intro", "Verse", "Verse (2)"]
    assert split[1].end == parts[3].start and split[2].first_part == 4
    assert split[1].n_parts + split[2].n_parts == 3
    assert merge_sections(split, 1) == sections
    assert rename_section(sections, 0, " Opening ")[0].label == "Opening"
    with pytest.raises(ValueError, match="name"):
        rename_section(sections, 0, " ")


def test_moves_are_named_as_a_choreographer_writes_them() -> None:
    from app.model.routine import move_label

    assert move_label("hip_sway (mirror)") == "hip sway"
    assert move_label("street gJS_sBM_cAll_d01_mJS3_ch02_slice7 b8+2 (mirror)") == "street mocap"
    assert move_label("salsa 60_01 b2+4") == "salsa mocap"
