"""One set of dance metrics for any motion on any song: ours, real mocap and baselines alike.

All at 30 fps on the canonical 21 joints. The motion is grounded first (a vertical shift, which
changes neither BAS nor PFC) so that foot contact means the same thing for every source.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from inference.assess.motion_metrics import (
    beat_align_score,
    diversity,
    foot_skating_ratio,
    joint_positions,
    pfc,
)
from inference.assess.scorecard_figures import span_kinetics
from inference.audio import Part
from inference.generate.limits import limit_violations
from inference.motion import Motion, ground

TANG_FPS = 25.0


def part_features(motion: Motion, parts: Sequence[Part], offset: float = 0.0) -> list[np.ndarray]:
    """Kinetic features of each part of the song the motion covers (parts of >= 1 s), each
    relative to its first pelvis position (:func:`.scorecard_figures.span_kinetics`)."""
    fps = motion.fps
    pos = joint_positions(motion)
    feats = []
    for p in parts:
        a, b = int((p.start - offset) * fps), int((p.end - offset) * fps)
        if a >= 0 and b <= motion.n_frames and b - a >= fps:
            feats.append(span_kinetics(pos, a, b, fps))
    return [f for f in feats if f is not None]


def dance_metrics(
    motion: Motion, beat_times: Sequence[float], parts: Sequence[Part] = (), offset: float = 0.0
) -> dict[str, float]:
    """BAS, PFC, foot skating (%), Div_k over the parts, NaN frames and joint-limit frames.

    Parameters
    ----------
    beat_times
        Music beats in song seconds.
    offset
        Song time of the motion's first frame (Tang: ``start_position / 25``).
    """
    finite = np.all(np.isfinite(motion.positions()), axis=(1, 2))
    grounded = ground(motion)
    beats = np.asarray(beat_times, dtype=np.float64) - offset
    feats = part_features(grounded, parts, offset)
    skate = foot_skating_ratio(grounded)
    return {
        "bas": round(beat_align_score(grounded, beats, motion.fps), 4),
        "pfc": round(pfc(grounded, motion.fps), 4),
        "foot_skating": round(100.0 * skate, 2) if np.isfinite(skate) else float("nan"),
        "div_k": round(diversity(feats), 3) if len(feats) >= 2 else float("nan"),
        "nan_frames": int((~finite).sum()),
        "limit_violations": limit_violations(motion),
    }


def tang_offset(motion_path: Path) -> float:
    """Song time of a Tang ``skeletons.json``'s first frame (0 for any other file)."""
    config = motion_path.parent / "config.json"
    if motion_path.name != "skeletons.json" or not config.is_file():
        return 0.0
    return float(json.loads(config.read_text())["start_position"]) / TANG_FPS
