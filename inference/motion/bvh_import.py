"""Map any BVH hierarchy onto the canonical joints, then retarget by positions.

Only a few *anchor* joints are found by name: the head, and per side the wrist (or hand) and
the ankle (or foot). Names are split into words (``LeftHand``, ``lHand``, ``Hand_L``,
``mixamorig:LeftHand``, ``Bip01 L Hand`` and ``wrist_l`` all read as side ``l``, base
``hand``/``wrist``). Everything else follows from the hierarchy:

* elbow = parent of wrist, shoulder = parent of elbow, collar = parent of shoulder (unless that
  is already the chest);
* knee = parent of ankle, hip = parent of knee, toe = the ankle's child (or its End Site);
* pelvis = the common ancestor of both hips and the head; chest = that of both shoulders and
  the head; neck = the first joint after the chest towards the head; spine = the first joint
  after the pelvis towards the chest.

This covers CMU (``hip/abdomen/chest/rCollar/rShldr/...`` and ``Hips/LowerBack/Spine/...``),
Bandai Namco (``Hips/Spine/Chest/Shoulder_L/UpperArm_L/...``), Mixamo, iClone / Character
Creator (``CC_Base_Hip/CC_Base_L_Thigh/...``, whose twist and "share" helper bones are skipped),
SMPL-named and our own canonical exports without a table of every naming scheme.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError
from inference.motion.bvh import BvhData, bvh_positions, read_bvh
from inference.motion.feet import ground
from inference.motion.limits import check_positions
from inference.motion.motion import CANONICAL_FPS, Motion
from inference.motion.resample import resample
from inference.motion.retarget import (
    BoneLengths,
    MissingJointsError,
    estimate_height,
    motion_from_positions,
)

Array = NDArray[np.float64]

UNIT_SCALES = {"m": 1.0, "cm": 0.01, "inch": 0.0254, "mm": 0.001}
"""Candidate units of a source skeleton and their size in metres."""
PLAUSIBLE_HEIGHT = (0.8, 2.5)
"""Heights (metres) a dancer may have once a unit is chosen; outside them units are unknown."""

_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_IGNORED_WORDS = {"bip01", "bip001", "mixamorig", "character1", "joint", "jnt", "def"}
# iClone / Character Creator prefix every joint with ``CC_Base_`` (``CC_Base_L_Thigh``).
_PREFIX = re.compile(r"^CC_Base_", re.IGNORECASE)
# Helper bones that sit on a limb beside the real joint (CC's ``ToeBaseShareBone``,
# ``ForearmTwist01``): never the one to follow down a chain.
_HELPER_WORDS = ("share", "twist")


def split_name(name: str) -> tuple[str | None, str]:
    """(side, base) of a joint name: side ``"l"``, ``"r"`` or None, base in lower case."""
    raw = _PREFIX.sub("", name.split(":")[-1])
    words: list[str] = []
    for part in re.split(r"[\s_.\-|]+", raw):
        words += _WORD.findall(part)
    side: str | None = None
    base: list[str] = []
    for w in words:
        low = w.lower()
        if low in ("l", "left"):
            side = side or "l"
        elif low in ("r", "right"):
            side = side or "r"
        elif low not in _IGNORED_WORDS:
            base.append(low)
    return side, "".join(base)


def unit_scale(height: float) -> float:
    """Metres per file unit for a body ``height`` units tall (see :func:`detect_unit`).

    A rig whose height fits no unit within :data:`PLAUSIBLE_HEIGHT` (a CMU skeleton in ASF
    units under a x100 armature, say) has no real unit to find: it is scaled to 1.70 m.
    """
    scale = UNIT_SCALES[detect_unit(height)]
    lo, hi = PLAUSIBLE_HEIGHT
    return scale if lo <= height * scale <= hi else 1.7 / height


def detect_unit(height: float) -> str:
    """The unit (key of :data:`UNIT_SCALES`) that makes ``height`` closest to a 1.7 m adult."""
    if not (np.isfinite(height) and height > 0):
        raise ValueError("cannot detect units of a skeleton with no height")
    return min(UNIT_SCALES, key=lambda u: abs(np.log(height * UNIT_SCALES[u] / 1.7)))


class _Hierarchy:
    """Walks over a hierarchy whose parents come before their children (as BVH lists them).

    Each walk is linear in the depth (depths are computed once), so a hostile file of deeply
    nested joints costs no more than its joint count.
    """

    def __init__(self, data: BvhData) -> None:
        self.joints = data.joints
        self.parents = [j.parent for j in data.joints]
        self.sides = [split_name(j.name) for j in data.joints]
        self.size = max((float(np.linalg.norm(j.offset)) for j in data.joints), default=0.0)
        self.depths: list[int] = []
        for p in self.parents:
            self.depths.append(self.depths[p] + 1 if p >= 0 else 0)

    def moves(self, j: int) -> bool:
        """Whether joint ``j`` sits apart from its parent (its offset is not ~zero)."""
        return float(np.linalg.norm(self.joints[j].offset)) > 1e-3 * self.size

    def depth(self, j: int) -> int:
        return self.depths[j]

    def ancestors(self, j: int) -> list[int]:
        """``j`` and its ancestors up to the root."""
        out = [j]
        while self.parents[out[-1]] >= 0:
            out.append(self.parents[out[-1]])
        return out

    def common_ancestor(self, *js: int) -> int:
        """The deepest joint that is an ancestor of (or is) every one of ``js``."""
        common = set(self.ancestors(js[0]))
        for j in js[1:]:
            common &= set(self.ancestors(j))
        return max(common, key=self.depth)

    def path_between(self, top: int, bottom: int) -> list[int]:
        """Joints strictly between ``top`` and its descendant ``bottom``, top-down."""
        chain = self.ancestors(bottom)
        if top not in chain:
            return []
        return list(reversed(chain[1 : chain.index(top)]))

    def find(self, side: str | None, bases: tuple[str, ...]) -> int | None:
        for base in bases:
            hits = [
                k
                for k, (s, b) in enumerate(self.sides)
                if s == side and b == base and not self.joints[k].is_end
            ]
            if hits:
                return min(hits, key=self.depth)
        return None

    def children(self, j: int) -> list[int]:
        return [k for k, p in enumerate(self.parents) if p == j]


def map_joints(data: BvhData) -> dict[str, int]:
    """Canonical joint name -> BVH joint index (plus ``head_end``/``hand_l``/``hand_r``).

    Raises
    ------
    MissingJointsError
        Listing the canonical joints this hierarchy cannot provide.
    """
    h = _Hierarchy(data)
    found: dict[str, int] = {}
    missing: list[str] = []
    head = h.find(None, ("head",))
    if head is None:
        missing += ["head", "neck"]
    for s in ("l", "r"):
        wrist = h.find(s, ("wrist", "hand"))
        elbow = h.parents[wrist] if wrist is not None else -1
        shoulder = h.parents[elbow] if elbow >= 0 else -1
        if wrist is None or shoulder < 0:
            missing += [f"shoulder_{s}", f"elbow_{s}", f"wrist_{s}"]
        else:
            found.update({f"wrist_{s}": wrist, f"elbow_{s}": elbow, f"shoulder_{s}": shoulder})
        ankle = h.find(s, ("ankle", "foot"))
        knee = h.parents[ankle] if ankle is not None else -1
        hip = h.parents[knee] if knee >= 0 else -1
        if ankle is None or hip < 0:
            missing += [f"hip_{s}", f"knee_{s}", f"ankle_{s}", f"toe_{s}"]
            continue
        found.update({f"ankle_{s}": ankle, f"knee_{s}": knee, f"hip_{s}": hip})
        toe = _toe(h, ankle)
        if toe is None:
            missing.append(f"toe_{s}")
        else:
            found[f"toe_{s}"] = toe
    if missing:
        raise MissingJointsError(missing)
    assert head is not None
    found["head"] = head
    pelvis = h.common_ancestor(found["hip_l"], found["hip_r"], head)
    chest = h.common_ancestor(found["shoulder_l"], found["shoulder_r"], head)
    if pelvis in (found["hip_l"], found["hip_r"], head) or chest == head:
        raise MissingJointsError(["pelvis"])
    found["pelvis"] = pelvis
    # Joints at their parent's very position (CMU's LowerBack, Neck and LeftShoulder as FBX
    # exports them) give no direction; the chain skips them.
    to_head = [j for j in h.path_between(chest, head) if h.moves(j)]
    if to_head:
        found["chest"] = chest
        found["neck"] = to_head[0]
    else:
        # The shoulders hang off the neck itself: use it as the neck, interpolate the chest.
        found["neck"] = chest
    spine_chain = [j for j in h.path_between(pelvis, found.get("chest", chest)) if h.moves(j)]
    if spine_chain:
        found["spine"] = spine_chain[0]
    for s in ("l", "r"):
        collar = h.parents[found[f"shoulder_{s}"]]
        if (
            collar not in (chest, found["neck"])
            and collar not in h.ancestors(head)
            and h.moves(found[f"shoulder_{s}"])
        ):
            found[f"collar_{s}"] = collar
        hand = _hand(h, found[f"wrist_{s}"])
        if hand is not None:
            found[f"hand_{s}"] = hand
    ends = [c for c in h.children(head) if h.joints[c].is_end and np.any(h.joints[c].offset)]
    if ends:
        found["head_end"] = ends[0]
    return found


def _is_helper(h: _Hierarchy, j: int) -> bool:
    return any(w in h.sides[j][1] for w in _HELPER_WORDS)


def _toe(h: _Hierarchy, ankle: int) -> int | None:
    kids = [c for c in h.children(ankle) if not _is_helper(h, c)]
    joints = [c for c in kids if not h.joints[c].is_end]
    if joints:
        return joints[0]
    ends = [c for c in kids if np.any(h.joints[c].offset)]
    return ends[0] if ends else None


def _hand(h: _Hierarchy, wrist: int) -> int | None:
    kids = [c for c in h.children(wrist) if not _is_helper(h, c)]
    for c in kids:
        if "mid" in h.sides[c][1]:
            return c
    joints = [c for c in kids if not h.joints[c].is_end]
    if len(joints) == 1:
        return joints[0]
    ends = [c for c in kids if h.joints[c].is_end and np.any(h.joints[c].offset)]
    return ends[0] if ends else None


def hierarchy_to_motion(
    data: BvhData, positions: Array, path: str | Path, bone_lengths: BoneLengths = "source"
) -> Motion:
    """Map a joint hierarchy, find its units and retarget its (T, J, 3) world positions.

    Every skeletal importer (BVH, FBX, glTF) ends here: ``data`` gives the hierarchy (and
    ``data.fps`` the source frame rate, which the result keeps), ``positions`` the world
    position of each of its joints per frame, Y up, in the file's units.
    """
    try:
        mapping = map_joints(data)
    except MissingJointsError as err:
        raise BadFileError(path, str(err)) from None
    targets = {name: positions[:, k] for name, k in mapping.items()}
    check_positions(path, np.stack(list(targets.values())))
    height = estimate_height(targets)
    if not (np.isfinite(height) and height > 0):
        raise BadFileError(path, "the skeleton has no height (are all its OFFSETs zero?)")
    scale = unit_scale(height)
    targets = {name: v * scale for name, v in targets.items()}
    check_positions(path, np.stack(list(targets.values())))
    return motion_from_positions(targets, data.fps, bone_lengths)


def bvh_to_motion(
    data: BvhData,
    path: str | Path = "<bvh>",
    bone_lengths: BoneLengths = "source",
    fps: float = CANONICAL_FPS,
) -> Motion:
    """Retarget parsed BVH content onto the canonical skeleton and resample to ``fps``."""
    motion = hierarchy_to_motion(data, bvh_positions(data), path, bone_lengths)
    root = data.joints[0]
    if any(root.offset) and any(c.endswith("position") for c in root.channels):
        # A root OFFSET beside root position channels is ambiguous: Blender, three.js and we
        # let the channels replace it, other tools add the two. iClone's exports put the hip
        # height in the OFFSET and channels near 0, so neither reading finds the floor; the
        # feet do.
        motion = ground(motion)
    return resample(motion, fps)


def load_bvh(
    path: str | Path, bone_lengths: BoneLengths = "source", fps: float = CANONICAL_FPS
) -> Motion:
    """Read any BVH file and return it as a canonical :class:`Motion` at ``fps``.

    Units (m, cm, inches, mm) are detected from the skeleton's height (see
    :func:`unit_scale`). Heights are the file's,
    except where the root has both an OFFSET and position channels (iClone): that motion is
    grounded (see :func:`~inference.motion.feet.ground`). A leading
    T-pose frame is kept; :func:`~inference.motion.ops.drop_leading_tpose` removes it.

    Raises
    ------
    BadFileError
        For unreadable or malformed files and hierarchies that do not map onto the canonical
        body (the message lists the missing joints).
    """
    return bvh_to_motion(read_bvh(path), path, bone_lengths, fps)
