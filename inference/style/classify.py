"""Name a motion's style, for the whole clip and for each 2-s window, with probabilities.

Each window is embedded (:mod:`inference.style.model`) and compared, by cosine similarity, with
every style's unit vector: the trained classes, then any user styles (prototypes of the clips a
user tagged, :mod:`inference.style.user_styles`). ``softmax(scale * similarities)`` gives the
probabilities. A window reads as one style only when that style's probability reaches the
calibrated threshold; when two styles share it, the window reads "mixed"; when nothing is close
enough ("min_similarity") or the probability is spread thin, it reads "unknown". The clip's
probabilities are the mean of its windows', decided by the same rule.

Runs as a job (:func:`classify_job`) on the inference worker, on CUDA when present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import UserFacingError
from inference.jobs import Job, Progress
from inference.motion.motion import CANONICAL_FPS, Motion
from inference.style.features import WINDOW, motion_windows
from inference.style.model import Calibration, StyleModel, shipped_model
from inference.style.user_styles import UserStyle

Array = NDArray[np.float64]

MIXED = "mixed"
UNKNOWN = "unknown"
HOP = 30
"""Frames between the starts of reported windows (1 s; windows are 2 s, so they overlap)."""


@dataclass(frozen=True)
class WindowStyle:
    """The style of one window: its time span in seconds, label, and probabilities."""

    start: float
    end: float
    style: str
    probabilities: dict[str, float]
    similarity: float
    """The best cosine similarity to any style (how familiar the window looks)."""


@dataclass(frozen=True)
class StyleResult:
    """A clip's style, its probabilities (style -> p) and its windows."""

    source: str
    style: str
    probabilities: dict[str, float]
    windows: tuple[WindowStyle, ...]
    user_styles: tuple[str, ...] = field(default_factory=tuple)
    device: str = "cpu"

    def to_json(self) -> dict[str, Any]:
        """The document ``eightcount classify --json`` writes."""
        return {
            "motion": self.source,
            "style": self.style,
            "probabilities": _rounded(self.probabilities),
            "per_window": [
                {
                    "start": round(w.start, 3),
                    "end": round(w.end, 3),
                    "style": w.style,
                    "probabilities": _rounded(w.probabilities),
                    "similarity": round(w.similarity, 4),
                }
                for w in self.windows
            ],
            "user_styles": list(self.user_styles),
            "window_seconds": WINDOW / CANONICAL_FPS,
            "device": self.device,
        }


def _rounded(probabilities: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in probabilities.items()}


def decide(
    probabilities: Array, similarity: float, calibration: Calibration, names: Sequence[str]
) -> str:
    """The label for one probability vector: a style, :data:`MIXED` or :data:`UNKNOWN`."""
    if similarity < calibration.min_similarity:
        return UNKNOWN
    order = np.argsort(probabilities)[::-1]
    if probabilities[order[0]] >= calibration.threshold:
        return names[int(order[0])]
    if (
        len(order) > 1
        and probabilities[order[0]] + probabilities[order[1]] >= calibration.threshold
    ):
        return MIXED
    return UNKNOWN


def style_vectors(
    model: StyleModel, user_styles: Sequence[UserStyle]
) -> tuple[tuple[str, ...], Array]:
    """Names and (K, E) unit vectors: the trained classes, then the user's styles.

    Raises
    ------
    UserFacingError
        When a user style takes the name of a trained class, of another user style, or
        "mixed" or "unknown" (its probabilities would be confused with theirs).
    """
    names = (*model.styles, *(u.name for u in user_styles))
    taken = {*model.styles, MIXED, UNKNOWN}
    for u in user_styles:
        if u.name in taken:
            raise UserFacingError(f"The style name “{u.name}” is already taken: choose another.")
        taken.add(u.name)
    if not user_styles:
        return names, model.class_vectors
    return names, np.concatenate([model.class_vectors, np.stack([u.vector for u in user_styles])])


def probabilities_of(similarities: Array, scale: float) -> Array:
    """Row-wise ``softmax(scale * similarities)``."""
    logits = scale * similarities
    logits -= logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    return np.asarray(e / e.sum(axis=-1, keepdims=True))


def classify_features(
    model: StyleModel,
    features: Array,
    starts: NDArray[np.int64],
    n_frames: int,
    source: str,
    user_styles: Sequence[UserStyle] = (),
) -> StyleResult:
    """Classify window features (see :func:`classify_motion`)."""
    names, vectors = style_vectors(model, user_styles)
    sims = model.embed(features) @ vectors.T
    probs = probabilities_of(sims, model.calibration.scale)
    best = sims.max(axis=1)
    windows = []
    for i, start in enumerate(starts):
        end = min(int(start) + WINDOW, n_frames)
        windows.append(
            WindowStyle(
                start=int(start) / CANONICAL_FPS,
                end=end / CANONICAL_FPS,
                style=decide(probs[i], float(best[i]), model.calibration, names),
                probabilities=dict(zip(names, map(float, probs[i]), strict=True)),
                similarity=float(best[i]),
            )
        )
    clip = probs.mean(axis=0)
    # The clip is unfamiliar when its typical window is: the median, so one odd window or two
    # do not make a whole dance "unknown".
    label = decide(clip, float(np.median(best)), model.calibration, names)
    return StyleResult(
        source,
        label,
        dict(zip(names, map(float, clip), strict=True)),
        tuple(windows),
        tuple(u.name for u in user_styles),
        model.device,
    )


def classify_motion(
    motion: Motion,
    model: StyleModel | None = None,
    user_styles: Sequence[UserStyle] = (),
    source: str = "motion",
    hop: int = HOP,
) -> StyleResult:
    """The style of ``motion`` and of its windows (``source`` names it in errors and output).

    Raises
    ------
    UserFacingError
        For a motion under 1 s, or one whose joints are not finite (naming ``source``).
    """
    features, starts = motion_windows(motion, hop, source)
    model = model or shipped_model()
    n_frames = round(motion.duration * CANONICAL_FPS)
    return classify_features(model, features, starts, n_frames, source, user_styles)


def classify_job(
    motion: Motion, source: str, user_styles: Sequence[UserStyle] = ()
) -> Job[StyleResult]:
    """:func:`classify_motion` as a job: features, model, then the windows in steps."""
    yield Progress(0, f"Style: reading the motion of {source}")
    features, starts = motion_windows(motion, HOP, source)
    yield Progress(30, "Style: loading the classifier")
    model = shipped_model()
    yield Progress(60, f"Style: classifying {len(starts)} window(s) on {model.device}")
    n_frames = round(motion.duration * CANONICAL_FPS)
    result = classify_features(model, features, starts, n_frames, source, user_styles)
    yield Progress(100, f"Style: {result.style}")
    return result


@dataclass(frozen=True, eq=False)
class ClassifyStyleRequest:
    """Classify one motion on the worker thread (an immutable snapshot of the inputs)."""

    motion: Motion
    source: str
    user_styles: tuple[UserStyle, ...] = ()

    def job(self) -> Job[StyleResult]:
        return classify_job(self.motion, self.source, self.user_styles)
