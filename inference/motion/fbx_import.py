"""FBX import (Mixamo, Maya, MotionBuilder, Cascadeur, DeepMotion, Blender exports).

The file is read by **Assimp** (the Open Asset Import Library, BSD-3, maintained since 2008 and
packaged by Debian as ``libassimp5``) through **impasse** (BSD, pure-Python cffi bindings, so
one wheel fits every Python). Why this pair and not the ufbx bindings on PyPI: ``ufbx`` 0.0.5
declares no licence or source, ``pyufbx`` exposes no animation and takes the same module name,
and ``pufbx`` 0.1.0 is an alpha by one author shipped only as a source tarball (a C compiler
on every machine). Assimp's FBX reader is the one many engines and tools trust, Debian ships
its security fixes, and impasse stays a thin layer over its C API. The cost is a system
package: ``packaging/system-deps.sh`` installs it, and a missing one is a clear error.

What the importer does with Assimp's scene:

* Assimp splits an FBX node with pivots or pre-rotation into ``<name>_$AssimpFbx$_<part>``
  helper nodes. Their matrices are chained in, then they are left out of the hierarchy, so
  the bone ``LeftForeArm`` stays the parent of ``LeftHand``.
* Every node's keys (translation, rotation, scale) are sampled at each frame of the clip's own
  rate (Assimp's ticks per second: the FBX frame rate), linearly and by slerp; nodes without
  keys keep their rest matrix. Key times in an FBX are whole frames, so this reads the keys as
  they are.
* The world positions of the bones go through the same joint mapping and unit detection as
  BVH (Mixamo is in centimetres). A file whose up axis is not +Y is turned so it is.

Measured against Blender 4.2's own FBX importer (``packaging/checks/blender_fbx.py``): on all
18 Mixamo files every mapped joint lies within 0.001 cm of Blender's at every frame but the
last, where Blender drops the final key of three files (DEVELOPERS.md has the per-file figures).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError, UserFacingError
from inference.motion import quaternions as Q
from inference.motion.limits import MAX_JOINTS, check_count, check_file_size, check_frames
from inference.motion.motion import CANONICAL_FPS, Motion
from inference.motion.node_anim import (
    NodeTree,
    sample_quaternions,
    sample_vectors,
    tree_to_motion,
    trs_matrices,
)
from inference.motion.retarget import BoneLengths

Array = NDArray[np.float64]

HELPER_MARK = "$AssimpFbx$"
"""Assimp names the pivot / pre-rotation nodes it splits off a bone ``<bone>_$AssimpFbx$_...``."""
_MAX_FPS = 240.0


def _assimp() -> Any:
    try:
        import impasse
    except ImportError:
        raise UserFacingError(
            "FBX import needs the Python package 'impasse' (pip install impasse)."
        ) from None
    except BaseException as err:  # impasse's AssimpError (a BaseException): no libassimp
        if type(err).__name__ != "AssimpError":
            raise
        raise UserFacingError(
            "FBX import needs the Assimp library: install the system package libassimp5 "
            "(packaging/system-deps.sh does it)."
        ) from None
    return impasse


def _read_scene(path: Path) -> Any:
    impasse = _assimp()
    from impasse.errors import AssimpError

    check_file_size(path)
    try:
        # No post-processing: meshes are never used, only nodes and animation.
        return impasse.load(str(path), processing=0)
    except AssimpError:
        raise BadFileError(
            path, "not a readable FBX file (Assimp cannot import it: truncated or corrupt?)"
        ) from None


def _flatten(root: Any, path: Path) -> tuple[list[Any], list[int]]:
    nodes: list[Any] = []
    parents: list[int] = []
    stack = [(root, -1)]
    while stack:
        node, parent = stack.pop()
        check_count(path, len(nodes) + 1, MAX_JOINTS, "nodes")
        nodes.append(node)
        parents.append(parent)
        me = len(nodes) - 1
        stack.extend((child, me) for child in reversed(list(node.children)))
    return nodes, parents


def _keys(channel: Any, which: str, width: int) -> tuple[Array, Array]:
    """(K,) times and (K, width) values of one key array of an Assimp ``aiNodeAnim``.

    Read straight from Assimp's memory (a double time, then single-precision values, per key):
    walking the keys one cffi object at a time takes seconds per clip.
    """
    from impasse.structs import ffi

    ptr = getattr(channel.struct, f"m{which}Keys")
    n = int(getattr(channel.struct, f"mNum{which}Keys"))
    size = ffi.sizeof(ffi.typeof(ptr).item)
    raw = np.frombuffer(ffi.buffer(ptr, n * size), dtype=np.uint8).reshape(n, size)
    times: Array = np.ascontiguousarray(raw[:, :8]).view("<f8")[:, 0].astype(np.float64)
    values: Array = np.ascontiguousarray(raw[:, 8 : 8 + 4 * width]).view("<f4").astype(np.float64)
    return times, values


def _local_matrices(
    scene: Any, nodes: list[Any], parents: list[int], path: Path
) -> tuple[Array, float]:
    anims = list(scene.animations)
    if not anims:
        raise BadFileError(path, "the file holds no animation (a model or rig without motion)")
    anim = anims[0]
    tps = float(anim.ticks_per_second) or 30.0
    fps = tps if tps <= _MAX_FPS else 60.0
    frames = float(anim.duration) * fps / tps
    if not (np.isfinite(frames) and 0.0 <= frames < 2**31):
        raise BadFileError(path, f"the animation lasts {float(anim.duration):g} ticks")
    n_frames = int(np.floor(frames + 1e-6)) + 1
    check_frames(path, n_frames, len(nodes), fps)
    times: Array = np.arange(n_frames, dtype=np.float64) * (tps / fps)
    rest = np.array([np.asarray(n.transformation, dtype=np.float64) for n in nodes])
    local = np.repeat(rest[None], n_frames, axis=0)
    index = {n.name: j for j, n in enumerate(nodes)}
    for channel in anim.channels:
        name = str(channel.node_name)
        j = index.get(name)
        keyed = all(getattr(channel.struct, f"mNum{k}Keys") for k in ("Position", "Rotation"))
        if j is None or not keyed or not channel.struct.mNumScalingKeys:
            continue
        t = sample_vectors(*_keys(channel, "Position", 3), times)
        r = sample_quaternions(*_keys(channel, "Rotation", 4), times)
        s = sample_vectors(*_keys(channel, "Scaling", 3), times)
        local[:, j] = trs_matrices(t, r, s)
        # Assimp's one channel per bone holds the bone's whole local transform (its keys
        # carry the translation and pre-rotation that the helper nodes above it hold at
        # rest), so those helpers must not apply a second time.
        p = parents[j]
        while p >= 0 and str(nodes[p].name).startswith(name + "_" + HELPER_MARK):
            local[:, p] = np.eye(4)
            p = parents[p]
    return local, fps


def _up_to_y(scene: Any) -> Array | None:
    """The rotation turning the file's up axis onto +Y, or None when it already is +Y."""
    meta = scene.metadata
    axis, sign = int(meta.get("UpAxis", 1)), int(meta.get("UpAxisSign", 1))
    if (axis, sign) == (1, 1) or axis not in (0, 1, 2):
        return None
    up = np.zeros(3)
    up[axis] = 1.0 if sign >= 0 else -1.0
    return Q.between(up, np.array([0.0, 1.0, 0.0]))


def read_fbx(path: str | Path) -> tuple[NodeTree, Array]:
    """The node tree of an FBX file's first animation and its (T, N, 3) world positions.

    Positions are in the file's units, Y up, before any retargeting: what
    ``packaging/checks/blender_fbx.py`` compares with Blender. Assimp's helper nodes are left
    out (see the module notes).
    """
    path = Path(path)
    scene = _read_scene(path)
    nodes, parents = _flatten(scene.root_node, path)
    local, src_fps = _local_matrices(scene, nodes, parents, path)
    names = [str(n.name) for n in nodes]
    tree, positions = NodeTree(names, parents, local, src_fps).without(
        [HELPER_MARK in name for name in names]
    )
    turn = _up_to_y(scene)
    if turn is not None:
        positions = np.asarray(Q.rotate(turn, positions))
    if not np.all(np.isfinite(positions)):
        raise BadFileError(path, "the animation holds NaN or infinite values")
    return tree, positions


def load_fbx(
    path: str | Path, bone_lengths: BoneLengths = "source", fps: float = CANONICAL_FPS
) -> Motion:
    """Read the first animation of an FBX file as a canonical :class:`Motion` at ``fps``.

    Heights are the file's (Mixamo puts the toe joints on y = 0).

    Raises
    ------
    BadFileError
        For a missing, truncated or corrupt file, a file with no animation, and a rig that
        does not map onto the canonical body.
    UserFacingError
        When the Assimp library or the impasse package is not installed.
    """
    tree, positions = read_fbx(path)
    return tree_to_motion(tree, positions, path, bone_lengths, fps)
