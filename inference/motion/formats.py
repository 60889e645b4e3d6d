"""Motion files in and out: BVH and JSON export, load by extension, and ``convert``.

BVH export
    ROOT ``pelvis`` with ``Xposition Yposition Zposition Zrotation Xrotation Yrotation``,
    every other joint ``Zrotation Xrotation Yrotation``, OFFSETs of the T-pose rest, End Sites
    after head, wrists and toes, ``Frame Time: 0.0333333``. Units are **metres** by default:
    Blender's BVH importer uses scale 1.0 by default, so a metre file arrives as a 1.70 m
    armature with no fix-up (Y up, which the importer converts to Blender's Z up).
    ``units="cm"`` writes centimetres for tools that expect them (MotionBuilder, most mocap);
    either unit is detected again on import.

JSON export
    ``{"format": "eightcount-motion", "format_version": 1, "fps", "units": "m", "up": "y",
    "quaternion_order": "wxyz", "joints", "parents", "offsets" (J,3), "end_offsets" (J,3),
    "root_translation" (T,3), "rotations" (T,J,4)}``. Rotations are local and relative to the
    T-pose rest, exactly as in :class:`~inference.motion.motion.Motion`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from inference.errors import BadFileError
from inference.files import write_text_atomic
from inference.motion.bvh import write_bvh
from inference.motion.bvh_import import load_bvh
from inference.motion.fbx_import import load_fbx
from inference.motion.gltf_import import load_gltf
from inference.motion.limits import check_frames, check_positions
from inference.motion.motion import CANONICAL_FPS, Motion
from inference.motion.positions_import import read_json, tang_from_dict
from inference.motion.resample import resample
from inference.motion.retarget import BoneLengths
from inference.motion.skeleton import CANONICAL
from inference.motion.smpl import load_smpl, load_smpl_csv

JSON_FORMAT = "eightcount-motion"
JSON_VERSION = 1
INPUT_SUFFIXES = (".bvh", ".json", ".pkl", ".csv", ".fbx", ".glb", ".gltf")
OUTPUT_SUFFIXES = (".bvh", ".json")
_UNITS = {"m": 1.0, "cm": 100.0}


def _end_offsets(motion: Motion) -> np.ndarray:
    """End Sites scaled with the motion's own body size (ratio of total bone length)."""
    rest = np.linalg.norm(CANONICAL.offsets, axis=-1).sum()
    own = np.linalg.norm(motion.bone_offsets, axis=-1).sum()
    return np.asarray(CANONICAL.end_offsets * (own / rest))


def save_bvh(motion: Motion, path: str | Path, units: str = "m") -> None:
    """Write ``motion`` as a BVH file Blender imports as is (see module notes for units)."""
    if units not in _UNITS:
        raise ValueError(f"units must be one of {sorted(_UNITS)}")
    k = _UNITS[units]
    sk = motion.skeleton
    write_bvh(
        path,
        list(sk.names),
        list(sk.parents),
        motion.bone_offsets * k,
        _end_offsets(motion) * k,
        motion.root_translation * k,
        motion.local_rotations,
        1.0 / motion.fps,
    )


def motion_to_dict(motion: Motion) -> dict[str, Any]:
    """The JSON document for ``motion`` (plain lists, ready for ``json.dump``)."""
    sk = motion.skeleton
    return {
        "format": JSON_FORMAT,
        "format_version": JSON_VERSION,
        "fps": motion.fps,
        "units": "m",
        "up": "y",
        "quaternion_order": "wxyz",
        "joints": list(sk.names),
        "parents": list(sk.parents),
        "offsets": np.round(motion.bone_offsets, 7).tolist(),
        "end_offsets": np.round(_end_offsets(motion), 7).tolist(),
        "root_translation": np.round(motion.root_translation, 7).tolist(),
        "rotations": np.round(motion.local_rotations, 8).tolist(),
    }


def save_json(motion: Motion, path: str | Path) -> None:
    """Write ``motion`` as JSON (atomically: a temporary file, then a rename)."""
    write_text_atomic(path, json.dumps(motion_to_dict(motion), separators=(",", ":")))


def motion_from_dict(doc: Any, path: str | Path = "<motion.json>") -> Motion:
    """Rebuild a Motion from :func:`motion_to_dict` output."""
    if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT:
        raise BadFileError(path, "not an EightCount motion JSON")
    version = doc.get("format_version")
    if version != JSON_VERSION:
        raise BadFileError(path, f"unsupported format_version {version!r} (expected 1)")
    if doc.get("joints") != list(CANONICAL.names) or doc.get("parents") != list(CANONICAL.parents):
        raise BadFileError(path, "its joints are not the canonical skeleton's")
    try:
        fps = float(doc["fps"])
        check_frames(path, len(doc["rotations"]), len(CANONICAL.names), fps)
        root = np.asarray(doc["root_translation"], dtype=np.float64)
        check_positions(path, root)
        return Motion(
            CANONICAL,
            fps,
            root,
            np.asarray(doc["rotations"], dtype=np.float64),
            np.asarray(doc["offsets"], dtype=np.float64),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise BadFileError(path, f"invalid motion data ({err})") from None


def load_motion(
    path: str | Path, bone_lengths: BoneLengths = "source", fps: float = CANONICAL_FPS
) -> Motion:
    """Load any supported motion file as a canonical Motion at ``fps``.

    ``.bvh`` (any skeleton), ``.json`` (ours, or a Tang 2018 ``skeletons.json``), ``.pkl``
    (AIST++-style SMPL, loaded through the array-only unpickler), ``.csv`` (SMPL 24-joint
    global positions, as EDGE's AIST++ slices), ``.fbx`` (any rig; read by Assimp),
    ``.glb`` / ``.gltf`` (glTF 2.0 skeletal animation).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".bvh":
        return load_bvh(path, bone_lengths, fps)
    if suffix == ".pkl":
        return load_smpl(path, bone_lengths=bone_lengths, out_fps=fps)
    if suffix == ".csv":
        return load_smpl_csv(path, bone_lengths=bone_lengths, out_fps=fps)
    if suffix == ".fbx":
        return load_fbx(path, bone_lengths, fps)
    if suffix in (".glb", ".gltf"):
        return load_gltf(path, bone_lengths, fps)
    if suffix == ".json":
        doc = read_json(path)
        if isinstance(doc, dict) and doc.get("format") == JSON_FORMAT:
            return resample(motion_from_dict(doc, path), fps)
        if isinstance(doc, dict) and "skeletons" in doc:
            return tang_from_dict(doc, path, bone_lengths, fps)
        raise BadFileError(path, "a JSON file that is neither an EightCount motion nor Tang data")
    raise BadFileError(
        path, f"unsupported motion file type {suffix!r} (use {', '.join(INPUT_SUFFIXES)})"
    )


def save_motion(motion: Motion, path: str | Path, units: str = "m") -> None:
    """Write ``motion`` as ``.bvh`` or ``.json``, chosen by the file extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".bvh":
        save_bvh(motion, path, units)
    elif suffix == ".json":
        save_json(motion, path)
    else:
        raise BadFileError(
            path, f"cannot write {suffix!r} motion files (use {', '.join(OUTPUT_SUFFIXES)})"
        )


def convert(
    input_path: str | Path,
    output_path: str | Path,
    bone_lengths: BoneLengths = "source",
    units: str = "m",
) -> Motion:
    """Read any supported motion and write it as ``.bvh`` or ``.json`` at 30 fps.

    This is what ``eightcount convert INPUT OUTPUT`` calls. The output type is checked before
    the input is read, so a bad output name fails fast. Returns the converted Motion.
    """
    out = Path(output_path)
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise BadFileError(
            out, f"cannot write {out.suffix!r} motion files (use {', '.join(OUTPUT_SUFFIXES)})"
        )
    motion = load_motion(input_path, bone_lengths)
    save_motion(motion, out, units)
    return motion
