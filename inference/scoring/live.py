"""A live score for practice mode: the reference prepared once, the current part re-scored often.

The studio's practice mode keeps the webcam's keypoints of the last seconds as a 2D
:class:`~inference.scoring.body.BodyTrack` and asks, several times a second, how the current
part is going::

    scorer = LiveScorer(routine_motion, grid, parts, mirror=True)   # once, on the worker
    part_score = scorer.score_part(recent_keypoints, part_index=3, take_offset_s=t0)

The reference is filmed from the front (and embedded) once; each call only featurises the
take's frames near the part and aligns that one part, which is what keeps it fast
(``tests/benchmarks/bench_scoring.py`` prints the rate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

from inference.audio.grid import BeatGrid, Part
from inference.motion.motion import Motion
from inference.scoring.body import BodyTrack, mirror_track, track_from_motion, trim_track
from inference.scoring.camera import front_view
from inference.scoring.compare import TIMING_TOLERANCE_S, PartScore, compare, features_of
from inference.scoring.embedding import (
    EmbeddingWeights,
    embedding_available,
    embedding_helps,
    load_embedding,
)


@dataclass(frozen=True, eq=False)
class RememberingEmbedding(EmbeddingWeights):
    """The embedding, remembering its last inputs and outputs.

    A live pass grows at its end, so most rows of its network inputs are the same from one
    update to the next: only a frame whose window (or torso scale) reached new pictures has new
    inputs. Rows equal to the last call's rows keep their embedding, and only the others go
    through the network (the network maps each row on its own, so this is exact).
    """

    _last: list[NDArray[np.float32]] = field(default_factory=list)

    def __call__(self, x: NDArray[np.floating[Any]]) -> NDArray[np.float32]:
        x = np.asarray(x, dtype=np.float32)
        out = np.empty((len(x), self.layers[-1][0].shape[0]), dtype=np.float32)
        todo = np.ones(len(x), dtype=bool)
        if self._last:
            last_x, last_y = self._last
            m = min(len(x), len(last_x))
            same = np.all(x[:m] == last_x[:m], axis=1)
            out[:m][same] = last_y[:m][same]
            todo[:m] = ~same
        if np.any(todo):
            out[todo] = EmbeddingWeights.__call__(self, x[todo])
        self._last[:] = [x, out]
        return out


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    """The process's BLAS thread pools (looked up once: the lookup walks the loaded libraries)."""
    return ThreadpoolController()


class LiveScorer:
    """Scores one part of a 2D take at a time against a fixed reference.

    Parameters
    ----------
    reference
        The routine (a Motion, or a 3D or 2D track); a 3D one is filmed from the front.
    grid, parts
        The project's beat grid and parts.
    mirror
        Compare with the mirrored reference (the student faces the camera).
    reference_offset_s
        Song time of the reference's first frame.
    """

    def __init__(
        self,
        reference: Motion | BodyTrack,
        grid: BeatGrid,
        parts: Sequence[Part],
        mirror: bool = False,
        reference_offset_s: float = 0.0,
    ) -> None:
        track = track_from_motion(reference) if isinstance(reference, Motion) else reference
        track = front_view(track) if track.dims == 3 else track
        track = mirror_track(track) if mirror else track
        use = embedding_available() and embedding_helps()
        self._network = RememberingEmbedding(load_embedding().layers) if use else None
        self._reference = features_of(track, self._network)
        self._grid = grid
        self._parts = {p.index: p for p in parts}
        self._offset = reference_offset_s

    def score_part(
        self, take: BodyTrack, part_index: int, take_offset_s: float
    ) -> PartScore | None:
        """The score of part ``part_index`` from the take's frames so far (``None`` until the
        take covers half of the part); ``take_offset_s`` is the song time of its frame 0."""
        part = self._parts[part_index]
        # Only the take's frames that can match this part (plus the embedding's window).
        margin = TIMING_TOLERANCE_S + 0.5
        first = max(0, int((part.start - margin - take_offset_s) * take.fps))
        last = int((part.end + margin - take_offset_s) * take.fps) + 1
        window = trim_track(take, first, last)
        if window.n_frames < 2:
            return None
        # One BLAS thread: a live pass's products are small, and waking OpenBLAS's pool for
        # them left its threads spinning, 57-75 % of a core taken from the camera and the
        # pose model (with one thread the studio showed 19.4 practice pictures a second,
        # against 16.5-18.5).
        with _blas().limit(limits=1, user_api="blas"):
            take_f = features_of(window, self._network)
            start = take_offset_s + first / take.fps
            result = compare(self._reference, take_f, self._grid, [part], start, self._offset)
        return result.parts[0] if result.parts else None

    @property
    def uses_embedding(self) -> bool:
        """Whether the view embedding measures the pose (else the joint angles)."""
        return self._network is not None
