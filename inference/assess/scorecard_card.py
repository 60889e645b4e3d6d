"""The choreography scorecard: each part and the whole routine measured, read against real
dance, and summed up in plain words ("Part 7: off-beat on counts 3–4; feet slide").

The figures are those of :mod:`.scorecard_figures` (each one a metric of :mod:`.motion_metrics`,
:mod:`.body_use` or :mod:`.realism`), measured by :func:`.scorecard_measure.measure`; the real
ranges and every threshold come from :mod:`.scorecard_reference`. Each verdict rule says which
real range it uses (:data:`RULES`, :func:`threshold_notes`).

Structure: a part in a section whose music repeats an earlier one (same label, "Chorus 2") is
compared with the same part of the first occurrence; a part whose music does not repeat, with
its nearest other part. Closer than :data:`.SAME_MOVES_METRES` means the same moves.

Runs as a job (:func:`scorecard_job`) on the inference worker. The style of the routine and of
each part comes from :mod:`inference.style` (on CUDA when present).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from inference.assess.realism import fid_g, fid_k, window_features
from inference.assess.scorecard_figures import (
    FPS,
    METRIC,
    MIN_SPAN_FRAMES,
    frame_span,
    signature_distance,
)
from inference.assess.scorecard_measure import Measured, measure
from inference.assess.scorecard_reference import SAME_MOVES_METRES, Reference, load_reference
from inference.assess.scorecard_style import StyleRead, style_reads
from inference.audio import SongAnalysis
from inference.audio.sections import base_label
from inference.jobs import Job, Progress
from inference.motion import Motion

if TYPE_CHECKING:
    from inference.style.user_styles import StyleExample

Array = NDArray[np.float64]

COVERED_SHARE = 0.9
"""A part is danced when clips cover at least this share of it; otherwise it is "no dance"."""


@dataclass(frozen=True)
class Rule:
    """A verdict phrase said when ``key`` is beyond the real ``bound`` of ``group``."""

    key: str
    op: str
    """"<", "<=" or ">"."""
    bound: str
    """"p10", "median" or "p90" of the real range."""
    group: str
    phrase: str


RULES: tuple[Rule, ...] = (
    Rule("pfc", ">", "p90", "pop_street", "floats"),
    Rule("foot_skating", ">", "p90", "pop_street", "feet slide"),
    Rule("knee_p90", "<", "p10", "pop_street", "legs stay straight"),
    Rule("pose_spread", "<", "p10", "pop_street", "holds one pose"),
    Rule("wrists_up", "<=", "p10", "pop_street", "arms stay low"),
    Rule("speed", "<", "p10", "pop_street", "barely moves"),
    Rule("speed", ">", "p90", "pop_street", "moves faster than real dance"),
    Rule("travel", "<", "p10", "pop_street", "stays on one spot"),
    Rule("leg_speed", "<", "p10", "pop_street", "little footwork"),
    Rule("arm_speed", "<", "p10", "pop_street", "little armwork"),
    Rule("div_k", "<", "p10", "pop_street", "moves like the other parts"),
    Rule("energy_corr", "<", "p10", "ballroom", "moves against the music's energy"),
)
"""Pop and street dance (Mixamo, AIST++) is the studio's target, so it sets the body's
thresholds; only the Tang ballroom dances have music, so they set the musical ones."""
OFF_BEAT = Rule("bas", "<", "p10", "ballroom", "off-beat on counts")
"""A part is off-beat when its BAS is below the 10th percentile of real parts (Tang dancers to
their own music): less aligned than nine real parts in ten. Its off counts are those whose BAS
term is under :data:`OFF_COUNT_TERM`."""
OFF_COUNT_TERM = math.exp(-0.5)
"""A count's BAS term below this means no stop of the body within BAS's sigma (3 frames,
100 ms) of the beat."""
GROUP_NAMES = {"pop_street": "real pop and street dance", "ballroom": "real ballroom dance"}


def threshold(reference: Reference, rule: Rule) -> float:
    """The number a rule compares with."""
    r = reference.part(rule.key, rule.group)
    return float(getattr(r, rule.bound))


def _breaks(value: float, rule: Rule, limit: float) -> bool:
    if not (math.isfinite(value) and math.isfinite(limit)):
        return False
    return {"<": value < limit, "<=": value <= limit, ">": value > limit}[rule.op]


def _shown(key: str, value: float) -> str:
    metric = METRIC[key]
    v = value * metric.scale
    text = f"{v:.0f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"
    return f"{text} {metric.unit}".strip()


def threshold_notes(reference: Reference) -> list[str]:
    """Each verdict rule with its number, in words (for the report and the tooltips)."""
    notes = []
    for rule in (OFF_BEAT, *RULES):
        limit = threshold(reference, rule)
        word = {"<": "below", "<=": "at or below", ">": "above"}[rule.op]
        what = METRIC[rule.key].name
        where = f"the {rule.bound} of {GROUP_NAMES[rule.group]} parts"
        shown = _shown(rule.key, limit) if math.isfinite(limit) else "not measured"
        if rule is OFF_BEAT:
            notes.append(
                f"“off-beat on counts N”: the part's BAS is {word} {where} ({shown}); the counts "
                "named have no stop of the body within 100 ms (3 frames) of their beat"
            )
        else:
            notes.append(f"“{rule.phrase}”: {what} {word} {where} ({shown})")
    notes.append(
        f"“does not repeat Part N”: a part whose music repeats Part N is more than "
        f"{SAME_MOVES_METRES:.2f} m from its poses (the same routine by two real dancers: "
        "0.05–0.11 m)"
    )
    notes.append(
        f"“repeats Part N”: a part whose music does not repeat is within {SAME_MOVES_METRES:.2f} m "
        "of another part's poses"
    )
    return notes


@dataclass(frozen=True)
class PartScore:
    """One part's figures, verdict and style."""

    index: int
    label: str
    start: float
    end: float
    section: str
    danced: bool
    figures: dict[str, float]
    counts: tuple[float, ...]
    """The BAS term of each count of the part (count 1 first)."""
    off_counts: tuple[int, ...]
    repeat_of: int | None
    """The part whose moves this one should repeat (its music does), if any."""
    nearest: int | None
    """The other part whose poses are closest."""
    nearest_distance: float
    issues: tuple[str, ...]
    style: StyleRead | None = None

    @property
    def verdict(self) -> str:
        """ "Part 7: off-beat on counts 3–4; feet slide; arms stay low"."""
        if not self.danced:
            return f"{self.label}: no dance here"
        return f"{self.label}: " + ("; ".join(self.issues) if self.issues else "nothing stands out")


@dataclass(frozen=True)
class Curves:
    """Per music beat, for plots over time: song seconds, BAS term, body speed, music energy."""

    times: tuple[float, ...]
    alignment: tuple[float, ...]
    motion_energy: tuple[float, ...]
    music_energy: tuple[float, ...]


@dataclass(frozen=True)
class Scorecard:
    """The scorecard of one routine on one song."""

    source: str
    parts: tuple[PartScore, ...]
    whole: dict[str, float]
    """Whole-routine figures, with ``fid_k``, ``fid_g``, ``repeats_kept`` and
    ``unrepeated_vary`` (shares of the parts that follow the music's structure)."""
    summary: str
    curves: Curves
    reference: Reference = field(repr=False)
    style: StyleRead | None = None
    seconds: float = 0.0
    span_styles: tuple[StyleRead | None, ...] = ()
    """The style of each danced span given to :func:`scorecard_job` (each clip, in the
    studio), in their order; None for a span under :data:`MIN_STYLE_SECONDS` or not read.
    Empty when the style was not read."""
    user_styles: tuple[str, ...] = ()
    """The user's own styles the classifier knew when it read the styles."""

    def real_part(self, key: str, group: str = "pop_street") -> tuple[float, float, float]:
        r = self.reference.part(key, group)
        return r.p10, r.median, r.p90

    def to_json(self) -> dict[str, Any]:
        """The document ``eightcount scorecard --json`` writes (NaN as None)."""

        def clean(d: Mapping[str, float]) -> dict[str, float | None]:
            return {k: (round(v, 5) if math.isfinite(v) else None) for k, v in d.items()}

        def style(s: StyleRead | None) -> dict[str, Any] | None:
            return (
                None if s is None else {"style": s.style, "probabilities": clean(s.probabilities)}
            )

        real = {
            group: {k: r.to_json() for k, r in self.reference.parts[group].items()}
            for group in ("pop_street", "ballroom")
        }
        return {
            "motion": self.source,
            "fps": FPS,
            "style": style(self.style),
            "whole": clean(self.whole),
            "summary": self.summary,
            "bas_caveat": METRIC["bas"].explanation,
            "real_parts": {"columns": ["p10", "median", "p90", "n"], **real},
            "real_whole": {
                "columns": ["p10", "median", "p90", "n"],
                "pop_street": {
                    k: r.to_json() for k, r in self.reference.whole["pop_street"].items()
                },
            },
            "thresholds": threshold_notes(self.reference),
            "parts": [
                {
                    "index": p.index,
                    "label": p.label,
                    "start": round(p.start, 3),
                    "end": round(p.end, 3),
                    "section": p.section,
                    "danced": p.danced,
                    "figures": clean(p.figures),
                    "off_counts": list(p.off_counts),
                    "repeat_of": p.repeat_of,
                    "verdict": p.verdict,
                    "style": style(p.style),
                }
                for p in self.parts
            ],
        }


def _ranges(counts: Sequence[int]) -> str:
    """[3, 4, 7] -> "3–4, 7"."""
    out: list[str] = []
    run: list[int] = []
    for c in sorted(counts):
        if run and c == run[-1] + 1:
            run.append(c)
            continue
        if run:
            out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [c]
    if run:
        out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out)


def _section_of(analysis: SongAnalysis, index: int) -> str:
    for s in analysis.sections:
        if s.first_part <= index < s.first_part + s.n_parts:
            return s.label
    return ""


def _repeats(analysis: SongAnalysis) -> tuple[dict[int, int], set[int]]:
    """Part -> the part it repeats (same label, first occurrence), and the parts whose
    section's music occurs only once."""
    first: dict[str, tuple[int, int]] = {}
    count: dict[str, int] = {}
    for s in analysis.sections:
        count[base_label(s.label)] = count.get(base_label(s.label), 0) + 1
    repeat_of: dict[int, int] = {}
    unrepeated: set[int] = set()
    for s in analysis.sections:
        base = base_label(s.label)
        if count[base] == 1:
            unrepeated.update(range(s.first_part, s.first_part + s.n_parts))
        elif base not in first:
            first[base] = (s.first_part, s.n_parts)
        else:
            start, n = first[base]
            for k in range(min(n, s.n_parts)):
                repeat_of[s.first_part + k] = start + k
    return repeat_of, unrepeated


def covered_share(spans: Sequence[tuple[float, float]], start: float, end: float) -> float:
    """The share of ``start``..``end`` that ``spans`` (song seconds, may overlap) cover."""
    if end <= start:
        return 0.0
    pieces = sorted((max(a, start), min(b, end)) for a, b in spans if b > start and a < end)
    total, reach = 0.0, start
    for a, b in pieces:
        a = max(a, reach)
        if b > a:
            total += b - a
            reach = b
    return total / (end - start)


def _name(names: Mapping[int, str], index: int | None) -> str:
    return names.get(index, f"Part {index}") if index is not None else ""


def _likeness(
    signatures: Mapping[int, Array], index: int, twin: int | None
) -> tuple[int | None, float, float]:
    """The nearest other part and its distance, and the distance to ``twin`` (NaN if none)."""
    mine = signatures.get(index)
    if mine is None:
        return None, math.nan, math.nan
    others = [(signature_distance(mine, s), i) for i, s in signatures.items() if i != index]
    near_d, near = min(others) if others else (math.nan, None)
    other = signatures.get(twin) if twin is not None else None
    return near, near_d, signature_distance(mine, other) if other is not None else math.nan


def score_parts(
    measured: Measured,
    analysis: SongAnalysis,
    reference: Reference,
    danced: Sequence[bool],
    names: Mapping[int, str],
) -> list[PartScore]:
    """Read each part's figures against the reference (no style yet)."""
    parts = analysis.parts
    repeat_of, unrepeated = _repeats(analysis)
    signatures: dict[int, Array] = {}
    for p, signature, d in zip(parts, measured.signatures, danced, strict=True):
        if d and signature is not None:
            signatures[p.index] = signature
    off_limit = threshold(reference, OFF_BEAT)
    limits = [(rule, threshold(reference, rule)) for rule in RULES]
    out = []
    for part, figures, is_danced in zip(parts, measured.stretches, danced, strict=True):
        figures = dict(figures) if is_danced else {k: math.nan for k in figures}
        beats = range(part.first_beat, min(part.first_beat + part.n_beats, len(measured.alignment)))
        counts = tuple(float(measured.alignment[b]) for b in beats)
        off: tuple[int, ...] = ()
        if _breaks(figures["bas"], OFF_BEAT, off_limit):
            off = tuple(k + 1 for k, t in enumerate(counts) if t < OFF_COUNT_TERM)
        twin = repeat_of.get(part.index)
        near, near_d, figures["repeat_distance"] = _likeness(signatures, part.index, twin)
        issues: list[str] = []
        if is_danced:
            if off:
                issues.append(f"off-beat on count{'s' if len(off) > 1 else ''} {_ranges(off)}")
            issues.extend(
                rule.phrase for rule, lim in limits if _breaks(figures[rule.key], rule, lim)
            )
            if figures["repeat_distance"] > SAME_MOVES_METRES:
                issues.append(f"does not repeat {_name(names, twin)} (the music does)")
            if part.index in unrepeated and near is not None and near_d < SAME_MOVES_METRES:
                issues.append(f"repeats {_name(names, near)} (the music does not)")
        out.append(
            PartScore(
                part.index,
                names.get(part.index, f"Part {part.index}"),
                part.start,
                part.end,
                _section_of(analysis, part.index),
                is_danced,
                figures,
                counts if is_danced else (),
                off if is_danced else (),
                twin,
                near,
                near_d,
                tuple(issues),
            )
        )
    return out


def _structure(parts: Sequence[PartScore], analysis: SongAnalysis) -> dict[str, float]:
    _, unrepeated = _repeats(analysis)
    twins = [p.figures["repeat_distance"] for p in parts if p.danced and p.repeat_of is not None]
    twins = [d for d in twins if math.isfinite(d)]
    alone = [
        p.nearest_distance
        for p in parts
        if p.danced and p.index in unrepeated and math.isfinite(p.nearest_distance)
    ]
    return {
        "repeats_kept": float(np.mean([d <= SAME_MOVES_METRES for d in twins]))
        if twins
        else math.nan,
        "unrepeated_vary": float(np.mean([d >= SAME_MOVES_METRES for d in alone]))
        if alone
        else math.nan,
    }


def summarise(parts: Sequence[PartScore], whole: Mapping[str, float]) -> str:
    """One paragraph for the whole routine: the most common issues and the structure."""
    danced = [p for p in parts if p.danced]
    if not danced:
        return "No part of the song is danced yet."
    tally: dict[str, int] = {}
    for p in danced:
        for issue in p.issues:
            key = "off-beat" if issue.startswith("off-beat") else issue.split(" (")[0]
            key = "does not repeat" if key.startswith("does not repeat") else key
            key = "repeats another part" if key.startswith("repeats ") else key
            tally[key] = tally.get(key, 0) + 1
    common = sorted(tally.items(), key=lambda kv: -kv[1])[:4]
    said = [f"{name} in {n} of {len(danced)} parts" for name, n in common]
    text = ("; ".join(said) + ".") if said else "No part stands out against real dance."
    text = text[0].upper() + text[1:]
    kept, vary = whole.get("repeats_kept", math.nan), whole.get("unrepeated_vary", math.nan)
    if math.isfinite(kept):
        text += f" Where the music repeats, {kept:.0%} of the parts repeat their moves."
    if math.isfinite(vary):
        text += f" Where it does not, {vary:.0%} of the parts vary."
    return text


def analysis_without_song(seconds: float, part_seconds: float = 4.0) -> SongAnalysis:
    """Parts of ``part_seconds`` over a dance with no song (no beats, so no BAS, no energy
    correlation and no sections): as the real reference cuts dance without music."""
    from inference.audio.grid import Part, empty_grid

    n = max(1, math.ceil(seconds / part_seconds - 0.25))
    parts = tuple(
        Part(i + 1, i * part_seconds, min((i + 1) * part_seconds, seconds), 0, 0) for i in range(n)
    )
    grid = empty_grid(seconds)
    return SongAnalysis(None, seconds, grid, 0.0, (), parts, (), (), 0.0)


def scorecard_job(
    motion: Motion,
    analysis: SongAnalysis,
    source: str = "routine",
    danced_spans: Sequence[tuple[float, float]] | None = None,
    names: Mapping[int, str] | None = None,
    with_style: bool = True,
    reference: Reference | None = None,
    offset: float = 0.0,
    style_examples: Sequence[StyleExample] = (),
) -> Job[Scorecard]:
    """Measure ``motion`` (30 fps) on ``analysis``'s parts.

    Parameters
    ----------
    offset
        Song time of the motion's first frame (a routine: 0; a Tang dance: its start).
    danced_spans
        Song seconds that clips cover (None: all of the motion). Parts less than
        :data:`COVERED_SHARE` covered read "no dance"; the whole routine is measured from the
        first covered second to the last.
    names
        Part index -> the name shown (default "Part N").
    with_style
        Also classify the style of the routine, of each part and of each danced span (loads
        the style model).
    style_examples
        Clips the user tagged with styles of their own: the classifier learns those styles
        from them, few-shot, and reads them beside its own.
    """
    import time

    started = time.perf_counter()
    yield Progress(0, "Scorecard: measuring the parts")
    reference = reference or load_reference()
    names = dict(names or {})
    n = motion.n_frames
    spans = [frame_span(p.start - offset, p.end - offset, n) for p in analysis.parts]
    covered = danced_spans if danced_spans is not None else [(offset, offset + n / FPS)]
    danced = [
        b - a >= MIN_SPAN_FRAMES and covered_share(covered, p.start, p.end) >= COVERED_SHARE
        for p, (a, b) in zip(analysis.parts, spans, strict=True)
    ]
    inside = [s for s, d in zip(spans, danced, strict=True) if d]
    # The whole routine: everything the clips cover (a pickup before part 1 included).
    whole_span = frame_span(
        min(a for a, _ in covered) - offset, max(b for _, b in covered) - offset, n
    )
    beats = [b - offset for b in analysis.grid.beats]
    measured = measure(motion, spans, whole_span, beats, analysis.energy)
    whole = dict(measured.whole)
    yield Progress(40, "Scorecard: reading the parts against real dance")
    parts = score_parts(measured, analysis, reference, danced, names)
    whole.update(_structure(parts, analysis))
    a, b = whole_span
    windows = window_features(measured.positions[a:b], FPS)
    real = reference.real_windows
    ok = windows.n >= 2 and real.n >= 2 and bool(inside)
    whole["fid_k"] = fid_k(windows, real) if ok else math.nan
    whole["fid_g"] = fid_g(windows, real) if ok else math.nan
    if not inside:
        whole = {k: math.nan for k in whole}
    style: StyleRead | None = None
    span_styles: tuple[StyleRead | None, ...] = ()
    user_names: tuple[str, ...] = ()
    if with_style and inside and b - a >= 30:
        yield Progress(60, "Scorecard: reading the style")
        from inference.motion.ops import trim
        from inference.style import classify_motion, learn_user_styles, shipped_model

        model = shipped_model()
        if style_examples:
            yield Progress(65, f"Scorecard: learning your styles from {len(style_examples)} clips")
        user_styles = learn_user_styles(model, style_examples)
        user_names = tuple(u.name for u in user_styles)
        result = classify_motion(trim(motion, a, b), model, user_styles, source=source)
        style, reads, span_reads = style_reads(
            result, model.calibration, parts, covered, offset + a / FPS
        )
        parts = [_with_style(p, r) for p, r in zip(parts, reads, strict=True)]
        span_styles = tuple(span_reads)
    times = analysis.grid.beats
    energy = analysis.energy if len(analysis.energy) == len(times) else (math.nan,) * len(times)
    curves = Curves(
        tuple(float(t) for t in times),
        tuple(float(x) for x in measured.alignment)
        if measured.alignment.size
        else (math.nan,) * len(times),
        tuple(float(x) for x in measured.motion_energy),
        tuple(float(x) for x in energy),
    )
    card = Scorecard(
        source,
        tuple(parts),
        whole,
        summarise(parts, whole),
        curves,
        reference,
        style,
        time.perf_counter() - started,
        span_styles,
        user_names,
    )
    yield Progress(100, "Scorecard: done")
    return card


def _with_style(part: PartScore, style: StyleRead | None) -> PartScore:
    from dataclasses import replace

    return replace(part, style=style)


@dataclass(frozen=True, eq=False)
class ScorecardRequest:
    """Score one routine on the worker thread (an immutable snapshot of the inputs)."""

    motion: Motion
    analysis: SongAnalysis
    source: str = "routine"
    danced_spans: tuple[tuple[float, float], ...] | None = None
    names: tuple[tuple[int, str], ...] = ()
    with_style: bool = True

    def job(self) -> Job[Scorecard]:
        return scorecard_job(
            self.motion,
            self.analysis,
            self.source,
            self.danced_spans,
            dict(self.names),
            self.with_style,
        )
