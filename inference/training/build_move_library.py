"""Rebuild ``resources/motion_library/`` from the real mocap and the authored vocabulary.

Usage::

    python -m inference.training.build_move_library [--data ../shared/data] [--out DIR]

Only the CMU salsa takes are used (CMU: free for research and commercial use); the Bandai and
Tang data are non-commercial or research-only and are never copied into ``resources/``.
Salsa is danced at 160..200 BPM, so its kinematic beats are searched between 0.3 and 0.45 s.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from inference.generate.library import (
    LIBRARY_DIR,
    Clip,
    MoveLibrary,
    authored_clip,
    clip_from_motion,
    cut_units,
    rerank,
    save_library,
)
from inference.generate.vocabulary import MOVES
from inference.motion import load_motion

SALSA_PERIOD_S = (0.3, 0.45)
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def build(data: Path) -> MoveLibrary:
    """The library: every CMU salsa take in beat time, then every authored move."""
    clips: list[Clip] = []
    for path in sorted((data / "motion" / "cmu_salsa").glob("*.bvh")):
        motion = load_motion(path, bone_lengths="canonical")
        take = path.stem.replace("_scaled", "")
        clips.append(
            clip_from_motion(
                motion, f"salsa {take}", "cmu", "salsa", ("salsa", "latin"), SALSA_PERIOD_S
            )
        )
    clips.extend(authored_clip(move) for move in MOVES)
    units = [u for ci in range(len(clips)) for u in cut_units(clips, ci, (1, 2, 4, 8))]
    return MoveLibrary(tuple(clips), tuple(rerank(units)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=LIBRARY_DIR)
    args = parser.parse_args(argv)
    library = build(args.data)
    save_library(library, args.out)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(
        f"{len(library.clips)} clips, {len(library.units)} units, {size / 1e6:.2f} MB in {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
