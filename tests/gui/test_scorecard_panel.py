"""The scorecard panel: updated after a generation and after an edit without blocking the UI,
a click selects the part on the timeline, and the report exports as HTML and PDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QImage, QPainter, QTextDocument, QUndoStack
from PySide6.QtWidgets import QApplication

from app.bridge import InferenceBridge
from app.commands import RemoveClipCommand
from app.generate_controller import GenerateController
from app.model import Project, Song
from app.scorecard_controller import ScorecardController
from inference.assess.scorecard_report import BAR, report_html
from inference.audio import SongAnalysis, analyze_song
from inference.paths import DEMO_SONG
from widgets.scorecard_panel import COLUMNS, ScorecardPanel


@pytest.fixture(scope="module")
def analysis() -> SongAnalysis:
    return analyze_song(DEMO_SONG)


@pytest.fixture
def studio(qapp: QApplication, analysis: SongAnalysis) -> Iterator[tuple]:  # type: ignore[type-arg]
    project = Project()
    project.set_song(Song(path=str(DEMO_SONG), title="demo", duration=analysis.duration))
    project.set_beat_grid(analysis.grid)
    project.set_parts(analysis.parts)
    project.set_sections(analysis.sections)
    stack, bridge, panel = QUndoStack(), InferenceBridge(), ScorecardPanel()
    generation = GenerateController(bridge, stack, lambda: analysis, bridge)
    generation.set_project(project)
    scorecard = ScorecardController(
        bridge, panel, lambda: analysis, lambda: project.dancer_tracks()[0], bridge
    )
    scorecard.set_project(project)
    yield project, stack, generation, scorecard, panel
    # Everything Qt goes now, on this thread, not whenever the garbage collector gets to it.
    bridge.shutdown()
    panel.deleteLater()
    bridge.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def test_panel_updates_after_a_generation_and_an_edit_without_blocking(studio, qtbot) -> None:  # type: ignore[no-untyped-def]
    project, stack, generation, scorecard, panel = studio
    assert panel.card is None and panel.table.rowCount() == 0
    busy_ticks: list[bool] = []
    timer = QTimer(panel)
    timer.timeout.connect(lambda: busy_ticks.append(scorecard.busy))
    timer.start(20)
    assert generation.generate(project.dancer_tracks()[0].id)
    qtbot.waitUntil(lambda: scorecard.card is not None, timeout=60000)
    first = scorecard.card
    assert panel.card is first and panel.table.rowCount() == len(project.parts)
    assert panel.export_button.isEnabled() and panel.status_label.text() == ""
    # The bars' axis ticks BAS as it is, 0 to 1, not rescaled to 0-1000 by an SI prefix
    # whose "(x0.001)" the narrow panel would cut off its label.
    axis = panel.bars.getAxis("left")
    assert panel.metric == "bas" and axis.autoSIPrefixScale == 1.0
    assert "(x" not in axis.labelString()
    # The UI thread kept running its timers while the scorecard was made on the worker (run
    # on this thread instead, the timer cannot tick until it is done: 0-2 ticks).
    assert sum(busy_ticks) >= 5
    # An edit: delete part 3's clip, and the panel reads "no dance" there, once, debounced.
    clip = next(c for c in project.dancer_tracks()[0].clips if c.name == "Part 3")
    stack.push(RemoveClipCommand(project, clip.id))
    assert panel.status_label.text() == ""  # debounced: nothing submitted yet
    qtbot.waitUntil(lambda: panel.status_label.text() == "Updating…", timeout=2000)
    qtbot.waitUntil(lambda: scorecard.card is not first, timeout=60000)
    timer.stop()
    assert panel.card.parts[2].verdict == "Part 3: no dance here"
    assert panel.table.item(2, COLUMNS.index("Verdict")).text() == "no dance here"


def test_edits_during_a_scorecard_give_one_fresh_one(studio, qtbot) -> None:  # type: ignore[no-untyped-def]
    project, stack, generation, scorecard, _panel = studio
    generation.generate(project.dancer_tracks()[0].id)
    qtbot.waitUntil(lambda: scorecard.card is not None, timeout=60000)
    shown: list[object] = []
    scorecard.updated.connect(shown.append)
    clips = [c for c in project.dancer_tracks()[0].clips if c.name in ("Part 2", "Part 4")]
    stack.push(RemoveClipCommand(project, clips[0].id))
    assert scorecard.refresh() and scorecard.busy
    stack.push(RemoveClipCommand(project, clips[1].id))
    assert scorecard.refresh()  # marks the running one stale
    qtbot.waitUntil(lambda: bool(shown) and not scorecard.busy, timeout=60000)
    qtbot.wait(DEBOUNCE_WAIT_MS)
    assert len(shown) == 1  # the stale one was never shown
    verdicts = [p.verdict for p in shown[0].parts]  # type: ignore[attr-defined]
    assert verdicts[1] == "Part 2: no dance here" and verdicts[3] == "Part 4: no dance here"


DEBOUNCE_WAIT_MS = 600


def test_click_selects_the_part_on_the_timeline(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.import_song(DEMO_SONG)
    qtbot.waitUntil(lambda: bool(window.project.parts) and not window.bridge.busy, timeout=60000)
    window.generate_routine()
    qtbot.waitUntil(lambda: window.scorecard.card is not None, timeout=90000)
    panel = window.scorecard_panel
    part = window.project.parts[4]
    with qtbot.waitSignal(panel.part_clicked) as clicked:
        panel.click_at(part.start + 0.3)
    assert clicked.args == [part.index]
    assert window.transport.position == pytest.approx(part.start)
    low, high = window.timeline.visible_range()
    assert low == pytest.approx(part.start, abs=0.05) and high == pytest.approx(part.end, abs=0.05)
    _track_id, clip = window.project.find_clip(window.clip_lanes.selected_clip)
    assert clip.start <= part.start + 1e-6 and clip.end >= part.end - 1e-6
    assert panel.selected_part == part.index and panel.table.currentRow() == 4
    # A row of the part list does the same.
    panel._on_row_clicked(6, 0)
    assert window.transport.position == pytest.approx(window.project.parts[6].start)


def test_report_exports_as_html_and_pdf_with_plots(studio, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, _, generation, scorecard, _panel = studio
    generation.generate(project.dancer_tracks()[0].id)
    qtbot.waitUntil(lambda: scorecard.card is not None, timeout=60000)
    page = scorecard.export("html", tmp_path / "card.html")
    pdf = scorecard.export("pdf", tmp_path / "card.pdf")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.html", "card.pdf"]
    # Qt's rich-text engine (what the PDF is printed with) draws the embedded SVG plots.
    document = QTextDocument()
    document.setHtml(report_html(scorecard.card))
    document.setTextWidth(1000)
    image = QImage(1000, int(document.size().height()), QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    document.drawContents(painter)
    painter.end()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)[..., :3]
    blue = np.array([int(BAR[5:7], 16), int(BAR[3:5], 16), int(BAR[1:3], 16)])
    assert np.count_nonzero(np.all(np.abs(pixels.astype(int) - blue) <= 6, axis=-1)) > 2000
