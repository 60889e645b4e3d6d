"""FBX import: every Mixamo clip and the CMU FBX, checked against Blender and for anatomy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from motion_checks import assert_plausible_body, horizontal_facing

from inference.errors import BadFileError
from inference.motion.bvh_import import map_joints
from inference.motion.fbx_import import load_fbx, read_fbx
from inference.motion.formats import load_motion
from inference.motion.node_anim import tree_hierarchy

BLENDER_FIXTURE = Path(__file__).parents[2] / "data" / "mixamo_blender_positions.npz"

# name: (duration the data README gives in seconds, source fps)
MIXAMO = {
    "Gangnam_Style": (12.4, 60),
    "Locking_Hip_Hop_Dance": (17.0, 60),
    "Tut_Hip_Hop_Dance": (12.1, 60),
    "Wave_Hip_Hop_Dance": (16.0, 60),
    "Hip_Hop_Dancing": (7.1, 60),
    "Dancing_Running_Man": (10.8, 60),
    "Dancing_Twerk": (15.2, 60),
    "Brooklyn_Uprock": (4.9, 60),
    "Northern_Soul_Floor_Combo": (10.6, 60),
    "Twist_Dance": (9.4, 60),
    "Swing_Dancing": (24.7, 30),
    "Rumba_Dancing": (2.4, 60),
    "Salsa_Dancing": (2.3, 60),
    "Samba_Dancing": (19.8, 30),
    "Breakdance_1990": (3.5, 30),
    "Flair": (1.0, 30),
    "Chapa-Giratoria": (3.0, 30),
    "mixamo": (16.8, 30),
}
# Floor work: upside down (Flair) or crouched for much of the clip: the share of frames with
# upright legs each still has.
FLOOR_WORK = {
    "Breakdance_1990": 0.6,
    "Flair": 0.1,
    "Northern_Soul_Floor_Combo": 0.6,
    "Chapa-Giratoria": 0.8,
}
# Spins: the mean heading of a spinning clip says nothing.
SPINS = {"Chapa-Giratoria"}


@pytest.fixture(scope="module")
def mixamo_dir(motion_dir: Path) -> Path:
    return motion_dir / "mixamo"


@pytest.mark.parametrize("name", sorted(MIXAMO))
def test_every_mixamo_fbx_imports(mixamo_dir: Path, name: str) -> None:
    duration, src_fps = MIXAMO[name]
    tree, pos = read_fbx(mixamo_dir / f"{name}.fbx")
    assert tree.fps == src_fps
    assert not any("$AssimpFbx$" in n for n in tree.names)
    m = load_motion(mixamo_dir / f"{name}.fbx")
    assert m.fps == 30.0
    assert m.n_frames == int((pos.shape[0] - 1) / src_fps * 30 + 1e-6) + 1
    assert abs((m.n_frames - 1) / 30 - duration) <= 0.1
    # Heights are kept as the file has them: the calibrated flat foot puts Mixamo's toes
    # 1-2 cm over the studio's toe clearance (its ankle joint sits 10.5 cm up).
    floor = 0.05 if name == "Flair" else 0.03
    tall = (0.3, 2.0) if name in FLOOR_WORK else (1.3, 2.0)
    upright = FLOOR_WORK.get(name, 0.9)
    assert_plausible_body(m, upright, tall, floor, toes=name != "Flair")
    fwd = horizontal_facing(m)
    assert fwd[0, 2] > 0.5  # every clip starts facing +Z, left (hip_l) on +X
    if name not in SPINS:
        assert fwd.mean(axis=0)[2] > 0.3


def test_mixamo_matches_blender(mixamo_dir: Path) -> None:
    """Blender 4.2's FBX importer's joint positions (a few frames of each file, stored by
    packaging/checks/blender_fbx.py) against ours, before retargeting."""
    ref = np.load(BLENDER_FIXTURE, allow_pickle=False)
    joints = [str(j) for j in ref["joints"]]
    for name in MIXAMO:
        tree, pos = read_fbx(mixamo_dir / f"{name}.fbx")
        mapping = map_joints(tree_hierarchy(tree, pos))
        frames = ref[f"{name}/frames"]
        ours = pos[frames][:, [mapping[j] for j in joints]] * 0.01  # Mixamo is in cm
        err = np.linalg.norm(ours - ref[f"{name}/positions"], axis=-1)
        assert err.max() < 1e-3, name  # measured: under 0.01 mm


def test_mixamo_skeleton_maps_onto_the_canonical_joints(mixamo_dir: Path) -> None:
    tree, pos = read_fbx(mixamo_dir / "Samba_Dancing.fbx")  # the one with pivot helpers
    names = {k: tree.names[j] for k, j in map_joints(tree_hierarchy(tree, pos)).items()}
    assert names["pelvis"] == "mixamorig:Hips" and names["chest"] == "mixamorig:Spine2"
    assert (
        names["elbow_l"] == "mixamorig:LeftForeArm" and names["toe_r"] == "mixamorig:RightToeBase"
    )
    assert names["head_end"] == "mixamorig:HeadTop_End"
    assert names["hand_l"] == "mixamorig:LeftHandMiddle1"


def test_cmu_fbx_imports(motion_dir: Path) -> None:
    """CMU 55_01 ("dance, whirl") as Blender exported it: 120 fps, ASF units under a x100
    armature (so no real unit: scaled to 1.70 m), LowerBack/Neck/Shoulder at zero offsets."""
    tree, pos = read_fbx(motion_dir / "cmu_dance" / "55_01_cmu.fbx")
    assert tree.fps == 120.0 and pos.shape[0] == 1807
    m = load_fbx(motion_dir / "cmu_dance" / "55_01_cmu.fbx")
    assert m.n_frames == int(1806 / 120 * 30) + 1
    assert_plausible_body(m, min_upright=0.95, floor_tolerance=0.05)
    assert horizontal_facing(m)[0, 2] > 0.9


def test_truncated_fbx(mixamo_dir: Path, tmp_path: Path) -> None:
    p = tmp_path / "cut.fbx"
    p.write_bytes((mixamo_dir / "Rumba_Dancing.fbx").read_bytes()[:20000])
    with pytest.raises(BadFileError, match=r"cut\.fbx: not a readable FBX file"):
        load_motion(p)


def test_not_an_fbx(tmp_path: Path) -> None:
    p = tmp_path / "junk.fbx"
    p.write_bytes(b"\x00\x01 this is no FBX " * 50)
    with pytest.raises(BadFileError, match=r"junk\.fbx: not a readable FBX file"):
        load_motion(p)
    with pytest.raises(BadFileError, match=r"missing\.fbx: cannot read"):
        load_motion(tmp_path / "missing.fbx")


MODEL_ONLY_FBX = """; FBX 7.4.0 project file
FBXHeaderExtension:  {
    FBXHeaderVersion: 1003
    FBXVersion: 7400
}
Objects:  {
    Model: 1000, "Model::Hips", "LimbNode" {
    }
}
Connections:  {
    C: "OO",1000,0
}
"""


def test_fbx_without_animation(tmp_path: Path) -> None:
    p = tmp_path / "rig.fbx"
    p.write_text(MODEL_ONLY_FBX)
    with pytest.raises(BadFileError, match=r"rig\.fbx: the file holds no animation"):
        load_motion(p)
