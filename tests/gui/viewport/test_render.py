"""Pixels prove the renderer draws dancers where the camera says, mirrored, ghosted, coloured."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace

import numpy as np
import pytest
from numpy.typing import NDArray

from inference.motion import CANONICAL
from tests.gui.viewport.conftest import rest_pose
from viewport.body import GHOST_ALPHA
from viewport.camera import OrbitCamera
from viewport.offscreen import OffscreenRenderer
from viewport.scene import PALETTE, DancerPose, parse_color

pytestmark = pytest.mark.gl

W, H = 320, 240
HEAD = CANONICAL.index("head")
CHEST = CANONICAL.index("chest")


def head_centre(pose: DancerPose) -> NDArray[np.float64]:
    return (pose.positions[HEAD] + pose.end_sites[HEAD]) / 2.0


def pixel(image: NDArray[np.uint8], camera: OrbitCamera, point: NDArray[np.float64]) -> NDArray:
    x, y = camera.project(point, W, H)
    return image[int(y), int(x)].astype(np.float64)


def nearest_colour(rgb: NDArray, choices: list[str]) -> str:
    """The choice whose chromaticity (colour with brightness divided out) is closest."""
    chroma = rgb / max(rgb.sum(), 1.0)
    return min(choices, key=lambda c: np.abs(chroma - np.divide(*_norm(c))).sum())


def _norm(color: str) -> tuple[NDArray, float]:
    rgb = np.array(parse_color(color))
    return rgb, float(rgb.sum())


@pytest.fixture
def offscreen(gl: None) -> Iterator[OffscreenRenderer]:
    with closing(OffscreenRenderer(W, H)) as renderer:
        yield renderer


def test_the_head_is_drawn_where_the_camera_projects_it(offscreen: OffscreenRenderer) -> None:
    camera = OrbitCamera(distance=3.5)
    pose = rest_pose(0.0)
    empty = offscreen.render([], camera)
    image = offscreen.render([pose], camera)
    head = pixel(image, camera, head_centre(pose))
    assert np.abs(head - pixel(empty, camera, head_centre(pose))).sum() > 60
    assert nearest_colour(head, list(PALETTE[:3])) == PALETTE[0]
    # Far from the dancer (the upper corners, above the floor) the picture is the empty stage.
    np.testing.assert_array_equal(image[:20, :20], empty[:20, :20])
    np.testing.assert_array_equal(image[:20, -20:], empty[:20, -20:])


def test_mirror_mode_flips_the_picture(offscreen: OffscreenRenderer) -> None:
    pose = rest_pose(0.9)
    plain_cam = OrbitCamera(distance=4.0)
    mirror_cam = OrbitCamera(distance=4.0, mirror=True)
    plain, mirrored = offscreen.render([pose], plain_cam), offscreen.render([pose], mirror_cam)
    empty = offscreen.render([], plain_cam)
    x_plain, y = plain_cam.project(pose.positions[CHEST], W, H)
    x_mirror, _ = mirror_cam.project(pose.positions[CHEST], W, H)
    assert x_plain > W * 0.6 and x_mirror < W * 0.4
    for image, x in ((plain, x_plain), (mirrored, x_mirror)):
        assert nearest_colour(image[int(y), int(x)].astype(float), list(PALETTE[:3])) == PALETTE[0]
    # Where the plain image has the dancer, the mirrored one has the empty stage.
    np.testing.assert_allclose(mirrored[int(y), int(x_plain)], empty[int(y), int(x_plain)], atol=8)
    # The whole picture is the plain one reversed, but for anti-aliased edge pixels.
    differs = np.abs(mirrored.astype(int) - plain[:, ::-1]).max(axis=-1) > 40
    assert differs.mean() < 0.005


def test_a_ghost_is_translucent(offscreen: OffscreenRenderer) -> None:
    camera = OrbitCamera(distance=3.5)
    point = head_centre(rest_pose(0.0))
    empty = pixel(offscreen.render([], camera), camera, point)
    solid = pixel(offscreen.render([rest_pose(0.0, "#ff3030")], camera), camera, point)
    ghost = pixel(offscreen.render([rest_pose(0.0, "#ff3030", ghost=True)], camera), camera, point)
    np.testing.assert_allclose(ghost, empty + GHOST_ALPHA * (solid - empty), atol=6)
    assert np.abs(ghost - empty).sum() > 30 and np.abs(ghost - solid).sum() > 60


def test_several_dancers_each_in_their_own_colour(offscreen: OffscreenRenderer) -> None:
    camera = OrbitCamera(distance=5.0)
    colours = list(PALETTE[:3])
    poses = [rest_pose(x, c) for x, c in zip((-1.1, 0.0, 1.1), colours, strict=True)]
    image = offscreen.render(poses, camera)
    for pose, colour in zip(poses, colours, strict=True):
        assert nearest_colour(pixel(image, camera, head_centre(pose)), colours) == colour


def test_a_planted_foot_casts_a_shadow_on_the_floor(offscreen: OffscreenRenderer) -> None:
    camera = OrbitCamera(distance=3.0, pitch=0.9)
    pose = rest_pose(0.0)
    floor_point = pose.positions[CANONICAL.index("ankle_l")] * [1, 0, 1] + [0.12, 0, 0]
    lit = pixel(offscreen.render([], camera), camera, floor_point)
    shadowed = pixel(offscreen.render([pose], camera), camera, floor_point)
    assert shadowed.sum() < 0.85 * lit.sum()


def fresh_render(poses: list[DancerPose], camera: OrbitCamera) -> NDArray[np.uint8]:
    with closing(OffscreenRenderer(W, H)) as renderer:
        return renderer.render(poses, camera)


def test_a_frame_over_the_cached_stage_matches_a_fresh_render(offscreen: OffscreenRenderer) -> None:
    """The stage is drawn once per camera and copied: frames must not see a stale stage."""
    near, far = OrbitCamera(distance=3.5), OrbitCamera(distance=6.0, yaw=0.7)
    offscreen.render([rest_pose(-0.5)], near)  # caches the stage seen from `near`
    moved = [rest_pose(0.4, PALETTE[1])]
    # Same camera, other dancers: only the dancers are drawn again over the copied stage.
    assert np.array_equal(offscreen.render(moved, near), fresh_render(moved, near))
    # A camera move must redraw the stage, or the floor of the old view shows through.
    assert np.array_equal(offscreen.render(moved, far), fresh_render(moved, far))
    # Dancers that leave take their pixels with them, mirrored views included.
    mirrored = replace(far, mirror=True)
    assert np.array_equal(offscreen.render([], mirrored), fresh_render([], mirrored))


def as_rgb(pixels: NDArray[np.uint32]) -> NDArray[np.uint8]:
    """``0xffRRGGBB`` pixels (QImage's Format_RGB32) as RGB bytes."""
    return np.stack([(pixels >> s) & 0xFF for s in (16, 8, 0)], axis=-1).astype(np.uint8)


def test_the_viewport_frames_are_the_export_frames_as_rgb32(
    offscreen: OffscreenRenderer,
) -> None:
    """render_rgb32 (the studio's view) draws what render (export) draws, opaque, any size."""
    camera = OrbitCamera(distance=3.5)
    poses = [rest_pose(-0.5), rest_pose(0.5, PALETTE[1], ghost=True)]
    rgb32 = offscreen.render_rgb32(poses, camera)
    assert rgb32.shape == (H, W) and rgb32.dtype == np.uint32 and rgb32.flags.c_contiguous
    assert ((rgb32 >> 24) == 0xFF).all()  # alpha stays 1 under the ghost's blending
    assert np.array_equal(as_rgb(rgb32), fresh_render(poses, camera))
    assert np.array_equal(offscreen.render(poses, camera), as_rgb(rgb32))
    offscreen.resize(200, 150)  # the widget resized: new buffers, the stage drawn again
    wide = offscreen.render_rgb32(poses, camera)
    assert wide.shape == (150, 200)
    with closing(OffscreenRenderer(200, 150)) as other:
        assert np.array_equal(as_rgb(wide), other.render(poses, camera))
