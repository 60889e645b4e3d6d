"""Train the style classifier on licence-clean real dance, calibrate it, and write the weights.

Usage::

    python -m inference.training.train_style_classifier [--data ../shared/data] [--steps 800]
        [--out resources/models]

Data: the ``train`` files of :mod:`inference.style.dataset` (CMU, AIST++, Mixamo and Tang only;
the script refuses any other source), each also mirrored and played at 0.9 and 1.1 speed.
Every training batch draws its classes evenly (Tang alone has more dance than all the rest).
A second, training-only head learns which performance each window comes from, so the embedding
keeps what tells two dances of one class apart (what few-shot user styles need). The ``val``
files choose the step to keep (the best balanced window accuracy), the logit scale (least
negative log-likelihood, at most :data:`MAX_SCALE`), the confidence threshold (the lowest at
which the windows that get a label are right at least :data:`TARGET_PRECISION` of the time)
and the familiarity floor (:data:`FAMILIAR_QUANTILE` of the validation windows' best
similarity). The ``test`` files are never read here: ``tests/benchmarks/bench_style.py``
measures on them.

Deterministic on one machine: fixed seeds, float32, one CPU thread by default. Writes
``style_classifier.pt`` (a ``state_dict`` for ``torch.load(weights_only=True)``) and
``style_classifier.json`` (architecture, normalisation, classes, calibration, the files it
learnt from with their sha256, and the validation figures).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.motion import drop_leading_tpose, load_motion
from inference.motion.resample import change_speed
from inference.style.classify import probabilities_of
from inference.style.dataset import SHIPPABLE_SOURCES, STYLES, LabelledFile, files
from inference.style.evaluation import balanced_accuracy
from inference.style.features import (
    N_CHANNELS,
    WINDOW,
    cut_windows,
    fit_length,
    mirror_positions,
    scaled_positions,
    window_features,
    window_starts,
)
from inference.style.model import META_FORMAT, META_PATH, META_VERSION, WEIGHTS_PATH, Calibration
from inference.style.network import NetConfig, build_network

Array = NDArray[np.float64]

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SPEEDS = (0.9, 1.0, 1.1)
BATCH = 64
EVAL_EVERY = 100
EVAL_HOP = 15
TRAIN_SCALE = 10.0
"""Logit scale while training (cosine similarities are in -1..1)."""
PERFORMANCE_WEIGHT = 0.5
"""Weight of the which-performance loss beside the style loss."""
MAX_SCALE = 30.0
"""The largest logit scale calibration may pick (3x the training scale): validation windows
that the model separates perfectly would otherwise drive the scale to infinity and every
probability to 0 or 1."""
TARGET_PRECISION = 0.9
FAMILIAR_QUANTILE = 0.05
SEED = 0


def sha256(path: Path) -> str:
    """Hex digest of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True, eq=False)
class Loaded:
    """One labelled file's scaled positions at each training speed (and mirrored)."""

    file: LabelledFile
    speeds: tuple[float, ...]
    positions: tuple[Array, ...]
    """At each of ``speeds``, then the same mirrored; each at least a window long."""


def load_positions(data: Path, file: LabelledFile) -> Array:
    """Scaled canonical positions (T, J, 3) of one labelled file, its leading T-pose dropped."""
    return scaled_positions(drop_leading_tpose(load_motion(data / file.path)), file.path)


def load_training(data: Path, split: str, speeds: Sequence[float]) -> list[Loaded]:
    """The files of ``split``, checked to be licence-clean, loaded at each speed."""
    out = []
    for file in files(split):
        if file.source not in SHIPPABLE_SOURCES:
            raise SystemExit(f"{file.path}: source {file.source!r} may not train shipped weights")
        motion = drop_leading_tpose(load_motion(data / file.path))
        versions = [scaled_positions(change_speed(motion, s), file.path, 2) for s in speeds]
        versions += [mirror_positions(v) for v in versions]
        out.append(Loaded(file, tuple(speeds), tuple(fit_length(v) for v in versions)))
    return out


def eval_windows(loaded: Sequence[Loaded]) -> tuple[Array, NDArray[np.int64]]:
    """Features and labels of every window (hop :data:`EVAL_HOP`) at speed 1, unmirrored."""
    feats, labels = [], []
    for item in loaded:
        pos = item.positions[item.speeds.index(1.0)]
        starts = window_starts(pos.shape[0], EVAL_HOP)
        feats.append(window_features(cut_windows(pos, starts)))
        labels += [STYLES.index(item.file.style)] * len(starts)
    return np.concatenate(feats), np.asarray(labels, dtype=np.int64)


class Sampler:
    """Batches with classes drawn evenly, files by the square root of their length.

    Each window is labelled with its class and with its performance (:attr:`groups`).
    """

    def __init__(self, loaded: Sequence[Loaded], rng: np.random.Generator) -> None:
        self.rng = rng
        self.groups = sorted({x.file.group for x in loaded})
        self.by_class = [[x for x in loaded if x.file.style == s] for s in STYLES]
        self.weights = []
        for items in self.by_class:
            w = np.sqrt([x.positions[0].shape[0] for x in items])
            self.weights.append(w / w.sum() if len(items) else w)

    def batch(self, n: int) -> tuple[Array, NDArray[np.int64], NDArray[np.int64]]:
        """(n, N_CHANNELS, WINDOW) features, (n,) class labels and (n,) performance labels."""
        present = [c for c, items in enumerate(self.by_class) if items]
        labels = self.rng.choice(present, size=n)
        windows, groups = [], []
        for c in labels:
            items = self.by_class[c]
            item = items[self.rng.choice(len(items), p=self.weights[c])]
            groups.append(self.groups.index(item.file.group))
            pos = item.positions[self.rng.integers(len(item.positions))]
            start = self.rng.integers(pos.shape[0] - WINDOW + 1)
            windows.append(pos[start : start + WINDOW])
        return window_features(np.stack(windows)), labels.astype(np.int64), np.asarray(groups)


def normalisation(loaded: Sequence[Loaded]) -> tuple[Array, Array]:
    """Per-channel mean and std over the training windows at speed 1 (std floored at 1e-2)."""
    feats, _ = eval_windows(loaded)
    return feats.mean(axis=(0, 2)), np.maximum(feats.std(axis=(0, 2)), 1e-2)


def similarities(network: Any, x: Array) -> tuple[Array, Array]:
    """(N, K) cosine similarities and (N, E) embeddings of normalised features ``x``."""
    import torch

    network.eval()
    with torch.inference_mode():
        emb = network.embed(torch.from_numpy(x.astype(np.float32)))
        vec = torch.nn.functional.normalize(network.classes, dim=-1)
        sims = (emb @ vec.T).numpy().astype(np.float64)
    network.train()
    return sims, emb.numpy().astype(np.float64)


def train(
    loaded: Sequence[Loaded],
    norm: tuple[Array, Array],
    val_x: Array,
    val_y: NDArray[np.int64],
    steps: int,
    config: NetConfig,
) -> tuple[Any, dict[str, Any]]:
    """Train; keep the state with the best balanced validation accuracy."""
    import torch

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    network = build_network(config)
    sampler = Sampler(loaded, rng)
    # Which performance a window comes from: a second cosine head, used only in training. It
    # keeps in the embedding what tells two dances of one class apart, which is what a
    # user's own style (a prototype among the trained ones) needs.
    performances = torch.nn.Parameter(torch.randn(len(sampler.groups), config.embed))
    params = [*network.parameters(), performances]
    opt = torch.optim.AdamW(params, lr=2e-3, weight_decay=1e-2)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps)
    mean, std = norm
    best: tuple[float, int, dict[str, Any]] = (-1.0, 0, {})
    history = []
    started = time.perf_counter()
    for step in range(1, steps + 1):
        x, y, g = sampler.batch(BATCH)
        x = (x - mean[:, None]) / std[:, None]
        x = x + rng.normal(0.0, 0.05, x.shape)
        emb = network.embed(torch.from_numpy(x.astype(np.float32)))
        ce = torch.nn.functional.cross_entropy
        logits = TRAIN_SCALE * emb @ torch.nn.functional.normalize(network.classes, dim=-1).T
        loss: Any = ce(logits, torch.from_numpy(y), label_smoothing=0.1)
        inst = TRAIN_SCALE * emb @ torch.nn.functional.normalize(performances, dim=-1).T
        loss = loss + PERFORMANCE_WEIGHT * ce(inst, torch.from_numpy(g), label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % EVAL_EVERY == 0 or step == steps:
            sims, _ = similarities(network, val_x)
            score = balanced_accuracy(val_y, sims.argmax(axis=1), len(STYLES))
            history.append((step, round(loss.item(), 4), round(score, 4)))
            print(f"  step {step:5d}  loss {loss.item():.3f}  val balanced acc {score:.3f}"
                  f"  ({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip
            if score >= best[0]:  # on a tie the later, better-trained step
                state = {k: v.detach().clone() for k, v in network.state_dict().items()}
                best = (score, step, state)
    network.load_state_dict(best[2])
    network.eval()
    return network, {"best_step": best[1], "val_balanced_accuracy": best[0], "history": history}


def calibrate(sims: Array, labels: NDArray[np.int64]) -> Calibration:
    """Scale, threshold and familiarity floor from validation similarities (module notes)."""
    scales = np.geomspace(2.0, MAX_SCALE, 60)
    nll = [-np.log(probabilities_of(sims, s)[np.arange(len(labels)), labels] + 1e-12).mean()
           for s in scales]  # fmt: skip
    scale = float(scales[int(np.argmin(nll))])
    probs = probabilities_of(sims, scale)
    top, right = probs.max(axis=1), probs.argmax(axis=1) == labels
    threshold = 0.95
    for t in np.arange(0.3, 0.951, 0.01):
        if right[top >= t].mean() >= TARGET_PRECISION:
            threshold = float(t)
            break
    floor = float(np.quantile(sims.max(axis=1), FAMILIAR_QUANTILE))
    return Calibration(round(scale, 4), round(threshold, 3), round(floor, 4))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH.parent)
    parser.add_argument(
        "--threads", type=int, default=1, help="torch CPU threads (1 is fastest on a busy machine)"
    )
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)

    started = time.perf_counter()
    train_set = load_training(args.data, "train", SPEEDS)
    val_set = load_training(args.data, "val", (1.0,))
    print(f"loaded {len(train_set)} training and {len(val_set)} validation files "
          f"({time.perf_counter() - started:.0f} s)")  # fmt: skip
    mean, std = normalisation(train_set)
    val_x, val_y = eval_windows(val_set)
    val_x = (val_x - mean[:, None]) / std[:, None]
    config = NetConfig(N_CHANNELS, len(STYLES))
    network, report = train(train_set, (mean, std), val_x, val_y, args.steps, config)
    sims, _ = similarities(network, val_x)
    calibration = calibrate(sims, val_y)
    report["calibration"] = calibration.to_json()
    print(f"calibration on validation windows: {calibration}")

    args.out.mkdir(parents=True, exist_ok=True)
    weights = args.out / WEIGHTS_PATH.name
    torch.save(network.state_dict(), weights)
    doc = {
        "format": META_FORMAT,
        "format_version": META_VERSION,
        "window": WINDOW,
        "n_channels": N_CHANNELS,
        "styles": list(STYLES),
        "architecture": config.to_json(),
        "mean": np.round(mean, 6).tolist(),
        "std": np.round(std, 6).tolist(),
        "calibration": calibration.to_json(),
        "trained_on": [_described(args.data, x.file) for x in train_set],
        "calibrated_on": [_described(args.data, x.file) for x in val_set],
        "augmentation": {"speeds": list(SPEEDS), "mirrored": True},
        "training": report,
        "seconds": round(time.perf_counter() - started, 1),
    }
    (args.out / META_PATH.name).write_text(json.dumps(doc, indent=1))
    print(f"wrote {weights} ({weights.stat().st_size / 1e6:.2f} MB) in {doc['seconds']} s")
    return 0


def _described(data: Path, file: LabelledFile) -> dict[str, str]:
    return {"path": file.path, "style": file.style, "source": file.source,
            "sha256": sha256(data / file.path)}  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
