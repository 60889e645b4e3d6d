"""``eightcount convert`` between motion formats, and its errors (exit code 2, file named)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.cli import main
from inference.motion import load_motion

BANDAI = "motion/bandai_namco/dataset-1_dance-short_normal_001.bvh"


def test_bandai_bvh_to_bvh_and_json(shared_data: Path, tmp_path: Path) -> None:
    source = load_motion(shared_data / BANDAI)
    for name in ("dance.bvh", "dance.json"):
        assert main(["convert", str(shared_data / BANDAI), str(tmp_path / name)]) == 0
        again = load_motion(tmp_path / name)
        assert again.n_frames == source.n_frames
        np.testing.assert_allclose(again.positions(), source.positions(), atol=2e-3)
    doc = json.loads((tmp_path / "dance.json").read_text())
    assert doc["format"] == "eightcount-motion" and doc["fps"] == 30.0


def test_a_tang_dance_to_bvh(shared_data: Path, tmp_path: Path) -> None:
    tang = next(iter(sorted((shared_data / "motion_music/tang2018").glob("DANCE_*"))))
    out = tmp_path / "tang.bvh"
    assert main(["convert", str(tang / "skeletons.json"), str(out), "--units", "cm"]) == 0
    text = out.read_text()
    assert text.startswith("HIERARCHY") and "ROOT pelvis" in text
    assert load_motion(out).n_frames == load_motion(tang / "skeletons.json").n_frames


@pytest.mark.parametrize(
    "source",
    [
        "motion/mixamo/Rumba_Dancing.fbx",
        "motion/mixamo/Michelle.glb",
        "motion/aistpp_slices/true_gKR_sBM_cAll_d30_mKR2_ch02_slice6.csv",
        "motion/cmu_dance/005_03.bvh",
    ],
)
def test_new_formats_convert_to_bvh(shared_data: Path, tmp_path: Path, source: str) -> None:
    out = tmp_path / "out.bvh"
    assert main(["convert", str(shared_data / source), str(out)]) == 0
    again, original = load_motion(out), load_motion(shared_data / source)
    assert again.n_frames == original.n_frames
    np.testing.assert_allclose(again.positions(), original.positions(), atol=2e-3)


@pytest.mark.parametrize(
    ("make_input", "output", "named"),
    [
        (lambda d: d / "missing.bvh", "out.json", "missing.bvh"),
        (lambda d: _write(d / "broken.bvh", "HIERARCHY\nROOT"), "out.json", "broken.bvh"),
        (lambda d: _write(d / "notes.txt", "hello"), "out.bvh", "notes.txt"),
        (lambda d: _write(d / "empty.json", "{}"), "out.bvh", "empty.json"),
        (lambda d: d / "any.bvh", "out.avi", "out.avi"),
        (lambda d: _write(d / "cut.fbx", "Kaydara FBX Binary  \x00"), "out.bvh", "cut.fbx"),
        (lambda d: _write(d / "still.glb", "glTF"), "out.bvh", "still.glb"),
        (lambda d: _write(d / "few.csv", "1,2,3\n4,5,6\n"), "out.bvh", "few.csv"),
    ],
)
def test_bad_input_exits_with_2_and_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_input, output: str, named: str
) -> None:
    source = make_input(tmp_path)
    assert main(["convert", str(source), str(tmp_path / output)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("eightcount: error:") and named in error
    assert not (tmp_path / output).exists()


def test_missing_ffmpeg_is_a_clear_error(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setattr("shutil.which", lambda tool: None)
    assert main(["convert", str(shared_data / BANDAI), str(tmp_path / "d.mp4")]) == 2
    assert "needs ffmpeg" in capsys.readouterr().err


def test_song_only_goes_with_video(shared_data: Path, tmp_path: Path, capsys) -> None:
    code = main(["convert", str(shared_data / BANDAI), str(tmp_path / "d.bvh"), "--song", "x"])
    assert code == 2 and "--song" in capsys.readouterr().err


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_convert_writes_what_inference_motion_writes_plus_mp4() -> None:
    from app.cli_commands.convert import OUTPUT_SUFFIXES, VIDEO_SUFFIX
    from inference.motion import OUTPUT_SUFFIXES as MOTION_SUFFIXES

    assert (*MOTION_SUFFIXES, VIDEO_SUFFIX) == OUTPUT_SUFFIXES
