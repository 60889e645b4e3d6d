"""A folder of the user's own moves: every file cut into counts in one style, bad files listed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inference.errors import UserFacingError
from inference.generate import GenerationParams, load_library
from inference.generate.move_folder import (
    ImportMoveFolderRequest,
    import_move_folder,
    style_from_folder,
    user_library,
    with_user_clips,
)
from inference.generate.styles import UnknownStyleError, check_style, known_styles
from inference.jobs import Cancelled, Progress, run_job
from inference.motion.importing import read_motion

WALK = "bandai_namco/dataset-1_walk_normal_001.bvh"
SALSA = "cmu_salsa/60_05_scaled.bvh"


def moves_folder(shared_data: Path, tmp_path: Path, name: str = "our_girl_crush") -> Path:
    """A folder with two real BVH takes, a broken BVH and a file that is not motion."""
    folder = tmp_path / name
    folder.mkdir()
    for clip in (WALK, SALSA):
        shutil.copyfile(shared_data / "motion" / clip, folder / Path(clip).name)
    (folder / "broken.bvh").write_text("HIERARCHY\nROOT Hips\n{\n")
    (folder / "notes.txt").write_text("count 5 is the hair flip")
    return folder


def test_every_good_file_goes_in_and_the_bad_one_is_named(shared_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = moves_folder(shared_data, tmp_path)
    reports: list[Progress] = []
    result = run_job(ImportMoveFolderRequest(str(folder), "our girl crush").job(), reports.append)
    assert [m.name for m in result.moves] == ["60_05_scaled", "dataset-1_walk_normal_001"]
    assert all(m.clip.style == "our girl crush" and m.clip.source == "user" for m in result.moves)
    assert all(m.clip.n_beats >= 8 for m in result.moves)  # long enough for an 8-count unit
    assert [name for name, _ in result.failed] == ["broken.bvh"]
    assert result.failed[0][1]  # with the reason
    assert "Added 2 moves" in result.summary() and "broken.bvh" in result.summary()
    assert reports[0].percent == 0 and reports[-1].percent == 100
    assert "broken.bvh" in " ".join(p.message for p in reports)


def test_the_folder_job_stops_between_files(shared_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = moves_folder(shared_data, tmp_path)
    seen: list[Progress] = []
    with pytest.raises(Cancelled):
        run_job(import_move_folder(folder, "x"), seen.append, lambda: len(seen) >= 2)
    assert len(seen) == 2


def test_a_folder_with_no_motion_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserFacingError, match="No motion files in empty"):
        run_job(import_move_folder(tmp_path / "empty", "x"))
    with pytest.raises(UserFacingError, match="not a folder"):
        run_job(import_move_folder(tmp_path / "missing", "x"))


def test_the_style_defaults_to_the_folders_name(tmp_path: Path) -> None:
    assert style_from_folder(tmp_path / "our_girl_crush") == "our girl crush"
    assert style_from_folder(tmp_path / "our  girl crush ") == "our girl crush"
    assert style_from_folder(tmp_path / "girl-crush") == "girl-crush"  # joins the shipped style


def test_the_clips_join_the_library_in_their_style(shared_data: Path) -> None:
    library = load_library()
    motion = read_motion(shared_data / "motion" / SALSA)
    bigger = user_library([("take", motion, "our girl crush")])
    new = bigger.units[len(library.units) :]
    assert new and {u.style for u in new} == {"our girl crush"}
    assert {u.n_beats for u in new} == {1, 2, 4, 8}
    assert any(u.mirrored for u in new)
    assert bigger.units[: len(library.units)] == library.units  # ranked within their own style
    assert with_user_clips(library, []) is library


def test_the_generator_uses_the_clips_when_their_style_is_chosen(shared_data: Path) -> None:
    from inference.audio import analyze_song
    from inference.generate import generate_routine_job
    from inference.paths import DEMO_SONG

    motion = read_motion(shared_data / "motion" / SALSA)
    library = user_library([("take", motion, "our girl crush")])
    analysis = analyze_song(DEMO_SONG)

    def share(style: str) -> float:
        params = GenerationParams(style=style, seed=3)
        result = run_job(generate_routine_job(analysis, params, library=library))
        units = [u for p in result.parts for u in p.units]
        return sum(u.startswith("take ") for u in units) / len(units)

    # One clip of 46 beats cannot fill a song: the planner's variety rules bring in others.
    assert share("our girl crush") > 0.25
    assert share("k-pop") < 0.1


def test_styles_are_checked_against_the_shipped_and_the_users() -> None:
    assert check_style("girl-crush") == "girl-crush"
    assert check_style("our girl crush", ["our girl crush"]) == "our girl crush"
    assert known_styles(["salsa", "mine"])[-2:] == ("mixed", "mine")
    with pytest.raises(UnknownStyleError) as caught:
        check_style("nonsense", ["our girl crush"])
    message = str(caught.value)
    assert "'nonsense'" in message and "k-pop" in message and "modern" in message
    assert message.endswith("your moves: our girl crush")
