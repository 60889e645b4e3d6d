"""What a prompt was understood as, in one short line for the Generate panel.

``"powerful footwork, hip-hop"`` reads as ``"energy ↑, bounce ↑, focus: legs, power ↑,
footwork ↑, style: hip-hop"``: the slider nudges first (they change the routine most), then the body
focus, the moves asked for by name, and the style. The line is read back from the
:class:`~inference.generate.prompt.PromptBias` the generator itself uses, so it never says
something the generator does not do.

Of the move labels only those the prompt's own words name are shown ("footwork", "waves" for
``wave``): a lexicon word also brings related labels ("powerful" brings ``power`` and ``hit``),
and listing those would say the same thing as "energy ↑" at three times the length.
"""

from __future__ import annotations

from dataclasses import dataclass

from inference.generate.params import SLIDERS
from inference.generate.prompt import PromptBias, prompt_tags
from inference.jobs import Job, Progress

MAX_LABELS = 2
"""Named moves shown at most; the rest are counted (``+2``), so the line stays short."""
_MAX_QUOTED = 40


def _arrow(value: float) -> str:
    return "↑" if value > 0 else "↓"


def _squash(word: str) -> str:
    return word.replace("-", "").replace(" ", "")


def _named_labels(bias: PromptBias) -> list[str]:
    """The labels that a matched word names (``wave`` for "waves"), in the prompt's order.

    Left out: a label the line already says as the focus, a slider or the style ("arms",
    "smooth", "hiphop").
    """
    said = {_squash(w) for w in (bias.focus or "", bias.style or "", *SLIDERS) if w}
    named = []
    for word in bias.matched:
        for label in sorted(bias.labels):
            squashed = _squash(label)
            if not (word.startswith(squashed) or squashed.startswith(word)):
                continue
            if any(s.startswith(squashed) for s in said) or label in named:
                continue
            named.append(label)
    return named


def describe_prompt(bias: PromptBias, prompt: str = "") -> str:
    """One short line saying what ``bias`` asks of the generator.

    Parameters
    ----------
    bias
        What :func:`~inference.generate.prompt.prompt_tags` read from the prompt.
    prompt
        The prompt itself, quoted when nothing in it was understood.

    Returns
    -------
    str
        For example ``"energy ↑, bounce ↑, focus: legs, footwork ↑, style: hip-hop"``;
        ``"not understood: “...”"`` for a prompt that asks for nothing known; ``""`` for an
        empty prompt.
    """
    parts = [f"{name} {_arrow(bias.nudges[name])}" for name in SLIDERS if bias.nudges.get(name)]
    if bias.focus:
        parts.append(f"focus: {bias.focus}")
    labels = _named_labels(bias)
    parts += [f"{label} ↑" for label in labels[:MAX_LABELS]]
    if len(labels) > MAX_LABELS:
        parts[-1] += f" +{len(labels) - MAX_LABELS}"
    if bias.style:
        parts.append(f"style: {bias.style}")
    if parts:
        return ", ".join(parts)
    text = " ".join(prompt.split())
    if not text:
        return ""
    quoted = text if len(text) <= _MAX_QUOTED else text[: _MAX_QUOTED - 1].rstrip() + "…"
    return f"not understood: “{quoted}”"


def summarise_prompt_job(prompt: str) -> Job[str]:
    """Read ``prompt`` as the generator will and describe it (the first read loads the model)."""
    yield Progress(0, "Reading the prompt")
    return describe_prompt(prompt_tags(prompt), prompt)


@dataclass(frozen=True)
class SummarisePromptRequest:
    """Describe one prompt on a worker thread (see :func:`summarise_prompt_job`)."""

    prompt: str

    def job(self) -> Job[str]:
        return summarise_prompt_job(self.prompt)
