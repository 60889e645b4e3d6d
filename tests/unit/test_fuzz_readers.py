"""Fuzz the file readers with mutated real files: a result or a UserFacingError, in budget.

Each reader gets a small real file from ``../shared/data`` (cut short so a case is quick), and
a fixed-seed mutator flips, cuts, repeats and inserts bytes, or, in text formats, swaps
numbers for extreme ones (``1e308``, ``nan``, ``-1``, ``999999999``), drops and repeats lines.
Every outcome must be a result or a :class:`~inference.errors.UserFacingError`; each case must
finish within :data:`CASE_SECONDS` and the process's peak memory may grow by at most
:data:`MEMORY_BUDGET_MB` over the whole run. A failing case is kept under the test's tmp
folder with its seed, so it can be replayed. The whole run takes about 20 s.
"""

from __future__ import annotations

import json
import pickle
import resource
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from inference.audio.decode import load_audio
from inference.errors import UserFacingError
from inference.motion.importing import read_motion

SEED = 9
CASE_SECONDS = 10.0
"""A generous bound: a case is a small file; minutes mean a loop that depends on the input."""
MEMORY_BUDGET_MB = 800.0
EXTREME_NUMBERS = ("1e308", "-1e308", "nan", "inf", "0", "-1", "999999999", "1e-300", "2147483648")


def _mutate_bytes(data: bytes, rng: np.random.Generator) -> bytes:
    buf = bytearray(data)
    op = int(rng.integers(6))
    at = int(rng.integers(len(buf)))
    if op == 0:  # flip a few bytes
        for i in rng.integers(0, len(buf), size=int(rng.integers(1, 9))):
            buf[i] ^= 1 << int(rng.integers(8))
    elif op == 1:  # truncate
        del buf[at:]
    elif op == 2:  # delete a slice
        del buf[at : at + int(rng.integers(1, 512))]
    elif op == 3:  # repeat a slice
        piece = buf[at : at + int(rng.integers(1, 256))]
        buf[at:at] = piece * int(rng.integers(2, 16))
    elif op == 4:  # insert random bytes
        buf[at:at] = rng.integers(0, 256, size=int(rng.integers(1, 64)), dtype=np.uint8).tobytes()
    else:  # overwrite with 0xFF (huge little-endian counts and sizes)
        buf[at : at + int(rng.integers(1, 16))] = b"\xff" * 16
    return bytes(buf)


def _mutate_text(text: str, rng: np.random.Generator) -> str:
    lines = text.splitlines()
    op = int(rng.integers(5))
    i = int(rng.integers(len(lines)))
    if op == 0:  # extreme numbers in place of a few
        for _ in range(int(rng.integers(1, 6))):
            i = int(rng.integers(len(lines)))
            words = lines[i].replace(",", " , ").split(" ")
            numeric = [
                k for k, w in enumerate(words) if w.strip("[]").replace(".", "", 1)[-1:].isdigit()
            ]
            if numeric:
                k = numeric[int(rng.integers(len(numeric)))]
                words[k] = EXTREME_NUMBERS[int(rng.integers(len(EXTREME_NUMBERS)))]
            lines[i] = " ".join(words).replace(" , ", ",")
    elif op == 1:  # drop lines
        del lines[i : i + int(rng.integers(1, 5))]
    elif op == 2:  # repeat a line
        lines[i:i] = [lines[i]] * int(rng.integers(2, 50))
    elif op == 3:  # swap two lines
        j = int(rng.integers(len(lines)))
        lines[i], lines[j] = lines[j], lines[i]
    else:
        return _mutate_bytes(text.encode(), rng).decode("utf-8", "replace")
    return "\n".join(lines) + "\n"


def _short_bvh(shared: Path) -> str:
    header, motion = (shared / "motion/cmu_dance/005_01.bvh").read_text().split("MOTION")
    rows = motion.strip().splitlines()[2:42]
    return f"{header}MOTION\nFrames: 40\nFrame Time: 0.0083333\n" + "\n".join(rows) + "\n"


def _short_tang(shared: Path) -> str:
    doc = json.loads((shared / "motion_music/tang2018/DANCE_C_2/skeletons.json").read_text())
    small = {k: np.round(np.asarray(doc[k][:30]), 2).tolist() for k in ("skeletons", "center")}
    return json.dumps(small, indent=0)


def _short_csv(shared: Path) -> str:
    path = next(iter(sorted((shared / "motion/aistpp_slices").glob("*.csv"))))
    return "\n".join(path.read_text().splitlines()[:30]) + "\n"


def _smpl_pickle(shared: Path) -> bytes:
    with (shared / "motion/aistpp_smpl_sample/sample.pkl").open("rb") as fh:
        doc = pickle.load(fh)
    small = {k: (v[:40] if isinstance(v, np.ndarray) and v.ndim else v) for k, v in doc.items()}
    return pickle.dumps(small, protocol=4)


def _song(shared: Path, tmp: Path, suffix: str) -> bytes:
    out = tmp / f"seed{suffix}"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-t", "2", "-i",
         str(shared / "audio/Kevin_MacLeod_-_Vibe_Ace.ogg"), "-vn", str(out)],
        check=True,
    )  # fmt: skip
    return out.read_bytes()


def _read_audio(path: Path) -> object:
    return load_audio(path)


# (name, suffix, seed file maker, mutator, reader, cases)
Maker = Callable[[Path, Path], "bytes | str"]
READERS: list[tuple[str, str, Maker, str, Callable[[Path], object], int]] = [
    ("bvh", ".bvh", lambda s, t: _short_bvh(s), "text", read_motion, 24),
    ("bvh-bytes", ".bvh", lambda s, t: _short_bvh(s), "bytes", read_motion, 8),
    ("tang", ".json", lambda s, t: _short_tang(s), "text", read_motion, 16),
    ("csv", ".csv", lambda s, t: _short_csv(s), "text", read_motion, 16),
    ("smpl", ".pkl", lambda s, t: _smpl_pickle(s), "bytes", read_motion, 24),
    ("fbx", ".fbx", lambda s, t: (s / "motion/mixamo/Rumba_Dancing.fbx").read_bytes(), "bytes",
     read_motion, 8),
    ("glb", ".glb", lambda s, t: (s / "motion/mixamo/Michelle.glb").read_bytes(), "bytes",
     read_motion, 3),
    ("wav", ".wav", lambda s, t: _song(s, t, ".wav"), "bytes", _read_audio, 10),
    ("ogg", ".ogg", lambda s, t: _song(s, t, ".ogg"), "bytes", _read_audio, 8),
]  # fmt: skip


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the audio seeds")
@pytest.mark.parametrize(
    ("name", "suffix", "make", "kind", "reader", "cases"), READERS, ids=[r[0] for r in READERS]
)
def test_mutated_files_give_a_result_or_a_clear_error(
    name: str,
    suffix: str,
    make: Maker,
    kind: str,
    reader: Callable[[Path], object],
    cases: int,
    shared_data: Path,
    tmp_path: Path,
) -> None:
    original = make(shared_data, tmp_path)
    assert reader(_write(tmp_path / f"original{suffix}", original)) is not None
    rng = np.random.default_rng([SEED, cases, len(name)])
    baseline = _peak_rss_mb()
    outcomes = {"result": 0, "refused": 0}
    for case in range(cases):
        if kind == "text":
            assert isinstance(original, str)
            mutated: bytes | str = _mutate_text(original, rng)
        else:
            data = original if isinstance(original, bytes) else original.encode()
            mutated = _mutate_bytes(data, rng)
        path = _write(tmp_path / f"case{case:02d}{suffix}", mutated)
        started = time.perf_counter()
        try:
            reader(path)
            outcomes["result"] += 1
        except UserFacingError as error:
            assert path.name in str(error), f"{name} case {case}: {error} does not name the file"
            outcomes["refused"] += 1
        except Exception as error:
            pytest.fail(f"{name} case {case} ({path}): {type(error).__name__}: {error}")
        seconds = time.perf_counter() - started
        assert seconds < CASE_SECONDS, f"{name} case {case} ({path}) took {seconds:.1f} s"
        grown = _peak_rss_mb() - baseline
        assert grown < MEMORY_BUDGET_MB, f"{name} case {case} ({path}): +{grown:.0f} MB peak"
        path.unlink()
    assert sum(outcomes.values()) == cases
    print(f"{name}: {outcomes}")


def _write(path: Path, content: bytes | str) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path
