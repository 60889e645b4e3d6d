"""Style classifier: held-out figures against a nearest-centroid baseline, and few-shot styles.

Run: ``python tests/benchmarks/bench_style.py [--model-dir resources/models]``. Measured in this
run, on the ``test`` files of :mod:`inference.style.dataset` (split by file and by performance;
never read by the training script, which tuned on the ``val`` files only):

1. per file: the true class, the model's forced label (argmax of the mean window probability)
   and its calibrated label (a style, "mixed" or "unknown"), and the baseline's label;
2. for the model and the baseline (nearest centroid on standardised AIST++ kinetic features of
   the same 2-s windows, centroids from the training files): accuracy over files and over
   windows, per-class recall and the window confusion matrix;
3. how often the calibrated rule withholds a label on the test windows, and how precise the
   labels it gives are;
4. the probes: real dances of no trained class (Perfume, Gangnam Style, capoeira, ...);
5. few-shot user styles: each of the five authored K-pop families tagged on 3 moves, the other
   moves classified among all styles; and Perfume's three test captures tagged, its two-member
   routine classified.

It asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inference.generate.vocabulary import FAMILIES  # noqa: E402
from inference.motion import drop_leading_tpose, load_motion  # noqa: E402
from inference.style.classify import MIXED, UNKNOWN, classify_motion  # noqa: E402
from inference.style.dataset import PROBES, STYLES, authored_clips, files  # noqa: E402
from inference.style.evaluation import (  # noqa: E402
    NearestCentroid,
    confusion,
    kinetic_windows,
    majority,
    recalls,
)
from inference.style.features import (  # noqa: E402
    cut_windows,
    fit_length,
    scaled_positions,
    window_starts,
)
from inference.style.model import META_PATH, WEIGHTS_PATH, StyleModel, load_style_model  # noqa: E402
from inference.style.user_styles import make_user_style  # noqa: E402
from inference.training.train_style_classifier import EVAL_HOP, load_positions  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SHORT = {s: s.split("/")[0][:8] for s in STYLES}


def position_windows(path_positions: np.ndarray) -> np.ndarray:
    """The (N, 60, J, 3) windows (hop 15) the model and the baseline both see."""
    pos = fit_length(path_positions)
    return cut_windows(pos, window_starts(pos.shape[0], EVAL_HOP))


def print_matrix(title: str, matrix: np.ndarray) -> None:
    print(f"\n{title} (rows: true class, columns: predicted; windows)")
    print(" " * 16 + "".join(f"{SHORT[s]:>9}" for s in STYLES))
    for s, row in zip(STYLES, matrix, strict=True):
        print(f"{s:>16}" + "".join(f"{v:9d}" for v in row))


def print_figures(name: str, truth_files: list[int], pred_files: list[int],
                  truth_w: np.ndarray, pred_w: np.ndarray) -> None:  # fmt: skip
    k = len(STYLES)
    file_acc = np.mean(np.asarray(truth_files) == np.asarray(pred_files))
    win_acc = np.mean(truth_w == pred_w)
    r_files = recalls(confusion(truth_files, pred_files, k))
    matrix = confusion(truth_w, pred_w, k)
    r_win = recalls(matrix)
    print(f"\n{name}: file accuracy {file_acc:.3f} ({np.sum(np.asarray(truth_files) == pred_files)}"
          f"/{len(truth_files)}), window accuracy {win_acc:.3f}, balanced window accuracy "
          f"{np.nanmean(r_win):.3f}")  # fmt: skip
    for s, rf, rw in zip(STYLES, r_files, r_win, strict=True):
        print(f"  recall {s:>16}: files {rf:.2f}  windows {rw:.2f}")
    print_matrix(f"{name} confusion", matrix)


def held_out(model: StyleModel) -> None:
    started = time.perf_counter()
    train = [(f, load_positions(DATA, f)) for f in files("train")]
    base_x, base_y = [], []
    for f, pos in train:
        w = position_windows(pos)
        base_x.append(kinetic_windows(w))
        base_y += [STYLES.index(f.style)] * len(w)
    baseline = NearestCentroid(np.concatenate(base_x), np.asarray(base_y), len(STYLES))
    print(
        f"baseline fitted on {len(base_y)} training windows ({time.perf_counter() - started:.0f} s)"
    )

    truth_f, model_f, base_f = [], [], []
    truth_w, model_w, base_w, labels_w = [], [], [], []
    print(f"\n{'test file':<44}{'true':>16}{'model':>16}{'calibrated':>16}{'baseline':>16}")
    for f in files("test"):
        motion = drop_leading_tpose(load_motion(DATA / f.path))
        windows = position_windows(scaled_positions(motion, f.path))
        result = classify_motion(motion, model, source=f.name, hop=EVAL_HOP)
        probs = np.array([[w.probabilities[s] for s in STYLES] for w in result.windows])
        forced = STYLES[int(np.argmax(probs.mean(axis=0)))]
        base = baseline.predict(kinetic_windows(windows))
        c = STYLES.index(f.style)
        truth_f.append(c)
        model_f.append(STYLES.index(forced))
        base_f.append(majority(base, len(STYLES)))
        n = min(len(probs), len(base))
        truth_w += [c] * n
        model_w += list(np.argmax(probs[:n], axis=1))
        base_w += list(base[:n])
        labels_w += [w.style for w in result.windows[:n]]
        print(f"{f.name[:43]:<44}{f.style:>16}{forced:>16}{result.style:>16}"
              f"{STYLES[base_f[-1]]:>16}")  # fmt: skip
    tw = np.asarray(truth_w)
    print_figures("MODEL (forced label)", truth_f, model_f, tw, np.asarray(model_w))
    print_figures("BASELINE (nearest centroid, kinetic features)", truth_f, base_f, tw,
                  np.asarray(base_w))  # fmt: skip

    labelled = np.array([s not in (MIXED, UNKNOWN) for s in labels_w])
    right = np.array([s == STYLES[t] for s, t in zip(labels_w, truth_w, strict=True)])
    mixed = np.mean([s == MIXED for s in labels_w])
    unknown = np.mean([s == UNKNOWN for s in labels_w])
    precision = right[labelled].mean()
    print(f"\ncalibrated labels on test windows: {labelled.mean():.1%} labelled (precision "
          f"{precision:.3f}), {mixed:.1%} mixed, {unknown:.1%} unknown")  # fmt: skip
    print(f"held-out evaluation took {time.perf_counter() - started:.0f} s")


def probes(model: StyleModel) -> None:
    print(f"\nprobes (no trained class):\n{'file':<40}{'what':>24}{'clip':>16}  top-2 p, "
          "share of windows unknown / mixed")  # fmt: skip
    for path, what in PROBES:
        result = classify_motion(load_motion(DATA / path), model, source=Path(path).name)
        top = sorted(result.probabilities.items(), key=lambda kv: -kv[1])[:2]
        unknown = np.mean([w.style == UNKNOWN for w in result.windows])
        mixed = np.mean([w.style == MIXED for w in result.windows])
        shown = ", ".join(f"{s} {p:.2f}" for s, p in top)
        print(f"{Path(path).stem[:39]:<40}{what:>24}{result.style:>16}  {shown}; "
              f"{unknown:.0%} / {mixed:.0%}")  # fmt: skip


def few_shot(model: StyleModel) -> None:
    clips = {family: authored_clips(family) for family in FAMILIES}
    styles = [make_user_style(model, f, [m for _, m in clips[f][:3]]) for f in FAMILIES]
    total = right = 0
    print("\nfew-shot: 5 authored families, 3 tagged moves each; the others classified among "
          "the 6 trained classes and the 5 user styles")  # fmt: skip
    for family in FAMILIES:
        got = [classify_motion(m, model, styles, source=n).style for n, m in clips[family][3:]]
        hits = sum(g == family for g in got)
        total += len(got)
        right += hits
        print(f"  {family:>11}: {hits}/{len(got)}  ({', '.join(got)})")
    print(f"  overall {right}/{total} = {right / total:.2f} (chance among 11 styles: 0.09)")

    perfume = DATA / "motion" / "perfume"
    tagged = [load_motion(perfume / f"{x}_test.bvh") for x in "ABC"]
    idol = make_user_style(model, "pop/idol", tagged)
    print("\nfew-shot: Perfume A/B/C_test tagged 'pop/idol' (tests only: Perfume never ships)")
    for name in ("aachan", "kashiyuka"):
        r = classify_motion(load_motion(perfume / f"{name}.bvh"), model, [idol], source=name)
        share = np.mean([w.style == "pop/idol" for w in r.windows])
        print(f"  {name}: {r.style} (p {r.probabilities['pop/idol']:.2f}; {share:.0%} of windows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=WEIGHTS_PATH.parent)
    args = parser.parse_args()
    model = load_style_model(args.model_dir / WEIGHTS_PATH.name, args.model_dir / META_PATH.name)
    print(f"model on {model.device}; classes {', '.join(model.styles)}; {model.calibration}")
    held_out(model)
    probes(model)
    few_shot(model)


if __name__ == "__main__":
    main()
