"""Opening, saving and recovering with hostile or broken files (issues #9 and #11)."""

from __future__ import annotations

import io
import json
import math
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import app.main_window as main_window_module
from app.autosave import Recovery
from app.main_window import MainWindow
from app.model import Song
from app.project_io import save_project
from app.recovery_dialog import RecoveryDialog
from inference.paths import DEMO_SONG
from tests.unit.project_files import (
    motion_arrays,
    point_song_at,
    rewrite,
    rich_project,
    song_members,
)
from tests.unit.test_project_hostile import BAD_DOCUMENTS

DEAD_PIDS = (5_000_001, 5_000_002, 5_000_003, 5_000_004)
"""Above Linux's largest possible pid (2**22): never a running process."""


def _state(window: MainWindow) -> tuple[object, ...]:
    return (
        window.project,
        window.project_path,
        window.windowTitle(),
        window.autosaver._project,
        window.autosaver._original_path,
        window.timeline,
        window.isWindowModified(),
    )


def _open_edited(window: MainWindow, tmp_path: Path) -> None:
    save_project(rich_project(tmp_path / "no_song.ogg"), tmp_path / "first.eightcount")
    assert window.open_path(tmp_path / "first.eightcount")
    window.parameter_panel.sliders["energy"].setValue(20)
    assert window.isWindowModified()


@pytest.mark.parametrize(
    "case", ["a flipped byte", "deep JSON", "NaN motion arrays", "fps 0", "seed as text"]
)
def test_a_bad_project_leaves_the_window_exactly_as_it_was(
    window: MainWindow, tmp_path: Path, case: str
) -> None:
    _open_edited(window, tmp_path)
    before = _state(window)
    bad = tmp_path / "bad.eightcount"
    save_project(rich_project(DEMO_SONG), bad)
    damage, field = BAD_DOCUMENTS[case]
    damage(bad)
    assert not window.open_path(bad)
    assert _state(window) == before
    assert window.project.generation.energy == pytest.approx(0.2)
    assert "bad.eightcount" in window.errors[-1]  # type: ignore[attr-defined]
    assert field in window.errors[-1]  # type: ignore[attr-defined]


def test_a_view_that_cannot_be_built_leaves_the_window_as_it_was(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _open_edited(window, tmp_path)
    before = _state(window)
    save_project(rich_project(DEMO_SONG), tmp_path / "good.eightcount")

    def broken(project: object) -> None:
        raise RuntimeError("the inspector broke")

    monkeypatch.setattr(main_window_module, "InspectorPanel", broken)
    assert not window.open_path(tmp_path / "good.eightcount")
    assert _state(window) == before
    assert "good.eightcount: an unexpected error" in window.errors[-1]  # type: ignore[attr-defined]
    assert "left as it was" in window.errors[-1]  # type: ignore[attr-defined]


# -- the song: never exfiltrated, found when it moved, embedded when offered -------------------


def test_a_project_cannot_copy_a_secret_into_itself(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the password is hunter2")
    hostile = tmp_path / "hostile.eightcount"
    save_project(rich_project(DEMO_SONG), hostile)
    point_song_at(hostile, str(secret))
    assert window.open_path(hostile)
    qtbot.waitUntil(lambda: any("secret.txt" in e for e in window.errors), timeout=15000)
    assert window.loaded_song is None  # it did not decode
    assert window.save_to(tmp_path / "saved.eightcount")
    assert song_members(tmp_path / "saved.eightcount") == []
    assert b"hunter2" not in (tmp_path / "saved.eightcount").read_bytes()
    assert "was not decoded" in window.errors[-1]  # type: ignore[attr-defined]


def test_dev_zero_neither_decodes_nor_freezes_save(window: MainWindow, tmp_path: Path) -> None:
    hostile = tmp_path / "zero.eightcount"
    save_project(rich_project(DEMO_SONG), hostile)
    point_song_at(hostile, "/dev/zero")
    assert window.open_path(hostile)
    assert window.bridge.busy is False  # no decode was started on a device
    started = time.monotonic()
    assert window.save_to(tmp_path / "saved.eightcount")
    assert time.monotonic() - started < 10
    assert song_members(tmp_path / "saved.eightcount") == []


def test_a_missing_song_offers_locate_and_keeps_working(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_project(rich_project(tmp_path / "moved_away.ogg"), tmp_path / "p.eightcount")
    asked: list[Song] = []
    located = tmp_path / "found" / "song.ogg"
    located.parent.mkdir()
    shutil.copy(DEMO_SONG, located)

    def locate(self: MainWindow, song: Song) -> Path:
        asked.append(song)
        return located

    monkeypatch.setattr(MainWindow, "_ask_locate_song", locate)
    assert window.open_path(tmp_path / "p.eightcount")
    assert [s.path for s in asked] == [str(tmp_path / "moved_away.ogg")]
    assert len(window.project.parts) == 2  # the work is open meanwhile
    qtbot.waitUntil(lambda: window.loaded_song is not None, timeout=15000)
    assert window.project.song is not None and window.project.song.path == str(located)


def test_a_missing_song_can_be_left_missing(window: MainWindow, tmp_path: Path) -> None:
    save_project(rich_project(tmp_path / "moved_away.ogg"), tmp_path / "p.eightcount")
    assert window.open_path(tmp_path / "p.eightcount")  # the fixture answers Keep Working
    assert window.project.song is not None
    assert window.project.song.path == str(tmp_path / "moved_away.ogg")
    assert window.save_to(tmp_path / "p.eightcount")  # and the reference is kept


def test_saving_offers_to_embed_a_song_from_another_folder(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    offers: list[Path] = []
    answers = iter([False, True])

    def ask(self: MainWindow, song: Song, folder: Path) -> bool:
        offers.append(folder)
        return next(answers)

    monkeypatch.setattr(MainWindow, "_ask_embed_song", ask)
    window.import_song(DEMO_SONG)
    qtbot.waitUntil(lambda: window.loaded_song is not None, timeout=15000)
    (tmp_path / "projects").mkdir()
    assert window.save_to(tmp_path / "projects" / "a.eightcount")
    assert window.save_to(tmp_path / "projects" / "a.eightcount")  # declined: not asked again
    assert offers == [(tmp_path / "projects").resolve()]
    assert song_members(tmp_path / "projects" / "a.eightcount") == []
    window.new_project()
    window.import_song(DEMO_SONG)
    qtbot.waitUntil(lambda: window.loaded_song is not None, timeout=15000)
    assert window.save_to(tmp_path / "projects" / "b.eightcount")
    assert song_members(tmp_path / "projects" / "b.eightcount") == [f"song/{DEMO_SONG.name}"]
    # A song inside the project's folder travels with it: nothing to offer.
    shutil.copy(DEMO_SONG, tmp_path / "projects" / "inside.ogg")
    window.new_project()
    window.import_song(tmp_path / "projects" / "inside.ogg")
    qtbot.waitUntil(lambda: window.loaded_song is not None, timeout=15000)
    assert window.save_to(tmp_path / "projects" / "c.eightcount")
    assert len(offers) == 2


# -- crash recovery: every project offered, none lost -------------------------------------------


def _recovery(folder: Path, pid: int, saved_at: float, energy: float | None) -> Recovery:
    """A recovery pair as a crashed studio leaves it; ``energy`` None writes a damaged one."""
    folder.mkdir(exist_ok=True)
    project_file = folder / f"autosave-{pid}.eightcount"
    if energy is None:
        project_file.write_bytes(b"PK\x03\x04 cut off by the crash")
    else:
        project = rich_project(folder / "no_song.ogg")
        project.set_generation_settings(project.generation.__class__(energy=energy))
        save_project(project, project_file)
    original = str(folder.parent / f"project-{pid}.eightcount")
    info = {"pid": pid, "original_path": original, "saved_at": saved_at}
    project_file.with_suffix(".json").write_text(json.dumps(info))
    return Recovery(project_file, original, saved_at)


def _offered(
    monkeypatch: pytest.MonkeyPatch, pick: Callable[[list[Recovery]], Recovery | None]
) -> list[list[Recovery]]:
    offers: list[list[Recovery]] = []

    def ask(self: MainWindow, recoveries: list[Recovery]) -> Recovery | None:
        offers.append(list(recoveries))
        return pick(recoveries)

    monkeypatch.setattr(MainWindow, "_ask_restore", ask)
    return offers


def test_every_recovery_is_offered_and_restoring_one_keeps_the_others(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = window.autosaver.project_file.parent
    older = _recovery(folder, DEAD_PIDS[0], 1000.0, energy=0.1)
    newer = _recovery(folder, DEAD_PIDS[1], 2000.0, energy=0.9)
    damaged = _recovery(folder, DEAD_PIDS[2], 3000.0, energy=None)
    (folder / f"autosave-{DEAD_PIDS[3]}.eightcount").write_bytes(older.project_file.read_bytes())
    (folder / f"autosave-{DEAD_PIDS[3]}.json").write_text("{not json")
    offers = _offered(monkeypatch, lambda recoveries: recoveries[0])

    assert window.offer_recovery()
    assert [[r.project_file for r in offer] for offer in offers] == [
        [newer.project_file, older.project_file]
    ]
    assert window.project.generation.energy == pytest.approx(0.9)
    assert window.project_path == Path(newer.original_path or "")
    assert window.isWindowModified()
    # The restored one's work now lives in this studio's autosave; the other one is untouched.
    assert not newer.project_file.exists()
    assert older.project_file.exists() and older.info_file.exists()
    # The damaged ones were moved aside, kept, and the user was told where.
    kept = folder / "damaged"
    assert (kept / damaged.project_file.name).exists() and (kept / damaged.info_file.name).exists()
    assert (kept / f"autosave-{DEAD_PIDS[3]}.json").exists()
    assert not damaged.project_file.exists()
    assert sum("moved to" in e and str(kept) in e for e in window.errors) == 2  # type: ignore[attr-defined]

    # The next start offers the one left, and says nothing more about the damaged ones.
    errors_before = len(window.errors)  # type: ignore[attr-defined]
    window.undo_stack.setClean()
    window.autosaver.discard()
    assert window.offer_recovery()
    assert [r.project_file for r in offers[1]] == [older.project_file]
    assert window.project.generation.energy == pytest.approx(0.1)
    assert len(window.errors) == errors_before  # type: ignore[attr-defined]


def test_later_keeps_every_recovery(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = window.autosaver.project_file.parent
    pairs = [
        _recovery(folder, pid, t, 0.5) for pid, t in zip(DEAD_PIDS[:2], (1.0, 2.0), strict=True)
    ]
    _offered(monkeypatch, lambda recoveries: None)
    assert not window.offer_recovery()
    assert all(r.project_file.exists() and r.info_file.exists() for r in pairs)


def test_the_recovery_dialog_lists_newest_first_and_discards_only_the_selected(
    qapp: object, tmp_path: Path
) -> None:
    folder = tmp_path / "recovery"
    newer = _recovery(folder, DEAD_PIDS[1], 2000.0, 0.9)
    older = _recovery(folder, DEAD_PIDS[0], 1000.0, 0.1)
    dialog = RecoveryDialog([newer, older])
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert labels[0].startswith(f"project-{DEAD_PIDS[1]}.eightcount")
    assert labels[1].startswith(f"project-{DEAD_PIDS[0]}.eightcount")
    dialog.list.setCurrentRow(1)
    dialog.discard_button.click()
    assert not older.project_file.exists() and newer.project_file.exists()
    dialog.restore_button.click()
    assert dialog.chosen == newer
    dialog.deleteLater()


def test_nan_arrays_in_a_recovery_are_set_aside(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = window.autosaver.project_file.parent
    bad = _recovery(folder, DEAD_PIDS[0], 1.0, 0.5)
    nan = {**motion_arrays(45), "root_translation": np.full((45, 3), math.nan)}
    buffer = io.BytesIO()
    np.savez(buffer, **nan)
    rewrite(bad.project_file, {"motions/m1.npz": buffer.getvalue()})
    offers = _offered(monkeypatch, lambda recoveries: recoveries[0])
    assert not window.offer_recovery()
    assert offers == []
    assert "root_translation holds NaN" in window.errors[-1]  # type: ignore[attr-defined]
