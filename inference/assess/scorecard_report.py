"""The scorecard as one self-contained HTML page: plots as SVG data URIs, the parts with their
verdicts and styles, the whole routine beside real dance, and the thresholds used.

No Qt and no plotting library: the plots are a few SVG rectangles and polylines, so the CLI
writes a report on a machine with no display, and any browser (or Qt's QTextDocument, for the
studio's PDF) shows it with nothing to fetch.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from inference.assess.scorecard_card import GROUP_NAMES, PartScore, Scorecard, threshold_notes
from inference.assess.scorecard_figures import METRIC
from inference.files import write_text_atomic

BAR_KEYS = ("bas", "pfc", "foot_skating", "div_k", "knee_p90", "wrists_up", "speed", "pose_spread")
"""The per-part bar charts of the report (and the panel's default list)."""
WHOLE_KEYS = (
    "bas",
    "pfc",
    "foot_skating",
    "div_k",
    "energy_corr",
    "knee_p90",
    "pose_spread",
    "wrists_up",
    "travel",
    "speed",
    "leg_speed",
    "arm_speed",
    "fid_k",
    "fid_g",
)
REAL_GROUP = {"bas": "ballroom", "energy_corr": "ballroom"}
"""Which real group each figure is read against (the others: pop and street)."""
BAR = "#4a7bd0"
BAR_FLAGGED = "#d0574a"
BAND = "#7fbf7f"
W, H = 640, 180
PAD_L, PAD_R, PAD_T, PAD_B = 48, 12, 26, 22


def real_group(key: str) -> str:
    """The real group a figure is read against."""
    return REAL_GROUP.get(key, "pop_street")


def shown(key: str, value: float) -> str:
    """A figure as text, in its unit (shares in %)."""
    if not math.isfinite(value):
        return "–"
    metric = METRIC[key]
    v = value * metric.scale
    text = f"{v:.0f}" if abs(v) >= 100 else f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"
    return f"{text} {metric.unit}".strip() if metric.unit not in ("", "°") else text + metric.unit


def page_head(title: str, max_width: int, extra_css: str = "") -> str:
    """The start of a self-contained report page, up to its open ``<body>``: the tables,
    figures and small print styled alike in every report the studio writes."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 24px; color: #222; max-width: {max_width}px; }}
table {{ border-collapse: collapse; margin: 8px 0 16px; }}
td, th {{ border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; font-size: 13px; }}
th {{ background: #f0f0f0; }} .num {{ text-align: right; }} .small {{ color: #666; }}
figure {{ margin: 8px 0; }}
{extra_css}
</style></head><body>"""


def data_uri(svg: str) -> str:
    """An SVG document as a ``data:`` URI."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def svg_document(body: Sequence[str], width: int = W, height: int = H) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
        f'<rect width="{width}" height="{height}" fill="white"/>' + "".join(body) + "</svg>"
    )


def _scale(lo: float, hi: float, top: int, bottom: int) -> tuple[float, float]:
    span = hi - lo if hi > lo else 1.0
    return lo, (bottom - top) / span


def part_bars_svg(card: Scorecard, key: str) -> str:
    """Bars of ``key`` per part, over the real p10-p90 band (green) and median (dashed)."""
    metric = METRIC[key]
    parts = card.parts
    values = np.array([p.figures.get(key, math.nan) for p in parts]) * metric.scale
    p10, med, p90 = (v * metric.scale for v in card.real_part(key, real_group(key)))
    finite = [v for v in (*values, p10, p90) if math.isfinite(v)]
    lo = min(0.0, *finite) if finite else 0.0
    hi = max(finite) * 1.08 if finite and max(finite) > 0 else 1.0
    top, bottom = PAD_T, H - PAD_B
    base, k = _scale(lo, hi, top, bottom)

    def y(v: float) -> float:
        return bottom - (v - base) * k

    body = [
        f'<text x="{PAD_L}" y="15" font-weight="bold">{html.escape(metric.name)}'
        f"{' (' + html.escape(metric.unit) + ')' if metric.unit else ''}</text>"
    ]
    if math.isfinite(p10) and math.isfinite(p90):
        body.append(
            f'<rect x="{PAD_L}" y="{y(p90):.1f}" width="{W - PAD_L - PAD_R}" '
            f'height="{max(y(p10) - y(p90), 1):.1f}" fill="{BAND}" fill-opacity="0.35"/>'
        )
    if math.isfinite(med):
        body.append(
            f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y(med):.1f}" y2="{y(med):.1f}" '
            'stroke="#2f7f2f" stroke-dasharray="4 3"/>'
        )
    n = max(len(parts), 1)
    slot = (W - PAD_L - PAD_R) / n
    flagged = {p.index for p in parts if any(flagged_issues(p, key))}
    for i, (p, v) in enumerate(zip(parts, values, strict=True)):
        x = PAD_L + i * slot
        if math.isfinite(v):
            y0, y1 = sorted((y(v), y(max(lo, 0.0))))
            color = BAR_FLAGGED if p.index in flagged else BAR
            body.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{y0:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{max(y1 - y0, 0.5):.1f}" fill="{color}"/>'
            )
        if n <= 40 or i % max(1, n // 20) == 0:
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{H - 6}" text-anchor="middle" '
                f'fill="#555">{p.index}</text>'
            )
    for v in (lo, hi / 1.08):
        body.append(
            f'<text x="{PAD_L - 4}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#555">{v:.3g}</text>'
        )
    body.append(
        f'<line x1="{PAD_L}" x2="{PAD_L}" y1="{top}" y2="{bottom}" stroke="#999"/>'
        f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{bottom}" y2="{bottom}" stroke="#999"/>'
    )
    return svg_document(body)


def flagged_issues(part: PartScore, key: str) -> list[str]:
    """The issues of ``part`` that ``key`` raised (its bar is drawn red)."""
    from inference.assess.scorecard_card import RULES

    phrases = {r.phrase for r in RULES if r.key == key}
    if key == "bas":
        return [i for i in part.issues if i.startswith("off-beat")]
    if key == "repeat_distance":
        return [i for i in part.issues if i.startswith("does not repeat")]
    return [i for i in part.issues if i in phrases]


def curves_svg(card: Scorecard) -> str:
    """Over the song: the music's energy, the body's speed (scaled to the same height) and each
    beat's BAS term (dots), with the parts' boundaries."""
    c = card.curves
    t = np.asarray(c.times)
    width, height = W, 200
    top, bottom = PAD_T, height - PAD_B
    if t.size == 0:
        return svg_document(['<text x="10" y="20">No beats</text>'], width, height)
    t0, t1 = 0.0, max(float(t[-1]), card.parts[-1].end if card.parts else 1.0)

    def x(v: float) -> float:
        return PAD_L + (v - t0) / max(t1 - t0, 1e-9) * (width - PAD_L - PAD_R)

    def y(v: float) -> float:
        return bottom - v * (bottom - top)

    body = [
        f'<text x="{PAD_L}" y="15" font-weight="bold">Over the song</text>'
        f'<text x="{width - PAD_R}" y="15" text-anchor="end">'
        '<tspan fill="#e08a1e">■ music energy</tspan>  <tspan fill="#4a7bd0">■ body speed'
        '</tspan>  <tspan fill="#7a3fb0">● beat alignment (BAS term)</tspan></text>'
    ]
    for p in card.parts:
        body.append(
            f'<line x1="{x(p.start):.1f}" x2="{x(p.start):.1f}" y1="{top}" y2="{bottom}" '
            'stroke="#ddd"/>'
            f'<text x="{x(0.5 * (p.start + p.end)):.1f}" y="{height - 6}" text-anchor="middle" '
            f'fill="#555">{p.index}</text>'
        )
    music = np.asarray(c.music_energy, dtype=np.float64)
    speed = np.asarray(c.motion_energy, dtype=np.float64)
    top_speed = np.nanmax(speed) if np.isfinite(speed).any() else 1.0
    for values, color in ((music, "#e08a1e"), (speed / max(top_speed, 1e-9), "#4a7bd0")):
        points = " ".join(
            f"{x(float(tt)):.1f},{y(float(v)):.1f}"
            for tt, v in zip(t, values, strict=True)
            if math.isfinite(v)
        )
        if points:
            body.append(f'<polyline points="{points}" fill="none" stroke="{color}"/>')
    for tt, v in zip(t, c.alignment, strict=True):
        if math.isfinite(v):
            body.append(f'<circle cx="{x(float(tt)):.1f}" cy="{y(v):.1f}" r="1.8" fill="#7a3fb0"/>')
    body.append(
        f'<line x1="{PAD_L}" x2="{width - PAD_R}" y1="{bottom}" y2="{bottom}" stroke="#999"/>'
        f'<text x="{PAD_L - 4}" y="{top + 4}" text-anchor="end" fill="#555">1</text>'
        f'<text x="{PAD_L - 4}" y="{bottom + 4}" text-anchor="end" fill="#555">0</text>'
    )
    return svg_document(body, width, height)


def _style_cell(part: PartScore) -> str:
    return html.escape(part.style.text()) if part.style is not None else "–"


def report_html(card: Scorecard, title: str = "Choreography scorecard") -> str:
    """The whole report as one HTML document (UTF-8, nothing external)."""
    esc = html.escape
    rows = []
    for key in WHOLE_KEYS:
        metric = METRIC[key]
        group = real_group(key)
        r = card.reference.dance(key, group) if metric.whole_only else None
        r = r or card.reference.part(key, group)
        real = f"{shown(key, r.p10)} – {shown(key, r.p90)} (median {shown(key, r.median)})"
        rows.append(
            f"<tr><td title='{esc(metric.explanation)}'>{esc(metric.name)}</td>"
            f"<td class=num>{shown(key, card.whole.get(key, math.nan))}</td>"
            f"<td>{esc(real)}</td><td class=small>{esc(GROUP_NAMES[group])}"
            f"{', whole dances' if metric.whole_only else ', parts'}</td></tr>"
        )
    structure = []
    for key, text in (
        ("repeats_kept", "parts whose music repeats that repeat their moves"),
        ("unrepeated_vary", "parts whose music does not repeat that vary"),
    ):
        v = card.whole.get(key, math.nan)
        structure.append(f"<li>{'–' if not math.isfinite(v) else f'{v:.0%}'} of the {text}</li>")
    part_rows = []
    for p in card.parts:
        figures = "".join(
            f"<td class=num>{shown(k, p.figures.get(k, math.nan))}</td>" for k in BAR_KEYS
        )
        part_rows.append(
            f"<tr><td>{p.index}</td><td>{esc(p.section)}</td>"
            f"<td class=small>{p.start:.1f}–{p.end:.1f} s</td>{figures}"
            f"<td>{_style_cell(p)}</td><td>{esc(p.verdict)}</td></tr>"
        )
    headers = "".join(
        f"<th title='{esc(METRIC[k].explanation)}'>{esc(METRIC[k].name)}</th>" for k in BAR_KEYS
    )
    plots = "".join(
        f"<figure><img alt='{esc(METRIC[k].name)} per part' "
        f"src='{data_uri(part_bars_svg(card, k))}' width={W} height={H}>"
        f"<figcaption>{esc(METRIC[k].explanation)}</figcaption></figure>"
        for k in BAR_KEYS
    )
    style = card.style.text() if card.style is not None else "not classified"
    notes = "".join(f"<li>{esc(n)}</li>" for n in threshold_notes(card.reference))
    extra_css = (
        "figcaption { font-size: 12px; color: #555; max-width: 640px; }\n"
        ".caveat { background: #fff6e0; border: 1px solid #e8c872; padding: 8px;"
        " max-width: 900px; }"
    )
    return f"""{page_head(title, 1100, extra_css)}
<h1>{esc(title)}</h1>
<p><b>Motion:</b> {esc(card.source)} &nbsp; <b>Style:</b> {esc(style)}</p>
<p>{esc(card.summary)}</p>
<p class=caveat><b>About BAS.</b> {esc(METRIC["bas"].explanation)}</p>
<h2>Whole routine beside real dance</h2>
<table><tr><th>figure</th><th>this routine</th><th>real dance (p10 – p90)</th>
<th>real set</th></tr>{"".join(rows)}</table>
<p>Structure (from the song's sections):</p><ul>{"".join(structure)}</ul>
<h2>Over the song</h2>
<figure><img alt="curves over the song" src="{data_uri(curves_svg(card))}" width={W}
height=200></figure>
<h2>Per part</h2>
<p class=small>Bars in red break a verdict rule; the green band is the p10–p90 of real parts, the
dashed line their median.</p>
{plots}
<h2>Parts</h2>
<table><tr><th>part</th><th>section</th><th>time</th>{headers}<th>style</th><th>verdict</th></tr>
{"".join(part_rows)}</table>
<h2>How the verdicts are made</h2><ul>{notes}</ul>
<p class=small>All figures at 30 fps on the studio's 21-joint skeleton. Real ranges: CMU, AIST++,
Mixamo and Tang 2018 mocap measured the same way (parts of the Tang dances' own songs; 4-s
stretches of the others). Computed in {card.seconds:.1f} s.</p>
</body></html>
"""


def write_report_html(card: Scorecard, path: Path, title: str = "Choreography scorecard") -> Path:
    """Write :func:`report_html` to ``path`` atomically; returns the path."""
    return write_text_atomic(path, report_html(card, title))
