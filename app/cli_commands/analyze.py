"""``eightcount analyze SONG --json OUT.json [--labels OUT.txt] [--csv OUT.csv]``.

Runs the full music analysis headless and writes the exports. A file that is not audio, is
empty or silent, or has no steady beat ends with exit code 2 and a message naming the file and
the problem (the shared ``UserFacingError`` handling of :mod:`app.cli`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli_commands import output_file


def register(subparsers: Any) -> None:
    """Add the ``analyze`` subcommand to ``subparsers``."""
    parser = subparsers.add_parser(
        "analyze",
        help="find beats, downbeats, tempo, 8-count parts and sections of a song",
        description="Analyse SONG and write the results. The JSON has exactly the keys "
        "duration, tempo_bpm, meter, beats, downbeats, parts and sections (times in seconds).",
    )
    parser.add_argument("song", help="the audio file to analyse")
    parser.add_argument(
        "--json",
        required=True,
        type=output_file(".json"),
        metavar="OUT.json",
        help="analysis as JSON",
    )
    parser.add_argument(
        "--labels", type=output_file(".txt"), metavar="OUT.txt", help="an Audacity label track"
    )
    parser.add_argument(
        "--csv",
        type=output_file(".csv"),
        metavar="OUT.csv",
        help="one row per beat with its counts",
    )
    parser.add_argument("--quiet", action="store_true", help="print no progress")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Analyse ``args.song`` and write the requested files; returns the exit code."""
    from inference.audio import (
        analyze_song_job,
        write_audacity_labels,
        write_csv,
        write_json,
    )
    from inference.errors import BadFileError
    from inference.jobs import Progress, run_job

    song = Path(args.song)
    if not song.is_file():
        raise BadFileError(song, "the file does not exist" if not song.exists() else "not a file")

    def report(progress: Progress) -> None:
        if not args.quiet:
            print(f"  [{progress.percent:3d}%] {progress.message}", file=sys.stderr)

    analysis = run_job(analyze_song_job(song), report)
    written = [write_json(analysis, args.json)]
    if args.labels:
        written.append(write_audacity_labels(analysis, args.labels))
    if args.csv:
        written.append(write_csv(analysis, args.csv, "beats"))
    print(
        f"{song.name}: {analysis.tempo_bpm:.1f} BPM, {analysis.meter}/4, "
        f"{len(analysis.grid.beats)} beats, {len(analysis.parts)} parts, "
        f"{len(analysis.sections)} sections"
    )
    for path in written:
        print(f"  wrote {path}")
    return 0
