"""Video in, as one job: pose, motion and the sync to the song, for the studio and the CLI.

>>> result = run_job(video_pose_job("take.mp4", song="song.ogg"))  # doctest: +SKIP
>>> result.motion, result.track, result.audio_offset, result.notes  # doctest: +SKIP

``audio_offset`` is the song time at video time 0 when the soundtrack matched the song; it is
``None`` when the video has no soundtrack, or one that does not match, and the notes then say
the clip belongs at the playhead. The job yields :class:`~inference.jobs.Progress` and can be
cancelled between any two steps (a few frames apart).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inference.audio.decode import AudioClip
from inference.jobs import Job, Progress
from inference.motion.motion import Motion
from inference.pose.extract import Extraction, PoseOptions, extract_pose_job
from inference.pose.sync import SyncResult, align_to_song
from inference.pose.to_motion import motion_from_track
from inference.pose.track import KeypointTrack
from inference.pose.video_io import VideoInfo, probe_video


@dataclass(frozen=True, eq=False)
class VideoPoseResult:
    """Everything a video import gives.

    Attributes
    ----------
    path, info
        The video and what was probed of it (size, fps, rotation, soundtrack).
    track
        The followed person's keypoints, frame by frame (for drawing over the video).
    motion
        The canonical motion at 30 fps; its frame 0 is video time 0.
    audio_offset
        Song seconds at video time 0, or ``None``: place the clip at the playhead.
    sync
        The match behind ``audio_offset`` (also kept when it was too weak to use).
    notes
        Sentences for the status bar and the import report.
    extraction
        Detection figures (frames, detections, brightness, jitter before and after filtering).
    """

    path: Path
    info: VideoInfo
    track: KeypointTrack
    motion: Motion
    audio_offset: float | None
    sync: SyncResult | None
    notes: tuple[str, ...]
    extraction: Extraction


def scaled(job: Job[object], lo: int, hi: int) -> Job[object]:
    """Run ``job``, mapping its 0..100 progress into ``lo..hi``, and return its result."""
    try:
        while True:
            p = next(job)
            yield Progress(lo + (hi - lo) * p.percent // 100, p.message)
    except StopIteration as stop:
        return stop.value
    finally:
        job.close()


def video_pose_job(
    video: str | Path,
    song: str | Path | AudioClip | None = None,
    options: PoseOptions | None = None,
) -> Job[VideoPoseResult]:
    """Pose, motion and sync for one video file.

    Parameters
    ----------
    video
        The file (mp4, mov, webm, avi, mkv...).
    song
        The project's song, to align the soundtrack to; ``None`` skips the sync.

    Raises
    ------
    BadFileError
        Not a video, or corrupt.
    NoPersonError, DarkVideoError, PartlyInFrameError
        Nobody found, too dark, or the legs out of the picture.
    """
    path = Path(video)
    yield Progress(0, f"Opening {path.name}")
    info = probe_video(path)
    extraction = yield from scaled(extract_pose_job(info, options), 1, 85)
    assert isinstance(extraction, Extraction)
    yield Progress(86, "Turning the landmarks into a motion")
    made = motion_from_track(extraction.track, name=path.name)
    notes = list(extraction.notes) + list(made.notes)
    offset: float | None = None
    sync: SyncResult | None = None
    if song is not None:
        yield Progress(92, "Aligning the soundtrack to the song")
        sync = align_to_song(path, song) if info.has_audio else None
        if sync is None:
            notes.append("no soundtrack: placed at the playhead")
        elif sync.trusted:
            offset = sync.offset
            notes.append(
                f"soundtrack matched to the song: video starts at {sync.offset:+.2f} s of the "
                f"song (correlation {sync.correlation:.2f})"
            )
        else:
            notes.append(
                f"the soundtrack does not match the song (correlation {sync.correlation:.2f}): "
                "placed at the playhead"
            )
    yield Progress(100, f"Imported {path.name}")
    return VideoPoseResult(
        path, info, extraction.track, made.motion, offset, sync, tuple(notes), extraction
    )
