"""The dancer video becomes a motion: real, constant bone lengths, feet on the floor, travel;
several people: the central one is followed."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from inference.assess.motion_metrics import foot_skating_ratio
from inference.jobs import run_job
from inference.motion import foot_contacts, forward_kinematics
from inference.motion.skeleton import CANONICAL
from inference.pose import VideoPoseResult, extract_pose_job, motion_from_track
from inference.pose.to_motion import ANKLE_CONTACT_M, camera_fit

from .conftest import MakeVideo

FEET = [CANONICAL.index(n) for n in ("ankle_l", "toe_l", "ankle_r", "toe_r")]


def bone_lengths(positions: np.ndarray) -> np.ndarray:
    return np.array(
        [np.linalg.norm(positions[:, j] - positions[:, p], axis=-1) for p, j in CANONICAL.bones()]
    )


def test_dancer_motion_has_constant_real_bone_lengths(dancer_result: VideoPoseResult) -> None:
    motion = dancer_result.motion
    assert motion.fps == 30.0 and motion.n_frames == int(101 / 20 * 30) + 1
    lengths = bone_lengths(forward_kinematics(motion)[0])
    spread = lengths.std(axis=1) / lengths.mean(axis=1)
    assert spread.max() < 0.01
    # The person's own lengths (metres, from MediaPipe's world landmarks), not the rest body's.
    thigh = lengths[CANONICAL.index("knee_l") - 1].mean()
    assert 0.3 < thigh < 0.55
    assert motion.offsets is not None


def test_dancer_feet_stay_on_the_floor(dancer_result: VideoPoseResult) -> None:
    motion = dancer_result.motion
    pos = forward_kinematics(motion)[0]
    lowest = pos[:, FEET, 1].min(axis=1) - 0.02  # toe clearance: the sole is 2 cm below
    # He dances on the floor (no jumps): some foot is on it in every frame, none sinks.
    assert np.abs(lowest).max() < 0.01
    contacts = foot_contacts(motion, ankle_height=ANKLE_CONTACT_M)
    assert contacts.any(axis=1).mean() > 0.5
    # Locked: a foot in contact barely slides (measured 0.09 m/s against 0.22 unlocked).
    ankles = pos[:, [CANONICAL.index("ankle_l"), CANONICAL.index("ankle_r")]][..., [0, 2]]
    speed = np.linalg.norm(np.diff(ankles, axis=0), axis=-1) * motion.fps
    assert speed[contacts[1:]].mean() < 0.15
    assert foot_skating_ratio(motion) < 0.3


def test_dancer_travel_comes_from_the_picture(dancer_result: VideoPoseResult) -> None:
    root = dancer_result.motion.root_translation
    # He steps across the picture: the pelvis travels sideways, not only on the spot.
    assert np.ptp(root[:, 0]) > 0.3
    track = dancer_result.track
    assert track.world is not None
    k, _ = camera_fit(track.keypoints, track.world)
    assert np.all(k > 0)
    assert any("travel" in n for n in dancer_result.notes)


def test_the_followed_person_is_the_central_one(
    dancer: Path, squats: Path, make_video: MakeVideo
) -> None:
    # The dancer large in the middle, the squatting woman smaller at the right edge. (Smaller
    # still, her head is too small for MediaPipe's detector to find her at all.)
    two = make_video(
        "two_people.mp4",
        "-i", str(dancer), "-i", str(squats), "-t", "2",
        "-filter_complex",
        "color=gray:s=1280x720:r=20[bg];[0:v]scale=640:640[a];[1:v]scale=360:640[b];"
        "[bg][a]overlay=260:40:shortest=1[ab];[ab][b]overlay=920:80",
        "-c:v", "libx264", "-preset", "veryfast",
    )  # fmt: skip
    result = run_job(extract_pose_job(two))
    track = result.track
    centre_x = np.nanmean(track.keypoints[..., 0], axis=1)
    assert track.present.mean() > 0.9
    assert np.nanmax(centre_x) < 900 and np.nanmin(centre_x) > 260  # never the woman (>920)
    assert any("people in view" in n and "central" in n for n in result.notes)
    assert motion_from_track(track).motion.n_frames > 0
