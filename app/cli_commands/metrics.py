"""``eightcount metrics MOTION --song SONG --json OUT.json``: dance metrics of any motion file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "metrics",
        help="score any motion (bvh, json, Tang skeletons.json) against a song's beats",
        description="BAS, PFC, foot skating, Div_k, NaN frames and joint-limit violations, "
        "computed by the same code as for generated routines (30 fps, 21 joints).",
    )
    parser.add_argument("motion", help="motion file (.bvh, .fbx, .glb, .gltf, .csv, .json, .pkl)")
    parser.add_argument("--song", required=True, help="the song the motion dances to")
    parser.add_argument("--json", dest="json_out", help="write the metrics to this JSON file")
    parser.add_argument(
        "--offset",
        type=float,
        default=None,
        help="song time of the motion's first frame (default: from a Tang config.json, else 0)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from inference.assess.scorecard import dance_metrics, tang_offset
    from inference.audio import analyze_song
    from inference.motion import load_motion

    path = Path(args.motion)
    motion = load_motion(path)
    analysis = analyze_song(args.song)
    offset = tang_offset(path) if args.offset is None else args.offset
    metrics = dance_metrics(motion, analysis.grid.beats, analysis.parts, offset)
    doc = {"motion": str(path), "song": str(args.song), "fps": motion.fps, "offset": offset}
    doc["metrics"] = metrics
    text = json.dumps(doc, indent=2)
    if args.json_out:
        Path(args.json_out).write_text(text)
    print(text)
    return 0
