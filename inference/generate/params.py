"""The generator's request: an immutable snapshot of the sliders, style, prompt and seed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

STYLES = (
    "k-pop",
    "pop",
    "hip-hop",
    "girl-crush",
    "ballad",
    "conceptual",
    "salsa",
    "modern",
    "mixed",
)
"""Styles the shipped library knows; a user style name matches units added with that style.

``k-pop`` draws on every K-pop family (pop, hip-hop, girl crush, ballad, conceptual); ``mixed``
draws on the whole library."""

STYLE_MEMBERS: dict[str, tuple[str, ...]] = {
    "k-pop": ("k-pop", "pop", "hip-hop", "girl-crush", "ballad", "conceptual"),
}
"""Styles that stand for several move families (a user's clip added as ``k-pop`` is one of
them too); any other style is its own only member."""

STYLE_FEEL: dict[str, dict[str, float]] = {
    "ballad": {"energy": -0.3, "smoothness": 0.3},
}
"""How a style shifts the sliders the planner reads, as a prompt's words do. A ballad is danced
softer: with only its few own moves it borrowed the busiest salsa and modern phrases for its
loud parts, and moved faster than k-pop (0.83 against 0.78 m/s over the benchmark's songs)."""

SLIDERS = ("energy", "smoothness", "bounce", "creativity")


@dataclass(frozen=True)
class GenerationParams:
    """What the user asked for. Sliders run from 0 to 1.

    Attributes
    ----------
    energy
        How much the dancer moves: picks livelier moves and scales their amplitude.
    smoothness
        Prefers low-jerk moves and low-passes the result (mean jerk falls as it rises).
    bounce
        Prefers moves that bob on the beat and adds a knee-bend groove on every beat.
    creativity
        More distinct moves, looser repetition of repeated sections, more randomness.
    style
        ``"k-pop"`` (authored vocabulary), ``"salsa"`` (CMU mocap), ``"mixed"``, or a user style.
    prompt
        Free text ("smooth arm waves", "powerful footwork"); read by
        :func:`inference.generate.prompt.prompt_tags`.
    seed
        Same seed, same request: same routine.
    """

    energy: float = 0.5
    smoothness: float = 0.5
    bounce: float = 0.5
    creativity: float = 0.5
    style: str = "k-pop"
    prompt: str = ""
    seed: int = 0

    SLIDERS: ClassVar[tuple[str, ...]] = SLIDERS

    def __post_init__(self) -> None:
        for name in SLIDERS:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")
