"""The labelled real dance the style classifier learns from and is measured on, split by file.

Every file is assigned, before any training, to ``train``, ``val`` (choosing epochs, the
temperature and the uncertainty thresholds) or ``test`` (held out: only the benchmark reads
it). Files that are one performance (the two partners of a CMU salsa take, two slices of one
AIST++ take, the two Mixamo samba exports) share a ``group`` and always a split, so no test
window has a twin in training.

Licences (``../shared/data/README.md``): the shipped weights and their calibration learn only
from CMU, AIST++, Mixamo and Tang files (:data:`SHIPPABLE_SOURCES`); Bandai Namco (CC BY-NC)
and Perfume (fan-work terms) appear only as held-out test files and probes.

Classes, and what was merged because there was too little data:

* ``ballroom``: Tang's cha-cha, rumba, tango and waltz (tango has one file, so the four
  dances are one class), and Mixamo's rumba as a held-out file from another source.
* ``salsa/samba``: CMU salsa (three takes, each two partners) and Mixamo's salsa and samba;
  samba has a single performance, so it joins salsa as Latin social dance.
* ``hip-hop/street``: Mixamo's locking, tutting, waving, hip-hop, running man, twerk, uprock,
  breaking and flair, and the AIST++ slices (break, street jazz, krump, LA hip-hop).
* ``modern/ballet``: CMU subject 05 (pirouettes, arabesques, jetes) and CMU 55_01.
* ``swing/twist``: Mixamo's swing, twist and Northern Soul: one file each, so one class of
  retro social dance (no validation file is left for it).
* ``non-dance``: walking. CMU 05_01 trains it; the Bandai walk is its held-out test.

Not trained, left to the few-shot user styles: pop / idol (its only data, Perfume, may not go
into shipped weights), and K-pop's girl crush, ballad and conceptual. :data:`PROBES` lists real
dances of no class, to see what the classifier says about styles it does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inference.motion.motion import CANONICAL_FPS, Motion
from inference.motion.resample import resample
from inference.motion.skeleton import CANONICAL

STYLES = ("ballroom", "salsa/samba", "hip-hop/street", "modern/ballet", "swing/twist", "non-dance")
"""The shipped classifier's classes, in the order of its outputs."""
SHIPPABLE_SOURCES = frozenset({"cmu", "aistpp", "mixamo", "tang"})
"""Sources whose licences let shipped weights learn from them."""
SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class LabelledFile:
    """One real file: path under the shared data folder, style, source, performance, split."""

    path: str
    style: str
    source: str
    group: str
    split: str

    @property
    def name(self) -> str:
        """The file's stem, or the Tang folder's name."""
        p = Path(self.path)
        return p.parent.name if p.name == "skeletons.json" else p.stem


def _tang(split: str, *dances: str) -> list[LabelledFile]:
    return [
        LabelledFile(f"motion_music/tang2018/{d}/skeletons.json", "ballroom", "tang", d, split)
        for d in dances
    ]


def _files(style: str, source: str, split: str, *paths: str) -> list[LabelledFile]:
    return [LabelledFile(p, style, source, Path(p).stem, split) for p in paths]


def _cmu_pair(style: str, split: str, take: str) -> list[LabelledFile]:
    return [
        LabelledFile(
            f"motion/cmu_salsa/{s}_{take}_scaled.bvh", style, "cmu", f"salsa {take}", split
        )
        for s in ("60", "61")
    ]


def _mixamo(style: str, split: str, *stems: str) -> list[LabelledFile]:
    return _files(style, "mixamo", split, *(f"motion/mixamo/{s}.fbx" for s in stems))


def _aist(split: str, *takes: str) -> list[LabelledFile]:
    out = []
    for take in takes:
        group = take.rsplit("_slice", 1)[0]  # slices of one take are one performance
        out.append(
            LabelledFile(
                f"motion/aistpp_slices/true_{take}.csv", "hip-hop/street", "aistpp", group, split
            )
        )
    return out


def _cmu05(split: str, *trials: int) -> list[LabelledFile]:
    style = "modern/ballet"
    return _files(style, "cmu", split, *(f"motion/cmu_dance/005_{t:02d}.bvh" for t in trials))


_SAMBA = [
    LabelledFile("motion/mixamo/Samba_Dancing.fbx", "salsa/samba", "mixamo", "samba", "train"),
    # three.js's Michelle dances Mixamo's samba too: treated as the same performance.
    LabelledFile("motion/mixamo/Michelle.glb", "salsa/samba", "mixamo", "samba", "train"),
]

FILES: tuple[LabelledFile, ...] = (
    *_tang("train", "DANCE_C_2", "DANCE_C_4", "DANCE_R_2", "DANCE_R_3", "DANCE_R_4", "DANCE_T_5"),
    *_tang("train", "DANCE_W_1", "DANCE_W_10", "DANCE_W_11", "DANCE_W_12", "DANCE_W_14"),
    *_tang("train", "DANCE_W_3", "DANCE_W_4", "DANCE_W_5"),
    *_tang("val", "DANCE_C_6", "DANCE_R_5", "DANCE_W_6", "DANCE_W_15"),
    *_tang("test", "DANCE_C_7", "DANCE_R_7", "DANCE_W_7", "DANCE_W_16"),
    *_mixamo("ballroom", "test", "Rumba_Dancing"),
    *_cmu_pair("salsa/samba", "train", "01"),
    *_SAMBA,
    *_cmu_pair("salsa/samba", "val", "05"),
    *_cmu_pair("salsa/samba", "test", "13"),
    *_mixamo("salsa/samba", "test", "Salsa_Dancing"),
    *_mixamo("hip-hop/street", "train", "Locking_Hip_Hop_Dance", "Wave_Hip_Hop_Dance"),
    *_mixamo("hip-hop/street", "train", "Hip_Hop_Dancing", "Dancing_Running_Man"),
    *_mixamo("hip-hop/street", "train", "Breakdance_1990", "Flair"),
    *_aist("train", "gBR_sBM_cAll_d04_mBR0_ch02_slice0", "gJS_sBM_cAll_d01_mJS3_ch02_slice4"),
    *_aist("train", "gJS_sBM_cAll_d01_mJS3_ch02_slice7"),
    *_mixamo("hip-hop/street", "val", "Dancing_Twerk"),
    *_aist("val", "gKR_sBM_cAll_d30_mKR2_ch02_slice6"),
    *_mixamo("hip-hop/street", "test", "Tut_Hip_Hop_Dance", "Brooklyn_Uprock"),
    *_aist("test", "gLH_sBM_cAll_d18_mLH4_ch02_slice1", "gBR_sBM_cAll_d05_mBR0_ch02_slice3"),
    *_cmu05("train", 2, 3, 6, 7, 8, 9, 11, 13, 14, 16, 17, 19),
    *_files("modern/ballet", "cmu", "train", "motion/cmu_dance/55_01_cmu.fbx"),
    *_cmu05("val", 4, 12, 18),
    *_cmu05("test", 5, 10, 15, 20),
    *_mixamo("swing/twist", "train", "Swing_Dancing", "Northern_Soul_Floor_Combo"),
    *_mixamo("swing/twist", "test", "Twist_Dance"),
    *_files("non-dance", "cmu", "train", "motion/cmu_dance/005_01.bvh"),
    *_files("non-dance", "bandai", "test", "motion/bandai_namco/dataset-1_walk_normal_001.bvh"),
)
"""Every labelled file with its split (see the module notes)."""

PROBES: tuple[tuple[str, str], ...] = (
    ("motion/perfume/aachan.bvh", "pop/idol (Perfume)"),
    ("motion/perfume/kashiyuka.bvh", "pop/idol (Perfume)"),
    ("motion/perfume/A_test.bvh", "pop/idol (Perfume)"),
    ("motion/perfume/B_test.bvh", "pop/idol (Perfume)"),
    ("motion/perfume/C_test.bvh", "pop/idol (Perfume)"),
    ("motion/mixamo/Gangnam_Style.fbx", "K-pop (Mixamo)"),
    ("motion/mixamo/Chapa-Giratoria.fbx", "capoeira (Mixamo)"),
    ("motion/mixamo/mixamo.fbx", "unnamed dance (Mixamo)"),
    ("motion/bandai_namco/dataset-1_dance-short_normal_001.bvh", "mixed dance (Bandai)"),
)
"""Real dances of no class (path, what it is): the benchmark shows what the classifier says."""


def files(split: str, style: str | None = None) -> list[LabelledFile]:
    """The labelled files of ``split`` (optionally of one ``style``), in table order."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    return [f for f in FILES if f.split == split and (style is None or f.style == style)]


def authored_clips(family: str, bpm: float = 120.0) -> list[tuple[str, Motion]]:
    """(name, motion) of every authored move of one vocabulary family, danced at ``bpm``.

    Each clip is the move and then its mirror image (as a choreographer drills a move to
    both sides), so even a 4-count move spans more than one window. Our own authored moves:
    the few-shot tests and benchmark use the families as user styles the network never saw.
    """
    from inference.generate.beat_time import SAMPLES_PER_BEAT
    from inference.generate.library import authored_clip
    from inference.generate.vocabulary import IDLE_MOVES, MOVES
    from inference.motion.ops import concatenate, mirror

    out = []
    for move in MOVES:
        if move.style != family or move.name in IDLE_MOVES:
            continue
        clip = authored_clip(move)
        once = Motion(CANONICAL, SAMPLES_PER_BEAT * bpm / 60.0, clip.root, clip.rotations)
        out.append((move.name, resample(concatenate(once, mirror(once)), CANONICAL_FPS)))
    return out
