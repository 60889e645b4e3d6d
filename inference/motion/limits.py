"""Size budgets of the motion readers, checked before anything is allocated.

A few bytes can declare a million frames or a hundred thousand joints, and a pickle or a JSON
document can share one list a billion times. Every reader checks what a file declares against
these budgets first and refuses with a message naming the file and the limit, so no file can
take gigabytes or minutes. The budgets sit well above real motion (the README's "Limits"
section lists them for users).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Largest motion file read (BVH, FBX, glTF, CSV, JSON): our own 30-minute BVH is about 40 MB."""
MAX_PICKLE_BYTES = 64 * 1024 * 1024
"""Largest SMPL pickle: 30 minutes at 60 fps of float32 poses is about 30 MB."""
MAX_JSON_BYTES = 96 * 1024 * 1024
"""Largest JSON motion: parsing builds about ten times its size in Python objects. Our own
export of a 20-minute routine is about 36 MB."""
MAX_SECONDS = 30 * 60
"""Longest motion: 30 minutes."""
MAX_FRAMES = MAX_SECONDS * 120
"""Most frames a motion may declare: 30 minutes at 120 fps."""
FPS_RANGE = (1.0, 1000.0)
"""Frame rates a motion may declare (every motion is resampled, usually to 30 fps)."""
MAX_JOINTS = 1_000
"""Most joints (with End Sites) of a BVH hierarchy, or nodes of an FBX or glTF scene."""
MAX_DEPTH = 100
"""Deepest joint chain: a skeleton with fingers is about 15 joints deep, FBX helpers double it."""
MAX_JOINT_FRAMES = 6_000_000
"""Most joints x frames read (10 minutes at 120 fps on an 83-joint skeleton): an FBX or glTF
import holds two 4x4 matrices per joint-frame, so this caps it near 1.5 GB."""
MAX_PICKLE_OPS = 2_000_000
"""Most pickle opcodes (objects built) in an SMPL pickle; a real one holds a few dozen."""
MAX_ARRAY_VALUES = 16_000_000
"""Most numbers in one array of a pickle or JSON file (30 minutes of SMPL poses at 60 fps)."""
MAX_POSITION_M = 10_000.0
"""Farthest a joint may be from the origin, in metres, once units are known."""


def check_count(path: str | Path, count: int, limit: int, what: str) -> None:
    """Refuse a file that declares more than ``limit`` of ``what`` ("joints", "nodes").

    Readers that count while they parse call it at ``limit + 1`` and stop there.
    """
    if count > limit:
        declared = f"more than {limit:,}" if count == limit + 1 else f"{count:,}"
        raise BadFileError(path, f"this file declares {declared} {what}; the limit is {limit:,}")


def check_frames(path: str | Path, n_frames: int, n_joints: int, fps: float) -> None:
    """Refuse a motion past :data:`MAX_FRAMES`, :data:`MAX_SECONDS` or :data:`MAX_JOINT_FRAMES`,
    or at a frame rate outside :data:`FPS_RANGE` (resampling it would multiply its frames)."""
    lo, hi = FPS_RANGE
    if not lo <= fps <= hi:
        raise BadFileError(
            path, f"this file declares {fps:.6g} frames per second; the limit is {lo:g}-{hi:g}"
        )
    if n_frames > MAX_FRAMES:
        raise BadFileError(
            path,
            f"this file declares {n_frames:,} frames; the limit is {MAX_FRAMES:,} "
            "(30 minutes at 120 fps)",
        )
    if n_frames / fps > MAX_SECONDS:
        raise BadFileError(
            path,
            f"this file declares {n_frames / fps / 60:,.1f} minutes of motion; the limit is "
            f"{MAX_SECONDS // 60} minutes",
        )
    if n_frames * n_joints > MAX_JOINT_FRAMES:
        raise BadFileError(
            path,
            f"this file declares {n_frames:,} frames of {n_joints:,} joints; the limit is "
            f"{MAX_JOINT_FRAMES:,} joint-frames (at most {MAX_JOINT_FRAMES // n_joints:,} "
            "frames for this skeleton)",
        )


def check_file_size(path: Path, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file larger than ``limit`` bytes, before reading any of it."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise BadFileError(path, f"cannot read the file ({err.strerror})") from None
    if size > limit:
        raise BadFileError(
            path, f"this file is {size / 2**20:,.0f} MB; the limit is {limit // 2**20:,} MB"
        )


def count_values(path: str | Path, value: object, what: str) -> int:
    """The number of leaves in nested lists and tuples, refused past :data:`MAX_ARRAY_VALUES`.

    Counts without building anything, each distinct list once (a list shared many times over,
    a "billion laughs", costs one visit), so a hostile document is refused in milliseconds. A
    list that contains itself is refused too.
    """
    counts: dict[int, int] = {}
    open_lists: set[int] = set()
    stack: list[tuple[object, bool]] = [(value, False)]
    while stack:
        item, children_done = stack.pop()
        if not isinstance(item, list | tuple) or id(item) in counts:
            continue
        if not children_done:
            if id(item) in open_lists:
                raise BadFileError(path, f"{what} holds a list that contains itself")
            open_lists.add(id(item))
            stack.append((item, True))
            stack.extend((c, False) for c in item if isinstance(c, list | tuple))
            continue
        open_lists.discard(id(item))
        total = 0
        for c in item:
            if isinstance(c, list | tuple):
                total += counts[id(c)]
            else:
                total += int(c.size) if isinstance(c, np.ndarray) else 1
        counts[id(item)] = total
        if total > MAX_ARRAY_VALUES:
            raise BadFileError(
                path, f"{what} holds more than {MAX_ARRAY_VALUES:,} numbers; that is the limit"
            )
    if isinstance(value, list | tuple):
        return counts[id(value)]
    return int(value.size) if isinstance(value, np.ndarray) else 1


def bounded_array(path: str | Path, value: object, what: str) -> NDArray[np.float64]:
    """``value`` as a float64 array, after :func:`count_values` has bounded its size."""
    count_values(path, value, what)
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise BadFileError(path, f"{what} must be an array of numbers") from None


MAX_RAW_VALUE = 1e7
"""Largest magnitude of a number in a motion file before its unit is known: 10 km in
millimetres, or ten thousand turns in degrees. Beyond it the maths overflows."""


def check_magnitude(path: str | Path, values: NDArray[np.float64], what: str) -> None:
    """Refuse ``values`` (finite already) of a magnitude beyond :data:`MAX_RAW_VALUE`."""
    big = float(np.max(np.abs(values), initial=0.0))
    if big > MAX_RAW_VALUE:
        raise BadFileError(
            path, f"{what} holds the value {big:.3g}; the limit is {MAX_RAW_VALUE:.0e}"
        )


def check_positions(path: str | Path, positions: NDArray[np.float64]) -> None:
    """Refuse positions (metres) that are not finite or lie beyond :data:`MAX_POSITION_M`."""
    if not np.all(np.isfinite(positions)):
        raise BadFileError(path, "the positions hold NaN or infinite values")
    far = float(np.max(np.abs(positions), initial=0.0))
    if far > MAX_POSITION_M:
        raise BadFileError(
            path,
            f"a joint lies {far:.3g} m from the origin; the limit is {MAX_POSITION_M:,.0f} m",
        )
