"""Settings shared by every test: Qt platform, numba cache, the path of the real data."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("NUMBA_CACHE_DIR", str(ROOT / ".numba_cache"))


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # pytest-xvfb has set DISPLAY by now when it started a virtual screen: use a real X
    # connection there (GL needs it); without any display fall back to offscreen.
    platform = "xcb" if os.environ.get("DISPLAY") else "offscreen"
    os.environ.setdefault("QT_QPA_PLATFORM", platform)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"the real data folder {SHARED_DATA} is missing: clone next to ../shared")
    return SHARED_DATA


@pytest.fixture(scope="session", autouse=True)
def private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Songs unpacked from projects go to a cache of the test session, not the user's."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def studio_log(tmp_path: Path) -> Iterator[Path]:
    """The studio's log set up in a folder of the test; the root logger is put back after."""
    from app.logging_setup import setup_logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield setup_logging(tmp_path / "log")
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
