"""Time from process start to the studio window shown, next to a bare Qt window.

Run: python tests/benchmarks/bench_startup.py [runs]
Prints the median of each and their ratio, measured in the same run. Asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from startup_probe import bare_qt_command, measure, studio_command


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    measure(studio_command())  # warm the disk cache and .pyc files once
    studio = [measure(studio_command()) for _ in range(runs)]
    bare = [measure(bare_qt_command()) for _ in range(runs)]
    ours = statistics.median(r.seconds_to_window for r in studio)
    baseline = statistics.median(r.seconds_to_window for r in bare)
    print(f"start-up to window shown, median of {runs} runs")
    heavy = sorted({m for r in studio for m in r.heavy_modules}) or "none"
    print(f"  EightCount Studio : {ours:6.3f} s   (heavy libraries loaded: {heavy})")
    print(f"  bare Qt window    : {baseline:6.3f} s")
    print(f"  ratio ours / bare : {ours / baseline:6.2f}x")


if __name__ == "__main__":
    main()
