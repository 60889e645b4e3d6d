"""Seam features are cached per library object, held weakly (issue 10: the cache was keyed
by ``id(library)``, so a recycled id could hand one library another's features)."""

from __future__ import annotations

import gc

from inference.generate import load_library, seams
from inference.generate.library import MoveLibrary


def test_each_library_gets_its_own_features_and_a_dropped_one_leaves_the_cache() -> None:
    full = load_library()
    seams.seam_features(full)
    before = len(seams._CACHE)
    for n_units in (40, 60, 80):
        # A fresh library object per round: after `del`, CPython tends to reuse its id.
        part = MoveLibrary(full.clips, full.units[:n_units])
        features = seams.seam_features(part)
        assert features.start.shape[0] == n_units
        assert seams.seam_features(part) is features  # computed once per object
        del part, features
        gc.collect()
        assert len(seams._CACHE) == before  # the library is gone: so are its features
    assert seams.seam_features(full).start.shape[0] == len(full.units)
