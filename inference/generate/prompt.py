"""Free-text prompt -> generation biases, fully offline.

A small hand-built lexicon maps words to biases (slider nudges, a body focus, move labels,
a style). Prompt words are matched to lexicon words by the cosine similarity of hashed
character 3-gram vectors, so inflections and typos still land ("bouncy", "bouncing",
"smoothly", "armz"). This needs no model download; a sentence-embedding model would cost
~90 MB plus sentence-transformers for a vocabulary this small (see the task report).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

_DIM = 512
MATCH_THRESHOLD = 0.55
"""Cosine similarity of 3-gram vectors above which a prompt word counts as a lexicon word."""

# word -> (slider nudges, focus, labels, style)
_Entry = tuple[dict[str, float], str | None, tuple[str, ...], str | None]
LEXICON: dict[str, _Entry] = {
    "energetic": ({"energy": 0.35}, None, ("power",), None),
    "powerful": ({"energy": 0.35}, None, ("power", "hit"), None),
    "hype": ({"energy": 0.3}, None, ("hype", "power"), None),
    "intense": ({"energy": 0.3, "smoothness": -0.2}, None, ("power",), None),
    "explosive": ({"energy": 0.4}, None, ("jump", "power"), None),
    "calm": ({"energy": -0.35, "smoothness": 0.2}, None, ("chill",), None),
    "chill": ({"energy": -0.3}, None, ("chill", "groove"), None),
    "relaxed": ({"energy": -0.3, "smoothness": 0.2}, None, ("chill",), None),
    "soft": ({"energy": -0.2, "smoothness": 0.3}, None, ("smooth",), None),
    "smooth": ({"smoothness": 0.4}, None, ("smooth", "wave"), None),
    "fluid": ({"smoothness": 0.4}, None, ("wave", "smooth"), None),
    "flowing": ({"smoothness": 0.35}, None, ("wave", "smooth"), None),
    "lyrical": ({"smoothness": 0.35, "energy": -0.1}, None, ("smooth",), None),
    "sharp": ({"smoothness": -0.35}, None, ("sharp", "hit", "pop"), None),
    "crisp": ({"smoothness": -0.3}, None, ("sharp", "pop"), None),
    "popping": ({"smoothness": -0.3}, None, ("pop", "hit"), None),
    "hits": ({"smoothness": -0.3}, None, ("hit",), None),
    "bouncy": ({"bounce": 0.4}, None, ("bounce", "groove"), None),
    "groovy": ({"bounce": 0.25}, None, ("groove",), None),
    "hiphop": ({"bounce": 0.3}, None, ("hiphop", "groove"), None),
    "still": ({"bounce": -0.4, "energy": -0.2}, None, ("pose",), None),
    "arms": ({}, "arms", ("arms", "wave"), None),
    "hands": ({}, "arms", ("wave", "clap"), None),
    "waves": ({"smoothness": 0.2}, None, ("wave",), None),
    "legs": ({}, "legs", ("step", "footwork"), None),
    "footwork": ({}, "legs", ("footwork", "step"), None),
    "steps": ({}, "legs", ("step",), None),
    "hips": ({}, "torso", ("hips",), None),
    "body": ({}, "torso", ("wave", "hips"), None),
    "sensual": ({"smoothness": 0.2}, "torso", ("sensual", "hips"), None),
    "sexy": ({"smoothness": 0.2}, "torso", ("sensual", "hips"), None),
    "cute": ({"energy": -0.1}, None, ("cute",), None),
    "sassy": ({}, None, ("sassy", "pose"), None),
    "turns": ({}, None, ("turn", "spin"), None),
    "spins": ({}, None, ("spin", "turn"), None),
    "jumps": ({"energy": 0.3}, None, ("jump",), None),
    "salsa": ({}, None, (), "salsa"),
    "latin": ({}, None, (), "salsa"),
    "kpop": ({}, None, (), "k-pop"),
    "idol": ({}, None, ("hook",), "k-pop"),
}


@dataclass(frozen=True)
class PromptBias:
    """What a prompt asks for: slider nudges, a body focus, move labels and a style."""

    nudges: dict[str, float] = field(default_factory=dict)
    focus: str | None = None
    labels: frozenset[str] = frozenset()
    style: str | None = None
    matched: tuple[str, ...] = ()


def _vector(word: str) -> NDArray[np.float64]:
    padded = f"<{word}>"
    v = np.zeros(_DIM)
    for i in range(len(padded) - 2):
        v[zlib.crc32(padded[i : i + 3].encode()) % _DIM] += 1.0
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


@lru_cache(maxsize=1)
def _lexicon_matrix() -> tuple[tuple[str, ...], NDArray[np.float64]]:
    words = tuple(LEXICON)
    return words, np.stack([_vector(w) for w in words])


def prompt_tags(prompt: str) -> PromptBias:
    """The biases a free-text prompt asks for (empty for an empty or unrelated prompt)."""
    words, matrix = _lexicon_matrix()
    nudges: dict[str, float] = {}
    focus: str | None = None
    labels: set[str] = set()
    style: str | None = None
    matched: list[str] = []
    text = (
        prompt.lower()
        .replace("k-pop", "kpop")
        .replace("hip-hop", "hiphop")
        .replace("hip hop", "hiphop")
    )
    for token in re.findall(r"[a-z]+", text):
        sims = matrix @ _vector(token)
        best = int(np.argmax(sims))
        if sims[best] < MATCH_THRESHOLD:
            continue
        word = words[best]
        matched.append(word)
        entry_nudges, entry_focus, entry_labels, entry_style = LEXICON[word]
        for name, value in entry_nudges.items():
            nudges[name] = float(np.clip(nudges.get(name, 0.0) + value, -0.6, 0.6))
        focus = entry_focus or focus
        labels.update(entry_labels)
        style = entry_style or style
    return PromptBias(nudges, focus, frozenset(labels), style, tuple(matched))
