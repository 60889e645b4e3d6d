"""Where the shipped resources live, for every layer of the app."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
DEMO_SONG = RESOURCES_DIR / "demo_song.ogg"
