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
