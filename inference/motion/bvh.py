"""BVH reading and writing, with the checks that turn a bad file into a clear message.

The reader accepts any hierarchy (ROOT/JOINT/End Site, 3 or 6 channels per joint in any order,
joint names with spaces) and returns the raw file content; :mod:`inference.motion.bvh_import`
retargets it. Position channels on a non-root joint replace that joint's OFFSET (what the
Bandai Namco files mean by them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError
from inference.files import write_text_atomic
from inference.motion import quaternions as Q
from inference.motion.limits import (
    MAX_DEPTH,
    MAX_FRAMES,
    MAX_JOINTS,
    check_count,
    check_file_size,
    check_frames,
    check_magnitude,
)

Array = NDArray[np.float64]

__all__ = ["MAX_FRAMES", "BvhData", "BvhJoint", "bvh_positions", "read_bvh", "write_bvh"]

MAX_CHANNELS = 2000
_VALID_CHANNELS = {
    "xposition",
    "yposition",
    "zposition",
    "xrotation",
    "yrotation",
    "zrotation",
}


@dataclass(frozen=True)
class BvhJoint:
    """One joint (or End Site) of a BVH hierarchy."""

    name: str
    parent: int
    offset: tuple[float, float, float]
    channels: tuple[str, ...]
    is_end: bool = False


@dataclass(frozen=True, eq=False)
class BvhData:
    """A parsed BVH file: hierarchy, frame time and the (T, C) channel values."""

    joints: tuple[BvhJoint, ...]
    frame_time: float
    values: Array

    @property
    def fps(self) -> float:
        """Frames per second (``1 / frame_time``)."""
        return 1.0 / self.frame_time

    def channel_slices(self) -> list[slice]:
        """Column range of each joint's channels in :attr:`values`."""
        out = []
        start = 0
        for j in self.joints:
            out.append(slice(start, start + len(j.channels)))
            start += len(j.channels)
        return out


def _floats(path: Path, tokens: list[str], what: str, lineno: int) -> list[float]:
    try:
        vals = [float(t) for t in tokens]
    except ValueError:
        raise BadFileError(path, f"line {lineno}: {what} is not a number") from None
    if not all(np.isfinite(vals)):
        raise BadFileError(path, f"line {lineno}: {what} holds NaN or infinite values")
    check_magnitude(path, np.asarray(vals), f"line {lineno}: {what}")
    return vals


def read_bvh(path: str | Path) -> BvhData:
    """Parse a BVH file.

    Raises
    ------
    BadFileError
        For a missing or unreadable file, a broken hierarchy, a truncated MOTION section,
        frames whose value count does not match the channels, NaN/inf values, or a size
        beyond the budgets of :mod:`inference.motion.limits` (bytes, joints, depth, frames),
        each checked before it is allocated.
    """
    path = Path(path)
    check_file_size(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise BadFileError(path, f"cannot read the file ({err.strerror})") from None
    lines = text.splitlines()
    joints: list[BvhJoint] = []
    stack: list[int] = []
    pending: dict[str, object] | None = None
    i = 0
    n_lines = len(lines)

    def fail(problem: str) -> BadFileError:
        return BadFileError(path, problem)

    while i < n_lines and not lines[i].strip():
        i += 1
    if i >= n_lines or lines[i].strip().upper() != "HIERARCHY":
        raise fail("not a BVH file: it must start with HIERARCHY")
    i += 1
    seen_root = False
    while i < n_lines:
        raw = lines[i].strip()
        lineno = i + 1
        i += 1
        if not raw:
            continue
        parts = raw.split()
        key = parts[0].upper()
        if key in ("ROOT", "JOINT"):
            if key == "ROOT" and (seen_root or stack):
                raise fail(f"line {lineno}: only one ROOT is supported")
            if key == "JOINT" and not stack:
                raise fail(f"line {lineno}: JOINT outside of ROOT")
            seen_root = True
            name = raw[len(parts[0]) :].strip()
            if not name:
                raise fail(f"line {lineno}: joint without a name")
            pending = {"name": name, "end": False}
        elif key == "END":
            if not stack:
                raise fail(f"line {lineno}: End Site outside of a joint")
            pending = {"name": joints[stack[-1]].name + "_End", "end": True}
        elif key == "{":
            if pending is None:
                raise fail(f"line {lineno}: '{{' without a joint")
            parent = stack[-1] if stack else -1
            check_count(path, len(joints) + 1, MAX_JOINTS, "joints")
            check_count(path, len(stack) + 1, MAX_DEPTH, "levels of nested joints")
            joints.append(
                BvhJoint(str(pending["name"]), parent, (0.0, 0.0, 0.0), (), bool(pending["end"]))
            )
            stack.append(len(joints) - 1)
            pending = None
        elif key == "}":
            if not stack:
                raise fail(f"line {lineno}: unbalanced '}}'")
            stack.pop()
        elif key == "OFFSET":
            if not stack or len(parts) != 4:
                raise fail(f"line {lineno}: OFFSET needs three numbers inside a joint")
            x, y, z = _floats(path, parts[1:], "OFFSET", lineno)
            j = joints[stack[-1]]
            joints[stack[-1]] = BvhJoint(j.name, j.parent, (x, y, z), j.channels, j.is_end)
        elif key == "CHANNELS":
            if not stack or joints[stack[-1]].is_end:
                raise fail(f"line {lineno}: CHANNELS outside of a joint")
            try:
                count = int(parts[1])
            except (IndexError, ValueError):
                raise fail(f"line {lineno}: CHANNELS needs a count") from None
            names = tuple(p.lower() for p in parts[2:])
            if count != len(names) or count not in (3, 6):
                raise fail(
                    f"line {lineno}: joint {joints[stack[-1]].name!r} declares {count} "
                    f"channels but lists {len(names)} (3 or 6 expected)"
                )
            if not set(names) <= _VALID_CHANNELS or len(set(names)) != count:
                raise fail(f"line {lineno}: unknown or repeated channel in {raw!r}")
            j = joints[stack[-1]]
            joints[stack[-1]] = BvhJoint(j.name, j.parent, j.offset, names, j.is_end)
        elif key == "MOTION":
            break
        else:
            raise fail(f"line {lineno}: unexpected {parts[0]!r} in HIERARCHY")
    else:
        raise fail("the file ends before its MOTION section (truncated?)")
    if stack or not joints:
        raise fail("the HIERARCHY is incomplete (unbalanced braces)")

    n_frames, frame_time, i = _read_motion_header(path, lines, i)
    n_channels = sum(len(j.channels) for j in joints)
    if n_channels == 0 or n_channels > MAX_CHANNELS:
        raise fail(f"the hierarchy declares {n_channels} channels")
    check_frames(path, n_frames, len(joints), 1.0 / frame_time)
    values = _read_values(path, lines, i, n_frames, n_channels)
    return BvhData(tuple(joints), frame_time, values)


def _read_motion_header(path: Path, lines: list[str], i: int) -> tuple[int, float, int]:
    header: dict[str, str] = {}
    while i < len(lines) and len(header) < 2:
        raw = lines[i].strip()
        i += 1
        if not raw:
            continue
        key, _, rest = raw.partition(":")
        header[key.strip().lower()] = rest.strip()
    try:
        n_frames = int(header["frames"])
        frame_time = float(header["frame time"])
    except (KeyError, ValueError):
        raise BadFileError(path, "MOTION needs 'Frames:' and 'Frame Time:' lines") from None
    if n_frames < 1:
        raise BadFileError(path, f"declares {n_frames} frames; at least 1 is needed")
    if not (np.isfinite(frame_time) and 1e-4 < frame_time < 10.0):
        raise BadFileError(path, f"Frame Time {frame_time} is not a sensible frame time")
    return n_frames, frame_time, i


def _read_values(path: Path, lines: list[str], i: int, n_frames: int, n_channels: int) -> Array:
    rows: list[str] = []
    line_numbers: list[int] = []
    for k in range(i, len(lines)):
        if lines[k].strip():
            rows.append(lines[k])
            line_numbers.append(k + 1)
            if len(rows) == n_frames:
                break
    counts = [len(r.split()) for r in rows]
    for n, (count, lineno) in enumerate(zip(counts, line_numbers, strict=True)):
        if count != n_channels:
            if n == len(rows) - 1 and count < n_channels:
                raise BadFileError(
                    path,
                    f"truncated: frame {n + 1} of {n_frames} is incomplete "
                    f"({count} of {n_channels} values)",
                )
            raise BadFileError(
                path,
                f"line {lineno}: frame {n + 1} has {count} values but the hierarchy "
                f"declares {n_channels} channels",
            )
    if len(rows) < n_frames:
        raise BadFileError(
            path, f"truncated: declares {n_frames} frames but holds only {len(rows)}"
        )
    try:
        values = np.array(" ".join(rows).split(), dtype=np.float64).reshape(n_frames, n_channels)
    except ValueError:
        raise BadFileError(path, "the MOTION section holds a value that is not a number") from None
    bad = ~np.isfinite(values)
    if np.any(bad):
        frame = int(np.argwhere(bad)[0, 0])
        raise BadFileError(path, f"frame {frame + 1} holds NaN or infinite values")
    check_magnitude(path, values, "the MOTION section")
    return values


def bvh_positions(data: BvhData) -> Array:
    """(T, J, 3) global positions of every joint and End Site, in the file's units."""
    t = data.values.shape[0]
    n = len(data.joints)
    pos = np.empty((t, n, 3))
    glob = np.empty((t, n, 4))
    for k, (joint, sl) in enumerate(zip(data.joints, data.channel_slices(), strict=True)):
        vals = data.values[:, sl]
        trans = np.broadcast_to(np.asarray(joint.offset), (t, 3)).copy()
        rot_axes = ""
        rot_cols = []
        for c, ch in enumerate(joint.channels):
            axis = ch[0].upper()
            if ch.endswith("position"):
                trans[:, "XYZ".index(axis)] = vals[:, c]
            else:
                rot_axes += axis
                rot_cols.append(c)
        local = Q.from_euler(vals[:, rot_cols], rot_axes) if rot_axes else Q.identity((t,))
        if joint.parent < 0:
            pos[:, k] = trans
            glob[:, k] = local
        else:
            p = joint.parent
            pos[:, k] = pos[:, p] + Q.rotate(glob[:, p], trans)
            glob[:, k] = Q.multiply(glob[:, p], local)
    return pos


def write_bvh(
    path: str | Path,
    names: list[str],
    parents: list[int],
    offsets: Array,
    end_offsets: Array,
    root_translation: Array,
    local_rotations: Array,
    frame_time: float,
    order: str = "ZXY",
) -> None:
    """Write a BVH file (atomically: a temporary file, then a rename).

    The root gets ``Xposition Yposition Zposition`` plus three rotation channels in ``order``;
    the other joints get the three rotation channels only. Values are written as given, so
    the caller picks the units.
    """
    path = Path(path)
    rot_channels = " ".join(f"{a}rotation" for a in order)
    out: list[str] = ["HIERARCHY"]
    children: dict[int, list[int]] = {}
    for j, p in enumerate(parents):
        children.setdefault(p, []).append(j)

    def emit(j: int, depth: int) -> None:
        ind = "\t" * depth
        kind = "ROOT" if parents[j] < 0 else "JOINT"
        out.append(f"{ind}{kind} {names[j]}")
        out.append(f"{ind}{{")
        ox, oy, oz = offsets[j]
        out.append(f"{ind}\tOFFSET {ox:.6f} {oy:.6f} {oz:.6f}")
        if parents[j] < 0:
            out.append(f"{ind}\tCHANNELS 6 Xposition Yposition Zposition {rot_channels}")
        else:
            out.append(f"{ind}\tCHANNELS 3 {rot_channels}")
        kids = children.get(j, [])
        for c in kids:
            emit(c, depth + 1)
        if not kids:
            ex, ey, ez = end_offsets[j]
            out.append(f"{ind}\tEnd Site")
            out.append(f"{ind}\t{{")
            out.append(f"{ind}\t\tOFFSET {ex:.6f} {ey:.6f} {ez:.6f}")
            out.append(f"{ind}\t}}")
        out.append(f"{ind}}}")

    emit(children[-1][0], 0)
    t = root_translation.shape[0]
    out += ["MOTION", f"Frames: {t}", f"Frame Time: {frame_time:.7f}"]
    # Joints must be written in the order they appear in the hierarchy (depth first).
    order_idx: list[int] = []

    def walk(j: int) -> None:
        order_idx.append(j)
        for c in children.get(j, []):
            walk(c)

    walk(children[-1][0])
    euler = Q.to_euler(local_rotations[:, order_idx], order)  # (T, J, 3) degrees
    table = np.concatenate([root_translation, euler.reshape(t, -1)], axis=1)
    body = "\n".join(" ".join(f"{v:.6f}" for v in row) for row in table)
    write_text_atomic(path, "\n".join(out) + "\n" + body + "\n")
