"""What the viewport draws: dancer poses, and how a project's timeline turns into them.

Plain Python and numpy, no Qt or GL: :func:`poses_at` is the whole "which frame of which clip
is under the playhead" logic, so it is tested frame by frame without a window.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from app.model import Clip, MotionAsset, Project, Track
from inference.motion import CANONICAL, Motion, forward_kinematics, mirror
from inference.motion import quaternions as Q

Array = NDArray[np.float64]
RGB = tuple[float, float, float]

# Distinct, saturated-but-soft colours that read well on the dark stage and on each other.
PALETTE: tuple[str, ...] = (
    "#4fc3f7",  # sky blue (the model's default track colour comes first)
    "#ff8a65",  # coral
    "#aed581",  # lime
    "#ba68c8",  # orchid
    "#ffd54f",  # amber
    "#4db6ac",  # teal
    "#f06292",  # pink
    "#90a4ae",  # slate
)
GHOST_COLOR = "#e0e0e0"

# Added before the floor so a time that lands exactly on a frame boundary, but is computed as
# k / fps with a rounding error just below k, still shows frame k.
FRAME_EPSILON = 1e-6


def parse_color(hex_color: str) -> RGB:
    """``"#rrggbb"`` as floats in [0, 1]."""
    text = hex_color.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {hex_color!r}")
    r, g, b = (int(text[i : i + 2], 16) / 255.0 for i in (0, 2, 4))
    return (r, g, b)


@dataclass(frozen=True, eq=False)
class DancerPose:
    """One dancer at one instant, in world coordinates.

    Parameters
    ----------
    positions
        (J, 3) global joint positions on the canonical skeleton, metres.
    end_sites
        (J, 3) world position of each joint's End Site (head top, finger tips, toe tips);
        equal to ``positions`` for joints that have none.
    color
        Body colour, RGB floats in [0, 1].
    ghost
        Draw translucent, as a reference to compare against.
    name
        Label of the dancer (the track name).
    """

    positions: Array
    end_sites: Array
    color: RGB
    ghost: bool = False
    name: str = ""


def motion_joints(motion: Motion) -> tuple[Array, Array]:
    """(T, J, 3) joint positions and (T, J, 3) End Site positions of a whole motion."""
    positions, rotations = forward_kinematics(motion)
    # End Sites scale with the body, like the bones they continue.
    rest = np.linalg.norm(CANONICAL.offsets, axis=-1).sum()
    scale = np.linalg.norm(motion.bone_offsets, axis=-1).sum() / rest
    ends = positions + Q.rotate(rotations, CANONICAL.end_offsets * scale)
    return positions, ends


def pose_from_motion(
    motion: Motion, frame: int, color: RGB, ghost: bool = False, name: str = ""
) -> DancerPose:
    """The pose of ``motion`` at ``frame`` (clamped to the motion)."""
    positions, ends = motion_joints(motion)
    k = min(max(frame, 0), motion.n_frames - 1)
    return DancerPose(positions[k], ends[k], color, ghost, name)


def frame_at(clip: Clip, seconds: float, fps: float, n_frames: int) -> int | None:
    """The motion frame ``clip`` shows at song time ``seconds``, or ``None`` outside the clip.

    The index comes from absolute time (``floor((source_in + seconds - start) * fps)``), never
    from a running sum of frame steps, so it cannot drift over a long song.
    """
    if n_frames < 1 or not clip.start <= seconds < clip.end:
        return None
    frame = math.floor((clip.source_in + (seconds - clip.start)) * fps + FRAME_EPSILON)
    return min(max(frame, 0), n_frames - 1)


def motion_of(asset: MotionAsset) -> Motion:
    """The canonical Motion stored in a project's MotionAsset."""
    return Motion(
        CANONICAL,
        asset.fps,
        asset.arrays["root_translation"],
        asset.arrays["local_rotations"],
        asset.arrays.get("offsets"),
    )


class PoseCache:
    """Joint positions of whole motion assets, kept so playback does no FK per frame.

    Entries are keyed by motion id and mirroring, and hold the asset they were built from: an
    asset replaced under the same id (a new object) is rebuilt. At most ``max_entries`` stay.
    """

    def __init__(self, max_entries: int = 32) -> None:
        self._max = max_entries
        self._entries: OrderedDict[tuple[str, bool], tuple[MotionAsset, Array, Array]] = (
            OrderedDict()
        )

    def joints(self, asset: MotionAsset, mirrored: bool) -> tuple[Array, Array]:
        """(T, J, 3) positions and End Sites of ``asset``, mirrored left/right if asked."""
        key = (asset.id, mirrored)
        entry = self._entries.get(key)
        if entry is None or entry[0] is not asset:
            motion = motion_of(asset)
            positions, ends = motion_joints(mirror(motion) if mirrored else motion)
            entry = (asset, positions, ends)
            self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return entry[1], entry[2]

    def clear(self) -> None:
        self._entries.clear()


def dancer_colors(tracks: tuple[Track, ...]) -> list[RGB]:
    """One colour per dancer track: its own, unless an earlier dancer already wears it.

    New tracks all start with the model's default colour, so without this a group routine
    would be one blue crowd; a repeated colour is replaced by the first unused palette one.
    """
    used: set[str] = set()
    out = []
    for track in tracks:
        color = track.color.lower()
        if color in used:
            color = next((c for c in PALETTE if c not in used), color)
        used.add(color)
        out.append(parse_color(color))
    return out


def poses_at(project: Project, seconds: float, cache: PoseCache | None = None) -> list[DancerPose]:
    """The pose of every dancer track of ``project`` at song time ``seconds``.

    A track with no clip under ``seconds`` (or muted) draws nothing. Pass the same ``cache``
    on every call (the viewport keeps one); without it every call runs forward kinematics.
    """
    cache = cache if cache is not None else PoseCache(max_entries=4)
    motions = project.motions
    tracks = project.dancer_tracks()
    poses = []
    for track, color in zip(tracks, dancer_colors(tracks), strict=True):
        if track.muted:
            continue
        for clip in track.clips:
            asset = motions.get(clip.motion_id)
            if asset is None or not asset.arrays:
                continue
            frame = frame_at(clip, seconds, asset.fps, asset.frame_count)
            if frame is None:
                continue
            positions, ends = cache.joints(asset, clip.mirrored)
            poses.append(DancerPose(positions[frame], ends[frame], color, name=track.name))
            break
    return poses
