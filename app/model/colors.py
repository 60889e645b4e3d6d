"""Dancer colours, shared by the 3D viewport and the timeline's clip lanes so they match."""

from __future__ import annotations

from collections.abc import Sequence

from app.model.document import Track

# Distinct, saturated-but-soft colours that read well on the dark stage and on each other.
PALETTE: tuple[str, ...] = (
    "#4fc3f7",  # sky blue (the model's default track colour comes first)
    "#ff8a65",  # coral
    "#aed581",  # lime
    "#ba68c8",  # orchid
    "#ffd54f",  # amber
    "#4db6ac",  # teal
    "#f06292",  # pink
    "#90a4ae",  # slate
)


def dancer_hex_colors(tracks: Sequence[Track]) -> list[str]:
    """One ``#rrggbb`` colour per dancer track: its own, unless an earlier dancer wears it.

    New tracks all start with the model's default colour, so without this a group routine
    would be one blue crowd; a repeated colour is replaced by the first unused palette one.
    """
    used: set[str] = set()
    out = []
    for track in tracks:
        color = track.color.lower()
        if color in used:
            color = next((c for c in PALETTE if c not in used), color)
        used.add(color)
        out.append(color)
    return out
