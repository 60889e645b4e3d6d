"""Practice mode's loop, with no Qt: picture in, skeleton and live score of the part out.

The studio loops one part of the song; the dancer dances it in front of the camera again and
again. Each :meth:`PracticeSession.step` reads the camera's newest picture, finds the dancer in
it (:class:`~inference.pose.live.LivePose`), stamps it with the song time it was taken at
(:class:`SongClock`: the playhead when the step was asked for, run on at the playback speed, and
wrapped into the loop), and scores the part's current pass so far with
:class:`~inference.scoring.live.LiveScorer`. A pass ends when the song leaves the part or jumps
back (the loop wrapped, or a seek): its score is handed back once as
:attr:`LiveFrame.finished`, and the next pass starts empty.

The take is stamped in song time, so at 0.5x the camera's 30 pictures a second are 60 a song
second, and timing is measured against the music as the dancer hears it. Pictures are laid on
an even song-time grid (the nearest picture to each instant) before scoring.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from inference.audio.grid import BeatGrid, Part, part_and_count
from inference.pose.layouts import MEDIAPIPE33
from inference.pose.live import FrameSource, LivePose, RGBImage
from inference.scoring.body import BodyTrack, track_from_keypoints
from inference.scoring.compare import WORK_FPS, PartScore
from inference.scoring.live import LiveScorer

Array = NDArray[np.float64]

JUMP_BACK_S = 0.2
"""The song going back more than this ends the pass (a loop wrapped, or a seek)."""
TAKE_MIN_COVERAGE = 0.8
"""A pass that covered less of its part than this is shown live but not kept as a take."""
NOBODY_AFTER_S = 1.0
"""After this long (wall time) with nobody found, the frame says so."""


@dataclass(frozen=True, slots=True)
class SongClock:
    """Where the song was when a step was asked for, to time the picture the step takes.

    Attributes
    ----------
    position
        Song seconds at ``at``.
    at
        :func:`time.monotonic` then.
    rate
        Song seconds per second: the practice speed while playing, 0 while paused.
    loop
        The loop (start, end) in song seconds, or ``None``.
    """

    position: float
    at: float
    rate: float
    loop: tuple[float, float] | None = None

    def song_time(self, now: float) -> float:
        """The song time at monotonic time ``now``, wrapped into the loop."""
        t = self.position + max(0.0, now - self.at) * self.rate
        if self.loop is not None and self.rate > 0:
            start, end = self.loop
            if end > start and t >= end:
                t = start + (t - start) % (end - start)
        return t


@dataclass(frozen=True, eq=False)
class LiveFrame:
    """What one step saw and scored.

    Attributes
    ----------
    rgb
        The camera's picture (as taken: the view mirrors it if asked).
    keypoints
        (33, 3) landmarks of the dancer in the picture's pixels, or ``None``.
    song_time
        When the picture was taken, in song seconds.
    part
        The part playing then (its index), or ``None`` outside every part.
    score
        The live score of this pass of the part so far (``None`` until it covers half).
    finished
        The score of the pass that ended with this step (once per pass), or ``None``.
    finished_coverage_ok
        Whether that pass covered enough of its part to be kept as a take.
    notes
        Sentences for the dancer (nobody in view, several people...).
    ended
        The source gave no picture: it is unplugged, or the video standing in for it ended.
    seconds
        What the step took (picture, pose, score), for the rate shown.
    """

    rgb: RGBImage | None
    keypoints: Array | None
    song_time: float
    part: int | None
    score: PartScore | None
    finished: PartScore | None = None
    finished_coverage_ok: bool = False
    notes: tuple[str, ...] = field(default=())
    ended: bool = False
    seconds: float = 0.0


def even_track(times: Sequence[float], points: Sequence[Array], fps: float = WORK_FPS) -> BodyTrack:
    """Pictures at uneven song ``times`` as a track at ``fps`` from the first time, each instant
    taking the nearest picture's (33, 3) landmarks (NaN where nobody was found)."""
    t = np.asarray(times, dtype=np.float64)
    n = int(np.floor((t[-1] - t[0]) * fps + 1e-9)) + 1
    grid = t[0] + np.arange(n) / fps
    after = np.clip(np.searchsorted(t, grid), 1, len(t) - 1) if len(t) > 1 else np.zeros(n, int)
    if len(t) > 1:
        before = after - 1
        after = np.where(np.abs(t[before] - grid) <= np.abs(t[after] - grid), before, after)
    return track_from_keypoints(np.asarray(points)[after], MEDIAPIPE33, fps, "camera")


class PracticeSession:
    """One camera, one landmarker and one live scorer, stepped from one worker thread.

    Parameters
    ----------
    source
        The camera (or a video standing in for it); the session closes it.
    scorer
        The reference, prepared (:class:`~inference.scoring.live.LiveScorer`).
    grid, parts
        The project's counts.
    pose
        The landmarker (made for the source's picture size when not given).
    """

    def __init__(
        self,
        source: FrameSource,
        scorer: LiveScorer,
        grid: BeatGrid,
        parts: Sequence[Part],
        pose: LivePose | None = None,
    ) -> None:
        self.source = source
        self.scorer = scorer
        self._grid, self._parts = grid, tuple(parts)
        self._pose = pose or LivePose(source.width, source.height)
        self._pass_part: int | None = None
        self._times: list[float] = []
        self._points: list[Array] = []
        self._last_score: PartScore | None = None
        self._last_seen = time.monotonic()
        self._missing = np.full((33, 3), np.nan)
        self._closed = False

    def replace_scorer(self, scorer: LiveScorer) -> None:
        """Score against another reference (mirror mode toggled); the pass starts again."""
        self.scorer = scorer
        self._end_pass()

    def step(self, clock: SongClock) -> LiveFrame:
        """Read, find and score one picture (module docstring)."""
        started = time.monotonic()
        rgb = self.source.read()
        taken = time.monotonic()
        t = clock.song_time(taken)
        if rgb is None:
            finished, ok = self._end_pass()
            return LiveFrame(
                None, None, t, None, None, finished, ok, ("The camera stopped.",), True
            )
        keypoints = self._pose.find(rgb, taken)
        if keypoints is not None:
            self._last_seen = taken
        part, _ = part_and_count(self._grid, self._parts, t)
        index = None if part is None else part.index
        finished, ok = None, False
        if self._times and (index != self._pass_part or t < self._times[-1] - JUMP_BACK_S):
            finished, ok = self._end_pass()
        score = None
        if index is not None and clock.rate > 0:
            if not self._times or t > self._times[-1]:
                self._pass_part = index
                self._times.append(t)
                self._points.append(self._missing if keypoints is None else keypoints)
            score = self._score()
        return LiveFrame(
            rgb, keypoints, t, index, score, finished, ok, self._notes(taken), False,
            time.monotonic() - started,
        )  # fmt: skip

    def _score(self) -> PartScore | None:
        assert self._pass_part is not None
        if len(self._times) < 2:
            return None
        track = even_track(self._times, self._points)
        self._last_score = self.scorer.score_part(track, self._pass_part, self._times[0])
        return self._last_score

    def _end_pass(self) -> tuple[PartScore | None, bool]:
        """Forget the pass; its last score, and whether it covered enough to be a take."""
        score = self._last_score
        self._pass_part, self._times, self._points, self._last_score = None, [], [], None
        return score, score is not None and score.coverage >= TAKE_MIN_COVERAGE

    def _notes(self, now: float) -> tuple[str, ...]:
        notes = []
        if now - self._last_seen >= NOBODY_AFTER_S:
            notes.append("No one in view: step back until the camera sees your whole body.")
        if self._pose.most_people > 1:
            notes.append(
                f"{self._pose.most_people} people in view: following the most central, "
                "largest person."
            )
        return tuple(notes)

    def close(self) -> None:
        """Free the landmarker and the camera (once; later calls do nothing)."""
        if not self._closed:
            self._closed = True
            self._pose.close()
            self.source.close()
