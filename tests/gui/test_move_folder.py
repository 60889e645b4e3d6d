"""Add Folder of Moves, and the line under the prompt box, in the studio window."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLabel

from app.commands import AddUserMovesCommand
from app.main_window import MainWindow
from app.model import MotionAsset, Project
from inference.generate.params import STYLES
from inference.paths import DEMO_SONG
from widgets.parameter_panel import PROMPT_HINT

STYLE = "our girl crush"


@pytest.fixture
def folder(shared_data: Path, tmp_path: Path) -> Path:
    """Two real takes and a broken file, in a folder named like a style."""
    moves = tmp_path / "our_girl_crush"
    moves.mkdir()
    for clip in ("bandai_namco/dataset-1_walk_normal_001.bvh", "cmu_salsa/60_05_scaled.bvh"):
        shutil.copyfile(shared_data / "motion" / clip, moves / Path(clip).name)
    (moves / "broken.bvh").write_text("HIERARCHY\nROOT Hips\n{\n")
    return moves


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Answer the style question with the name offered; record (label, offered name)."""
    questions: list[tuple[str, str]] = []

    def get_text(parent, title, label, text="", **_):  # type: ignore[no-untyped-def]
        questions.append((label, text))
        return text, True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return questions


def _menu_action(window: MainWindow, menu: str, starts: str):  # type: ignore[no-untyped-def]
    bar = window.menuBar()
    top = next(a.menu() for a in bar.actions() if a.text() == f"&{menu}")
    return next(a for a in top.actions() if a.text().replace("&", "").startswith(starts))


def _styles(window: MainWindow) -> list[str]:
    box = window.parameter_panel.style_box
    return [box.itemText(i) for i in range(box.count()) if box.itemText(i)]  # not the separator


def test_a_folder_of_moves_becomes_a_style_in_one_step(
    window, qtbot, folder, asked, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder))
    )
    window.import_song(DEMO_SONG)
    qtbot.waitUntil(lambda: len(window.project.parts) > 0, timeout=30000)
    count = window.undo_stack.count()
    _menu_action(window, "Generate", "Add Folder of Moves").trigger()
    assert asked == [("Style name for the moves in our_girl_crush:", STYLE)]
    qtbot.waitUntil(lambda: len(window.project.user_moves) == 2, timeout=30000)

    project = window.project
    assert window.undo_stack.count() == count + 1  # one undo step for the whole folder
    assert set(project.user_move_styles.values()) == {STYLE}
    names = sorted(project.motions[m].name for m in project.user_moves)
    assert names == ["60_05_scaled", "dataset-1_walk_normal_001"]
    assert all(t.clips == () for t in project.dancer_tracks())  # library only, not the timeline
    # The user is told how many went in, and which file failed and why.
    assert len(window.errors) == 1
    assert "Added 2 moves" in window.errors[0] and "broken.bvh" in window.errors[0]
    assert _styles(window) == [*STYLES, STYLE]
    assert "2 clips: our girl crush" in window.parameter_panel.moves_label.text()

    window.undo_stack.undo()
    assert project.user_moves == () and not any(m in project.motions for m in names)
    assert _styles(window) == list(STYLES)
    window.undo_stack.redo()
    assert len(project.user_moves) == 2 and _styles(window)[-1] == STYLE

    # Chosen in the style box, the style makes the generator dance the user's clips.
    window.parameter_panel.style_box.setCurrentText(STYLE)
    assert project.generation.style == STYLE
    window.generate_routine()
    track = project.dancer_tracks()[0]
    qtbot.waitUntil(lambda: len(project.track(track.id).clips) > 0, timeout=60000)
    plan = project.motions[project.track(track.id).clips[0].motion_id].arrays["plan"]
    from inference.generate import load_library

    user_units = plan[:, 1] >= len(load_library().units)
    # The planner still mixes in other styles for variety; the user's clips lead.
    assert user_units.mean() > 0.25, "the user's style did not draw on the user's clips"

    # Saved with the project and restored on open.
    window.save_to(tmp_path / "crew.eightcount")
    window.open_path(tmp_path / "crew.eightcount")
    assert window.project is not project
    assert window.project.user_move_styles == project.user_move_styles
    assert window.project.generation.style == STYLE
    assert _styles(window)[-1] == STYLE
    assert window.parameter_panel.style_box.currentText() == STYLE


def test_a_folder_dropped_on_the_generate_panel_joins_the_library(
    window, qtbot, folder, asked
) -> None:  # type: ignore[no-untyped-def]
    panel = window.parameter_panel
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(folder))])
    at = panel.rect().center()
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(at.toPointF(), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(panel, drop)
    assert asked and asked[0][1] == STYLE
    qtbot.waitUntil(lambda: len(window.project.user_moves) == 2, timeout=30000)
    assert window.undo_stack.undoText() == f"Add 2 moves in the style {STYLE}"

    # A dropped file is not a folder of moves: the panel leaves it to the window (which
    # imports it onto the timeline, as anywhere else).
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(folder / "60_05_scaled.bvh"))])
    dropped: list[object] = []
    panel.moves_folder_dropped.connect(dropped.append)
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, files, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(panel, drop)
    assert dropped == [] and len(asked) == 1


def test_a_folder_where_nothing_goes_in_changes_nothing(window, qtbot, tmp_path, asked) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "takes"
    bad.mkdir()
    (bad / "one.bvh").write_text("nope")
    (bad / "two.bvh").write_text("")
    assert window.move_folders.add_folder(bad, style="takes")
    qtbot.waitUntil(lambda: len(window.errors) == 1, timeout=30000)
    assert window.errors[0].startswith("No moves went in: ")
    assert "one.bvh" in window.errors[0] and "two.bvh" in window.errors[0]
    assert window.project.user_moves == () and window.undo_stack.count() == 0
    assert not window.move_folders.add_folder(bad / "one.bvh")  # not a folder: nothing asked
    assert asked == []


def test_adding_moves_undoes_to_the_same_project(qapp) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    project = Project()
    rotations = np.tile([1.0, 0.0, 0.0, 0.0], (30, 22, 1))
    single = MotionAsset(id="s", name="s", fps=30.0, arrays={"local_rotations": rotations})
    project.add_motion(single)
    project.set_user_moves(("s",))
    assets = [MotionAsset(id=i, name=i, fps=30.0, arrays={"local_rotations": rotations})
              for i in ("a", "b")]  # fmt: skip
    command = AddUserMovesCommand(project, ["a", "b"], "Add 2 moves", "crew", assets)
    command.redo()
    assert project.user_moves == ("s", "a", "b")
    assert project.user_move_styles == {"a": "crew", "b": "crew"}
    command.undo()
    assert project.user_moves == ("s",) and project.user_move_styles == {}
    assert set(project.motions) == {"s"}
    command.redo()
    assert project.user_styles() == ("crew",)


def _line(label: QLabel) -> str:
    """The label's text as describe_prompt wrote it (the panel keeps arrows on their word)."""
    return label.text().replace("\u00a0", " ")


def test_the_prompt_says_what_it_was_understood_as(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.parameter_panel
    summary = panel.prompt_summary
    assert summary.text() == PROMPT_HINT  # the room the line keeps, while there is no prompt
    started = time.perf_counter()
    qtbot.keyClicks(panel.prompt_edit, "powerful footwork")
    typing = time.perf_counter() - started
    qtbot.waitUntil(lambda: _line(summary).startswith("energy ↑"), timeout=15000)
    assert "focus: legs" in _line(summary) and "footwork ↑" in _line(summary)
    assert typing < 2.0  # 17 keys: the reading never runs on the GUI thread
    # The line sits under the prompt box, inside the panel, with room for its text.
    assert summary.isVisible()
    assert summary.geometry().top() >= panel.prompt_edit.geometry().bottom()
    assert summary.geometry().right() <= panel.width()
    assert summary.height() >= summary.heightForWidth(summary.width())

    panel.prompt_edit.editingFinished.emit()  # the prompt is committed as one edit
    assert window.project.generation.prompt == "powerful footwork"
    qtbot.keyClicks(panel.prompt_edit, " qwxz")
    panel.prompt_edit.clear()
    qtbot.waitUntil(lambda: summary.text() == PROMPT_HINT, timeout=5000)
    window.undo_stack.undo()  # back to the empty prompt, then redo: the line follows the model
    window.undo_stack.redo()
    qtbot.waitUntil(lambda: _line(summary).startswith("energy ↑"), timeout=15000)


def test_a_slow_reading_says_so_and_never_holds_up_the_window(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.prompt_reader import READING
    from inference.generate import prompt_summary
    from inference.generate.prompt import PromptBias

    def slow_tags(prompt: str) -> PromptBias:  # as the first reading, which loads the model
        time.sleep(1.5)
        return PromptBias(nudges={"energy": 0.3}, matched=("fierce",))

    monkeypatch.setattr(prompt_summary, "prompt_tags", slow_tags)
    summary = window.parameter_panel.prompt_summary
    started = time.perf_counter()
    qtbot.keyClicks(window.parameter_panel.prompt_edit, "fierce")
    qtbot.waitUntil(lambda: summary.text() == READING, timeout=5000)
    assert time.perf_counter() - started < 1.4  # the window answered while the reader read
    qtbot.waitUntil(lambda: _line(summary) == "energy ↑", timeout=10000)
