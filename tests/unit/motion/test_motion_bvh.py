"""BVH reading, export round trips and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from motion_synth import random_motion

from inference.errors import BadFileError
from inference.motion.bvh import MAX_FRAMES, read_bvh
from inference.motion.bvh_import import detect_unit, load_bvh, map_joints, split_name
from inference.motion.formats import convert, load_motion, save_bvh, save_json
from inference.motion.motion import Motion
from inference.motion.skeleton import CANONICAL

BVH_FILES = [
    "cmu_salsa/60_01_scaled.bvh",
    "cmu_salsa/60_05_scaled.bvh",
    "cmu_salsa/60_13_scaled.bvh",
    "cmu_salsa/61_01_scaled.bvh",
    "cmu_salsa/61_05_scaled.bvh",
    "cmu_salsa/61_13_scaled.bvh",
    "bandai_namco/dataset-1_dance-short_normal_001.bvh",
    "bandai_namco/dataset-1_walk_normal_001.bvh",
]


def _bone_drift(m: Motion) -> float:
    pos = m.positions()
    parents = list(CANONICAL.parents[1:])
    lengths = np.linalg.norm(pos[:, 1:] - pos[:, parents], axis=-1)
    return float(((lengths.max(0) - lengths.min(0)) / lengths.mean(0)).max())


@pytest.mark.parametrize(
    ("name", "side", "base"),
    [
        ("LeftHand", "l", "hand"),
        ("lHand", "l", "hand"),
        ("Hand_L", "l", "hand"),
        ("mixamorig:RightFoot", "r", "foot"),
        ("Bip01 L Foot", "l", "foot"),
        ("wrist_r", "r", "wrist"),
        ("LowerArm_L", "l", "lowerarm"),
        ("Head", None, "head"),
    ],
)
def test_split_name(name: str, side: str | None, base: str) -> None:
    assert split_name(name) == (side, base)


def test_detect_unit() -> None:
    assert detect_unit(1.75) == "m"
    assert detect_unit(168.0) == "cm"
    assert detect_unit(66.0) == "inch"
    assert detect_unit(1720.0) == "mm"


@pytest.mark.parametrize("rel", BVH_FILES)
def test_every_real_bvh_imports(motion_dir: Path, rel: str) -> None:
    data = read_bvh(motion_dir / rel)
    assert data.values.shape[1] == 132
    mapping = map_joints(data)
    assert {"pelvis", "spine", "chest", "neck", "collar_l", "toe_r"} <= set(mapping)
    m = load_bvh(motion_dir / rel)
    assert m.fps == 30.0
    t = data.values.shape[0]
    # Bandai's "0.0333333" is 30 fps (kept frame for frame); CMU's 120 fps is resampled.
    expected = t if abs(data.fps / 30 - 1) < 1e-4 else int((t - 1) / data.fps * 30 + 1e-6) + 1
    assert m.n_frames == expected
    assert _bone_drift(m) < 0.01
    pos = m.positions()
    # A human: head above pelvis, 1.2-2.0 m tall whatever the file's units.
    height = np.median(pos[:, CANONICAL.index("head"), 1] - pos[:, CANONICAL.index("toe_l"), 1])
    assert 1.0 < height < 2.0
    assert np.mean(pos[:, CANONICAL.index("head"), 1] > pos[:, 0, 1]) > 0.95


def test_cmu_and_bandai_retarget_within_2mm(motion_dir: Path) -> None:
    from inference.motion.bvh import bvh_positions
    from inference.motion.retarget import motion_from_positions, position_error

    for rel, scale in (
        ("cmu_salsa/61_05_scaled.bvh", 1.0),
        ("bandai_namco/dataset-1_walk_normal_001.bvh", 0.01),
    ):
        data = read_bvh(motion_dir / rel)
        pos = bvh_positions(data)[:300] * scale
        targets = {k: pos[:, j] for k, j in map_joints(data).items()}
        exact = position_error(
            motion_from_positions(targets, data.fps, calibrate_feet=False), targets
        )
        assert max(exact.values()) < 0.002, rel
        # Foot pitch calibration turns only the ankles: every joint but the toes still fits.
        err = position_error(motion_from_positions(targets, data.fps), targets)
        assert max(v for k, v in err.items() if not k.startswith("toe")) < 0.002, rel


@pytest.mark.parametrize("rel", BVH_FILES[::3])
@pytest.mark.parametrize(("suffix", "units"), [(".bvh", "m"), (".bvh", "cm"), (".json", "m")])
def test_export_import_round_trip_under_1mm(
    motion_dir: Path, tmp_path: Path, rel: str, suffix: str, units: str
) -> None:
    out = tmp_path / f"out{suffix}"
    m = convert(motion_dir / rel, out, units=units)
    back = load_motion(out)
    assert back.n_frames == m.n_frames
    err = np.linalg.norm(m.positions() - back.positions(), axis=-1)
    assert err.max() < 1e-3
    assert _bone_drift(back) < 0.01
    assert np.allclose(back.bone_lengths(), m.bone_lengths(), rtol=0.01)


def test_exported_bvh_is_standard(tmp_path: Path) -> None:
    m = random_motion(12)
    path = tmp_path / "x.bvh"
    save_bvh(m, path)
    text = path.read_text()
    assert "ROOT pelvis" in text
    assert "CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation" in text
    assert "Frame Time: 0.0333333" in text
    assert text.count("End Site") == 5
    data = read_bvh(path)
    assert data.values.shape == (12, 6 + 3 * 20)
    back = load_bvh(path)
    assert np.abs(back.positions() - m.positions()).max() < 1e-4


def test_json_is_plain_and_versioned(tmp_path: Path) -> None:
    import json

    path = tmp_path / "m.json"
    save_json(random_motion(5), path)
    doc = json.loads(path.read_text())
    assert doc["format_version"] == 1
    assert doc["joints"] == list(CANONICAL.names)
    assert np.asarray(doc["rotations"]).shape == (5, 21, 4)


# --- bad input ----------------------------------------------------------------------------

GOOD_HEADER = """HIERARCHY
ROOT Hips
{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT Spine
  {
    OFFSET 0 10 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    End Site
    {
      OFFSET 0 10 0
    }
  }
}
MOTION
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "bad.bvh"
    p.write_text(text)
    return p


def test_truncated_bvh(tmp_path: Path) -> None:
    p = _write(tmp_path, GOOD_HEADER + "Frames: 3\nFrame Time: 0.0333333\n" + "0 " * 9 + "\n0 0 0")
    with pytest.raises(BadFileError, match="truncated"):
        read_bvh(p)
    p = _write(tmp_path, GOOD_HEADER + "Frames: 5\nFrame Time: 0.0333333\n" + ("0 " * 9 + "\n") * 2)
    with pytest.raises(BadFileError, match="declares 5 frames but holds only 2"):
        read_bvh(p)
    p = _write(tmp_path, GOOD_HEADER.split("MOTION")[0][:80])
    with pytest.raises(BadFileError, match=r"truncated|incomplete"):
        read_bvh(p)


def test_channel_count_mismatch(tmp_path: Path) -> None:
    body = "Frames: 2\nFrame Time: 0.0333333\n" + "0 " * 9 + "\n" + "0 " * 11 + "\n"
    with pytest.raises(BadFileError, match="has 11 values but the hierarchy declares 9"):
        read_bvh(_write(tmp_path, GOOD_HEADER + body))
    bad = GOOD_HEADER.replace("CHANNELS 3 Zrotation", "CHANNELS 4 Zrotation")
    with pytest.raises(BadFileError, match="declares 4 channels but lists 3"):
        read_bvh(_write(tmp_path, bad + "Frames: 1\nFrame Time: 0.03\n" + "0 " * 9))


def test_nan_and_inf_values(tmp_path: Path) -> None:
    body = "Frames: 2\nFrame Time: 0.0333333\n" + "0 " * 9 + "\n0 0 0 nan 0 0 0 0 0\n"
    with pytest.raises(BadFileError, match="frame 2 holds NaN"):
        read_bvh(_write(tmp_path, GOOD_HEADER + body))
    bad = GOOD_HEADER.replace("OFFSET 0 10 0", "OFFSET 0 inf 0", 1)
    with pytest.raises(BadFileError, match="NaN or infinite"):
        read_bvh(_write(tmp_path, bad + "Frames: 1\nFrame Time: 0.03\n" + "0 " * 9))


def test_absurd_frame_count_is_refused_before_allocating(tmp_path: Path) -> None:
    body = f"Frames: {MAX_FRAMES + 1}\nFrame Time: 0.0333333\n" + "0 " * 9 + "\n"
    with pytest.raises(BadFileError, match="limit"):
        read_bvh(_write(tmp_path, GOOD_HEADER + body))


def test_unknown_hierarchy_lists_missing_joints(tmp_path: Path) -> None:
    body = "Frames: 1\nFrame Time: 0.0333333\n" + "0 " * 9 + "\n"
    with pytest.raises(BadFileError, match=r"no joint found for .*wrist_l.*ankle_r") as info:
        load_bvh(_write(tmp_path, GOOD_HEADER + body))
    assert "bad.bvh" in str(info.value)


def test_not_a_bvh(tmp_path: Path) -> None:
    with pytest.raises(BadFileError, match="must start with HIERARCHY"):
        read_bvh(_write(tmp_path, "hello"))
    with pytest.raises(BadFileError, match="cannot read"):
        read_bvh(tmp_path / "missing.bvh")


# --- iClone / Character Creator rig (CMU subject 05 on CC_Base_* joints) ------------------

CMU_DANCE = [f"005_{n:02d}.bvh" for n in range(1, 21)]


@pytest.mark.parametrize("name", CMU_DANCE)
def test_every_iclone_cmu_dance_imports(motion_dir: Path, name: str) -> None:
    from motion_checks import assert_plausible_body

    path = motion_dir / "cmu_dance" / name
    data = read_bvh(path)
    names = {k: data.joints[j].name for k, j in map_joints(data).items()}
    # Helper bones sit beside the real ones; the chain must follow the real joints.
    assert names["toe_l"] == "CC_Base_L_ToeBase" and names["wrist_r"] == "CC_Base_R_Hand"
    assert names["pelvis"] == "CC_Base_Hip" and names["collar_l"] == "CC_Base_L_Clavicle"
    m = load_bvh(path)
    assert m.fps == 30.0
    t = data.values.shape[0]
    assert m.n_frames == int((t - 1) / data.fps * 30 + 1e-6) + 1
    # The root OFFSET holds the hip height and the channels stay near 0: grounded on import.
    assert_plausible_body(m, min_upright=0.7)  # kicks, arabesques


def test_iclone_walk_faces_and_travels_plus_z(motion_dir: Path) -> None:
    from motion_checks import horizontal_facing

    m = load_bvh(motion_dir / "cmu_dance" / "005_01.bvh")
    travel = m.root_translation[-1] - m.root_translation[0]
    assert travel[2] > 4.0 and abs(travel[0]) < 0.5  # CMU 05_01 walks 5 m straight ahead
    fwd = horizontal_facing(m).mean(axis=0)
    assert fwd[2] > 0.95  # facing +Z; horizontal_facing puts left (hip_l) on +X
    pos = m.positions()
    assert np.mean(pos[:, CANONICAL.index("wrist_l"), 0] > pos[:, 0, 0]) > 0.95


def test_leading_tpose_is_kept_on_import_and_dropped_on_request(motion_dir: Path) -> None:
    from inference.motion.ops import drop_leading_tpose, is_tpose

    # Perfume's captures start with one T-pose frame; the CMU iClone exports have none
    # (their frame 0 continues into frame 1: the data README's "T-pose prepended" does
    # not hold for these files), so dropping is a no-op there.
    perfume = load_bvh(motion_dir / "perfume" / "A_test.bvh")
    assert is_tpose(perfume)[0] and not is_tpose(perfume)[1:].any()
    dropped = drop_leading_tpose(perfume)
    assert dropped.n_frames == perfume.n_frames - 1
    assert np.allclose(dropped.positions()[0], perfume.positions()[1])
    cmu = load_bvh(motion_dir / "cmu_dance" / "005_02.bvh")
    assert drop_leading_tpose(cmu) is cmu
    from inference.motion.motion import rest_motion

    assert drop_leading_tpose(rest_motion(3)).n_frames == 1
