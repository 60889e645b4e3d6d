"""Practice scoring, with no Qt: a dancer's take against the reference, part by part.

* :func:`score_take_job` with a :class:`ScoreRequest`: the job the CLI and the studio run; its
  :class:`ScoreResult` holds ``overall``, ``offset_s``, the parts (``index``, ``score``,
  ``timing_ms``, ``counts``, ``feedback``) and the notes for the user.
* :class:`LiveScorer`: practice mode's live score of the current part.
* :mod:`.features`: joint angles and limb-end positions; :mod:`.scale`: the published mapping
  from distance to a 40–100 score; :mod:`.dtw`: the banded subsequence DTW; :mod:`.sync`:
  where a take starts on the song; :mod:`.embedding`: the view-invariant embedding.

torch is imported only when the embedding is used.
"""

from __future__ import annotations

from inference.pose import NoPersonError
from inference.scoring.body import BodyTrack, mirror_track, track_from_keypoints, track_from_motion
from inference.scoring.compare import PartScore
from inference.scoring.job import ScoreRequest, ScoreResult, score_take_job
from inference.scoring.live import LiveScorer
from inference.scoring.sources import load_source

__all__ = [
    "BodyTrack",
    "LiveScorer",
    "NoPersonError",
    "PartScore",
    "ScoreRequest",
    "ScoreResult",
    "load_source",
    "mirror_track",
    "score_take_job",
    "track_from_keypoints",
    "track_from_motion",
]
