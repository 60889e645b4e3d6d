"""Neural in-betweening: fill a gap of G frames between two known stretches of motion.

The model (:mod:`inference.generate.inbetween_net`, trained by
``python -m inference.training.train_inbetweener`` on the CMU salsa mocap) sees
:data:`CONTEXT` frames before and after the gap and predicts a residual over the slerp/lerp
baseline, in a rotation-invariant, root-relative frame: the window is turned so that the last
frame before the gap faces +Z with its pelvis above the origin, each joint's local rotation is
a 6D rotation and the root is a position. It sees each context frame relative to the gap's
boundary frame on its side (how the body moves, not which poses salsa uses), and its residual
is faded to zero at both ends of the gap, so the transition always meets its context.

When the weights cannot be loaded (missing, corrupt, torch failing) or a gap is outside what the
model was trained on, :func:`fill_windows` falls back to slerp and logs why. Set
``EIGHTCOUNT_INBETWEENER=slerp`` to force the fallback (for A/B benchmarks).

>>> gap = inbetween(clip_a, clip_b, 12)  # 12 new frames that join clip_a's end to clip_b's start
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.generate.inbetween_net import (
    N_FEATURES,
    NetConfig,
    NumpyInbetweenNet,
    build_network,
    check_state,
)
from inference.motion import quaternions as Q
from inference.motion.motion import CANONICAL_FPS, Motion
from inference.motion.skeleton import CANONICAL
from inference.paths import RESOURCES_DIR

Array = NDArray[np.float64]

log = logging.getLogger(__name__)

CONTEXT = 10
"""Known frames the model sees on each side of a gap."""
MIN_GAP, MAX_GAP = 3, 30
"""Gap lengths (frames at 30 fps) the model was trained on; others are filled by slerp."""
INACTIVE_STD = 0.02
"""Features whose training spread is below this (the 0.01 floor) are left to slerp."""
INPUT_CLIP = 5.0
"""Normalised inputs are clipped to this many training standard deviations."""
SHRUNK_GAIN = 0.25
"""Residual gain for seams of motion unlike the CMU salsa it was trained on (gain 1 is used
between two CMU salsa units: ``assembly.LEARNED_KINDS``).

It was chosen on the Bandai and Tang dances, where full gain loses to slerp (up to 1.3x its
position error at short gaps); there it measures 0.95-0.99x slerp, but those are tuning figures.
On dance never used for choosing it (Perfume and the AIST++ slices: ``pop_street`` in
``tests/benchmarks/bench_inbetweener.py``) it measures 0.98-1.01x slerp's position error, with
1.01-1.13x its foot skating and 1.07-1.42x its jerk (real motion: 0.73-2.45x): about slerp."""
MODEL_DIR = RESOURCES_DIR / "models"
WEIGHTS_PATH = MODEL_DIR / "inbetweener.npz"
"""The network's state dict as float32 arrays (``numpy.savez``): the CPU runs it in numpy."""
META_PATH = MODEL_DIR / "inbetweener.json"


# ---------------------------------------------------------------------------- features


def matrix_from_6d(six: Array) -> Array:
    """(..., 6) -> (..., 3, 3), numpy twin of the network's Gram-Schmidt."""
    a1, a2 = six[..., :3], six[..., 3:]
    b1 = a1 / np.maximum(np.linalg.norm(a1, axis=-1, keepdims=True), 1e-8)
    b2 = a2 - np.sum(b1 * a2, axis=-1, keepdims=True) * b1
    b2 = b2 / np.maximum(np.linalg.norm(b2, axis=-1, keepdims=True), 1e-8)
    return np.stack([b1, b2, np.cross(b1, b2)], axis=-1)


def window_features(root: Array, rots: Array, anchor: int) -> tuple[Array, Array, Array]:
    """Features (B, L, N_FEATURES) of windows, in the frame of each window's ``anchor`` frame.

    Parameters
    ----------
    root, rots
        (B, L, 3) root positions and (B, L, J, 4) local rotations.
    anchor
        The frame that is turned to face +Z with its pelvis above the origin.

    Returns
    -------
    features, yaw, origin
        The features, and per window the heading (B,) and ground point (B, 3) removed.
    """
    yaw = Q.yaw_of(rots[:, anchor, 0])
    origin = root[:, anchor] * np.array([1.0, 0.0, 1.0])
    turn = Q.about_y(-yaw)[:, None]
    local = rots.copy()
    local[:, :, 0] = Q.multiply(turn, rots[:, :, 0])
    mats = Q.to_matrix(local)
    six = np.concatenate([mats[..., :, 0], mats[..., :, 1]], axis=-1)
    pos = Q.rotate(turn, root - origin[:, None])
    feats = np.concatenate([pos, six.reshape(*six.shape[:2], -1)], axis=-1)
    return feats, yaw, origin


def pose_from_features(feats: Array, yaw: Array, origin: Array) -> tuple[Array, Array]:
    """Inverse of :func:`window_features`: root (B, L, 3) and rotations (B, L, J, 4)."""
    b, n = feats.shape[:2]
    mats = matrix_from_6d(feats[..., 3:].reshape(b, n, CANONICAL.n_joints, 6))
    rots = Q.from_matrix(mats)
    turn = Q.about_y(yaw)[:, None]
    rots[:, :, 0] = Q.multiply(turn, rots[:, :, 0])
    root = Q.rotate(turn, feats[..., :3]) + origin[:, None]
    return root, rots


def slerp_windows(root: Array, rots: Array, gap: int) -> tuple[Array, Array]:
    """Windows (B, 2K + gap, ...) with their gap frames set to the slerp/lerp baseline."""
    k = (root.shape[1] - gap) // 2
    t = np.arange(1, gap + 1) / (gap + 1)
    out_root, out_rots = root.copy(), rots.copy()
    a, b = root[:, k - 1 : k], root[:, k + gap : k + gap + 1]
    out_root[:, k : k + gap] = a + (b - a) * t[None, :, None]
    qa = np.broadcast_to(rots[:, k - 1 : k], (root.shape[0], gap, *rots.shape[2:]))
    qb = np.broadcast_to(rots[:, k + gap : k + gap + 1], qa.shape)
    out_rots[:, k : k + gap] = Q.slerp(qa, qb, np.broadcast_to(t[None, :, None], qa.shape[:-1]))
    return out_root, out_rots


# ---------------------------------------------------------------------------- the model


Network = Callable[[NDArray[np.float32]], NDArray[np.floating[Any]]]
"""(B, IN_CHANNELS, L) float32 -> (B, N_FEATURES, L) residual."""


class TorchRunner:
    """The network as a torch module on a GPU, called with and returning numpy arrays."""

    def __init__(self, state: dict[str, NDArray[np.float32]], config: NetConfig, device: str):
        import torch

        check_state(state, config)
        module = build_network(config)
        module.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=True)
        # TF32 would make CUDA results differ from the CPU's in the third decimal.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
        self.module = module.float().to(device).eval()
        self.device = device

    def __call__(self, x: NDArray[np.float32]) -> NDArray[np.float32]:
        import torch

        with torch.inference_mode():
            out = self.module(torch.from_numpy(x).to(self.device))
        return np.asarray(out.to("cpu").numpy())


@dataclass(frozen=True, eq=False)
class Inbetweener:
    """A loaded in-betweening network on its device."""

    network: Network
    config: NetConfig
    mean: Array
    std: Array
    device: str
    meta: dict[str, Any]

    @property
    def active(self) -> Array:
        """(N_FEATURES,) 1 where the training data varied, 0 where it was constant.

        The retargeted salsa never moves the neck, head, collars, wrists or toes; the model knows
        nothing about them, so those stay slerp and their (unseen) motion is not shown to it.
        """
        return np.asarray(self.std > INACTIVE_STD, dtype=np.float64)

    def network_input(self, feats: Array, gap: int) -> Array:
        """(B, C, L) float32 input: relative context, boundary jump, gap mask, gap phase.

        Features the model never saw vary are zeroed and the rest clipped to 5 training
        standard deviations, so unfamiliar motion cannot push it far outside what it learned.
        """
        keep = np.concatenate([self.active, self.active, [1.0, 1.0]]).astype(np.float32)
        x = network_input(feats, gap, self.mean, self.std) * keep[None, :, None]
        return np.clip(x, -INPUT_CLIP, INPUT_CLIP)

    def fill(
        self, root: Array, rots: Array, gap: int, gain: float | Array = 1.0
    ) -> tuple[Array, Array]:
        """Gap frames (B, gap, 3), (B, gap, J, 4) of windows of ``2 * CONTEXT + gap`` frames.

        ``gain`` (scalar or (B,)) scales the learned residual over slerp: 1 where the motion is
        like the training data, :data:`SHRUNK_GAIN` elsewhere.
        """
        base_root, base_rots = slerp_windows(root, rots, gap)
        feats, yaw, origin = window_features(base_root, base_rots, CONTEXT - 1)
        x = np.asarray(self.network_input(feats, gap), dtype=np.float32)
        residual = np.asarray(self.network(x), dtype=np.float64)
        gap_feats = feats[:, CONTEXT : CONTEXT + gap]
        step = np.swapaxes(residual, 1, 2)[:, CONTEXT : CONTEXT + gap] * (self.std * self.active)
        weight = np.asarray(gain, dtype=np.float64).reshape(-1, 1, 1) * envelope(gap)[None, :, None]
        gap_feats = gap_feats + step * weight
        return pose_from_features(gap_feats, yaw, origin)


def relative_features(feats: Array, gap: int) -> tuple[Array, Array]:
    """Context frames minus their side's boundary frame (gap: zero), and the boundary jump.

    The network sees how the motion moves into and out of the gap, not the poses themselves:
    trained on salsa, it must not learn salsa's poses, only how bodies move between two poses.
    """
    before, after = feats[:, CONTEXT - 1 : CONTEXT], feats[:, CONTEXT + gap : CONTEXT + gap + 1]
    rel = np.zeros_like(feats)
    rel[:, :CONTEXT] = feats[:, :CONTEXT] - before
    rel[:, CONTEXT + gap :] = feats[:, CONTEXT + gap :] - after
    return rel, np.broadcast_to(after - before, feats.shape)


def envelope(gap: int) -> Array:
    """(gap,) weight of the residual: 4 t (1 - t), so the transition meets its context."""
    t = np.arange(1, gap + 1) / (gap + 1)
    return np.asarray(4.0 * t * (1.0 - t), dtype=np.float64)


def network_input(feats: Array, gap: int, mean: Array, std: Array) -> Array:
    """See :meth:`Inbetweener.network_input` (shared with the training script)."""
    b, n = feats.shape[:2]
    mask = np.zeros((b, n, 1))
    phase = np.zeros((b, n, 1))
    mask[:, CONTEXT : CONTEXT + gap] = 1.0
    phase[:, CONTEXT : CONTEXT + gap, 0] = np.arange(1, gap + 1) / (gap + 1)
    rel, jump = relative_features(feats, gap)
    x = np.concatenate([(rel - mean) / std, jump / std, mask, phase], axis=-1)
    return np.ascontiguousarray(np.swapaxes(x, 1, 2), dtype=np.float32)


_LOADED: dict[tuple[str, str], Inbetweener | None] = {}


def load_inbetweener(
    weights: Path = WEIGHTS_PATH, meta: Path = META_PATH, device: str | None = None
) -> Inbetweener | None:
    """The shipped in-betweener on ``device`` (default :func:`pick_device_lazily`), or ``None``.

    ``None`` (with the reason logged once) when the weights are missing or unreadable or torch
    fails on a GPU; callers then fill gaps by slerp. Loaded once per path and device. On the
    CPU it runs in numpy, without importing torch.
    """
    from inference.device import pick_device_lazily

    if os.environ.get("EIGHTCOUNT_INBETWEENER", "").lower() == "slerp":
        return None
    if not weights.is_file():  # checked before choosing a device, which may import torch
        _warn_once(f"no in-betweener weights at {weights}; transitions use slerp")
        return None
    try:
        device = device or pick_device_lazily()
    except Exception as exc:  # torch itself missing or broken: slerp still works
        _warn_once(f"torch unavailable ({exc}); transitions use slerp")
        return None
    key = (str(weights), device)
    if key not in _LOADED:
        try:
            _LOADED[key] = _load(weights, meta, device)
        except Exception as exc:  # any failure to load means: no model, use slerp
            _warn_once(f"in-betweener not loaded from {weights}: {exc}; transitions use slerp")
            _LOADED[key] = None
    return _LOADED[key]


def read_state(weights: Path) -> dict[str, NDArray[np.float32]]:
    """The arrays of a ``numpy.savez`` state dict (no pickles: ``allow_pickle=False``)."""
    with np.load(weights, allow_pickle=False) as archive:
        return {key: np.asarray(archive[key], dtype=np.float32) for key in archive.files}


def _load(weights: Path, meta: Path, device: str) -> Inbetweener:
    doc = json.loads(meta.read_text())
    config = NetConfig.from_json(doc["architecture"])
    if int(doc["context"]) != CONTEXT or int(doc["n_features"]) != N_FEATURES:
        raise ValueError("the weights were trained for another window layout")
    state = read_state(weights)
    network: Network = (
        NumpyInbetweenNet(state, config) if device == "cpu" else TorchRunner(state, config, device)
    )
    mean = np.asarray(doc["normalisation"]["mean"], dtype=np.float64)
    std = np.asarray(doc["normalisation"]["std"], dtype=np.float64)
    if mean.shape != (N_FEATURES,) or std.shape != (N_FEATURES,) or np.any(std <= 0):
        raise ValueError("bad normalisation statistics")
    return Inbetweener(network, config, mean, std, device, doc)


_WARNED: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _WARNED:
        _WARNED.add(message)
        log.warning(message)


# ---------------------------------------------------------------------------- filling


def fill_windows(
    root: Array,
    rots: Array,
    gap: int,
    model: Inbetweener | bool | None = True,
    gain: float | Array = 1.0,
) -> tuple[Array, Array, str]:
    """Fill the gaps of windows ``(B, 2 * CONTEXT + gap, ...)`` in one batch.

    Parameters
    ----------
    model
        ``True``: the shipped model if it loads; ``False`` or ``None``: slerp; or a model.
    gain
        Scale of the learned residual, per window or for all (see :data:`SHRUNK_GAIN`).

    Returns
    -------
    root, rots, method
        (B, gap, 3), (B, gap, J, 4), and ``"model"`` or ``"slerp"``.
    """
    if root.shape[1] != 2 * CONTEXT + gap:
        raise ValueError(f"windows must have {2 * CONTEXT + gap} frames")
    net = load_inbetweener() if model is True else model or None
    if net is not None and not MIN_GAP <= gap <= MAX_GAP:
        _warn_once(f"gap of {gap} frames is outside {MIN_GAP}..{MAX_GAP}; it is filled by slerp")
        net = None
    if net is None:
        r, q = slerp_windows(root, rots, gap)
        return r[:, CONTEXT : CONTEXT + gap], q[:, CONTEXT : CONTEXT + gap], "slerp"
    r, q = net.fill(root, rots, gap, gain)
    return r, q, "model"


def _context(motion: Motion, take_end: bool) -> tuple[Array, Array]:
    """:data:`CONTEXT` frames from one end of ``motion``, repeating its end frame if short."""
    n = motion.n_frames
    idx = np.arange(n - CONTEXT, n) if take_end else np.arange(CONTEXT)
    idx = np.clip(idx, 0, n - 1)
    return motion.root_translation[idx], motion.local_rotations[idx]


def inbetween(
    before: Motion, after: Motion, gap_frames: int, model: Inbetweener | bool | None = True
) -> Motion:
    """``gap_frames`` new frames that lead from the end of ``before`` into the start of ``after``.

    ``before + result + after`` plays as one motion. Uses the model at full gain when it loads
    and the gap is 3..30 frames, else slerp. The generator fills its seams in batches with
    :func:`fill_windows` instead; this is the one-gap form, for scripts and tests.

    Parameters
    ----------
    before, after
        The motions on either side (their last / first :data:`CONTEXT` frames are used).
    gap_frames
        Frames to create (>= 1).
    """
    if gap_frames < 1:
        raise ValueError("gap_frames must be at least 1")
    if before.fps != after.fps:
        raise ValueError("both motions must have the same frame rate")
    if abs(before.fps - CANONICAL_FPS) > 1e-6:
        model = False  # trained at 30 fps
    ra, qa = _context(before, True)
    rb, qb = _context(after, False)
    gap_root = np.zeros((gap_frames, 3))
    gap_rots = Q.identity((gap_frames, CANONICAL.n_joints))
    root = np.concatenate([ra, gap_root, rb])[None]
    rots = np.concatenate([qa, gap_rots, qb])[None]
    r, q, _ = fill_windows(root, rots, gap_frames, model)
    return Motion(before.skeleton, before.fps, r[0], q[0], before.offsets)
