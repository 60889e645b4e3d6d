"""Node-tree animation, shared by the FBX and glTF importers: sample keys, FK, then retarget.

Scene formats animate a tree of nodes, each with a translation, rotation and scale that keys
replace over time. These helpers sample those keys at every frame, chain the node matrices to
world positions, and hand the tree to the same name-and-hierarchy mapping as BVH
(:func:`~inference.motion.bvh_import.hierarchy_to_motion`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from inference.motion import quaternions as Q
from inference.motion.bvh import BvhData, BvhJoint
from inference.motion.bvh_import import hierarchy_to_motion
from inference.motion.motion import CANONICAL_FPS, Motion
from inference.motion.resample import resample
from inference.motion.retarget import BoneLengths

Array = NDArray[np.float64]


def sample_vectors(key_times: Array, values: Array, times: Array) -> Array:
    """(T, D) values of linearly interpolated keys (K,) x (K, D), held outside the keys."""
    return np.stack([np.interp(times, key_times, values[:, d]) for d in range(values.shape[1])], 1)


def sample_quaternions(key_times: Array, quats: Array, times: Array) -> Array:
    """(T, 4) slerp of (w, x, y, z) rotation keys (K, 4) at ``times``, held outside the keys."""
    if len(key_times) == 1:
        return np.repeat(Q.normalize(quats[:1]), len(times), axis=0)
    i = np.clip(np.searchsorted(key_times, times, side="right") - 1, 0, len(key_times) - 2)
    span = np.maximum(key_times[i + 1] - key_times[i], 1e-12)
    u = np.clip((times - key_times[i]) / span, 0.0, 1.0)
    return Q.slerp(quats[i], quats[i + 1], u)


def trs_matrices(translation: Array, rotation: Array, scale: Array) -> Array:
    """(T, 4, 4) matrices ``T @ R @ S`` from (T, 3) translations, (T, 4) quaternions, scales."""
    out = np.zeros((translation.shape[0], 4, 4))
    out[:, :3, :3] = Q.to_matrix(rotation) * scale[:, None, :]
    out[:, :3, 3] = translation
    out[:, 3, 3] = 1.0
    return out


@dataclass
class NodeTree:
    """A node hierarchy with one local matrix per node and frame.

    Parameters
    ----------
    names
        Node names, parents before children.
    parents
        Parent index per node, -1 for roots.
    local
        (T, N, 4, 4) local matrices (column vectors: translation in the last column).
    fps
        Frame rate of the T frames.
    """

    names: list[str]
    parents: list[int]
    local: Array
    fps: float

    def world(self) -> Array:
        """(T, N, 4, 4) world matrices."""
        world = np.empty_like(self.local)
        for j, p in enumerate(self.parents):
            world[:, j] = self.local[:, j] if p < 0 else world[:, p] @ self.local[:, j]
        return world

    def without(self, drop: Sequence[bool]) -> tuple[NodeTree, Array]:
        """The tree less the ``drop``-flagged nodes (children move to the nearest kept
        ancestor), and the (T, N', 3) world positions of the kept nodes."""
        pos = self.world()[:, :, :3, 3]
        keep = [j for j in range(len(self.names)) if not drop[j]]
        new_index = {j: k for k, j in enumerate(keep)}
        parents = []
        for j in keep:
            p = self.parents[j]
            while p >= 0 and drop[p]:
                p = self.parents[p]
            parents.append(new_index[p] if p >= 0 else -1)
        names = [self.names[j] for j in keep]
        return NodeTree(names, parents, self.local[:, keep], self.fps), pos[:, keep]


def tree_hierarchy(tree: NodeTree, positions: Array) -> BvhData:
    """The tree as BVH-style joints, for :func:`~inference.motion.bvh_import.map_joints`.

    Leaf nodes named ``...End`` (Mixamo's ``HeadTop_End``, ``LeftToe_End``) play the part of
    BVH End Sites; a node's offset is its rest (frame 0) position relative to its parent.
    """
    rest = positions[0]
    joints = []
    has_child = {p for p in tree.parents if p >= 0}
    for j, (name, p) in enumerate(zip(tree.names, tree.parents, strict=True)):
        off = rest[j] - rest[p] if p >= 0 else rest[j]
        is_end = j not in has_child and name.lower().endswith("end")
        joints.append(BvhJoint(name, p, (off[0], off[1], off[2]), (), is_end))
    return BvhData(tuple(joints), 1.0 / tree.fps, np.zeros((positions.shape[0], 0)))


def tree_to_motion(
    tree: NodeTree,
    positions: Array,
    path: str | Path,
    bone_lengths: BoneLengths = "source",
    fps: float = CANONICAL_FPS,
) -> Motion:
    """Retarget a node tree's (T, N, 3) world positions (Y up) onto the canonical skeleton."""
    data = tree_hierarchy(tree, positions)
    return resample(hierarchy_to_motion(data, positions, path, bone_lengths), fps)
