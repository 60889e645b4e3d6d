"""A dance dataset from a folder of videos: pose, motion and song analysis for every video.

For each video ``VIDEOS_DIR/NAME.EXT`` the folder ``OUT_DIR/NAME_EXT/`` gets:

* ``track.json``: the keypoint track (:mod:`inference.pose.track`);
* ``motion.bvh``: the canonical motion, 30 fps;
* ``analysis.json``: the song analysis (beats, downbeats, parts, sections), of a song file next
  to the video with the same name (``NAME.ogg``, ``.mp3``, ``.wav``, ``.flac``, ``.m4a``) or
  else of the video's own soundtrack; absent when there is neither (or no steady beat);
* ``video.json``: frame rate, frames, share of frames with a person, a quality flag, the
  music-to-motion offset (song seconds at motion frame 0; with a separate song it is found by
  :func:`inference.pose.sync.align_to_song`, with the soundtrack it is the container's start
  time difference), and the notes;
* ``done.json``, written last: the video is finished and is never redone. A video that cannot
  be used gets ``skipped.json`` with the reason instead, and is reported again on every run.

Every file is written atomically (a temporary file, then a rename), so a run killed at any
moment leaves either a finished video or one that the next run does again.

:func:`process_video` is the one per-video job. :func:`run_dataset` runs it on local worker
processes, or with ``ray_address`` as Ray tasks on a cluster (Ray is an optional extra:
``pip install 'eightcount-studio[ray]'``); the code each video goes through is the same.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from inference.errors import UserFacingError
from inference.files import write_text_atomic
from inference.jobs import Progress, run_job
from inference.pose.video_io import VIDEO_SUFFIXES

DONE = "done.json"
SKIPPED = "skipped.json"
SONG_SUFFIXES = (".ogg", ".mp3", ".wav", ".flac", ".m4a")

Report = Callable[[str], None]


def find_videos(videos_dir: Path) -> list[Path]:
    """The videos directly in ``videos_dir``, sorted by name."""
    return sorted(p for p in videos_dir.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES)


def video_dir(out_dir: Path, video: Path) -> Path:
    """Where one video's outputs go (``take.mp4`` and ``take.mov`` do not collide)."""
    return out_dir / f"{video.stem}_{video.suffix.lstrip('.').lower()}"


def _song_for(video: Path) -> Path | None:
    for suffix in SONG_SUFFIXES:
        song = video.with_suffix(suffix)
        if song.is_file():
            return song
    return None


def _write_json(path: Path, doc: dict[str, Any]) -> None:
    write_text_atomic(path, json.dumps(doc, indent=2) + "\n")


def _stream_start_gap(video: Path) -> float:
    """Audio start minus video start, seconds, from the container (0 when unknown)."""
    from inference.pose.video_io import _ffprobe

    meta = _ffprobe(video) or {}
    starts = {s.get("codec_type"): float(s.get("start_time", 0) or 0) for s in meta["streams"]}
    return starts.get("audio", 0.0) - starts.get("video", 0.0)


def quality(person_fraction: float, legs: float, longest_gap_s: float) -> str:
    """``good`` (a person nearly throughout, whole body, no gap over 1 s), ``fair`` or ``poor``."""
    if person_fraction >= 0.9 and legs >= 0.8 and longest_gap_s <= 1.0:
        return "good"
    return "fair" if person_fraction >= 0.6 and legs >= 0.5 else "poor"


def _analyse_music(video: Path, has_audio: bool) -> tuple[Any, Path | None, str | None]:
    """(analysis or None, the music file, why there is none)."""
    from inference.audio import NoBeatError, analyze_song

    song = _song_for(video)
    source = song or (video if has_audio else None)
    if source is None:
        return None, None, "no soundtrack and no song file next to the video"
    try:
        return analyze_song(source), source, None
    except NoBeatError as err:
        return None, source, str(err)


def process_video(
    video: str, out_dir: str, run_id: str, show_progress: bool = True
) -> dict[str, Any]:
    """Make one video's dataset entry; returns what happened (``status``: done, skipped, or
    already done). Never raises for a bad video: the reason goes into ``skipped.json``."""
    from inference.motion import save_motion
    from inference.pose.sync import align_to_song
    from inference.pose.track import write_track
    from inference.pose.video_pose import video_pose_job

    path = Path(video)
    dest = video_dir(Path(out_dir), path)
    if (dest / DONE).exists():
        return {"video": path.name, "status": "already done"}
    dest.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    shown = -25

    def report(p: Progress) -> None:
        nonlocal shown
        if show_progress and p.percent >= shown + 25:
            shown = p.percent
            print(f"  {path.name}: [{p.percent:3d}%] {p.message}", file=sys.stderr, flush=True)

    try:
        result = run_job(video_pose_job(path), report)
        analysis, music, no_music = _analyse_music(path, result.info.has_audio)
    except UserFacingError as err:
        _write_json(dest / SKIPPED, {"video": path.name, "reason": str(err), "run": run_id})
        return {"video": path.name, "status": "skipped", "reason": str(err)}
    offset: float | None = None
    correlation: float | None = None
    if music is not None and music != path and result.info.has_audio:
        sync = align_to_song(path, music)
        if sync is not None and sync.trusted:
            offset, correlation = sync.offset, sync.correlation
    elif music == path:
        offset = _stream_start_gap(path)
    files = {"track": "track.json", "motion": "motion.bvh"}
    write_track(result.track, dest / "track.json")
    save_motion(result.motion, dest / "motion.bvh")
    if analysis is not None:
        from inference.audio import write_json

        write_json(analysis, dest / "analysis.json")
        files["analysis"] = "analysis.json"
    track = result.track
    longest = max((b - a for a, b in track.gaps()), default=0.0)
    entry = {
        "video": path.name,
        "fps": result.info.fps,
        "frames": track.n_frames,
        "duration": round(track.duration, 3),
        "person_fraction": round(track.person_fraction, 4),
        "quality": quality(track.person_fraction, result.extraction.lower_body_share, longest),
        "music": None if music is None else music.name,
        "music_to_motion_offset": None if offset is None else round(offset, 4),
        "sync_correlation": None if correlation is None else round(correlation, 3),
        "no_music_reason": no_music,
        "notes": list(result.notes),
        "files": files,
    }
    _write_json(dest / "video.json", entry)
    seconds = round(time.perf_counter() - started, 2)
    _write_json(dest / DONE, {"video": path.name, "run": run_id, "seconds": seconds})
    return {"video": path.name, "status": "done", "seconds": seconds}


def _local(jobs: list[tuple[str, str, str]], workers: int) -> Iterable[dict[str, Any]]:
    import multiprocessing

    # spawn, not fork: MediaPipe's and OpenCV's threads do not survive a fork.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(process_video, *job) for job in jobs]
        for future in as_completed(futures):
            yield future.result()


def _ray(jobs: list[tuple[str, str, str]], address: str) -> Iterable[dict[str, Any]]:
    try:
        import ray
    except ImportError:
        raise UserFacingError(
            "--ray needs Ray, which is not installed: pip install 'eightcount-studio[ray]'"
        ) from None
    started_here = not ray.is_initialized()
    if started_here:
        try:
            ray.init(address=address, log_to_driver=True)
        except (ConnectionError, RuntimeError, ValueError) as err:
            raise UserFacingError(
                f"--ray {address}: cannot connect to the cluster ({err})"
            ) from None
    try:
        remote = ray.remote(num_cpus=1)(process_video)
        pending = [remote.remote(*job) for job in jobs]
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            yield ray.get(ready[0])
    finally:
        if started_here:
            ray.shutdown()


def run_dataset(
    videos_dir: str | Path,
    out_dir: str | Path,
    workers: int = 1,
    ray_address: str | None = None,
    retry_skipped: bool = False,
    report: Report = print,
) -> dict[str, Any]:
    """Process every video of ``videos_dir`` not yet finished; returns (and writes) a summary."""
    videos_dir, out_dir = Path(videos_dir), Path(out_dir)
    if not videos_dir.is_dir():
        raise UserFacingError(f"{videos_dir}: no such folder of videos")
    if workers < 1:
        raise UserFacingError(f"--workers must be 1 or more, not {workers}")
    videos = find_videos(videos_dir)
    if not videos:
        raise UserFacingError(f"{videos_dir}: no videos in it ({', '.join(VIDEO_SUFFIXES)})")
    out_dir.mkdir(parents=True, exist_ok=True)
    run_id = f"{os.getpid()}-{time.time():.3f}"
    finished, skipped, todo = [], [], []
    for video in videos:
        dest = video_dir(out_dir, video)
        if (dest / DONE).exists():
            finished.append(video.name)
        elif (dest / SKIPPED).exists() and not retry_skipped:
            reason = json.loads((dest / SKIPPED).read_text()).get("reason", "")
            skipped.append({"video": video.name, "reason": reason})
        else:
            (dest / SKIPPED).unlink(missing_ok=True)
            todo.append((str(video), str(out_dir), run_id))
    report(
        f"{len(videos)} videos: {len(finished)} already done, {len(skipped)} skipped before, "
        f"{len(todo)} to do"
        + (
            f" on Ray at {ray_address}"
            if ray_address
            else f" on {min(workers, max(len(todo), 1))} worker(s)"
        )
    )
    done_now: list[str] = []
    outcomes = _ray(todo, ray_address) if ray_address else _local(todo, workers)
    for k, outcome in enumerate(outcomes, 1):
        name = outcome["video"]
        if outcome["status"] == "skipped":
            skipped.append({"video": name, "reason": outcome["reason"]})
            report(f"[{k}/{len(todo)}] {name}: skipped: {outcome['reason']}")
        else:
            done_now.append(name)
            report(f"[{k}/{len(todo)}] {name}: done in {outcome.get('seconds', 0):.1f} s")
    skipped.sort(key=lambda s: s["video"])
    summary: dict[str, Any] = {
        "videos": len(videos),
        "done": sorted(finished + done_now),
        "done_this_run": sorted(done_now),
        "skipped": skipped,
    }
    _write_json(out_dir / "summary.json", summary)
    for item in skipped:
        report(f"skipped {item['video']}: {item['reason']}")
    return summary
