"""Which files a dropped folder means, and clear errors for bad files of every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from inference.errors import BadFileError, UserFacingError
from inference.jobs import run_job
from inference.motion.formats import INPUT_SUFFIXES
from inference.motion.importing import import_motions, motion_files, read_motion


def test_every_motion_suffix_is_importable() -> None:
    assert {".bvh", ".fbx", ".glb", ".gltf", ".csv", ".json", ".pkl"} == set(INPUT_SUFFIXES)


def test_a_folder_skips_index_tables_but_not_motion_csv(motion_dir: Path, tmp_path: Path) -> None:
    found = [p.name for p in motion_files([motion_dir / "cmu_dance"])]
    assert "CMU_data_index.csv" not in found  # an index table, not motion
    assert "55_01_cmu.fbx" in found and "005_01.bvh" in found
    slices = [p.name for p in motion_files([motion_dir / "aistpp_slices"])]
    assert len(slices) == 6 and all(n.endswith(".csv") for n in slices)
    named = tmp_path / "with_header.csv"
    first = (motion_dir / "aistpp_slices" / slices[0]).read_text().splitlines()[0]
    named.write_text(",".join(f"c{i}" for i in range(72)) + "\n" + first + "\n" + first + "\n")
    assert motion_files([tmp_path]) == [named]
    assert read_motion(named).n_frames == 2


def test_no_motion_message_names_the_formats(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match=r"No motion files \(\.bvh, .*\.fbx, \.glb"):
        run_job(import_motions((str(tmp_path),)))


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("cut.fbx", b"Kaydara FBX Binary  \x00\x1a\x00", "not a readable FBX file"),
        ("empty.glb", b"glTF\x02\x00\x00\x00", "not a readable glTF file"),
        ("short.csv", b"1,2,3\n", "expected 72 columns"),
    ],
)
def test_bad_files_name_the_file(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BadFileError, match=rf"{name}: {problem}"):
        read_motion(path)
