"""Neural in-betweener: held-out reconstruction against slerp/lerp, and its speed.

Run: ``python tests/benchmarks/bench_inbetweener.py``. Prints, measured in this run with the
shipped weights (``resources/models/inbetweener.pt``) on motion the model never saw (CMU salsa
take 13 pair, the Bandai Namco dance, all 22 Tang 2018 dances), per gap length: the mean joint
position error over the gap (cm) of slerp and of the model and their ratio, the foot skating
ratio and the mean jerk of the real motion, slerp and the model; then the time to fill a batch
of 200 seams of 9 frames (the generator's case) on the chosen device.

It asserts nothing about time.
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
    evaluate,
    heldout_sets,
    report,
)

DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    started = time.perf_counter()
    model = load_inbetweener()
    if model is None:
        print("the in-betweener did not load: see the warning above")
        return
    print(f"model loaded in {time.perf_counter() - started:.2f} s on {model.device}")
    sets = heldout_sets(DATA)
    print(report(evaluate(sets, model)))
    motion = sets["bandai"][0]
    gap = 9
    starts = np.linspace(0, motion.n_frames - 2 * CONTEXT - gap - 1, 200).astype(int)
    idx = starts[:, None] + np.arange(2 * CONTEXT + gap)
    root, rots = motion.root_translation[idx], motion.local_rotations[idx]
    for method in (False, model):
        fill_windows(root, rots, gap, method)
        clock = time.perf_counter()
        for _ in range(5):
            fill_windows(root, rots, gap, method)
        per = (time.perf_counter() - clock) / 5
        print(f"  200 seams of {gap} frames, {'model' if method else 'slerp'}: {per * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
