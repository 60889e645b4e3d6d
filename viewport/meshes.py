"""Unit meshes the renderer instances: a sphere for joints and heads, an open tube for limbs.

Pure numpy, so the geometry is tested without GL. Each mesh is float32 vertices plus uint32
triangle indices, ready for a vertex and an element buffer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Mesh:
    """Triangle geometry: ``vertices`` (N, 3) float32 and ``indices`` (M * 3,) uint32."""

    vertices: NDArray[np.float32]
    indices: NDArray[np.uint32]

    @property
    def n_indices(self) -> int:
        return int(self.indices.size)


def _grid_indices(rows: int, cols: int, wrap: bool) -> NDArray[np.uint32]:
    """Two triangles per cell of a (rows + 1) x cols vertex grid, columns wrapping if asked."""
    stride = cols if wrap else cols + 1
    tris = []
    for r in range(rows):
        for c in range(cols):
            c1 = (c + 1) % cols if wrap else c + 1
            a, b = r * stride + c, r * stride + c1
            d, e = (r + 1) * stride + c, (r + 1) * stride + c1
            tris += [(a, d, b), (b, d, e)]
    return np.asarray(tris, dtype=np.uint32).reshape(-1)


def unit_sphere(rings: int = 12, segments: int = 20) -> Mesh:
    """A UV sphere of radius 1 at the origin; each vertex is also its own normal."""
    theta = np.linspace(0.0, np.pi, rings + 1)[:, None]
    phi = np.linspace(0.0, 2.0 * np.pi, segments, endpoint=False)[None, :]
    verts = np.stack(
        [
            np.sin(theta) * np.cos(phi),
            np.cos(theta) * np.ones_like(phi),
            np.sin(theta) * np.sin(phi),
        ],
        axis=-1,
    ).reshape(-1, 3)
    return Mesh(verts.astype(np.float32), _grid_indices(rings, segments, wrap=True))


def unit_tube(segments: int = 16, rows: int = 1) -> Mesh:
    """An open tube along +h, stored as (cos a, sin a, h) with h in [0, 1].

    The vertex shader turns each vertex into a tapered limb: it places the ring at ``h`` along
    the bone and scales it by the radius interpolated from the bone's two ends. The open ends
    are covered by the joint spheres, which together make a capsule.
    """
    angle = np.linspace(0.0, 2.0 * np.pi, segments, endpoint=False)[None, :]
    h = np.linspace(0.0, 1.0, rows + 1)[:, None]
    verts = np.stack(
        [np.cos(angle) * np.ones_like(h), np.sin(angle) * np.ones_like(h), h * np.ones_like(angle)],
        axis=-1,
    ).reshape(-1, 3)
    return Mesh(verts.astype(np.float32), _grid_indices(rows, segments, wrap=True))


def floor_quad(half_size: float) -> Mesh:
    """A square on y = 0 centred at the origin, wound counter-clockwise seen from above."""
    s = half_size
    verts = np.array([[-s, 0, -s], [-s, 0, s], [s, 0, s], [s, 0, -s]], dtype=np.float32)
    return Mesh(verts, np.array([0, 1, 2, 0, 2, 3], dtype=np.uint32))
