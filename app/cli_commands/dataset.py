"""``eightcount dataset VIDEOS_DIR OUT_DIR [--workers N] [--ray ADDRESS] [--retry-skipped]``.

Builds a dance dataset from a folder of videos: for each video its keypoint track, canonical
motion (BVH), song analysis and a JSON of its figures (frame rate, share of frames with a
person, quality, music-to-motion offset); see ``inference/pose/dataset.py``. A run that is
interrupted resumes where it stopped: finished videos are never redone, and every skipped video
is reported with the reason. ``--workers N`` runs N local processes; ``--ray ADDRESS`` runs the
same per-video job on a Ray cluster (``pip install 'eightcount-studio[ray]'``).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli_commands.pose import positive_int


def register(subparsers: Any) -> None:
    """Add the ``dataset`` subcommand to ``subparsers``."""
    parser = subparsers.add_parser(
        "dataset",
        help="pose, motion and song analysis for every video of a folder (resumable)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("videos_dir", help="folder of videos (.mp4, .mov, .webm, .avi, .mkv)")
    parser.add_argument("out_dir", help="folder for the dataset (created if missing)")
    parser.add_argument("--workers", type=positive_int, default=1, help="local worker processes")
    parser.add_argument("--ray", metavar="ADDRESS", help="run on the Ray cluster at ADDRESS")
    parser.add_argument(
        "--retry-skipped", action="store_true", help="try again the videos skipped before"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build the dataset; returns 0 when every video is done, 1 when some were skipped."""
    from inference.pose.dataset import run_dataset

    summary = run_dataset(
        args.videos_dir, args.out_dir, args.workers, args.ray, args.retry_skipped,
        report=lambda line: print(line, flush=True),
    )  # fmt: skip
    print(f"{len(summary['done'])} of {summary['videos']} videos done, "
          f"{len(summary['skipped'])} skipped")  # fmt: skip
    return 0 if not summary["skipped"] else 1
