"""Every CLI failure of issue #9 §5 ends with a clear line and a non-zero status, no traceback.

Bad options are refused while parsing, before any work; they, bad files and failed writes all
go through the one error boundary of :func:`app.cli.main` (status 2), Ctrl+C gives 130.
"""

from __future__ import annotations

import errno
import json
import math
import os
from pathlib import Path

import pytest

import inference.files
from app.cli import main
from inference.paths import DEMO_SONG

BANDAI = "motion/bandai_namco/dataset-1_dance-short_normal_001.bvh"
CMU = "motion/cmu_dance/005_01.bvh"


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if a song is analysed or a motion read: a refused option must cost no work."""
    import inference.audio
    import inference.motion.importing

    def worked(*_: object, **__: object) -> None:
        raise AssertionError("work was done before the options were checked")

    monkeypatch.setattr(inference.audio, "analyze_song", worked)
    monkeypatch.setattr(inference.motion.importing, "read_motion", worked)


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("eightcount: error: argument ") and err.count("\n") == 1
    return err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["generate", str(DEMO_SONG), "-o", "{tmp}/missing/x.bvh"], "does not exist"),
        (["generate", str(DEMO_SONG), "-o", "{tmp}/x.txt"], "cannot write '.txt'"),
        (["generate", str(DEMO_SONG), "-o", "{tmp}/x.bvh", "--json", "{tmp}/no/x.json"],
         "does not exist"),
        (["generate", str(DEMO_SONG), "-o", "{tmp}/x.bvh", "--video", "{tmp}/no/x.mp4"],
         "does not exist"),
        (["generate", str(DEMO_SONG), "-o", "{tmp}/x.bvh", "--seed", "-5"],
         "must be between 0 and 4,294,967,295"),
        (["generate", "{tmp}/no_song.ogg", "-o", "{tmp}/x.bvh"], "no_song.ogg: the file does"),
        (["metrics", "{data}/" + BANDAI, "--song", str(DEMO_SONG), "--json", "{tmp}/no/m.json"],
         "does not exist"),
        (["metrics", "{data}/" + BANDAI, "--song", str(DEMO_SONG), "--offset", "nan"],
         "must be a finite number"),
        (["convert", "{data}/" + BANDAI, "{tmp}/missing/x.bvh"], "does not exist"),
        (["convert", "{data}/" + BANDAI, "{tmp}/z.mp4", "--size", "20000x20000"],
         "from 16x16 to 7680x4320"),
        (["analyze", str(DEMO_SONG), "--json", "{tmp}/missing/a.json"], "does not exist"),
        (["analyze", str(DEMO_SONG), "--json", "{tmp}"], "cannot write"),
    ],
)  # fmt: skip
def test_bad_options_are_refused_before_any_work(
    argv: list[str],
    expected: str,
    no_work: None,
    tmp_path: Path,
    shared_data: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [a.format(tmp=tmp_path, data=shared_data) for a in argv]
    assert expected in _refused(argv, capsys)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_refused_up_front(
    no_work: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who may write anywhere (root)")
        err = _refused(["generate", str(DEMO_SONG), "-o", str(folder / "x.bvh")], capsys)
        assert "no permission to write there" in err
    finally:
        folder.chmod(0o700)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every atomic write fails half-way with ENOSPC, as on a full disk."""
    real_fdopen = inference.files.os.fdopen

    class FullDisk:
        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self.file = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, text: str) -> int:
            self.file.write(text[:100])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(inference.files.os, "fdopen", FullDisk)


@pytest.mark.parametrize(
    "argv",
    [
        ["convert", "{data}/" + BANDAI, "{tmp}/x.bvh"],
        ["convert", "{data}/" + BANDAI, "{tmp}/x.json"],
        ["analyze", "{data}/beats/ballroom/Media-105901.wav", "--json", "{tmp}/x.json", "--quiet"],
        ["metrics", "{data}/" + CMU, "--song", str(DEMO_SONG), "--json", "{tmp}/x.json"],
    ],
)
def test_a_full_disk_is_one_clear_line_and_leaves_no_temporary_file(
    argv: list[str],
    full_disk: None,
    tmp_path: Path,
    shared_data: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [a.format(tmp=tmp_path, data=shared_data) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "x.bvh" in err or "x.json" in err
    assert "No space left on device" in err
    assert list(tmp_path.iterdir()) == []


def test_generate_on_a_full_disk_leaves_nothing(
    full_disk: None,
    tmp_path: Path,
    shared_data: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    song = shared_data / "beats" / "ballroom" / "Media-105901.wav"  # 32 s: a quick routine
    assert main(["generate", str(song), "-o", str(tmp_path / "x.bvh")]) == 2
    assert "x.bvh: cannot write the file (No space left on device)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def _short_bvh(shared_data: Path, tmp_path: Path, frames: int) -> Path:
    header, motion = (shared_data / CMU).read_text().split("MOTION")
    rows = motion.strip().splitlines()[2 : 2 + frames]
    path = tmp_path / f"f{frames}.bvh"
    path.write_text(
        f"{header}MOTION\nFrames: {frames}\nFrame Time: 0.0333333\n" + "\n".join(rows) + "\n"
    )
    return path


@pytest.mark.parametrize("frames", [1, 2])
def test_metrics_of_a_one_or_two_frame_motion_is_a_clear_error(
    frames: int, tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _short_bvh(shared_data, tmp_path, frames)
    assert main(["metrics", str(path), "--song", str(DEMO_SONG)]) == 2
    assert f"f{frames}.bvh: the motion has {frames} frame(s); scoring needs at least 3" in (
        capsys.readouterr().err
    )


def test_metrics_json_never_holds_a_bare_nan(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import inference.assess.scorecard as scorecard

    monkeypatch.setattr(scorecard, "dance_metrics", lambda *a, **k: {"bas": math.nan, "pfc": 1.0})
    out = tmp_path / "m.json"
    assert (
        main(["metrics", str(shared_data / CMU), "--song", str(DEMO_SONG), "--json", str(out)]) == 0
    )
    text = out.read_text()
    assert "NaN" not in text
    assert json.loads(text)["metrics"] == {"bas": None, "pfc": 1.0}


def test_convert_of_all_zero_offsets_names_the_file(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (shared_data / CMU).read_text().splitlines()
    flat = tmp_path / "flat.bvh"
    flat.write_text(
        "\n".join("OFFSET 0 0 0" if ln.strip().startswith("OFFSET") else ln for ln in lines)
    )
    assert main(["convert", str(flat), str(tmp_path / "out.bvh")]) == 2
    assert "flat.bvh: the skeleton has no height" in capsys.readouterr().err


def test_convert_of_tang_values_times_1e300_names_the_file(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import numpy as np

    doc = json.loads((shared_data / "motion_music/tang2018/DANCE_C_2/skeletons.json").read_text())
    for key in ("skeletons", "center"):
        doc[key] = (np.asarray(doc[key][:50]) * 1e300).tolist()
    (tmp_path / "skeletons.json").write_text(json.dumps(doc))
    assert main(["convert", str(tmp_path / "skeletons.json"), str(tmp_path / "out.bvh")]) == 2
    err = capsys.readouterr().err
    assert "skeletons.json: a joint lies" in err and "Traceback" not in err


def test_mp4_export_with_an_undecodable_song_names_the_song(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"not audio at all" * 64)
    argv = ["convert", str(shared_data / CMU), str(tmp_path / "z.mp4"), "--song", str(junk)]
    assert main(argv) == 2
    assert "junk.mp3: " in capsys.readouterr().err
    assert not (tmp_path / "z.mp4").exists()


def test_ctrl_c_prints_cancelled_and_exits_130(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import app.cli_commands.analyze as analyze

    def interrupted(*_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(analyze, "run", interrupted)
    assert main(["analyze", str(DEMO_SONG), "--json", str(tmp_path / "a.json")]) == 130
    assert capsys.readouterr().err == "Cancelled.\n"


def test_an_unexpected_error_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import app.cli_commands.analyze as analyze

    def broken(*_: object) -> int:
        raise ValueError("something went wrong inside")

    monkeypatch.setattr(analyze, "run", broken)
    assert main(["analyze", str(DEMO_SONG), "--json", str(tmp_path / "a.json")]) == 1
    assert capsys.readouterr().err == (
        "eightcount: internal error: ValueError: something went wrong inside\n"
    )
