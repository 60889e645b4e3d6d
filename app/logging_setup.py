"""The studio's one log: a rotating file in the platform's standard log folder, and stderr.

Every module logs through ``logging.getLogger(__name__)``; :func:`setup_logging` (called once
when the studio starts) sends those records to ``eightcount.log`` in :func:`log_dir`, which
rotates at :data:`MAX_BYTES` keeping :data:`BACKUPS` older files, and to stderr. The error
dialog's "Copy details" and Help -> About name the file, so a user can find it.

The folder is platformdirs' user log folder when platformdirs is installed (the bundle ships
it): ``~/.local/state/EightCount Studio/log`` on Linux, ``~/Library/Logs/EightCount Studio``
on macOS, ``%LOCALAPPDATA%/EightCount/EightCount Studio/Logs`` on Windows. Without it, Qt's
state folder (``~/.local/state/EightCount/Studio/log`` on Linux).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

LOG_NAME = "eightcount.log"
MAX_BYTES = 1_000_000
"""A log file rotates when it reaches this size (about a day of heavy use)."""
BACKUPS = 4
"""How many rotated files (eightcount.log.1 ... .4) are kept beside the current one."""
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"

# Set by tests and portable installs; otherwise the platform's folder.
LOG_DIR_ENV = "EIGHTCOUNT_LOG_DIR"

ExceptionReport = Callable[[str], None]


def log_dir() -> Path:
    """The platform's standard folder for this application's logs."""
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    try:
        import platformdirs
    except ImportError:
        from PySide6.QtCore import QStandardPaths

        state = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.StateLocation)
        return Path(state) / "log"
    return Path(platformdirs.user_log_dir("EightCount Studio", "EightCount"))


class _StudioHandler(logging.handlers.RotatingFileHandler):
    """Marks the handler this module installed, so a second setup does not add another."""


def setup_logging(directory: Path | None = None, level: int = logging.INFO) -> Path:
    """Send the app's log records to the rotating file (and stderr); returns the file's path.

    Calling it again moves the file handler to ``directory`` (tests) instead of adding one.
    If the folder cannot be made, the log goes to stderr only and the reason is logged there.
    """
    root = logging.getLogger()
    root.setLevel(level)
    folder = directory or log_dir()
    path = folder / LOG_NAME
    for handler in [h for h in root.handlers if isinstance(h, _StudioHandler)]:
        root.removeHandler(handler)
        handler.close()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file_handler = _StudioHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, delay=True)
    except OSError as error:
        _ensure_stderr_handler(root)
        logging.getLogger(__name__).warning("no log file in %s (%s)", folder, error)
        return path
    file_handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(file_handler)
    _ensure_stderr_handler(root)
    return path


def _ensure_stderr_handler(root: logging.Logger) -> None:
    if not any(getattr(h, "_eightcount_stderr", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        handler._eightcount_stderr = True  # type: ignore[attr-defined]
        root.addHandler(handler)


def current_log_file() -> Path | None:
    """The file the log goes to now, or None before :func:`setup_logging`."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _StudioHandler):
            return Path(handler.baseFilename)
    return None


def log_tail(lines: int = 60) -> str:
    """The last ``lines`` lines of the current log file ("" when there is none yet)."""
    path = current_log_file()
    if path is None or not path.is_file():
        return ""
    for handler in logging.getLogger().handlers:
        handler.flush()
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - 64_000))
        text = stream.read().decode("utf-8", "replace")
    return "\n".join(text.splitlines()[-lines:])


def install_exception_hooks(report: ExceptionReport) -> None:
    """Log every uncaught exception (main thread, Qt slots, other threads) with its traceback,
    then call ``report(summary)`` on the main thread's hook so the user is told."""
    log = logging.getLogger("eightcount.uncaught")
    reporting = False

    def main_hook(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        nonlocal reporting
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.error("uncaught exception", exc_info=(kind, error, trace))
        if reporting:  # an error while the dialog is up (a paint that keeps failing): log only
            return
        reporting = True
        try:
            report(f"Internal error: {kind.__name__}: {error}")
        finally:
            reporting = False

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.error(
                "uncaught exception in thread %s",
                args.thread.name if args.thread else "?",
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            )

    sys.excepthook = main_hook
    threading.excepthook = thread_hook
