"""Position-based retargeting: global joint positions -> canonical local rotations.

Every importer ends here. It gives the source's joint positions for the canonical joints (by
name mapping, FK of the source skeleton, or a pose estimator), and this module solves local
rotations so that each canonical bone points where the source bone points. Because only
directions are matched, differing rest poses (T, A, or Bandai's bones-along-X rest) need no
special handling.

How each joint's global orientation is chosen:

* ``pelvis``: a frame from the hip-to-hip axis (exact) and the pelvis-to-spine direction (twist).
* ``spine``: the spine-to-chest direction (exact), twisted by the mean of hip and shoulder axes.
* ``chest``: the chest-to-neck direction (exact) and the collar-to-collar axis (twist).
* every other joint: the smallest rotation, relative to its parent, that aims its one child
  (no twist about the bone), so limbs never spin. Leaves with no aim point keep their parent's
  orientation.

Foot pitch calibration: the ankle aims at the toe, but rigs put those joints at different
heights, so a source foot standing flat slopes its own way (Mixamo's and Bandai's about 40
degrees below horizontal, Perfume's 30, CMU's 8-15) while the canonical flat foot slopes 22.6.
Aimed as is, a flat Mixamo foot would be a canonical tiptoe. So each side's flat-foot pitch is
measured on the source's own planted frames (:func:`flat_foot_pitch`) and the ankle is turned
about its lateral axis by the difference, once for the whole file: a planted foot becomes a
flat canonical foot and a pointed one stays pointed by as much as the source points it.

Bone lengths are constant by construction: FK uses one offset per bone for every frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from inference.motion import quaternions as Q
from inference.motion.motion import Motion
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]
BoneLengths = Literal["source", "canonical"]

REQUIRED_JOINTS: tuple[str, ...] = (
    "pelvis",
    "neck",
    "head",
    "shoulder_l",
    "elbow_l",
    "wrist_l",
    "shoulder_r",
    "elbow_r",
    "wrist_r",
    "hip_l",
    "knee_l",
    "ankle_l",
    "toe_l",
    "hip_r",
    "knee_r",
    "ankle_r",
    "toe_r",
)
"""Joints a source must provide; spine, chest and collars are interpolated when absent."""

OPTIONAL_AIMS = ("head_end", "hand_l", "hand_r")
"""Extra target points that orient the leaf joints (head, wrists) when a source has them."""

# The joint whose position each single-child joint aims at.
_AIM = {
    "neck": "head",
    "head": "head_end",
    "collar_l": "shoulder_l",
    "shoulder_l": "elbow_l",
    "elbow_l": "wrist_l",
    "wrist_l": "hand_l",
    "collar_r": "shoulder_r",
    "shoulder_r": "elbow_r",
    "elbow_r": "wrist_r",
    "wrist_r": "hand_r",
    "hip_l": "knee_l",
    "knee_l": "ankle_l",
    "ankle_l": "toe_l",
    "hip_r": "knee_r",
    "knee_r": "ankle_r",
    "ankle_r": "toe_r",
}
_END_OF = {"head_end": "head", "hand_l": "wrist_l", "hand_r": "wrist_r"}

REST_FOOT_PITCH = float(np.degrees(np.arctan2(0.05, 0.12)))
"""Degrees below horizontal of the canonical ankle-to-toe bone in its flat rest (22.6)."""

# Planted frames: the toe near the floor under the dancer and the whole foot still. The heel
# is down where the ankle is also at its low level; dance puts heels up, never below flat.
_TOE_NEAR_FLOOR = 0.05
_STILL_SPEED = 0.25
_HEEL_MARGIN = 0.015
_MIN_FLAT_SECONDS = 0.3
# A reliable flat stance is one pose held again and again: at least half its frames within
# 4 degrees of the median. CMU's modern dance, or krump, switch between toes up and on the
# ball and give no such mode: those files keep their feet as they are.
_MODE_WIDTH = 4.0
_MIN_MODE_SHARE = 0.5
# A human rig's toe joint lies below its ankle and ahead of it when the foot is flat.
_PLAUSIBLE_FLAT = (5.0, 50.0)
# One rig's two feet are mirror images: sides that disagree by more than this differ by what
# the dance does (one heel kept up), and the lower pitch is the flat one.
_MAX_SIDE_GAP = 6.0
# A flat foot this close to the canonical slope is aimed as is: the estimate's own noise is
# about this size, and a motion exported by the studio and read back must not move.
_DEADBAND = 3.0


class MissingJointsError(ValueError):
    """A source lacks canonical joints; ``missing`` lists them."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            "cannot map this skeleton onto the canonical body: no joint found for "
            + ", ".join(missing)
        )


def _lerp(a: Array, b: Array, t: float) -> Array:
    return a + (b - a) * t


def complete_targets(targets: Mapping[str, Array]) -> dict[str, Array]:
    """Check the required joints and interpolate spine, chest and collars when absent.

    The fractions come from the canonical rest pose, so a source without a spine gets one
    where the canonical body has it.
    """
    missing = [name for name in REQUIRED_JOINTS if name not in targets]
    if missing:
        raise MissingJointsError(missing)
    out = {k: np.asarray(v, dtype=np.float64) for k, v in targets.items()}
    for k, v in out.items():
        if not np.all(np.isfinite(v)):
            raise ValueError(f"joint {k} has NaN or infinite positions")
    pelvis, neck = out["pelvis"], out["neck"]
    if "spine" not in out and "chest" not in out:
        out["spine"] = _lerp(pelvis, neck, 0.10 / 0.47)
        out["chest"] = _lerp(pelvis, neck, 0.25 / 0.47)
    elif "spine" not in out:
        out["spine"] = _lerp(pelvis, out["chest"], 0.4)
    elif "chest" not in out:
        out["chest"] = _lerp(out["spine"], neck, 0.15 / 0.37)
    for side in ("l", "r"):
        if f"collar_{side}" not in out:
            out[f"collar_{side}"] = _lerp(neck, out[f"shoulder_{side}"], 0.17)
    return out


def _unit(v: Array) -> Array:
    return np.asarray(v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9))


def motion_from_positions(
    targets: Mapping[str, Array],
    fps: float,
    bone_lengths: BoneLengths = "source",
    calibrate_feet: bool = True,
) -> Motion:
    """Solve a canonical :class:`Motion` whose bones point like the given joint positions.

    Parameters
    ----------
    targets
        Canonical joint name -> (T, 3) world positions in metres, Y up, body facing roughly
        +Z in its rest. Must hold :data:`REQUIRED_JOINTS`; may hold spine, chest, collars and
        the :data:`OPTIONAL_AIMS`.
    fps
        Frame rate of the positions (the result keeps it; resample afterwards).
    bone_lengths
        ``"source"`` keeps the source's bone lengths (median over frames), so feet stay where
        the source put them. ``"canonical"`` uses the canonical 1.70 m body and scales the root
        translation by the ratio of leg lengths, so steps keep their proportion.
    calibrate_feet
        Turn each ankle so the source's flat foot is the canonical flat foot (see the module
        notes and :func:`foot_pitch_corrections`). The toes then no longer sit exactly on the
        source's toe joints; ``False`` aims every bone exactly.

    Returns
    -------
    Motion
        On :data:`~inference.motion.skeleton.CANONICAL`, with per-motion ``offsets`` when
        ``bone_lengths == "source"``.
    """
    sk = CANONICAL
    p = complete_targets(targets)
    t = p["pelvis"].shape[0]
    if t == 0:
        raise ValueError("a motion needs at least one frame")
    rest = sk.offsets
    idx = sk.index
    names = sk.names
    glob = np.empty((t, sk.n_joints, 4), dtype=np.float64)
    turn = foot_pitch_corrections(p, fps) if calibrate_feet else {}

    def vec(a: str, b: str) -> Array:
        return p[b] - p[a]

    hips = vec("hip_r", "hip_l")
    shoulders = vec("shoulder_r", "shoulder_l")
    glob[:, idx("pelvis")] = Q.align_frames(
        rest[idx("hip_l")] - rest[idx("hip_r")], rest[idx("spine")], hips, vec("pelvis", "spine")
    )
    glob[:, idx("spine")] = Q.align_frames(
        rest[idx("chest")],
        np.array([1.0, 0.0, 0.0]),
        vec("spine", "chest"),
        _unit(hips) + _unit(shoulders),
    )
    glob[:, idx("chest")] = Q.align_frames(
        rest[idx("neck")],
        rest[idx("collar_l")] - rest[idx("collar_r")],
        vec("chest", "neck"),
        vec("collar_r", "collar_l"),
    )
    for j, name in enumerate(names):
        if name in ("pelvis", "spine", "chest"):
            continue
        parent_rot = glob[:, sk.parents[j]]
        aim = _AIM.get(name)
        if aim is None or aim not in p:
            glob[:, j] = parent_rot
            continue
        rest_child = sk.end_offsets[j] if aim in _END_OF else rest[idx(aim)]
        current = Q.rotate(parent_rot, np.broadcast_to(rest_child, (t, 3)))
        glob[:, j] = Q.multiply(Q.between(current, vec(name, aim)), parent_rot)
        if name in turn:
            # In the ankle's own frame, so the toe (a leaf) and pointed feet turn with it.
            glob[:, j] = Q.multiply(glob[:, j], Q.from_axis_angle([turn[name], 0.0, 0.0]))

    local = np.empty_like(glob)
    local[:, 0] = glob[:, 0]
    parents = np.array(sk.parents[1:])
    local[:, 1:] = Q.multiply(Q.conjugate(glob[:, parents]), glob[:, 1:])

    root = p["pelvis"].copy()
    if bone_lengths == "canonical":
        leg_src = _leg_length({k: np.median(np.linalg.norm(v, axis=-1)) for k, v in _legs(p)})
        leg_can = float(np.sum(np.linalg.norm(rest[[idx("knee_l"), idx("ankle_l")]], axis=-1)))
        root *= leg_can / max(leg_src, 1e-9)
        return Motion(sk, fps, root, local)

    offsets = np.zeros_like(rest)
    for j, name in enumerate(names):
        par = sk.parents[j]
        if par < 0:
            continue
        d = p[name] - p[names[par]]
        if names[par] in ("pelvis", "chest") and name != "neck":
            # Multi-child joints: keep the source's own local layout (e.g. hips slightly
            # behind the pelvis) so the fitted frame reproduces every child.
            offsets[j] = np.median(Q.rotate(Q.conjugate(glob[:, par]), d), axis=0)
        else:
            length = float(np.median(np.linalg.norm(d, axis=-1)))
            offsets[j] = _unit(rest[j]) * length
    return Motion(sk, fps, root, local, offsets)


def _speed(x: Array, fps: float) -> Array:
    """(T,) speed in m/s over about 0.1 s, so marker jitter does not read as motion."""
    t = x.shape[0]
    k = max(1, round(0.05 * fps))
    hi = np.minimum(np.arange(t) + k, t - 1)
    lo = np.maximum(np.arange(t) - k, 0)
    span = np.maximum(hi - lo, 1) / fps
    return np.asarray(np.linalg.norm(x[hi] - x[lo], axis=-1) / span)


def _pitch(ankle: Array, toe: Array) -> Array:
    """(T,) degrees the ankle-to-toe vector points below horizontal."""
    d = toe - ankle
    sin = -d[:, 1] / np.maximum(np.linalg.norm(d, axis=-1), 1e-9)
    return np.asarray(np.degrees(np.arcsin(np.clip(sin, -1.0, 1.0))))


def flat_foot_pitch(targets: Mapping[str, Array], fps: float) -> dict[str, float | None]:
    """The pitch of each source foot standing flat, from the frames where it is planted.

    Parameters
    ----------
    targets
        Source positions as :func:`motion_from_positions` takes them (metres, Y up); only the
        ankles and toes are read.
    fps
        Their frame rate.

    Returns
    -------
    dict
        ``"l"`` and ``"r"``: degrees below horizontal of the source's ankle-to-toe vector
        when that foot stands flat, or ``None`` where the file shows no reliable flat stance
        (too few planted frames, no dominant pose among them, or an implausible slope).

    Notes
    -----
    The floor is the running median (1 s) of the lowest ankle or toe, so sources whose
    height drifts (Tang) still find it. A frame is planted when the toe is within 5 cm of
    that floor and ankle and toe move slower than 0.25 m/s; the heel is down where the
    ankle is within 1.5 cm of its lower quartile over the planted frames. The estimate is the
    median pitch over the heel-down frames.
    """
    from scipy.ndimage import median_filter

    feet = [
        np.asarray(targets[f"{j}_{s}"], dtype=np.float64) for s in "lr" for j in ("ankle", "toe")
    ]
    lowest = np.min([f[:, 1] for f in feet], axis=0)
    floor = median_filter(lowest, size=max(3, round(fps) | 1), mode="nearest")
    out: dict[str, float | None] = {}
    for side in "lr":
        ankle = np.asarray(targets[f"ankle_{side}"], dtype=np.float64)
        toe = np.asarray(targets[f"toe_{side}"], dtype=np.float64)
        still = np.maximum(_speed(ankle, fps), _speed(toe, fps)) < _STILL_SPEED
        planted = still & (toe[:, 1] - floor < _TOE_NEAR_FLOOR)
        out[side] = None
        if planted.sum() < _MIN_FLAT_SECONDS * fps:
            continue
        heel = ankle[:, 1] - floor
        flat = planted & (heel <= np.percentile(heel[planted], 25) + _HEEL_MARGIN)
        if flat.sum() < _MIN_FLAT_SECONDS * fps:
            continue
        pitch = _pitch(ankle, toe)[flat]
        est = float(np.median(pitch))
        held = float(np.mean(np.abs(pitch - est) <= _MODE_WIDTH))
        if held >= _MIN_MODE_SHARE and _PLAUSIBLE_FLAT[0] < est < _PLAUSIBLE_FLAT[1]:
            out[side] = est
    return out


def foot_pitch_corrections(targets: Mapping[str, Array], fps: float) -> dict[str, float]:
    """Radians to turn each ankle about its lateral (X) axis, by ankle name.

    Negative lifts the toe: a source whose flat foot slopes more than the canonical 22.6
    degrees gets its ankles turned up by the difference. A side with no reliable estimate
    borrows the other side's (one rig, mirrored); with neither, or within 3 degrees of the
    canonical slope, a foot is aimed as the source has it and has no entry.
    """
    flat = flat_foot_pitch(targets, fps)
    left, right = flat["l"], flat["r"]
    known = [v for v in (left, right) if v is not None]
    if not known:
        return {}
    if left is None or right is None or abs(left - right) > _MAX_SIDE_GAP:
        left = right = min(known)
    turn = {}
    for ankle, pitch in (("ankle_l", left), ("ankle_r", right)):
        if abs(pitch - REST_FOOT_PITCH) > _DEADBAND:
            turn[ankle] = float(np.radians(REST_FOOT_PITCH - pitch))
    return turn


def _legs(p: Mapping[str, Array]) -> list[tuple[str, Array]]:
    return [
        ("thigh_l", p["knee_l"] - p["hip_l"]),
        ("shin_l", p["ankle_l"] - p["knee_l"]),
        ("thigh_r", p["knee_r"] - p["hip_r"]),
        ("shin_r", p["ankle_r"] - p["knee_r"]),
    ]


def _leg_length(lengths: Mapping[str, float]) -> float:
    return 0.5 * float(sum(lengths.values()))


def estimate_height(targets: Mapping[str, Array]) -> float:
    """Rough standing height implied by the joint positions, in the targets' own units.

    Sums the median lengths along ankle-knee-hip-pelvis-neck-head and scales by the ratio
    of that chain to the full height in the canonical body (1.70 m).
    """
    chain = [
        ("ankle_l", "knee_l"),
        ("knee_l", "hip_l"),
        ("hip_l", "pelvis"),
        ("pelvis", "neck"),
        ("neck", "head"),
    ]
    missing = sorted({n for pair in chain for n in pair if n not in targets})
    if missing:
        raise MissingJointsError(missing)
    total = 0.0
    for a, b in chain:
        d = np.asarray(targets[b], dtype=np.float64) - np.asarray(targets[a], dtype=np.float64)
        total += float(np.median(np.linalg.norm(d, axis=-1)))
    sk = CANONICAL
    w = sk.offsets
    can = (
        np.linalg.norm(w[sk.index("knee_l")])
        + np.linalg.norm(w[sk.index("ankle_l")])
        + np.linalg.norm(w[sk.index("hip_l")])
        + 0.47
        + 0.10
    )
    return total * 1.70 / float(can)


def position_error(motion: Motion, targets: Mapping[str, Array]) -> dict[str, float]:
    """Mean distance (metres) between ``motion``'s joints and the targets, per canonical joint."""
    pos = motion.positions()
    out: dict[str, float] = {}
    for name, tgt in targets.items():
        if name in CANONICAL.names:
            d = pos[:, CANONICAL.index(name)] - np.asarray(tgt, dtype=np.float64)
            out[name] = float(np.mean(np.linalg.norm(d, axis=-1)))
    return out
