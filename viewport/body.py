"""From dancer poses to the per-instance arrays the renderer uploads (pure numpy).

A dancer is drawn as tapered limbs (one tube instance per bone, radius interpolated along it),
a sphere at every joint (closing the limbs into capsules), a head, and soft contact shadows on
the floor. Keeping this out of the GL code lets tests check sizes and shadows without a context.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from inference.motion import CANONICAL
from viewport.scene import DancerPose
from viewport.shaders import SHADOW_EXTENT

F32 = NDArray[np.float32]

GHOST_ALPHA = 0.4
HEAD_RADIUS = 0.1
_J = CANONICAL.index

# (parent joint, child joint or "<joint>.end" for its End Site, radius at parent, at child),
# a slim adult build in metres. The torso tapers from chest to neck so the shoulders read.
_LIMBS: tuple[tuple[str, str, float, float], ...] = (
    ("pelvis", "spine", 0.1, 0.088),
    ("spine", "chest", 0.088, 0.1),
    ("chest", "neck", 0.1, 0.05),
    ("neck", "head", 0.045, 0.045),
    *(
        limb
        for s in ("l", "r")
        for limb in (
            ("chest", f"collar_{s}", 0.06, 0.055),
            (f"collar_{s}", f"shoulder_{s}", 0.055, 0.056),
            (f"shoulder_{s}", f"elbow_{s}", 0.054, 0.042),
            (f"elbow_{s}", f"wrist_{s}", 0.041, 0.032),
            (f"wrist_{s}", f"wrist_{s}.end", 0.032, 0.026),
            ("pelvis", f"hip_{s}", 0.09, 0.088),
            (f"hip_{s}", f"knee_{s}", 0.088, 0.058),
            (f"knee_{s}", f"ankle_{s}", 0.058, 0.042),
            (f"ankle_{s}", f"toe_{s}", 0.042, 0.036),
            (f"toe_{s}", f"toe_{s}.end", 0.036, 0.028),
        )
    ),
)


def _point_index(name: str) -> tuple[int, bool]:
    """Joint index and whether the name means its End Site."""
    joint, _, end = name.partition(".")
    return _J(joint), end == "end"


_PARENTS = np.array([_point_index(p) for p, _, _, _ in _LIMBS])
_CHILDREN = np.array([_point_index(c) for _, c, _, _ in _LIMBS])
_RADII = np.array([(r0, r1) for _, _, r0, r1 in _LIMBS])

# Floor contacts: (joint, disc radius on the floor, darkness when touching the floor).
_CONTACTS = (
    ("ankle_l", 0.13, 0.55),
    ("toe_l", 0.09, 0.45),
    ("ankle_r", 0.13, 0.55),
    ("toe_r", 0.09, 0.45),
    ("pelvis", 0.38, 0.32),
)
# Height (metres above the joint's resting height) over which a contact shadow fades out.
_SHADOW_FADE = 0.35
_REST_HEIGHT = {"ankle": 0.07, "toe": 0.02, "pelvis": 0.94}


def _points(pose: DancerPose, index: NDArray[np.int_]) -> NDArray[np.float64]:
    """Positions of (joint, is_end_site) pairs."""
    joints, is_end = index[:, 0], index[:, 1].astype(bool)
    return np.where(is_end[:, None], pose.end_sites[joints], pose.positions[joints])


def _rgba(pose: DancerPose) -> NDArray[np.float64]:
    return np.array([*pose.color, GHOST_ALPHA if pose.ghost else 1.0])


@dataclass(frozen=True)
class BodyInstances:
    """Instance arrays for a set of dancers.

    ``limbs`` (N, 12): start xyz, start radius, end xyz, end radius, rgba.
    ``spheres`` (M, 8): centre xyz, radius, rgba.
    """

    limbs: F32
    spheres: F32


def body_instances(poses: Sequence[DancerPose]) -> BodyInstances:
    """Limb and sphere instances of ``poses`` (in order, so the caller can split by ghost)."""
    limbs, spheres = [], []
    for pose in poses:
        rgba = _rgba(pose)
        start, end = _points(pose, _PARENTS), _points(pose, _CHILDREN)
        n = len(_LIMBS)
        limbs.append(np.c_[start, _RADII[:, 0], end, _RADII[:, 1], np.tile(rgba, (n, 1))])
        # One sphere closes the child end of each limb; the radii are chosen so it is never
        # thinner than the limbs that start there, so it also closes their start (one sphere
        # per joint, not two: spheres are most of the triangles).
        head_centre = (pose.positions[_J("head")] + pose.end_sites[_J("head")]) / 2.0
        caps = np.r_[
            np.c_[end, _RADII[:, 1]],
            [[*pose.positions[_J("pelvis")], _RADII[:, 0].max()]],
            [[*head_centre, HEAD_RADIUS]],
        ]
        spheres.append(np.c_[caps, np.tile(rgba, (len(caps), 1))])
    if not poses:
        return BodyInstances(np.zeros((0, 12), np.float32), np.zeros((0, 8), np.float32))
    return BodyInstances(
        np.concatenate(limbs).astype(np.float32), np.concatenate(spheres).astype(np.float32)
    )


def contact_shadows(poses: Sequence[DancerPose]) -> F32:
    """(K, 4) shadow discs on the floor: x, z, radius, darkness.

    A foot on the floor casts a small dark disc; as it rises the disc widens and fades, which
    is how a soft contact shadow reads (and shows at a glance whether a foot is planted).
    Ghosts cast lighter shadows.
    """
    discs = []
    for pose in poses:
        weight = GHOST_ALPHA if pose.ghost else 1.0
        for name, radius, darkness in _CONTACTS:
            x, y, z = pose.positions[_J(name)]
            lift = max(y - _REST_HEIGHT[name.split("_")[0]], 0.0)
            fade = max(1.0 - lift / _SHADOW_FADE, 0.0) if name != "pelvis" else 1.0
            grow = 1.0 + 1.5 * min(lift / _SHADOW_FADE, 1.0)
            if fade > 0.0:
                discs.append((x, z, radius * grow, darkness * fade * weight))
    return np.asarray(discs, dtype=np.float32).reshape(-1, 4)


def drawn_corners(poses: Sequence[DancerPose]) -> NDArray[np.float64]:
    """(K, 3) world points whose convex hull holds every pixel the dancers draw.

    The corners of each body's box (joints and end sites, widened by the thickest limb) and of
    each contact shadow's square on the floor, for a renderer that redraws only that region.
    """
    margin = max(HEAD_RADIUS, float(_RADII.max()))
    corners = []
    for pose in poses:
        points = np.r_[pose.positions, pose.end_sites]
        low, high = points.min(axis=0) - margin, points.max(axis=0) + margin
        grid = np.meshgrid(*np.c_[low, high], indexing="ij")  # the box's 8 corners
        corners.append(np.stack(grid, axis=-1).reshape(-1, 3))
    for x, z, radius, _ in contact_shadows(poses):
        reach = radius * SHADOW_EXTENT
        corners.append([(x + dx, 0.0, z + dz) for dx in (-reach, reach) for dz in (-reach, reach)])
    return np.concatenate(corners) if corners else np.zeros((0, 3))
