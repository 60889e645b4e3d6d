"""``eightcount score REFERENCE TAKE --json OUT.json``: a dancer's take against the reference."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.cli_commands import finite_float, json_safe, output_file, song_file


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "score",
        help="score a dancer's take against a reference, part by part, with timing and feedback",
        description="Score TAKE against REFERENCE per 8-count part (40-100), with timing "
        "(positive = late) and feedback. Each may be a motion file (.bvh, .fbx, .json...), "
        "a keypoint-track JSON (mediapipe33 or coco17) or a video (its pose extracted as by "
        "`eightcount pose`; its soundtrack places it on --song).",
    )
    parser.add_argument("reference", help="the reference: motion file, keypoint track or video")
    parser.add_argument("take", help="the take: motion file, keypoint track or video")
    parser.add_argument(
        "--json",
        dest="json_out",
        type=output_file(".json"),
        help="write the result to this JSON file",
    )
    parser.add_argument(
        "--song", type=song_file, help="the song: its counts, and to place a take by its audio"
    )
    parser.add_argument("--mirror", action="store_true", help="compare with the mirrored reference")
    parser.add_argument(
        "--offset", type=finite_float, default=None, help="song time (s) of the take's first frame"
    )
    parser.add_argument(
        "--sync",
        choices=("auto", "audio", "motion"),
        default="auto",
        help="how to place the take: by its soundtrack (auto, the default, falls back to the "
        "reference's start), audio only, or by the motion (only on request: it hides a dancer "
        "who is late all the way through)",
    )
    parser.add_argument(
        "--bpm", type=bpm, default=120.0, help="tempo of the parts when no --song (default 120)"
    )
    parser.set_defaults(handler=run)


def bpm(text: str) -> float:
    """An argparse type: a tempo from 20 to 400 BPM."""
    value = finite_float(text)
    if not 20.0 <= value <= 400.0:
        raise argparse.ArgumentTypeError(f"must be between 20 and 400 BPM, not {text}")
    return value


def run(args: argparse.Namespace) -> int:
    from inference.files import write_text_atomic
    from inference.jobs import Progress, run_job
    from inference.scoring import ScoreRequest, score_take_job

    def progress(p: Progress) -> None:
        print(f"  [{p.percent:3d}%] {p.message}", file=sys.stderr)

    request = ScoreRequest(
        reference=Path(args.reference),
        take=Path(args.take),
        song=args.song,
        mirror=args.mirror,
        offset_s=args.offset,
        sync=args.sync,
        bpm=args.bpm,
    )
    result = run_job(score_take_job(request), progress)
    doc = result.to_json_dict()
    if args.json_out:
        text = json.dumps(json_safe(doc), indent=2, ensure_ascii=False, allow_nan=False)
        write_text_atomic(args.json_out, text + "\n")
    print(f"overall {doc['overall']}  (take starts at {doc['offset_s']:+.2f} s, by {doc['sync']})")
    for part in doc["parts"]:
        timing = part["timing_ms"]
        when = (
            "" if timing is None else f"  {'late' if timing > 0 else 'early'} {abs(timing):.0f} ms"
        )
        print(f"  part {part['index']:3d}: {part['score']}{when}")
        for line in part["feedback"]:
            print(f"      - {line}")
    for note in doc["notes"]:
        print(f"note: {note}")
    return 0
