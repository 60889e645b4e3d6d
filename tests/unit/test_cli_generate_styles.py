"""``eightcount generate``: an unknown style is refused before any work; --moves adds a style."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import main
from inference.paths import DEMO_SONG


@pytest.fixture
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if the song is analysed: a refused style must cost no work."""
    import inference.audio

    def analysed(*_: object, **__: object) -> None:
        raise AssertionError("the song was analysed before the style was checked")

    monkeypatch.setattr(inference.audio, "analyze_song", analysed)


def test_an_unknown_style_is_an_error_listing_the_styles(
    no_analysis: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.bvh"
    assert main(["generate", str(DEMO_SONG), "-o", str(out), "--style", "nonsense"]) == 2
    error = capsys.readouterr().err
    assert "unknown style 'nonsense'" in error
    for style in ("k-pop", "pop", "hip-hop", "girl-crush", "ballad", "salsa", "modern", "mixed"):
        assert style in error
    assert not out.exists()


def test_the_styles_listed_include_the_moves_folder(
    no_analysis: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "our_girl_crush"
    folder.mkdir()
    args = ["generate", str(DEMO_SONG), "-o", str(tmp_path / "x.bvh"), "--moves", str(folder)]
    assert main([*args, "--style", "nonsense"]) == 2
    assert "your moves: our girl crush" in capsys.readouterr().err
    assert main([*args[:-1], str(tmp_path / "missing"), "--style", "salsa"]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_moves_from_a_folder_dance_in_their_style(
    shared_data: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "our_girl_crush"
    folder.mkdir()
    shutil.copyfile(shared_data / "motion/cmu_salsa/60_05_scaled.bvh", folder / "take1.bvh")
    (folder / "broken.bvh").write_text("not motion")
    summary = tmp_path / "x.json"
    out = tmp_path / "x.bvh"
    code = main(
        ["generate", str(DEMO_SONG), "-o", str(out), "--moves", str(folder), "--json",
         str(summary)]
    )  # fmt: skip
    assert code == 0 and out.is_file()
    data = json.loads(summary.read_text())
    assert data["params"]["style"] == "our girl crush"  # the folder's style, unless --style
    units = [u for part in data["parts"] for u in part["units"]]
    assert sum(u.startswith("take1 ") for u in units) > len(units) / 4
    err = capsys.readouterr().err
    assert "Added 1 move" in err and "broken.bvh" in err
