"""``eightcount analyze``: the demo song's exports, and clear errors for bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile

from app.cli import main
from inference.paths import DEMO_SONG


def test_analyze_the_demo_song(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, labels, table = tmp_path / "a.json", tmp_path / "a.txt", tmp_path / "a.csv"
    code = main(
        ["analyze", str(DEMO_SONG), "--json", str(out), "--labels", str(labels), "--csv",
         str(table), "--quiet"]
    )  # fmt: skip
    assert code == 0
    data = json.loads(out.read_text())
    assert list(data) == [
        "duration", "tempo_bpm", "meter", "beats", "downbeats", "parts", "sections"
    ]  # fmt: skip
    assert data["duration"] == pytest.approx(61.46, abs=0.05)
    assert 125 < data["tempo_bpm"] < 135 and data["meter"] == 4
    assert set(data["downbeats"]) <= set(data["beats"])
    assert list(data["parts"][0]) == ["index", "start", "end"]
    assert list(data["sections"][0]) == ["label", "start", "end"]
    assert [p["index"] for p in data["parts"]] == list(range(1, len(data["parts"]) + 1))
    assert "\tPart 1\n" in labels.read_text()
    rows = table.read_text().splitlines()
    assert rows[0].startswith("beat,time") and len(rows) == len(data["beats"]) + 1
    assert "demo_song.ogg" in capsys.readouterr().out


def _silent(path: Path) -> Path:
    soundfile.write(path, np.zeros(44100 * 2, np.float32), 44100)
    return path


def _noise(path: Path) -> Path:
    noise = np.random.default_rng(0).normal(0, 0.3, 22050 * 8).astype(np.float32)
    soundfile.write(path, noise, 22050)
    return path


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: (p / "text.wav").write_text("not audio") and p / "text.wav", "decode"),
        (lambda p: (p / "empty.ogg").write_bytes(b"") or p / "empty.ogg", "empty"),
        (lambda p: _silent(p / "silent.wav"), "silence"),
        (lambda p: _noise(p / "noise.wav"), "no steady beat"),
        (lambda p: p / "missing.mp3", "does not exist"),
    ],
    ids=["not-audio", "empty", "silent", "no-beat", "missing"],
)
def test_bad_inputs_exit_2_naming_file_and_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, problem: str
) -> None:
    song = make(tmp_path)  # type: ignore[operator]
    out = tmp_path / "out.json"
    assert main(["analyze", str(song), "--json", str(out), "--quiet"]) == 2
    error = capsys.readouterr().err
    assert song.name in error and problem in error
    assert not out.exists()
