"""``eightcount metrics MOTION --song SONG --json OUT.json``: dance metrics of any motion file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli_commands import finite_float, json_safe, output_file, song_file

MIN_FRAMES = 3
"""PFC differentiates twice: a motion needs at least three frames to be scored."""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "metrics",
        help="score any motion (bvh, json, Tang skeletons.json) against a song's beats",
        description="BAS, PFC, foot skating, Div_k, NaN frames and joint-limit violations, "
        "computed by the same code as for generated routines (30 fps, 21 joints).",
    )
    parser.add_argument("motion", help="motion file (.bvh, .fbx, .glb, .gltf, .csv, .json, .pkl)")
    parser.add_argument(
        "--song", required=True, type=song_file, help="the song the motion dances to"
    )
    parser.add_argument(
        "--json",
        dest="json_out",
        type=output_file(".json"),
        help="write the metrics to this JSON file",
    )
    parser.add_argument(
        "--offset",
        type=finite_float,
        default=None,
        help="song time of the motion's first frame (default: from a Tang config.json, else 0)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from inference.assess.scorecard import dance_metrics, tang_offset
    from inference.audio import analyze_song
    from inference.errors import BadFileError
    from inference.files import write_text_atomic
    from inference.motion.importing import read_motion

    path = Path(args.motion)
    motion = read_motion(path)
    if motion.n_frames < MIN_FRAMES:
        raise BadFileError(
            path, f"the motion has {motion.n_frames} frame(s); scoring needs at least {MIN_FRAMES}"
        )
    analysis = analyze_song(args.song)
    offset = tang_offset(path) if args.offset is None else args.offset
    metrics = dance_metrics(motion, analysis.grid.beats, analysis.parts, offset)
    doc = {"motion": str(path), "song": str(args.song), "fps": motion.fps, "offset": offset}
    doc["metrics"] = metrics
    text = json.dumps(json_safe(doc), indent=2, allow_nan=False)
    if args.json_out:
        write_text_atomic(args.json_out, text)
    print(text)
    return 0
