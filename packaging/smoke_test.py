"""Smoke test of the frozen studio: ``python packaging/smoke_test.py dist/eightcount-studio``.

Runs the bundle the way a user's machine would, in a fresh home with no Python, no virtual
environment and no repository on its paths, from an empty working folder:

1. the CLI: ``analyze`` (the demo song shipped in the bundle), ``generate`` (with a prompt
   the sentence-embedding model must read, and the neural in-betweener), ``pose`` (a 2-s
   clip of a real dancer: MediaPipe and OpenCV) and ``demo`` (which writes the demo project);
2. the studio, headless (``QT_QPA_PLATFORM=offscreen``), opening the demo project: it must
   log "ready" and then load the project's song;
3. the studio's first start (no settings yet): the demo song analysed, a routine generated
   on the worker, and the tour shown;
4. with ``xvfb-run`` on the machine, the studio once more on a virtual X display (Qt's xcb
   platform plugin, OpenGL through PyOpenGL): its 3D view must come up;
5. on Linux, ``install-desktop-entry.sh`` into a scratch data folder: the entry must run the
   bundle.

It fails on any traceback, missing module, missing shared library or Qt plugin error in
anything the bundle printed or logged, and on any step that does not finish in time. Only the
standard library is used, so any Python 3 can run it. The clip is cut with ffmpeg from
``../shared/data/video/mediapipe_pose_segmentation_dancer.mp4`` (Apache-2.0, see
``../shared/data/README.md``), or given with ``--video``; the bundle itself never reads
``../shared``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DANCER = ROOT.parent / "shared" / "data" / "video" / "mediapipe_pose_segmentation_dancer.mp4"
CLIP_SECONDS = 2

# What must never appear in the bundle's output or log.
FAILURES = re.compile(
    r"Traceback \(most recent call last\)"
    r"|ModuleNotFoundError|No module named|ImportError"
    r"|cannot open shared object file|Cannot load library|Failed to load"
    r"|Could not load the Qt platform plugin|Could not find the Qt platform plugin"
    r"|qt\.qpa\.plugin: Could not"
    r"|internal error|Internal error"
    # The models fall back quietly rather than fail (slerp for the in-betweener, spelling for
    # the prompt): in the bundle a fallback is a missing piece.
    r"|torch unavailable|in-betweener not loaded|no in-betweener weights"
    r"|Prompt embedding model .* unavailable|Prompt embedding failed"
    r"|\[PYI-\d+:ERROR\]|Failed to execute script",
)


class SmokeFailure(Exception):
    pass


def executable(bundle: Path) -> Path:
    name = "eightcount.exe" if sys.platform.startswith("win") else "eightcount"
    path = bundle / name
    if not path.is_file():
        raise SmokeFailure(f"{path} is missing: build the bundle first (make bundle)")
    return path


def isolated_env(home: Path, platform: str) -> dict[str, str]:
    """A user's environment: a fresh home, no Python or venv paths, no repository."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "CONDA", "QT_", "XDG_", "EIGHTCOUNT_"))
        and key not in ("LD_LIBRARY_PATH", "HOME")
    }
    venv_bins = {str(Path(sys.prefix) / "bin"), str(Path(sys.executable).parent)}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p not in venv_bins]
    env.update(
        HOME=str(home),
        PATH=os.pathsep.join(path),
        QT_QPA_PLATFORM=platform,
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
    )
    return env


def check_output(step: str, text: str) -> None:
    bad = [line for line in text.splitlines() if FAILURES.search(line)]
    if bad:
        shown = "\n    ".join(bad[:20])
        raise SmokeFailure(f"{step}: the bundle reported errors:\n    {shown}\n\n{text[-4000:]}")


def run_cli(exe: Path, args: list[str], env: dict[str, str], cwd: Path, timeout: float) -> str:
    step = "eightcount " + " ".join(args[:1])
    started = time.monotonic()
    try:
        result = subprocess.run(
            [str(exe), *args],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        raise SmokeFailure(f"{step} did not finish in {timeout:.0f} s") from error
    output = result.stdout + result.stderr
    check_output(step, output)
    if result.returncode != 0:
        raise SmokeFailure(f"{step} exited with {result.returncode}:\n{output[-4000:]}")
    print(f"  ok  {step} ({time.monotonic() - started:.1f} s)", flush=True)
    return output


class Studio:
    """A studio process whose merged output is collected line by line."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self.lines: list[str] = []
        # In a process group of its own, so that xvfb-run and its children stop together.
        group = (
            {"start_new_session": True}
            if os.name == "posix"
            else {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
        )
        self._process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            **group,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float, step: str) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if any(re.search(pattern, line) for line in self.lines):
                return time.monotonic() - started
            if self._process.poll() is not None:
                self._reader.join(5)
                raise SmokeFailure(
                    f"{step}: the studio exited ({self._process.returncode}) before "
                    f"'{pattern}':\n{self.text[-4000:]}"
                )
            time.sleep(0.1)
        raise SmokeFailure(f"{step}: no '{pattern}' within {timeout:.0f} s:\n{self.text[-4000:]}")

    def stop(self) -> None:
        if self._process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self._process.wait(20)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL if os.name == "posix" else signal.SIGTERM)
                self._process.wait()
        self._reader.join(5)

    def _signal(self, number: int) -> None:
        if os.name == "posix":
            os.killpg(self._process.pid, number)
        else:
            self._process.terminate()


def run_studio(
    exe: Path,
    args: list[str],
    env: dict[str, str],
    cwd: Path,
    waits: list[tuple[str, float]],
    step: str,
    prefix: list[str] | None = None,
) -> str:
    studio = Studio([*(prefix or []), str(exe), *args], env, cwd)
    try:
        for pattern, timeout in waits:
            seconds = studio.wait_for(pattern, timeout, step)
            print(f"  ok  {step}: '{pattern}' after {seconds:.1f} s", flush=True)
        time.sleep(1.0)  # anything the last step prints on its heels
    finally:
        studio.stop()
    check_output(step, studio.text)
    return studio.text


def cut_clip(video: Path | None, out: Path) -> Path:
    if video is not None:
        return video
    if not DANCER.is_file():
        raise SmokeFailure(
            f"no video for the pose step: {DANCER} is missing; pass --video FILE (any short "
            "clip of one person, whole body in the picture)"
        )
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return DANCER  # 5 s: longer than needed, still quick
    clip = out / "dancer_2s.mp4"
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-i", str(DANCER), "-t", str(CLIP_SECONDS), "-an", str(clip)],
        check=True,
    )
    return clip


def check_desktop_entry(bundle: Path, work: Path) -> None:
    """The bundle's install-desktop-entry.sh writes an entry that runs this bundle."""
    script = bundle / "install-desktop-entry.sh"
    if not sys.platform.startswith("linux"):
        return
    if not script.is_file():
        raise SmokeFailure(f"{script} is missing from the bundle")
    env = {**os.environ, "XDG_DATA_HOME": str(work / "desktop")}
    subprocess.run(["bash", str(script)], env=env, check=True, capture_output=True)
    entry = (work / "desktop" / "applications" / "eightcount-studio.desktop").read_text()
    icon = work / "desktop" / "icons" / "hicolor" / "scalable" / "apps" / "eightcount.svg"
    if f'Exec="{bundle / "eightcount"}" studio %f' not in entry or not icon.is_file():
        raise SmokeFailure(f"the desktop entry does not run the bundle:\n{entry}")
    print("  ok  install-desktop-entry.sh", flush=True)


def smoke(bundle: Path, video: Path | None, timeout: float) -> None:
    exe = executable(bundle)
    demo_song = bundle / "_internal" / "resources" / "demo_song.ogg"
    if not demo_song.is_file():
        raise SmokeFailure(f"the demo song is not in the bundle ({demo_song})")
    with tempfile.TemporaryDirectory(prefix="eightcount-smoke-") as scratch:
        work = Path(scratch)
        clip = cut_clip(video, work)
        env = isolated_env(work / "home", "offscreen")
        print(f"Smoke test of {bundle}", flush=True)
        song = str(demo_song)
        prompt = "like a flowing river, full of fire"  # words only the embedding can read
        steps: list[tuple[list[str], tuple[str, ...]]] = [
            (["--version"], ()),
            (["analyze", song, "--json", "analysis.json"], ("analysis.json",)),
            (
                ["generate", song, "-o", "routine.bvh", "--seed", "1", "--prompt", prompt],
                ("routine.bvh",),
            ),
            (["pose", str(clip), "--json", "pose.json", "--bvh", "pose.bvh"], ("pose.json",)),
            (["demo", "--out", "demo"], ("demo/demo.eightcount",)),
        ]
        for args, outputs in steps:
            run_cli(exe, args, env, work, timeout)
            for name in outputs:
                if not (work / name).is_file() or (work / name).stat().st_size == 0:
                    raise SmokeFailure(f"eightcount {args[0]} did not write {name}")

        check_desktop_entry(bundle, work)

        project = work / "demo" / "demo.eightcount"
        opened = [
            ("ready: the studio window is shown", timeout),
            (r"status: Opened demo\.eightcount", timeout),
            (r"status: Loaded demo_song", timeout),
        ]
        run_studio(exe, ["studio", str(project)], env, work, opened, "studio, demo project")

        first = [
            ("ready: the studio window is shown", timeout),
            ("first run: the demo song is analysed and has a routine", timeout),
            ("tour: shown", 30),
        ]
        first_env = isolated_env(work / "first-home", "offscreen")
        run_studio(exe, [], first_env, work, first, "studio, first start")

        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            print("  --  no xvfb-run here: the xcb platform and OpenGL were not tried", flush=True)
            return
        xcb_env = isolated_env(work / "xcb-home", "xcb")
        screen = ["-a", "-s", "-screen 0 1600x1000x24"]
        run_studio(
            exe,
            ["studio", str(project)],
            xcb_env,
            work,
            [
                ("ready: the studio window is shown", timeout),
                ("3D view: OpenGL", 10),
                (r"status: Loaded demo_song", timeout),
            ],
            "studio on X (xcb, OpenGL)",
            prefix=[xvfb, *screen],
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the bundle folder (dist/eightcount-studio)")
    parser.add_argument("--video", type=Path, help="a short video of one dancer for `pose`")
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds each step may take (default 300)"
    )
    args = parser.parse_args()
    started = time.monotonic()
    try:
        smoke(args.bundle.resolve(), args.video, args.timeout)
    except SmokeFailure as failure:
        print(f"SMOKE TEST FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"Smoke test passed in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
