"""Pure edits of parts and sections, and the rule for how they follow an edited beat grid.

The rule
--------
Parts and sections are *derived* from the beat grid until the user edits them by hand:

* Parts count as automatic while they equal :func:`inference.audio.derive_parts` of the grid.
  When the grid changes, automatic parts are derived afresh; parts the user merged or split are
  kept at their times and only re-anchored on the new beats (:func:`reanchor_parts`).
* Sections count as automatic while they equal the sections the analysis derived for the grid.
  When the grid changes, automatic sections are replaced by the analysis's new ones; sections the
  user renamed, merged or split are kept and re-anchored on the parts.
* Part names live apart from the parts (``Project.part_names``, by part index), so renaming a
  part never makes the parts "edited".

No function here touches a project: commands compute new values with them and then set them
through the project's primitives, so undo stays a swap of whole values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from inference.audio.grid import BeatGrid, Part, derive_parts
from inference.audio.sections import Section

if TYPE_CHECKING:
    from app.model.document import Clip
    from app.model.project import Project

_EPS = 1e-6


def beat_span(grid: BeatGrid, start: float, end: float) -> tuple[int, int]:
    """Index of the first beat at or after ``start``, and how many beats lie before ``end``."""
    beats = np.asarray(grid.beats, dtype=np.float64)
    first = int(np.searchsorted(beats, start - _EPS))
    last = int(np.searchsorted(beats, end - _EPS))
    return first, max(0, last - first)


def reanchor_parts(parts: Sequence[Part], grid: BeatGrid) -> tuple[Part, ...]:
    """``parts`` at their times, with their beat indices recomputed for ``grid``."""
    return tuple(replace(p, **_span_fields(grid, p.start, p.end)) for p in parts)


def _span_fields(grid: BeatGrid, start: float, end: float) -> dict[str, int]:
    first, count = beat_span(grid, start, end)
    return {"first_beat": first, "n_beats": count}


def _renumber(parts: Sequence[Part]) -> tuple[Part, ...]:
    return tuple(replace(p, index=i + 1) for i, p in enumerate(parts))


def merge_parts(parts: Sequence[Part], index: int) -> tuple[Part, ...]:
    """Merge part ``index`` (1-based) with the part after it; later parts are renumbered.

    Raises
    ------
    ValueError
        There is no part after ``index``.
    """
    i = index - 1
    if not 0 <= i < len(parts) - 1:
        raise ValueError(f"part {index} has no next part to merge with")
    a, b = parts[i], parts[i + 1]
    merged = replace(a, end=b.end, n_beats=a.n_beats + b.n_beats)
    return _renumber([*parts[:i], merged, *parts[i + 2 :]])


def split_part(parts: Sequence[Part], grid: BeatGrid, index: int, beat: int) -> tuple[Part, ...]:
    """Split part ``index`` (1-based) so that grid beat ``beat`` starts a new part.

    Raises
    ------
    ValueError
        ``beat`` is not inside the part, or is its first beat.
    """
    i = index - 1
    if not 0 <= i < len(parts):
        raise ValueError(f"there is no part {index}")
    part = parts[i]
    if not part.first_beat < beat < part.first_beat + part.n_beats:
        raise ValueError(f"beat {beat + 1} does not lie inside part {index} after its start")
    at = grid.beats[beat]
    left = replace(part, end=at, n_beats=beat - part.first_beat)
    right = replace(part, start=at, first_beat=beat, n_beats=part.first_beat + part.n_beats - beat)
    return _renumber([*parts[:i], left, right, *parts[i + 1 :]])


def names_after_merge(names: Mapping[int, str], index: int) -> dict[int, str]:
    """Part names after :func:`merge_parts` of ``index``: later names move down by one.

    The merged part keeps its own name, or takes the second part's when it had none.
    """
    out = {k if k <= index else k - 1: v for k, v in names.items() if k != index + 1}
    if index not in out and index + 1 in names:
        out[index] = names[index + 1]
    return out


def names_after_split(names: Mapping[int, str], index: int) -> dict[int, str]:
    """Part names after :func:`split_part` of ``index``: later names move up by one."""
    return {k if k <= index else k + 1: v for k, v in names.items()}


def parts_follow_grid(
    parts: Sequence[Part], old_grid: BeatGrid, new_grid: BeatGrid
) -> tuple[Part, ...]:
    """The parts after the grid changed from ``old_grid`` to ``new_grid`` (see the rule)."""
    if tuple(parts) == derive_parts(old_grid):
        return derive_parts(new_grid)
    return reanchor_parts(parts, new_grid)


def sections_follow(
    sections: Sequence[Section],
    automatic_before: Sequence[Section],
    automatic_after: Sequence[Section],
    parts: Sequence[Part],
) -> tuple[Section, ...]:
    """The sections after a grid edit: the new automatic ones, unless the user edited them."""
    if tuple(sections) == tuple(automatic_before):
        return tuple(automatic_after)
    return reanchor_sections(sections, parts)


def reanchor_sections(sections: Sequence[Section], parts: Sequence[Part]) -> tuple[Section, ...]:
    """``sections`` at their times, with their part numbers recomputed for ``parts``."""
    out = []
    for s in sections:
        inside = [p.index for p in parts if s.start - _EPS <= p.start < s.end - _EPS]
        out.append(replace(s, first_part=inside[0] if inside else 0, n_parts=len(inside)))
    return tuple(out)


def rename_section(sections: Sequence[Section], position: int, label: str) -> tuple[Section, ...]:
    """Section number ``position`` (0-based, in time order) relabelled ``label``."""
    if not label.strip():
        raise ValueError("a section needs a name")
    out = list(sections)
    out[position] = replace(out[position], label=label.strip())
    return tuple(out)


def merge_sections(sections: Sequence[Section], position: int) -> tuple[Section, ...]:
    """Section ``position`` (0-based) joined with the next one; it keeps its own label."""
    if not 0 <= position < len(sections) - 1:
        raise ValueError("the last section has no next section to merge with")
    a, b = sections[position], sections[position + 1]
    merged = replace(a, end=b.end, n_parts=a.n_parts + b.n_parts)
    return (*sections[:position], merged, *sections[position + 2 :])


def split_section(
    sections: Sequence[Section], parts: Sequence[Part], position: int, at: float
) -> tuple[Section, ...]:
    """Split section ``position`` (0-based) at the part start nearest ``at``.

    Sections are whole parts, so the cut snaps to a part boundary inside the section.

    Raises
    ------
    ValueError
        The section holds no part start after its own start to cut at.
    """
    section = sections[position]
    starts = [p for p in parts if section.start + _EPS < p.start < section.end - _EPS]
    if not starts:
        raise ValueError(f"{section.label} is a single part and cannot be split")
    cut = min(starts, key=lambda p: abs(p.start - at))
    left = replace(section, end=cut.start, n_parts=cut.index - section.first_part)
    right = Section(
        f"{section.label} (2)",
        cut.start,
        section.end,
        cut.index,
        section.n_parts - left.n_parts,
    )
    return (*sections[:position], left, right, *sections[position + 1 :])


def renamed_part_clips(project: Project, part: Part, name: str) -> list[tuple[str, Clip]]:
    """The clips that follow part ``part`` being renamed ``name``, as (track id, new clip).

    A clip follows its part when it carries the part's current label ("Part 4", as a routine
    names its clips) and lies within the part: renaming the part renames the dancer's clip.
    """
    old = project.part_label(part)
    return [
        (track.id, replace(clip, name=name))
        for track in project.dancer_tracks()
        for clip in track.clips
        if clip.name == old
        and clip.start >= part.start - _EPS
        and clip.end <= part.end + _EPS
        and name != old
    ]
