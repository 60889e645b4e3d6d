"""The style of a scored routine, of each part and of each clip, read from the windows the
style classifier (:mod:`inference.style`) reads in the routine, by the classifier's own rule:
a style, "mixed" or "unknown", with the probabilities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from inference.style.classify import StyleResult, WindowStyle, decide
from inference.style.model import Calibration

MIN_STYLE_SECONDS = 1.0
"""A span (a clip) shorter than this gets no style: the classifier reads 2-s windows."""


class PartLike(Protocol):
    """What :func:`style_reads` needs of a part."""

    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def danced(self) -> bool: ...


@dataclass(frozen=True)
class StyleRead:
    """A style label ("mixed" and "unknown" included) with its probabilities."""

    style: str
    probabilities: dict[str, float]

    def top(self, n: int = 3) -> list[tuple[str, float]]:
        return sorted(self.probabilities.items(), key=lambda kv: -kv[1])[:n]

    def text(self) -> str:
        shown = ", ".join(f"{k} {p:.0%}" for k, p in self.top())
        return f"{self.style} ({shown})" if shown else self.style


def _span_read(
    windows: Sequence[WindowStyle],
    names: Sequence[str],
    calibration: Calibration,
    start: float,
    end: float,
) -> StyleRead | None:
    """The style of song seconds ``start``..``end``: the mean of the probabilities of the
    windows centred in it (of the one window that covers most of it, for a stretch shorter
    than the windows' spacing), read by the classifier's own rule, mixed and unknown included.
    None when no window covers it."""
    inside = [w for w in windows if start <= 0.5 * (w.start + w.end) < end]
    if not inside and windows:
        cover, widest = max(
            ((min(w.end, end) - max(w.start, start), w) for w in windows), key=lambda cw: cw[0]
        )
        inside = [widest] if cover > 0 else []
    if not inside:
        return None
    probs = np.mean([[w.probabilities[n] for n in names] for w in inside], axis=0)
    similarity = float(np.median([w.similarity for w in inside]))
    label = decide(probs, similarity, calibration, names)
    return StyleRead(label, dict(zip(names, map(float, probs), strict=True)))


def style_reads(
    result: StyleResult,
    calibration: Calibration,
    parts: Sequence[PartLike],
    spans: Sequence[tuple[float, float]],
    offset: float,
) -> tuple[StyleRead, list[StyleRead | None], list[StyleRead | None]]:
    """The routine's style, each danced part's and each span's (a clip's, in the studio);
    ``offset`` is the song time of the classified motion's first frame."""
    names = list(result.probabilities)
    windows = [replace(w, start=w.start + offset, end=w.end + offset) for w in result.windows]
    routine = StyleRead(result.style, dict(result.probabilities))
    reads = [
        _span_read(windows, names, calibration, p.start, p.end) if p.danced else None for p in parts
    ]
    span_reads = [
        _span_read(windows, names, calibration, a, b) if b - a >= MIN_STYLE_SECONDS else None
        for a, b in spans
    ]
    return routine, reads, span_reads
