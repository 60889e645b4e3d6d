"""Motion core: the canonical skeleton, motion maths, importers and exporters.

No Qt here. Everything a viewport, timeline or CLI needs is re-exported from this package:

>>> from inference.motion import load_motion, save_motion, convert, Motion, CANONICAL
"""

from __future__ import annotations

from inference.motion.bvh_import import load_bvh
from inference.motion.fbx_import import load_fbx
from inference.motion.feet import foot_contacts, foot_lock, ground, ground_per_frame
from inference.motion.formats import (
    INPUT_SUFFIXES,
    OUTPUT_SUFFIXES,
    convert,
    load_motion,
    motion_from_dict,
    motion_to_dict,
    save_bvh,
    save_json,
    save_motion,
)
from inference.motion.gltf_import import load_gltf
from inference.motion.motion import (
    CANONICAL_FPS,
    Motion,
    forward_kinematics,
    rest_motion,
)
from inference.motion.ops import (
    concatenate,
    drop_leading_tpose,
    face_audience,
    is_tpose,
    mean_facing,
    mirror,
    place,
    rotate_about_y,
    split,
    translate,
    trim,
)
from inference.motion.positions_import import load_tang, motion_from_landmarks
from inference.motion.resample import change_speed, resample, time_warp
from inference.motion.retarget import MissingJointsError, motion_from_positions
from inference.motion.skeleton import CANONICAL, JOINT_NAMES, REST_PELVIS_HEIGHT, Skeleton
from inference.motion.smpl import load_smpl, load_smpl_csv

__all__ = [
    "CANONICAL",
    "CANONICAL_FPS",
    "INPUT_SUFFIXES",
    "JOINT_NAMES",
    "OUTPUT_SUFFIXES",
    "REST_PELVIS_HEIGHT",
    "MissingJointsError",
    "Motion",
    "Skeleton",
    "change_speed",
    "concatenate",
    "convert",
    "drop_leading_tpose",
    "face_audience",
    "foot_contacts",
    "foot_lock",
    "forward_kinematics",
    "ground",
    "ground_per_frame",
    "is_tpose",
    "load_bvh",
    "load_fbx",
    "load_gltf",
    "load_motion",
    "load_smpl",
    "load_smpl_csv",
    "load_tang",
    "mean_facing",
    "mirror",
    "motion_from_dict",
    "motion_from_landmarks",
    "motion_from_positions",
    "motion_to_dict",
    "place",
    "resample",
    "rest_motion",
    "rotate_about_y",
    "save_bvh",
    "save_json",
    "save_motion",
    "split",
    "time_warp",
    "translate",
    "trim",
]
