"""The HTML report is self-contained and shows its plots in a real browser (headless
Chromium, where installed: packaging/system-deps.sh installs it for CI)."""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from inference.assess.scorecard_card import Scorecard, scorecard_job
from inference.assess.scorecard_report import BAR, BAR_KEYS, write_report_html
from inference.audio import SongAnalysis, analyze_song
from inference.generate import GenerationParams, generate_routine_job
from inference.jobs import run_job
from inference.paths import DEMO_SONG


@pytest.fixture(scope="module")
def card() -> Scorecard:
    analysis: SongAnalysis = analyze_song(DEMO_SONG)
    motion = run_job(generate_routine_job(analysis, GenerationParams())).motion
    return run_job(scorecard_job(motion, analysis, with_style=True))


def test_report_is_self_contained(card: Scorecard, tmp_path: Path) -> None:
    text = write_report_html(card, tmp_path / "r.html").read_text(encoding="utf-8")
    uris = re.findall(r"src=['\"](data:image/svg\+xml;base64,[^'\"]+)", text)
    assert len(uris) == len(BAR_KEYS) + 1
    svg = base64.b64decode(uris[1].split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and svg.count("<rect") >= len(card.parts)
    assert not re.search(r"(src|href)=['\"](https?:|//|file:)", text)
    for part in card.parts:
        assert html.escape(part.verdict.split(": ", 1)[1]) in text
    assert card.style is not None and card.style.style in text
    assert "is not evidence that the dance is good" in text  # the BAS caveat
    assert "p90 of real pop and street dance" in text  # the thresholds, stated


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium (system-deps.sh --test)")
def test_report_shows_its_plots_in_chromium(card: Scorecard, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    page = write_report_html(card, tmp_path / "r.html")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path}",
         f"--screenshot={shot}", "--window-size=1000,2600", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    image = QImage(str(shot)).convertToFormat(QImage.Format.Format_RGB32)
    assert image.width() == 1000
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)[..., :3]
    blue = np.array([int(BAR[5:7], 16), int(BAR[3:5], 16), int(BAR[1:3], 16)])  # BGRA order
    bar_rows = np.nonzero(np.all(np.abs(pixels.astype(int) - blue) <= 6, axis=-1).sum(axis=1))[0]
    # The part bars are drawn: many rows of bar-blue pixels, in several separate plots.
    assert bar_rows.size > 200
    assert np.count_nonzero(np.diff(bar_rows) > 40) >= 3
