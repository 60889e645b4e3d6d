"""The authored K-pop vocabulary: basic moves written as keyframes on counts.

Each :class:`Move` is a list of ``(beat, pose channels)`` keys over ``n_beats`` counts (beat 0 is
the move's count 1); see :mod:`inference.generate.pose` for the channels. Moves start and end
near the relaxed standing pose so any two chain cleanly, and the library mirrors every one.
Accents sit on the beats (whole numbers), as a choreographer counts them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Key = tuple[float, dict[str, float]]


@dataclass(frozen=True)
class Move:
    """An authored move: ``name``, length in counts, keyframes and descriptive tags."""

    name: str
    n_beats: int
    keys: tuple[Key, ...]
    focus: str
    labels: tuple[str, ...] = field(default_factory=tuple)


def k(beat: float, **channels: float) -> Key:
    """One keyframe: pose channels at ``beat`` (counts from the move's start)."""
    return (beat, channels)


DIP = {"dy": -0.05, "l_knee": 22.0, "r_knee": 22.0, "l_hip": 11.0, "r_hip": 11.0}
"""A groove dip: knees and hips bend together so the pelvis drops about 5 cm."""


def dip(beat: float, depth: float = 1.0, **channels: float) -> Key:
    """A key with the groove dip (scaled by ``depth``) plus ``channels``."""
    base = {name: value * depth for name, value in DIP.items()}
    return (beat, {**base, **channels})


def _alternate(n: int, make: Callable[[int, float], list[Key]]) -> tuple[Key, ...]:
    """Keys of a pattern that alternates sides each beat (``make(beat, side_sign)``)."""
    keys: list[Key] = []
    for b in range(n):
        keys.extend(make(b, 1.0 if b % 2 == 0 else -1.0))
    return tuple(keys)


def _step_touch(b: int, s: float) -> list[Key]:
    lead = "r" if s > 0 else "l"
    return [
        k(b + 0.5, dx=-0.07 * s, dy=-0.02, **{f"{lead}_abd": 12.0, f"{lead}_knee": 18.0},
          l_elev=25, r_elev=25, l_elbow=70, r_elbow=70, roll=4 * s),
        dip(b + 1.0, dx=-0.1 * s, l_elev=15, r_elev=15, l_elbow=80, r_elbow=80),
    ]  # fmt: skip


def _march(b: int, s: float) -> list[Key]:
    lead = "l" if s > 0 else "r"
    other = "r" if s > 0 else "l"
    return [
        k(b + 0.5, **{f"{lead}_hip": 55.0, f"{lead}_knee": 70.0, f"{other}_elev": 40.0,
                      f"{other}_azim": 70.0, f"{other}_elbow": 80.0}),
        dip(b + 1.0, 0.6),
    ]  # fmt: skip


def _punch(b: int, s: float) -> list[Key]:
    arm = "r" if s > 0 else "l"
    back = "l" if s > 0 else "r"
    return [
        k(b + 0.3, **{f"{arm}_elev": 85.0, f"{arm}_azim": 95.0, f"{arm}_elbow": 5.0,
                      f"{back}_elev": 30.0, f"{back}_azim": 80.0, f"{back}_elbow": 120.0},
          twist=-18 * s, dy=-0.03),
        dip(b + 1.0, 0.7, twist=-8 * s, l_elev=30, r_elev=30, l_elbow=100, r_elbow=100),
    ]  # fmt: skip


def _shimmy(b: int, s: float) -> list[Key]:
    return [
        k(b + 0.25, l_shrug=18 * max(s, 0), r_shrug=18 * max(-s, 0), twist=12 * s,
          l_elev=35, r_elev=35, l_elbow=90, r_elbow=90),
        k(b + 0.75, l_shrug=18 * max(-s, 0), r_shrug=18 * max(s, 0), twist=-12 * s,
          l_elev=35, r_elev=35, l_elbow=90, r_elbow=90),
        dip(b + 1.0, 0.5, l_elev=35, r_elev=35, l_elbow=90, r_elbow=90),
    ]  # fmt: skip


ARMS_UP = {"l_elev": 165.0, "r_elev": 165.0, "l_azim": 20.0, "r_azim": 20.0}
ARMS_V = {"l_elev": 140.0, "r_elev": 140.0, "l_elbow": 0.0, "r_elbow": 0.0}
GUARD = {"l_elev": 35.0, "r_elev": 35.0, "l_azim": 80.0, "r_azim": 80.0}
GUARD |= {"l_elbow": 110.0, "r_elbow": 110.0}

MOVES: tuple[Move, ...] = (
    Move("body_wave", 4, (
        k(0.4, nod=25, chest_pop=-8), k(0.8, chest_pop=22, bend=6, nod=-5),
        k(1.3, tilt=-12, bend=-8, dy=-0.04, l_knee=20, r_knee=20), dip(2.0, 0.8),
        k(2.4, nod=25, chest_pop=-8), k(2.8, chest_pop=22, bend=6),
        k(3.3, tilt=-12, bend=-8, dy=-0.04, l_knee=20, r_knee=20), dip(4.0, 0.5),
    ), "torso", ("wave", "smooth", "sensual")),
    Move("arm_wave", 4, (
        k(0.5, l_elev=90, r_elev=90, l_elbow=0, r_elbow=0, l_shrug=15),
        k(1.0, l_elev=95, r_elev=90, l_elbow=35, l_wrist=30, r_elbow=0),
        k(1.5, l_elev=90, r_elev=90, l_elbow=0, r_elbow=0, l_wrist=-30, chest_pop=10, r_shrug=15),
        k(2.0, l_elev=90, r_elev=95, r_elbow=35, r_wrist=30, l_elbow=0),
        k(3.0, l_elev=90, r_elev=90, l_elbow=0, r_elbow=0, r_wrist=-30), dip(4.0, 0.5),
    ), "arms", ("wave", "smooth", "arms")),
    Move("point_up", 2, (
        k(0.5, r_elev=160, r_azim=60, r_elbow=0, l_elev=20, dx=-0.05, roll=6, head_tilt=10),
        k(1.0, r_elev=165, r_azim=60, r_elbow=0, l_elev=20, dx=-0.06, roll=6, dy=-0.02),
        dip(2.0, 0.6),
    ), "arms", ("point", "sharp")),
    Move("point_front", 2, (
        k(0.3, r_elev=90, r_azim=90, r_elbow=0, l_elev=30, l_elbow=100, twist=-15, dy=-0.03),
        k(1.0, r_elev=95, r_azim=85, r_elbow=0, l_elev=30, l_elbow=100, twist=-18, nod=10),
        dip(2.0, 0.6),
    ), "arms", ("point", "sharp")),
    Move("step_touch", 4, _alternate(4, _step_touch), "legs", ("step", "groove")),
    Move("hip_sway", 4, (
        k(0.5, roll=10, dx=0.06, side=-6, l_elev=20, r_elev=20), dip(1.0, 0.5, roll=12, dx=0.07),
        k(1.5, roll=-10, dx=-0.06, side=6), dip(2.0, 0.5, roll=-12, dx=-0.07),
        k(2.5, roll=10, dx=0.06, side=-6), dip(3.0, 0.5, roll=12, dx=0.07),
        k(3.5, roll=-10, dx=-0.06, side=6), dip(4.0, 0.5),
    ), "torso", ("hips", "sensual", "groove")),
    Move("shoulder_pop", 2, (
        k(0.5, l_shrug=25, r_shrug=25, chest_pop=8, **GUARD), dip(1.0, 0.6, **GUARD),
        k(1.5, l_shrug=25, r_shrug=25, chest_pop=8, **GUARD), dip(2.0, 0.6),
    ), "torso", ("pop", "sharp", "hit")),
    Move("chest_pop", 2, (
        k(0.7, chest_pop=-6, l_elev=20, r_elev=20), k(1.0, chest_pop=24, nod=-10, dy=0.01),
        dip(1.4, 0.4), k(1.8, chest_pop=20), dip(2.0, 0.3),
    ), "torso", ("pop", "sharp", "hit")),
    Move("cross_step", 4, (
        k(0.5, r_hip=25, r_abd=-14, dz=0.06, twist=14, l_elev=30, r_elev=30), dip(1.0, 0.7),
        k(1.5, l_hip=25, l_abd=-14, dz=0.1, twist=-14, l_elev=30, r_elev=30), dip(2.0, 0.7),
        k(2.5, r_hip=20, r_abd=-10, dz=0.05, twist=10), dip(3.0, 0.7, dz=0.02),
        k(3.5, l_hip=20, l_abd=-10, twist=-10), dip(4.0, 0.4),
    ), "legs", ("step", "footwork")),
    Move("kick_ball_change", 2, (
        k(0.5, r_hip=65, r_knee=10, r_ankle=-25, bend=-8, l_elev=40, r_elev=40, dy=0.01),
        k(1.0, r_hip=10, r_knee=20, dy=0.02, l_ankle=0, r_ankle=20),
        dip(1.5, 1.0, l_hip=25, l_knee=35), dip(2.0, 0.5),
    ), "legs", ("kick", "footwork", "sharp")),
    Move("clap", 2, (
        k(0.6, l_elev=80, r_elev=80, l_azim=45, r_azim=45, l_elbow=40, r_elbow=40),
        k(1.0, l_elev=85, r_elev=85, l_azim=98, r_azim=98, l_elbow=45, r_elbow=45, dy=-0.04),
        k(1.6, l_elev=80, r_elev=80, l_azim=45, r_azim=45, l_elbow=40, r_elbow=40),
        k(2.0, l_elev=85, r_elev=85, l_azim=98, r_azim=98, l_elbow=45, r_elbow=45, dy=-0.04),
    ), "arms", ("clap", "hit", "groove")),
    Move("spin", 4, (
        dip(0.5, 1.0, l_elev=40, r_elev=40, l_azim=80, r_azim=80, l_elbow=90, r_elbow=90),
        k(1.5, yaw=150, l_elev=30, r_elev=30, l_elbow=100, r_elbow=100, l_ankle=20, r_ankle=20),
        k(2.5, yaw=300, l_elev=50, r_elev=50, l_elbow=60, r_elbow=60),
        dip(3.0, 0.8, yaw=360), k(4.0, yaw=360),
    ), "full", ("turn", "spin", "power")),
    Move("jump", 2, (
        dip(0.5, 2.4, bend=20, l_elev=20, r_elev=20, l_azim=-30, r_azim=-30),
        k(1.0, dy=0.22, l_knee=30, r_knee=30, l_ankle=30, r_ankle=30, **ARMS_V),
        dip(1.5, 2.0, bend=12), dip(2.0, 0.5),
    ), "full", ("jump", "power", "hit")),
    Move("side_slide", 4, (
        k(0.5, dx=0.08, l_abd=16, l_knee=20, roll=-6, l_elev=60, r_elev=30),
        dip(1.0, 0.8, dx=0.16, l_elev=70, r_elev=30, l_elbow=30),
        k(1.5, dx=0.2, r_abd=10, l_elev=75, r_elev=35), dip(2.0, 0.8, dx=0.22),
        k(2.5, dx=0.14, r_abd=16, r_knee=20, roll=6, r_elev=60, l_elev=30),
        dip(3.0, 0.8, dx=0.06, r_elev=70, l_elev=30, r_elbow=30), dip(4.0, 0.4),
    ), "legs", ("slide", "travel", "smooth")),
    Move("freeze_pose", 2, (
        k(0.25, bend=-6, roll=8, head_tilt=-12, l_elev=130, l_azim=40, l_elbow=30, r_elev=20,
          r_azim=-20, r_elbow=60, l_abd=10, dx=0.04),
        k(1.75, bend=-6, roll=8, head_tilt=-12, l_elev=132, l_azim=40, l_elbow=30, r_elev=20,
          r_azim=-20, r_elbow=60, l_abd=10, dx=0.04),
    ), "full", ("freeze", "pose", "sharp")),
    Move("killing_part", 8, (
        k(0.5, r_elev=120, r_azim=70, r_elbow=10, l_elev=30, l_elbow=90, twist=-12),
        dip(1.0, 0.8, r_elev=150, r_azim=70, r_elbow=0, l_elbow=90, head_tilt=10),
        k(1.5, l_elev=120, l_azim=70, l_elbow=10, r_elev=30, r_elbow=90, twist=12),
        dip(2.0, 0.8, l_elev=150, l_azim=70, l_elbow=0, r_elbow=90, head_tilt=-10),
        k(2.5, roll=14, dx=0.08, l_elev=60, r_elev=60, l_azim=80, r_azim=80, l_elbow=60,
          r_elbow=60),
        dip(3.0, 1.0, roll=-14, dx=-0.08, chest_pop=15, l_shrug=20, r_shrug=20),
        k(3.5, roll=14, dx=0.08), dip(4.0, 1.0, roll=-10, dx=-0.04, chest_pop=15),
        k(4.5, l_elev=90, r_elev=90, l_azim=95, r_azim=95, l_elbow=40, r_elbow=40, dy=0.01),
        dip(5.0, 1.2, l_elev=95, r_elev=95, l_azim=98, r_azim=98, l_elbow=45, r_elbow=45),
        k(5.5, yaw=90, **ARMS_V), k(6.5, yaw=270, l_elev=60, r_elev=60),
        dip(7.0, 1.0, yaw=360, bend=-8, **ARMS_UP), k(7.6, yaw=360, **ARMS_UP), k(8.0, yaw=360),
    ), "full", ("hook", "highlight", "sharp", "power")),
    Move("heart_hook", 8, (
        k(1.0, l_elev=160, r_elev=160, l_azim=85, r_azim=85, l_elbow=95, r_elbow=95, dy=-0.02),
        dip(2.0, 0.8, l_elev=160, r_elev=160, l_azim=85, r_azim=85, l_elbow=95, r_elbow=95,
            roll=8),
        dip(3.0, 0.8, l_elev=160, r_elev=160, l_azim=85, r_azim=85, l_elbow=95, r_elbow=95,
            roll=-8),
        k(4.0, r_elev=90, r_azim=95, r_elbow=0, l_elev=20, twist=-15),
        k(5.0, l_elev=90, l_azim=95, l_elbow=0, r_elev=20, twist=15),
        dip(6.0, 1.2, chest_pop=18, l_shrug=20, r_shrug=20, **GUARD),
        k(7.0, r_elev=165, r_azim=60, r_elbow=0, dx=-0.05, roll=6), dip(8.0, 0.4),
    ), "arms", ("hook", "highlight", "cute")),
    Move("march", 4, _alternate(4, _march), "legs", ("step", "power")),
    Move("bounce_groove", 2, (
        dip(0.5, 1.3, nod=12, l_elev=25, r_elev=25, l_elbow=60, r_elbow=60), k(1.0, dy=0.01),
        dip(1.5, 1.3, nod=12, l_elev=25, r_elev=25, l_elbow=60, r_elbow=60), k(2.0, dy=0.01),
    ), "full", ("bounce", "groove", "hiphop")),
    Move("rock", 4, (
        k(0.5, bend=18, dz=0.03, l_elev=20, r_elev=20), dip(1.0, 0.5, bend=-10, dz=-0.02),
        k(1.5, bend=18, dz=0.03), dip(2.0, 0.5, bend=-10, dz=-0.02), k(2.5, bend=18, dz=0.03),
        dip(3.0, 0.5, bend=-10), k(3.5, bend=14), dip(4.0, 0.3),
    ), "torso", ("rock", "groove", "hiphop")),
    Move("hip_roll", 4, (
        k(0.5, roll=12, tilt=0, dx=0.05), k(1.0, roll=0, tilt=12, dz=-0.03, dy=-0.03),
        k(1.5, roll=-12, tilt=0, dx=-0.05), k(2.0, roll=0, tilt=-12, dz=0.03, dy=-0.02),
        k(2.5, roll=12, dx=0.05), k(3.0, tilt=12, dz=-0.03, dy=-0.03),
        k(3.5, roll=-12, dx=-0.05), dip(4.0, 0.3),
    ), "torso", ("hips", "smooth", "sensual")),
    Move("arm_cross", 2, (
        k(0.5, l_elev=70, r_elev=70, l_azim=125, r_azim=125, l_elbow=20, r_elbow=20, dy=-0.03),
        dip(1.0, 0.6, l_elev=100, r_elev=100, l_azim=10, r_azim=10, l_elbow=0, r_elbow=0),
        k(1.5, l_elev=70, r_elev=70, l_azim=125, r_azim=125, l_elbow=20, r_elbow=20),
        dip(2.0, 0.6, l_elev=30, r_elev=30),
    ), "arms", ("arms", "sharp")),
    Move("punch", 4, _alternate(4, _punch), "arms", ("punch", "power", "hit")),
    Move("raise_roof", 2, (
        dip(0.5, 0.8, l_elev=150, r_elev=150, l_elbow=90, r_elbow=90, l_azim=30, r_azim=30),
        k(1.0, l_elev=170, r_elev=170, l_elbow=15, r_elbow=15, l_azim=30, r_azim=30, dy=0.01),
        dip(1.5, 0.8, l_elev=150, r_elev=150, l_elbow=90, r_elbow=90, l_azim=30, r_azim=30),
        k(2.0, l_elev=170, r_elev=170, l_elbow=15, r_elbow=15, l_azim=30, r_azim=30),
    ), "arms", ("hype", "power", "hiphop")),
    Move("head_nod", 1, (dip(0.5, 0.8, nod=25), k(1.0, nod=-4)), "torso", ("groove", "chill")),
    Move("shoulder_shimmy", 2, _alternate(2, _shimmy), "torso", ("shimmy", "groove")),
    Move("v_step", 4, (
        k(0.5, r_hip=30, r_abd=15, dz=0.08, dx=-0.05, l_elev=40, r_elev=40),
        dip(1.0, 0.6, dz=0.12, dx=-0.06),
        k(1.5, l_hip=30, l_abd=15, dz=0.16, dx=0.0, l_elev=60, r_elev=60),
        dip(2.0, 0.6, dz=0.16), k(2.5, r_hip=20, dz=0.08), dip(3.0, 0.6, dz=0.04),
        k(3.5, l_hip=20, dz=0.02), dip(4.0, 0.4),
    ), "legs", ("step", "footwork", "groove")),
    Move("hair_flip", 2, (
        k(0.5, nod=30, head_turn=-20, bend=12, r_elev=110, r_azim=80, r_elbow=100),
        k(1.0, nod=-25, head_turn=15, bend=-10, r_elev=150, r_azim=50, r_elbow=60, dy=0.01),
        dip(2.0, 0.5),
    ), "torso", ("flip", "sassy", "cute")),
    Move("hand_wave", 2, (
        k(0.5, r_elev=140, r_azim=70, r_elbow=40, r_wrist=30, roll=5),
        k(1.0, r_elev=140, r_azim=70, r_elbow=40, r_wrist=-30, roll=5, dy=-0.02),
        k(1.5, r_elev=140, r_azim=70, r_elbow=40, r_wrist=30, roll=5),
        dip(2.0, 0.4),
    ), "arms", ("wave", "cute", "chill")),
    Move("lean_pose", 2, (
        k(0.5, side=14, roll=6, l_elev=150, l_azim=30, l_elbow=50, r_elev=20, dx=-0.04),
        k(1.6, side=16, roll=6, l_elev=155, l_azim=30, l_elbow=50, r_elev=20, dx=-0.05),
    ), "full", ("pose", "sassy")),
    Move("pivot_turn", 4, (
        dip(0.5, 0.8, yaw=0, l_elev=40, r_elev=40), k(1.0, yaw=90, r_hip=15),
        dip(1.5, 0.8, yaw=90), k(2.0, yaw=180, r_hip=15), dip(2.5, 0.8, yaw=180),
        k(3.0, yaw=270, r_hip=15), dip(3.5, 0.8, yaw=300), k(4.0, yaw=360),
    ), "legs", ("turn", "footwork")),
    Move("step_clap", 4, (
        k(0.5, dx=-0.08, r_abd=14, l_elev=60, r_elev=60, l_azim=60, r_azim=60),
        dip(1.0, 0.7, dx=-0.1, l_elev=85, r_elev=85, l_azim=98, r_azim=98, l_elbow=45,
            r_elbow=45),
        k(1.5, dx=0.0, l_elev=40, r_elev=40),
        k(2.5, dx=0.08, l_abd=14, l_elev=60, r_elev=60, l_azim=60, r_azim=60),
        dip(3.0, 0.7, dx=0.1, l_elev=85, r_elev=85, l_azim=98, r_azim=98, l_elbow=45,
            r_elbow=45),
        k(3.5, dx=0.02, l_elev=40, r_elev=40),
    ), "full", ("clap", "step", "groove")),
    Move("lasso", 4, (
        k(0.5, r_elev=150, r_azim=0, r_elbow=30, dy=-0.02),
        dip(1.0, 0.6, r_elev=160, r_azim=90, r_elbow=30),
        k(1.5, r_elev=150, r_azim=150, r_elbow=30),
        dip(2.0, 0.6, r_elev=160, r_azim=60, r_elbow=30), k(2.5, r_elev=150, r_azim=0, r_elbow=30),
        dip(3.0, 0.6, r_elev=160, r_azim=90, r_elbow=30), k(3.5, r_elev=110, r_azim=90),
        dip(4.0, 0.3),
    ), "arms", ("hype", "fun", "hiphop")),
    Move("knee_pop", 2, (
        k(0.5, l_knee=35, l_ankle=-20, dy=-0.01, roll=5), k(1.0, r_knee=35, r_ankle=-20, roll=-5),
        k(1.5, l_knee=35, l_ankle=-20, roll=5), dip(2.0, 0.6),
    ), "legs", ("pop", "groove", "hiphop")),
    Move("ready", 4, (k(1.0, dy=-0.01, nod=2), k(2.0), k(3.0, dy=-0.01, nod=2)), "full",
         ("idle",)),
    Move("finish_pose", 4, (
        k(1.0, bend=-5, l_elev=150, r_elev=20, l_azim=40, r_azim=-10, l_elbow=10, head_tilt=8),
        k(4.0, bend=-5, l_elev=150, r_elev=20, l_azim=40, r_azim=-10, l_elbow=10, head_tilt=8),
    ), "full", ("idle", "pose")),
)  # fmt: skip
"""Every authored move (``ready`` and ``finish_pose`` are the idle in and out, never planned)."""

IDLE_MOVES = ("ready", "finish_pose")
