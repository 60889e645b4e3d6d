"""Tang 2018 positions, the SMPL pickle and MediaPipe landmarks, on the real data."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from inference.errors import BadFileError
from inference.motion import quaternions as Q
from inference.motion.formats import load_motion
from inference.motion.motion import Motion
from inference.motion.positions_import import (
    landmarks_to_targets,
    load_tang,
    motion_from_landmarks,
    tang_to_targets,
)
from inference.motion.retarget import motion_from_positions, position_error
from inference.motion.skeleton import CANONICAL
from inference.motion.smpl import load_smpl, safe_load_pickle

TANG_DANCES = [
    "DANCE_C_2", "DANCE_C_4", "DANCE_C_6", "DANCE_C_7", "DANCE_R_2", "DANCE_R_3", "DANCE_R_4",
    "DANCE_R_5", "DANCE_R_7", "DANCE_T_5", "DANCE_W_1", "DANCE_W_10", "DANCE_W_11", "DANCE_W_12",
    "DANCE_W_14", "DANCE_W_15", "DANCE_W_16", "DANCE_W_3", "DANCE_W_4", "DANCE_W_5", "DANCE_W_6",
    "DANCE_W_7",
]  # fmt: skip


def _anatomy_ok(m: Motion, knees: bool = True) -> None:
    """Knees bend forward, toes point forward, head above pelvis: catches mirrored sources.

    Rumba keeps the knees locked straight (even slightly hyperextended), so the knee check is
    skipped for Tang data; the toes still tell front from back.
    """
    pos, glob = m.positions(), m.global_rotations()
    fwd = Q.rotate(glob[:, 0], np.broadcast_to([0.0, 0.0, 1.0], (m.n_frames, 3)))
    idx = CANONICAL.index
    for s in ("l", "r"):
        hip, knee, ankle, toe = (pos[:, idx(f"{j}_{s}")] for j in ("hip", "knee", "ankle", "toe"))
        if knees:
            assert np.mean(np.sum((knee - 0.5 * (hip + ankle)) * fwd, axis=1)) > 0
        assert np.mean(np.sum((toe - ankle) * fwd, axis=1) > 0) > 0.7
        assert np.mean((pos[:, idx(f"shoulder_{s}")] - pos[:, 0]) @ np.array([1.0, 0, 0])) != 0
    assert np.mean(pos[:, idx("head"), 1] > pos[:, 0, 1]) > 0.95
    parents = list(CANONICAL.parents[1:])
    lengths = np.linalg.norm(pos[:, 1:] - pos[:, parents], axis=-1)
    assert ((lengths.max(0) - lengths.min(0)) / lengths.mean(0)).max() < 0.01


def test_tang_positions_are_relative_to_center(tang_dir: Path) -> None:
    doc = json.loads((tang_dir / "DANCE_C_2" / "skeletons.json").read_text())
    s = np.asarray(doc["skeletons"])
    c = np.asarray(doc["center"])
    assert s[:, :, 1].min() < -50  # relative: feet far below zero
    world = s + c[:, None]
    feet = world[:, [9, 11, 18, 20], 1].min(axis=1)
    assert np.median(feet) < 15.0  # cm: with center added the feet are on the floor


@pytest.mark.parametrize("dance", TANG_DANCES)
def test_every_tang_dance_imports(tang_dir: Path, dance: str) -> None:
    # Fast path: the first 250 frames (10 s) of every dance.
    m = load_tang(tang_dir / dance / "skeletons.json", max_frames=250)
    assert m.fps == 30.0 and m.n_frames == 299  # 249 / 25 s at 30 fps
    _anatomy_ok(m, knees=False)


def test_tang_full_dance_fits_source(tang_dir: Path) -> None:
    doc = json.loads((tang_dir / "DANCE_R_3" / "skeletons.json").read_text())
    targets = tang_to_targets(doc["skeletons"], doc["center"])
    m = motion_from_positions(targets, 25.0)
    assert m.n_frames == len(doc["skeletons"])
    err = position_error(m, targets)
    # The Tang markers are noisy (bone lengths vary by 1-8 cm), so the rigid fit is within cm.
    assert np.mean(list(err.values())) < 0.04
    _anatomy_ok(m, knees=False)


def test_smpl_sample_loads_through_safe_unpickler(motion_dir: Path) -> None:
    path = motion_dir / "aistpp_smpl_sample" / "sample.pkl"
    doc = safe_load_pickle(path)
    assert doc["smpl_poses"].shape == (127, 72)
    m = load_smpl(path)
    assert m.fps == 30.0 and m.n_frames == 64  # 127 frames at 60 fps
    _anatomy_ok(m)
    low = m.positions()[:, [CANONICAL.index("toe_l"), CANONICAL.index("toe_r")], 1].min(axis=1)
    assert abs(np.percentile(low, 10) - 0.02) < 2e-3  # grounded (at 60 fps, then resampled)


class _Evil:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("pwned",))


def test_pickle_with_anything_but_arrays_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "evil.pkl"
    p.write_bytes(pickle.dumps({"smpl_poses": _Evil()}))
    with pytest.raises(BadFileError, match=r"refused .*builtins\.print"):
        load_smpl(p)
    p.write_bytes(pickle.dumps({"smpl_trans": np.zeros((3, 3)), "x": Path("a")}))
    with pytest.raises(BadFileError, match="only numpy arrays"):
        load_motion(p)
    p.write_bytes(b"\x80\x04garbage")
    with pytest.raises(BadFileError, match="pickle"):
        load_smpl(p)
    nan_doc = {"smpl_poses": np.full((4, 72), np.nan), "smpl_trans": np.zeros((4, 3))}
    p.write_bytes(pickle.dumps(nan_doc))
    with pytest.raises(BadFileError, match="NaN"):
        load_smpl(p)


def test_tang_bad_json(tmp_path: Path) -> None:
    p = tmp_path / "skeletons.json"
    p.write_text('{"skeletons": [[[0, 0, 0]]], "center": [[0, 0, 0]]}')
    with pytest.raises(BadFileError, match=r"\(T, 23, 3\)"):
        load_motion(p)
    p.write_text('{"skeletons": ')
    with pytest.raises(BadFileError, match="not valid JSON"):
        load_motion(p)
    doc = {"skeletons": np.zeros((3, 23, 3)).tolist(), "center": np.zeros((3, 3)).tolist()}
    doc["center"][1][0] = float("inf")
    p.write_text(json.dumps(doc))
    with pytest.raises(BadFileError, match="NaN or infinite"):
        load_motion(p)


def test_mediapipe_world_landmarks_real(shared_data: Path) -> None:
    path = shared_data / "video" / "tfjs_pose_squats_3d.blazepose_full_expected.json"
    lm = np.asarray(json.loads(path.read_text()), dtype=np.float64)
    assert lm.shape[1:] == (33, 3)
    m = motion_from_landmarks(lm, fps=5.0)
    assert m.fps == 30.0
    assert m.n_frames == int((lm.shape[0] - 1) / 5.0 * 30) + 1
    pos = m.positions()
    assert np.mean(pos[:, CANONICAL.index("head"), 1] > pos[:, 0, 1]) > 0.95
    # y-down was converted: the head is up, and the squat lowers the pelvis.
    assert np.ptp(pos[:, 0, 1]) > 0.15
    targets = landmarks_to_targets(lm)
    assert np.mean(targets["head"][:, 1] > targets["pelvis"][:, 1]) > 0.9


def test_mediapipe_frame_conversion_is_a_rotation() -> None:
    """A synthetic person facing the camera comes out facing +Z with left on +X."""
    lm = np.zeros((2, 33, 3))
    # MediaPipe frame: x right in the image, y down, z away from the camera.
    pts = {
        0: (0, -0.6, -0.1), 7: (0.07, -0.6, 0), 8: (-0.07, -0.6, 0), 11: (0.18, -0.45, 0),
        12: (-0.18, -0.45, 0), 13: (0.45, -0.45, 0), 14: (-0.45, -0.45, 0),
        15: (0.7, -0.45, 0), 16: (-0.7, -0.45, 0), 17: (0.78, -0.45, 0), 18: (-0.78, -0.45, 0),
        19: (0.78, -0.45, 0), 20: (-0.78, -0.45, 0), 23: (0.09, 0, 0), 24: (-0.09, 0, 0),
        25: (0.09, 0.41, 0), 26: (-0.09, 0.41, 0), 27: (0.09, 0.82, 0), 28: (-0.09, 0.82, 0),
        31: (0.09, 0.87, -0.12), 32: (-0.09, 0.87, -0.12),
    }  # fmt: skip
    for k, v in pts.items():
        lm[:, k] = v
    m = motion_from_landmarks(lm, fps=30.0)
    heading = Q.yaw_of(m.local_rotations[:, 0])
    assert np.allclose(heading, 0.0, atol=1e-6)
    pos = m.positions()
    assert pos[0, CANONICAL.index("wrist_l"), 0] > 0.5
    assert pos[0, CANONICAL.index("toe_l"), 2] > pos[0, CANONICAL.index("ankle_l"), 2]


# --- AIST++ SMPL joint-position CSVs (EDGE's slices) ---------------------------------------

AISTPP_SLICES = [
    "true_gBR_sBM_cAll_d04_mBR0_ch02_slice0.csv",
    "true_gBR_sBM_cAll_d05_mBR0_ch02_slice3.csv",
    "true_gJS_sBM_cAll_d01_mJS3_ch02_slice4.csv",
    "true_gJS_sBM_cAll_d01_mJS3_ch02_slice7.csv",
    "true_gKR_sBM_cAll_d30_mKR2_ch02_slice6.csv",
    "true_gLH_sBM_cAll_d18_mLH4_ch02_slice1.csv",
]


@pytest.mark.parametrize("name", AISTPP_SLICES)
def test_every_aistpp_csv_imports(motion_dir: Path, name: str) -> None:
    from motion_checks import assert_plausible_body, horizontal_facing

    path = motion_dir / "aistpp_slices" / name
    raw = np.loadtxt(path, delimiter=",").reshape(-1, 24, 3)
    m = load_motion(path)
    assert m.fps == 30.0 and m.n_frames == 150  # 5 s at 30 fps, frame for frame
    assert_plausible_body(m, min_upright=0.9)
    # The source is Z-up, facing -Y: after the turn to Y-up the dancer faces +Z (the camera).
    assert horizontal_facing(m).mean(axis=0)[2] > 0.6
    # Metres kept, Z turned into Y: the source's pelvis height (z) becomes ours (y) up to the
    # floor shift, and its wrist (x, -y) ours (x, z) relative to the pelvis.
    ours = m.root_translation[:, 1]
    assert np.allclose(ours - ours.mean(), raw[:, 0, 2] - raw[:, 0, 2].mean(), atol=1e-6)
    wrist = m.positions()[:, CANONICAL.index("wrist_l")] - m.root_translation
    src = raw[:, 20] - raw[:, 0]
    assert np.allclose(wrist, np.stack([src[:, 0], src[:, 2], -src[:, 1]], axis=1), atol=0.01)


def test_csv_up_axis_and_units_are_found(motion_dir: Path, tmp_path: Path) -> None:
    raw = np.loadtxt(motion_dir / "aistpp_slices" / AISTPP_SLICES[0], delimiter=",")
    ref = load_motion(motion_dir / "aistpp_slices" / AISTPP_SLICES[0]).positions()
    p = raw.reshape(-1, 24, 3)
    y_up_cm = np.stack([p[..., 0], p[..., 2], -p[..., 1]], axis=-1).reshape(-1, 72) * 100
    path = tmp_path / "y_up_cm.csv"
    header = ",".join(f"j{j}_{a}" for j in range(24) for a in "xyz")
    np.savetxt(path, y_up_cm, delimiter=",", header=header, comments="")
    back = load_motion(path).positions()
    assert np.abs(back - ref).max() < 1e-6


def test_bad_csv(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("1,2,3\n4,5,6\n")
    with pytest.raises(BadFileError, match=r"bad\.csv: expected 72 columns .* got 3 columns"):
        load_motion(p)
    p.write_text(("0," * 71 + "0\n") + "0," * 70 + "0\n")
    with pytest.raises(BadFileError, match="different numbers of columns"):
        load_motion(p)
    p.write_text(("0," * 71 + "x\n") * 3)
    with pytest.raises(BadFileError, match="not a number"):
        load_motion(p)
    p.write_text(("0," * 71 + "nan\n") * 3)
    with pytest.raises(BadFileError, match="NaN"):
        load_motion(p)
    p.write_text("")
    with pytest.raises(BadFileError, match="no rows"):
        load_motion(p)
