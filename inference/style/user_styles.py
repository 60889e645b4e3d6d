"""User styles, few-shot: a style the user defines by tagging a few clips of their own.

"Our team's girl crush" is learnt from nothing but the clips tagged with it: every 2-s window of
those clips (and of their mirror images, since a style does not change with the side it is
danced to) is embedded by the shipped network, and the normalised mean of those embeddings is
the style's prototype. The classifier compares windows with prototypes exactly as with its own
classes, so a user style needs no retraining and no network, and is ready as soon as it is made.

A folder can hold user styles too: each sub-folder is a style, named after the folder, and the
motion files in it are its tagged clips (the convention of the user's move folders).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import UserFacingError
from inference.motion.importing import motion_files, read_motion
from inference.motion.motion import Motion
from inference.style.features import (
    cut_windows,
    fit_length,
    mirror_positions,
    scaled_positions,
    window_features,
    window_starts,
)
from inference.style.model import StyleModel

Array = NDArray[np.float64]

PROTOTYPE_HOP = 15
"""Frames between windows of a tagged clip (0.5 s): every part of the clip counts."""


@dataclass(frozen=True, eq=False)
class UserStyle:
    """A user's style: its name, its prototype (a unit vector) and how many clips made it."""

    name: str
    vector: Array
    n_clips: int

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (for a project or settings file)."""
        return {
            "name": self.name,
            "vector": np.round(self.vector, 6).tolist(),
            "n_clips": self.n_clips,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> UserStyle:
        """The inverse of :meth:`to_json`."""
        vector = np.asarray(doc["vector"], dtype=np.float64)
        return cls(str(doc["name"]), vector / np.linalg.norm(vector), int(doc["n_clips"]))


def clip_embeddings(model: StyleModel, motion: Motion, source: str = "motion") -> Array:
    """(N, E) embeddings of every window of ``motion`` and of its mirror image."""
    pos = scaled_positions(motion, source)
    starts = window_starts(pos.shape[0], PROTOTYPE_HOP)
    both = [cut_windows(fit_length(p), starts) for p in (pos, mirror_positions(pos))]
    return model.embed(window_features(np.concatenate(both)))


def make_user_style(
    model: StyleModel, name: str, clips: Sequence[Motion], sources: Sequence[str] = ()
) -> UserStyle:
    """The style ``name`` learnt from the tagged ``clips`` (``sources`` name them in errors).

    Each clip weighs the same, however long it is: the prototype is the mean of the clips'
    mean embeddings, so one long take does not drown the short ones.

    Raises
    ------
    UserFacingError
        When ``name`` is empty or no clip is given, or a clip cannot be classified.
    """
    name = name.strip()
    if not name:
        raise UserFacingError("A user style needs a name.")
    if not clips:
        raise UserFacingError(f"The style “{name}” needs at least one tagged clip.")
    names = list(sources) or [f"clip {i + 1}" for i in range(len(clips))]
    means = []
    for motion, source in zip(clips, names, strict=True):
        e = clip_embeddings(model, motion, source).mean(axis=0)
        means.append(e / np.linalg.norm(e))
    vector = np.mean(means, axis=0)
    return UserStyle(name, vector / np.linalg.norm(vector), len(clips))


@dataclass(frozen=True, eq=False)
class StyleExample:
    """One tagged clip: the style it is an example of, its motion, and its name for errors."""

    style: str
    motion: Motion
    source: str


def learn_user_styles(model: StyleModel, examples: Sequence[StyleExample]) -> list[UserStyle]:
    """One user style per name among ``examples``, in the order the names first appear.

    Raises
    ------
    UserFacingError
        When an example cannot be classified (naming it).
    """
    grouped: dict[str, list[StyleExample]] = {}
    for example in examples:
        grouped.setdefault(example.style, []).append(example)
    return [
        make_user_style(model, name, [e.motion for e in group], [e.source for e in group])
        for name, group in grouped.items()
    ]


def user_styles_from_folder(model: StyleModel, folder: Path) -> list[UserStyle]:
    """One user style per sub-folder of ``folder`` holding motion files (named by the folder).

    Raises
    ------
    UserFacingError
        When ``folder`` is not a folder or no sub-folder holds a motion file; a file that
        cannot be read raises :class:`~inference.errors.BadFileError` naming it.
    """
    if not folder.is_dir():
        raise UserFacingError(f"{folder}: not a folder of user styles (one sub-folder per style)")
    styles = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        paths = motion_files([sub])
        if paths:
            motions = [read_motion(p) for p in paths]
            styles.append(make_user_style(model, sub.name, motions, [p.name for p in paths]))
    if not styles:
        raise UserFacingError(
            f"{folder}: no user styles found (make one sub-folder per style, holding its clips)"
        )
    return styles
