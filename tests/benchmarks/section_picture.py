"""A picture of a song's sections: waveform, boundary evidence, and one timeline per method.

Drawn with Qt's QPainter into a PNG (no display needed: the offscreen platform is used when
there is none), since matplotlib is not a dependency.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from inference.audio import sections
from inference.audio.analysis import SongAnalysis
from inference.audio.decode import load_audio
from inference.audio.meter import BeatFeatures

WIDTH, MARGIN = 1400, 90
COLOURS = {
    "Intro": "#8fa3bf", "Outro": "#8fa3bf", "Verse": "#6fbf73", "Chorus": "#e8795a",
    "Pre-Chorus": "#e3c15b", "Bridge": "#a17fc9", "Break": "#5bb8c4", "Song": "#bbbbbb",
}  # fmt: skip


def draw(
    song: SongAnalysis,
    bf: BeatFeatures,
    methods: Mapping[str, Sequence[sections.Section]],
    out: Path,
) -> None:
    """Write ``out`` (PNG): waveform, our evidence per part start, each method's sections."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen

    _app = QGuiApplication.instance() or QGuiApplication([])
    rows = len(methods)
    height = 60 + 120 + 110 + rows * 50 + 40
    img = QImage(WIDTH, height, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    span = WIDTH - 2 * MARGIN

    def x(t: float) -> float:
        return MARGIN + span * t / song.duration

    p.drawText(MARGIN, 25, f"{song.path.name if song.path else 'song'}: {song.duration:.1f} s, "
               f"{song.tempo_bpm:.0f} BPM, {len(song.parts)} parts")  # fmt: skip
    # Waveform envelope.
    top = 40
    assert song.path is not None
    y = np.abs(load_audio(song.path).samples)
    cols = np.array_split(y, span)
    peak = max(float(y.max()), 1e-9)
    p.setPen(QPen(QColor("#555555")))
    for i, c in enumerate(cols):
        h = 50.0 * float(c.max()) / peak if c.size else 0.0
        p.drawLine(int(MARGIN + i), int(top + 60 - h), int(MARGIN + i), int(top + 60 + h))
    p.drawText(5, top + 64, "audio")
    # Boundary evidence at each part start (ours), with the part grid.
    base = top + 120 + 100
    vectors = sections.beat_vectors(bf)
    sim = sections.part_similarity(vectors, song.parts)
    ev = sections.boundary_evidence(vectors, song.parts, sim)
    scale = 90.0 / max(float(ev.max()), 1e-9)
    p.setPen(QPen(QColor("#dddddd")))
    for part in song.parts:
        p.drawLine(int(x(part.start)), base - 95, int(x(part.start)), base)
    p.setPen(QPen(QColor("#c0392b"), 2))
    for part, e in zip(song.parts, ev, strict=True):
        p.drawLine(int(x(part.start)), base, int(x(part.start)), int(base - e * scale))
    thr = base - sections.BOUNDARY_THRESHOLD * float(ev.max()) * scale
    p.setPen(QPen(QColor("#c0392b"), 1, Qt.PenStyle.DashLine))
    p.drawLine(MARGIN, int(thr), WIDTH - MARGIN, int(thr))
    p.setPen(QPen(QColor("black")))
    p.drawText(5, base - 40, "evidence")
    # One timeline of sections per method.
    row_top = base + 20
    for name, secs in methods.items():
        p.drawText(5, row_top + 28, name)
        for s in secs:
            rect = QRectF(x(s.start), row_top, x(s.end) - x(s.start), 40)
            base_label = s.label.rsplit(" ", 1)[0] if s.label[-1].isdigit() else s.label
            p.fillRect(rect, QColor(COLOURS.get(base_label, "#cccccc")))
            p.setPen(QPen(QColor("white"), 2))
            p.drawRect(rect)
            p.setPen(QPen(QColor("black")))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, s.label)
        row_top += 50
    # Seconds axis.
    for t in range(0, int(song.duration) + 1, 10):
        p.drawText(int(x(t)) - 8, row_top + 20, f"{t}s")
    p.end()
    img.save(str(out))
