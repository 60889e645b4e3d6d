"""Routine generation: speed (x real time, one-part regeneration) and beat/foot figures beside
real dance. Not a verdict on how the dance looks: BAS is built in by the beat warp; see
``bench_realism.py`` for body use and FID.

Run: ``python tests/benchmarks/bench_generate.py [--all]``. Prints, measured in this run:

* speed: a whole routine for a Tang song (about 3.5 min with --all's longest, else the longest
  of the subset) as x real time, first run (library load included) and warm; one-part
  regeneration in seconds;
* per song: BAS, PFC, foot skating (%), NaN frames and joint-limit violations for
  ours, the real Tang mocap on its own song (its frames cover song frames
  start_position..end_position at 25 fps), and a naive baseline (random units, resampled to the
  song's tempo, joined by ``inference.motion.concatenate``), all by
  :func:`inference.assess.scorecard.dance_metrics` at 30 fps.

Seams are in-betweened by the neural model when its weights load; run with
``EIGHTCOUNT_INBETWEENER=slerp`` to measure the slerp-spread seams instead (before/after).

It asserts nothing about time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inference.assess.scorecard import dance_metrics, tang_offset  # noqa: E402
from inference.audio import NoBeatError, SongAnalysis, analyze_song  # noqa: E402
from inference.generate import GenerationParams, generate_routine_job, load_library  # noqa: E402
from inference.jobs import run_job  # noqa: E402
from inference.motion import Motion, concatenate, ground, load_motion  # noqa: E402
from inference.motion.motion import CANONICAL_FPS  # noqa: E402
from inference.motion.resample import change_speed  # noqa: E402
from inference.motion.skeleton import CANONICAL  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
TANG = DATA / "motion_music" / "tang2018"
SUBSET = ("DANCE_C_2", "DANCE_R_3", "DANCE_T_5", "DANCE_W_1", "DANCE_W_10")
KEYS = ("bas", "pfc", "foot_skating", "nan_frames", "limit_violations")


def naive(analysis: SongAnalysis, seed: int = 0) -> Motion:
    """Random units at the song's tempo, concatenated with blends; no planning, no alignment."""
    library = load_library()
    rng = np.random.default_rng(seed)
    speed = analysis.tempo_bpm / 120.0
    motion: Motion | None = None
    target = int(analysis.duration * CANONICAL_FPS) + 1
    while motion is None or motion.n_frames < target:
        unit = library.units[int(rng.integers(len(library.units)))]
        root, rots = library.unit_samples(unit)
        piece = change_speed(Motion(CANONICAL, CANONICAL_FPS, root, rots), speed)
        motion = piece if motion is None else concatenate(motion, piece)
    return ground(motion.with_(root_translation=motion.root_translation[:target],
                               local_rotations=motion.local_rotations[:target]))  # fmt: skip


def row(name: str, metrics: dict[str, float]) -> str:
    return f"  {name:<8}" + "".join(f"{metrics[k]:>14.3f}" for k in KEYS)


def main() -> None:
    dances = sorted(p.name for p in TANG.glob("DANCE_*")) if "--all" in sys.argv else SUBSET
    print("figures (30 fps, 21 joints)     " + "".join(f"{k:>14}" for k in KEYS))
    totals: dict[str, list[dict[str, float]]] = {"ours": [], "real": [], "naive": []}
    longest: tuple[float, SongAnalysis] | None = None
    songs = [TANG / d / "audio.mp3" for d in dances] + sorted((DATA / "audio").glob("*.ogg"))
    for song in songs:
        try:
            analysis = analyze_song(song)
        except NoBeatError:
            print(f"{song.parent.name}: skipped, the beat tracker finds no steady beat")
            continue
        if longest is None or analysis.duration > longest[0]:
            longest = (analysis.duration, analysis)
        label = song.parent.name if song.name == "audio.mp3" else song.stem[:28]
        print(f"{label} ({analysis.duration:.0f} s, {analysis.tempo_bpm:.0f} BPM)")
        ours = run_job(generate_routine_job(analysis, GenerationParams()))
        results = {"ours": dance_metrics(ours.motion, analysis.grid.beats, analysis.parts)}
        if song.name == "audio.mp3":
            path = song.parent / "skeletons.json"
            results["real"] = dance_metrics(
                load_motion(path), analysis.grid.beats, analysis.parts, tang_offset(path)
            )
        results["naive"] = dance_metrics(naive(analysis), analysis.grid.beats, analysis.parts)
        for name, metrics in results.items():
            totals[name].append(metrics)
            print(row(name, metrics))
    print("mean over songs")
    for name, rows in totals.items():
        if rows:
            print(row(name, {k: float(np.nanmean([r[k] for r in rows])) for k in KEYS}))
    tang_rows = len(totals["real"])
    if tang_rows:
        print(f"mean over the {tang_rows} Tang songs only")
        for name in ("ours", "real", "naive"):
            rows = totals[name][:tang_rows]
            print(row(name, {k: float(np.nanmean([r[k] for r in rows])) for k in KEYS}))

    assert longest is not None
    analysis = longest[1]
    started = time.perf_counter()
    first = run_job(generate_routine_job(analysis, GenerationParams(seed=1)))
    warm = time.perf_counter() - started
    print(f"\nspeed on {analysis.path.name if analysis.path else '?'} ({analysis.duration:.0f} s),"
          f" seams on {first.device}:")  # fmt: skip
    steps = ", ".join(f"{k} {v:.2f} s" for k, v in first.timings.items())
    print(f"  whole routine: {warm:.2f} s = {analysis.duration / warm:.1f}x real time ({steps})")
    times = []
    for part in analysis.parts[3:8]:
        started = time.perf_counter()
        run_job(generate_routine_job(analysis, GenerationParams(seed=1), previous=first,
                                     regenerate_range=(part.start, part.end)))  # fmt: skip
        times.append(time.perf_counter() - started)
    print(f"  one-part regeneration: median {np.median(times):.3f} s, max {max(times):.3f} s")


if __name__ == "__main__":
    main()
