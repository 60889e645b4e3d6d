"""``eightcount generate SONG -o OUT.bvh``: a whole-song routine from the sliders, headless.

``--moves DIR`` adds a folder of the user's own clips to the library for this run, in a style
named after the folder (the style the run then uses, unless ``--style`` picks another). An
unknown style is refused before any work, with the list of styles there are.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli_commands import json_safe, output_file, seed, song_file
from inference.errors import UserFacingError
from inference.generate.params import SLIDERS  # light: the generator itself loads lazily
from inference.generate.styles import check_style, known_styles
from inference.jobs import Progress, run_job

if TYPE_CHECKING:
    from inference.generate import MoveLibrary


def _unit_interval(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "generate",
        help="generate a dance routine for a song and write it as BVH",
        description="Plans a routine count by count from the move library, aligns it to the "
        "song's beats and writes the whole song at 30 fps from time 0.",
    )
    parser.add_argument("song", type=song_file, help="the song (any format the studio reads)")
    parser.add_argument(
        "-o",
        "--out",
        required=True,
        type=output_file(".bvh", ".json"),
        help="output motion (.bvh or .json)",
    )
    parser.add_argument(
        "--json",
        dest="json_out",
        type=output_file(".json"),
        help="write a summary with metrics here",
    )
    parser.add_argument(
        "--video",
        type=output_file(".mp4"),
        help="also render an MP4 with the song (needs ffmpeg and GL)",
    )
    for name in SLIDERS:
        parser.add_argument(f"--{name}", type=_unit_interval, default=0.5, help="0..1")
    parser.add_argument(
        "--style",
        help=f"one of {', '.join(known_styles())}, or the style of --moves "
        "(default: the --moves style, else k-pop)",
    )
    parser.add_argument(
        "--moves",
        metavar="DIR",
        help="a folder of your own motion clips (BVH, ...) to add to the library for this run; "
        "their style is the folder's name",
    )
    parser.add_argument("--prompt", default="", help='free text, e.g. "smooth arm waves"')
    parser.add_argument("--seed", type=seed, default=0, help="0 to 4,294,967,295")
    parser.set_defaults(handler=run)


def _report(progress: Progress) -> None:
    print(f"[{progress.percent:3d}%] {progress.message}", file=sys.stderr)


def _chosen_style(args: argparse.Namespace) -> str:
    """The run's style, checked before any work: known, or the --moves folder's style."""
    from inference.generate.move_folder import style_from_folder

    if args.moves is not None and not Path(args.moves).is_dir():
        raise UserFacingError(f"--moves {args.moves}: not a folder")
    own = (style_from_folder(args.moves),) if args.moves is not None else ()
    return check_style(args.style or (own[0] if own else "k-pop"), own)


def _user_library(folder: str) -> MoveLibrary:
    """The library with the folder's clips; files that fail are listed, the rest still go in."""
    from inference.generate import load_library
    from inference.generate.move_folder import (
        import_move_folder,
        style_from_folder,
        with_user_clips,
    )

    result = run_job(import_move_folder(folder, style_from_folder(folder)), _report)
    if not result.moves:
        raise UserFacingError(f"--moves {folder}: {result.summary()}")
    print(result.summary(), file=sys.stderr)
    return with_user_clips(load_library(), [m.clip for m in result.moves])


def run(args: argparse.Namespace) -> int:
    from inference.assess.scorecard import dance_metrics
    from inference.audio import analyze_song
    from inference.files import write_text_atomic
    from inference.generate import GenerationParams, generate_routine_job
    from inference.motion import save_motion

    style = _chosen_style(args)
    library = _user_library(args.moves) if args.moves is not None else None
    analysis = analyze_song(args.song)
    params = GenerationParams(
        energy=args.energy, smoothness=args.smoothness, bounce=args.bounce,
        creativity=args.creativity, style=style, prompt=args.prompt, seed=args.seed,
    )  # fmt: skip
    result = run_job(generate_routine_job(analysis, params, library=library), _report)
    save_motion(result.motion, args.out)
    summary = {
        "song": str(args.song),
        "out": str(args.out),
        "fps": result.motion.fps,
        "frames": result.motion.n_frames,
        "device": result.device,
        "seconds": round(result.seconds, 3),
        "params": {k: getattr(params, k) for k in params.__dataclass_fields__},
        "parts": [
            {
                "index": p.index,
                "start": round(p.start, 3),
                "end": round(p.end, 3),
                "units": list(p.units),
            }
            for p in result.parts
        ],
    }
    if args.json_out:  # the metrics cost a quarter of a second: only when they are asked for
        summary["metrics"] = dance_metrics(result.motion, analysis.grid.beats, analysis.parts)
        write_text_atomic(args.json_out, json.dumps(json_safe(summary), indent=2, allow_nan=False))
    print(f"Wrote {args.out}: {result.motion.n_frames} frames at 30 fps in {result.seconds:.2f} s")
    if args.video:
        from app.cli_commands.convert import render_mp4  # the one MP4 path of the CLI

        return render_mp4(result.motion, args.video, (1280, 720), args.song)
    return 0
