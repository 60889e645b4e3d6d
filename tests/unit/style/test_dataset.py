"""The labelled split: licence-clean training, no performance on both sides, real files."""

from __future__ import annotations

import json
from pathlib import Path

from inference.style.dataset import FILES, PROBES, SHIPPABLE_SOURCES, STYLES, files
from inference.style.model import META_PATH


def test_only_licence_clean_sources_train_or_calibrate() -> None:
    for split in ("train", "val"):
        for f in files(split):
            assert f.source in SHIPPABLE_SOURCES, f"{f.path} ({f.source}) may not ship"
    for f in FILES:
        assert "perfume" not in f.path and ("bandai" not in f.path or f.split == "test")


def test_the_shipped_weights_learnt_from_exactly_the_training_files() -> None:
    doc = json.loads(META_PATH.read_text())
    assert [d["path"] for d in doc["trained_on"]] == [f.path for f in files("train")]
    assert [d["path"] for d in doc["calibrated_on"]] == [f.path for f in files("val")]
    assert {d["source"] for d in doc["trained_on"] + doc["calibrated_on"]} <= SHIPPABLE_SOURCES
    assert doc["styles"] == list(STYLES)


def test_a_performance_never_spans_two_splits_and_every_class_is_tested() -> None:
    split_of: dict[str, str] = {}
    for f in FILES:
        assert split_of.setdefault(f.group, f.split) == f.split, f.group
        assert f.style in STYLES
    for style in STYLES:
        assert files("train", style) and files("test", style), style
    assert len({f.path for f in FILES}) == len(FILES)


def test_every_listed_file_is_in_the_shared_data(shared_data: Path) -> None:
    missing = [p for p in [f.path for f in FILES] + [p for p, _ in PROBES]
               if not (shared_data / p).is_file()]  # fmt: skip
    assert not missing
