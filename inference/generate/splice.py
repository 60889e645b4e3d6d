"""Splicing a regenerated stretch into an existing routine, so that only that stretch changes.

Frames outside the changed runs are copied from the old motion bit for bit. Inside a run the
new motion is corrected by the old-minus-new offset at the frame before the run, easing
linearly into the offset at the frame after it (root translation by lerp, each joint's rotation
by slerp of the two corrections). So position is continuous at both seams and the velocity
across a seam is the new motion's own velocity plus (offset change) / (run length).

Seam bound (tested in tests/unit/generate/test_editing.py): at every seam the per-frame joint
displacement is at most 1.5 x the largest per-frame displacement of the old or new motion
within 0.5 s of the seam plus 2 cm, and the frame-to-frame change of joint velocity at most
2 x the largest such change nearby plus 2 cm per frame.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from inference.generate.inbetween import CONTEXT, SHRUNK_GAIN, Inbetweener, fill_windows
from inference.motion import quaternions as Q
from inference.motion.motion import Motion

Array = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def runs(mask: BoolArray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True values."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def splice(
    old: Motion, new: Motion, changed: BoolArray, model: Inbetweener | None = None
) -> Motion:
    """``old`` with the frames where ``changed`` is true taken from ``new`` (offset-corrected).

    With a ``model`` the edges of every changed run are then redrawn by the in-betweener (see
    :func:`_redraw_edges`); frames outside the runs are ``old``'s either way.
    """
    if old.n_frames != new.n_frames or changed.shape != (old.n_frames,):
        raise ValueError("old, new and the mask must cover the same frames")
    root = old.root_translation.copy()
    rots = old.local_rotations.copy()
    t = old.n_frames
    for a, b in runs(changed):
        before = a - 1 if a > 0 else None
        after = b if b < t else None
        anchor_a = before if before is not None else after
        anchor_b = after if after is not None else before
        s = (np.arange(a, b) - a + 1) / (b - a + 1)
        if anchor_a is None or anchor_b is None:
            root[a:b], rots[a:b] = new.root_translation[a:b], new.local_rotations[a:b]
            continue
        off_a = old.root_translation[anchor_a] - new.root_translation[anchor_a]
        off_b = old.root_translation[anchor_b] - new.root_translation[anchor_b]
        root[a:b] = new.root_translation[a:b] + off_a + (off_b - off_a) * s[:, None]
        d_a = Q.multiply(old.local_rotations[anchor_a], Q.conjugate(new.local_rotations[anchor_a]))
        d_b = Q.multiply(old.local_rotations[anchor_b], Q.conjugate(new.local_rotations[anchor_b]))
        n, j = b - a, d_a.shape[0]
        corr = Q.slerp(
            np.broadcast_to(d_a, (n, j, 4)),
            np.broadcast_to(d_b, (n, j, 4)),
            np.broadcast_to(s[:, None], (n, j)),
        )
        rots[a:b] = Q.multiply(corr, new.local_rotations[a:b])
    if model is not None:
        _redraw_edges(root, rots, changed, model, old)
    return old.with_(root_translation=root, local_rotations=rots)


EDGE_GAP = 9
"""Frames of each spliced run, at its edges, that the in-betweener redraws (0.3 s)."""


def _redraw_edges(
    root: Array, rots: Array, changed: BoolArray, model: Inbetweener, old: Motion
) -> None:
    """Redraw the first and last :data:`EDGE_GAP` frames of every changed run, in place.

    The offset correction already meets the kept frames without a jump; here the transition
    into and out of the new material becomes a learned one, seen from the kept motion on one
    side and the new motion on the other. Only frames inside the runs change; a run too short
    for two edges, too near the ends for context, or whose new frames are the old ones (a
    re-planned stretch that came out the same) is left as it is.
    """
    n, k, g = root.shape[0], CONTEXT, EDGE_GAP
    moved = [
        (a, b)
        for a, b in runs(changed)
        if not (
            np.array_equal(root[a:b], old.root_translation[a:b])
            and np.array_equal(rots[a:b], old.local_rotations[a:b])
        )
    ]
    starts = [
        edge
        for a, b in moved
        if b - a >= 2 * g
        for edge in (a, b - g)
        if edge - k >= 0 and edge + g + k <= n
    ]
    if not starts:
        return
    idx = np.asarray(starts)[:, None] + np.arange(-k, g + k)
    gap_root, gap_rots, _ = fill_windows(root[idx], rots[idx], g, model, SHRUNK_GAIN)
    gap_idx = np.asarray(starts)[:, None] + np.arange(g)
    root[gap_idx], rots[gap_idx] = gap_root, gap_rots
