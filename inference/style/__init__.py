"""Style classification: which dance style a motion reads as, per clip and per 2-s window.

>>> from inference.style import classify_motion
>>> result = classify_motion(motion)          # the shipped classes
>>> result.style, result.probabilities        # e.g. "ballroom", {"ballroom": 0.93, ...}

User styles are learnt few-shot from tagged clips (:func:`make_user_style`,
:func:`learn_user_styles`) and passed to :func:`classify_motion`. torch is imported only when a
model is loaded.
"""

from __future__ import annotations

from inference.style.classify import (
    MIXED,
    UNKNOWN,
    ClassifyStyleRequest,
    StyleResult,
    WindowStyle,
    classify_job,
    classify_motion,
)
from inference.style.dataset import STYLES
from inference.style.model import StyleModel, load_style_model, shipped_model
from inference.style.user_styles import (
    StyleExample,
    UserStyle,
    learn_user_styles,
    make_user_style,
    user_styles_from_folder,
)

__all__ = [
    "MIXED",
    "STYLES",
    "UNKNOWN",
    "ClassifyStyleRequest",
    "StyleExample",
    "StyleModel",
    "StyleResult",
    "UserStyle",
    "WindowStyle",
    "classify_job",
    "classify_motion",
    "learn_user_styles",
    "load_style_model",
    "make_user_style",
    "shipped_model",
    "user_styles_from_folder",
]
