"""The studio's one log: a rotating file in the platform's log folder, uncaught errors in it."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest

import app.logging_setup as logging_setup
from app.logging_setup import (
    BACKUPS,
    LOG_NAME,
    current_log_file,
    install_exception_hooks,
    log_dir,
    log_tail,
    setup_logging,
)


def test_the_log_rotates_and_keeps_a_few_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, studio_log: Path
) -> None:
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2_000)
    path = setup_logging(tmp_path / "rotating")
    log = logging.getLogger("test.rotation")
    for line in range(400):
        log.info("line %04d %s", line, "x" * 80)
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == [LOG_NAME] + [f"{LOG_NAME}.{n}" for n in range(1, BACKUPS + 1)]
    assert all(p.stat().st_size <= 2_000 for p in path.parent.iterdir())
    assert "line 0399" in path.read_text()  # the newest records are in the current file
    assert "line 0000" not in "".join(p.read_text() for p in path.parent.iterdir())


def test_setting_up_again_moves_the_one_file_handler(tmp_path: Path, studio_log: Path) -> None:
    assert current_log_file() == studio_log
    moved = setup_logging(tmp_path / "elsewhere")
    assert current_log_file() == moved == tmp_path / "elsewhere" / LOG_NAME
    ours = [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]
    assert [h.baseFilename for h in ours if h.baseFilename.endswith(LOG_NAME)] == [str(moved)]
    logging.getLogger("test").warning("after the move")
    assert "after the move" in log_tail()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG layout is Linux's")
def test_the_log_goes_to_the_xdg_state_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("platformdirs")
    monkeypatch.delenv("EIGHTCOUNT_LOG_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert log_dir() == tmp_path / "EightCount Studio" / "log"


def test_uncaught_errors_are_logged_with_their_traceback_and_reported(
    monkeypatch: pytest.MonkeyPatch, studio_log: Path
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    reported: list[str] = []
    install_exception_hooks(reported.append)
    try:
        raise ValueError("boom in a slot")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # what PySide6 does with an error in a slot

    def fail() -> None:
        raise RuntimeError("boom in a thread")

    thread = threading.Thread(target=fail, name="worker-x")
    thread.start()
    thread.join()
    text = studio_log.read_text()
    assert reported == ["Internal error: ValueError: boom in a slot"]
    assert "Traceback (most recent call last)" in text
    assert "ValueError: boom in a slot" in text
    assert "uncaught exception in thread worker-x" in text
    assert "RuntimeError: boom in a thread" in text


def test_an_error_while_reporting_one_is_logged_not_reported_again(
    monkeypatch: pytest.MonkeyPatch, studio_log: Path
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    reported: list[str] = []

    def report(message: str) -> None:  # the dialog's own paint fails, and fails again
        reported.append(message)
        try:
            raise KeyError("again")
        except KeyError:
            sys.excepthook(*sys.exc_info())

    install_exception_hooks(report)
    try:
        raise ValueError("first")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert reported == ["Internal error: ValueError: first"]
    assert "KeyError: 'again'" in studio_log.read_text()
