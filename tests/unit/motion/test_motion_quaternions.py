"""Quaternion maths against scipy.spatial.transform.Rotation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation as R

from inference.motion import quaternions as Q

ORDERS = ["XYZ", "XZY", "YXZ", "YZX", "ZXY", "ZYX"]


def _rand_q(n: int, seed: int = 0) -> np.ndarray:
    return Q.normalize(np.random.default_rng(seed).normal(size=(n, 4)))


def _same_rotation(a: np.ndarray, b: np.ndarray, tol: float = 1e-9) -> bool:
    return bool(np.all(np.abs(np.abs(np.sum(a * b, axis=-1)) - 1.0) < tol))


def _scipy(q: np.ndarray) -> R:
    return R.from_quat(q, scalar_first=True)


def test_multiply_and_rotate_match_scipy() -> None:
    a, b = _rand_q(200, 1), _rand_q(200, 2)
    v = np.random.default_rng(3).normal(size=(200, 3))
    expected = (_scipy(a) * _scipy(b)).as_quat(scalar_first=True)
    assert _same_rotation(Q.multiply(a, b), expected)
    assert np.allclose(Q.rotate(a, v), _scipy(a).apply(v), atol=1e-12)
    assert np.allclose(Q.rotate(Q.multiply(a, Q.inverse(a)), v), v, atol=1e-12)


def test_matrix_round_trip_and_scipy() -> None:
    q = _rand_q(500)
    m = Q.to_matrix(q)
    assert np.allclose(m, _scipy(q).as_matrix(), atol=1e-12)
    assert _same_rotation(Q.from_matrix(m), q)
    # Near-180-degree rotations exercise every branch of the matrix conversion.
    flips = Q.from_axis_angle(np.eye(3) * (np.pi - 1e-7))
    assert _same_rotation(Q.from_matrix(Q.to_matrix(flips)), flips)


def test_axis_angle_matches_scipy() -> None:
    rv = np.random.default_rng(4).normal(size=(300, 3))
    rv[0] = 0.0
    rv[1] = [1e-10, 0.0, 0.0]
    q = Q.from_axis_angle(rv)
    assert _same_rotation(q, R.from_rotvec(rv).as_quat(scalar_first=True))
    assert np.allclose(Q.to_axis_angle(q)[2:], R.from_rotvec(rv[2:]).as_rotvec(), atol=1e-9)


@pytest.mark.parametrize("order", ORDERS)
def test_euler_any_order_matches_scipy(order: str) -> None:
    rng = np.random.default_rng(5)
    ang = rng.uniform(-179.0, 179.0, size=(400, 3))
    ang[:, 1] = rng.uniform(-89.0, 89.0, size=400)
    q = Q.from_euler(ang, order)
    assert _same_rotation(q, R.from_euler(order, ang, degrees=True).as_quat(scalar_first=True))
    assert np.allclose(Q.to_euler(q, order), ang, atol=1e-8)


@pytest.mark.parametrize("order", ORDERS)
def test_euler_gimbal_lock_still_reproduces_rotation(order: str) -> None:
    ang = np.array([[30.0, 90.0, 20.0], [-40.0, -90.0, 10.0]])
    q = Q.from_euler(ang, order)
    assert _same_rotation(Q.from_euler(Q.to_euler(q, order), order), q, tol=1e-8)


def test_slerp_matches_scipy() -> None:
    from scipy.spatial.transform import Slerp

    a, b = _rand_q(1, 6)[0], _rand_q(1, 7)[0]
    t = np.linspace(0.0, 1.0, 11)
    ours = Q.slerp(np.broadcast_to(a, (11, 4)), np.broadcast_to(b, (11, 4)), t)
    ref = Slerp([0.0, 1.0], _scipy(np.stack([a, b])))(t).as_quat(scalar_first=True)
    assert _same_rotation(ours, ref)


def test_between_and_swing_twist() -> None:
    rng = np.random.default_rng(8)
    u, v = rng.normal(size=(100, 3)), rng.normal(size=(100, 3))
    v[0] = -u[0]  # opposite vectors
    q = Q.between(u, v)
    got = Q.rotate(q, u)
    assert np.allclose(
        got / np.linalg.norm(got, axis=1, keepdims=True),
        v / np.linalg.norm(v, axis=1, keepdims=True),
        atol=1e-9,
    )
    rot = _rand_q(100, 9)
    axis = np.array([0.0, 1.0, 0.0])
    swing, twist = Q.swing_twist(rot, axis)
    assert _same_rotation(Q.multiply(swing, twist), rot)
    assert np.allclose(Q.rotate(twist, axis), axis, atol=1e-9)
