"""The line under the prompt box: what a prompt was understood as."""

from __future__ import annotations

from inference.generate.prompt import PromptBias, prompt_tags
from inference.generate.prompt_summary import (
    MAX_LABELS,
    SummarisePromptRequest,
    describe_prompt,
)
from inference.jobs import run_job


def test_nudges_focus_named_moves_and_style_in_one_line() -> None:
    bias = PromptBias(
        nudges={"bounce": 0.3, "energy": 0.35, "smoothness": -0.2},
        focus="legs",
        labels=frozenset({"footwork", "step", "groove", "hiphop", "legs"}),
        style="hip-hop",
        matched=("footwork", "hiphop", "legs"),
    )
    # "step" and "groove" come with the words but are not named by them; "hiphop" is the
    # style and "legs" the focus, which the line says already.
    assert describe_prompt(bias) == (
        "energy ↑, smoothness ↓, bounce ↑, focus: legs, footwork ↑, style: hip-hop"
    )


def test_a_plural_word_names_its_move_and_many_moves_are_counted() -> None:
    assert describe_prompt(PromptBias(labels=frozenset({"wave"}), matched=("waves",))) == "wave ↑"
    words = ("cute", "jumps", "spins", "turns", "hips")
    labels = frozenset({"cute", "jump", "spin", "turn", "hips"})
    line = describe_prompt(PromptBias(labels=labels, matched=words))
    assert MAX_LABELS == 2 and line == "cute ↑, jump ↑ +3"


def test_an_empty_prompt_says_nothing_and_an_unknown_one_says_so() -> None:
    assert describe_prompt(PromptBias()) == ""
    assert describe_prompt(PromptBias(), "   ") == ""
    assert describe_prompt(PromptBias(), "qwxz  vbnm") == "not understood: “qwxz vbnm”"
    long = describe_prompt(PromptBias(), "zz " * 40)
    assert long.startswith("not understood: “zz zz") and long.endswith("…”") and len(long) < 60


def test_the_line_reads_what_the_generator_reads() -> None:
    # Every word is in the lexicon by spelling, so the sentence model is not needed.
    prompt = "smooth flowing arm waves"
    line = describe_prompt(prompt_tags(prompt))
    assert line.startswith("smoothness ↑, focus: arms") and "wave ↑" in line
    assert "arms ↑" not in line and "smooth ↑" not in line  # said once, as focus and slider
    assert run_job(SummarisePromptRequest(prompt).job()) == describe_prompt(prompt_tags(prompt))
