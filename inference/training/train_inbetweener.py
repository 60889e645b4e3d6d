"""Train the neural in-betweener on the CMU salsa mocap and measure it on motion it never saw.

Usage::

    python -m inference.training.train_inbetweener [--data ../shared/data] [--steps 1500]
        [--out resources/models] [--eval-only]

Training data: CMU salsa takes 01 and 05 of subjects 60 and 61 (free for commercial use, so
the derived weights may ship), each also mirrored and played at 0.5 and 0.7 speed.

Evaluation (never trained on), each set at the residual gain the generator ships for it
(:func:`shipped_gain`: 1 between two CMU salsa units, :data:`SHRUNK_GAIN` elsewhere):

- ``cmu_take13``: the take 13 pair of the training dancers, at gain 1;
- ``cmu_modern``: CMU subject 05's modern dance, which the library holds as CMU units, at gain 1;
- ``bandai``: the Bandai Namco dance (CC BY-NC) and ``tang``: every Tang 2018 dance (research
  use), at SHRUNK_GAIN. **SHRUNK_GAIN was chosen on these two**, so their figures at it are
  tuning figures, not a held-out test;
- ``pop_street``: the Perfume idol dances and the AIST++ street slices, never used for training
  or for choosing anything: the independent check of SHRUNK_GAIN.

For each set and gap length the script prints the mean joint position error (cm) over the gap
frames, the foot skating ratio and the mean jerk (m/s^3) of slerp/lerp and of the model, each
with the model's ratio to slerp, and the real motion's own skating and jerk.

Deterministic: fixed seeds, one CPU thread layout, float32. Writes ``inbetweener.npz`` (the
``state_dict`` as float32 arrays, which the CPU runs in numpy) and ``inbetweener.json``
(architecture, normalisation, training files and their sha256, held-out figures).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.assess.motion_metrics import SKATE_SPEED
from inference.generate.assembly import LEARNED_KINDS
from inference.generate.inbetween import (
    CONTEXT,
    MAX_GAP,
    META_PATH,
    MIN_GAP,
    SHRUNK_GAIN,
    WEIGHTS_PATH,
    Inbetweener,
    envelope,
    fill_windows,
    load_inbetweener,
    network_input,
    relative_features,
    slerp_windows,
    window_features,
)
from inference.generate.inbetween_net import (
    N_FEATURES,
    NetConfig,
    build_network,
    canonical_offsets,
    positions_from_features,
)
from inference.motion import ground, load_motion, mirror
from inference.motion.feet import contacts_from_positions
from inference.motion.motion import CANONICAL_FPS, Motion, forward_kinematics_arrays
from inference.motion.resample import change_speed
from inference.motion.skeleton import CANONICAL, FOOT_JOINTS
from inference.numpy_nn import as_numpy_state

Array = NDArray[np.float64]

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
TRAIN_TAKES = ("60_01", "60_05", "61_01", "61_05")
HELDOUT_TAKES = ("60_13", "61_13")
EVAL_GAPS = (5, 10, 15, 20, 30)
BATCH = 64
SPEEDS = (0.5, 0.7, 1.0)
"""Playback speeds the salsa is also trained at: salsa is fast, most dance is slower."""
TANG_STRIDE = 45
"""Tang has 26 min of dance: every 1.5 s is plenty of windows."""
SEED = 0


def sha256(path: Path) -> str:
    """Hex digest of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def salsa(data: Path, takes: Sequence[str]) -> list[tuple[Path, Motion]]:
    """The CMU salsa takes on the canonical skeleton at 30 fps, grounded."""
    out = []
    for take in takes:
        path = data / "motion" / "cmu_salsa" / f"{take}_scaled.bvh"
        out.append((path, ground(load_motion(path, bone_lengths="canonical"))))
    return out


SET_KINDS = {
    "cmu_take13": ("cmu", "salsa"),
    "cmu_modern": ("cmu", "modern"),
    "bandai": ("bandai", "dance"),
    "tang": ("tang", "ballroom"),
    "pop_street": ("perfume+aist", "pop"),
}
"""The library (source, style) each evaluation set stands for (the generator's gain depends on
it)."""


def shipped_gain(dataset: str) -> float:
    """The residual gain the generator uses on seams of motion like ``dataset``'s.

    As :func:`inference.generate.assembly.chain` decides it: full between two units of
    :data:`LEARNED_KINDS`, :data:`SHRUNK_GAIN` for every other seam.
    """
    return 1.0 if SET_KINDS[dataset] in LEARNED_KINDS else SHRUNK_GAIN


def _grounded(paths: Sequence[Path]) -> list[Motion]:
    return [ground(load_motion(p, bone_lengths="canonical")) for p in paths]


def pop_street(data: Path) -> list[Motion]:
    """The Perfume idol dances and the AIST++ street slices (never used to choose anything)."""
    motion = data / "motion"
    return _grounded(
        sorted((motion / "perfume").glob("*.bvh"))
        + sorted((motion / "aistpp_slices").glob("*.csv"))
    )


def heldout_sets(data: Path, tang_limit: int | None = None) -> dict[str, list[Motion]]:
    """Motion the model never trained on, by set (see the module notes), grounded."""
    motion = data / "motion"
    tang = sorted((data / "motion_music" / "tang2018").glob("DANCE_*/skeletons.json"))
    return {
        "cmu_take13": [m for _, m in salsa(data, HELDOUT_TAKES)],
        "cmu_modern": _grounded(sorted((motion / "cmu_dance").glob("005_*.bvh"))),
        "bandai": _grounded([motion / "bandai_namco" / "dataset-1_dance-short_normal_001.bvh"]),
        "tang": _grounded(tang[:tang_limit]),
        "pop_street": pop_street(data),
    }


# ---------------------------------------------------------------------------- training


class Windows:
    """Random training windows from a set of motions (uniform over all valid starts)."""

    def __init__(self, motions: Sequence[Motion]) -> None:
        self.roots = [m.root_translation for m in motions]
        self.rots = [m.local_rotations for m in motions]

    def sample(self, rng: np.random.Generator, gap: int, n: int) -> tuple[Array, Array]:
        """(n, L, 3) roots and (n, L, J, 4) rotations of windows of ``2 * CONTEXT + gap``."""
        length = 2 * CONTEXT + gap
        sizes = np.array([r.shape[0] - length + 1 for r in self.roots])
        which = rng.choice(len(sizes), size=n, p=sizes / sizes.sum())
        starts = (rng.random(n) * sizes[which]).astype(np.int64)
        idx = starts[:, None] + np.arange(length)
        root = np.stack([self.roots[w][i] for w, i in zip(which, idx, strict=True)])
        rots = np.stack([self.rots[w][i] for w, i in zip(which, idx, strict=True)])
        return root, rots


def batch_arrays(
    root: Array, rots: Array, gap: int, mean: Array, std: Array
) -> tuple[Array, Array, Array]:
    """Network input, truth features and baseline features of a batch of windows."""
    truth, _, _ = window_features(root, rots, CONTEXT - 1)
    base_root, base_rots = slerp_windows(root, rots, gap)
    base, _, _ = window_features(base_root, base_rots, CONTEXT - 1)
    return network_input(base, gap, mean, std), truth, base


def train(
    motions: Sequence[Motion], steps: int, config: NetConfig, log_every: int = 250
) -> tuple[Any, Array, Array, list[float]]:
    """Train a network; returns it, the normalisation mean and std, and the loss log."""
    import torch

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    windows = Windows(motions)
    sample_root, sample_rots = windows.sample(rng, MAX_GAP, 4096)
    feats = window_features(sample_root, sample_rots, CONTEXT - 1)[0]
    rel = relative_features(feats, MAX_GAP)[0][:, :CONTEXT].reshape(-1, N_FEATURES)
    mean, std = np.zeros(N_FEATURES), np.maximum(np.sqrt(np.mean(rel * rel, axis=0)), 0.01)
    net = build_network(config)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps)
    offsets = canonical_offsets()
    std_t = torch.from_numpy(std.astype(np.float32))
    losses: list[float] = []
    net.train()
    for step in range(steps):
        gap = int(rng.integers(MIN_GAP, MAX_GAP + 1))
        root, rots = windows.sample(rng, gap, BATCH)
        x, truth, base = batch_arrays(root, rots, gap, mean, std)
        gap_slice = slice(CONTEXT, CONTEXT + gap)
        truth_t = torch.from_numpy(truth.astype(np.float32))
        base_t = torch.from_numpy(base.astype(np.float32))
        res = net(torch.from_numpy(x)).transpose(1, 2)
        pred = truth_t.clone()
        env = torch.from_numpy(envelope(gap).astype(np.float32))[None, :, None]
        pred[:, gap_slice] = base_t[:, gap_slice] + res[:, gap_slice] * std_t * env
        target_res = (truth_t[:, gap_slice] - base_t[:, gap_slice]) / std_t
        span = slice(CONTEXT - 1, CONTEXT + gap + 1)
        p_pred = positions_from_features(pred[:, span], offsets)
        p_true = positions_from_features(truth_t[:, span], offsets)
        loss = (
            (res[:, gap_slice] * env - target_res).abs().mean()
            + 10.0 * (p_pred - p_true).abs().mean()
            + 20.0 * (p_pred.diff(dim=1) - p_true.diff(dim=1)).abs().mean()
        )
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        sched.step()
        losses.append(float(loss.detach()))
        if log_every and (step + 1) % log_every == 0:
            print(f"  step {step + 1}/{steps}: loss {np.mean(losses[-log_every:]):.4f}", flush=True)
    net.eval()
    return net, mean, std, losses


# ---------------------------------------------------------------------------- evaluation


def _positions(root: Array, rots: Array) -> Array:
    flat = forward_kinematics_arrays(
        CANONICAL.parents, CANONICAL.offsets, root.reshape(-1, 3), rots.reshape(-1, *rots.shape[2:])
    )[0]
    return flat.reshape(*root.shape[:2], CANONICAL.n_joints, 3)


def _skating(pos: Array) -> tuple[int, int]:
    """(sliding contact frames, contact frames) over a batch of position windows (B, T, J, 3)."""
    slides = contacts = 0
    for p in pos:
        contact = contacts_from_positions(p, CANONICAL_FPS, 0.0, max_speed=None)[1:]
        for f, (a, t) in enumerate(FOOT_JOINTS.values()):
            mid = 0.5 * (p[:, a] + p[:, t])[:, [0, 2]]
            speed = np.linalg.norm(np.diff(mid, axis=0), axis=-1)
            contacts += int(contact[:, f].sum())
            slides += int((contact[:, f] & (speed > SKATE_SPEED)).sum())
    return slides, contacts


def _jerk(pos: Array) -> float:
    """Mean joint jerk magnitude (m/s^3) over a batch of position windows."""
    d3 = np.diff(pos, n=3, axis=1) * CANONICAL_FPS**3
    return float(np.linalg.norm(d3, axis=-1).mean())


def evaluate_gap(
    motions: Sequence[Motion],
    gap: int,
    model: Inbetweener | None,
    stride: int = 15,
    gain: float = 1.0,
) -> dict[str, float]:
    """Model-vs-slerp figures for one gap length over windows every ``stride`` frames.

    Returns mean joint position error over the gap frames (cm), foot skating ratio over the gap
    frames (and the step into it), and mean jerk from 2 frames before to 2 after the gap; the
    model runs at residual ``gain``.
    """
    length = 2 * CONTEXT + gap
    roots, rots = [], []
    for m in motions:
        for s in range(0, m.n_frames - length + 1, stride):
            roots.append(m.root_translation[s : s + length])
            rots.append(m.local_rotations[s : s + length])
    root, rot = np.stack(roots), np.stack(rots)
    truth = _positions(root, rot)
    out: dict[str, float] = {"windows": float(len(roots)), "gain": gain}
    span = slice(CONTEXT - 1, CONTEXT + gap + 1)
    jspan = slice(CONTEXT - 3, CONTEXT + gap + 3)
    for name, net in (("slerp", None), ("model", model)):
        if name == "model" and net is None:
            continue
        r, q, _ = fill_windows(root, rot, gap, net if net is not None else False, gain)
        fr, fq = root.copy(), rot.copy()
        fr[:, CONTEXT : CONTEXT + gap], fq[:, CONTEXT : CONTEXT + gap] = r, q
        pos = _positions(fr, fq)
        err = np.linalg.norm(pos - truth, axis=-1)[:, CONTEXT : CONTEXT + gap]
        out[f"mpjpe_cm_{name}"] = float(err.mean() * 100.0)
        slides, contacts = _skating(pos[:, span])
        out[f"skate_{name}"] = slides / max(contacts, 1)
        out[f"jerk_{name}"] = _jerk(pos[:, jspan])
    slides, contacts = _skating(truth[:, span])
    out["skate_real"] = slides / max(contacts, 1)
    out["jerk_real"] = _jerk(truth[:, jspan])
    return out


def stride(dataset: str) -> int:
    """Frames between evaluation windows of a held-out set."""
    return TANG_STRIDE if dataset == "tang" else 15


def evaluate(
    sets: dict[str, list[Motion]],
    model: Inbetweener | None,
    gaps: Sequence[int] = EVAL_GAPS,
    gain: float | None = None,
) -> dict[str, dict[str, dict[str, float]]]:
    """:func:`evaluate_gap` for every set and gap length, at ``gain`` or (None) as shipped."""
    return {
        name: {
            str(g): evaluate_gap(
                ms, g, model, stride(name), shipped_gain(name) if gain is None else gain
            )
            for g in gaps
        }
        for name, ms in sets.items()
    }


def _ratio(f: dict[str, float], measure: str) -> float:
    slerp = f[f"{measure}_slerp"]
    return f.get(f"{measure}_model", float("nan")) / slerp if slerp > 0 else float("nan")


def report(figures: dict[str, dict[str, dict[str, float]]]) -> str:
    """A printable table of :func:`evaluate`'s figures, with the model's ratios to slerp."""
    nan = float("nan")
    lines = [
        "in-betweening on motion never trained on (30 fps, 21 joints, 10 context frames a side)",
        f"  {'set':<11}{'gain':>5}{'gap':>4}{'windows':>8}  {'MPJPE cm: slerp':>15}{'model':>7}"
        f"{'ratio':>7}  {'skate: real':>11}{'slerp':>7}{'model':>7}{'ratio':>7}"
        f"  {'jerk m/s3: real':>15}{'slerp':>7}{'model':>7}{'ratio':>7}",
    ]
    for name, per_gap in figures.items():
        for gap, f in per_gap.items():
            lines.append(
                f"  {name:<11}{f.get('gain', 1.0):>5.2f}{gap:>4}{int(f['windows']):>8}"
                f"  {f['mpjpe_cm_slerp']:>15.2f}{f.get('mpjpe_cm_model', nan):>7.2f}"
                f"{_ratio(f, 'mpjpe_cm'):>7.2f}  {f['skate_real']:>11.3f}{f['skate_slerp']:>7.3f}"
                f"{f.get('skate_model', nan):>7.3f}{_ratio(f, 'skate'):>7.2f}"
                f"  {f['jerk_real']:>15.1f}{f['jerk_slerp']:>7.1f}{f.get('jerk_model', nan):>7.1f}"
                f"{_ratio(f, 'jerk'):>7.2f}"
            )
    return "\n".join(lines)


# ---------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH.parent)
    parser.add_argument("--eval-only", action="store_true", help="measure the shipped weights")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(2)
    weights, meta = args.out / WEIGHTS_PATH.name, args.out / META_PATH.name
    sets = heldout_sets(args.data)
    if args.eval_only:
        # Re-measure the weights with the current code, and keep the record beside them true.
        model = load_inbetweener(weights, meta, device="cpu")
        figures = evaluate(sets, model)
        print(report(figures))
        record = json.loads(meta.read_text())
        record["heldout"] = figures
        meta.write_text(json.dumps(record, indent=1))
        return 0
    train_files = salsa(args.data, TRAIN_TAKES)
    plain = [m for _, m in train_files] + [mirror(m) for _, m in train_files]
    motions = [change_speed(m, f) if f != 1.0 else m for f in SPEEDS for m in plain]
    config = NetConfig()
    started = time.perf_counter()
    frames = sum(m.n_frames for m in motions)
    print(f"training on {frames} frames (mirrored, at speeds {SPEEDS}), {args.steps} steps")
    net, mean, std, losses = train(motions, args.steps, config)
    seconds = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = weights.with_suffix(".tmp.npz")
    arrays: dict[str, Any] = dict(as_numpy_state(net.state_dict()))
    np.savez(tmp, **arrays)
    tmp.replace(weights)
    n_params = sum(p.numel() for p in net.parameters())
    doc: dict[str, Any] = {
        "format_version": 1,
        "what": "EightCount neural in-betweener, a residual over slerp (inference/generate)",
        "architecture": config.to_json(),
        "parameters": int(n_params),
        "context": CONTEXT,
        "gaps": [MIN_GAP, MAX_GAP],
        "fps": CANONICAL_FPS,
        "n_features": N_FEATURES,
        "normalisation": {"mean": mean.tolist(), "std": std.tolist()},
        "training": {
            "files": {p.name: sha256(p) for p, _ in train_files},
            "augmentation": f"mirror, playback speeds {list(SPEEDS)}",
            "steps": args.steps,
            "batch": BATCH,
            "seed": SEED,
            "seconds": round(seconds, 1),
            "final_loss": float(np.mean(losses[-100:])),
            "licence": "CMU mocap (mocap.cs.cmu.edu): free for research and commercial use",
        },
    }
    meta.write_text(json.dumps(doc, indent=1))
    from inference.generate.inbetween import _LOADED

    _LOADED.clear()
    model = load_inbetweener(weights, meta, device="cpu")
    assert model is not None
    figures = evaluate(sets, model)
    doc["heldout"] = figures
    meta.write_text(json.dumps(doc, indent=1))
    size = weights.stat().st_size / 1e6
    print(f"trained in {seconds:.0f} s, {n_params} parameters, {size:.2f} MB")
    print(report(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
