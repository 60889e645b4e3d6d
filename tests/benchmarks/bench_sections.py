"""Section analysis on songs of known form: ours vs the code on ``main``, in the same run.

Run: ``python tests/benchmarks/bench_sections.py [--picture DIR]``. Needs ``mir_eval``
(``pip install mir_eval``; a benchmark tool, not a dependency of the app).

The songs are assembled from real recordings by ``section_set.py`` (fixed seed), so their true
boundaries and labels are known. Per song and per split it prints, for the baseline (the
``inference/audio/sections.py`` of ``main``, loaded from git into this process) and for ours:

* HR.5F: boundary hit rate F-measure, ±0.5 s, untrimmed, as MSAF's ``HitRate_0.5F``
  (``mir_eval.segment.detection``); HRt: the same trimmed (start and end not counted);
* PWF: pairwise frame-clustering F-measure of the labels (``mir_eval.segment.pairwise``, 0.1 s
  frames), labels compared without their repeat number ("Chorus 2" is "Chorus");
* Chorus: the share of the time labelled "Chorus" whose true label repeats (1 = never a chorus
  on a one-off), '-' when there is no chorus;
* × real time of the section step alone (features given), and ours ÷ baseline.

Each song is scored twice: on its true grid (the source's beats carried into the song, so the
section step alone is measured) and on the grid our beat tracker finds in it (what the studio
shows; "grid off" marks a song whose tracked parts miss a true boundary by more than 0.5 s, a
tempo octave or a bar, which no section step on parts can recover).

The settings were chosen on the "tune" songs only; the "held-out" songs come from other sources
and are the figure to quote. Both methods get the same inputs. It also prints the demo song's
sections, and with ``--picture`` draws them over its waveform and boundary evidence.

Measured (seed 11, 18 tune and 12 held-out songs, about 4 min on 2 shared cores), held-out:
true grid HR.5F 0.98, HRt 0.97, PWF 0.97 (main 0.68, 0.53, 0.57); tracked grid 0.91, 0.88, 0.95
(main 0.64, 0.48, 0.56). Tune: 0.90, 0.86, 0.90 (main 0.69, 0.54, 0.61). Section step 4800x
real time (main 5500x). The set is easier than real music: repeats are copies or the source's
own near-copies, and cuts are sharp, so these figures are an upper bound for real songs.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

import section_set  # noqa: E402

from inference.audio import sections  # noqa: E402
from inference.audio.analysis import analyze_song  # noqa: E402
from inference.audio.energy import beat_energy  # noqa: E402
from inference.audio.grid import BeatGrid, Part, derive_parts  # noqa: E402
from inference.audio.meter import BeatFeatures, beat_features  # noqa: E402
from inference.paths import DEMO_SONG  # noqa: E402

try:
    import mir_eval
except ImportError:
    sys.exit("bench_sections needs mir_eval: pip install mir_eval")

Derive = Callable[..., tuple[sections.Section, ...]]
Inputs = tuple[BeatGrid, tuple[Part, ...], BeatFeatures, tuple[float, ...]]
"""What the section step takes: grid, parts, beat features, energy."""


def _baseline(folder: Path) -> ModuleType:
    """``inference/audio/sections.py`` as it is on main, imported under another name."""
    src = subprocess.run(
        ["git", "show", "main:inference/audio/sections.py"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    path = folder / "sections_main.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("sections_main", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def base_label(label: str) -> str:
    """The label without its repeat number: "Chorus 2" -> "Chorus"."""
    head, _, tail = label.rpartition(" ")
    return head if head and tail.isdigit() else label


def _run(
    derive: Derive, inputs: Inputs, repeats: int = 3
) -> tuple[tuple[sections.Section, ...], float]:
    """The sections and the best time of ``repeats`` runs."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = derive(*inputs)
        best = min(best, time.perf_counter() - t0)
    return out, best


def scores(
    ref: np.ndarray, ref_labels: Sequence[str], secs: Sequence[sections.Section]
) -> dict[str, float]:
    est = np.array([[s.start, s.end] for s in secs])
    est_labels = [base_label(s.label) for s in secs]
    hr = mir_eval.segment.detection(ref, est, window=0.5, trim=False)[2]
    hrt = mir_eval.segment.detection(ref, est, window=0.5, trim=True)[2]
    pwf = mir_eval.segment.pairwise(ref, list(ref_labels), est, est_labels, frame_size=0.1)[2]
    repeated = {x for x in ref_labels if list(ref_labels).count(x) > 1}
    chorus_time = good = 0.0
    for s, lab in zip(secs, est_labels, strict=True):
        if lab != "Chorus":
            continue
        for (r0, r1), x in zip(ref, ref_labels, strict=True):
            overlap = max(0.0, min(s.end, r1) - max(s.start, r0))
            chorus_time += overlap
            good += overlap if x in repeated else 0.0
    return {
        "HR.5F": hr,
        "HRt": hrt,
        "PWF": pwf,
        "Chorus": good / chorus_time if chorus_time else -1,
    }


def _fmt(s: dict[str, float]) -> str:
    ch = "-" if s["Chorus"] < 0 else f"{s['Chorus']:.2f}"
    return f"{s['HR.5F']:6.2f}{s['HRt']:6.2f}{s['PWF']:6.2f}{ch:>7}"


def _summary(rows: list[dict[str, float]]) -> dict[str, float]:
    ch = [r["Chorus"] for r in rows if r["Chorus"] >= 0]
    out = {k: float(np.mean([r[k] for r in rows])) for k in ("HR.5F", "HRt", "PWF")}
    out["Chorus"] = float(np.mean(ch)) if ch else -1.0
    return out


def _short(secs: Sequence[sections.Section]) -> str:
    return " ".join(base_label(s.label)[:3] for s in secs)


def _inputs(song: section_set.AssembledSong, folder: Path) -> tuple[Inputs, Inputs]:
    """The section step's inputs on the true grid and on the grid our analysis tracks."""
    a = analyze_song(song.write(folder))
    assert a._frames is not None
    tracked = (a.grid, a.parts, beat_features(a._frames, a.grid.beats), a.energy)
    grid = song.grid()
    bf = beat_features(a._frames, grid.beats)
    return (grid, derive_parts(grid), bf, beat_energy(bf)), tracked


def _grid_ok(song: section_set.AssembledSong, parts: Sequence[Part]) -> bool:
    """Whether every true boundary lies within 0.5 s of a part start (else no part-aligned
    section step can hit it: the tracked grid is off, a tempo octave or a bar)."""
    starts = np.array([p.start for p in parts])
    return all(np.min(np.abs(starts - t)) <= 0.5 for t in song.intervals[1:, 0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--picture", type=Path, help="folder for the demo song's picture")
    parser.add_argument("--seed", type=int, default=section_set.SEED)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="Estimated intervals are empty")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        methods: dict[str, Derive] = {
            "main": _baseline(folder).derive_sections,
            "ours": sections.derive_sections,
        }
        head = f"{'HR.5F':>6}{'HRt':>6}{'PWF':>6}{'Chorus':>7}"
        print(f"{'':41}true grid{'':26}tracked grid")
        print(f"{'song':<16}{'split':<9}{'s':>4}  {'form':<18}main{head}  ours{head}  "
              f"main HR/PWF ours HR/PWF")  # fmt: skip
        rows: dict[tuple[str, str, str], list[dict[str, float]]] = {}
        seconds = {m: 0.0 for m in methods}
        audio_s = 0.0
        details = []
        for spec in section_set.make_set(args.seed):
            song = section_set.assemble(spec)
            true, tracked = _inputs(song, folder)
            ok = _grid_ok(song, tracked[1])
            line = f"{spec.name[:15]:<16}{spec.split:<9}{song.duration:4.0f}  {song.form:<18}"
            tail = ""
            audio_s += song.duration
            for m, derive in methods.items():
                secs, dt = _run(derive, true)
                seconds[m] += dt
                s = scores(song.intervals, song.labels, secs)
                rows.setdefault(("true", m, spec.split), []).append(s)
                line += f"    {_fmt(s)}  "
                if m == "ours":
                    details.append(f"{spec.name[:15]:<16} true {song.form:<18} ours {_short(secs)}")
                st = scores(song.intervals, song.labels, derive(*tracked))
                rows.setdefault(("tracked", m, spec.split), []).append(st)
                tail += f" {st['HR.5F']:5.2f}/{st['PWF']:.2f}"
            print(line + tail + ("" if ok else "  grid off"))
        print(f"\n{'mean':<16}{'split':<9}{'grid':<9}{'':15}main{head}  ours{head}")
        for split in ("tune", "held-out"):
            for kind in ("true", "tracked"):
                line = f"{'':16}{split:<9}{kind:<9}{'':15}"
                for m in methods:
                    line += f"    {_fmt(_summary(rows[(kind, m, split)]))}  "
                print(line)
        print()
        print("\n".join(details))
        xrt = {m: audio_s / seconds[m] for m in methods}
        print(f"\nsection step: main {xrt['main']:.0f}x real time, ours {xrt['ours']:.0f}x "
              f"(ours / main speed {xrt['ours'] / xrt['main']:.2f})")  # fmt: skip
        demo = analyze_song(DEMO_SONG)
        assert demo._frames is not None
        bf = beat_features(demo._frames, demo.grid.beats)
        inputs = (demo.grid, demo.parts, bf, demo.energy)
        found = {m: derive(*inputs) for m, derive in methods.items()}
        for m, secs in found.items():
            print(f"demo song, {m}: " + ", ".join(
                f"{s.label} {s.start:.1f}-{s.end:.1f}" for s in secs))  # fmt: skip
        if args.picture is not None:
            from section_picture import draw

            args.picture.mkdir(parents=True, exist_ok=True)
            out = args.picture / "demo_sections.png"
            draw(demo, bf, found, out)
            print(f"picture: {out}")


if __name__ == "__main__":
    main()
