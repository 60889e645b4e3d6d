"""The real dance the metrics are read against, grouped by family, and the benchmark songs.

DESIGN.md: the ground truth for "as good as real dance" is the same metric on the real mocap in
``../shared/data``. Families (a glob each, relative to that folder):

=============  ======================  ====================================================
family         kind                    files
=============  ======================  ====================================================
perfume        pop / J-pop idol        ``motion/perfume/*.bvh``
mixamo         street / pop            ``motion/mixamo/*.fbx``, ``*.glb``
aistpp         street                  ``motion/aistpp_slices/*.csv``
cmu_salsa      salsa                   ``motion/cmu_salsa/*.bvh``
cmu_modern     modern                  ``motion/cmu_dance/*.bvh`` (not the 05_01 walk), ``*.fbx``
tang           ballroom                ``motion_music/tang2018/*/skeletons.json``
bandai         (mixed)                 ``motion/bandai_namco/*dance*.bvh``
=============  ======================  ====================================================

:data:`POP_STREET` (Perfume, Mixamo, AIST++) is the "real pop and street" set that FID is
measured against. A file whose format the importers do not read yet is reported as skipped
with its reason, so a benchmark runs now and covers more as importers land.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from inference.errors import BadFileError, UserFacingError
from inference.motion.formats import load_motion
from inference.motion.motion import Motion
from inference.motion.ops import LOOSE_TPOSE_DEG, drop_leading_tpose, is_tpose

FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "perfume": ("pop/idol", ("motion/perfume/*.bvh",)),
    "mixamo": ("street/pop", ("motion/mixamo/*.fbx", "motion/mixamo/*.glb")),
    "aistpp": ("street", ("motion/aistpp_slices/*.csv",)),
    "cmu_salsa": ("salsa", ("motion/cmu_salsa/*.bvh",)),
    "cmu_modern": ("modern", ("motion/cmu_dance/*.bvh", "motion/cmu_dance/*.fbx")),
    "tang": ("ballroom", ("motion_music/tang2018/*/skeletons.json",)),
    "bandai": ("mixed", ("motion/bandai_namco/*dance*.bvh",)),
}
"""Family name to (kind, globs relative to the shared data folder)."""
POP_STREET = ("perfume", "mixamo", "aistpp")
_NOT_DANCE = {"005_01.bvh"}  # CMU subject 05's walk
QUICK_SONGS = (
    "audio/Kevin_MacLeod_-_Vibe_Ace.ogg",
    "audio/admiralbob77_-_Choice_-_Drum-bass.ogg",
    "motion_music/tang2018/DANCE_T_5/audio.mp3",
)
"""The --quick subset: electronic pop, hip-hop drum and bass, and a tango with its dancer."""


@dataclass(frozen=True, eq=False)
class RealDance:
    """One loaded real dance."""

    family: str
    path: Path
    motion: Motion

    @property
    def name(self) -> str:
        """The file's stem, or the Tang folder's name."""
        return self.path.parent.name if self.path.name == "skeletons.json" else self.path.stem


def family_files(data: Path, family: str) -> list[Path]:
    """The files of ``family`` under the shared data folder ``data``, in name order."""
    _, globs = FAMILIES[family]
    found = sorted({p for g in globs for p in data.glob(g)})
    return [p for p in found if p.name not in _NOT_DANCE]


def load_family(data: Path, family: str) -> tuple[list[RealDance], list[tuple[Path, str]]]:
    """The dances of ``family`` that load, and (path, reason) for each that does not."""
    dances: list[RealDance] = []
    skipped: list[tuple[Path, str]] = []
    for path in family_files(data, family):
        try:
            # Every Perfume file starts with a T-pose at the origin, one frame before the
            # dancer's first pose metres away: a 40-110 m/s jump that no dancer makes, which
            # alone gave window 0 the highest kinetic energy of the whole real set.
            motion = drop_leading_tpose(load_motion(path))
            # Two AIST++ slices stand in a loose T-pose for 90 % of their frames: the capture's
            # calibration pose, not dance (the move library leaves such windows out too).
            if is_tpose(motion, LOOSE_TPOSE_DEG).mean() > 0.5:
                skipped.append((path, "a T-pose for most of it, not a dance"))
                continue
            dances.append(RealDance(family, path, motion))
        except BadFileError as error:
            skipped.append((path, error.problem))
        except (UserFacingError, ValueError, KeyError, OSError) as error:
            skipped.append((path, str(error)))
    return dances, skipped


def bench_songs(data: Path, quick: bool = False) -> list[Path]:
    """Every song: the ``audio/*.ogg``, the ballroom waltz, and every Tang song (or the subset)."""
    if quick:
        return [data / s for s in QUICK_SONGS]
    return [
        *sorted((data / "audio").glob("*.ogg")),
        *sorted((data / "beats" / "ballroom").glob("*.wav")),
        *sorted((data / "motion_music" / "tang2018").glob("*/audio.mp3")),
    ]


def song_label(song: Path) -> str:
    """A short name: the Tang folder, or the file's stem."""
    return song.parent.name if song.name == "audio.mp3" else song.stem[:28]


def tang_motion(song: Path) -> Path | None:
    """The real Tang dance recorded to ``song``, if it is a Tang song."""
    path = song.parent / "skeletons.json"
    return path if song.name == "audio.mp3" and path.is_file() else None


def pooled(dances: Sequence[RealDance], families: Sequence[str]) -> list[RealDance]:
    """The dances of the named families."""
    return [d for d in dances if d.family in families]
