"""Errors raised by the music analysis, each with a message the user can act on."""

from __future__ import annotations

from pathlib import Path

from inference.errors import BadFileError, UserFacingError


class SilentAudioError(BadFileError):
    """The file decodes, but holds nothing but silence."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, "the file contains only silence, so there is no music to analyse")


class TooLongError(BadFileError):
    """The file is longer than the analysis accepts (songs are at most a few minutes)."""

    def __init__(self, path: str | Path, duration: float, limit: float) -> None:
        self.duration = duration
        self.limit = limit
        super().__init__(
            path,
            f"the audio is {duration / 60:.0f} minutes long; songs of up to "
            f"{limit / 60:.0f} minutes can be analysed. Trim it in an audio editor first",
        )


class NoBeatError(UserFacingError):
    """The music has no steady beat that can be tracked (speech, ambient, rubato).

    The UI should catch this and offer tap tempo or manual beats: ``duration`` is the song length,
    which :func:`inference.audio.grid.grid_from_tap_tempo` needs, and
    :func:`inference.audio.analysis.analysis_from_grid` then derives parts, sections and energy
    from the grid the user made.
    """

    def __init__(self, path: str | Path | None, duration: float, pulse_clarity: float) -> None:
        self.path = Path(path) if path is not None else None
        self.duration = duration
        self.pulse_clarity = pulse_clarity
        name = self.path.name if self.path is not None else "The audio"
        super().__init__(
            f"{name}: no steady beat was found (it may be speech, ambient sound or free-tempo "
            "music). Tap the tempo or place the beats by hand."
        )
