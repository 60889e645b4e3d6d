"""``eightcount convert INPUT OUTPUT [--song SONG]``: motion files between formats, or to MP4.

Inputs: ``.bvh`` (any skeleton), ``.fbx`` (Mixamo and other rigs), ``.glb`` / ``.gltf`` (glTF
animation), ``.csv`` (SMPL joint positions, AIST++), ``.json`` (ours or a Tang 2018
``skeletons.json``), ``.pkl`` (AIST++ SMPL). Outputs: ``.bvh``, ``.json``, or ``.mp4`` (the
dancer rendered from the front at 30 fps, with ``--song`` muxed in and cut to the video's
length).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inference.jobs import Progress
    from inference.motion import Motion

VIDEO_SUFFIX = ".mp4"


def register(subparsers: Any) -> None:
    """Add the ``convert`` subcommand to the ``eightcount`` parser."""
    parser = subparsers.add_parser(
        "convert",
        help="convert a motion file (.bvh, .fbx, .glb, .gltf, .csv, .json, .pkl) to .bvh, .json "
        "or .mp4",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "input", help="motion to read: .bvh, .fbx, .glb, .gltf, .csv, .json or .pkl"
    )
    parser.add_argument("output", help="file to write: .bvh, .json or .mp4")
    parser.add_argument("--song", help="audio to mux into an .mp4 (cut to the motion's length)")
    parser.add_argument(
        "--units", choices=("m", "cm"), default="m", help="BVH output units (default: m)"
    )
    parser.add_argument(
        "--size", default="1280x720", help="MP4 frame size WIDTHxHEIGHT (default: 1280x720)"
    )
    parser.set_defaults(handler=run)


def _size(text: str) -> tuple[int, int]:
    from inference.errors import UserFacingError

    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UserFacingError(f"--size must look like 1280x720, not {text!r}") from None
    if width < 16 or height < 16 or width % 2 or height % 2:
        raise UserFacingError(f"--size needs even sides of at least 16 pixels, not {text!r}")
    return width, height


def run(args: argparse.Namespace) -> int:
    """Do the conversion; user errors propagate as UserFacingError (exit code 2 in ``main``)."""
    from inference.errors import BadFileError, UserFacingError
    from inference.motion import OUTPUT_SUFFIXES, convert, load_motion

    source, target = Path(args.input), Path(args.output)
    suffixes = (*OUTPUT_SUFFIXES, VIDEO_SUFFIX)
    if target.suffix.lower() not in suffixes:
        raise BadFileError(target, f"cannot write {target.suffix!r} (use {', '.join(suffixes)})")
    if not source.is_file():
        raise BadFileError(source, "no such file")
    if target.suffix.lower() != VIDEO_SUFFIX:
        if args.song:
            raise UserFacingError("--song only applies to .mp4 output")
        motion = convert(source, target, units=args.units)
        print(f"wrote {target} ({motion.n_frames} frames at {motion.fps:g} fps)")
        return 0
    size = _size(args.size)
    song = Path(args.song) if args.song else None
    if song is not None and not song.is_file():
        raise BadFileError(song, "the song file does not exist")
    motion = load_motion(source)
    return render_mp4(motion, target, size, song)


def render_mp4(motion: Motion, target: Path, size: tuple[int, int], song: Path | None) -> int:
    from inference.jobs import run_job
    from inference.motion.video import find_tool
    from viewport.export import VideoRequest, ensure_gl_application, export_video, motion_source

    find_tool("ffmpeg")  # the clearer problem first: no ffmpeg, before any GL setup
    ensure_gl_application()
    source, n_frames = motion_source(motion)
    request = VideoRequest(target, n_frames, size[0], size[1], audio=song)
    shown = -10

    def report(progress: Progress) -> None:
        nonlocal shown
        if progress.percent >= shown + 10:  # every tenth is enough on a terminal
            shown = progress.percent
            print(f"  [{progress.percent:3d}%] {progress.message}", file=sys.stderr)

    run_job(export_video(source, request), report)
    print(f"wrote {target} ({n_frames} frames at 30 fps{', with ' + song.name if song else ''})")
    return 0
