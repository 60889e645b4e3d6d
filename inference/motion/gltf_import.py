"""glTF 2.0 animation import (``.glb`` and ``.gltf``), read with pygltflib.

pygltflib (MIT, pure Python) parses the JSON and the GLB container; the accessors (typed views
into the binary buffers) are decoded here with numpy. glTF fixes what FBX leaves open: Y is up,
the front is +Z, units are metres and rotations are (x, y, z, w) quaternions, so only the node
tree of the default scene has to be evaluated:

* each node's local transform is its ``matrix``, or translation x rotation x scale;
  an animation channel replaces one of the three (``weights`` channels are morph targets and
  are ignored);
* keys are sampled at the clip's own rate (the median spacing of its key times) from its first
  to its last key: ``LINEAR`` keys are interpolated (slerp for rotations), ``STEP`` keys held,
  ``CUBICSPLINE`` keys taken at their values and interpolated linearly between them (exact on
  the keys, which is where a clip sampled at its own rate lands);
* a file with several animations imports the **longest** one: exporters add short extras (the
  Mixamo ``Michelle.glb`` holds a 2-frame ``TPose`` beside its 18.2 s ``SambaDance``).

The world positions then go through the same joint mapping as BVH and FBX.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError
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

_TRS = ("translation", "rotation", "scale")
_COMPONENTS = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT4": 16}
# componentType -> (numpy type, divisor of a normalized integer)
_TYPES = {
    5126: (np.float32, 1.0),
    5120: (np.int8, 127.0),
    5121: (np.uint8, 255.0),
    5122: (np.int16, 32767.0),
    5123: (np.uint16, 65535.0),
}


class _Reader:
    """Decodes the accessors of one glTF document into float64 arrays."""

    def __init__(self, gltf: Any, path: Path) -> None:
        self.gltf = gltf
        self.path = path
        self._buffers: dict[int, bytes] = {}

    def _buffer(self, i: int) -> bytes:
        if i not in self._buffers:
            uri = self.gltf.buffers[i].uri
            if uri is None:
                data = self.gltf.binary_blob()
            elif uri.startswith("data:"):
                data = base64.b64decode(uri.split(",", 1)[1])
            else:
                data = self._external(unquote(uri)).read_bytes()
            if data is None:
                raise BadFileError(self.path, f"buffer {i} has no data")
            self._buffers[i] = bytes(data)
        return self._buffers[i]

    def _external(self, uri: str) -> Path:
        """The buffer file ``uri`` names: a regular file beside the glTF (or below it)."""
        folder = self.path.parent.resolve()
        target = (folder / uri).resolve()
        if not target.is_relative_to(folder) or not target.is_file():
            raise BadFileError(
                self.path, f"its buffer {uri!r} is not a file in the glTF file's folder"
            )
        check_file_size(target)
        return target

    def accessor(self, index: int) -> Array:
        """(count, components) values of accessor ``index`` (normalized ints scaled to 1)."""
        acc = self.gltf.accessors[index]
        width = _COMPONENTS[acc.type]
        if acc.componentType not in _TYPES or acc.bufferView is None or acc.sparse:
            raise BadFileError(self.path, f"accessor {index} is of a kind not supported")
        kind, divisor = _TYPES[acc.componentType]
        view = self.gltf.bufferViews[acc.bufferView]
        item = np.dtype(kind).itemsize * width
        stride = view.byteStride or item
        start = (view.byteOffset or 0) + (acc.byteOffset or 0)
        data = self._buffer(view.buffer)
        if start + stride * (acc.count - 1) + item > len(data):
            raise BadFileError(self.path, f"accessor {index} runs past the end of its buffer")
        raw = np.ndarray((acc.count, width), kind, data, start, (stride, np.dtype(kind).itemsize))
        out: Array = raw.astype(np.float64)
        return out / divisor if divisor != 1.0 and acc.normalized else out


def _load(path: Path) -> Any:
    import pygltflib

    check_file_size(path)
    try:
        gltf = pygltflib.GLTF2().load(str(path))
    except OSError as err:
        raise BadFileError(path, f"cannot read the file ({err.strerror})") from None
    except BadFileError:
        raise
    except Exception as err:  # pygltflib fails with many types on a broken file
        raise BadFileError(path, f"not a readable glTF file ({type(err).__name__})") from None
    if gltf is None:
        raise BadFileError(path, "not a readable glTF file")
    return gltf


def _scene_nodes(gltf: Any, path: Path) -> tuple[list[int], list[int]]:
    """Node indices of the default scene, parents before children, and their parents."""
    scenes = gltf.scenes or []
    roots = list(scenes[gltf.scene or 0].nodes) if scenes else list(range(len(gltf.nodes)))
    order: list[int] = []
    seen: set[int] = set()
    parents: list[int] = []
    stack = [(r, -1) for r in reversed(roots)]
    while stack:
        node, parent = stack.pop()
        if node in seen:
            continue  # a malformed tree that reaches a node twice
        check_count(path, len(order) + 1, MAX_JOINTS, "nodes")
        seen.add(node)
        order.append(node)
        parents.append(parent)
        me = len(order) - 1
        stack.extend((c, me) for c in reversed(gltf.nodes[node].children or []))
    return order, parents


def _rest(node: Any) -> tuple[Array, Array, Array] | Array:
    if node.matrix is not None:
        return np.asarray(node.matrix, dtype=np.float64).reshape(4, 4).T  # column-major
    t = np.asarray(node.translation or (0.0, 0.0, 0.0), dtype=np.float64)
    x, y, z, w = node.rotation or (0.0, 0.0, 0.0, 1.0)
    s = np.asarray(node.scale or (1.0, 1.0, 1.0), dtype=np.float64)
    return t, np.array([w, x, y, z], dtype=np.float64), s


def _sample(reader: _Reader, sampler: Any, path: str, times: Array) -> Array:
    key_times = reader.accessor(sampler.input)[:, 0]
    values = reader.accessor(sampler.output)
    if sampler.interpolation == "CUBICSPLINE":
        values = values[1::3]  # (in-tangent, value, out-tangent) per key
    if len(values) != len(key_times) or not len(key_times):
        raise BadFileError(reader.path, "an animation sampler's keys and values differ in count")
    if path == "rotation":
        values = values[:, [3, 0, 1, 2]]  # glTF (x, y, z, w) -> ours (w, x, y, z)
    if sampler.interpolation == "STEP":
        i = np.clip(np.searchsorted(key_times, times + 1e-9, side="right") - 1, 0, None)
        return np.asarray(values[i], dtype=np.float64)
    if path == "rotation":
        return sample_quaternions(key_times, values, times)
    return sample_vectors(key_times, values, times)


def _clip_times(reader: _Reader, anim: Any, n_nodes: int) -> tuple[Array, float]:
    keys = [reader.accessor(s.input)[:, 0] for s in anim.samplers]
    start = min(float(k[0]) for k in keys)
    stop = max(float(k[-1]) for k in keys)
    steps = np.concatenate([np.diff(k) for k in keys if len(k) > 1] or [np.array([1 / 30])])
    steps = steps[steps > 1e-6]
    fps = float(np.round(1.0 / np.median(steps), 3)) if steps.size else 30.0
    frames = (stop - start) * fps
    if not (np.isfinite(frames) and 0.0 <= frames < 2**31):
        raise BadFileError(reader.path, f"the animation's keys run from {start:g} to {stop:g} s")
    n_frames = int(np.floor(frames + 1e-6)) + 1
    check_frames(reader.path, n_frames, n_nodes, fps)
    return start + np.arange(n_frames, dtype=np.float64) / fps, fps


def read_gltf(path: str | Path) -> tuple[NodeTree, Array]:
    """The node tree of a glTF file's longest animation and its (T, N, 3) world positions."""
    path = Path(path)
    gltf = _load(path)
    reader = _Reader(gltf, path)
    anims = [a for a in gltf.animations or [] if a.channels]
    if not anims:
        raise BadFileError(path, "the file holds no animation (a model or rig without motion)")
    durations = [max(reader.accessor(s.input)[-1, 0] for s in a.samplers) for a in anims]
    anim = anims[int(np.argmax(durations))]
    order, parents = _scene_nodes(gltf, path)
    times, fps = _clip_times(reader, anim, len(order))
    slot = {node: k for k, node in enumerate(order)}
    n = len(times)
    rest = [_rest(gltf.nodes[i]) for i in order]
    # Per TRS node: its (T, 3) translation, (T, 4) rotation and (T, 3) scale, rest until keyed.
    trs = {
        k: [np.repeat(v[None], n, axis=0) for v in r]
        for k, r in enumerate(rest)
        if isinstance(r, tuple)
    }
    for channel in anim.channels:
        k = slot.get(channel.target.node)
        target = channel.target.path
        if k is None or k not in trs or target not in _TRS:
            continue  # morph weights, or a node outside the scene
        trs[k][_TRS.index(target)] = _sample(reader, anim.samplers[channel.sampler], target, times)
    local = np.empty((n, len(order), 4, 4))
    for k, r in enumerate(rest):
        local[:, k] = trs_matrices(*trs[k]) if k in trs else r
    names = [gltf.nodes[i].name or f"node{i}" for i in order]
    tree = NodeTree(names, parents, local, fps)
    positions = tree.world()[:, :, :3, 3]
    if not np.all(np.isfinite(positions)):
        raise BadFileError(path, "the animation holds NaN or infinite values")
    return tree, positions


def load_gltf(
    path: str | Path, bone_lengths: BoneLengths = "source", fps: float = CANONICAL_FPS
) -> Motion:
    """Read the longest animation of a ``.glb`` / ``.gltf`` file as a canonical Motion.

    Raises
    ------
    BadFileError
        For a missing, truncated or corrupt file, a file with no animation, an accessor this
        reader does not support, and a rig that does not map onto the canonical body.
    """
    tree, positions = read_gltf(path)
    return tree_to_motion(tree, positions, path, bone_lengths, fps)
