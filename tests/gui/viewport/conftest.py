"""Viewport fixtures: a GL check that skips only where no GL can exist, and small motions."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from app.model import MotionAsset
from inference.motion import CANONICAL, REST_PELVIS_HEIGHT, place, rest_motion
from tests.gui.conftest import require_gl
from viewport.offscreen import gl_context_error
from viewport.scene import PALETTE, DancerPose, parse_color, pose_from_motion


@pytest.fixture
def gl(qapp: QApplication) -> None:
    """Require an OpenGL 3.3 core context."""
    require_gl(gl_context_error())


def counting_asset(n_frames: int, motion_id: str = "m1", fps: float = 30.0) -> MotionAsset:
    """A T-pose whose pelvis x equals the frame index, so a pose tells which frame it is."""
    root = np.zeros((n_frames, 3))
    root[:, 0] = np.arange(n_frames)
    root[:, 1] = REST_PELVIS_HEIGHT
    rotations = np.zeros((n_frames, CANONICAL.n_joints, 4))
    rotations[..., 0] = 1.0
    return MotionAsset(
        id=motion_id,
        name="count",
        fps=fps,
        arrays={"root_translation": root, "local_rotations": rotations},
    )


def rest_pose(x: float = 0.0, color: str = PALETTE[0], ghost: bool = False) -> DancerPose:
    """The T-pose standing at (x, 0) on the floor."""
    return pose_from_motion(place(rest_motion(), x=x), 0, parse_color(color), ghost=ghost)
