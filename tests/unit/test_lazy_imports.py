"""Heavy libraries are imported inside the functions that need them, never at module level.

Start-up must stay fast, and a test that needs no model must not load one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAZY = {"torch", "mediapipe", "librosa", "cv2", "sounddevice"}
PACKAGES = ("app", "widgets", "viewport", "inference")


def module_level_imports(path: Path) -> set[str]:
    """Top-level package names imported by statements that run when the module loads."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            # Code in these blocks still runs at import time.
            for field in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(node, field, []):
                    pending.extend(child.body if isinstance(child, ast.ExceptHandler) else [child])
    return names


def python_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_heavy_import_at_module_level(path: Path) -> None:
    heavy = module_level_imports(path) & LAZY
    assert not heavy, f"{path.name} imports {sorted(heavy)} at module level; import it lazily"


def test_the_checker_sees_module_level_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\ntry:\n    import torch\nexcept ImportError:\n    pass\n"
        "def f():\n    import cv2\n"
    )
    assert module_level_imports(sample) == {"os", "torch"}


def test_a_cpu_generation_never_imports_torch(tmp_path: Path) -> None:
    """Without a GPU the in-betweener runs in numpy: a cold ``eightcount generate`` must not
    pay about a second for torch (a whole song at >= 30x real time counts process start)."""
    import subprocess
    import sys

    from inference.paths import DEMO_SONG

    probe = (
        "import sys, runpy\n"
        "sys.argv = ['eightcount', 'generate', sys.argv[1], '-o', sys.argv[2]]\n"
        "try:\n    runpy.run_module('app', run_name='__main__')\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        "print('torch' in sys.modules, 'scipy.stats' in sys.modules)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "EIGHTCOUNT_FORCE_CPU": "1"}
    done = subprocess.run(
        [sys.executable, "-c", probe, str(DEMO_SONG), str(tmp_path / "r.bvh")],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "False False", "torch or scipy.stats imported"
    assert (tmp_path / "r.bvh").stat().st_size > 0
