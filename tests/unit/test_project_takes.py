"""The practice take history: kept per part (newest 10), saved with the project (format 6),
read field by field, absent from older files; recording takes is one undo step."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from app.model import Take
from app.model.project_reader import FORMAT_VERSION, upgrade
from app.model.takes import TAKES_KEPT, kept_takes, takes_of_part
from app.project_io import ProjectFileError, load_project, save_project
from inference.paths import DEMO_SONG
from tests.unit.project_files import edit_document, rich_project


def take(part: int, score: float, at: float, timing: float | None = 40.0) -> Take:
    return Take(part, score, timing, "camera", at)


def test_the_newest_takes_of_each_part_are_kept_oldest_first() -> None:
    history = tuple(take(1, 50 + i, float(i)) for i in range(TAKES_KEPT))
    history += (take(2, 70, 3.5),)
    kept = kept_takes(history, [take(1, 99, 100.0)])
    part_1 = takes_of_part(kept, 1)
    assert len(part_1) == TAKES_KEPT
    assert part_1[0].score == 51 and part_1[-1].score == 99  # the oldest went, the new is last
    assert takes_of_part(kept, 2) == (take(2, 70, 3.5),)  # another part's takes stay
    assert [t.recorded_at for t in kept] == sorted(t.recorded_at for t in kept)


@pytest.mark.parametrize(
    ("score", "timing"), [(float("nan"), 0.0), (101.0, 0.0), (-1.0, 0.0), (60.0, float("inf"))]
)
def test_a_take_refuses_values_a_score_never_has(score: float, timing: float) -> None:
    with pytest.raises(ValueError):
        Take(1, score, timing, "camera", 0.0)


def test_takes_survive_save_and_open(tmp_path: Path) -> None:
    project = rich_project(DEMO_SONG)
    takes = (take(1, 62.5, 1.7e9), take(2, 81.0, 1.7e9 + 60, None), take(1, 70.0, 1.7e9 + 90))
    project.set_takes(takes)
    path = tmp_path / "p.eightcount"
    save_project(project, path)
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("project.json"))
    assert document["format_version"] == FORMAT_VERSION == 6
    assert load_project(path).takes == takes


def test_a_format_5_file_opens_with_no_takes(tmp_path: Path) -> None:
    path = tmp_path / "old.eightcount"
    save_project(rich_project(DEMO_SONG), path)

    def as_format_5(document: dict[str, Any]) -> None:
        document["format_version"] = 5
        document["takes"] = "format 5 had no takes: whatever this is, it is ignored"

    edit_document(path, as_format_5)
    project = load_project(path)
    assert project.takes == ()
    assert [c.id for c in project.dancer_tracks()[0].clips] == ["c1"]
    old = {"format_version": 5, "takes": [1, 2]}
    assert "takes" not in upgrade(old, 5)
    assert old["takes"] == [1, 2]  # the caller's document is untouched


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"part": 0}, "takes[0].part must lie in 1..5000, not 0"),
        ({"score": 140}, "takes[0].score must lie in 0..100, not 140"),
        ({"score": "high"}, "takes[0].score must be a number"),
        ({"timing_ms": 1e99}, "takes[0].timing_ms must lie in"),
        ({"recorded_at": None}, "takes[0].recorded_at is missing"),
    ],
)
def test_a_bad_take_names_its_field_and_opens_nothing(
    tmp_path: Path, bad: dict[str, Any], message: str
) -> None:
    project = rich_project(DEMO_SONG)
    project.set_takes((take(1, 62.5, 1.7e9),))
    path = tmp_path / "p.eightcount"
    save_project(project, path)
    edit_document(path, lambda document: document["takes"][0].update(bad))
    with pytest.raises(ProjectFileError, match=r"p\.eightcount") as error:
        load_project(path)
    assert message in str(error.value)


def test_too_many_takes_are_refused_before_they_are_read(tmp_path: Path) -> None:
    path = tmp_path / "p.eightcount"
    save_project(rich_project(DEMO_SONG), path)
    entry = {"part": 1, "score": 50, "source": "camera", "recorded_at": 0}
    edit_document(path, lambda document: document.update(takes=[entry] * 50_001))
    with pytest.raises(ProjectFileError, match="declares 50,001 takes; the limit is 50,000"):
        load_project(path)
