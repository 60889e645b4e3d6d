"""A keypoint track becomes a motion on the canonical skeleton.

* Body: MediaPipe's world landmarks (metres) give the joint positions
  (:func:`inference.motion.positions_import.landmarks_to_targets`), solved into rotations with
  the person's own bone lengths (median over frames, so nothing stretches:
  :func:`inference.motion.retarget.motion_from_positions`).
* Travel: world landmarks are centred on the hips in every frame, so where the person goes
  comes from the picture. Each frame fits a weak-perspective camera, ``pixel = k * world_xy +
  c``: ``c`` is where the hips are in the picture and ``k`` (pixels per metre) how near the
  person is. Sideways and vertical travel are ``(c - centre) / k`` in metres, exactly and
  whatever the lens; depth is ``f / k``, which needs the focal length ``f``: it is taken as
  :data:`FOCAL_PER_LONG_SIDE` times the long side (a 64° lens, a phone's main camera), so depth
  travel is an estimate.
* Floor: the lowest foot is put on the floor in every frame where the picture does not show
  the body clearly in the air (jumps keep their arc from the picture), and feet in contact
  (:func:`inference.motion.feet.foot_contacts`) are locked against sliding by leg IK
  (:func:`inference.motion.feet.foot_lock`).
* Frames with no person (the ends, long gaps) hold the nearest pose; they are named in the
  notes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from inference.errors import UserFacingError
from inference.motion.feet import (
    TOE_CLEARANCE,
    follow_floor,
    foot_contacts,
    foot_lock,
)
from inference.motion.motion import CANONICAL_FPS, Motion, forward_kinematics
from inference.motion.positions_import import landmarks_to_targets
from inference.motion.resample import resample
from inference.motion.retarget import motion_from_positions
from inference.motion.skeleton import CANONICAL
from inference.pose.extract import FULL_BODY_SHARE, VISIBLE, lower_body_share
from inference.pose.layouts import MEDIAPIPE33
from inference.pose.track import KeypointTrack

Array = NDArray[np.float64]

FOCAL_PER_LONG_SIDE = 0.8
"""Assumed focal length as a share of the picture's long side (about a 64° field of view)."""
ANKLE_CONTACT_M = 0.14
"""Ankle height up to which a foot on the floor counts as in contact, for video. MediaPipe's
ankle sits 7-10 cm above the sole of a flat foot (10.4 cm median above the lowest foot
landmark on the dancer video, who dances on the balls of his feet), above the 8 cm of the
canonical body; with 8 cm only 5 % of his frames had a contact, with 14 cm 38-50 %, and the
lock then cut the ankles' sliding in contact from 0.22 to 0.09 m/s."""
AIRBORNE_M = 0.10
"""A lowest foot higher than this above the picture's floor is a jump, not noise."""
DEPTH_SMOOTH_S = 0.25
"""Gaussian sigma (seconds) on the distance estimate: 1/k is noisier than the landmarks."""

_FEET = [CANONICAL.index(n) for n in ("ankle_l", "toe_l", "ankle_r", "toe_r")]


class PartlyInFrameError(UserFacingError):
    """The legs are out of the picture too often to make a whole-body motion."""


@dataclass(frozen=True, eq=False)
class VideoMotion:
    """A motion made from a video, and what the user should know about it."""

    motion: Motion
    notes: tuple[str, ...]
    travel_m: tuple[float, float, float]
    """Extent of the root's travel along x, y and z, metres."""


def _hold_nearest(values: Array, have: NDArray[np.bool_]) -> Array:
    """Frames without data take the nearest frame's values (earlier one on a tie)."""
    idx = np.flatnonzero(have)
    pos = np.searchsorted(idx, np.arange(values.shape[0]))
    lo = idx[np.clip(pos - 1, 0, idx.size - 1)]
    hi = idx[np.clip(pos, 0, idx.size - 1)]
    frames = np.arange(values.shape[0])
    nearest = np.where(np.abs(frames - lo) <= np.abs(hi - frames), lo, hi)
    return np.asarray(values[nearest])


def camera_fit(image: Array, world: Array) -> tuple[Array, Array]:
    """Per frame, ``k`` (pixels per metre) and ``c`` (pixel of the hip centre), (T,) and (T, 2).

    Least squares over the landmarks seen (visibility weights), with ``pixel = k * world_xy + c``
    (MediaPipe's world axes are the camera's, origin between the hips).
    """
    w = np.where(image[..., 2] >= VISIBLE, image[..., 2], 1e-3)[..., None]
    px, wx = image[..., :2], world[..., :2]
    pm = (w * px).sum(axis=1) / w.sum(axis=1)
    wm = (w * wx).sum(axis=1) / w.sum(axis=1)
    dp, dw = px - pm[:, None], wx - wm[:, None]
    k = (w * dp * dw).sum(axis=(1, 2)) / np.maximum((w * dw * dw).sum(axis=(1, 2)), 1e-9)
    k = np.maximum(k, 1e-3)
    return k, pm - k[:, None] * wm


def _travel(track: KeypointTrack, image: Array, world: Array) -> Array:
    """(T, 3) root travel in the canonical frame (x = person's left when facing the camera)."""
    from scipy.ndimage import gaussian_filter1d

    k, c = camera_fit(image, world)
    sigma = max(DEPTH_SMOOTH_S * track.fps, 0.5)
    inv_k = gaussian_filter1d(1.0 / k, sigma, mode="nearest")
    centre = np.array([track.width, track.height]) / 2.0
    side = (c - centre) * inv_k[:, None]  # metres, camera axes (x right, y down)
    depth = FOCAL_PER_LONG_SIDE * max(track.width, track.height) * inv_k
    travel = np.stack([side[:, 0], -side[:, 1], -depth], axis=1)  # MediaPipe -> canonical
    return np.asarray(travel - travel.mean(axis=0) * np.array([1.0, 0.0, 1.0]))


def _onto_floor(motion: Motion) -> Motion:
    """Lowest foot on the floor in every frame where a foot is down; jumps keep their arc.

    The picture's vertical travel carries the noise of the camera fit (a few centimetres), so
    it is trusted only where it says the body is clearly off the floor: the lowest foot
    higher than :data:`AIRBORNE_M` above the floor the picture implies (a running median,
    :func:`inference.motion.feet.follow_floor`). Every other frame has a foot on the floor;
    across a jump the shift is interpolated, so the jump's arc is the picture's.
    """
    floored = follow_floor(motion)
    pos = forward_kinematics(floored)[0]
    low = pos[:, _FEET, 1].min(axis=1) - TOE_CLEARANCE
    down = low < AIRBORNE_M
    frames = np.arange(motion.n_frames)
    shift = np.interp(frames, frames[down], -low[down]) if down.any() else np.zeros(frames.size)
    root = floored.root_translation.copy()
    root[:, 1] += shift
    return floored.with_(root_translation=root)


def motion_from_track(
    track: KeypointTrack, fps: float = CANONICAL_FPS, name: str = "video"
) -> VideoMotion:
    """The canonical motion of a mediapipe33 keypoint track, covering the whole video.

    Raises
    ------
    UserFacingError
        A track with no world landmarks (coco17) or no person.
    PartlyInFrameError
        The legs are out of the picture in most frames.
    """
    if track.layout != MEDIAPIPE33 or track.world is None:
        raise UserFacingError(
            f"{name}: a motion needs MediaPipe's 3D world landmarks; a {track.layout} track has "
            "only 2D keypoints"
        )
    have = track.present & np.all(np.isfinite(track.world), axis=(1, 2))
    if have.sum() < 2:
        raise UserFacingError(f"{name}: fewer than two frames hold a person; no motion to make")
    legs = lower_body_share(track)
    if legs < FULL_BODY_SHARE:
        raise PartlyInFrameError(
            f"{name}: the legs are out of the picture or hidden in {1 - legs:.0%} of the frames "
            f"with a person (a motion needs them in at least {FULL_BODY_SHARE:.0%}); film the "
            "whole body, or keep only the keypoints (eightcount pose --json)"
        )
    image = _hold_nearest(track.keypoints, have)
    world = _hold_nearest(track.world, have)
    travel = _travel(track, image, world)
    targets = landmarks_to_targets(world)
    # MediaPipe's foot index is the tip of the toes, on the sole; the canonical toe joint sits
    # TOE_CLEARANCE above the sole, so the floor found from it would be 2 cm too low.
    for side in "lr":
        targets[f"toe_{side}"] = targets[f"toe_{side}"] + [0.0, TOE_CLEARANCE, 0.0]
    targets = {joint: xyz + travel for joint, xyz in targets.items()}
    motion = resample(motion_from_positions(targets, track.fps, "source"), fps)
    motion = _onto_floor(motion)
    motion = foot_lock(motion, foot_contacts(motion, ankle_height=ANKLE_CONTACT_M))
    notes: list[str] = []
    held = int((~have).sum())
    if held:
        notes.append(f"{held} frames without the person hold the nearest pose")
    root = motion.root_translation
    extent = tuple(float(v) for v in np.ptp(root, axis=0))
    notes.append(
        f"travel from the picture: {extent[0]:.2f} m sideways, {extent[2]:.2f} m in depth "
        f"(depth assumes a {np.degrees(2 * np.arctan(0.5 / FOCAL_PER_LONG_SIDE)):.0f}° lens)"
    )
    return VideoMotion(motion, tuple(notes), (extent[0], extent[1], extent[2]))
