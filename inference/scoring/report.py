"""A scored take as one self-contained HTML page: the per-part bars, the per-count timing strip,
the feedback, the notes and the last takes of each part, plots as SVG data URIs.

The figures are laid out on the song's time line (a part's bar spans the part, a count's cell
spans the count), as the studio's score view draws them; :func:`count_cells` and the colour
rules are shared with that view, so the page and the panel say the same thing.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from inference.assess.scorecard_report import data_uri, page_head, svg_document
from inference.audio.grid import BeatGrid, Part
from inference.files import write_text_atomic
from inference.scoring.compare import PartScore
from inference.scoring.job import ScoreResult
from inference.scoring.scale import (
    ANGLES,
    MAX_TIMING_PENALTY,
    TIMING_GRACE_MS,
    TIMING_POINTS_PER_100MS,
)

ON_TIME_MS = TIMING_GRACE_MS
"""Within this (either way) a count is on time: the score's timing penalty starts here."""
W, H_BARS, H_STRIP = 760, 200, 120
PAD_L, PAD_R, PAD_T, PAD_B = 44, 12, 26, 22


@dataclass(frozen=True, slots=True)
class CountCell:
    """One count of one scored part, on the song's time line."""

    part: int
    count: int
    start: float
    end: float
    score: float
    timing_ms: float


def count_cells(
    scores: Sequence[PartScore], parts: Sequence[Part], grid: BeatGrid
) -> list[CountCell]:
    """Every count of every scored part, with its score and timing (NaN where unseen)."""
    by_index = {p.index: p for p in parts}
    cells = []
    for score in scores:
        part = by_index.get(score.index)
        if part is None:
            continue
        edges = [*grid.beats[part.first_beat : part.first_beat + part.n_beats], part.end]
        for k, (value, timing) in enumerate(zip(score.counts, score.count_timing_ms, strict=False)):
            if k + 1 < len(edges):
                cells.append(CountCell(score.index, k + 1, edges[k], edges[k + 1], value, timing))
    return cells


def score_color(score: float) -> str:
    """Green from 80, amber from 60, red below; grey when there is no score."""
    if not math.isfinite(score):
        return "#888888"
    return "#4caf50" if score >= 80 else "#f0a030" if score >= 60 else "#e05545"


def timing_color(ms: float) -> str:
    """Green on time (within :data:`ON_TIME_MS`), orange late, blue early; grey unknown."""
    if not math.isfinite(ms):
        return "#888888"
    if abs(ms) <= ON_TIME_MS:
        return "#4caf50"
    return "#ff8a3d" if ms > 0 else "#4f9dff"


def timing_text(ms: float) -> str:
    """ "late 120 ms", "early 80 ms", "on time" or "–"."""
    if not math.isfinite(ms):
        return "–"
    if abs(ms) <= ON_TIME_MS / 2:
        return "on time"
    return f"{'late' if ms > 0 else 'early'} {abs(ms):.0f} ms"


def _span(parts: Sequence[Part], scores: Sequence[PartScore]) -> tuple[float, float]:
    scored = [p for p in parts if p.index in {s.index for s in scores}]
    if not scored:
        return 0.0, 1.0
    return scored[0].start, max(scored[-1].end, scored[0].start + 1e-3)


def _x(t: float, span: tuple[float, float]) -> float:
    return PAD_L + (t - span[0]) / (span[1] - span[0]) * (W - PAD_L - PAD_R)


def part_bars_svg(scores: Sequence[PartScore], parts: Sequence[Part]) -> str:
    """A bar per scored part over the part's span of the song, 40..100."""
    span = _span(parts, scores)
    top, bottom = PAD_T, H_BARS - PAD_B
    by_index = {p.index: p for p in parts}

    def y(v: float) -> float:
        return bottom - (min(max(v, 40.0), 100.0) - 40.0) / 60.0 * (bottom - top)

    body = [f'<text x="{PAD_L}" y="15" font-weight="bold">Score per part (40–100)</text>']
    for v in (40, 60, 80, 100):
        body.append(
            f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>'
            f'<text x="{PAD_L - 4}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#555">{v}</text>'
        )
    for s in scores:
        part = by_index.get(s.index)
        if part is None:
            continue
        x0, x1 = _x(part.start, span), _x(part.end, span)
        gap = 0.08 * (x1 - x0)
        label = f"{s.score:.0f}" if math.isfinite(s.score) else "–"
        label_y = y(s.score if math.isfinite(s.score) else 40.0) - 4
        if math.isfinite(s.score):
            body.append(
                f'<rect x="{x0 + gap:.1f}" y="{y(s.score):.1f}" width="{x1 - x0 - 2 * gap:.1f}" '
                f'height="{max(bottom - y(s.score), 0.5):.1f}" fill="{score_color(s.score)}"/>'
            )
        body.append(
            f'<text x="{(x0 + x1) / 2:.1f}" y="{label_y:.1f}" text-anchor="middle">{label}</text>'
            f'<text x="{(x0 + x1) / 2:.1f}" y="{H_BARS - 6}" text-anchor="middle" fill="#555">'
            f"Part {s.index}</text>"
        )
    body.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{bottom}" y2="{bottom}" stroke="#999"/>')
    return svg_document(body, W, H_BARS)


def timing_strip_svg(
    cells: Sequence[CountCell], parts: Sequence[Part], scores: Sequence[PartScore]
) -> str:
    """A cell per count, coloured by its timing (green on time, orange late, blue early), with
    the count's number and, where off time, the milliseconds."""
    span = _span(parts, scores)
    top, bottom = PAD_T, H_STRIP - PAD_B
    body = [
        f'<text x="{PAD_L}" y="15" font-weight="bold">Timing per count</text>'
        f'<text x="{W - PAD_R}" y="15" text-anchor="end"><tspan fill="#4caf50">■ on time '
        f'(±{ON_TIME_MS:.0f} ms)</tspan>  <tspan fill="#ff8a3d">■ late</tspan>  '
        '<tspan fill="#4f9dff">■ early</tspan></text>'
    ]
    for c in cells:
        x0, x1 = _x(c.start, span), _x(c.end, span)
        body.append(
            f'<rect x="{x0 + 0.5:.1f}" y="{top}" width="{max(x1 - x0 - 1, 0.5):.1f}" '
            f'height="{bottom - top}" fill="{timing_color(c.timing_ms)}">'
            f"<title>Part {c.part}, count {c.count}: {timing_text(c.timing_ms)}</title></rect>"
            f'<text x="{(x0 + x1) / 2:.1f}" y="{top + 16}" text-anchor="middle" fill="#111">'
            f"{c.count}</text>"
        )
        if math.isfinite(c.timing_ms) and abs(c.timing_ms) > ON_TIME_MS:
            body.append(
                f'<text x="{(x0 + x1) / 2:.1f}" y="{bottom - 8}" text-anchor="middle" '
                f'font-size="9" fill="#111">{c.timing_ms:+.0f}</text>'
            )
    return svg_document(body, W, H_STRIP)


def report_html(
    result: ScoreResult,
    parts: Sequence[Part],
    grid: BeatGrid,
    history: Mapping[int, Sequence[float]] | None = None,
    title: str = "Practice take",
    take_name: str = "",
) -> str:
    """The whole report as one HTML document (UTF-8, nothing external).

    ``history``: the last takes' scores of each part, oldest first (the project's history).
    """
    esc = html.escape
    cells = count_cells(result.parts, parts, grid)
    rows = []
    for s in result.parts:
        feedback = "".join(f"<li>{esc(line)}</li>" for line in s.feedback) or "<li>–</li>"
        last = ", ".join(f"{v:.0f}" for v in (history or {}).get(s.index, ())) or "–"
        rows.append(
            f"<tr><td>{s.index}</td><td class=num style='color:{score_color(s.score)}'>"
            f"<b>{s.score:.0f}</b></td><td>{esc(timing_text(s.timing_ms))}</td>"
            f"<td><ul>{feedback}</ul></td><td class=small>{esc(last)}</td></tr>"
        )
    notes = "".join(f"<li>{esc(n)}</li>" for n in result.notes)
    overall = f"{result.overall:.0f}" if math.isfinite(result.overall) else "–"
    return f"""{page_head(title, 1000, "ul { margin: 0; padding-left: 18px; }")}
<h1>{esc(title)}</h1>
<p><b>Take:</b> {esc(take_name or "–")} &nbsp; <b>Overall:</b> {overall} &nbsp;
<b>Start on the song:</b> {result.offset_s:+.2f} s ({esc(result.sync)}) &nbsp;
<b>Pose distance:</b> {esc(result.metric)}</p>
<figure><img alt="score per part" src="{data_uri(part_bars_svg(result.parts, parts))}"
width={W} height={H_BARS}></figure>
<figure><img alt="timing per count" src="{data_uri(timing_strip_svg(cells, parts, result.parts))}"
width={W} height={H_STRIP}></figure>
<h2>Parts</h2>
<table><tr><th>part</th><th>score</th><th>timing</th><th>feedback</th><th>last takes</th></tr>
{"".join(rows)}</table>
<h2>Notes</h2><ul>{notes or "<li>–</li>"}</ul>
<p class=small>Scores run from 40 to 100: 40 + 60 · exp(−max(0, d − {ANGLES.floor:g}) /
{ANGLES.scale:g}) of the pose distance d along the matched path, minus
{TIMING_POINTS_PER_100MS:g} points per 100 ms of timing beyond {TIMING_GRACE_MS:.0f} ms (at most
{MAX_TIMING_PENALTY:.0f}). Timing is measured against the music: positive is late.</p>
</body></html>
"""


def write_report_html(
    result: ScoreResult,
    parts: Sequence[Part],
    grid: BeatGrid,
    path: Path,
    history: Mapping[int, Sequence[float]] | None = None,
    title: str = "Practice take",
    take_name: str = "",
) -> Path:
    """Write :func:`report_html` to ``path`` atomically; returns the path."""
    return write_text_atomic(path, report_html(result, parts, grid, history, title, take_name))
