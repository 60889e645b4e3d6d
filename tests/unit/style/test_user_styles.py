"""Few-shot user styles: three tagged clips make a style the classifier then recognises.

The two new styles are kinds of dance the classifier was never trained on:

* "pop/idol": the J-pop group Perfume (real mocap; tests only, it never ships). The three
  32-s test captures are tagged; a member's 70-s routine, a different choreography, is held
  out.
* "our k-pop": our own authored K-pop moves (``inference/generate/vocabulary.py``). One move of
  the pop, girl-crush and ballad families each is tagged; the hip-hop and conceptual families'
  moves are held out.

Each held-out clip must come out as its own style among all eight (the six trained and the two
new). (Telling the authored families apart from each other with three moves each is beyond
this embedding: ``tests/benchmarks/bench_style.py`` measures it.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from inference.errors import UserFacingError
from inference.motion import load_motion
from inference.motion.motion import Motion
from inference.style import UserStyle, classify_motion, make_user_style, shipped_model
from inference.style.dataset import authored_clips
from inference.style.user_styles import user_styles_from_folder


@pytest.fixture(scope="module")
def clips(shared_data: Path) -> dict[str, list[tuple[str, Motion]]]:
    perfume = shared_data / "motion" / "perfume"
    # aachan's 70 s are one routine; kashiyuka dances the same one, so one of them is enough.
    idol = [
        (n, load_motion(perfume / f"{n}.bvh")) for n in ("A_test", "B_test", "C_test", "aachan")
    ]
    tagged = [authored_clips(f)[0] for f in ("pop", "girl-crush", "ballad")]
    held_out = [authored_clips(f)[i] for f in ("hip-hop", "conceptual") for i in (0, 1)]
    return {"pop/idol": idol, "our k-pop": tagged + held_out}


def test_three_tagged_clips_teach_a_style_and_held_out_clips_are_recognised(
    clips: dict[str, list[tuple[str, Motion]]],
) -> None:
    model = shipped_model()
    styles = [make_user_style(model, name, [m for _, m in c[:3]]) for name, c in clips.items()]
    assert [s.n_clips for s in styles] == [3, 3]
    for name, c in clips.items():
        for clip, motion in c[3:]:
            result = classify_motion(motion, model, styles, source=clip)
            best = max(result.probabilities, key=lambda s: result.probabilities[s])
            assert best == name, f"{clip}: {best} ({result.probabilities})"
            assert result.style in (name, "mixed")
    # Without the user styles the same clips are not forced into a trained class they are not.
    plain = classify_motion(clips["our k-pop"][4][1], model, source="held out")
    assert "our k-pop" not in plain.probabilities


def test_a_user_style_survives_json_and_needs_a_name_and_clips(
    clips: dict[str, list[tuple[str, Motion]]],
) -> None:
    model = shipped_model()
    style = make_user_style(model, " our girl crush ", [clips["our k-pop"][1][1]])
    assert style.name == "our girl crush"
    again = UserStyle.from_json(style.to_json())
    np.testing.assert_allclose(again.vector, style.vector, atol=1e-5)
    with pytest.raises(UserFacingError, match="needs a name"):
        make_user_style(model, "  ", [clips["our k-pop"][2][1]])
    with pytest.raises(UserFacingError, match="at least one tagged clip"):
        make_user_style(model, "ballad", [])


def test_a_user_style_may_not_take_a_trained_or_reserved_name(
    clips: dict[str, list[tuple[str, Motion]]],
) -> None:
    model = shipped_model()
    motion = clips["our k-pop"][2][1]
    for name in ("ballroom", "unknown"):
        clash = UserStyle(name, model.class_vectors[1], 1)
        with pytest.raises(UserFacingError, match=f"“{name}” is already"):
            classify_motion(motion, model, [clash])


def test_a_folder_of_styles_is_read_by_sub_folder(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="no user styles found"):
        user_styles_from_folder(shipped_model(), tmp_path)
