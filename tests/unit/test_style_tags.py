"""Style tags: the user's own styles as tagged stretches of motion, their rules, the examples
each style has (tags and the move library's styles), and the project file (format 5) that
keeps them; format 4 files, which knew no tags, still open."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from app.model import Clip, MotionAsset, Project, StyleTag
from app.model.project_reader import FORMAT_VERSION, upgrade
from app.model.style_tags import (
    MAX_STYLE_NAME_CHARS,
    clean_style_name,
    clip_stretch,
    move_stretch,
    style_examples,
    style_names,
    tagged,
    untagged,
)
from app.project_io import ProjectFileError, load_project, save_project
from inference.errors import UserFacingError
from inference.paths import DEMO_SONG
from tests.unit.project_files import edit_document, motion_arrays, rich_project


def tag_project() -> Project:
    """The rich project (clip c1: 0.2-1.4 s of m1), a second clip, and two library moves."""
    project = rich_project(DEMO_SONG)
    project.add_motion(MotionAsset("m2", "hit", 30.0, motion_arrays(90, seed=2)))
    project.add_motion(MotionAsset("m3", "roll", 30.0, motion_arrays(60, seed=3)))
    project.add_motion(MotionAsset("m4", "tiny", 30.0, motion_arrays(12, seed=4)))
    track = project.dancer_tracks()[0]
    project.add_clip(track.id, Clip("c2", "m2", "hit", 3.0, 0.0, 3.0))
    project.add_clip(track.id, Clip("c3", "m2", "hit end", 7.0, 2.5, 3.0))
    project.set_user_moves(("m3", "m4"), {"m3": "our wave", "m4": "our wave"})
    return project


def clip_of(project: Project, clip_id: str) -> Clip:
    return project.find_clip(clip_id)[1]


def test_tagging_clips_makes_a_style_and_tagging_again_changes_it() -> None:
    project = tag_project()
    tags = tagged(
        project, [clip_stretch(clip_of(project, c)) for c in ("c1", "c2")], "  girl   crush "
    )
    assert [(t.style, t.motion_id, t.source_in, t.source_out, t.name) for t in tags] == [
        ("girl crush", "m1", 0.2, 1.4, "wave"),
        ("girl crush", "m2", 0.0, 3.0, "hit"),
    ]
    assert project.style_tags == ()  # nothing changes until the command is pushed
    project.set_style_tags(tags)
    # Another name for a tagged stretch moves it; the case of an existing name joins it.
    again = tagged(project, [clip_stretch(clip_of(project, "c2"))], "ballad")
    assert [(t.style, t.motion_id) for t in again] == [("girl crush", "m1"), ("ballad", "m2")]
    joined = tagged(project, [move_stretch(project.motions["m2"])], "Girl Crush")
    assert joined[-1].style == "girl crush"
    assert untagged(project, [tags[0].key]) == (tags[1],)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("   ", "needs a name"),
        ("Ballroom", "a name the classifier uses itself"),
        ("unknown", "a name the classifier uses itself"),
        ("mixed", "a name the classifier uses itself"),
        ("x" * (MAX_STYLE_NAME_CHARS + 1), f"the limit is {MAX_STYLE_NAME_CHARS}"),
    ],
)
def test_a_style_name_the_classifier_cannot_keep_apart_is_refused(name: str, expected: str) -> None:
    with pytest.raises(UserFacingError, match=expected):
        clean_style_name(name)


def test_a_stretch_too_short_to_classify_is_refused_and_names_the_clip() -> None:
    project = tag_project()
    with pytest.raises(UserFacingError, match=r"hit end lasts 0\.50 s: .* at least 1\.0 s"):
        tagged(project, [clip_stretch(clip_of(project, c)) for c in ("c2", "c3")], "pop")
    with pytest.raises(UserFacingError, match="Select one or more clips"):
        tagged(project, [], "pop")


def test_the_project_keeps_tags_whole() -> None:
    project = tag_project()
    seen: list[object] = []
    project.events.style_tags_changed.connect(seen.append)
    tags = tagged(project, [clip_stretch(clip_of(project, "c2"))], "pop")
    project.set_style_tags(tags)
    project.set_style_tags(tags)  # the same value: no event
    assert seen == [tags]
    with pytest.raises(ValueError, match="unknown motions"):
        project.set_style_tags((StyleTag("pop", "nope", 0.0, 2.0, "x"),))
    with pytest.raises(ValueError, match="tagged twice"):
        project.set_style_tags((tags[0], tags[0]))
    project.remove_clip("c3")
    project.remove_clip("c2")
    with pytest.raises(ValueError, match="tagged as a style"):
        project.remove_motion("m2")  # the example stays an example when its clip goes


def test_the_move_library_s_styles_are_styles_too_unless_a_move_is_tagged() -> None:
    project = tag_project()
    examples = style_examples(project)
    # m4 lasts 0.4 s, too short to teach anything.
    assert {k: [t.motion_id for t in v] for k, v in examples.items()} == {"our wave": ["m3"]}
    project.set_style_tags(tagged(project, [clip_stretch(clip_of(project, "c2"))], "Our Wave"))
    assert style_names(project) == ("our wave",)  # the tag joins the library's style
    assert [t.motion_id for t in style_examples(project)["our wave"]] == ["m2", "m3"]
    project.set_style_tags(tagged(project, [move_stretch(project.motions["m3"])], "roll"))
    assert {k: [t.motion_id for t in v] for k, v in style_examples(project).items()} == {
        "our wave": ["m2"],
        "roll": ["m3"],
    }


def saved_with_tags(tmp_path: Path) -> tuple[Path, tuple[StyleTag, ...]]:
    project = tag_project()
    stretches = [clip_stretch(clip_of(project, "c1")), move_stretch(project.motions["m3"])]
    project.set_style_tags(tagged(project, stretches, "our girl crush"))
    path = tmp_path / "p.eightcount"
    save_project(project, path)
    return path, project.style_tags


def test_tags_survive_save_and_open(tmp_path: Path) -> None:
    path, tags = saved_with_tags(tmp_path)
    assert FORMAT_VERSION >= 5
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("project.json"))["format_version"] == FORMAT_VERSION
    assert load_project(path).style_tags == tags


def test_a_format_4_file_opens_with_no_tags(tmp_path: Path) -> None:
    path, _tags = saved_with_tags(tmp_path)

    def as_format_4(document: dict[str, Any]) -> None:
        document["format_version"] = 4
        # Format 4 wrote no tags; a key of that name in such a file is nobody's tag.
        document["style_tags"] = [{"style": "ballroom", "motion_id": "gone"}]

    edit_document(path, as_format_4)
    project = load_project(path)
    assert project.style_tags == () and style_names(project) == ("our wave",)
    assert [c.id for c in project.dancer_tracks()[0].clips] == ["c1", "c2", "c3"]
    old = {"format_version": 4, "style_tags": [1]}
    assert "style_tags" not in upgrade(old, 4) and old["style_tags"] == [1]
    assert upgrade({"style_tags": []}, 5)["style_tags"] == []


def _damage(key: str, value: object) -> Any:
    def edit(document: dict[str, Any]) -> None:
        document["style_tags"][0][key] = value

    return edit


BAD_TAGS = {
    "unknown motion": (_damage("motion_id", "m9"), "style_tags[0].motion_id names a motion"),
    "reserved name": (_damage("style", "Unknown"), "a name the classifier uses itself"),
    "empty name": (_damage("style", " "), "style_tags[0].style is refused: A style needs a name"),
    "too short": (_damage("source_out", 0.5), "an example of a style needs at least 1.0 s"),
    "past the motion": (_damage("source_out", 9.0), "lies outside its motion"),
    "not a number": (_damage("source_in", "0"), "style_tags[0].source_in"),
    "twice": (
        lambda d: d["style_tags"].append(dict(d["style_tags"][0])),
        "style_tags[2] tags a stretch an earlier tag tags already",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_TAGS))
def test_a_bad_tag_is_named_and_nothing_opens(tmp_path: Path, case: str) -> None:
    path, _tags = saved_with_tags(tmp_path)
    damage, expected = BAD_TAGS[case]
    edit_document(path, damage)
    with pytest.raises(ProjectFileError) as caught:
        load_project(path)
    assert "p.eightcount" in str(caught.value) and expected in str(caught.value), caught.value
