"""Neural in-betweener: reconstruction against slerp/lerp at the gains the generator ships.

Run: ``python tests/benchmarks/bench_inbetweener.py``. Measured in this run with the shipped
weights (``resources/models/inbetweener.npz``) on motion the model never trained on (the sets of
:func:`inference.training.train_inbetweener.heldout_sets`), it prints:

1. per set and gap length, at the residual gain the generator uses on such motion (1 between
   two CMU units, ``SHRUNK_GAIN`` elsewhere): the mean joint position error over the gap (cm),
   the foot skating ratio and the mean jerk, of slerp and of the model, with the model's ratio
   to slerp for each (below 1: the model is better; for jerk, compare with the real motion's);
2. a scan of the gain at the generator's seam (9 frames) on the two sets where the gain was
   never chosen: ``pop_street`` (Perfume, AIST++) and ``cmu_modern`` (CMU subject 05);
3. the time to fill a batch of 200 seams of 9 frames (the generator's case) on the device.

Gap 9 is the generator's transition (``assembly.INBETWEEN_HALF`` = 4 samples a side), in
beat-time samples: 9 frames at 30 fps at 120 BPM. It asserts nothing about time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inference.generate.inbetween import CONTEXT, fill_windows, load_inbetweener  # noqa: E402
from inference.training.train_inbetweener import (  # noqa: E402
    EVAL_GAPS,
    evaluate,
    heldout_sets,
    report,
    shipped_gain,
)

DATA = ROOT.parent / "shared" / "data"
SEAM = 9
GAPS = tuple(sorted({*EVAL_GAPS, SEAM}))
SCAN_GAINS = (0.0, 0.125, 0.25, 0.5, 1.0)
SCAN_SETS = ("pop_street", "cmu_modern")


def gain_scan(sets: dict[str, list], model: object) -> str:
    lines = [
        f"gain scan at the generator's seam ({SEAM} frames): model / slerp "
        "(MPJPE, skating, jerk; * = shipped gain)"
    ]
    for name in SCAN_SETS:
        cells = []
        for gain in SCAN_GAINS:
            f = evaluate({name: sets[name]}, model, (SEAM,), gain)[name][str(SEAM)]  # type: ignore[arg-type]
            mark = "*" if gain == shipped_gain(name) else " "
            cells.append(
                f"{gain:.3f}{mark} {f['mpjpe_cm_model'] / f['mpjpe_cm_slerp']:.3f}"
                f" {f['skate_model'] / max(f['skate_slerp'], 1e-9):.2f}"
                f" {f['jerk_model'] / f['jerk_slerp']:.2f}"
            )
        lines.append(f"  {name:<11}" + "  |  ".join(cells))
    return "\n".join(lines)


def main() -> None:
    started = time.perf_counter()
    model = load_inbetweener()
    if model is None:
        print("the in-betweener did not load: see the warning above")
        return
    print(f"model loaded in {time.perf_counter() - started:.2f} s on {model.device}")
    sets = heldout_sets(DATA)
    print(report(evaluate(sets, model, GAPS)))
    print(gain_scan(sets, model))
    motion = sets["bandai"][0]
    starts = np.linspace(0, motion.n_frames - 2 * CONTEXT - SEAM - 1, 200).astype(int)
    idx = starts[:, None] + np.arange(2 * CONTEXT + SEAM)
    root, rots = motion.root_translation[idx], motion.local_rotations[idx]
    for method in (False, model):
        fill_windows(root, rots, SEAM, method)
        clock = time.perf_counter()
        for _ in range(5):
            fill_windows(root, rots, SEAM, method)
        per = (time.perf_counter() - clock) / 5
        print(f"  200 seams of {SEAM} frames, {'model' if method else 'slerp'}: {per * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
