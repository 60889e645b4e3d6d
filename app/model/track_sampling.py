"""How a dancer track's clips become one motion over the song's timeline.

One function, :func:`sample_track`, answers "which pose does this track show at song time t",
including the cross-fade from one clip into the next when they are adjacent. The viewport
draws from it (:func:`viewport.scene.poses_at`) and the BVH/JSON export stacks it frame by frame
(:func:`assemble_track`), so what is exported is what was watched.

Transitions
    When a clip starts where the previous clip on its track ends (within half a frame), the
    first :data:`~inference.motion.blend.BLEND_FRAMES` frames of the later clip fade from the
    earlier clip's material (continued past its out-point where the motion has more, held on
    its last frame where it does not) into the later clip. At the cut the pose is therefore
    exactly what the earlier clip would show next: no pop.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from app.model.document import Clip, MotionAsset, Track
from inference.motion import CANONICAL, REST_PELVIS_HEIGHT, Motion, mirror
from inference.motion import quaternions as Q
from inference.motion.blend import BLEND_FRAMES, blend_pose, smoothstep

Array = NDArray[np.float64]

# Added before the floor so a time that lands exactly on a frame boundary, but is computed as
# k / fps with a rounding error just below k, still shows frame k.
FRAME_EPSILON = 1e-6
ADJACENT_SECONDS = 0.5 / 30.0
"""Clips that meet within half a video frame are adjacent: they get a transition."""
BLEND_SECONDS = BLEND_FRAMES / 30.0


def motion_of(asset: MotionAsset) -> Motion:
    """The canonical Motion stored in a project's MotionAsset."""
    return Motion(
        CANONICAL,
        asset.fps,
        asset.arrays["root_translation"],
        asset.arrays["local_rotations"],
        asset.arrays.get("offsets"),
    )


def asset_from_motion(motion: Motion, asset_id: str, name: str) -> MotionAsset:
    """A MotionAsset holding ``motion`` (the inverse of :func:`motion_of`)."""
    arrays = {
        "root_translation": np.array(motion.root_translation),
        "local_rotations": np.array(motion.local_rotations),
    }
    if motion.offsets is not None:
        arrays["offsets"] = np.array(motion.offsets)
    return MotionAsset(id=asset_id, name=name, fps=motion.fps, arrays=arrays)


def source_frame(clip: Clip, seconds: float, fps: float, n_frames: int) -> int:
    """The motion frame of ``clip``'s material at song time ``seconds``, clamped to the motion.

    Computed from absolute time (``floor((source_in + seconds - start) * fps)``), never from a
    running sum of frame steps, so it cannot drift over a long song. Times past the clip's
    out-point continue into the motion's material (used by transitions).
    """
    frame = math.floor((clip.source_in + (seconds - clip.start)) * fps + FRAME_EPSILON)
    return min(max(frame, 0), n_frames - 1)


class MotionCache:
    """Motions of assets (mirrored or not), kept so playback does not rebuild them per frame.

    Entries are keyed by motion id and mirroring and hold the asset they came from: an asset
    replaced under the same id (a new object) is rebuilt. At most ``max_entries`` stay.
    """

    def __init__(self, max_entries: int = 32) -> None:
        self._max = max_entries
        self._entries: OrderedDict[tuple[str, bool], tuple[MotionAsset, Motion]] = OrderedDict()

    def motion(self, asset: MotionAsset, mirrored: bool) -> Motion:
        key = (asset.id, mirrored)
        entry = self._entries.get(key)
        if entry is None or entry[0] is not asset:
            plain = motion_of(asset)
            entry = (asset, mirror(plain) if mirrored else plain)
            self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return entry[1]

    def clear(self) -> None:
        self._entries.clear()


@dataclass(frozen=True, eq=False)
class TrackFrame:
    """The pose a dancer track shows at one instant.

    ``asset``, ``mirrored`` and ``frame`` say which stored frame it is; when ``blended`` is
    true the pose is a transition between two clips and only the arrays describe it.
    """

    root: Array
    rotations: Array
    offsets: Array
    asset: MotionAsset
    mirrored: bool
    frame: int
    blended: bool = False


def clip_at(track: Track, seconds: float) -> Clip | None:
    """The clip under ``seconds``; where clips overlap (old files), the later one wins."""
    found = None
    for clip in track.clips:
        if clip.start <= seconds < clip.end:
            found = clip
    return found


def transition_into(track: Track, clip: Clip) -> Clip | None:
    """The clip that ``clip`` cross-fades from, if any.

    That is the clip ending where ``clip`` starts (within :data:`ADJACENT_SECONDS`), unless
    ``clip`` simply continues its material (the halves of a split, the parts of a generated
    routine): continuous material needs no transition.
    """
    before = [c for c in track.clips if c.id != clip.id and c.start < clip.start]
    if not before:
        return None
    last = max(before, key=lambda c: c.end)
    if abs(last.end - clip.start) > ADJACENT_SECONDS or _continues(last, clip):
        return None
    return last


def transition_sources(track: Track) -> dict[str, Clip]:
    """:func:`transition_into` of every clip of ``track`` at once, in one pass over the clips.

    Maps the id of each clip that cross-fades from another to that other clip. The lanes draw a
    mark per entry: a per-clip :func:`transition_into` would make a long track quadratic.
    """
    out: dict[str, Clip] = {}
    ordered = sorted(track.clips, key=lambda c: c.start)
    last: Clip | None = None  # of the clips that start earlier, the one that ends last
    i = 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and ordered[j].start == ordered[i].start:
            j += 1
        group = ordered[i:j]  # clips starting together share the clips before them
        for clip in group:
            adjacent = last is not None and abs(last.end - clip.start) <= ADJACENT_SECONDS
            if adjacent and last is not None and not _continues(last, clip):
                out[clip.id] = last
        for clip in group:
            if last is None or clip.end > last.end:
                last = clip
        i = j
    return out


def _continues(earlier: Clip, later: Clip) -> bool:
    """Whether ``later`` simply continues ``earlier``'s material (the halves of a split)."""
    return (
        earlier.motion_id == later.motion_id
        and earlier.mirrored == later.mirrored
        and abs(earlier.source_out - later.source_in) <= ADJACENT_SECONDS
    )


def _clip_frame(clip: Clip, asset: MotionAsset, seconds: float, cache: MotionCache) -> TrackFrame:
    motion = cache.motion(asset, clip.mirrored)
    frame = source_frame(clip, seconds, asset.fps, asset.frame_count)
    return TrackFrame(
        motion.root_translation[frame],
        motion.local_rotations[frame],
        motion.bone_offsets,
        asset,
        clip.mirrored,
        frame,
    )


def _standing(pose: TrackFrame, weight: float) -> TrackFrame:
    """``pose`` eased (``weight`` 0..1) into the rest pose, standing where the dancer is."""
    rest_root = np.array([pose.root[0], REST_PELVIS_HEIGHT, pose.root[2]])
    rest = Q.identity((CANONICAL.n_joints,))
    root, rotations = blend_pose(pose.root, pose.rotations, rest_root, rest, weight)
    return TrackFrame(root, rotations, pose.offsets, pose.asset, pose.mirrored, pose.frame, True)


def gap_frame(
    track: Track,
    motions: Mapping[str, MotionAsset],
    seconds: float,
    cache: MotionCache,
    blend_seconds: float = BLEND_SECONDS,
) -> TrackFrame | None:
    """The pose ``track`` shows at ``seconds`` where no clip is; ``None`` on a track of no clips.

    The dancer does not vanish in a gap: from the last pose of the clip before it, it eases
    over the transition length into the rest pose, standing where it was, and stays there
    (before the first clip it stands where that clip begins). The clip after the gap eases in
    from there (see :func:`sample_track`).
    """
    usable = [c for c in track.clips if (a := motions.get(c.motion_id)) and a.frame_count > 0]
    before = [c for c in usable if c.end <= seconds + FRAME_EPSILON]
    if before:
        previous = max(before, key=lambda c: c.end)
        asset = motions[previous.motion_id]
        last = _clip_frame(previous, asset, previous.end - 0.5 / asset.fps, cache)
        weight = float(smoothstep((seconds - previous.end) / max(blend_seconds, 1e-9)))
        return _standing(last, weight)
    after = [c for c in usable if c.start > seconds]
    if not after:
        return None
    upcoming = min(after, key=lambda c: c.start)
    first = _clip_frame(upcoming, motions[upcoming.motion_id], upcoming.start, cache)
    return _standing(first, 1.0)


def _follows_gap(track: Track, clip: Clip) -> bool:
    """Whether no clip covers the moment just before ``clip`` starts (and it is not at 0)."""
    if clip.start <= FRAME_EPSILON:
        return False
    return not any(
        c.id != clip.id and c.start < clip.start and c.end >= clip.start - ADJACENT_SECONDS
        for c in track.clips
    )


def sample_track(
    track: Track,
    motions: Mapping[str, MotionAsset],
    seconds: float,
    cache: MotionCache,
    blend_seconds: float = BLEND_SECONDS,
) -> TrackFrame | None:
    """The pose ``track`` shows at song time ``seconds``; ``None`` only on a track of no clips.

    Under a clip it is the clip's frame; its first frames cross-fade from an adjacent clip
    before it, or ease in from the gap pose (:func:`gap_frame`) when a gap comes before it.
    """
    clip = clip_at(track, seconds)
    asset = motions.get(clip.motion_id) if clip is not None else None
    if clip is None or asset is None or asset.frame_count < 1:
        return gap_frame(track, motions, seconds, cache, blend_seconds)
    plain = _clip_frame(clip, asset, seconds, cache)
    into = seconds - clip.start
    if into >= blend_seconds:
        return plain
    weight = float(smoothstep(into / blend_seconds))
    previous = transition_into(track, clip)
    before = motions.get(previous.motion_id) if previous is not None else None
    if previous is None or before is None or before.frame_count < 1:
        if not _follows_gap(track, clip):
            return plain
        waiting = gap_frame(track, motions, clip.start - FRAME_EPSILON, cache, blend_seconds)
        if waiting is None:
            return plain
        root, rotations = blend_pose(
            waiting.root, waiting.rotations, plain.root, plain.rotations, weight
        )
        offsets = (1.0 - weight) * waiting.offsets + weight * plain.offsets
        return TrackFrame(root, rotations, offsets, asset, clip.mirrored, plain.frame, True)
    earlier = cache.motion(before, previous.mirrored)
    k = source_frame(previous, seconds, before.fps, before.frame_count)
    root, rotations = blend_pose(
        earlier.root_translation[k],
        earlier.local_rotations[k],
        plain.root,
        plain.rotations,
        weight,
    )
    # Bone lengths fade too: two captured dancers rarely share them.
    offsets = (1.0 - weight) * earlier.bone_offsets + weight * plain.offsets
    return TrackFrame(root, rotations, offsets, asset, clip.mirrored, plain.frame, blended=True)


def assemble_track(
    track: Track,
    motions: Mapping[str, MotionAsset],
    n_frames: int,
    fps: float = 30.0,
    cache: MotionCache | None = None,
) -> Motion:
    """``track`` as one motion of ``n_frames`` frames from song time 0, for export.

    Frame ``i`` is :func:`sample_track` at ``i / fps``, gaps included (see :func:`gap_frame`),
    so the export is what the viewport showed. A track with no clip stands in the rest pose.
    The bone lengths are those of the track's first clip (a BVH file has one skeleton).
    """
    if n_frames < 1:
        raise ValueError("an assembled track needs at least one frame")
    cache = cache if cache is not None else MotionCache(max_entries=8)
    roots = np.zeros((n_frames, 3))
    roots[:, 1] = REST_PELVIS_HEIGHT
    rotations = Q.identity((n_frames, CANONICAL.n_joints))
    offsets: Array | None = None
    for i in range(n_frames):
        sample = sample_track(track, motions, i / fps, cache)
        if sample is not None:
            roots[i], rotations[i] = sample.root, sample.rotations
            if offsets is None:
                offsets = cache.motion(sample.asset, sample.mirrored).offsets
    return Motion(CANONICAL, fps, roots, rotations, offsets)
