"""What the viewport draws: dancer poses, and how a project's timeline turns into them.

Plain Python and numpy, no Qt or GL: :func:`poses_at` is the whole "which frame of which clip
is under the playhead" logic, so it is tested frame by frame without a window.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from app.model import MotionAsset, Project, Track
from app.model.colors import PALETTE as PALETTE  # re-exported for the viewport
from app.model.colors import dancer_hex_colors
from app.model.track_sampling import MotionCache, TrackFrame, sample_track
from app.model.track_sampling import motion_of as motion_of
from inference.motion import CANONICAL, Motion, forward_kinematics
from inference.motion import quaternions as Q

Array = NDArray[np.float64]
RGB = tuple[float, float, float]

GHOST_COLOR = "#e0e0e0"


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
        self.motions = MotionCache(max_entries)

    def joints(self, asset: MotionAsset, mirrored: bool) -> tuple[Array, Array]:
        """(T, J, 3) positions and End Sites of ``asset``, mirrored left/right if asked."""
        key = (asset.id, mirrored)
        entry = self._entries.get(key)
        if entry is None or entry[0] is not asset:
            positions, ends = motion_joints(self.motions.motion(asset, mirrored))
            entry = (asset, positions, ends)
            self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return entry[1], entry[2]

    def clear(self) -> None:
        self._entries.clear()
        self.motions.clear()

    def pose(self, sample: TrackFrame) -> tuple[Array, Array]:
        """(J, 3) positions and End Sites of one sampled track pose.

        A plain frame comes from the cached whole-motion joints; a transition frame is a pose
        no motion holds, so it runs forward kinematics for that one frame.
        """
        if not sample.blended:
            positions, ends = self.joints(sample.asset, sample.mirrored)
            return positions[sample.frame], ends[sample.frame]
        single = Motion(
            CANONICAL, sample.asset.fps, sample.root[None], sample.rotations[None], sample.offsets
        )
        positions, ends = motion_joints(single)
        return positions[0], ends[0]


def dancer_colors(tracks: tuple[Track, ...]) -> list[RGB]:
    """One colour per dancer track (see :func:`app.model.colors.dancer_hex_colors`)."""
    return [parse_color(c) for c in dancer_hex_colors(tracks)]


def poses_at(project: Project, seconds: float, cache: PoseCache | None = None) -> list[DancerPose]:
    """The pose of every dancer track of ``project`` at song time ``seconds``.

    A track with no clips draws nothing; a ghost track's dancer is flagged to be drawn
    translucent, as a reference. How gaps and the frames after a cut are filled is
    :mod:`app.model.track_sampling`'s.
    Pass the same ``cache`` on every call (the viewport keeps one); without it every call
    runs forward kinematics.
    """
    cache = cache if cache is not None else PoseCache(max_entries=4)
    motions = project.motions
    tracks = project.dancer_tracks()
    poses = []
    for track, color in zip(tracks, dancer_colors(tracks), strict=True):
        sample = sample_track(track, motions, seconds, cache.motions)
        if sample is not None:
            positions, ends = cache.pose(sample)
            poses.append(DancerPose(positions, ends, color, track.ghost, track.name))
    return poses
