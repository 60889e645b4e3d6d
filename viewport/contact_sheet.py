"""Contact sheets: evenly spaced frames of a motion in one PNG grid, for looking at a dance.

Each cell is rendered by the viewport's own offscreen renderer (floor, contact shadows, the
same body), so a sheet shows what the studio shows. Every cell uses the same zoom, chosen so
the largest pose of the sampled frames fits, with the camera following the dancer's position:
poses compare at one scale however far the dancer travels. A cell is labelled with its song
time; with ``views=("front", "side")`` each cell holds both views side by side.

Needs a QGuiApplication that can make GL contexts (Xvfb with ``QT_QPA_PLATFORM=xcb``, or a
desktop); see :func:`viewport.export.ensure_gl_application`.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from inference.motion import Motion, face_audience
from viewport.camera import CameraPreset, OrbitCamera
from viewport.offscreen import OffscreenRenderer
from viewport.scene import PALETTE, DancerPose, motion_joints, parse_color

CELL_SIZE = (200, 300)
"""Width and height of one view of one frame, pixels (portrait: a standing body)."""
TITLE_HEIGHT = 26
LABEL_COLOR = QColor(235, 235, 235)


def sample_frames(n_frames: int, count: int) -> NDArray[np.int64]:
    """``count`` evenly spaced frames of a motion of ``n_frames``, first and last included."""
    count = max(1, min(count, n_frames))
    return np.round(np.linspace(0, n_frames - 1, count)).astype(np.int64)


def _cameras(
    positions: NDArray[np.float64],
    ends: NDArray[np.float64],
    frames: Sequence[int],
    view: CameraPreset,
    aspect: float,
) -> list[OrbitCamera]:
    """One camera per frame: aimed at that frame's body, all at the widest frame's distance."""
    base = OrbitCamera().with_preset(view)
    # The foot of every joint on the floor keeps the floor under the dancer in view.
    framed = [
        base.framing(np.r_[positions[f], ends[f], positions[f] * [1, 0, 1]], aspect, margin=1.08)
        for f in frames
    ]
    distance = max(c.distance for c in framed)
    return [replace(c, distance=distance) for c in framed]


def _image(pixels: NDArray[np.uint8]) -> QImage:
    h, w, _ = pixels.shape
    data = np.ascontiguousarray(pixels)
    # QImage does not own the buffer: copy so the image outlives the array.
    return QImage(data.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def contact_sheet(
    motion: Motion,
    count: int = 12,
    columns: int = 6,
    views: Sequence[str] = ("front",),
    cell_size: tuple[int, int] = CELL_SIZE,
    title: str = "",
    color: str = PALETTE[0],
    face_camera: bool = True,
) -> QImage:
    """``count`` evenly spaced frames of ``motion`` as a grid image.

    Parameters
    ----------
    count, columns
        Frames to show and cells per row.
    views
        Camera presets per cell (``"front"``, ``"side"``, ``"top"``), drawn left to right.
    cell_size
        (width, height) of one view, pixels.
    title
        A line above the grid (the routine or dance name).
    face_camera
        Turn the motion so its mean facing is towards the front camera first (mocap faces
        anywhere; the audience's view is the readable one).
    """
    if face_camera:
        motion = face_audience(motion)
    positions, ends = motion_joints(motion)
    frames = sample_frames(motion.n_frames, count)
    width, height = cell_size
    presets = [CameraPreset(v) for v in views]
    cameras = [_cameras(positions, ends, frames, p, width / height) for p in presets]
    rgb = parse_color(color)
    cell_w = width * len(presets)
    rows = -(-len(frames) // columns)
    top = TITLE_HEIGHT if title else 0
    sheet = np.zeros((top + rows * height, min(columns, len(frames)) * cell_w, 3), np.uint8)
    with closing(OffscreenRenderer(width, height)) as renderer:
        for k, f in enumerate(frames):
            y0, x0 = top + (k // columns) * height, (k % columns) * cell_w
            pose = [DancerPose(positions[f], ends[f], rgb)]
            for v, per_frame in enumerate(cameras):
                x = x0 + v * width
                sheet[y0 : y0 + height, x : x + width] = renderer.render(pose, per_frame[k])
    image = _image(sheet)
    painter = QPainter(image)
    try:
        font = QFont()
        font.setPixelSize(13)
        painter.setFont(font)
        painter.setPen(LABEL_COLOR)
        if title:
            painter.drawText(QRect(8, 0, image.width() - 16, top), Qt.AlignmentFlag.AlignVCenter,
                             title)  # fmt: skip
        for k, f in enumerate(frames):
            y0, x0 = top + (k // columns) * height, (k % columns) * cell_w
            painter.drawText(QRect(x0 + 6, y0 + 4, cell_w - 12, 18), Qt.AlignmentFlag.AlignLeft,
                             f"{f / motion.fps:.1f} s")  # fmt: skip
        # Thin separators make the cells read as frames, not one wide scene.
        painter.setPen(QColor(0, 0, 0))
        for k in range(1, min(columns, len(frames))):
            painter.drawLine(k * cell_w, top, k * cell_w, image.height())
        for r in range(1, rows):
            painter.drawLine(0, top + r * height, image.width(), top + r * height)
    finally:
        painter.end()
    return image


def save_contact_sheet(motion: Motion, path: str | Path, **options: object) -> Path:
    """Render :func:`contact_sheet` (same options) and write it as a PNG at ``path``."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    image = contact_sheet(motion, **options)  # type: ignore[arg-type]
    if not image.save(str(out), "PNG"):
        raise OSError(f"could not write the contact sheet {out}")
    return out
