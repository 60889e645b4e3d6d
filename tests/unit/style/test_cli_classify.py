"""``eightcount classify MOTION --json OUT.json``: the document, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from inference.motion import load_motion, save_json
from inference.motion.motion import rest_motion
from inference.motion.ops import trim
from inference.style import STYLES

SALSA = "motion/cmu_salsa/61_13_scaled.bvh"
STREET = "motion/aistpp_slices/true_gLH_sBM_cAll_d18_mLH4_ch02_slice1.csv"


def test_classify_writes_style_probabilities_and_windows(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "style.json"
    assert main(["classify", str(shared_data / SALSA), "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["style"] == "salsa/samba"
    assert set(doc["probabilities"]) == set(STYLES)
    assert sum(doc["probabilities"].values()) == pytest.approx(1.0, abs=1e-3)
    assert len(doc["per_window"]) >= 10
    first = doc["per_window"][0]
    assert first["start"] == 0.0 and first["end"] == 2.0
    assert set(first) >= {"style", "probabilities", "similarity"}
    assert "61_13_scaled.bvh: salsa/samba" in capsys.readouterr().out


def test_classify_with_a_folder_of_user_styles(shared_data: Path, tmp_path: Path) -> None:
    street = shared_data / STREET
    style_dir = tmp_path / "styles" / "our salsa"
    style_dir.mkdir(parents=True)
    save_json(trim(load_motion(street), 0, 90), style_dir / "take.json")
    out = tmp_path / "style.json"
    args = ["classify", str(street), "--json", str(out)]
    assert main([*args, "--user-styles", str(tmp_path / "styles")]) == 0
    doc = json.loads(out.read_text())
    assert doc["user_styles"] == ["our salsa"]
    assert set(doc["probabilities"]) == {*STYLES, "our salsa"}


def test_a_two_frame_motion_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "two.json"
    save_json(rest_motion(2), path)
    out = tmp_path / "out.json"
    assert main(["classify", str(path), "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert "two.json: 2 frames is too short to classify" in err
    assert not out.exists()


def test_a_motion_holding_nan_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    save_json(rest_motion(60), path)
    doc = json.loads(path.read_text())
    doc["root_translation"][10][1] = float("nan")
    path.write_text(json.dumps(doc))
    assert main(["classify", str(path)]) == 2
    assert "broken.json" in capsys.readouterr().err


def test_a_bad_output_name_fails_before_any_work(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["classify", str(shared_data / STREET), "--json", str(tmp_path / "style.txt")]) == 2
    assert "cannot write '.txt'" in capsys.readouterr().err
