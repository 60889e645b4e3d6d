"""The ground truth the scorecard reads a routine against: the same figures on real mocap.

Real dance is measured with the routine's own code (:func:`.scorecard_measure.measure`):

* the Tang dances (ballroom, recorded to their music) part by part, on the parts the studio
  finds in their songs, so they give the real BAS and energy-to-music correlation;
* the others, which have no music, in 4-s stretches every 4 s (8 counts at 120 BPM, the length
  of a part), for foot contact, sliding, Div_k and body use.

Only families whose licences let figures learnt from them ship are used (CMU salsa and modern,
AIST++, Mixamo, Tang; the same sources as the style classifier's weights): Perfume and Bandai
Namco never go into ``resources/``. The figures ship as ``resources/scorecard_reference.json``
(written by ``python -m inference.training.build_scorecard_reference``), so the studio needs no
``../shared/data`` at run time. It also holds the real pop and street windows FID is measured
against (Mixamo and AIST++: the benchmark's set without Perfume).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from inference.assess.realism import RealismFeatures, fid_g, fid_k, window_features
from inference.assess.reference import load_family, tang_motion
from inference.assess.scorecard import tang_offset
from inference.assess.scorecard_figures import FPS, METRICS, frame_span, part_length_spans
from inference.assess.scorecard_measure import measure
from inference.errors import BadFileError
from inference.paths import RESOURCES_DIR

REFERENCE_PATH = RESOURCES_DIR / "scorecard_reference.json"
FORMAT = "eightcount-scorecard-reference"
VERSION = 1
PART_SECONDS = 4.0
"""Real dance without music is cut into stretches this long: 8 counts at 120 BPM."""
SHIPPED_FAMILIES = ("mixamo", "aistpp", "cmu_salsa", "cmu_modern", "tang")
REALISM_FAMILIES = ("mixamo", "aistpp")
MIN_FID_WINDOWS = 3
"""A real dance needs this many 5-s windows to get its own FID against the others."""
GROUPS: dict[str, tuple[str, ...]] = {
    "pop_street": REALISM_FAMILIES,
    "ballroom": ("tang",),
    "all": SHIPPED_FAMILIES,
}
"""Pooled families: the pop and street dance the studio aims at, the dances with music, all."""
SAME_MOVES_METRES = 0.13
"""Two parts closer than this (:func:`.scorecard_figures.signature_distance`) dance the same
moves. Measured on the one real pair of dancers doing one routine (Perfume's aachan and
kashiyuka, 4-s stretches, 17 pairs): the same stretch by the two dancers is 0.05-0.11 m apart
(p10-p90), different stretches 0.14 m and more (p5), so 0.13 m separates them. A number, not
data: no Perfume motion ships. ``tests/unit/assess/test_scorecard_reference.py`` re-measures it."""


@dataclass(frozen=True)
class Range:
    """The real spread of one figure: 10th percentile, median, 90th percentile, count."""

    p10: float
    median: float
    p90: float
    n: int

    @staticmethod
    def of(values: Sequence[float]) -> Range:
        v = np.asarray([x for x in values if math.isfinite(x)], dtype=np.float64)
        if v.size == 0:
            return Range(math.nan, math.nan, math.nan, 0)
        p10, med, p90 = np.percentile(v, [10, 50, 90])
        return Range(float(p10), float(med), float(p90), int(v.size))

    def to_json(self) -> list[float | int | None]:
        return [_num(self.p10), _num(self.median), _num(self.p90), self.n]

    @staticmethod
    def from_json(doc: Sequence[Any]) -> Range:
        p10, med, p90, n = doc
        return Range(_float(p10), _float(med), _float(p90), int(n))


def _num(x: float) -> float | None:
    return float(f"{x:.6g}") if math.isfinite(x) else None


def _float(x: Any) -> float:
    return math.nan if x is None else float(x)


Table = dict[str, dict[str, Range]]
"""Group or family -> metric key -> its real range."""


@dataclass(frozen=True, eq=False)
class Reference:
    """The real ranges of every figure, per part and per whole dance, and FID's real set."""

    parts: Table
    whole: Table
    real_windows: RealismFeatures
    files: tuple[str, ...]

    def part(self, key: str, group: str = "pop_street") -> Range:
        """The real range of a part's ``key`` in ``group`` (NaN when not measured there)."""
        return self.parts.get(group, {}).get(key, Range(math.nan, math.nan, math.nan, 0))

    def dance(self, key: str, group: str = "pop_street") -> Range:
        """The real range of a whole dance's ``key`` in ``group``."""
        return self.whole.get(group, {}).get(key, Range(math.nan, math.nan, math.nan, 0))

    def to_json(self) -> dict[str, Any]:
        def table(t: Table) -> dict[str, Any]:
            return {g: {k: r.to_json() for k, r in rows.items()} for g, rows in t.items()}

        return {
            "format": FORMAT,
            "version": VERSION,
            "fps": FPS,
            "part_seconds": PART_SECONDS,
            "same_moves_metres": SAME_MOVES_METRES,
            "columns": ["p10", "median", "p90", "n"],
            "parts": table(self.parts),
            "whole": table(self.whole),
            "real_windows": {
                "kinetic": np.round(self.real_windows.kinetic, 5).tolist(),
                "geometric": np.round(self.real_windows.geometric, 5).tolist(),
            },
            "files": list(self.files),
        }

    @staticmethod
    def from_json(doc: dict[str, Any], path: Path) -> Reference:
        if doc.get("format") != FORMAT or doc.get("version") != VERSION:
            raise BadFileError(path, f"not a {FORMAT} file of version {VERSION}")
        try:

            def table(t: dict[str, Any]) -> Table:
                return {
                    g: {k: Range.from_json(r) for k, r in rows.items()} for g, rows in t.items()
                }

            windows = RealismFeatures(
                np.asarray(doc["real_windows"]["kinetic"], dtype=np.float64),
                np.asarray(doc["real_windows"]["geometric"], dtype=np.float64),
            )
            return Reference(
                table(doc["parts"]),
                table(doc["whole"]),
                windows,
                tuple(str(f) for f in doc["files"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise BadFileError(path, f"a field is missing or malformed ({error})") from None


@functools.lru_cache(maxsize=4)
def load_reference(path: Path = REFERENCE_PATH) -> Reference:
    """The shipped reference (read once).

    Raises
    ------
    BadFileError
        When the file is missing, not JSON, or not this format.
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BadFileError(path, f"cannot read the file ({error.strerror})") from None
    except ValueError as error:
        raise BadFileError(path, f"not valid JSON ({error})") from None
    if not isinstance(doc, dict):
        raise BadFileError(path, "not a JSON object")
    return Reference.from_json(doc, path)


def _pool(rows: dict[str, list[dict[str, float]]], families: Sequence[str]) -> dict[str, Range]:
    keys = [m.key for m in METRICS if not m.whole_only and m.key != "repeat_distance"]
    pooled = [r for f in families for r in rows.get(f, [])]
    return {k: Range.of([r[k] for r in pooled]) for k in keys}


def measure_real(data: Path, families: Sequence[str] = SHIPPED_FAMILIES) -> Reference:
    """Measure the real reference from the shared data folder ``data``."""
    from inference.audio import NoBeatError, analyze_song

    part_rows: dict[str, list[dict[str, float]]] = {}
    whole_rows: dict[str, list[dict[str, float]]] = {}
    windows: dict[str, list[RealismFeatures]] = {}
    files: list[str] = []
    for family in families:
        dances, _ = load_family(data, family)
        for dance in dances:
            motion = dance.motion
            song = dance.path.parent / "audio.mp3"
            try:
                analysis = analyze_song(song) if tang_motion(song) is not None else None
            except NoBeatError:
                analysis = None  # a Tang song with no steady beat: measured like the others
            if analysis is not None:
                offset = tang_offset(dance.path)
                spans = [
                    frame_span(p.start - offset, p.end - offset, motion.n_frames)
                    for p in analysis.parts
                ]
                spans = [s for s in spans if s[1] - s[0] > 0]
                beats = [b - offset for b in analysis.grid.beats]
                measured = measure(motion, spans, None, beats, analysis.energy)
            else:
                spans = part_length_spans(motion.n_frames, PART_SECONDS, PART_SECONDS)
                measured = measure(motion, spans)
            part_rows.setdefault(family, []).extend(measured.stretches)
            whole_rows.setdefault(family, []).append(measured.whole)
            if family in REALISM_FAMILIES:
                windows.setdefault(family, []).append(window_features(measured.positions, FPS))
            files.append(str(dance.path.relative_to(data)))
    groups = {**{f: (f,) for f in families}, **GROUPS}
    real = [w for f in REALISM_FAMILIES for w in windows.get(f, [])]
    whole = {g: _pool(whole_rows, fs) for g, fs in groups.items()}
    whole["pop_street"].update(leave_one_out(real))
    return Reference(
        {g: _pool(part_rows, fs) for g, fs in groups.items()},
        whole,
        RealismFeatures.join(real),
        tuple(files),
    )


def leave_one_out(dances: Sequence[RealismFeatures]) -> dict[str, Range]:
    """FID_k and FID_g of each real dance (of >= :data:`MIN_FID_WINDOWS` windows) against all
    the others: the range a real dance scores against the set a routine is read against."""
    ks, gs = [], []
    for i, own in enumerate(dances):
        rest = RealismFeatures.join([d for j, d in enumerate(dances) if j != i])
        if own.n >= MIN_FID_WINDOWS and rest.n >= 2:
            ks.append(fid_k(own, rest))
            gs.append(fid_g(own, rest))
    return {"fid_k": Range.of(ks), "fid_g": Range.of(gs)}
