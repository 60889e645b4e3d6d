"""Rebuild ``resources/scorecard_reference.json``: the scorecard's real-dance ranges.

    python -m inference.training.build_scorecard_reference [--data ../shared/data]

About a minute (it analyses the Tang songs to find their parts). See
:mod:`inference.assess.scorecard_reference` for what is measured and which families ship.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from inference.assess.scorecard_reference import GROUPS, REFERENCE_PATH, measure_real
from inference.files import write_text_atomic


def main(argv: Sequence[str] | None = None) -> None:
    """Rebuild ``resources/scorecard_reference.json`` from ``../shared/data``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=REFERENCE_PATH)
    args = parser.parse_args(argv)
    reference = measure_real(args.data)
    write_text_atomic(args.out, json.dumps(reference.to_json(), separators=(",", ":")))
    for group in GROUPS:
        print(group)
        for key, r in reference.parts[group].items():
            print(
                f"  {key:14s} p10 {r.p10:9.4f}  median {r.median:9.4f}  p90 {r.p90:9.4f}  n {r.n}"
            )
    print(
        "whole dances, FID against the others:",
        reference.whole["pop_street"]["fid_k"],
        reference.whole["pop_street"]["fid_g"],
        "windows",
        reference.real_windows.n,
    )


if __name__ == "__main__":
    main()
