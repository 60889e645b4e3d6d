"""The line under the prompt box: what a prompt was understood as."""

from __future__ import annotations

from inference.generate.prompt import PromptBias, prompt_tags
from inference.generate.prompt_summary import (
    MAX_LABELS,
    SummarisePromptRequest,
    describe_prompt,
)
from inference.jobs import run_job


def test_nudges_focus_labels_and_style_in_one_line() -> None:
    bias = PromptBias(
        nudges={"bounce": 0.3, "energy": 0.35, "smoothness": -0.2},
        focus="legs",
        labels=frozenset({"footwork", "step"}),
        style="hip-hop",
        matched=("footwork",),
    )
    assert describe_prompt(bias) == (
        "energy ↑, smoothness ↓, bounce ↑, focus: legs, moves: footwork, step, style: hip-hop"
    )


def test_many_labels_are_counted_not_listed() -> None:
    labels = frozenset({"a", "b", "c", "d", "e"})
    line = describe_prompt(PromptBias(labels=labels, matched=("x",)))
    assert line == f"moves: a, b, c +{len(labels) - MAX_LABELS}"


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
    assert line.startswith("smoothness ↑, focus: arms, moves: ") and "wave" in line
    assert "arms, " not in line.split("moves:")[1]  # the focus is not said twice
    assert run_job(SummarisePromptRequest(prompt).job()) == describe_prompt(prompt_tags(prompt))
