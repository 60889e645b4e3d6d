"""SMPL / AIST++ motion: pickles (read through a restricted unpickler) and joint-position CSVs.

A pickle can run arbitrary code when loaded, so :class:`ArrayOnlyUnpickler` resolves only the
few numpy globals needed to rebuild arrays; plain containers (dict, list, tuple) and numbers
need no globals at all. Anything else makes the load fail with a clear message. A pickle can
also ask for memory: a 93-byte one builds ``numpy.ndarray((1_000_000, 72))``, a few hundred
bytes of shared references nest into billions of numbers. So the opcodes are counted before
loading, every array constructor checks the size it is asked for, and nested lists are
counted (without being built) before they become arrays (see :mod:`inference.motion.limits`).

No SMPL model file is used or shipped. The 24 SMPL joints are placed with our own rounded,
left/right-symmetric neutral template (:data:`SMPL_TEMPLATE_OFFSETS`, metres, SMPL's frame:
Y up, facing +Z, left +X), close to the joint locations of the mean SMPL body; FK of that
template with the file's axis-angle poses gives positions, which are then retargeted like any
other source.

Joint-position CSV (``.csv``), as EDGE publishes AIST++ slices: one row per frame, no header,
72 comma-separated numbers, the 24 SMPL joints (in :data:`SMPL_JOINTS` order) as x, y, z global
positions, 30 fps. Measured on the six slices in ``../shared/data``: **Z is up** (head 1.3-1.5 m
above the ankles along z), units are metres, the dancer faces -Y with the left hip on +X (a
right-handed body), and the floor sits near z = 0.9 m. Since full AIST++ exports are Y-up
instead, the up axis is found from the data (the axis along which the head stands furthest
above the ankles), units are detected from the body's height like BVH, and the motion is
grounded.
"""

from __future__ import annotations

import io
import pickle
import pickletools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError
from inference.motion import quaternions as Q
from inference.motion.bvh_import import unit_scale
from inference.motion.feet import ground
from inference.motion.limits import (
    MAX_ARRAY_VALUES,
    MAX_PICKLE_BYTES,
    MAX_PICKLE_OPS,
    bounded_array,
    check_file_size,
    check_frames,
    check_magnitude,
    check_positions,
)
from inference.motion.motion import CANONICAL_FPS, Motion, forward_kinematics_arrays
from inference.motion.resample import resample
from inference.motion.retarget import BoneLengths, estimate_height, motion_from_positions

Array = NDArray[np.float64]

SMPL_FPS = 60.0
"""AIST++ SMPL motions are sampled at 60 fps."""
CSV_FPS = 30.0
"""EDGE's AIST++ joint-position CSVs are sampled at 30 fps."""

SMPL_JOINTS = (
    "pelvis",
    "left_hip",
    "right_hip",
    "spine1",
    "left_knee",
    "right_knee",
    "spine2",
    "left_ankle",
    "right_ankle",
    "spine3",
    "left_foot",
    "right_foot",
    "neck",
    "left_collar",
    "right_collar",
    "head",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hand",
    "right_hand",
)
SMPL_PARENTS = (-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21)

SMPL_TEMPLATE_OFFSETS = np.array(
    [
        [0.0, 0.0, 0.0],
        [0.07, -0.09, 0.0],
        [-0.07, -0.09, 0.0],
        [0.0, 0.11, -0.02],
        [0.035, -0.38, 0.0],
        [-0.035, -0.38, 0.0],
        [0.0, 0.135, 0.0],
        [-0.015, -0.40, -0.04],
        [0.015, -0.40, -0.04],
        [0.0, 0.05, 0.025],
        [0.025, -0.055, 0.12],
        [-0.025, -0.055, 0.12],
        [0.0, 0.21, -0.04],
        [0.08, 0.12, -0.035],
        [-0.08, 0.12, -0.035],
        [0.0, 0.065, 0.05],
        [0.09, 0.03, -0.01],
        [-0.09, 0.03, -0.01],
        [0.26, -0.013, -0.025],
        [-0.26, -0.013, -0.025],
        [0.25, 0.008, -0.003],
        [-0.25, 0.008, -0.003],
        [0.085, -0.007, -0.013],
        [-0.085, -0.007, -0.013],
    ]
)
"""Offsets of each SMPL joint from its parent in our neutral template (metres)."""

SMPL_PELVIS_IN_MESH = np.array([0.0, -0.22, 0.03])
"""Where the pelvis joint sits relative to the mesh origin that ``smpl_trans`` moves."""

SMPL_TO_CANONICAL = {
    "pelvis": 0,
    "spine": 3,
    "chest": 9,
    "neck": 12,
    "head": 15,
    "collar_l": 13,
    "collar_r": 14,
    "shoulder_l": 16,
    "shoulder_r": 17,
    "elbow_l": 18,
    "elbow_r": 19,
    "wrist_l": 20,
    "wrist_r": 21,
    "hand_l": 22,
    "hand_r": 23,
    "hip_l": 1,
    "hip_r": 2,
    "knee_l": 4,
    "knee_r": 5,
    "ankle_l": 7,
    "ankle_r": 8,
    "toe_l": 10,
    "toe_r": 11,
}

_ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
}


class _ArrayTooLarge(pickle.UnpicklingError):
    pass


def _check_shape(shape: object, dtype: object = np.float64) -> None:
    """Refuse an array shape (with its dtype) of more than :data:`MAX_ARRAY_VALUES` float64s."""
    dims = shape if isinstance(shape, tuple | list) else (shape,)
    try:
        values = int(np.prod([int(d) for d in dims], dtype=np.float64))
        itemsize = np.dtype(dtype).itemsize  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return  # numpy refuses it itself
    if values * itemsize > MAX_ARRAY_VALUES * 8:
        raise _ArrayTooLarge(
            f"it declares an array of {values:,} values; the limit is {MAX_ARRAY_VALUES:,}"
        )


class _CheckedArray(np.ndarray):
    """``numpy.ndarray`` for the unpickler: checks the size asked for, then builds a plain one."""

    def __new__(cls, shape: Any, dtype: Any = float, *args: Any, **kwargs: Any) -> Any:
        _check_shape(shape, dtype)
        return np.ndarray.__new__(np.ndarray, shape, dtype, *args, **kwargs)


def _checked_reconstruct(build: Callable[..., Any]) -> Callable[..., Any]:
    """numpy's ``_reconstruct(cls, shape, dtype)``, refusing a shape past the budget first."""

    def reconstruct(cls: Any, shape: object, dtype: object, *rest: Any) -> Any:
        _check_shape(shape, dtype)
        return build(np.ndarray if cls is _CheckedArray else cls, shape, dtype, *rest)

    return reconstruct


class ArrayOnlyUnpickler(pickle.Unpickler):
    """An unpickler that rebuilds numpy arrays and plain containers, and nothing else.

    Array constructors are wrapped so that a shape beyond :data:`MAX_ARRAY_VALUES` is refused
    before numpy allocates it.
    """

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED_GLOBALS:
            raise pickle.UnpicklingError(
                f"the pickle wants to create {module}.{name}; only numpy arrays and plain "
                "containers are allowed"
            )
        if name == "ndarray":
            return _CheckedArray
        # numpy 2 moved numpy.core to numpy._core; resolve there to avoid the shim's warning.
        real = module.replace("numpy.core", "numpy._core")
        mod = __import__(real, fromlist=[name])
        found = getattr(mod, name)
        return _checked_reconstruct(found) if name == "_reconstruct" else found


def _count_ops(data: bytes) -> None:
    """Refuse a pickle of more than :data:`MAX_PICKLE_OPS` opcodes, before building any."""
    for ops, _ in enumerate(pickletools.genops(data), 1):
        if ops > MAX_PICKLE_OPS:
            raise _ArrayTooLarge(
                f"it holds more than {MAX_PICKLE_OPS:,} objects; the limit is {MAX_PICKLE_OPS:,}"
            )


def safe_load_pickle(path: str | Path) -> Any:
    """Load a pickle that may only hold numpy arrays, numbers, strings and containers.

    Raises
    ------
    BadFileError
        When the file is unreadable, corrupt, carries any other kind of object, or goes past
        a budget: :data:`MAX_PICKLE_BYTES`, :data:`MAX_PICKLE_OPS` objects, or one array of
        more than :data:`MAX_ARRAY_VALUES` values.
    """
    path = Path(path)
    check_file_size(path, MAX_PICKLE_BYTES)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BadFileError(path, f"cannot read the file ({err.strerror})") from None
    try:
        _count_ops(data)
        return ArrayOnlyUnpickler(io.BytesIO(data)).load()
    except pickle.UnpicklingError as err:
        raise BadFileError(path, f"refused to load this pickle: {err}") from None
    except MemoryError:
        raise BadFileError(
            path, "refused to load this pickle: it asks for too much memory"
        ) from None
    except Exception as err:  # a corrupt pickle can fail in many ways; all mean "bad file"
        raise BadFileError(path, f"not a readable pickle ({type(err).__name__})") from None


def smpl_positions(poses: Array, trans: Array) -> Array:
    """(T, 24, 3) SMPL joint positions from axis-angle ``poses`` (T, 72) and ``trans`` (T, 3)."""
    t = poses.shape[0]
    local = Q.from_axis_angle(poses.reshape(t, 24, 3))
    root = trans + SMPL_PELVIS_IN_MESH
    pos, _ = forward_kinematics_arrays(SMPL_PARENTS, SMPL_TEMPLATE_OFFSETS, root, local)
    return pos


def smpl_to_motion(
    doc: Any,
    path: str | Path = "<smpl.pkl>",
    fps: float = SMPL_FPS,
    bone_lengths: BoneLengths = "source",
    out_fps: float = CANONICAL_FPS,
) -> Motion:
    """Canonical Motion from a loaded AIST++-style dict (``smpl_poses``, ``smpl_trans``)."""
    if not isinstance(doc, dict) or "smpl_poses" not in doc or "smpl_trans" not in doc:
        raise BadFileError(path, "not an SMPL motion: keys 'smpl_poses' and 'smpl_trans' needed")
    poses = bounded_array(path, doc["smpl_poses"], "'smpl_poses'")
    trans = bounded_array(path, doc["smpl_trans"], "'smpl_trans'")
    if poses.ndim != 2 or poses.shape[1] != 72 or trans.shape != (poses.shape[0], 3):
        raise BadFileError(
            path,
            f"expected smpl_poses (T, 72) and smpl_trans (T, 3), got {poses.shape}, {trans.shape}",
        )
    if poses.shape[0] < 2:
        raise BadFileError(path, "the motion has fewer than 2 frames")
    check_frames(path, poses.shape[0], len(SMPL_JOINTS), fps)
    if not (np.all(np.isfinite(poses)) and np.all(np.isfinite(trans))):
        raise BadFileError(path, "the motion holds NaN or infinite values")
    scaling = doc.get("smpl_scaling")
    if scaling is not None:
        # Full AIST++ files store translation multiplied by a per-clip scale.
        scale = bounded_array(path, scaling, "'smpl_scaling'").reshape(-1)
        if scale.size == 0 or not (np.isfinite(scale[0]) and scale[0] > 0):
            raise BadFileError(path, "'smpl_scaling' must be a positive number")
        trans = trans / float(scale[0])
    check_positions(path, trans)
    pos = smpl_positions(poses, trans)
    targets = {name: pos[:, k] for name, k in SMPL_TO_CANONICAL.items()}
    motion = motion_from_positions(targets, fps, bone_lengths)
    return resample(ground(motion), out_fps)


def load_smpl(
    path: str | Path,
    fps: float = SMPL_FPS,
    bone_lengths: BoneLengths = "source",
    out_fps: float = CANONICAL_FPS,
) -> Motion:
    """Read an AIST++-style SMPL pickle safely and return a canonical Motion at ``out_fps``.

    The motion is grounded (feet on y = 0), since AIST++ translations use the camera rig's
    origin, not the floor.
    """
    return smpl_to_motion(safe_load_pickle(path), path, fps, bone_lengths, out_fps)


def _rows(path: Path, fps: float) -> Array:
    check_file_size(path)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as err:
        raise BadFileError(path, f"cannot read the file ({err.strerror})") from None
    rows = [line for line in lines if line.strip()]
    check_frames(path, len(rows), len(SMPL_JOINTS), fps)  # before splitting every row
    if rows and any(c.isalpha() and c not in "eE" for c in rows[0]):
        rows = rows[1:]  # a header row of column names
    fields = [r.split(",") for r in rows]
    widths = {len(r) for r in fields}
    if len(widths) > 1:
        raise BadFileError(path, f"rows have different numbers of columns ({sorted(widths)})")
    if not fields or widths != {72}:
        got = f"{widths.pop()} columns" if widths else "no rows"
        raise BadFileError(path, f"expected 72 columns (24 SMPL joints x, y, z), got {got}")
    try:
        values = np.array(fields, dtype=np.float64)
    except ValueError:
        raise BadFileError(path, "the CSV holds a value that is not a number") from None
    if values.shape[0] < 2:
        raise BadFileError(path, "the motion has fewer than 2 frames")
    if not np.all(np.isfinite(values)):
        raise BadFileError(path, "the positions hold NaN or infinite values")
    return values.reshape(-1, 24, 3)


def _to_y_up(pos: Array) -> Array:
    """Turn (T, 24, 3) SMPL positions so that the axis the head stands above the ankles on is +Y.

    A rotation (never a reflection), so a right-handed body keeps its left on its left.
    """
    rise = np.median(pos[:, 15] - 0.5 * (pos[:, 7] + pos[:, 8]), axis=0)
    axis = int(np.argmax(np.abs(rise)))
    up = np.zeros(3)
    up[axis] = np.sign(rise[axis])
    turn = Q.between(up, np.array([0.0, 1.0, 0.0]))
    return np.asarray(Q.rotate(turn, pos))


def load_smpl_csv(
    path: str | Path,
    fps: float = CSV_FPS,
    bone_lengths: BoneLengths = "source",
    out_fps: float = CANONICAL_FPS,
) -> Motion:
    """Read an SMPL 24-joint global-position CSV (AIST++ via EDGE) as a canonical Motion.

    See the module notes for the layout; the up axis and units come from the data and the
    motion is grounded.

    Raises
    ------
    BadFileError
        For an unreadable file, a column count other than 72, ragged rows, text, NaN, or
        fewer than 2 frames.
    """
    path = Path(path)
    pos = _to_y_up(_rows(path, fps))
    check_magnitude(path, pos, "a joint position")
    targets = {name: pos[:, k] for name, k in SMPL_TO_CANONICAL.items()}
    scale = unit_scale(estimate_height(targets))
    targets = {name: v * scale for name, v in targets.items()}
    check_positions(path, np.stack(list(targets.values())))
    motion = motion_from_positions(targets, fps, bone_lengths)
    return resample(ground(motion), out_fps)
