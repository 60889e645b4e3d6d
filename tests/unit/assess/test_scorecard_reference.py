"""The scorecard's real reference: the shipped file loads, a bad one is refused by name, and
the same-moves threshold still separates one routine danced twice from different moves."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from inference.assess.motion_metrics import joint_positions
from inference.assess.scorecard_figures import (
    part_length_spans,
    pose_signature,
    signature_distance,
)
from inference.assess.scorecard_reference import (
    SAME_MOVES_METRES,
    SHIPPED_FAMILIES,
    load_reference,
)
from inference.errors import BadFileError
from inference.motion import ground
from inference.motion.formats import load_motion


def test_shipped_reference_holds_only_redistributable_families() -> None:
    reference = load_reference()
    assert set(SHIPPED_FAMILIES) <= set(reference.parts)
    assert not any("perfume" in f or "bandai" in f for f in reference.files)
    assert reference.real_windows.kinetic.shape[1] == 63
    assert reference.real_windows.geometric.shape[1] == 32
    knee = reference.part("knee_p90")
    assert 0 < knee.p10 < knee.median < knee.p90 and knee.n > 20
    assert reference.part("bas", "ballroom").n > 100  # the Tang dances, part by part


def test_a_damaged_reference_names_its_file(tmp_path: Path) -> None:
    bad = tmp_path / "reference.json"
    bad.write_text("{not json")
    with pytest.raises(BadFileError, match=r"reference\.json"):
        load_reference(bad)
    bad.write_text(json.dumps({"format": "something else", "version": 1}))
    with pytest.raises(BadFileError, match="not a eightcount-scorecard-reference"):
        load_reference(bad)
    with pytest.raises(BadFileError, match="cannot read"):
        load_reference(tmp_path / "missing.json")


def test_same_moves_threshold_on_two_real_dancers(shared_data: Path) -> None:
    """Perfume's aachan and kashiyuka dance one routine together: the same 4-s stretch by the
    two is within the threshold, different stretches are beyond it."""
    signatures = []
    for name in ("aachan", "kashiyuka"):
        pos = joint_positions(ground(load_motion(shared_data / f"motion/perfume/{name}.bvh")))
        signatures.append([pose_signature(pos, a, b) for a, b in part_length_spans(len(pos), 4, 4)])
    first, second = signatures
    n = min(len(first), len(second))
    same = [signature_distance(first[i], second[i]) for i in range(n)]
    other = [signature_distance(first[i], second[j]) for i in range(n) for j in range(n) if i != j]
    assert np.percentile(same, 90) < SAME_MOVES_METRES < np.percentile(other, 5)
