"""Fuzzing the project-file reader: every mutated file opens or is refused clearly, quickly.

Real project files are built from ``../shared/data`` (an analysed song, embedded or not, and a
CMU dance on a dancer track), then mutated with a fixed seed: bytes flipped, files cut short,
chunks inserted, hostile values put at random places in ``project.json``, arrays swapped for
NaN, wrong shapes or odd types, and zip sizes rewritten. Each outcome must be a loaded project
(that saves and loads again) or a :class:`UserFacingError`, within a time and memory budget
that only a runaway (a hang, a quadratic walk, an unbounded allocation) would break.
"""

from __future__ import annotations

import io
import json
import math
import random
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.model import Clip, Project, Song
from app.model.track_sampling import asset_from_motion
from app.project_io import load_project, save_project
from inference.errors import UserFacingError

SEED = 20_240_611
CASES = {"referred": 120, "embedded": 50}
"""Cases per file; the embedded one is ten times larger, so each case costs more."""
SECONDS_PER_CASE = 10.0
"""Generous: a clean refusal takes milliseconds; only a runaway comes near this."""
PEAK_BYTES_PER_CASE = 300 * 1024 * 1024
SONG = "audio/442789__lena-orsa__happy-music-pistachio-ice-cream-ragtime.ogg"
DANCE = "motion/cmu_dance/005_03.bvh"

Mutator = Callable[[random.Random, bytes], bytes]


@pytest.fixture(scope="module")
def real_projects(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Two real project files: one with the song embedded, one referring to it."""
    from inference.audio import analyze_song
    from inference.motion import load_motion

    folder = tmp_path_factory.mktemp("real_projects")
    song = shared_data / SONG
    analysis = analyze_song(song)
    project = Project(name="ragtime")
    project.set_song(Song(str(song), "ragtime", analysis.duration))
    project.set_beat_grid(analysis.grid)
    project.set_parts(analysis.parts)
    project.set_part_names({2: "Hook"})
    project.set_sections(analysis.sections)
    asset = asset_from_motion(load_motion(shared_data / DANCE), "cmu", "CMU 05_03")
    project.add_motion(asset)
    track = project.dancer_tracks()[0]
    for i, part in enumerate(analysis.parts[:3]):
        length = min(part.end - part.start, asset.duration)
        clip = Clip(f"c{i}", "cmu", f"Part {i + 1}", part.start, 0.0, length, mirrored=i == 1)
        project.add_clip(track.id, clip)
    project.set_user_moves(("cmu",), {"cmu": "ragtime"})
    files = {}
    save_project(project, folder / "referred.eightcount")
    files["referred"] = (folder / "referred.eightcount").read_bytes()
    project.set_song(Song(str(song), "ragtime", analysis.duration, embedded=True))
    save_project(project, folder / "embedded.eightcount", decoded_song=str(song))
    files["embedded"] = (folder / "embedded.eightcount").read_bytes()
    return files


# -- mutators ----------------------------------------------------------------------------------


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def insert_chunk(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _hostile_value(rng: random.Random) -> object:
    values: list[Callable[[], object]] = [
        lambda: math.nan,
        lambda: math.inf,
        lambda: -math.inf,
        lambda: -1,
        lambda: 0,
        lambda: 10**6,
        lambda: 2**70,
        lambda: 1e308,
        lambda: -1e-300,
        lambda: "7",
        lambda: "",
        lambda: "x" * 20_000,
        lambda: True,
        lambda: None,
        lambda: [],
        lambda: {},
        lambda: [0] * rng.choice((10, 10_000, 300_000)),
        lambda: [{}] * rng.choice((10, 6_000, 1_000_000)),
        lambda: {"format_version": 2},
    ]
    return rng.choice(values)()


def _paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:20]):
            found += _paths(value, (*prefix, i))
    return found


def mutate_json(rng: random.Random, data: bytes) -> bytes:
    members = _members(data)
    document = json.loads(members["project.json"])
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_paths(document))
        parent: Any = document
        for key in path[:-1]:
            parent = parent[key]
        action = rng.random()
        if action < 0.15 and isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif action < 0.25 and isinstance(parent, list):
            parent.append(parent[path[-1]])  # a duplicate: repeated ids, overlaps
        else:
            parent[path[-1]] = _hostile_value(rng)
    members["project.json"] = json.dumps(document).encode()
    return _zip(members)


def _hostile_array(rng: random.Random, like: np.ndarray) -> np.ndarray:
    choices: list[Callable[[], np.ndarray]] = [
        lambda: np.full(like.shape, np.nan),
        lambda: np.full(like.shape, np.inf),
        lambda: np.zeros((0, *like.shape[1:])),
        lambda: np.zeros(like.shape[:1]),
        lambda: np.zeros((*like.shape, 2)),
        lambda: like.astype(np.int8),
        lambda: like.astype(np.complex64),
        lambda: -np.abs(like),
        lambda: like[::-1].copy(),
        lambda: np.asarray(like) * 1e300,
        lambda: np.zeros(()),
    ]
    return rng.choice(choices)()


def mutate_arrays(rng: random.Random, data: bytes) -> bytes:
    members = _members(data)
    member = rng.choice([m for m in members if m.endswith(".npz")])
    with np.load(io.BytesIO(members[member])) as npz:
        arrays = {name: npz[name] for name in npz.files}
    name = rng.choice(sorted(arrays))
    if rng.random() < 0.2:
        arrays.pop(name)
    else:
        arrays[name] = _hostile_array(rng, arrays[name])
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    members[member] = buffer.getvalue()
    return _zip(members)


def inflate_declared_size(rng: random.Random, data: bytes) -> bytes:
    """A member's size in the central directory rewritten: a lie about how much it inflates to."""
    out = bytearray(data)
    directory = [i for i in range(len(out) - 4) if out[i : i + 4] == b"PK\x01\x02"]
    at = rng.choice(directory)
    lie = rng.choice((0, 1, 2**31 - 1, 0xFFFFFFFE, rng.randrange(2**32)))
    out[at + 24 : at + 28] = struct.pack("<I", lie)  # uncompressed size
    return bytes(out)


MUTATORS: tuple[Mutator, ...] = (
    flip_bytes,
    truncate,
    insert_chunk,
    mutate_json,
    mutate_json,
    mutate_arrays,
    inflate_declared_size,
)


# -- the test ----------------------------------------------------------------------------------


def _open_within_budget(path: Path, cache: Path) -> tuple[str, float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        project = load_project(path, cache_dir=cache)
    except UserFacingError as error:
        outcome = f"refused: {error}"
        assert path.name in str(error), str(error)
    else:
        # A project the reader accepted is whole: it saves and loads again.
        save_project(project, path.with_suffix(".again"))
        load_project(path.with_suffix(".again"), cache_dir=cache)
        outcome = "loaded"
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return outcome, seconds, peak


@pytest.mark.parametrize("kind", ["referred", "embedded"])
def test_mutated_projects_load_or_are_refused_clearly(
    real_projects: dict[str, bytes], tmp_path: Path, kind: str
) -> None:
    rng = random.Random(f"{SEED}-{kind}")
    original = real_projects[kind]
    outcomes: dict[str, int] = {}
    for case in range(CASES[kind]):
        mutator = MUTATORS[case % len(MUTATORS)]
        path = tmp_path / f"case{case:03d}.eightcount"
        path.write_bytes(mutator(rng, original))
        outcome, seconds, peak = _open_within_budget(path, tmp_path / "cache")
        where = f"case {case} ({mutator.__name__})"
        assert seconds < SECONDS_PER_CASE, f"{where} took {seconds:.1f} s: {outcome}"
        assert peak < PEAK_BYTES_PER_CASE, f"{where} peaked at {peak / 2**20:.0f} MB: {outcome}"
        assert "Internal error" not in outcome
        kind_of_outcome = outcome.split(":")[0]
        outcomes[kind_of_outcome] = outcomes.get(kind_of_outcome, 0) + 1
        path.unlink()
    # The mutations reach both sides: some files still open, most are refused.
    assert outcomes.get("loaded", 0) > 0 and outcomes.get("refused", 0) > CASES[kind] // 2


def test_the_unmutated_real_projects_load(real_projects: dict[str, bytes], tmp_path: Path) -> None:
    for kind, data in real_projects.items():
        path = tmp_path / f"{kind}.eightcount"
        path.write_bytes(data)
        project = load_project(path, cache_dir=tmp_path / "cache")
        assert len(project.parts) == 22 and len(project.dancer_tracks()[0].clips) == 3
