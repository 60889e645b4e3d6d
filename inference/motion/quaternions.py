"""Unit-quaternion maths, vectorised over any leading shape.

Conventions, used everywhere in :mod:`inference.motion`:

* A quaternion is the last axis of a float64 array, ordered ``(w, x, y, z)``.
* Rotations act on column vectors: ``rotate(q, v)`` is ``R @ v``, and ``multiply(a, b)`` is the
  rotation that applies ``b`` first, then ``a`` (like ``Ra @ Rb``).
* Euler orders are BVH-style *intrinsic* orders written as three distinct axis letters, e.g.
  ``"ZXY"`` means ``R = Rz(a) @ Rx(b) @ Ry(c)``, which is what a BVH ``CHANNELS ... Zrotation
  Xrotation Yrotation`` line means and what scipy calls ``from_euler("ZXY", ...)`` (uppercase).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

_AXIS_INDEX = {"X": 0, "Y": 1, "Z": 2}
_EPS = 1e-12


def _asf(a: ArrayLike) -> Array:
    return np.asarray(a, dtype=np.float64)


def identity(shape: tuple[int, ...] = ()) -> Array:
    """Identity quaternions of the given leading ``shape``."""
    q = np.zeros((*shape, 4), dtype=np.float64)
    q[..., 0] = 1.0
    return q


def normalize(q: ArrayLike) -> Array:
    """Scale quaternions to unit length; a zero quaternion becomes the identity."""
    q = _asf(q)
    n = np.linalg.norm(q, axis=-1, keepdims=True)
    out = np.where(n > _EPS, q / np.maximum(n, _EPS), identity(q.shape[:-1]))
    return out


def canonical(q: ArrayLike) -> Array:
    """Pick the sign with ``w >= 0`` (``q`` and ``-q`` are the same rotation)."""
    q = _asf(q)
    return np.where(q[..., :1] < 0.0, -q, q)


def conjugate(q: ArrayLike) -> Array:
    """Conjugate, which is the inverse for unit quaternions."""
    return np.asarray(_asf(q) * np.array([1.0, -1.0, -1.0, -1.0]), dtype=np.float64)


inverse = conjugate


def multiply(a: ArrayLike, b: ArrayLike) -> Array:
    """Hamilton product ``a * b`` (apply ``b`` first), broadcasting leading axes."""
    a = _asf(a)
    b = _asf(b)
    aw, ax, ay, az = a[..., 0], a[..., 1], a[..., 2], a[..., 3]
    bw, bx, by, bz = b[..., 0], b[..., 1], b[..., 2], b[..., 3]
    return np.stack(
        [
            aw * bw - ax * bx - ay * by - az * bz,
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
        ],
        axis=-1,
    )


def rotate(q: ArrayLike, v: ArrayLike) -> Array:
    """Rotate vectors ``v`` (..., 3) by unit quaternions ``q`` (..., 4)."""
    q = _asf(q)
    v = _asf(v)
    w = q[..., :1]
    u = q[..., 1:]
    # Rodrigues in quaternion form: cheaper than building matrices and exact for unit q.
    t = 2.0 * np.cross(u, v)
    return v + w * t + np.cross(u, t)


def to_matrix(q: ArrayLike) -> Array:
    """Rotation matrices (..., 3, 3) from unit quaternions."""
    q = normalize(q)
    w, x, y, z = q[..., 0], q[..., 1], q[..., 2], q[..., 3]
    m = np.empty((*q.shape[:-1], 3, 3), dtype=np.float64)
    m[..., 0, 0] = 1 - 2 * (y * y + z * z)
    m[..., 0, 1] = 2 * (x * y - w * z)
    m[..., 0, 2] = 2 * (x * z + w * y)
    m[..., 1, 0] = 2 * (x * y + w * z)
    m[..., 1, 1] = 1 - 2 * (x * x + z * z)
    m[..., 1, 2] = 2 * (y * z - w * x)
    m[..., 2, 0] = 2 * (x * z - w * y)
    m[..., 2, 1] = 2 * (y * z + w * x)
    m[..., 2, 2] = 1 - 2 * (x * x + y * y)
    return m


def from_matrix(m: ArrayLike) -> Array:
    """Unit quaternions (``w >= 0``) from rotation matrices (..., 3, 3).

    Uses the largest-diagonal branch per element (Shepperd), so it is stable for any angle.
    """
    m = _asf(m)
    shape = m.shape[:-2]
    m = m.reshape(-1, 3, 3)
    tr = m[:, 0, 0] + m[:, 1, 1] + m[:, 2, 2]
    diag = np.stack([m[:, 0, 0], m[:, 1, 1], m[:, 2, 2], tr], axis=-1)
    choice = np.argmax(diag, axis=-1)
    q = np.empty((m.shape[0], 4), dtype=np.float64)

    sel = choice == 3
    s = np.sqrt(np.maximum(1.0 + tr[sel], _EPS)) * 2.0
    q[sel, 0] = 0.25 * s
    q[sel, 1] = (m[sel, 2, 1] - m[sel, 1, 2]) / s
    q[sel, 2] = (m[sel, 0, 2] - m[sel, 2, 0]) / s
    q[sel, 3] = (m[sel, 1, 0] - m[sel, 0, 1]) / s
    for i in range(3):
        j, k = (i + 1) % 3, (i + 2) % 3
        sel = choice == i
        ms = m[sel]
        s = np.sqrt(np.maximum(1.0 + ms[:, i, i] - ms[:, j, j] - ms[:, k, k], _EPS)) * 2.0
        q[sel, 0] = (ms[:, k, j] - ms[:, j, k]) / s
        q[sel, 1 + i] = 0.25 * s
        q[sel, 1 + j] = (ms[:, j, i] + ms[:, i, j]) / s
        q[sel, 1 + k] = (ms[:, k, i] + ms[:, i, k]) / s
    return canonical(normalize(q)).reshape(*shape, 4)


def from_axis_angle(rotvec: ArrayLike) -> Array:
    """Quaternions from rotation vectors (axis * angle in radians), shape (..., 3)."""
    r = _asf(rotvec)
    angle = np.linalg.norm(r, axis=-1, keepdims=True)
    half = 0.5 * angle
    # sin(x/2)/x tends to 1/2; the Taylor form keeps tiny angles exact.
    small = angle < 1e-8
    k = np.where(small, 0.5 - angle * angle / 48.0, np.sin(half) / np.where(small, 1.0, angle))
    return np.concatenate([np.cos(half), r * k], axis=-1)


def to_axis_angle(q: ArrayLike) -> Array:
    """Rotation vectors (..., 3) with angle in ``[0, pi]`` from quaternions."""
    q = canonical(normalize(q))
    v = q[..., 1:]
    s = np.linalg.norm(v, axis=-1, keepdims=True)
    angle = 2.0 * np.arctan2(s, q[..., :1])
    small = s < 1e-8
    k = np.where(small, 2.0, angle / np.where(small, 1.0, s))
    return v * k


def _check_order(order: str) -> tuple[int, int, int]:
    up = order.upper()
    if len(up) != 3 or set(up) != {"X", "Y", "Z"}:
        raise ValueError(f"Euler order must be a permutation of XYZ, got {order!r}")
    return _AXIS_INDEX[up[0]], _AXIS_INDEX[up[1]], _AXIS_INDEX[up[2]]


def from_euler(angles: ArrayLike, order: str, degrees: bool = True) -> Array:
    """Quaternions from intrinsic Euler angles (..., 3) in the given axis ``order``."""
    axes = _check_order(order)
    a = _asf(angles)
    if degrees:
        a = np.deg2rad(a)
    q = identity(a.shape[:-1])
    for n, axis in enumerate(axes):
        half = 0.5 * a[..., n]
        qa = np.zeros((*a.shape[:-1], 4), dtype=np.float64)
        qa[..., 0] = np.cos(half)
        qa[..., 1 + axis] = np.sin(half)
        q = multiply(q, qa)
    return q


def to_euler(q: ArrayLike, order: str, degrees: bool = True) -> Array:
    """Intrinsic Euler angles (..., 3) in ``order`` from quaternions.

    The middle angle lies in ``[-90, 90]`` degrees. At gimbal lock the last angle is set to 0.
    """
    i, j, k = _check_order(order)
    # +1 for cyclic orders (XYZ, YZX, ZXY), -1 for the others; it flips the signs below.
    s = 1.0 if (j - i) % 3 == 1 else -1.0
    m = to_matrix(q)
    sb = np.clip(s * m[..., i, k], -1.0, 1.0)
    b = np.arcsin(sb)
    a = np.arctan2(-s * m[..., j, k], m[..., k, k])
    c = np.arctan2(-s * m[..., i, j], m[..., i, i])
    lock = np.abs(sb) > 1.0 - 1e-10
    if np.any(lock):
        # With c = 0 the rotation is R_i(a) R_j(b), whose j-th column is R_i(a) e_j.
        a = np.where(lock, np.arctan2(s * m[..., k, j], m[..., j, j]), a)
        c = np.where(lock, 0.0, c)
    out = np.stack([a, b, c], axis=-1)
    return np.rad2deg(out) if degrees else out


def slerp(q0: ArrayLike, q1: ArrayLike, t: ArrayLike) -> Array:
    """Spherical interpolation from ``q0`` (t=0) to ``q1`` (t=1) along the shorter arc.

    ``t`` broadcasts against the leading axes of the quaternions.
    """
    a = normalize(q0)
    b = normalize(q1)
    tt = _asf(t)[..., None]
    d = np.sum(a * b, axis=-1, keepdims=True)
    b = np.where(d < 0.0, -b, b)
    d = np.abs(d)
    theta = np.arccos(np.clip(d, -1.0, 1.0))
    sin_t = np.sin(theta)
    near = sin_t < 1e-6
    safe = np.where(near, 1.0, sin_t)
    wa = np.where(near, 1.0 - tt, np.sin((1.0 - tt) * theta) / safe)
    wb = np.where(near, tt, np.sin(tt * theta) / safe)
    return normalize(wa * a + wb * b)


def between(u: ArrayLike, v: ArrayLike) -> Array:
    """The shortest-arc rotation taking direction ``u`` onto direction ``v`` (..., 3)."""
    ua = _asf(u)
    va = _asf(v)
    ua = ua / np.maximum(np.linalg.norm(ua, axis=-1, keepdims=True), _EPS)
    va = va / np.maximum(np.linalg.norm(va, axis=-1, keepdims=True), _EPS)
    d = np.sum(ua * va, axis=-1, keepdims=True)
    c = np.cross(ua, va)
    q = np.concatenate([1.0 + d, c], axis=-1)
    # Opposite vectors: any axis perpendicular to u gives a valid half turn.
    opposite = (1.0 + d)[..., 0] < 1e-9
    if np.any(opposite):
        helper = np.where(
            np.abs(ua[..., :1]) < 0.9, np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
        )
        axis = np.cross(ua, helper)
        axis = axis / np.maximum(np.linalg.norm(axis, axis=-1, keepdims=True), _EPS)
        half_turn = np.concatenate([np.zeros_like(d), axis], axis=-1)
        q = np.where(opposite[..., None], half_turn, q)
    return normalize(q)


def swing_twist(q: ArrayLike, axis: ArrayLike) -> tuple[Array, Array]:
    """Split ``q`` into ``swing * twist`` where ``twist`` turns about ``axis``.

    Returns
    -------
    swing, twist
        Unit quaternions with ``multiply(swing, twist) == q``.
    """
    q = normalize(q)
    ax = _asf(axis)
    ax = ax / np.maximum(np.linalg.norm(ax, axis=-1, keepdims=True), _EPS)
    proj = np.sum(q[..., 1:] * ax, axis=-1, keepdims=True) * ax
    twist = normalize(np.concatenate([q[..., :1], np.broadcast_to(proj, q[..., 1:].shape)], -1))
    swing = multiply(q, conjugate(twist))
    return swing, twist


def frame_from_vectors(primary: ArrayLike, secondary: ArrayLike) -> Array:
    """Orthonormal frames (..., 3, 3) whose first column is ``primary``.

    The third column is ``primary x secondary`` and the second completes a right-handed frame,
    so the frame is fully fixed by one exact direction and one hint direction.
    """
    p = _asf(primary)
    s = _asf(secondary)
    e1 = p / np.maximum(np.linalg.norm(p, axis=-1, keepdims=True), _EPS)
    e3 = np.cross(e1, s)
    e3 = e3 / np.maximum(np.linalg.norm(e3, axis=-1, keepdims=True), _EPS)
    e2 = np.cross(e3, e1)
    return np.stack([e1, e2, e3], axis=-1)


def align_frames(
    rest_primary: ArrayLike,
    rest_secondary: ArrayLike,
    primary: ArrayLike,
    secondary: ArrayLike,
) -> Array:
    """The rotation taking the rest pair of directions onto the target pair.

    The primary direction is matched exactly; the secondary only fixes the twist about it.
    """
    rest = frame_from_vectors(rest_primary, rest_secondary)
    target = frame_from_vectors(primary, secondary)
    return from_matrix(target @ np.swapaxes(rest, -1, -2))


def yaw_of(q: ArrayLike, forward: ArrayLike = (0.0, 0.0, 1.0)) -> Array:
    """Heading angles (radians, about +Y, 0 = facing +Z) of the rotated ``forward`` vector."""
    f = rotate(q, np.broadcast_to(_asf(forward), (*_asf(q).shape[:-1], 3)))
    return np.arctan2(f[..., 0], f[..., 2])


def about_y(angle: ArrayLike) -> Array:
    """Quaternions for rotations of ``angle`` radians about +Y."""
    half = 0.5 * _asf(angle)
    z = np.zeros_like(half)
    return np.stack([np.cos(half), z, np.sin(half), z], axis=-1)
