"""Practice playback on the silent clock: song-time speed, loops, and the transport bar."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest

from app.main_window import MainWindow
from app.model import Part
from app.playback import RatePacer, SilentClock, Transport

RATE = 8000


def _transport(seconds: float = 20.0) -> Transport:
    transport = Transport(SilentClock("test"))
    transport.set_song(np.zeros(int(seconds * RATE), np.float32), RATE)
    return transport


def test_speed_runs_song_time_slower_than_wall_time(qtbot: object) -> None:
    transport = _transport()
    transport.set_speed(0.5)
    transport.seek(2.0)
    transport.play()
    wall = time.perf_counter()
    qtbot.wait(400)  # type: ignore[attr-defined]
    song = transport.position - 2.0
    rate = song / (time.perf_counter() - wall)
    transport.pause()
    assert rate == pytest.approx(0.5, abs=0.05)
    with pytest.raises(ValueError):
        transport.set_speed(2.0)


def test_changing_speed_while_playing_keeps_the_position(qtbot: object) -> None:
    transport = _transport()
    transport.seek(5.0)
    transport.play()
    qtbot.wait(100)  # type: ignore[attr-defined]
    before = transport.position
    transport.set_speed(0.75)
    assert transport.position == pytest.approx(before, abs=0.02)
    transport.pause()


def test_a_loop_wraps_to_its_start(qtbot: object) -> None:
    transport = _transport()
    seen: list[float] = []
    transport.position_changed.connect(seen.append)
    transport.set_loop(1.0, 1.2)
    assert transport.position == pytest.approx(1.0)  # outside the loop: jumps to its start
    transport.play()
    qtbot.wait(600)  # type: ignore[attr-defined]
    transport.pause()
    assert 1.0 <= transport.position < 1.25
    wraps = sum(1 for a, b in itertools.pairwise(seen) if b < a - 0.1)
    assert wraps >= 2  # 0.6 s of playing through a 0.2 s loop


@pytest.mark.parametrize(
    ("chances_per_second", "expected"), [(60.0, 15), (14.0, 14), (30.0, 15), (17.0, 15)]
)
def test_a_pacer_lets_through_its_rate_on_average(chances_per_second: float, expected: int) -> None:
    pacer = RatePacer(15.0)
    chances = np.arange(0.0, 10.0, 1.0 / chances_per_second)
    taken = np.array([t for t in chances if pacer.due(float(t))])
    assert len(taken) == pytest.approx(10 * expected, abs=2)
    assert np.diff(taken).min() >= 1.0 / chances_per_second - 1e-9  # never two at once
    pacer.restart(20.0)  # shown at 20 s by someone else: the next is due an interval later
    assert not pacer.due(20.05) and pacer.due(20.0 + 1 / 15)


def test_a_display_rate_caps_the_shown_positions_but_not_the_loop(qtbot: object) -> None:
    transport = _transport()
    seen: list[float] = []
    transport.position_changed.connect(seen.append)
    transport.set_display_rate(5.0)
    assert transport.display_rate == 5.0
    transport.set_loop(1.0, 1.4)
    transport.play()
    wall = time.perf_counter()
    qtbot.wait(1300)  # type: ignore[attr-defined]
    transport.pause()
    elapsed = time.perf_counter() - wall
    wraps = [b for a, b in itertools.pairwise(seen) if b < a - 0.1]
    # Wraps are shown at once (a seek): the rest at most 5 a second, not every 16 ms tick.
    assert len(seen) - len(wraps) <= 5 * elapsed + 3  # and the seek to the loop, the pause
    assert len(wraps) >= 2 and all(w == pytest.approx(1.0) for w in wraps)  # 0.4 s loops
    transport.set_display_rate(None)
    assert transport.display_rate is None


def test_the_transport_bar_loops_the_part_and_sets_the_speed(window: MainWindow) -> None:
    window.transport.set_song(np.zeros(30 * RATE, np.float32), RATE)
    window.project.set_parts((Part(1, 2.0, 6.0, 0, 8), Part(2, 6.0, 10.0, 8, 8)))
    window.transport.seek(7.0)
    bar = window.transport_bar
    bar.loop_part.setChecked(True)
    assert window.transport.loop == (6.0, 10.0)
    assert "0:06.00" in bar.loop_label.text()
    bar.clear_button.click()
    assert window.transport.loop is None and not bar.loop_part.isChecked()
    window.transport.seek(3.0)
    bar.a_button.click()
    window.transport.seek(4.5)
    bar.b_button.click()
    assert window.transport.loop == (3.0, 4.5)
    bar.speed_box.setCurrentIndex(bar.speed_box.findData(0.75))
    assert window.transport.speed == 0.75
    bar.metronome.setChecked(True)  # silent: nothing to render, nothing breaks
    assert window.practice.metronome
