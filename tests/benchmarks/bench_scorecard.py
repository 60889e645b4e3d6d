"""How long the scorecard takes to rerun after an edit, against the generation it follows.

    .venv/bin/python tests/benchmarks/bench_scorecard.py

Demo song, default settings: the routine is generated once, then scored three times (the
first run loads torch and the style model; the studio pays that once). Prints seconds and the
ratio to one generation; asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from inference.assess.scorecard_card import scorecard_job
from inference.audio import analyze_song
from inference.generate import GenerationParams, generate_routine_job
from inference.jobs import run_job
from inference.paths import DEMO_SONG


def main() -> None:
    analysis = analyze_song(DEMO_SONG)
    started = time.perf_counter()
    motion = run_job(generate_routine_job(analysis, GenerationParams())).motion
    generation = time.perf_counter() - started
    print(f"generation: {generation:.2f} s ({motion.n_frames} frames, {len(analysis.parts)} parts)")
    for with_style in (True, True, True, False):
        started = time.perf_counter()
        run_job(scorecard_job(motion, analysis, with_style=with_style))
        took = time.perf_counter() - started
        label = "with style" if with_style else "without style"
        print(f"scorecard {label}: {took:.2f} s = {took / generation:.2f} x one generation")


if __name__ == "__main__":
    main()
