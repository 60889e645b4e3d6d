"""The move library: clips in beat time, cut into 1-, 2-, 4- and 8-count units, each mirrored.

Shipped as ``resources/motion_library/library.npz`` (the clips' samples, float32, no pickles)
plus ``library.json`` (clips, units and their raw measures). A :class:`MotionUnit` is a view
on a clip: its samples are cut and normalised (start at x = z = 0, mean facing +Z) only when
a routine uses it, so loading stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError
from inference.generate.beat_time import SAMPLES_PER_BEAT, kinematic_beats, to_beat_time
from inference.generate.footwork import (
    GROOVE_LEVEL,
    foot_paths,
    hinge,
    keep_reach,
    pelvis_over_feet,
    pivot,
    solve_legs,
    turn_out,
    weight_shift,
)
from inference.generate.pose import interpolate_keyframes, rotations_from_poses
from inference.generate.tags import RawMeasures, measure, rank_tags
from inference.generate.vocabulary import Move
from inference.motion import quaternions as Q
from inference.motion.feet import ground
from inference.motion.motion import Motion, forward_kinematics_arrays
from inference.motion.ops import LOOSE_TPOSE_DEG, tpose_frames
from inference.motion.skeleton import CANONICAL, REST_PELVIS_HEIGHT
from inference.paths import RESOURCES_DIR

Array = NDArray[np.float64]

LIBRARY_DIR = RESOURCES_DIR / "motion_library"
FORMAT_VERSION = 3
"""2: the index lists the units with their raw measures (1 re-cut them on loading)."""
UNIT_LENGTHS = (1, 2, 4, 8)
"""Unit lengths in counts."""


@dataclass(frozen=True)
class LibraryClip:
    """A motion in beat time: ``n_beats * SAMPLES_PER_BEAT + 1`` samples."""

    name: str
    source: str
    style: str
    root: Array
    rotations: Array
    labels: tuple[str, ...] = ()

    @property
    def n_beats(self) -> int:
        """Whole beats the clip spans."""
        return int(self.root.shape[0] - 1) // SAMPLES_PER_BEAT


@dataclass(frozen=True)
class MotionUnit:
    """A unit of ``n_beats`` counts from beat ``beat`` of a clip, possibly mirrored.

    Attributes
    ----------
    name
        Unique name, e.g. ``"body_wave"``, ``"salsa 60_13 b12+4"``, ``"... (mirror)"``.
    move
        The move it shows (vocabulary name, or the clip's name).
    tags
        ``energy``, ``smoothness``, ``bounce`` in 0..1 (ranked within the library).
    """

    name: str
    move: str
    clip: int
    beat: int
    n_beats: int
    mirrored: bool
    source: str
    style: str
    focus: str
    labels: tuple[str, ...]
    raw: RawMeasures
    tags: dict[str, float] = field(default_factory=dict)


def _unit_frame(root: Array, rots: Array) -> tuple[Array, Array]:
    """Turn a unit so it faces +Z on average and start at x = z = 0."""
    yaw = Q.yaw_of(rots[:, 0])
    mean = float(np.arctan2(np.sin(yaw).mean(), np.cos(yaw).mean()))
    q = Q.about_y(-mean)
    root = Q.rotate(q, root - root[:1] * np.array([1.0, 0.0, 1.0]))
    rots = rots.copy()
    rots[:, 0] = Q.multiply(q, rots[:, 0])
    return root, rots


def _mirror_arrays(root: Array, rots: Array) -> tuple[Array, Array]:
    m = CANONICAL.mirror_indices()
    return root * np.array([-1.0, 1.0, 1.0]), rots[:, m] * np.array([1.0, 1.0, -1.0, -1.0])


@dataclass(frozen=True, eq=False)
class MoveLibrary:
    """Clips and the units cut from them; immutable (adding returns a new library)."""

    clips: tuple[LibraryClip, ...]
    units: tuple[MotionUnit, ...]

    def unit_samples(self, unit: MotionUnit) -> tuple[Array, Array]:
        """Root (S, 3) and rotations (S, J, 4) of ``unit`` in its own frame, S = n*15+1."""
        clip = self.clips[unit.clip]
        a = unit.beat * SAMPLES_PER_BEAT
        b = a + unit.n_beats * SAMPLES_PER_BEAT + 1
        root = np.asarray(clip.root[a:b], dtype=np.float64)
        rots = Q.normalize(np.asarray(clip.rotations[a:b], dtype=np.float64))
        if unit.mirrored:
            root, rots = _mirror_arrays(root, rots)
        return _unit_frame(root, rots)

    def index(self, name: str) -> int:
        """Position of the unit called ``name``."""
        for i, u in enumerate(self.units):
            if u.name == name:
                return i
        raise KeyError(name)

    def with_clip(self, clip: LibraryClip, lengths: Sequence[int] = UNIT_LENGTHS) -> MoveLibrary:
        """A new library with ``clip`` added and cut into units (tags ranked against all)."""
        clips = (*self.clips, clip)
        new = cut_units(clips, len(clips) - 1, lengths)
        units = list(self.units) + new
        return MoveLibrary(clips, tuple(rerank(units)))


def _unit_name(clip: LibraryClip, beat: int, n: int) -> str:
    """An authored move's unit is named after it; a captured clip's by where it was cut."""
    return clip.name if clip.source == "vocab" else f"{clip.name} b{beat}+{n}"


STILL_SPEED = 0.2
"""m/s: joints moving slower than this on average stand still (real dancers here average
0.44-1.05 m/s)."""


def cut_units(clips: Sequence[LibraryClip], ci: int, lengths: Sequence[int]) -> list[MotionUnit]:
    """Units (and their mirrors) of clip ``ci``: every ``n``-count window on its beats.

    Windows start on every beat (every second beat for 8 counts). An authored move (source
    ``"vocab"``) is one unit of its whole length. A captured window in which the dancer stands
    still (:data:`STILL_SPEED`) in a T-pose for most of its frames is the capture's calibration
    pose, not a move, and is left out: 110 of the AIST++ and CMU windows were, and a quiet
    intro, planned towards the calmest units, held one for 15 s. Other holds stay: real dance
    holds poses too (dropping every still window raised pop FID_k from 15 to 27).
    """
    clip = clips[ci]
    pos = forward_kinematics_arrays(
        CANONICAL.parents, CANONICAL.offsets, clip.root, clip.rotations
    )[0]
    captured = clip.source != "vocab"
    tpose = tpose_frames(pos, LOOSE_TPOSE_DEG) if captured else None
    windows: list[tuple[int, int]] = []
    if not captured:
        windows.append((0, clip.n_beats))
    else:
        for n in lengths:
            step = 2 if n == 8 else 1
            windows.extend((b, n) for b in range(0, clip.n_beats - n + 1, step))
    units = []
    for beat, n in windows:
        a = beat * SAMPLES_PER_BEAT
        b = a + n * SAMPLES_PER_BEAT + 1
        raw = measure(pos[a:b])
        if tpose is not None and raw.speed < STILL_SPEED and tpose[a:b].mean() > 0.5:
            continue
        base = _unit_name(clip, beat, n)
        for mirrored in (False, True):
            units.append(MotionUnit(
                name=base + (" (mirror)" if mirrored else ""), move=clip.name, clip=ci,
                beat=beat, n_beats=n, mirrored=mirrored, source=clip.source, style=clip.style,
                focus=raw.focus, labels=clip.labels, raw=raw,
            ))  # fmt: skip
    return units


def rerank(units: Sequence[MotionUnit]) -> list[MotionUnit]:
    """The units with their 0..1 tags ranked among the units of the same style.

    Ranking within a style keeps "energy 0.8" meaning "lively for this style": salsa is
    faster than any K-pop basic, and the style slider, not the energy tag, should say so.
    """
    tags: list[dict[str, float]] = [{} for _ in units]
    for style in {u.style for u in units}:
        members = [i for i, u in enumerate(units) if u.style == style]
        raws = [units[i].raw for i in members]
        for i, t in zip(members, rank_tags(raws, raws), strict=True):
            tags[i] = t
    return [MotionUnit(**{**u.__dict__, "tags": t}) for u, t in zip(units, tags, strict=True)]


def clip_from_motion(
    motion: Motion,
    name: str,
    source: str,
    style: str,
    labels: tuple[str, ...] = (),
    period_range: tuple[float, float] | None = None,
) -> LibraryClip:
    """A beat-time clip from any canonical motion, cut at its kinematic beats."""
    motion = ground(motion.with_(offsets=None))
    beats = (
        kinematic_beats(motion)
        if period_range is None
        else kinematic_beats(motion, period_range=period_range)
    )
    if beats.size < 2:
        raise ValueError(f"{name}: found fewer than two kinematic beats")
    bt = to_beat_time(motion, beats)
    return LibraryClip(name, source, style, bt.root_translation, bt.local_rotations, labels)


def add_user_unit(
    library: MoveLibrary, motion: Motion, name: str, style: str = "user", labels: Sequence[str] = ()
) -> MoveLibrary:
    """Add a user's clip: cut it at its kinematic beats into 1/2/4/8-count units, tag, mirror.

    Returns
    -------
    MoveLibrary
        A new library (the given one is unchanged); the new units are named ``"<name> b<i>+<n>"``.
    """
    return library.with_clip(clip_from_motion(motion, name, "user", style, tuple(labels)))


def _clips_from_arrays(
    entries: Sequence[dict[str, Any]], root: Array, rots: Array
) -> tuple[LibraryClip, ...]:
    """The clips of an index, their samples sliced from the library's arrays."""
    return tuple(
        LibraryClip(
            c["name"], c["source"], c["style"], root[c["start"] : c["start"] + c["n_samples"]],
            Q.normalize(rots[c["start"] : c["start"] + c["n_samples"]]), tuple(c["labels"]))
        for c in entries
    )  # fmt: skip


def save_library(library: MoveLibrary, directory: Path) -> None:
    """Write ``library.npz`` (float32 samples) and ``library.json`` (the index) to ``directory``.

    The index also lists every unit with its raw measures, taken on the float32 samples as they
    will be read back, so loading needs no forward kinematics and tags the units exactly as a
    fresh cut would.
    """
    directory.mkdir(parents=True, exist_ok=True)
    root = np.concatenate([c.root for c in library.clips]).astype(np.float32)
    rots = np.concatenate([c.rotations for c in library.clips]).astype(np.float32)
    starts = np.cumsum([0] + [c.root.shape[0] for c in library.clips])
    entries = [
        {"name": c.name, "source": c.source, "style": c.style, "labels": list(c.labels),
         "start": int(s), "n_samples": int(c.root.shape[0])}
        for c, s in zip(library.clips, starts, strict=False)
    ]  # fmt: skip
    clips = _clips_from_arrays(entries, np.asarray(root, np.float64), np.asarray(rots, np.float64))
    units = [u for ci in range(len(clips)) for u in cut_units(clips, ci, UNIT_LENGTHS)]
    tmp = directory / "library.tmp.npz"
    np.savez_compressed(tmp, root=root, rotations=rots)
    tmp.replace(directory / "library.npz")
    index = {
        "format_version": FORMAT_VERSION,
        "samples_per_beat": SAMPLES_PER_BEAT,
        "clips": entries,
        "units": [
            [u.clip, u.beat, u.n_beats, int(u.mirrored), u.raw.speed, u.raw.jerk, u.raw.bounce,
             u.raw.focus, u.raw.arms, u.raw.legs, u.raw.torso]
            for u in units
        ],
    }  # fmt: skip
    (directory / "library.json").write_text(json.dumps(index, indent=1))


def _units_from_rows(
    clips: Sequence[LibraryClip], rows: Sequence[Sequence[Any]]
) -> list[MotionUnit]:
    """Units (untagged) from the index's rows: clip, beat, counts, mirrored, raw measures."""
    units = []
    for ci, beat, n, mirrored, *measures in rows:
        clip = clips[ci]
        base = _unit_name(clip, beat, n)
        units.append(MotionUnit(
            name=base + (" (mirror)" if mirrored else ""), move=clip.name, clip=ci, beat=beat,
            n_beats=n, mirrored=bool(mirrored), source=clip.source, style=clip.style,
            focus=measures[3], labels=clip.labels, raw=RawMeasures(*measures),
        ))  # fmt: skip
    return units


_CACHE: dict[Path, MoveLibrary] = {}


def load_library(directory: Path = LIBRARY_DIR) -> MoveLibrary:
    """Load (once per process) the library in ``directory``; units are tagged on loading."""
    directory = Path(directory)
    if directory in _CACHE:
        return _CACHE[directory]
    index_path = directory / "library.json"
    try:
        index = json.loads(index_path.read_text())
        with np.load(directory / "library.npz", allow_pickle=False) as data:
            root, rots = (
                np.asarray(data["root"], np.float64),
                np.asarray(data["rotations"], np.float64),
            )
    except (OSError, ValueError, KeyError) as error:
        raise BadFileError(index_path, f"the move library cannot be read ({error})") from error
    if (
        index.get("format_version") != FORMAT_VERSION
        or index.get("samples_per_beat") != SAMPLES_PER_BEAT
    ):
        raise BadFileError(index_path, "the move library has an unknown format version")
    try:
        clips = _clips_from_arrays(index["clips"], root, rots)
        units = _units_from_rows(clips, index["units"])
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise BadFileError(index_path, f"the move library's index is damaged ({error})") from error
    library = MoveLibrary(clips, tuple(rerank(units)))
    _CACHE[directory] = library
    return library


def authored_clip(move: Move) -> LibraryClip:
    """The beat-time clip of an authored vocabulary move.

    The upper body comes from the move's keyframes; the legs from its footwork: the feet
    follow the steps, the pelvis rides over the weighted foot at the groove level plus the
    move's dips (``dy``) and sways (``dx``/``dz``), and hips, knees and ankles are solved by IK
    (:mod:`inference.generate.footwork`).
    """
    poses = interpolate_keyframes(move.keys, move.n_beats, SAMPLES_PER_BEAT)
    feet, heading, height = foot_paths(move.steps, poses.shape[0], SAMPLES_PER_BEAT)
    weight = weight_shift(height, move.steps, SAMPLES_PER_BEAT)
    offset, rots = rotations_from_poses(hinge(poses, weight))
    offset[:, 1] -= REST_PELVIS_HEIGHT
    root = pelvis_over_feet(feet, weight, offset, GROOVE_LEVEL + offset[:, 1])
    root = keep_reach(root, rots, feet)
    body_yaw = np.degrees(Q.yaw_of(rots[:, 0]))
    heading = pivot(turn_out(heading, feet, height, root, body_yaw), body_yaw)
    rots = solve_legs(root, rots, feet, heading, height)
    return LibraryClip(move.name, "vocab", move.style, root, rots, (move.focus, *move.labels))
