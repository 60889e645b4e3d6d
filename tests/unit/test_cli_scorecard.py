"""``eightcount scorecard``: checked options before any work, the HTML report and the JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main

HIPHOP = "motion/mixamo/Hip_Hop_Dancing.fbx"


def test_scorecard_writes_report_and_json(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, doc_path = tmp_path / "card.html", tmp_path / "card.json"
    argv = ["scorecard", str(shared_data / HIPHOP), "--html", str(out), "--json", str(doc_path)]
    assert main([*argv, "--no-style"]) == 0
    assert "Part 1:" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").count("data:image/svg+xml;base64,") >= 2
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    assert doc["song"] is None and len(doc["parts"]) == 2
    assert doc["parts"][0]["verdict"].startswith("Part 1:")
    assert doc["whole"]["bas"] is None  # no song: nothing musical is measured
    assert doc["real_parts"]["pop_street"]["knee_p90"][3] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.html", "card.json"]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--html", "{tmp}/missing/x.html"], "does not exist"),
        (["--html", "{tmp}/x.pdf"], "cannot write '.pdf'"),
        (["--html", "{tmp}/x.html", "--json", "{tmp}/x.txt"], "cannot write '.txt'"),
        (["--html", "{tmp}/x.html", "--song", "{tmp}/nope.ogg"], "nope.ogg: the file does not"),
        (["--html", "{tmp}/x.html", "--offset", "inf"], "must be a finite number"),
        ([], "the following arguments are required: --html"),
    ],
)
def test_bad_options_are_refused_before_any_work(
    extra: list[str],
    expected: str,
    shared_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import inference.motion.importing

    def worked(*_: object, **__: object) -> None:
        raise AssertionError("work was done before the options were checked")

    monkeypatch.setattr(inference.motion.importing, "read_motion", worked)
    argv = ["scorecard", str(shared_data / HIPHOP), *[a.format(tmp=tmp_path) for a in extra]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("eightcount: error: ") and expected in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_too_short_motion_is_refused_by_name(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flair = shared_data / "motion/mixamo/Flair.fbx"  # 31 frames: just over a second
    from inference.motion.importing import read_motion

    assert read_motion(flair).duration >= 1.0
    short = tmp_path / "short.json"
    from inference.motion import save_motion
    from inference.motion.ops import trim

    save_motion(trim(read_motion(flair), 0, 20), short)
    assert main(["scorecard", str(short), "--html", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "short.json" in err and "scoring needs at least 1.0 s" in err
    assert not (tmp_path / "x.html").exists()
