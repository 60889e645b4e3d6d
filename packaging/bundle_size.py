"""Print a bundle's size and its ten largest parts: ``python packaging/bundle_size.py DIR``."""

from __future__ import annotations

import sys
from pathlib import Path


def size(path: Path) -> int:
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> int:
    bundle = Path(sys.argv[1])
    # PyInstaller 6 keeps everything but the executables in _internal/ (Contents/ on macOS).
    contents = next(
        (bundle / n for n in ("_internal", "Contents") if (bundle / n).is_dir()), bundle
    )
    parts = sorted(((size(p), p) for p in contents.iterdir()), reverse=True)
    total = size(bundle)
    print(f"Bundle {bundle}: {total / 2**20:,.0f} MiB")
    print("Largest parts:")
    for part_size, path in parts[:10]:
        print(f"  {part_size / 2**20:8,.1f} MiB  {path.relative_to(bundle)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
