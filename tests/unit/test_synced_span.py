"""Where a synced video clip lands on the song's timeline."""

from __future__ import annotations

import pytest

from app.model.clip_rules import synced_span


def test_a_video_that_starts_inside_the_song_starts_its_clip_there() -> None:
    assert synced_span(8.0, 3.0) == (8.0, 0.0)


def test_a_video_that_starts_before_the_song_is_trimmed_to_song_time_zero() -> None:
    start, source_in = synced_span(-1.25, 3.0)  # type: ignore[misc]
    assert start == 0.0 and source_in == pytest.approx(1.25)


def test_a_video_that_ends_before_the_song_starts_has_no_synced_place() -> None:
    assert synced_span(-3.0, 3.0) is None
