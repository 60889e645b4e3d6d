"""The viewport camera: an orbit camera in pure numpy, so its maths is tested without GL.

World frame is the canonical one (Y up, metres, the dancer faces +Z when facing the audience).
Matrices are column-vector convention (``clip = P @ V @ world``), as numpy arrays; upload them
to GL with ``transpose`` = true or as ``M.T`` in column-major order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

MIN_DISTANCE = 0.5
MAX_DISTANCE = 60.0
# Pitch stops just short of the poles, where the look-at basis would degenerate.
MAX_PITCH = math.radians(89.0)


class CameraPreset(StrEnum):
    """Named views. FRONT is the audience's view: it looks at the dancer's face (along -Z)."""

    FRONT = "front"
    SIDE = "side"
    TOP = "top"


def perspective(fov_y: float, aspect: float, near: float, far: float) -> Array:
    """An OpenGL perspective projection (``fov_y`` in radians)."""
    f = 1.0 / math.tan(fov_y / 2.0)
    m = np.zeros((4, 4))
    m[0, 0] = f / aspect
    m[1, 1] = f
    m[2, 2] = (far + near) / (near - far)
    m[2, 3] = 2.0 * far * near / (near - far)
    m[3, 2] = -1.0
    return m


def look_at(eye: ArrayLike, target: ArrayLike, up: ArrayLike = (0.0, 1.0, 0.0)) -> Array:
    """The view matrix of a camera at ``eye`` looking at ``target``."""
    e = np.asarray(eye, dtype=np.float64)
    forward = np.asarray(target, dtype=np.float64) - e
    forward /= np.linalg.norm(forward)
    side = np.cross(forward, np.asarray(up, dtype=np.float64))
    side /= np.linalg.norm(side)
    true_up = np.cross(side, forward)
    m = np.eye(4)
    m[0, :3], m[1, :3], m[2, :3] = side, true_up, -forward
    m[:3, 3] = -m[:3, :3] @ e
    return m


@dataclass(frozen=True)
class OrbitCamera:
    """A camera orbiting ``target`` at ``distance``; every change returns a new camera.

    Parameters
    ----------
    target
        The point looked at and orbited about (x, y, z), metres.
    yaw
        Heading of the camera around the target in radians; 0 puts the camera on +Z, in
        front of a dancer facing the audience.
    pitch
        Elevation in radians (positive looks down from above).
    distance
        Distance from the target, metres.
    fov_y
        Vertical field of view in radians.
    mirror
        Flip the image horizontally, so a learner facing the screen moves like the dancer.
    """

    target: tuple[float, float, float] = (0.0, 0.9, 0.0)
    yaw: float = 0.0
    pitch: float = math.radians(12.0)
    distance: float = 4.2
    fov_y: float = math.radians(40.0)
    mirror: bool = False
    near: float = 0.05
    far: float = 200.0

    @property
    def eye(self) -> Array:
        """World position of the camera."""
        cp = math.cos(self.pitch)
        direction = np.array(
            [cp * math.sin(self.yaw), math.sin(self.pitch), cp * math.cos(self.yaw)]
        )
        return np.asarray(self.target, dtype=np.float64) + self.distance * direction

    def view_matrix(self) -> Array:
        """World to eye space."""
        return look_at(self.eye, self.target)

    def projection_matrix(self, aspect: float) -> Array:
        """Eye to clip space for a viewport of ``aspect`` = width / height.

        Mirror mode negates clip x, which flips the picture left to right (and the triangle
        winding, so the renderer draws without back-face culling).
        """
        p = perspective(self.fov_y, aspect, self.near, self.far)
        if self.mirror:
            p = np.diag([-1.0, 1.0, 1.0, 1.0]) @ p
        return p

    def view_projection(self, aspect: float) -> Array:
        """``projection @ view``: world to clip space."""
        return self.projection_matrix(aspect) @ self.view_matrix()

    def project(self, points: ArrayLike, width: int, height: int) -> Array:
        """Pixel coordinates (x right, y down, pixel centres at +0.5) of world ``points``.

        Returns an (N, 2) array for (N, 3) input, or (2,) for one point. The same matrices the
        renderer uses, so tests can find where a joint must appear in a rendered image.
        """
        pts = np.asarray(points, dtype=np.float64)
        flat = pts.reshape(-1, 3)
        homo = np.c_[flat, np.ones(len(flat))] @ self.view_projection(width / height).T
        ndc = homo[:, :2] / homo[:, 3:4]
        px = np.c_[(ndc[:, 0] + 1.0) * 0.5 * width, (1.0 - ndc[:, 1]) * 0.5 * height]
        return np.asarray(px.reshape(*pts.shape[:-1], 2), dtype=np.float64)

    # -- interaction -----------------------------------------------------------------------------

    def orbited(self, d_yaw: float, d_pitch: float) -> OrbitCamera:
        """Turned about the target by the given angles (radians); pitch stays off the poles."""
        pitch = min(max(self.pitch + d_pitch, -MAX_PITCH), MAX_PITCH)
        return replace(self, yaw=self.yaw + d_yaw, pitch=pitch)

    def zoomed(self, factor: float) -> OrbitCamera:
        """Distance multiplied by ``factor`` (< 1 moves closer), kept in a sensible range."""
        distance = min(max(self.distance * factor, MIN_DISTANCE), MAX_DISTANCE)
        return replace(self, distance=distance)

    def panned(self, dx: float, dy: float) -> OrbitCamera:
        """Target moved in the image plane by (dx, dy) in units of the view height at the target.

        Screen-relative units make a mouse drag move the scene with the cursor at any zoom; in
        mirror mode screen-right is world-left, so x is negated.
        """
        view = self.view_matrix()
        right, up = view[0, :3], view[1, :3]
        scale = 2.0 * self.distance * math.tan(self.fov_y / 2.0)
        sx = -dx if self.mirror else dx
        target = np.asarray(self.target) - (sx * right - dy * up) * scale
        return replace(self, target=(float(target[0]), float(target[1]), float(target[2])))

    def with_preset(self, preset: CameraPreset) -> OrbitCamera:
        """This camera's target and distance seen from a named direction."""
        angles = {
            CameraPreset.FRONT: (0.0, math.radians(12.0)),
            CameraPreset.SIDE: (math.radians(90.0), math.radians(8.0)),
            CameraPreset.TOP: (0.0, MAX_PITCH),
        }
        yaw, pitch = angles[CameraPreset(preset)]
        return replace(self, yaw=yaw, pitch=pitch)

    def framing(self, points: ArrayLike, aspect: float, margin: float = 1.1) -> OrbitCamera:
        """Target and distance chosen so every point in ``points`` (N, 3) is in view, snugly.

        Used for export, where nobody is there to zoom. The points' extent is measured along
        the camera's own right, up and viewing axes, so a dancer fills the frame as much as the
        routine's travel allows (a bounding sphere would leave a standing dancer small).
        """
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        centre = (pts.min(axis=0) + pts.max(axis=0)) / 2.0
        aimed = replace(self, target=(float(centre[0]), float(centre[1]), float(centre[2])))
        # View-space offsets from the target: x right, y up, z towards the camera.
        offsets = (pts - centre) @ aimed.view_matrix()[:3, :3].T
        tan_y = math.tan(self.fov_y / 2.0)
        fit = max(
            float(np.abs(offsets[:, 0]).max()) / (tan_y * aspect),
            float(np.abs(offsets[:, 1]).max()) / tan_y,
            0.5,
        )
        # The nearest points sit in front of the target: step back by their depth as well.
        distance = fit * margin + max(float(offsets[:, 2].max()), 0.0)
        return replace(aimed, distance=min(max(distance, MIN_DISTANCE), MAX_DISTANCE))
