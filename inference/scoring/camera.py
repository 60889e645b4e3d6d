"""Virtual pinhole cameras: a 3D body seen as 2D keypoints, the way a phone would film it.

Used to compare a 3D reference with a 2D take (the reference is filmed from the front), to make
keypoint tracks from mocap in tests, and to train the view-invariant embedding on mocap seen
from random angles.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from inference.pose.layouts import LAYOUT_POINTS
from inference.scoring.body import LAYOUT_INDICES, BodyTrack, J

Array = NDArray[np.float64]

UP = np.array([0.0, 1.0, 0.0])


@dataclass(frozen=True, slots=True)
class Camera:
    """A fixed camera looking at a point, placed by angles around it.

    Attributes
    ----------
    azimuth
        Radians about +Y, measured from +Z: 0 films a dancer facing +Z from the front.
    elevation
        Radians above the horizontal.
    distance
        Metres from the target.
    focal_px
        Focal length in pixels (a phone filming 1080 px wide has about 900-1500).
    target_height
        Height of the aimed point above the floor (the target's x, z are the body's mean).
    """

    azimuth: float = 0.0
    elevation: float = 0.05
    distance: float = 4.0
    focal_px: float = 1000.0
    target_height: float = 1.0


def facing_yaw(track: BodyTrack) -> float:
    """Mean heading of a 3D body (radians about +Y, 0 = facing +Z), from hips and shoulders."""
    p = track.points
    left = (p[:, J["hip_l"]] - p[:, J["hip_r"]]) + (p[:, J["shoulder_l"]] - p[:, J["shoulder_r"]])
    forward = np.cross(left, UP)  # left = up x forward, so forward = left x up
    forward = forward[np.all(np.isfinite(forward), axis=1)]
    if len(forward) == 0:
        return 0.0
    yaw = np.arctan2(forward[:, 0], forward[:, 2])
    return float(np.arctan2(np.sin(yaw).mean(), np.cos(yaw).mean()))


def project(track: BodyTrack, camera: Camera) -> BodyTrack:
    """``track`` (3D) seen through ``camera``: 2D pixels about the image centre, y up."""
    if track.dims != 3:
        raise ValueError("only a 3D track can be projected")
    p = track.points
    centre = np.nanmean(p.reshape(-1, 3), axis=0)
    target = np.array([centre[0], camera.target_height, centre[2]])
    ce, se = np.cos(camera.elevation), np.sin(camera.elevation)
    eye = target + camera.distance * np.array(
        [np.sin(camera.azimuth) * ce, se, np.cos(camera.azimuth) * ce]
    )
    f = (target - eye) / np.linalg.norm(target - eye)
    right = np.cross(f, UP)
    right /= np.linalg.norm(right)
    up = np.cross(right, f)
    d = p - eye
    z = d @ f
    # A body point at or behind the lens cannot be seen (and would flip sign): unseen.
    z = np.where(z > 0.1, z, np.nan)
    uv = camera.focal_px * np.stack([d @ right, d @ up], axis=-1) / z[..., None]
    return replace(track, points=uv)


def front_view(track: BodyTrack) -> BodyTrack:
    """A 3D body filmed from the front (by its mean facing), as a phone on a tripod would."""
    return project(track, Camera(azimuth=facing_yaw(track)))


def random_camera(rng: np.random.Generator, max_azimuth: float = np.pi) -> Camera:
    """A plausible filming position: any side, eye to chest height, 2.5-7 m, phone-like lens."""
    return Camera(
        azimuth=float(rng.uniform(-max_azimuth, max_azimuth)),
        elevation=float(rng.uniform(-0.05, 0.35)),
        distance=float(rng.uniform(2.5, 7.0)),
        focal_px=float(rng.uniform(700.0, 1600.0)),
        target_height=float(rng.uniform(0.8, 1.2)),
    )


def keypoint_array(track: BodyTrack, layout: str, width: int, height: int) -> Array:
    """(T, K, 3) pixel keypoints in ``layout`` of a 2D track centred in a ``width`` x ``height``
    image: visibility 1 where seen, 0 for unseen joints and for joints scoring does not use."""
    if track.dims != 2:
        raise ValueError("only a 2D track has image keypoints")
    out = np.zeros((track.n_frames, LAYOUT_POINTS[layout], 3))
    pix = np.stack([track.points[..., 0] + width / 2, height / 2 - track.points[..., 1]], -1)
    seen = np.all(np.isfinite(pix), axis=-1)
    idx = list(LAYOUT_INDICES[layout])
    out[:, idx, :2] = np.where(seen[..., None], pix, 0.0)
    out[:, idx, 2] = seen.astype(np.float64)
    return out
