"""Rebuild ``resources/motion_library/`` from the real mocap and the authored vocabulary.

Usage::

    python -m inference.training.build_move_library [--data ../shared/data] [--out DIR]

What ships, and why it may (see ``resources/ATTRIBUTION.md``):

* CMU salsa (subjects 60/61) as ``salsa`` and CMU subject 05's modern-dance trials as ``modern``
  (CMU: free for all uses, may ship inside a product);
* the AIST++ slices (break, street jazz, krump, LA hip-hop; CC BY 4.0) as ``hip-hop`` street
  moves;
* the authored vocabulary (:mod:`inference.generate.vocabulary`), in its five K-pop families.

Perfume, Mixamo, Tang and Bandai are reference and test data only and never go into
``resources/``. Salsa is danced at 160..200 BPM, so its kinematic beats are searched between 0.3
and 0.45 s; an AIST++ slice's music tempo is in its name (``mBR0`` is 80 BPM, each step of the
digit 10 BPM more), so its beats are searched within 10 % of that beat period.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from inference.generate.library import (
    LIBRARY_DIR,
    LibraryClip,
    MoveLibrary,
    authored_clip,
    clip_from_motion,
    cut_units,
    rerank,
    save_library,
)
from inference.generate.vocabulary import MOVES
from inference.motion import load_motion
from inference.motion.ops import drop_leading_tpose

SALSA_PERIOD_S = (0.3, 0.45)
MODERN_PERIOD_S = (0.45, 0.9)
"""CMU subject 05 dances without music: its phrases breathe at a slow count."""
MODERN_TRIALS = (*(f"005_{i:02d}.bvh" for i in range(2, 21)), "55_01_cmu.fbx")
"""Subject 05's dance trials (05_01 is a walk) and 55_01, "dance, whirl"."""
AIST_GENRES = {
    "gBR": "break", "gJS": "jazz", "gKR": "krump", "gLH": "hiphop", "gPO": "pop",
    "gLO": "lock", "gWA": "wave", "gMH": "hiphop", "gHO": "house", "gJB": "ballet",
}  # fmt: skip


def aist_tempo(stem: str) -> float:
    """Music tempo (BPM) of an AIST++ take from its name's music id (``mBR0`` -> 80 BPM)."""
    music = next(part for part in stem.split("_") if part.startswith("m") and part[-1].isdigit())
    return 80.0 + 10.0 * int(music[-1])


DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def build(data: Path) -> MoveLibrary:
    """The library: every CMU salsa take in beat time, then every authored move."""
    clips: list[LibraryClip] = []
    for path in sorted((data / "motion" / "cmu_salsa").glob("*.bvh")):
        motion = load_motion(path, bone_lengths="canonical")
        take = path.stem.replace("_scaled", "")
        clips.append(
            clip_from_motion(
                motion, f"salsa {take}", "cmu", "salsa", ("salsa", "latin"), SALSA_PERIOD_S
            )
        )
    for trial in MODERN_TRIALS:
        motion = drop_leading_tpose(load_motion(data / "motion" / "cmu_dance" / trial))
        labels = ("modern", "smooth", "lyrical")
        name = f"modern {Path(trial).stem}"
        clips.append(clip_from_motion(motion, name, "cmu", "modern", labels, MODERN_PERIOD_S))
    for path in sorted((data / "motion" / "aistpp_slices").glob("*.csv")):
        period = 60.0 / aist_tempo(path.stem)
        genre = path.stem.split("_")[1]
        name = f"street {path.stem.removeprefix('true_')}"
        labels = ("street", "hiphop", AIST_GENRES[genre])
        clips.append(
            clip_from_motion(
                load_motion(path), name, "aist", "hip-hop", labels, (0.9 * period, 1.1 * period)
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
