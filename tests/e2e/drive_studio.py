"""Drives a real studio process for the end-to-end tests.

python drive_studio.py edit-and-wait SETTINGS RECOVERY_DIR
    makes edits, waits for the autosave, prints AUTOSAVED, then idles until killed.
python drive_studio.py restore SETTINGS RECOVERY_DIR
    starts like after a crash, accepts the offer to restore, prints the state as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from app.application import create_window, ensure_application
from app.main_window import MainWindow

EDITS = {"energy": 87, "bounce": 12}
SEED = 4242


def edit_and_wait(window: MainWindow) -> None:
    app = ensure_application()
    for name, value in EDITS.items():
        window.parameter_panel.sliders[name].setValue(value)
    window.parameter_panel.seed_box.setValue(SEED)
    deadline = time.monotonic() + 60
    while not window.autosaver.project_file.exists() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    print("AUTOSAVED" if window.autosaver.project_file.exists() else "NO AUTOSAVE", flush=True)
    while True:  # wait to be killed, like a studio in the middle of work
        app.processEvents()
        time.sleep(0.05)


def restore(window: MainWindow) -> None:
    MainWindow._ask_restore = lambda self, recoveries: recoveries[0]  # type: ignore[method-assign]
    restored = window.offer_recovery()
    settings = window.project.generation
    state = {
        "restored": restored,
        "energy": settings.energy,
        "bounce": settings.bounce,
        "seed": settings.seed,
        "modified": window.isWindowModified(),
        "title": window.windowTitle(),
    }
    print(json.dumps(state), flush=True)
    window.undo_stack.setClean()
    window.close()


def main() -> None:
    mode, settings, recovery_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    window = create_window(settings, recovery_dir, autosave_interval_ms=100)
    window.show()
    {"edit-and-wait": edit_and_wait, "restore": restore}[mode](window)


if __name__ == "__main__":
    main()
