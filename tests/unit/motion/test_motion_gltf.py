"""glTF / GLB animation import: the Mixamo Michelle samba, the .gltf variant, bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from motion_checks import assert_plausible_body, horizontal_facing

from inference.errors import BadFileError
from inference.motion.bvh_import import map_joints
from inference.motion.formats import load_motion
from inference.motion.gltf_import import read_gltf
from inference.motion.node_anim import tree_hierarchy


@pytest.fixture(scope="module")
def michelle(motion_dir: Path) -> Path:
    return motion_dir / "mixamo" / "Michelle.glb"


def test_michelle_samba_imports(michelle: Path) -> None:
    tree, pos = read_gltf(michelle)
    assert tree.fps == 30.0 and pos.shape[0] == 547  # the SambaDance clip, not the TPose
    names = {k: tree.names[j] for k, j in map_joints(tree_hierarchy(tree, pos)).items()}
    assert names["pelvis"] == "mixamorig:Hips" and names["wrist_r"] == "mixamorig:RightHand"
    m = load_motion(michelle)
    assert m.fps == 30.0 and m.n_frames == 547
    assert abs((m.n_frames - 1) / 30 - 18.2) < 0.05
    # The root node turns Z-up centimetres into glTF's Y-up metres: a 1.5 m dancer on y = 0.
    # Heights are kept: with the foot pitch calibrated, Mixamo's high ankle joint holds the
    # flat canonical foot's toes about 2.5 cm over the studio's toe clearance.
    assert_plausible_body(m, min_upright=0.95, height=(1.1, 2.0), floor_tolerance=0.03)
    fwd = horizontal_facing(m)
    assert fwd[0, 2] > 0.5 and fwd.mean(axis=0)[2] > 0.3


def test_gltf_with_data_uri_buffers_reads_the_same(michelle: Path, tmp_path: Path) -> None:
    import pygltflib

    gltf = pygltflib.GLTF2().load(str(michelle))
    gltf.convert_buffers(pygltflib.BufferFormat.DATAURI)
    out = tmp_path / "michelle.gltf"
    gltf.save(str(out))
    assert np.array_equal(read_gltf(out)[1], read_gltf(michelle)[1])


def test_glb_without_animation(michelle: Path, tmp_path: Path) -> None:
    import pygltflib

    gltf = pygltflib.GLTF2().load(str(michelle))
    gltf.animations = []
    out = tmp_path / "still.glb"
    gltf.save(str(out))
    with pytest.raises(BadFileError, match=r"still\.glb: the file holds no animation"):
        load_motion(out)


def test_truncated_and_junk_glb(michelle: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.glb"
    cut.write_bytes(michelle.read_bytes()[:200_000])
    with pytest.raises(BadFileError, match=r"cut\.glb: "):
        load_motion(cut)
    junk = tmp_path / "junk.gltf"
    junk.write_text("{ not json")
    with pytest.raises(BadFileError, match=r"junk\.gltf: not a readable glTF file"):
        load_motion(junk)
