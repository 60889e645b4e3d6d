"""``eightcount classify MOTION --json OUT.json``: a motion's style, per clip and per window."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli_commands import output_file


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "classify",
        help="name the dance style of any motion file, for the clip and each 2-s window",
        description="Classify a motion's style with the shipped classifier (ballroom, "
        "salsa/samba, hip-hop/street, modern/ballet, swing/twist, non-dance), or as one of your "
        "own styles. Uncertain windows read 'mixed' or 'unknown'. Runs on CUDA when present.",
    )
    parser.add_argument("motion", help="motion file (.bvh, .fbx, .glb, .gltf, .csv, .json, .pkl)")
    parser.add_argument(
        "--json",
        dest="json_out",
        type=output_file(".json"),
        help="write style, probabilities and per_window to this JSON file",
    )
    parser.add_argument(
        "--user-styles",
        metavar="FOLDER",
        help="your own styles: one sub-folder per style, named after it, holding its tagged clips",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from inference.files import write_text_atomic
    from inference.jobs import run_job
    from inference.motion.importing import read_motion
    from inference.style import classify_job, shipped_model, user_styles_from_folder

    path = Path(args.motion)
    motion = read_motion(path)
    user_styles = []
    if args.user_styles:
        user_styles = user_styles_from_folder(shipped_model(), Path(args.user_styles))
    result = run_job(classify_job(motion, path.name, tuple(user_styles)))
    doc = result.to_json()
    doc["motion"] = str(path)
    if args.json_out:
        write_text_atomic(args.json_out, json.dumps(doc, indent=2))
    top = sorted(result.probabilities.items(), key=lambda kv: -kv[1])[:3]
    shown = ", ".join(f"{name} {p:.2f}" for name, p in top)
    print(f"{path.name}: {result.style} ({shown}; {len(result.windows)} window(s))")
    for w in result.windows:
        print(f"  {w.start:7.2f}-{w.end:7.2f} s  {w.style}")
    return 0
