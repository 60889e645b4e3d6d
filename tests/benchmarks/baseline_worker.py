"""Generate routines with the code and library of an old commit (run inside its tree).

``bench_realism.py`` extracts commit 9d9213a with ``git archive`` and runs this file with
``PYTHONPATH`` set to that tree, so ``inference`` here is the old generator, whatever today's
code does. Usage: ``python baseline_worker.py JOBS.json``; each job is
``{"song", "setting", "warp", "out", "regen"}`` and writes an ``.npz`` with the motion
(``root``, ``rotations``, ``fps``), ``units``, ``seconds`` and, with ``regen``, the seconds of
five one-part regenerations (``regen``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np


def main(jobs_path: str) -> None:
    import inference
    from inference.audio import NoBeatError, analyze_song
    from inference.generate import GenerationParams, generate_routine_job
    from inference.jobs import run_job

    print(f"baseline worker: inference from {Path(inference.__file__).parent}", flush=True)
    analyses = {}
    for job in json.loads(Path(jobs_path).read_text()):
        song = job["song"]
        if song not in analyses:
            try:
                analyses[song] = analyze_song(song)
            except NoBeatError:  # the benchmark skips this song too: no routine is asked for
                analyses[song] = None
        analysis = analyses[song]
        if analysis is None:
            continue
        params = GenerationParams(seed=job["seed"], **job["setting"])
        result = run_job(generate_routine_job(analysis, params, beat_warp=job["warp"]))
        regen = []
        if job["regen"]:
            for part in analysis.parts[3:8]:
                started = time.perf_counter()
                run_job(generate_routine_job(analysis, params, previous=result,
                                             regenerate_range=(part.start, part.end)))  # fmt: skip
                regen.append(time.perf_counter() - started)
        m = result.motion
        np.savez(job["out"], root=m.root_translation, rotations=m.local_rotations, fps=m.fps,
                 units=np.array(result.unit_names, dtype=str), seconds=result.seconds,
                 regen=np.array(regen))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1])
