"""Train the view-invariant pose embedding, and measure it on AIST++ views it never saw.

Usage::

    python -m inference.training.train_view_embedding [--data ../shared/data] [--steps 3000]
        [--out resources/models] [--eval-only]

Training data (only what shipped weights may learn from, see ``../shared/data/README.md``):
CMU (salsa subjects 60/61, subject 05 modern dance, 55_01), Mixamo (every FBX clip and
Michelle.glb), Tang 2018 (every dance) and the AIST++ slices that are **not** break dance.
Never Perfume, Bandai or LaFAN1, and no AIST++ break (gBR) slice: one of them is the very
performance of the evaluation set (d04, mBR0, ch02) in 3D.

Each step takes a batch of 3D windows at random, films each through two random virtual
cameras (:func:`inference.scoring.camera.random_camera`, any side of the dancer), perturbs
the 2D keypoints the way a detector does (jitter, dropped joints, COCO's wider and higher
hips), and pulls the two views of one window together and apart from the rest of the batch
(symmetric InfoNCE, temperature 0.1).

Evaluation (never used for training or for choosing anything):
``../shared/data/video/aistpp_keypoints2d/``, 7 break-dance performances x 9 synchronised
cameras: ROC AUC of "same performance from another camera" against "another performance"
(:func:`inference.scoring.views.view_separation`), for the embedding and for the plain 2D
joint-angle features. The figures go into ``view_embedding.json`` beside the weights.
"""

from __future__ import annotations

import argparse
import glob
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.motion import drop_leading_tpose, load_motion
from inference.scoring.body import BodyTrack, J, track_from_motion
from inference.scoring.camera import project, random_camera
from inference.scoring.compare import features_of
from inference.scoring.embedding import (
    CONFIG,
    EmbeddingConfig,
    build_network,
    centre_and_scale,
    embedding_available,
    inputs_at,
    load_embedding,
    save_embedding,
)
from inference.scoring.tracks import load_aistpp_views
from inference.scoring.views import view_separation
from inference.training.train_inbetweener import DEFAULT_DATA, sha256

Array = NDArray[np.float64]

TRAIN_GLOBS = (
    "motion/cmu_salsa/*.bvh",
    "motion/cmu_dance/*.bvh",
    "motion/cmu_dance/55_01_cmu.fbx",
    "motion/mixamo/*.fbx",
    "motion/mixamo/Michelle.glb",
    "motion_music/tang2018/DANCE_*/skeletons.json",
    "motion/aistpp_slices/true_g[!B]*.csv",
)
EVAL_GLOB = "video/aistpp_keypoints2d/*.pkl"
CAMERAS_PER_CLIP = 4
BATCH = 256
TEMPERATURE = 0.1
SEED = 0


@dataclass
class Pool:
    """Every training clip filmed by a few cameras, concatenated: points (C, N, 12, 2), the
    centre and scale of each frame, and each frame's clip bounds (for clamped windows)."""

    points: Array
    centre: Array
    scale: Array
    lo: NDArray[np.int64]
    hi: NDArray[np.int64]


def training_files(data: Path) -> list[Path]:
    """The licensed training set (module docstring), sorted."""
    files = sorted({Path(f) for g in TRAIN_GLOBS for f in glob.glob(str(data / g))})
    banned = ("perfume", "bandai", "lafan", "gBR_")
    return [f for f in files if not any(b in str(f) for b in banned)]


def load_clips(files: list[Path]) -> list[BodyTrack]:
    """3D tracks at 30 fps, leading T-poses dropped."""
    clips = []
    for f in files:
        motion = drop_leading_tpose(load_motion(f))
        if motion.n_frames >= 30:
            clips.append(track_from_motion(motion, f.name))
    return clips


def _detector_like(track: BodyTrack, rng: np.random.Generator) -> BodyTrack:
    """COCO hips sit wider and higher than mocap hip joints: widen/raise them at random."""
    p = np.array(track.points)
    mid = 0.5 * (p[:, J["hip_l"]] + p[:, J["hip_r"]])
    neck = 0.5 * (p[:, J["shoulder_l"]] + p[:, J["shoulder_r"]])
    widen, lift = rng.uniform(1.0, 1.6), rng.uniform(0.0, 0.15)
    for hip in ("hip_l", "hip_r"):
        p[:, J[hip]] = mid + widen * (p[:, J[hip]] - mid) + lift * (neck - mid)
    return replace(track, points=p)


def build_pool(clips: list[BodyTrack], rng: np.random.Generator) -> Pool:
    """Film every clip through :data:`CAMERAS_PER_CLIP` fresh random cameras."""
    pts, cen, sca, lo, hi = [], [], [], [], []
    start = 0
    for clip in clips:
        views = [
            project(_detector_like(clip, rng), random_camera(rng)) for _ in range(CAMERAS_PER_CLIP)
        ]
        cs = [centre_and_scale(v) for v in views]
        pts.append(np.stack([v.points for v in views]))
        cen.append(np.stack([c for c, _ in cs]))
        sca.append(np.stack([s for _, s in cs]))
        n = clip.n_frames
        lo.append(np.full(n, start))
        hi.append(np.full(n, start + n - 1))
        start += n
    return Pool(
        np.concatenate(pts, axis=1),
        np.concatenate(cen, axis=1),
        np.concatenate(sca, axis=1),
        np.concatenate(lo),
        np.concatenate(hi),
    )


def _perturb(x: NDArray[np.float32], rng: np.random.Generator) -> NDArray[np.float32]:
    """Keypoint jitter and dropped joints (a whole window's joint, or single frames)."""
    b = x.shape[0]
    x = x.reshape(b, -1, 12, 3).copy()
    x[..., :2] += rng.normal(0.0, 0.03, size=x[..., :2].shape).astype(np.float32)
    drop = rng.random((b, x.shape[1], 12)) < 0.08
    drop |= rng.random((b, 1, 12)) < 0.10
    x[drop] = 0.0
    return x.reshape(b, -1)


def batch(pool: Pool, rng: np.random.Generator) -> tuple[Any, Any]:
    """Two views of :data:`BATCH` random windows, as torch tensors."""
    import torch

    t = rng.integers(0, pool.points.shape[1], size=BATCH)
    c1 = rng.integers(0, CAMERAS_PER_CLIP, size=BATCH)
    c2 = (c1 + rng.integers(1, CAMERAS_PER_CLIP, size=BATCH)) % CAMERAS_PER_CLIP
    n = pool.points.shape[1]
    flat = pool.points.reshape(-1, 12, 2), pool.centre.reshape(-1, 2), pool.scale.reshape(-1)
    views = []
    for c in (c1, c2):
        # Camera c's copy of frame t sits at c * n + t in the flattened pool.
        x = inputs_at(*flat, c * n + t, c * n + pool.lo[t], c * n + pool.hi[t])
        views.append(torch.from_numpy(_perturb(x, rng)))
    return views[0], views[1]


def info_nce(za: Any, zb: Any) -> Any:
    """Symmetric InfoNCE over the batch: row i of ``za`` should pick row i of ``zb``."""
    import torch

    logits = za @ zb.T / TEMPERATURE
    target = torch.arange(za.shape[0])
    ce = torch.nn.functional.cross_entropy
    return 0.5 * (ce(logits, target) + ce(logits.T, target))


def train(clips: list[BodyTrack], steps: int, log_every: int = 250) -> Any:
    """Train a fresh network; a new camera pool every 500 steps."""
    import torch

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    net = build_network(EmbeddingConfig())
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    pool = build_pool(clips, rng)
    started = time.perf_counter()
    for step in range(steps):
        if step and step % 500 == 0:
            pool = build_pool(clips, rng)
        xa, xb = batch(pool, rng)
        loss = info_nce(net(xa), net(xb))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % log_every == 0 or step == steps - 1:
            print(
                f"  step {step:5d}  loss {loss.item():.3f}  {time.perf_counter() - started:.0f} s"
            )
    net.eval()
    return net


def evaluate(data: Path, network: Any) -> dict[str, Any]:
    """AUC on the AIST++ views for the embedding and for the joint-angle baseline."""
    files = sorted(glob.glob(str(data / EVAL_GLOB)))
    performances = [load_aistpp_views(f) for f in files]
    base = view_separation(performances)
    emb = view_separation(performances, lambda t: features_of(t, network))
    return {
        "eval_files": [Path(f).name for f in files],
        "auc_embedding": round(emb.auc, 4),
        "auc_joint_angles": round(base.auc, 4),
        "embedding_distance_same_performance": round(float(np.mean(emb.positives)), 4),
        "embedding_distance_other_performance": round(float(np.mean(emb.negatives)), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=CONFIG.parent)
    parser.add_argument("--eval-only", action="store_true", help="measure the saved weights")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)  # small model, shared machine: one thread is as fast
    if args.eval_only:
        if not embedding_available(args.out):
            raise SystemExit(f"no weights in {args.out}")
        print(evaluate(args.data, load_embedding(args.out)))
        return 0
    files = training_files(args.data)
    print(f"loading {len(files)} training files")
    clips = load_clips(files)
    n_frames = sum(c.n_frames for c in clips)
    print(f"{len(clips)} clips, {n_frames} frames ({n_frames / 30 / 60:.1f} min at 30 fps)")
    started = time.perf_counter()
    network = train(clips, args.steps)
    train_s = time.perf_counter() - started
    figures = evaluate(args.data, network)
    print(figures)
    meta = {
        "trained_by": "inference/training/train_view_embedding.py",
        "steps": args.steps,
        "batch": BATCH,
        "train_seconds": round(train_s, 1),
        "train_frames": n_frames,
        "train_files": {str(f.relative_to(args.data)): sha256(f)[:16] for f in files},
        **figures,
    }
    save_embedding(network, EmbeddingConfig(), meta, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
