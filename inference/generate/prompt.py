"""Free-text prompt -> generation biases, fully offline.

A small hand-built lexicon maps words to biases (slider nudges, a body focus, move labels,
a style); it stays the tag vocabulary. A prompt is read in two passes:

1. By spelling: each prompt word is matched to a lexicon word by the cosine similarity of
   hashed character 3-gram vectors, so inflections and typos still land ("bouncy",
   "bouncing", "smoothly", "armz").
2. By meaning: the words the first pass left over, and the phrases that hold them ("gentle",
   "full of fire", "like water", "stomping"), are embedded with the packaged offline
   all-MiniLM-L6-v2 sentence model (:mod:`inference.generate.prompt_embedding`) and matched
   to a short description of each lexicon entry (:data:`DESCRIPTIONS`).

If the model cannot load (the package is not installed, say), the second pass is skipped
and the reason is logged, so the studio reads prompts exactly as the first pass alone did.
A prompt whose words all match by spelling never loads the model.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from inference.generate import prompt_embedding

_DIM = 512
MATCH_THRESHOLD = 0.55
"""Cosine similarity of 3-gram vectors above which a prompt word counts as a lexicon word."""
EMBED_THRESHOLD = 0.45
"""Cosine similarity of MiniLM embeddings above which a phrase counts as a lexicon entry.

Calibrated on 40 synonyms and 22 unrelated words: at 0.45, 31 synonyms land on a right
entry and none on a wrong one ("gentle" -> soft 0.52, "fierce" -> powerful 0.53, "shoulders"
-> body 0.56), while every unrelated word stays below 0.40 ("light" 0.40, "happy" 0.34,
"quick" 0.28); at 0.40 two synonyms land on a wrong entry. Known limits of the model: an
antonym can sit close ("stiff" -> relaxed 0.55) and negation is not read ("not energetic").
"""
_MAX_CANDIDATES = 32
"""Phrases embedded per prompt at most; a pasted paragraph must not stall the worker."""

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
    "hits": ({"smoothness": -0.3, "energy": 0.15}, "arms", ("hit", "punch"), None),
    "bouncy": ({"bounce": 0.4}, None, ("bounce", "groove"), None),
    "groovy": ({"bounce": 0.25}, None, ("groove",), None),
    "hiphop": ({"bounce": 0.3}, None, ("hiphop", "groove"), "hip-hop"),
    "still": ({"bounce": -0.4, "energy": -0.2}, None, ("pose",), None),
    "arms": ({}, "arms", ("arms", "wave"), None),
    "hands": ({}, "arms", ("wave", "clap"), None),
    # No smoothness nudge: the smoothness slider slows the whole body, and waves are arm use.
    "waves": ({}, "arms", ("wave", "arms"), None),
    "legs": ({}, "legs", ("step", "footwork"), None),
    "footwork": ({"energy": 0.1, "bounce": 0.25}, "legs", ("footwork", "kick", "stomp"), None),
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
    "pop": ({}, None, (), "pop"),
    "girlcrush": ({"smoothness": -0.15}, None, ("sharp", "power"), "girl-crush"),
    "ballad": ({"energy": -0.4, "smoothness": 0.35}, None, ("lyrical", "smooth"), "ballad"),
    "conceptual": ({}, None, ("pose", "level"), "conceptual"),
    "idol": ({}, None, ("hook",), "k-pop"),
}

# What each lexicon entry means, as the sentence model sees it. A few near-synonyms per entry
# widen its net; the words the tests use to show generalisation ("gentle", "peaceful",
# "fierce", "floor work") are deliberately left out, so those tests measure the model.
DESCRIPTIONS: dict[str, str] = {
    "energetic": "energetic, lots of energy, lively, dynamic",
    "powerful": "powerful, strong, forceful, mighty",
    "hype": "hype, pumped up, exciting, wild party",
    "intense": "intense, hard-hitting, extreme, heavy",
    "explosive": "explosive, bursting, fiery, on fire, dramatic outbursts",
    "calm": "calm, quiet, serene, still waters",
    "chill": "chill, laid-back, easygoing, cool",
    "relaxed": "relaxed, loose, unhurried, easy",
    "soft": "soft, delicate, light touch",
    "smooth": "smooth, seamless, effortless, silky",
    "fluid": "fluid, liquid, like water, continuous, melting",
    "flowing": "flowing, graceful flow, gliding",
    "lyrical": "lyrical, emotional, expressive, contemporary",
    "sharp": "sharp, precise, snappy, clean accents",
    "crisp": "crisp, tight, clean, punchy",
    "popping": "popping, robotic, ticking, isolations",
    "hits": "hits, accents on the beat, strikes, punches",
    "bouncy": "bouncy, springy, bobbing up and down",
    "groovy": "groovy, funky, in the pocket, vibing",
    "hiphop": "hip-hop, street dance, urban, swag",
    "still": "still, motionless, frozen, minimal movement",
    "arms": "arms, arm movements, upper body",
    "hands": "hands, fingers, clapping, gestures",
    "waves": "waves, rippling, undulating",
    "legs": "legs, knees, kicks, lower body",
    "footwork": "footwork, feet, stomping, stamping feet",
    "steps": "steps, stepping, walking, marching",
    "hips": "hips, hip rolls, swaying the hips",
    "body": "body rolls, torso, chest, whole body",
    "sensual": "sensual, seductive, slinky, sultry",
    "sexy": "sexy, hot, flirty, alluring",
    "cute": "cute, playful, adorable, bubbly",
    "sassy": "sassy, attitude, confident, diva",
    "turns": "turns, turning around, pivots",
    "spins": "spins, spinning, twirls, pirouettes",
    "jumps": "jumps, jumping, leaps, hopping",
    "salsa": "salsa, latin dance, cuban, mambo",
    "latin": "latin, latino, bachata, merengue",
    "kpop": "k-pop, korean pop, idol group",
    "pop": "pop, bright pop, upbeat pop song",
    "girlcrush": "girl crush, girl group with attitude, strong and confident",
    "ballad": "ballad, slow love song, emotional slow song",
    "conceptual": "conceptual, theatrical, concept performance, storytelling",
    "idol": "idol, idol choreography, girl group, boy band",
}

# Words that carry no tag on their own: embedding them would only add noise ("dance" sits
# close to hips and salsa, "music" to idol), so the meaning pass skips them.
_STOPWORDS = frozenset(
    {
        *("a", "an", "the", "and", "or", "but", "with", "without", "of", "to", "for", "in"),
        *("on", "at", "by", "from", "into", "as", "is", "are", "be", "it", "its", "this"),
        *("that", "these", "those", "very", "really", "so", "too", "more", "less", "lot"),
        *("lots", "some", "bit", "little", "much", "please", "make", "makes", "give", "want"),
        *("like", "i", "me", "my", "we", "our", "you", "your", "can", "could", "should"),
        *("would", "do", "does", "let", "something", "kind", "sort", "feel", "feeling", "vibe"),
        *("not", "no", "dont", "don"),
        *("dance", "dances", "dancing", "dancer", "dancers", "move", "moves", "moving"),
        *("movement", "movements", "choreo", "choreography", "routine", "style", "song"),
        *("music", "track", "beat", "beats", "part", "parts", "verse", "chorus", "bridge"),
        *("intro", "outro", "section"),
    }
)
_CLAUSES = re.compile(r"[,.;:!?/()\n]+|\b(?:and|or|but|then|plus|with|while)\b")


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


@lru_cache(maxsize=1)
def _description_matrix() -> NDArray[np.float32] | None:
    """Embeddings of :data:`DESCRIPTIONS`, one row per lexicon entry (``None``: no model)."""
    return prompt_embedding.embed([DESCRIPTIONS[w] for w in LEXICON])


def _normalise(prompt: str) -> str:
    return (
        prompt.lower()
        .replace("k-pop", "kpop")
        .replace("hip-hop", "hiphop")
        .replace("hip hop", "hiphop")
        .replace("girl-crush", "girlcrush")
        .replace("girl crush", "girlcrush")
    )


def _spelling_match(token: str) -> str | None:
    """The lexicon word spelled most like ``token``, if it is close enough."""
    words, matrix = _lexicon_matrix()
    sims = matrix @ _vector(token)
    best = int(np.argmax(sims))
    return words[best] if sims[best] >= MATCH_THRESHOLD else None


def _candidates(text: str) -> list[str]:
    """The words and phrases of ``text`` that the spelling pass could not place.

    Each leftover content word is a candidate, and so is the clause that holds it when the
    clause has more than one word, since an idiom means more than its words ("like water").
    """
    found: list[str] = []
    for clause in _CLAUSES.split(text):
        tokens = re.findall(r"[a-z]+", clause)
        leftovers = [
            t for t in tokens if t not in _STOPWORDS and len(t) > 2 and _spelling_match(t) is None
        ]
        if not leftovers:
            continue
        found.extend(leftovers)
        phrase = " ".join(t for t in tokens if t not in {"a", "an", "the"})
        if len(phrase.split()) > 1:
            found.append(phrase)
    return list(dict.fromkeys(found))[:_MAX_CANDIDATES]


@lru_cache(maxsize=64)
def meaning_matches(text: str) -> tuple[str, ...]:
    """Lexicon words the meaning pass finds in a normalised prompt (in prompt order).

    Cached per prompt, so regenerating one part with the same prompt embeds nothing.
    Empty when nothing is left over after the spelling pass or the model is unavailable.
    """
    candidates = _candidates(text)
    if not candidates:
        return ()
    descriptions = _description_matrix()
    if descriptions is None:
        return ()
    vectors = prompt_embedding.embed(candidates)
    if vectors is None:
        return ()
    sims = vectors @ descriptions.T
    words = tuple(LEXICON)
    best = np.argmax(sims, axis=1)
    chosen = [words[b] for b, row in zip(best, sims, strict=True) if row[b] >= EMBED_THRESHOLD]
    return tuple(dict.fromkeys(chosen))


def prompt_tags(prompt: str) -> PromptBias:
    """The biases a free-text prompt asks for (empty for an empty or unrelated prompt).

    Deterministic: the same prompt gives the same biases (the model runs on the CPU with no
    sampling, and the thresholds are fixed).
    """
    text = _normalise(prompt)
    spelled = [w for w in map(_spelling_match, re.findall(r"[a-z]+", text)) if w]
    meant = [w for w in meaning_matches(text) if w not in spelled]
    nudges: dict[str, float] = {}
    focus: str | None = None
    labels: set[str] = set()
    style: str | None = None
    # A word the user spelled out is the more explicit ask, so it is applied last and wins
    # the focus and style over one inferred from meaning.
    for word in meant + spelled:
        entry_nudges, entry_focus, entry_labels, entry_style = LEXICON[word]
        for name, value in entry_nudges.items():
            nudges[name] = float(np.clip(nudges.get(name, 0.0) + value, -0.6, 0.6))
        focus = entry_focus or focus
        labels.update(entry_labels)
        style = entry_style or style
    return PromptBias(nudges, focus, frozenset(labels), style, tuple(spelled + meant))
