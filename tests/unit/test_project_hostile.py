"""Hostile project files (issue #9): no exfiltration, bounded reads, every field validated."""

from __future__ import annotations

import io
import json
import math
import os
import signal
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app import project_io, project_zip
from app.model import Clip, MotionAsset, Part, Project, Track, TrackKind
from app.project_io import ProjectFileError, load_project, save_project
from inference.audio import make_grid
from inference.paths import DEMO_SONG
from tests.unit.project_files import (
    edit_document,
    motion_arrays,
    point_song_at,
    rewrite,
    rich_project,
    song_members,
)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.eightcount"
    save_project(rich_project(DEMO_SONG), path)
    return path


@pytest.fixture
def within_seconds() -> Iterator[None]:
    """Fail (instead of hanging the suite) if the test body takes more than 10 s."""

    def give_up(*_: object) -> None:
        raise TimeoutError("the save did not finish in 10 s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _load_error(path: Path, tmp_path: Path) -> str:
    with pytest.raises(ProjectFileError) as caught:
        load_project(path, cache_dir=tmp_path / "cache")
    message = str(caught.value)
    assert path.name in message, message
    return message


def _npz(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


# -- 1. a project file cannot copy a local file into itself ------------------------------------


def test_an_undecoded_file_is_never_embedded(good: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the password is hunter2")
    point_song_at(good, str(secret))
    project = load_project(good, cache_dir=tmp_path / "cache")  # the song just fails to decode
    saved = tmp_path / "saved.eightcount"
    # The studio passes the file it decoded as the song: here none was.
    notes = save_project(project, saved, decoded_song=None, cache_dir=tmp_path / "cache")
    assert song_members(saved) == []
    assert b"hunter2" not in saved.read_bytes()
    assert "secret.txt was not decoded" in notes[0]


@pytest.mark.usefixtures("within_seconds")
@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_device_or_fifo_is_never_opened(good: Path, tmp_path: Path, kind: str) -> None:
    if kind == "device":
        special = "/dev/zero"
    else:
        special = str(tmp_path / "pipe")
        os.mkfifo(special)  # opening it for reading would block until a writer came
    point_song_at(good, special)
    project = load_project(good, cache_dir=tmp_path / "cache")
    saved = tmp_path / "saved.eightcount"
    # Even claimed as decoded, a file that is not a regular one is refused.
    notes = save_project(project, saved, decoded_song=special)
    assert "not a regular file" in notes[0]
    assert song_members(saved) == []
    assert saved.stat().st_size < 1_000_000


def test_an_oversized_song_is_not_embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project_io, "MAX_SONG_BYTES", 1000)
    notes = save_project(
        rich_project(DEMO_SONG, embedded=True), tmp_path / "p.eightcount", str(DEMO_SONG)
    )
    assert "the limit for an embedded song is 1.0 KB" in notes[0]
    assert song_members(tmp_path / "p.eightcount") == []


def test_the_decoded_song_is_embedded(tmp_path: Path) -> None:
    path = tmp_path / "p.eightcount"
    assert save_project(rich_project(DEMO_SONG, embedded=True), path, str(DEMO_SONG)) == []
    with zipfile.ZipFile(path) as archive:
        assert archive.read(f"song/{DEMO_SONG.name}") == DEMO_SONG.read_bytes()


# -- 2. budgets: sizes checked before anything is read ----------------------------------------


def _bomb(size: int) -> bytes:
    return b" " * size  # deflates a thousandfold


def test_a_zip_bomb_is_refused_before_it_is_inflated(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zipfile.ZipFile(good) as archive:
        document = archive.read("project.json")
    # Valid JSON padded with 17 MB of spaces: 17 KB on disk.
    padded = document + _bomb(project_zip.MAX_JSON_BYTES + 1_000_000)
    rewrite(good, {"project.json": padded}, compression=zipfile.ZIP_DEFLATED)
    assert good.stat().st_size < 100_000
    read_sizes: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def record(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        read_sizes.append(n)
        return real_read(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", record)
    message = _load_error(good, tmp_path)
    assert "project.json inflates to 17.8 MB; the limit is 16.8 MB" in message
    assert read_sizes == []  # refused from the declared size, before reading a byte


def test_arrays_share_one_budget(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_zip, "MAX_ARRAYS_BYTES", 20_000)
    message = _load_error(good, tmp_path)
    assert "motions/m1.npz inflates to 31.9 KB, past the 20.0 KB that all of a" in message


def test_a_compressed_npz_cannot_hide_a_bomb(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_zip, "MAX_ARRAYS_BYTES", 5_000_000)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, root_translation=np.zeros((300_000, 3)))  # 7 MB in, 7 KB out
    rewrite(good, {"motions/m1.npz": buffer.getvalue()})
    message = _load_error(good, tmp_path)
    assert "motions/m1.npz: root_translation inflates to 7.2 MB, past the 5.0 MB" in message


def test_an_array_header_cannot_claim_more_than_it_holds(good: Path, tmp_path: Path) -> None:
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (99,)}
    )
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as inner:  # a valid zip: only the header lies
        inner.writestr("beats.npy", header.getvalue() + np.arange(4.0).tobytes())
    rewrite(good, {"arrays/beat_grid.npz": npz.getvalue()})
    assert "declares 99 values it does not hold" in _load_error(good, tmp_path)


def test_a_million_members_are_refused_before_the_directory_is_read(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_zip, "MAX_MEMBERS", 50)
    with zipfile.ZipFile(good, "a") as archive:
        for i in range(60):
            archive.writestr(f"junk/{i}", b"")
    parsed: list[object] = []
    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", lambda self: parsed.append(self))
    message = _load_error(good, tmp_path)
    assert "declares 63 files inside it; the limit is 50" in message
    assert parsed == []


def test_the_member_count_of_a_zip64_file_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "z.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a", b"1")
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    record_at = end
    zip64 = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, 7, 70_000, 0, 0)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, record_at, 1)
    tail = bytearray(data[end:])
    tail[8:12] = struct.pack("<HH", 0xFFFF, 0xFFFF)
    path.write_bytes(bytes(data[:end]) + zip64 + locator + bytes(tail))
    with open(path, "rb") as stream:
        assert project_zip.declared_members(stream) == 70_000


COUNTS = {
    "clips": (
        lambda d: d["tracks"][1].update(clips=[{}] * 200_000),
        "this project declares 200,000 clips; the limit is 5,000",
    ),
    "parts": (
        lambda d: d.update(parts=[{}] * 1_000_000),
        "this project declares 1,000,000 parts; the limit is 5,000",
    ),
    "tracks": (
        lambda d: d["tracks"].extend([d["tracks"][1]] * 200),
        "this project declares 202 tracks; the limit is 100",
    ),
    "motions": (
        lambda d: d.update(motions=d["motions"] * 3000),
        "this project declares 3,000 motions; the limit is 2,000",
    ),
    "sections": (
        lambda d: d.update(sections=d["sections"] * 1000),
        "this project declares 2,000 sections; the limit is 1,000",
    ),
}


@pytest.mark.parametrize("case", sorted(COUNTS))
def test_counts_are_bounded(good: Path, tmp_path: Path, case: str) -> None:
    edit, message = COUNTS[case]
    edit_document(good, edit)
    assert message in _load_error(good, tmp_path)


def test_beats_and_frames_are_bounded(good: Path, tmp_path: Path) -> None:
    rewrite(good, {"arrays/beat_grid.npz": _npz(beats=np.arange(30_000.0) * 0.1)})
    assert "beats declares 30,000 values; the limit is 20,000" in _load_error(good, tmp_path)
    save_project(rich_project(DEMO_SONG), good)
    arrays = motion_arrays(2)
    huge = {
        "root_translation": np.zeros((250_000, 3)),
        "local_rotations": arrays["local_rotations"],
    }
    rewrite(good, {"motions/m1.npz": _npz(**huge)})
    assert "declares 250,000 frames; a motion has 1 to 216,000" in _load_error(good, tmp_path)


# -- 4. every field validated, every failure a message naming the file and the field ----------


def _flip_compressed_byte(path: Path) -> None:
    """One flipped byte inside project.json's deflated data (a zlib error or a CRC error)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("project.json")
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _document(edit: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    return lambda path: edit_document(path, edit)


def _set(*keys: str | int, value: object) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        target: Any = document
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return edit


def _motion_member(**changes: np.ndarray) -> Callable[[Path], None]:
    return lambda path: rewrite(path, {"motions/m1.npz": _npz(**{**motion_arrays(45), **changes})})


def _nested(path: Path) -> None:
    rewrite(
        path,
        {"project.json": b'{"format_version": 2, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"},
    )


NAN_ROOT = np.full((45, 3), np.nan)

BAD_DOCUMENTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "a flipped byte": (_flip_compressed_byte, "project.json is damaged"),
    "deep JSON": (_nested, "nested too deeply"),
    "NaN motion arrays": (_motion_member(root_translation=NAN_ROOT), "root_translation holds NaN"),
    "wrong joint count": (
        _motion_member(local_rotations=np.ones((45, 5, 4))),
        "local_rotations must have shape T×21×4, not (45, 5, 4)",
    ),
    "rotations not unit": (
        _motion_member(local_rotations=np.ones((45, 21, 4))),
        "unit quaternions",
    ),
    "fps 0": (
        _document(_set("motions", 0, "fps", value=0)),
        "motions[0].fps must lie in 1..1000, not 0",
    ),
    "fps negative": (_document(_set("motions", 0, "fps", value=-30)), "motions[0].fps must lie in"),
    "seed as text": (
        _document(_set("generation", "seed", value="7")),
        "generation.seed must be a whole number, not '7'",
    ),
    "grid duration NaN": (
        _document(_set("beat_grid", "duration", value=math.nan)),
        "beat_grid.duration must be a finite number, not NaN",
    ),
    "clip start NaN": (
        _document(_set("tracks", 1, "clips", 0, "start", value=math.nan)),
        "tracks[1].clips[0].start must be a finite number, not NaN",
    ),
    "clip start inf": (
        _document(_set("tracks", 1, "clips", 0, "start", value=math.inf)),
        "tracks[1].clips[0].start must be a finite number, not inf",
    ),
    "clip start negative": (
        _document(_set("tracks", 1, "clips", 0, "start", value=-2.0)),
        "tracks[1].clips[0].start must lie in 0..10800, not -2",
    ),
    "clip of a missing motion": (
        _document(_set("tracks", 1, "clips", 0, "motion_id", value="gone")),
        "tracks[1].clips[0].motion_id names a motion the project lacks ('gone')",
    ),
    "negative song duration": (
        _document(_set("song", "duration", value=-5.0)),
        "song.duration must lie in 0..10800, not -5",
    ),
    "negative part": (
        _document(_set("parts", 0, "end", value=0.1)),
        "parts[0].end (0.1) comes before the start (0.5)",
    ),
    "NaN beats": (
        lambda p: rewrite(p, {"arrays/beat_grid.npz": _npz(beats=np.array([0.5, np.nan]))}),
        "arrays/beat_grid.npz: beats holds NaN or infinite values",
    ),
    "meter of a million": (
        _document(_set("beat_grid", "meter", value=10**6)),
        "beat_grid.meter must lie in 2..12, not 1000000",
    ),
    "format version 0": (
        _document(_set("format_version", value=0)),
        "format_version 0 is not a version EightCount Studio ever wrote",
    ),
    "format version -1": (
        _document(_set("format_version", value=-1)),
        "format_version -1 is not a version",
    ),
    "energy out of range": (
        _document(_set("generation", "energy", value=5)),
        "generation.energy must lie in 0..1, not 5",
    ),
    "tracks not a list": (_document(_set("tracks", value={"a": 1})), "tracks must be a list"),
    "clip name a number": (
        _document(_set("tracks", 1, "clips", 0, "name", value=3)),
        "tracks[1].clips[0].name must be text, not 3",
    ),
    "overlapping clips": (
        _document(
            lambda d: d["tracks"][1]["clips"].append(
                {**d["tracks"][1]["clips"][0], "id": "c2", "start": 1.5}
            )
        ),
        "tracks[1].clips overlap",
    ),
    "two audio tracks": (
        _document(lambda d: d["tracks"].append({**d["tracks"][0], "id": "x"})),
        "tracks must hold exactly one audio track",
    ),
    "part beyond the grid": (
        _document(_set("parts", 1, "n_beats", value=99)),
        "parts[1].n_beats must lie in 0..9, not 99",
    ),
    "a user move that does not exist": (
        _document(_set("user_moves", value=["nope"])),
        "user_moves[0] names a motion the project lacks",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_a_bad_field_is_named(good: Path, tmp_path: Path, case: str) -> None:
    damage, expected = BAD_DOCUMENTS[case]
    damage(good)
    message = _load_error(good, tmp_path)
    assert expected in message, message
    assert "Internal error" not in message


def test_json_nan_is_read_as_a_field_error_not_a_crash(good: Path, tmp_path: Path) -> None:
    """Python's json reads the bare tokens NaN and Infinity: they must reach the validation."""
    with zipfile.ZipFile(good) as archive:
        text = archive.read("project.json").decode()
    document = json.loads(text)
    document["beat_grid"]["duration"] = "__nan__"
    raw = json.dumps(document).replace('"__nan__"', "NaN")
    rewrite(good, {"project.json": raw.encode()})
    assert "beat_grid.duration must be a finite number, not NaN" in _load_error(good, tmp_path)


def test_the_largest_real_project_is_within_the_limits(tmp_path: Path) -> None:
    """A 20-minute song at 240 BPM: 4,800 beats, 600 parts, a clip per part on two tracks."""
    project = Project(name="long")
    beats = np.arange(4800) * 0.25
    project.set_beat_grid(make_grid(beats.tolist(), 4, 0, 1200.0))
    project.set_parts(tuple(Part(i + 1, 2.0 * i, 2.0 * i + 2, 8 * i, 8) for i in range(600)))
    project.add_motion(MotionAsset(id="m", name="m", fps=30.0, arrays=motion_arrays(9_000)))
    project.add_track(Track(id="t2", name="Dancer 2", kind=TrackKind.DANCER))
    for track in project.dancer_tracks():
        for i in range(600):
            clip = Clip(f"{track.id}{i}", "m", f"Part {i + 1}", 2.0 * i, 2.0 * i, 2.0 * i + 2)
            project.add_clip(track.id, clip)
    save_project(project, tmp_path / "long.eightcount")
    loaded = load_project(tmp_path / "long.eightcount")
    assert len(loaded.parts) == 600 and sum(len(t.clips) for t in loaded.tracks) == 1200
