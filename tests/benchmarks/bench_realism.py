"""Realism of generated routines next to real dance and the baseline generator, in one run.

Run (GL for the contact sheets needs a display; without one the sheets are skipped)::

    xvfb-run -a python tests/benchmarks/bench_realism.py [--quick] [--out out/realism]
        [--songs N [--rest]] [--baseline commit|library] [--no-sheets]

``--quick`` uses 3 songs (electronic pop, hip-hop drum and bass, a Tang tango); the full run
uses every song in ``../shared/data`` (4 ogg, the ballroom waltz, 22 Tang songs). Prints:

* the real reference set by family (:mod:`inference.assess.reference`), what loaded and what
  was skipped, and its figures: body use, PFC, foot skating, BAS (Tang on its own songs) and
  FID of each family against the real pop+street set (Perfume + Mixamo + AIST++);
* for "ours" (the generator and shipped library as they are now) and the **baseline** (the
  code and move library of commit 9d9213a, extracted with ``git archive`` and run by
  ``baseline_worker.py`` in a process of its own, so that it stays fixed while the generator
  changes; ``--baseline library`` runs today's code on that commit's library instead): per
  setting (k-pop at default sliders, energy 0.2 and 0.9, every style, prompts), the means over
  songs of body use, BAS with the beat warp and without it (the control), PFC, foot skating,
  and per style FID_k / FID_g against the real pop+street set, beside the real range;
* the "Done when" table (PASS/FAIL, never asserted), the effect of each style against k-pop
  and of each prompt against the empty prompt (same song, same seed), and speed: a whole song
  from a cold ``python -m app generate`` as x real time, one part regenerated in seconds;
* one contact sheet (PNG) per routine and per real dance under ``--out``.

All figures at 30 fps on the canonical 21 joints; seed 0. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inference.assess.body_use import body_use  # noqa: E402
from inference.assess.realism import RealismFeatures, fid_g, fid_k, window_features  # noqa: E402
from inference.assess.reference import (  # noqa: E402
    FAMILIES,
    POP_STREET,
    RealDance,
    bench_songs,
    load_family,
    song_label,
    tang_motion,
)
from inference.assess.scorecard import dance_metrics, tang_offset  # noqa: E402
from inference.audio import NoBeatError, SongAnalysis, analyze_song  # noqa: E402
from inference.generate import GenerationParams, generate_routine_job, load_library  # noqa: E402
from inference.generate.library import MoveLibrary  # noqa: E402
from inference.generate.params import STYLES  # noqa: E402
from inference.jobs import run_job  # noqa: E402
from inference.motion import CANONICAL, Motion, ground, load_motion  # noqa: E402
from inference.motion.feet import contacts_from_positions  # noqa: E402
from tests.benchmarks.realism_report import (  # noqa: E402
    COLUMNS,
    Figures,
    print_done_when,
    print_effects,
    print_table,
)

DATA = ROOT.parent / "shared" / "data"
BASELINE_COMMIT = "9d9213a"
SEED = 0
PROMPTS = ("hip-hop footwork", "arms", "waves", "hits", "ballad", "gentle")
SETTINGS: dict[str, dict[str, object]] = {
    "k-pop": {},
    "energy 0.2": {"energy": 0.2},
    "energy 0.9": {"energy": 0.9},
    **{f"style {s}": {"style": s} for s in STYLES if s != "k-pop"},
    **{f"prompt {p}": {"prompt": p} for p in PROMPTS},
}
"""Setting name to the GenerationParams it changes from the defaults."""
MIN_REFERENCE_WINDOWS = 20
"""Fewer real windows than this make a family's own FID reference half against half."""
CONTROLLED = [k for k in SETTINGS if not k.startswith("prompt")]
"""Settings also generated with ``beat_warp=False`` (the BAS control)."""


def baseline_library(tmp: Path) -> MoveLibrary:
    """The move library shipped at :data:`BASELINE_COMMIT`, read from git into ``tmp``."""
    for name in ("library.json", "library.npz"):
        blob = subprocess.run(
            ["git", "show", f"{BASELINE_COMMIT}:resources/motion_library/{name}"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout  # fmt: skip
        (tmp / name).write_bytes(blob)
    return load_library(tmp)


@dataclass
class Made:
    """A generated routine as the benchmark needs it."""

    motion: Motion
    units: tuple[str, ...]
    seconds: float
    regen: tuple[float, ...] = ()


class InProcess:
    """Today's generator, with the shipped library or another one."""

    def __init__(self, library: MoveLibrary | None = None) -> None:
        self.library = library

    def make(self, analysis: SongAnalysis, name: str, warp: bool, regen: bool = False) -> Made:
        params = GenerationParams(seed=SEED, **SETTINGS[name])  # type: ignore[arg-type]
        job = generate_routine_job(analysis, params, library=self.library, beat_warp=warp)
        result = run_job(job)
        times = []
        for part in analysis.parts[3:8] if regen else ():
            clock = time.perf_counter()
            run_job(generate_routine_job(analysis, params, previous=result, library=self.library,
                                         regenerate_range=(part.start, part.end)))  # fmt: skip
            times.append(time.perf_counter() - clock)
        return Made(result.motion, result.unit_names, result.seconds, tuple(times))


class FrozenTree:
    """The generator of :data:`BASELINE_COMMIT`, code and library, in a process of its own.

    The commit is extracted with ``git archive`` and :mod:`baseline_worker` runs in it (with
    today's venv) while this process measures ours; :meth:`make` waits for it and reads the
    routine back. So the baseline stays what it was whatever today's generator code does.
    """

    def __init__(self, tmp: Path, songs: Sequence[Path], regen_song: Path) -> None:
        tree, self.out = tmp / "tree", tmp / "routines"
        tree.mkdir()
        self.out.mkdir()
        archive = subprocess.run(["git", "archive", BASELINE_COMMIT], cwd=ROOT,
                                 capture_output=True, check=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        jobs = [
            {"song": str(song), "setting": setting, "warp": warp, "seed": SEED,
             "out": str(self.path(song, name, warp)),
             "regen": song == regen_song and name == "k-pop" and warp}
            for song in songs for name, setting in SETTINGS.items()
            for warp in ((True, False) if name in CONTROLLED else (True,))
        ]  # fmt: skip
        # The regeneration timing rides on the k-pop job of the longest song.
        (tmp / "jobs.json").write_text(json.dumps(jobs))
        env = {**os.environ, "PYTHONPATH": str(tree)}
        worker = Path(__file__).with_name("baseline_worker.py")
        self.log_path = tmp / "worker.log"
        log = self.log_path.open("w")
        cmd = [sys.executable, str(worker), str(tmp / "jobs.json")]
        self.proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=log, stderr=log)

    def path(self, song: Path, name: str, warp: bool) -> Path:
        return self.out / f"{slug(song_label(song))}__{slug(name)}__{int(warp)}.npz"

    def make(self, analysis: SongAnalysis, name: str, warp: bool, regen: bool = False) -> Made:
        if self.proc.wait() != 0:
            raise RuntimeError(f"the baseline worker failed: {self.log_path.read_text()[-2000:]}")
        assert analysis.path is not None
        with np.load(self.path(Path(analysis.path), name, warp)) as d:
            motion = Motion(CANONICAL, float(d["fps"]), d["root"], d["rotations"])
            return Made(motion, tuple(str(u) for u in d["units"]), float(d["seconds"]),
                        tuple(float(t) for t in d["regen"]))  # fmt: skip


Generator = InProcess | FrozenTree


@dataclass
class Routine:
    """One routine's figures and windows."""

    figures: Figures
    features: RealismFeatures
    units: tuple[str, ...] = ()


def measure(motion: Motion, beats: Sequence[float], offset: float = 0.0) -> dict[str, float]:
    """Body use, BAS, PFC, foot skating (%), contact (% of frames with a foot down, by the
    skating rule), NaN frames and joint-limit frames of one motion."""
    out = body_use(motion).as_dict()
    out["wrists_up"] *= 100.0
    contact = contacts_from_positions(ground(motion).positions(), motion.fps, max_speed=None)
    out["contact"] = 100.0 * float(contact.any(axis=1).mean())
    metrics = dance_metrics(motion, beats, (), offset)
    out.update({k: float(metrics[k]) for k in ("bas", "pfc", "foot_skating")})
    out.update(nan_frames=metrics["nan_frames"], limit_violations=metrics["limit_violations"])
    return out


@dataclass
class Sheets:
    """Contact-sheet writer: ``None`` render when there is no GL here (said once)."""

    out: Path
    render: Callable[..., Path] | None = None
    written: int = 0
    seconds: float = 0.0
    app: object = None  # the QGuiApplication, kept alive while sheets are drawn

    @staticmethod
    def open(out: Path, enabled: bool) -> Sheets:
        sheets = Sheets(out)
        if not enabled:
            print("contact sheets: off (--no-sheets)")
            return sheets
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            print("contact sheets: skipped, no display (run under `xvfb-run -a`)")
            return sheets
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
        try:
            from viewport.contact_sheet import save_contact_sheet
            from viewport.export import ensure_gl_application

            sheets.app = ensure_gl_application()
        except Exception as error:  # any GL failure only skips the pictures
            print(f"contact sheets: skipped ({error})")
            return sheets
        sheets.render = save_contact_sheet
        return sheets

    def write(self, motion: Motion, relative: str, title: str) -> None:
        if self.render is None:
            return
        started = time.perf_counter()
        self.render(motion, self.out / relative, title=title, views=("front", "side"))
        self.seconds += time.perf_counter() - started
        self.written += 1


def slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "_" for c in text)


def real_reference(sheets: Sheets) -> tuple[list[RealDance], dict[str, Routine]]:
    """Load every family, measure each dance (no beats), and draw its sheet."""
    print("real reference set (30 fps):")
    dances: list[RealDance] = []
    for family, (kind, _) in FAMILIES.items():
        loaded, skipped = load_family(DATA, family)
        dances += loaded
        note = f", {len(skipped)} skipped" if skipped else ""
        print(f"  {family} ({kind}): {len(loaded)} loaded{note}")
        for path, reason in skipped:
            print(f"    {path.name}: skipped ({reason})")
    measured = {}
    for d in dances:
        measured[f"{d.family}/{d.name}"] = Routine(measure(d.motion, ()), window_features(d.motion))
        sheets.write(d.motion, f"real/{d.family}/{slug(d.name)}.png", f"{d.family}: {d.name}")
    return dances, measured


@dataclass
class Run:
    """Everything measured: per generator, per setting, per song."""

    routines: dict[str, dict[str, dict[str, Routine]]] = field(default_factory=dict)
    real_bas: list[float] = field(default_factory=list)


def songs_pass(
    songs: Sequence[Path], generators: dict[str, Generator], sheets: Sheets
) -> tuple[Run, list[SongAnalysis]]:
    run = Run({g: {s: {} for s in SETTINGS} for g in generators})
    analyses: dict[Path, SongAnalysis] = {}
    for song in songs:
        try:
            analyses[song] = analysis = analyze_song(song)
        except NoBeatError:
            print(f"  {song_label(song)}: skipped, the beat tracker finds no steady beat")
            continue
        tang = tang_motion(song)
        if tang is not None:
            real = measure(load_motion(tang), analysis.grid.beats, tang_offset(tang))
            run.real_bas.append(real["bas"])
    # Generators outside songs: ours runs here while the frozen baseline runs in its process.
    for gen, maker in generators.items():
        for song, analysis in analyses.items():
            started = time.perf_counter()
            label, beats = song_label(song), analysis.grid.beats
            for name in SETTINGS:
                made = maker.make(analysis, name, True)
                figures = measure(made.motion, beats)
                if name in CONTROLLED:
                    control = maker.make(analysis, name, False).motion
                    figures["bas_nowarp"] = dance_metrics(control, beats)["bas"]
                feats = window_features(made.motion)
                run.routines[gen][name][label] = Routine(figures, feats, made.units)
                sheets.write(made.motion, f"{gen}/{slug(label)}/{slug(name)}.png",
                             f"{gen} | {label} | {name} | seed {SEED}")  # fmt: skip
            print(f"  {gen}: {label} ({analysis.duration:.0f} s, {analysis.tempo_bpm:.0f} BPM): "
                  f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    return run, list(analyses.values())


def nanmean(values: Sequence[float]) -> float:
    finite = [v for v in values if np.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")


def mean_figures(rows: Sequence[Figures]) -> Figures:
    keys = {k for r in rows for k in r}
    return {k: nanmean([r.get(k, np.nan) for r in rows]) for k in keys}


def worst_figures(rows: Sequence[Figures]) -> Figures:
    """The lowest and the highest song's value of every figure, as ``"lowest KEY"`` and
    ``"highest KEY"`` (the Done-when ranges hold on every song, not just on the mean)."""
    keys = {k for r in rows for k in r}
    worst: Figures = {}
    for k in keys:
        values = [r[k] for r in rows if k in r and np.isfinite(r[k])]
        if values:
            worst[f"lowest {k}"], worst[f"highest {k}"] = min(values), max(values)
    return worst


def family_rows(
    dances: Sequence[RealDance], measured: dict[str, Routine], run: Run
) -> dict[str, Figures]:
    """Per family: mean figures over its dances, and its FID against the pop+street set."""
    feats = {d: measured[f"{d.family}/{d.name}"] for d in dances}
    rows: dict[str, Figures] = {}
    for family in FAMILIES:
        own = [d for d in dances if d.family == family]
        if not own:
            continue
        row = mean_figures([feats[d].figures for d in own])
        row.pop("bas", None)  # no music: BAS means nothing here
        if family == "tang" and run.real_bas:
            row["bas"] = float(np.mean(run.real_bas))
        # A pop+street family is read against the rest of that set when the rest is big enough
        # for a covariance (else half of its dances against the other half); the other
        # families against all of it.
        if family in POP_STREET:
            rest = [d for d in dances if d.family in POP_STREET and d.family != family]
            enough = sum(feats[d].features.n for d in rest) >= MIN_REFERENCE_WINDOWS
            a, b = (own, rest) if enough else (own[::2], own[1::2])
        else:
            a, b = own, [d for d in dances if d.family in POP_STREET]
        fa = RealismFeatures.join([feats[d].features for d in a])
        fb = RealismFeatures.join([feats[d].features for d in b])
        if fa.n >= 2 and fb.n >= 2:
            row["fid_k"], row["fid_g"] = fid_k(fa, fb), fid_g(fa, fb)
        rows[f"{family} ({len(own)})"] = row
    both = [d for d in dances if d.family in POP_STREET]
    fa, fb = (RealismFeatures.join([feats[d].features for d in h]) for h in (both[::2], both[1::2]))
    if fa.n >= 2 and fb.n >= 2:
        rows["pop+street half v half"] = {"fid_k": fid_k(fa, fb), "fid_g": fid_g(fa, fb)}
    return rows


def setting_rows(run: Run, real_set: RealismFeatures) -> dict[str, dict[str, Figures]]:
    """Per setting, per generator: mean figures over songs (FID over the pooled windows)."""
    table: dict[str, dict[str, Figures]] = {}
    for name in SETTINGS:
        table[name] = {}
        for gen, settings in run.routines.items():
            songs = settings[name]
            if not songs:
                continue
            row = mean_figures([r.figures for r in songs.values()])
            row.update(worst_figures([r.figures for r in songs.values()]))
            for k in ("nan_frames", "limit_violations"):
                row[k] = float(sum(r.figures[k] for r in songs.values()))
            pool = RealismFeatures.join([r.features for r in songs.values()])
            if pool.n >= 2 and real_set.n >= 2 and not name.startswith("prompt"):
                row["fid_k"], row["fid_g"] = fid_k(pool, real_set), fid_g(pool, real_set)
            row["windows"] = float(pool.n)
            table[name][gen] = row
    return table


def speed(analyses: Sequence[SongAnalysis], generators: dict[str, Generator]) -> None:
    longest = max(analyses, key=lambda a: a.duration)
    assert longest.path is not None
    print(f"\nspeed on {song_label(Path(longest.path))} ({longest.duration:.0f} s):")
    walls = []  # three cold processes, the median reported: one run swings by 20 %
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "app", "generate", str(longest.path), "-o", f"{tmp}/r.bvh"]
        for _ in range(3):
            started = time.perf_counter()
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            walls.append(time.perf_counter() - started)
            if done.returncode != 0:
                break
    if done.returncode == 0:
        wall = float(np.median(walls))
        print(f"  ours, `python -m app generate` from a cold process (median of 3, "
              f"{min(walls):.1f}-{max(walls):.1f} s): {wall:.1f} s = "
              f"{longest.duration / wall:.1f}x real time")  # fmt: skip
    else:
        print(f"  `python -m app generate` failed ({done.returncode}): {done.stderr[-300:]}")
    for gen, maker in generators.items():
        made = maker.make(longest, "k-pop", True, regen=True)
        times = made.regen
        print(f"  {gen}: whole song in process {made.seconds:.2f} s = "
              f"{longest.duration / made.seconds:.0f}x real time; one part "
              f"regenerated: median {np.median(times):.3f} s, max {max(times):.3f} s")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 songs instead of every song")
    parser.add_argument(
        "--songs", type=int, default=0,
        help="N songs spread evenly over the full list (every CC song, the waltz, the Tang songs)",
    )  # fmt: skip
    parser.add_argument(
        "--rest", action="store_true",
        help="with --songs N: the songs those N leave out instead (the generator's settings "
        "were chosen on --songs 10, so --songs 10 --rest runs on songs they were not tuned on)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "realism")
    parser.add_argument("--no-sheets", action="store_true", help="skip the contact sheets")
    parser.add_argument(
        "--baseline", choices=("commit", "library"), default="commit",
        help=f"commit: the code and library of {BASELINE_COMMIT} in its own process (default); "
        f"library: today's code with the library of {BASELINE_COMMIT}",
    )  # fmt: skip
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sheets = Sheets.open(args.out, not args.no_sheets)
    dances, measured = real_reference(sheets)
    real_set = RealismFeatures.join(
        [measured[f"{d.family}/{d.name}"].features for d in dances if d.family in POP_STREET]
    )
    print(f"real pop+street set: {real_set.n} windows of 5 s (every 2.5 s)")
    with tempfile.TemporaryDirectory() as tmp:
        songs = bench_songs(DATA, args.quick)
        if args.songs and not args.quick:
            pick = set(np.linspace(0, len(songs) - 1, args.songs).round().astype(int).tolist())
            songs = [s for i, s in enumerate(songs) if (i in pick) != args.rest]
        longest = max(songs, key=lambda s: soundfile.info(str(s)).duration)
        baseline: Generator = (
            FrozenTree(Path(tmp), songs, longest) if args.baseline == "commit"
            else InProcess(baseline_library(Path(tmp)))
        )  # fmt: skip
        generators: dict[str, Generator] = {"ours": InProcess(), "baseline": baseline}
        what = "code and library" if args.baseline == "commit" else "library (today's code)"
        print(f"\nroutines (seed {SEED}; baseline = the {what} of {BASELINE_COMMIT}):")
        run, analyses = songs_pass(songs, generators, sheets)
        families = family_rows(dances, measured, run)
        table = setting_rows(run, real_set)
        print_table(table, families)
        # The skating rule (ankle <= 8 cm) rarely finds a foot down in most real mocap, whose
        # ankles sit 10-13 cm up: only dances with a foot down in >= 5 % of frames count.
        grounded = [r.figures for r in measured.values() if r.figures["contact"] >= 5.0]
        real_skating = (nanmean([f["foot_skating"] for f in grounded]), len(grounded))
        print_done_when(table, real_skating, run.real_bas)
        print_effects(run.routines)
        speed(analyses, generators)
    results = {
        gen: {s: {song: r.figures for song, r in songs.items()} for s, songs in settings.items()}
        for gen, settings in run.routines.items()
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps({"routines": results, "real": {
        k: v.figures for k, v in measured.items()}, "columns": COLUMNS}, indent=1))  # fmt: skip
    if sheets.render is not None:
        print(f"\ncontact sheets: {sheets.written} PNGs in {args.out} ({sheets.seconds:.0f} s)")
    wall = time.perf_counter() - started
    print(
        f"whole benchmark: {wall:.0f} s ({len(analyses)} songs{', --quick' if args.quick else ''})"
    )
    if args.quick:
        done = sum(a.duration for a in analyses)
        total = sum(soundfile.info(str(s)).duration for s in bench_songs(DATA))
        print(f"  the full run ({len(bench_songs(DATA))} songs, {total / 60:.0f} min of audio) "
              f"takes about {wall * total / done / 60:.0f} min at this run's pace")  # fmt: skip


if __name__ == "__main__":
    main()
