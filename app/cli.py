"""The ``eightcount`` command: the studio window, the headless pipeline, and the subcommands.

Only subcommands that really work are listed. Each further subcommand lives in its own module
in ``app/cli_commands/`` that defines ``register(subparsers)``; this module finds them.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
import time
from pathlib import Path
from typing import NoReturn

from app.model import Project, Song
from app.project_io import save_project
from inference.errors import UserFacingError
from inference.files import write_text_atomic
from inference.jobs import Progress, run_job
from inference.paths import DEMO_SONG


def _print_progress(progress: Progress) -> None:
    print(f"  [{progress.percent:3d}%] {progress.message}", file=sys.stderr)


def run_demo(out_dir: Path, song_path: Path = DEMO_SONG) -> dict[str, object]:
    """The headless pipeline: analyse the song, generate a routine, write everything.

    Writes, under ``out_dir``: the project (``demo.eightcount``, with beats, parts, sections and
    the routine as one clip per part), ``analysis.json``, an Audacity label track, a printable
    count sheet, the routine as ``routine.bvh`` (for Blender), and ``summary.json``, whose
    content is also returned.
    """
    from app.model.routine import routine_asset, routine_clips
    from inference.assess.scorecard import dance_metrics
    from inference.audio import (
        analyze_song_job,
        write_audacity_labels,
        write_count_sheet_html,
        write_json,
    )
    from inference.generate import generate_routine_job
    from inference.motion import save_motion

    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    analysis = run_job(analyze_song_job(song_path), _print_progress)
    project = Project(name=song_path.stem)
    project.set_song(Song(path=str(song_path), title=song_path.stem, duration=analysis.duration))
    project.set_beat_grid(analysis.grid)
    project.set_parts(analysis.parts)
    project.set_sections(analysis.sections)
    routine = run_job(generate_routine_job(analysis, project.generation), _print_progress)
    track = project.dancer_tracks()[0]
    asset = routine_asset(routine, "Generated routine")
    project.add_motion(asset)
    for clip in routine_clips(analysis, project, track, asset, (0.0, analysis.duration)):
        project.add_clip(track.id, clip)
    save_motion(routine.motion, out_dir / "routine.bvh")
    written = {
        "routine": out_dir / "routine.bvh",
        "project": out_dir / "demo.eightcount",
        "analysis": write_json(analysis, out_dir / "analysis.json"),
        "labels": write_audacity_labels(analysis, out_dir / "labels.txt"),
        "count_sheet": write_count_sheet_html(analysis, out_dir / "count_sheet.html"),
    }
    save_project(project, written["project"])
    summary: dict[str, object] = {
        "song": str(song_path),
        "duration_seconds": round(analysis.duration, 3),
        "tempo_bpm": round(analysis.tempo_bpm, 2),
        "meter": analysis.meter,
        "parts": len(analysis.parts),
        "sections": [section.label for section in analysis.sections],
        "routine_metrics": dance_metrics(routine.motion, analysis.grid.beats, analysis.parts),
        "files": {name: str(path) for name, path in written.items()},
        "seconds": round(time.perf_counter() - started, 3),
    }
    write_text_atomic(out_dir / "summary.json", json.dumps(summary, indent=2))
    return summary


def _cmd_studio(args: argparse.Namespace) -> int:
    from app.application import run_studio  # Qt only when a window is wanted

    return run_studio(Path(args.path) if args.path else None)


def _cmd_demo(args: argparse.Namespace) -> int:
    out_dir = Path(args.out)
    summary = run_demo(out_dir, Path(args.song))
    print(
        f"Headless demo: analysed {Path(str(summary['song'])).name} "
        f"({summary['duration_seconds']} s, {summary['tempo_bpm']} BPM, "
        f"{summary['meter']}/4, {summary['parts']} parts), generated a routine, and wrote:"
    )
    for name in sorted(p.name for p in out_dir.iterdir()):
        print(f"  {out_dir / name}")
    return 0


class _Parser(argparse.ArgumentParser):
    """A parser whose errors are :class:`UserFacingError`, so they meet the one boundary."""

    def error(self, message: str) -> NoReturn:
        raise UserFacingError(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="eightcount",
        description="EightCount Studio: an offline choreography studio. "
        "With no command it opens the studio window.",
    )
    parser.add_argument("--version", action="version", version="eightcount-studio 0.1.0")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    studio = commands.add_parser("studio", help="open the studio window (the default)")
    studio.add_argument("path", nargs="?", help="a project (.eightcount) or a song to open")
    studio.set_defaults(handler=_cmd_studio)

    demo = commands.add_parser(
        "demo", help="run the headless pipeline on a song and write its outputs to a folder"
    )
    demo.add_argument("--out", default="out", help="output folder (default: out)")
    demo.add_argument("--song", default=str(DEMO_SONG), help="song (default: the bundled demo)")
    demo.set_defaults(handler=_cmd_demo)

    import app.cli_commands as plugins

    for module in sorted(m.name for m in pkgutil.iter_modules(plugins.__path__)):
        importlib.import_module(f"app.cli_commands.{module}").register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure ends with one clear line on stderr and a non-zero status.

    The one error boundary of the CLI: a :class:`UserFacingError` (a bad option or input, a
    file that cannot be written) exits with 2; Ctrl+C prints "Cancelled." and exits with 130;
    another OSError exits with 1 naming its file; anything else is an internal error (exit 1)
    in one line, whose traceback ``EIGHTCOUNT_DEBUG=1`` shows. Options are checked while
    parsing, before any work (the argparse types of ``app.cli_commands``).
    """
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            args = build_parser().parse_args(["studio"])
        return int(args.handler(args))
    except UserFacingError as error:
        print(f"eightcount: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Cancelled.", file=sys.stderr)
        return 130
    except OSError as error:  # one our writers did not name (an ffmpeg pipe, a GL export)
        where = f" ({error.filename})" if error.filename else ""
        print(f"eightcount: error: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    except Exception as error:
        if os.environ.get("EIGHTCOUNT_DEBUG"):
            raise
        print(f"eightcount: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
