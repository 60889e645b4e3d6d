"""Hostile motion files: tiny inputs that declare huge sizes are refused before allocating.

Each case is one from issue #9 §2 (or its kin); every refusal names the file and the limit.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from inference.errors import BadFileError
from inference.motion import limits
from inference.motion.bvh_import import load_bvh
from inference.motion.formats import load_motion, motion_from_dict, motion_to_dict
from inference.motion.importing import read_motion
from inference.motion.positions_import import tang_from_dict
from inference.motion.smpl import load_smpl, safe_load_pickle

ROOT_CHANNELS = "CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation"


class _Reduce:
    """Pickles as ``callable(*args)``: how a hostile pickle asks numpy for memory."""

    def __init__(self, callable_: object, *args: object) -> None:
        self.call = (callable_, args)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return self.call  # type: ignore[return-value]


def test_a_93_byte_pickle_asking_for_a_million_frames_is_refused(tmp_path: Path) -> None:
    doc = {
        "smpl_poses": _Reduce(np.ndarray, (1_000_000, 72)),
        "smpl_trans": _Reduce(np.ndarray, (1_000_000, 3)),
    }
    path = tmp_path / "huge.pkl"
    path.write_bytes(pickle.dumps(doc, protocol=2))
    assert path.stat().st_size < 100
    with pytest.raises(BadFileError, match=r"huge\.pkl: .*72,000,000 values; the limit is"):
        load_smpl(path)


def test_a_billion_laughs_pickle_is_refused_without_building_it(tmp_path: Path) -> None:
    shared: list[object] = [0.0] * 72
    for _ in range(9):  # 72 * 10**9 numbers through ten distinct lists
        shared = [shared] * 10
    path = tmp_path / "laughs.pkl"
    path.write_bytes(pickle.dumps({"smpl_poses": shared, "smpl_trans": shared}, protocol=2))
    assert path.stat().st_size < 1000
    with pytest.raises(BadFileError, match=r"laughs\.pkl: 'smpl_poses' holds more than 16,000,000"):
        load_smpl(path)


def test_a_pickle_of_too_many_objects_is_refused_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "many.pkl"
    path.write_bytes(pickle.dumps({"smpl_poses": list(range(500))}, protocol=2))
    monkeypatch.setattr("inference.motion.smpl.MAX_PICKLE_OPS", 400)
    with pytest.raises(BadFileError, match=r"many\.pkl: .*more than 400 objects"):
        safe_load_pickle(path)


def test_a_list_that_contains_itself_is_refused(tmp_path: Path) -> None:
    loop: list[object] = [1.0]
    loop.append(loop)
    path = tmp_path / "loop.pkl"
    path.write_bytes(pickle.dumps({"smpl_poses": loop, "smpl_trans": loop}, protocol=2))
    with pytest.raises(BadFileError, match="contains itself"):
        load_smpl(path)


def test_real_smpl_pickle_still_loads(motion_dir: Path) -> None:
    assert load_smpl(motion_dir / "aistpp_smpl_sample" / "sample.pkl").n_frames > 50


def _deep_bvh(levels: int) -> str:
    joints = "".join(f"JOINT j{i}\n{{\nOFFSET 0 1 0\n" for i in range(levels))
    return (
        f"HIERARCHY\nROOT Hips\n{{\nOFFSET 0 0 0\n{ROOT_CHANNELS}\n{joints}"
        "End Site\n{\nOFFSET 0 1 0\n}\n" + "}\n" * (levels + 1) + "MOTION\nFrames: 1\n"
        "Frame Time: 0.0333333\n0 0 0 0 0 0\n"
    )


def test_200k_nested_joints_are_refused_at_the_depth_limit(tmp_path: Path) -> None:
    path = tmp_path / "deep.bvh"
    path.write_text(_deep_bvh(200_000))
    with pytest.raises(BadFileError, match=r"deep\.bvh: .*more than 100 levels .*limit is 100"):
        load_bvh(path)


def test_100k_sibling_joints_times_5000_frames_are_refused(tmp_path: Path) -> None:
    siblings = "".join(f"JOINT j{i}\n{{\nOFFSET 0 1 0\n}}\n" for i in range(100_000))
    path = tmp_path / "wide.bvh"
    path.write_text(
        f"HIERARCHY\nROOT Hips\n{{\nOFFSET 0 0 0\n{ROOT_CHANNELS}\n{siblings}}}\n"
        "MOTION\nFrames: 5000\nFrame Time: 0.0333333\n" + "0 0 0 0 0 0\n" * 5000
    )
    with pytest.raises(BadFileError, match=r"wide\.bvh: .*more than 1,000 joints"):
        load_bvh(path)


def test_bvh_joint_frames_are_bounded_before_the_values_are_read(tmp_path: Path) -> None:
    # 900 joints are allowed, and so are 10,000 frames, but not both: refused on the header.
    path = tmp_path / "heavy.bvh"
    siblings = "".join(f"JOINT j{i}\n{{\nOFFSET 0 1 0\n}}\n" for i in range(900))
    path.write_text(
        f"HIERARCHY\nROOT Hips\n{{\nOFFSET 0 0 0\n{ROOT_CHANNELS}\n{siblings}}}\n"
        "MOTION\nFrames: 10000\nFrame Time: 0.0333333\n0 0 0 0 0 0\n"
    )
    with pytest.raises(BadFileError, match=r"10,000 frames of 901 joints; the limit is 6,000,000"):
        load_bvh(path)


def test_bvh_a_million_frames_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.bvh"
    path.write_text(_deep_bvh(3).replace("Frames: 1\n", "Frames: 1000000\n"))
    with pytest.raises(BadFileError, match=r"declares 1,000,000 frames; the limit is 216,000"):
        load_bvh(path)


def test_bvh_frame_rate_below_one_fps_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "slow.bvh"
    path.write_text(_deep_bvh(3).replace("Frame Time: 0.0333333", "Frame Time: 5"))
    with pytest.raises(BadFileError, match=r"declares 0\.2 frames per second; the limit is 1-1000"):
        load_bvh(path)


def test_bvh_with_all_zero_offsets_is_a_clear_error(motion_dir: Path, tmp_path: Path) -> None:
    text = (motion_dir / "cmu_dance" / "005_01.bvh").read_text()
    lines = ["OFFSET 0 0 0" if ln.strip().startswith("OFFSET") else ln for ln in text.splitlines()]
    path = tmp_path / "flat.bvh"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(BadFileError, match=r"flat\.bvh: the skeleton has no height"):
        read_motion(path)


def test_bvh_numbers_that_would_overflow_the_maths_are_refused(
    motion_dir: Path, tmp_path: Path
) -> None:
    """Finite but absurd values (1e200 cm) overflowed numpy into a warning, not a message."""
    text = (motion_dir / "cmu_dance" / "005_01.bvh").read_text()
    path = tmp_path / "huge.bvh"
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.strip().startswith("OFFSET"))
    lines[first] = "OFFSET 1e200 0 0"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(BadFileError, match=r"huge\.bvh: line \d+: OFFSET holds the value 1e\+200"):
        read_motion(path)


def _tang(frames: int, scale: float = 1.0) -> dict[str, object]:
    rng = np.random.default_rng(0)
    skeletons = rng.normal(0.0, 30.0, (frames, 23, 3)) * scale
    return {"skeletons": skeletons.tolist(), "center": np.zeros((frames, 3)).tolist()}


def test_tang_values_times_1e300_are_a_clear_error(tang_dir: Path, tmp_path: Path) -> None:
    doc = json.loads((tang_dir / "DANCE_C_2" / "skeletons.json").read_text())
    for key in ("skeletons", "center"):
        doc[key] = (np.asarray(doc[key][:100]) * 1e300).tolist()
    path = tmp_path / "skeletons.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(BadFileError, match=r"skeletons\.json: a joint lies .* limit is 10,000 m"):
        read_motion(path)


def test_tang_frame_count_is_checked_before_the_arrays_are_built() -> None:
    frame = [[0.0, 0.0, 0.0]] * 23
    doc = {"skeletons": [frame] * 300_000, "center": [[0.0, 0.0, 0.0]] * 300_000}
    with pytest.raises(BadFileError, match=r"declares 300,000 frames; the limit is 216,000"):
        tang_from_dict(doc, "skeletons.json")


def test_aistpp_csv_rows_are_counted_before_they_are_split(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("0\n" * 300_000)
    with pytest.raises(BadFileError, match=r"long\.csv: this file declares 300,000 frames"):
        load_motion(path)


def test_motion_json_fps_that_would_multiply_frames_is_refused(motion_dir: Path) -> None:
    doc = motion_to_dict(load_motion(motion_dir / "cmu_dance" / "005_01.bvh"))
    doc["fps"] = 1e-9  # resampled to 30 fps, its frames would number 3e10 times as many
    with pytest.raises(BadFileError, match="frames per second; the limit is 1-1000"):
        motion_from_dict(doc, "m.json")


@pytest.fixture()
def michelle_with_bin(motion_dir: Path, tmp_path: Path) -> Path:
    import pygltflib

    gltf = pygltflib.GLTF2().load(str(motion_dir / "mixamo" / "Michelle.glb"))
    out = tmp_path / "scene" / "michelle.gltf"
    out.parent.mkdir()
    gltf.convert_buffers(pygltflib.BufferFormat.DATAURI)
    gltf.save(str(out))
    return out


@pytest.mark.parametrize("uri", ["/dev/zero", "../outside.bin", "/etc/hostname"])
def test_gltf_buffer_outside_its_folder_is_never_read(michelle_with_bin: Path, uri: str) -> None:
    (michelle_with_bin.parent.parent / "outside.bin").write_bytes(b"\0" * 64)
    doc = json.loads(michelle_with_bin.read_text())
    doc["buffers"][0]["uri"] = uri
    michelle_with_bin.write_text(json.dumps(doc))
    with pytest.raises(BadFileError, match=r"is not a file in the glTF file's folder"):
        load_motion(michelle_with_bin)


@pytest.mark.parametrize("name", ["mixamo/Michelle.glb", "mixamo/Flair.fbx"])
def test_scene_formats_check_joint_frames(
    motion_dir: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_JOINT_FRAMES", 1000)
    with pytest.raises(BadFileError, match=r"joints; the limit is 1,000 joint-frames"):
        load_motion(motion_dir / name)


def test_messages_name_the_file_and_the_limit(tmp_path: Path) -> None:
    with pytest.raises(BadFileError) as caught:
        limits.check_frames(tmp_path / "x.bvh", 1_000_000, 20, 30.0)
    assert str(caught.value).startswith("x.bvh: this file declares 1,000,000 frames;")
    assert "the limit is 216,000" in str(caught.value)
