"""The take report: one self-contained HTML file whose plots show every scored part and count."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from inference.audio.grid import derive_parts, grid_from_tap_tempo
from inference.scoring import PartScore, ScoreResult
from inference.scoring.report import count_cells, timing_color, timing_text, write_report_html

GRID = grid_from_tap_tempo(120.0, 0.0, 12.0)
PARTS = derive_parts(GRID)


def part(index: int, score: float, timing: float, count_timing: list[float]) -> PartScore:
    counts = tuple(score + k for k in range(8))
    feedback = ("left knee: bend more on counts 3–4",)
    return PartScore(index, score, timing, counts, tuple(count_timing), feedback, 0.2, 1.0)


RESULT = ScoreResult(
    overall=71.0,
    offset_s=0.0,
    sync="start",
    parts=(part(1, 62.0, 150.0, [150.0] * 8), part(3, 88.0, -20.0, [-20.0] * 7 + [-180.0])),
    notes=("take.mp4 has no soundtrack: it starts with the reference",),
)


def test_count_cells_span_the_counts_of_each_scored_part() -> None:
    cells = count_cells(RESULT.parts, PARTS, GRID)
    assert [(c.part, c.count) for c in cells][:2] == [(1, 1), (1, 2)]
    assert len(cells) == 16
    third = [c for c in cells if c.part == 3]
    assert third[0].start == PARTS[2].start and third[-1].end == PARTS[2].end
    assert third[-1].timing_ms == -180.0


def test_timing_reads_as_words_and_colours() -> None:
    assert timing_text(150.0) == "late 150 ms"
    assert timing_text(-180.0) == "early 180 ms"
    assert timing_text(20.0) == "on time"
    assert timing_color(20.0) != timing_color(150.0) != timing_color(-150.0)


def test_the_report_is_one_self_contained_file(tmp_path: Path) -> None:
    history = {1: [55.0, 58.0, 62.0]}
    path = write_report_html(
        RESULT, PARTS, GRID, tmp_path / "take.html", history, take_name="take.mp4"
    )
    text = path.read_text(encoding="utf-8")
    assert (
        "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text
    )
    sources = re.findall(r'src="([^"]+)"', text)
    assert len(sources) == 2 and all(s.startswith("data:image/svg+xml;base64,") for s in sources)
    bars, strip = (base64.b64decode(s.split(",", 1)[1]).decode() for s in sources)
    assert bars.count("<rect") == 1 + 2  # the background and one bar per scored part
    assert ">62<" in bars and ">88<" in bars
    assert strip.count("<title>") == 16  # a cell per count
    assert "Part 3, count 8: early 180 ms" in strip
    assert "left knee: bend more on counts 3–4" in text
    assert "55, 58, 62" in text  # the part's last takes
    assert "has no soundtrack" in text
