"""Exports of an analysis: JSON (the CLI format), CSV, Audacity labels, an HTML count sheet.

Every writer is atomic: it writes a temporary file next to the target and renames it over the
target, so a crash never leaves half a file; the file gets the permissions of the user's umask
(:func:`inference.files.write_text_atomic`).

The Audacity labels and the count sheet name the parts as the user named them (``part_names``,
by part index), and the count sheet lists the moves danced in each part (``part_moves``).
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from inference.audio.analysis import SongAnalysis
from inference.audio.grid import part_counts
from inference.files import write_text_atomic

JSON_KEYS = ("duration", "tempo_bpm", "meter", "beats", "downbeats", "parts", "sections")
"""The exact keys of the CLI's ``--json`` output, in order."""


def _r(t: float) -> float:
    return round(float(t), 6)


def analysis_to_json_dict(analysis: SongAnalysis) -> dict[str, Any]:
    """The CLI JSON: exactly :data:`JSON_KEYS`, all times in seconds."""
    return {
        "duration": _r(analysis.duration),
        "tempo_bpm": round(float(analysis.tempo_bpm), 3),
        "meter": int(analysis.meter),
        "beats": [_r(b) for b in analysis.grid.beats],
        "downbeats": [_r(b) for b in analysis.grid.downbeats],
        "parts": [
            {"index": p.index, "start": _r(p.start), "end": _r(p.end)} for p in analysis.parts
        ],
        "sections": [
            {"label": s.label, "start": _r(s.start), "end": _r(s.end)} for s in analysis.sections
        ],
    }


PartNames = Mapping[int, str]
PartMoves = Mapping[int, Sequence[str]]


def part_name(index: int, names: PartNames | None) -> str:
    """The name the user gave part ``index``, or "Part N"."""
    return (names or {}).get(index) or f"Part {index}"


def write_json(analysis: SongAnalysis, path: str | Path) -> Path:
    """Write :func:`analysis_to_json_dict` as JSON."""
    return write_text_atomic(path, json.dumps(analysis_to_json_dict(analysis), indent=2) + "\n")


def beats_csv(analysis: SongAnalysis) -> str:
    """One row per beat: ``beat,time,bar_count,part,part_count,section,energy``."""
    counts = part_counts(analysis.grid, analysis.parts)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["beat", "time", "bar_count", "part", "part_count", "section", "energy"])
    for i, (t, c) in enumerate(zip(analysis.grid.beats, analysis.grid.counts, strict=True)):
        section = next((s.label for s in analysis.sections if s.start <= t < s.end), "")
        energy = analysis.energy[i] if i < len(analysis.energy) else 0.0
        w.writerow([i + 1, f"{t:.6f}", c, counts[i][0], counts[i][1], section, f"{energy:.4f}"])
    return out.getvalue()


def parts_csv(analysis: SongAnalysis) -> str:
    """One row per part: ``part,start,end,beats``."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["part", "start", "end", "beats"])
    for p in analysis.parts:
        w.writerow([p.index, f"{p.start:.6f}", f"{p.end:.6f}", p.n_beats])
    return out.getvalue()


def sections_csv(analysis: SongAnalysis) -> str:
    """One row per section: ``section,start,end,first_part,parts``."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "start", "end", "first_part", "parts"])
    for s in analysis.sections:
        w.writerow([s.label, f"{s.start:.6f}", f"{s.end:.6f}", s.first_part, s.n_parts])
    return out.getvalue()


def write_csv(analysis: SongAnalysis, path: str | Path, table: str = "beats") -> Path:
    """Write one table as CSV: ``table`` is ``"beats"``, ``"parts"`` or ``"sections"``."""
    makers = {"beats": beats_csv, "parts": parts_csv, "sections": sections_csv}
    if table not in makers:
        raise ValueError(f"unknown table {table!r}; choose beats, parts or sections")
    return write_text_atomic(path, makers[table](analysis))


def audacity_labels(analysis: SongAnalysis, part_names: PartNames | None = None) -> str:
    """An Audacity label track: ``start<TAB>end<TAB>label`` per line, seconds to 6 decimals.

    Sections and parts are region labels (a part by its name in ``part_names``, else "Part
    N"); beats are point labels (start = end) named by their count in the part, e.g. ``3.1``
    for part 3, count 1.
    """
    lines = [f"{s.start:.6f}\t{s.end:.6f}\t{s.label}" for s in analysis.sections]
    lines += [
        f"{p.start:.6f}\t{p.end:.6f}\t{part_name(p.index, part_names)}" for p in analysis.parts
    ]
    counts = part_counts(analysis.grid, analysis.parts)
    lines += [
        f"{t:.6f}\t{t:.6f}\t{pc[0]}.{pc[1]}"
        for t, pc in zip(analysis.grid.beats, counts, strict=True)
    ]
    return "\n".join(lines) + "\n"


def write_audacity_labels(
    analysis: SongAnalysis, path: str | Path, part_names: PartNames | None = None
) -> Path:
    """Write :func:`audacity_labels` to a ``.txt`` file Audacity imports as a label track."""
    return write_text_atomic(path, audacity_labels(analysis, part_names))


def _mmss(t: float) -> str:
    m, s = divmod(max(0.0, t), 60.0)
    return f"{int(m)}:{s:05.2f}"


def count_sheet_html(
    analysis: SongAnalysis,
    title: str | None = None,
    part_names: PartNames | None = None,
    part_moves: PartMoves | None = None,
) -> str:
    """A printable HTML count sheet: sections, then each part (by its name) with its counts and
    timestamps, and the moves danced in it when ``part_moves`` has them."""
    name = title or (analysis.path.stem if analysis.path else "Song")
    counts = part_counts(analysis.grid, analysis.parts)
    beats = analysis.grid.beats
    rows: list[str] = []
    for s in analysis.sections:
        rows.append(
            f'<tr class="section"><th colspan="3">{html.escape(s.label)} '
            f"({_mmss(s.start)} – {_mmss(s.end)})</th></tr>"
        )
        for p in analysis.parts:
            if not s.start <= p.start < s.end:
                continue
            cells = " ".join(
                f'<span class="c">{counts[i][1]}<small>{_mmss(beats[i])}</small></span>'
                for i in range(p.first_beat, p.first_beat + p.n_beats)
            )
            moves = " · ".join((part_moves or {}).get(p.index, ()))
            moves_cell = f'<div class="moves">{html.escape(moves)}</div>' if moves else ""
            rows.append(
                f"<tr><td>{html.escape(part_name(p.index, part_names))}</td>"
                f"<td>{_mmss(p.start)}</td><td>{cells}{moves_cell}</td></tr>"
            )
    body = "\n".join(rows)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(name)} – count sheet</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ccc; padding: 4px 8px; text-align: left; }}
tr.section th {{ background: #eee; }}
.c {{ display: inline-block; width: 4.5em; font-weight: bold; }}
.c small {{ display: block; font-weight: normal; color: #666; }}
.moves {{ margin-top: 4px; font-style: italic; color: #333; }}
@media print {{ tr {{ page-break-inside: avoid; }} }}
</style></head><body>
<h1>{html.escape(name)}</h1>
<p>Tempo {analysis.tempo_bpm:.1f} BPM · {analysis.meter}/4 · {len(analysis.parts)} parts ·
length {_mmss(analysis.duration)}</p>
<table>
<tr><th>Part</th><th>Start</th><th>Counts</th></tr>
{body}
</table></body></html>
"""


def write_count_sheet_html(
    analysis: SongAnalysis,
    path: str | Path,
    title: str | None = None,
    part_names: PartNames | None = None,
    part_moves: PartMoves | None = None,
) -> Path:
    """Write :func:`count_sheet_html` to ``path``."""
    return write_text_atomic(path, count_sheet_html(analysis, title, part_names, part_moves))
