"""Contact sheets: the grid, one readable dancer per cell, time labels, and the side view."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from inference.motion import place, rest_motion
from viewport.contact_sheet import (
    CELL_SIZE,
    TITLE_HEIGHT,
    contact_sheet,
    sample_frames,
    save_contact_sheet,
)

pytestmark = pytest.mark.gl

W, H = CELL_SIZE


def pixels(image: QImage) -> np.ndarray:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(rgb.constBits(), np.uint8)
    return data.reshape(rgb.height(), rgb.bytesPerLine())[:, : 3 * rgb.width()].reshape(
        rgb.height(), rgb.width(), 3
    )


def body_columns(cell: np.ndarray) -> np.ndarray:
    """x of the pixels in the dancer's blue (the stage is a dark grey)."""
    c = cell.astype(int)
    return np.nonzero(((c[..., 2] > 110) & (c[..., 2] > c[..., 0] + 50)).any(axis=0))[0]


def test_sample_frames_spans_first_to_last() -> None:
    assert sample_frames(100, 5).tolist() == [0, 25, 50, 74, 99]
    assert sample_frames(3, 12).tolist() == [0, 1, 2]


def test_a_sheet_has_a_labelled_cell_per_frame_with_the_whole_dancer(gl: None) -> None:
    # A T-pose walking 2 m along x: the camera follows, so every cell shows the whole body.
    motion = rest_motion(61)
    walk = motion.root_translation.copy()
    walk[:, 0] = np.linspace(0.0, 2.0, 61)
    motion = motion.with_(root_translation=walk)
    image = contact_sheet(motion, count=6, columns=3, title="walk")
    assert (image.width(), image.height()) == (3 * W, TITLE_HEIGHT + 2 * H)
    px = pixels(image)
    for k in range(6):
        y, x = TITLE_HEIGHT + (k // 3) * H, (k % 3) * W
        cell = px[y : y + H, x : x + W]
        cols = body_columns(cell)
        assert cols.size, f"cell {k} shows no dancer"
        # Arm span inside the cell with room to spare: framed, not cut off.
        assert cols.min() > 5 and cols.max() < W - 5 and cols.max() - cols.min() > 0.5 * W
        label = cell[4:22, 6:60].astype(int).sum(axis=-1)
        assert (label > 600).sum() > 10, f"cell {k} has no time label"
        # The floor: the lower band is lighter than the sky above the head.
        assert cell[-20:].mean() > cell[25:35, :20].mean()


def test_the_side_view_sees_the_t_pose_edge_on(gl: None, tmp_path: Path) -> None:
    motion = place(rest_motion(10), x=3.0)
    image = contact_sheet(motion, count=1, columns=1, views=("front", "side"))
    assert (image.width(), image.height()) == (2 * W, H)
    px = pixels(image)
    front, side = body_columns(px[:, :W]), body_columns(px[:, W:])
    # Arms out along x fill the front view and shrink to the body's depth from the side.
    assert front.max() - front.min() > 2.5 * (side.max() - side.min())
    out = save_contact_sheet(motion, tmp_path / "sheet" / "rest.png", count=2)
    assert QImage(str(out)).size() == image.size() and out.stat().st_size > 1000
