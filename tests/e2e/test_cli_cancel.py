"""A real Ctrl+C (SIGINT) in the middle of a CLI run: "Cancelled.", status 130, no output."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from inference.paths import DEMO_SONG


def test_sigint_of_a_real_run_prints_cancelled(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "app", "generate", str(DEMO_SONG), "-o", str(tmp_path / "x.bvh")],
        stderr=subprocess.PIPE,
        text=True,
        # A shell's background job ignores SIGINT and its children inherit that, so Python
        # would not turn Ctrl+C into KeyboardInterrupt: the child gets the default back.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    ) as proc:  # closes the pipe, which a bare Popen leaves to the garbage collector
        assert proc.stderr is not None
        # Interrupt the routine's planning: well inside the work, with over a second of it left.
        # (A fixed 0.2 s after the first progress line once landed after the whole run.)
        for line in proc.stderr:
            if "Planning counts" in line:
                break
        proc.send_signal(signal.SIGINT)
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 130
    assert err.rstrip().endswith("Cancelled.") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
