"""The orbit camera's maths, with no GL: projection, presets, mirror, orbit, pan, zoom."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewport.camera import MAX_PITCH, MIN_DISTANCE, CameraPreset, OrbitCamera

W, H = 640, 480


def test_target_projects_to_the_centre() -> None:
    cam = OrbitCamera(target=(0.3, 1.0, -0.2), yaw=0.7, pitch=0.4)
    np.testing.assert_allclose(cam.project(cam.target, W, H), (W / 2, H / 2), atol=1e-9)


def test_front_view_shows_the_dancers_left_on_the_audiences_right() -> None:
    cam = OrbitCamera().with_preset(CameraPreset.FRONT)
    assert cam.eye[2] > 0 and abs(cam.eye[0]) < 1e-9
    left_hand, right_hand = cam.project([[0.7, 1.4, 0.0], [-0.7, 1.4, 0.0]], W, H)
    assert left_hand[0] > W / 2 > right_hand[0]
    head, feet = cam.project([[0, 1.7, 0], [0, 0, 0]], W, H)
    assert head[1] < feet[1]


def test_side_and_top_presets_look_from_x_and_from_above() -> None:
    side = OrbitCamera().with_preset(CameraPreset.SIDE)
    assert side.eye[0] > abs(side.eye[2]) + 1.0
    top = OrbitCamera().with_preset(CameraPreset.TOP)
    assert top.pitch == pytest.approx(MAX_PITCH)
    assert top.eye[1] - top.target[1] == pytest.approx(top.distance * math.sin(MAX_PITCH))


def test_mirror_flips_pixels_left_to_right() -> None:
    cam = OrbitCamera(yaw=0.3)
    points = np.array([[0.7, 1.4, 0.1], [-0.4, 0.2, 0.5]])
    plain = cam.project(points, W, H)
    mirrored = OrbitCamera(yaw=0.3, mirror=True).project(points, W, H)
    np.testing.assert_allclose(mirrored[:, 0], W - plain[:, 0], atol=1e-9)
    np.testing.assert_allclose(mirrored[:, 1], plain[:, 1], atol=1e-9)


def test_orbit_keeps_the_pitch_off_the_poles_and_zoom_in_range() -> None:
    cam = OrbitCamera().orbited(0.5, 10.0)
    assert cam.pitch == pytest.approx(MAX_PITCH)
    assert cam.yaw == pytest.approx(0.5)
    assert OrbitCamera().zoomed(1e-6).distance == MIN_DISTANCE
    assert OrbitCamera(distance=4.0).zoomed(0.5).distance == pytest.approx(2.0)


@pytest.mark.parametrize("mirror", [False, True])
def test_pan_moves_the_scene_with_the_cursor(mirror: bool) -> None:
    cam = OrbitCamera(yaw=0.4, pitch=0.3, mirror=mirror)
    moved = cam.panned(0.1, -0.05)
    # The old target lies on the new focal plane, so it moves by exactly the dragged pixels.
    np.testing.assert_allclose(
        moved.project(cam.target, W, H), (W / 2 + 0.1 * H, H / 2 - 0.05 * H), atol=1e-6
    )


def test_framing_keeps_every_point_in_view() -> None:
    rng = np.random.default_rng(0)
    points = rng.uniform([-3, 0, -2], [4, 2, 3], size=(200, 3))
    for aspect in (0.5, 16 / 9):
        w, h = round(480 * aspect), 480
        px = OrbitCamera(yaw=0.8).framing(points, aspect).project(points, w, h)
        assert px[:, 0].min() >= 0 and px[:, 0].max() <= w
        assert px[:, 1].min() >= 0 and px[:, 1].max() <= h


def test_framing_fills_the_frame_with_a_standing_dancer() -> None:
    # A 1.7 m dancer in a 0.6 m wide, 0.4 m deep box, seen from the front in 16:9.
    corners = np.array([[x, y, z] for x in (-0.3, 0.3) for y in (0.0, 1.7) for z in (-0.2, 0.2)])
    w, h = 640, 360
    px = (
        OrbitCamera().with_preset(CameraPreset.FRONT).framing(corners, w / h).project(corners, w, h)
    )
    assert np.ptp(px[:, 1]) > 0.8 * h  # the body spans most of the frame's height
