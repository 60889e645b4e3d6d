"""``eightcount pose VIDEO --json OUT.json [--bvh OUT.bvh] [--song SONG] [--stride N]``.

Finds the dancer in VIDEO (MediaPipe pose, offline) and writes their keypoint track as JSON
(``{"fps", "width", "height", "layout": "mediapipe33", "keypoints", "world"}``, see
``inference/pose/track.py``) and, with ``--bvh``, the canonical motion as BVH. With ``--song``
the video's soundtrack is aligned to the song and the offset is printed. ``--webcam N`` records
``--seconds`` of webcam N instead of reading a file. Everything is computed before anything is
written, so a video that fails (no person, legs out of the picture, corrupt) leaves no file
behind and ends with exit code 2 and a message naming the file and the problem.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli_commands import output_file, song_file


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def register(subparsers: Any) -> None:
    """Add the ``pose`` subcommand to ``subparsers``."""
    parser = subparsers.add_parser(
        "pose",
        help="find the dancer's pose in a video (or a webcam) and write keypoints and motion",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("video", nargs="?", help="video file (.mp4, .mov, .webm, .avi, .mkv)")
    parser.add_argument(
        "--json", type=output_file(".json"), metavar="OUT.json", help="the keypoint track"
    )
    parser.add_argument(
        "--bvh", type=output_file(".bvh"), metavar="OUT.bvh", help="the canonical motion"
    )
    parser.add_argument("--song", type=song_file, help="a song to align the soundtrack to")
    parser.add_argument(
        "--stride",
        type=positive_int,
        default=1,
        help="analyse every Nth frame, interpolate others",
    )
    parser.add_argument("--webcam", type=int, metavar="N", help="record webcam N instead")
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="how long to record the webcam (default 10)"
    )
    parser.add_argument("--quiet", action="store_true", help="print no progress")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Extract, convert, align, then write; returns the exit code."""
    from inference.errors import UserFacingError
    from inference.jobs import Progress, run_job
    from inference.motion import save_motion
    from inference.pose import (
        PoseOptions,
        extract_pose_job,
        motion_from_track,
        video_pose_job,
        webcam_pose_job,
        write_track,
    )

    json_out, bvh_out, song = args.json, args.bvh, args.song
    if json_out is None and bvh_out is None:
        raise UserFacingError("pose: give --json OUT.json and/or --bvh OUT.bvh")
    if (args.video is None) == (args.webcam is None):
        raise UserFacingError("pose: give either a VIDEO file or --webcam N")
    options = PoseOptions(stride=args.stride)
    shown = -10

    def report(progress: Progress) -> None:
        nonlocal shown
        if not args.quiet and progress.percent >= shown + 10:
            shown = progress.percent
            print(f"  [{progress.percent:3d}%] {progress.message}", file=sys.stderr)

    motion = None
    offset: float | None = None
    if args.webcam is not None:
        name = f"webcam {args.webcam}"
        extraction = run_job(webcam_pose_job(args.webcam, args.seconds, options), report)
        track, notes = extraction.track, list(extraction.notes)
        if bvh_out is not None:
            made = motion_from_track(track, name=name)
            motion, notes = made.motion, notes + list(made.notes)
    elif bvh_out is None and song is None:
        name = Path(args.video).name
        extraction = run_job(extract_pose_job(Path(args.video), options), report)
        track, notes = extraction.track, list(extraction.notes)
    else:
        name = Path(args.video).name
        result = run_job(video_pose_job(Path(args.video), song, options), report)
        track, notes, offset, motion = (
            result.track,
            list(result.notes),
            result.audio_offset,
            result.motion,
        )
    if json_out is not None:
        write_track(track, json_out)
        print(f"wrote {json_out} ({track.n_frames} frames at {track.fps:g} fps)")
    if bvh_out is not None and motion is not None:
        save_motion(motion, bvh_out)
        print(f"wrote {bvh_out} ({motion.n_frames} frames at {motion.fps:g} fps)")
    print(f"{name}: person in {track.person_fraction:.0%} of frames")
    if offset is not None:
        print(f"{name}: the video starts at {offset:+.3f} s of the song")
    for note in notes:
        print(f"  note: {note}")
    return 0
