"""``eightcount scorecard MOTION [--song SONG] --html OUT.html [--json OUT.json]``: the
choreography scorecard of any motion file, part by part, beside real dance."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli_commands import finite_float, json_safe, output_file, song_file

MIN_SECONDS = 1.0
"""A motion shorter than this has no part long enough to be scored."""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "scorecard",
        help="score a motion part by part beside real dance, and write an HTML report",
        description="Per 8-count part and for the whole routine: BAS (with its caveat), PFC, "
        "foot sliding, Div_k, energy-to-music correlation, body use, FID_k/FID_g, whether "
        "repeated sections repeat their moves, a verdict in plain words and the style, read "
        "against the same figures on real mocap. Without --song the motion is cut into 4-s "
        "parts and nothing musical is measured.",
    )
    parser.add_argument("motion", help="motion file (.bvh, .fbx, .glb, .gltf, .csv, .json, .pkl)")
    parser.add_argument("--song", type=song_file, help="the song the motion dances to")
    parser.add_argument(
        "--html",
        dest="html_out",
        required=True,
        type=output_file(".html", ".htm"),
        help="write the report (plots embedded, nothing external) to this HTML file",
    )
    parser.add_argument(
        "--json",
        dest="json_out",
        type=output_file(".json"),
        help="also write every figure to this JSON file",
    )
    parser.add_argument(
        "--offset",
        type=finite_float,
        default=None,
        help="song time of the motion's first frame (default: from a Tang config.json, else 0)",
    )
    parser.add_argument(
        "--no-style", action="store_true", help="skip the style classifier (no torch)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from inference.assess.scorecard import tang_offset
    from inference.assess.scorecard_card import analysis_without_song, scorecard_job
    from inference.assess.scorecard_report import write_report_html
    from inference.audio import analyze_song
    from inference.errors import BadFileError
    from inference.files import write_text_atomic
    from inference.jobs import run_job
    from inference.motion.importing import read_motion

    path = Path(args.motion)
    motion = read_motion(path)
    if motion.duration < MIN_SECONDS:
        raise BadFileError(
            path,
            f"the motion lasts {motion.duration:.2f} s; scoring needs at least {MIN_SECONDS} s",
        )
    offset = tang_offset(path) if args.offset is None else args.offset
    if args.song:
        analysis = analyze_song(args.song)
    else:
        analysis = analysis_without_song(motion.duration)
        offset = 0.0
    card = run_job(
        scorecard_job(motion, analysis, path.name, with_style=not args.no_style, offset=offset)
    )
    write_report_html(card, args.html_out, f"Scorecard: {path.name}")
    if args.json_out:
        doc = {"song": str(args.song) if args.song else None, "offset": offset, **card.to_json()}
        write_text_atomic(args.json_out, json.dumps(json_safe(doc), indent=2, allow_nan=False))
    print(card.summary)
    for part in card.parts:
        print(f"  {part.verdict}")
    print(f"Report: {args.html_out}")
    return 0
