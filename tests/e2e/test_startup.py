"""Start-up never imports torch: the window is up before any model is needed."""

from __future__ import annotations

from startup_probe import measure, studio_command


def test_window_comes_up_without_torch() -> None:
    run = measure(studio_command())
    assert "torch" not in run.heavy_modules
    # scipy alone costs most of a second: analysis and metrics import it when they run.
    assert run.heavy_modules == ()
    assert run.seconds_to_window > 0
