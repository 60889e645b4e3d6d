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

from app.cli_commands import output_file, song_file, video_size

if TYPE_CHECKING:
    from inference.jobs import Progress
    from inference.motion import Motion

VIDEO_SUFFIX = ".mp4"
OUTPUT_SUFFIXES = (".bvh", ".json", VIDEO_SUFFIX)
"""What convert writes: inference.motion's OUTPUT_SUFFIXES (not imported, so --help stays
light; tests/unit/test_convert_cli.py checks they agree) and MP4."""


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
    parser.add_argument(
        "output", type=output_file(*OUTPUT_SUFFIXES), help="file to write: .bvh, .json or .mp4"
    )
    parser.add_argument(
        "--song", type=song_file, help="audio to mux into an .mp4 (cut to the motion's length)"
    )
    parser.add_argument(
        "--units", choices=("m", "cm"), default="m", help="BVH output units (default: m)"
    )
    parser.add_argument(
        "--size",
        type=video_size,
        default="1280x720",
        help="MP4 frame size WIDTHxHEIGHT, up to 7680x4320 (default: 1280x720)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Do the conversion; user errors propagate as UserFacingError (exit code 2 in ``main``)."""
    from inference.audio.decode import load_audio
    from inference.errors import BadFileError, UserFacingError
    from inference.motion import save_motion
    from inference.motion.importing import read_motion

    source, target = Path(args.input), args.output
    if not source.is_file():
        raise BadFileError(source, "no such file")
    video = target.suffix.lower() == VIDEO_SUFFIX
    if args.song and not video:
        raise UserFacingError("--song only applies to .mp4 output")
    if args.song:
        load_audio(args.song, duration=1.0)  # a song ffmpeg cannot mux fails here, by its name
    motion = read_motion(source)
    if video:
        return render_mp4(motion, target, args.size, args.song)
    save_motion(motion, target, units=args.units)
    print(f"wrote {target} ({motion.n_frames} frames at {motion.fps:g} fps)")
    return 0


def render_mp4(motion: Motion, target: Path, size: tuple[int, int], song: Path | None) -> int:
    from inference.jobs import run_job
    from inference.motion.mp4_writer import find_tool
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
