"""What a prompt was understood as, in one short line for the Generate panel.

``"smooth arm waves"`` reads as ``"smoothness ↑, focus: arms, moves: smooth, wave"``: the
slider nudges first (they change the routine most), then the body focus, the move labels and
the style. The line is read back from the :class:`~inference.generate.prompt.PromptBias` the
generator itself uses, so it can never say something the generator does not do.
"""

from __future__ import annotations

from dataclasses import dataclass

from inference.generate.params import SLIDERS
from inference.generate.prompt import PromptBias, prompt_tags
from inference.jobs import Job, Progress

MAX_LABELS = 3
"""Move labels shown at most; the rest are counted (``+2``), so the line stays one line."""
_MAX_QUOTED = 40


def _arrow(value: float) -> str:
    return "↑" if value > 0 else "↓"


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
        For example ``"energy ↑, bounce ↑, focus: legs, moves: footwork, step, style:
        hip-hop"``; ``"not understood: “...”"`` for a prompt that asks for nothing known; ``""``
        for an empty prompt.
    """
    parts = [f"{name} {_arrow(bias.nudges[name])}" for name in SLIDERS if bias.nudges.get(name)]
    if bias.focus:
        parts.append(f"focus: {bias.focus}")
    labels = sorted(bias.labels - {bias.focus})  # "focus: arms" already says "arms"
    if labels:
        shown = ", ".join(labels[:MAX_LABELS])
        extra = len(labels) - MAX_LABELS
        parts.append(f"moves: {shown}" + (f" +{extra}" if extra > 0 else ""))
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
