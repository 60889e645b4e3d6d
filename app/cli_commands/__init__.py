"""One module per ``eightcount`` subcommand, each with ``register(subparsers)``.

A module's ``register`` adds its parser and sets ``handler`` to a function taking the parsed
arguments and returning the exit code. Heavy imports go inside the handler, so ``--help``
stays fast.

Options are checked when they are parsed, before any work, with the argparse types below: an
output file must have a suffix the command writes and sit in an existing, writable folder,
numbers must be finite and in range. A bad option ends with argparse's message and status 2.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from pathlib import Path

MAX_SEED = 2**32 - 1
MAX_VIDEO_SIZE = (7680, 4320)
"""Largest MP4 frame (8K UHD): larger ones exceed what OpenGL renders offscreen."""


def output_file(*suffixes: str) -> Callable[[str], Path]:
    """An argparse type for a file to write: one of ``suffixes``, in a writable folder."""

    def check(text: str) -> Path:
        path = Path(text)
        if suffixes and path.suffix.lower() not in suffixes:
            raise argparse.ArgumentTypeError(
                f"{text}: cannot write {path.suffix or 'a file without a suffix'!r} "
                f"(use {', '.join(suffixes)})"
            )
        folder = path.parent
        if not folder.is_dir():
            raise argparse.ArgumentTypeError(f"{text}: the folder {str(folder)!r} does not exist")
        if path.is_dir():
            raise argparse.ArgumentTypeError(f"{text}: is a folder")
        if not os.access(folder, os.W_OK | os.X_OK) or (
            path.exists() and not os.access(path, os.W_OK)
        ):
            raise argparse.ArgumentTypeError(f"{text}: no permission to write there")
        return path

    return check


def finite_float(text: str) -> float:
    """An argparse type: a finite number (no nan or inf)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text}")
    return value


def seed(text: str) -> int:
    """An argparse type: a random seed, a whole number from 0 to :data:`MAX_SEED`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_SEED:,}, not {value}")
    return value


def video_size(text: str) -> tuple[int, int]:
    """An argparse type: an MP4 frame size ``WIDTHxHEIGHT``, even sides, 16 to 8K."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must look like 1280x720, not {text!r}") from None
    max_w, max_h = MAX_VIDEO_SIZE
    if not (16 <= width <= max_w and 16 <= height <= max_h) or width % 2 or height % 2:
        raise argparse.ArgumentTypeError(
            f"needs even sides from 16x16 to {max_w}x{max_h}, not {text!r}"
        )
    return width, height


def json_safe(value: object) -> object:
    """``value`` with every NaN or infinite float replaced by None (JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def song_file(text: str) -> Path:
    """An argparse type: an existing song file (that it decodes is checked by the command)."""
    path = Path(text)
    if not path.is_file():
        reason = "does not exist" if not path.exists() else "is not a file"
        raise argparse.ArgumentTypeError(f"{text}: the file {reason}")
    return path
