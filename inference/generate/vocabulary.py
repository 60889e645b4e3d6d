"""The authored K-pop vocabulary: moves written as a choreographer counts them.

Each :class:`Move` spans ``n_beats`` counts (beat 0 is its count 1) and has

* keyframes of the upper body and the pelvis's dips and sways (``(beat, pose channels)``; see
  :mod:`inference.generate.pose` for the channels), accents on whole beats;
* footwork: the steps of :mod:`inference.generate.footwork`. The legs are solved from the feet,
  so knees never lock (the groove level keeps them soft), every step shifts the weight, and a
  move that steps travels.

The mechanics follow how K-pop choreography is built: a groove on every count (down on the
beat), arms that travel through and above the shoulders, isolations (chest pops, hip sways, body
rolls), footwork (steps, kicks, slides, turns) and level changes. Moves belong to a family
(``style``): pop, hip-hop, girl-crush, ballad or conceptual; the ``k-pop`` style draws on all of
them. Every move starts and ends in the neutral stance, so any two chain; the library mirrors
every one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from inference.generate.footwork import STANCE_X, Step, step

Key = tuple[float, dict[str, float]]
Channels = dict[str, float]

FAMILIES = ("pop", "hip-hop", "girl-crush", "ballad", "conceptual")
"""The K-pop move families; each is a style of its own, and ``k-pop`` is all of them."""


@dataclass(frozen=True)
class Move:
    """An authored move: ``name``, length in counts, keyframes, tags, family and footwork."""

    name: str
    n_beats: int
    keys: tuple[Key, ...]
    focus: str
    labels: tuple[str, ...] = field(default_factory=tuple)
    style: str = "pop"
    steps: tuple[Step, ...] = ()


def k(beat: float, *presets: Channels, **channels: float) -> Key:
    """One keyframe: ``presets`` merged, then ``channels``, at ``beat`` (counts from the start)."""
    merged: Channels = {}
    for p in presets:
        merged |= p
    return (beat, merged | channels)


def dip(beat: float, depth: float = 1.0, *presets: Channels, **channels: float) -> Key:
    """A key on the count with the groove dip (the pelvis drops ``4 cm * depth``)."""
    return k(beat, *presets, dy=-0.04 * depth, **channels)


def arm(side: str, elev: float, azim: float = 0.0, elbow: float = 10.0, **extra: float) -> Channels:
    """One arm's channels: elevation (0 down, 90 level, 180 up), azimuth (0 side, 90 front)."""
    out = {f"{side}_elev": elev, f"{side}_azim": azim, f"{side}_elbow": elbow}
    return out | {f"{side}_{name}": value for name, value in extra.items()}


def arms(elev: float, azim: float = 0.0, elbow: float = 10.0, **extra: float) -> Channels:
    """Both arms the same (mirrored)."""
    return arm("l", elev, azim, elbow, **extra) | arm("r", elev, azim, elbow, **extra)


UP_V = arms(150, 20, 0)
OVERHEAD = arms(172, 40, 25)
GUARD = arms(40, 80, 115)
HIPS = arms(40, -30, 100)
T_ARMS = arms(90, 0, 5)
FRONT = arms(90, 90, 5)
CLAP_HIGH = arms(150, 85, 40)
CLAP = arms(80, 95, 45)
LOW_V = arms(35, 10, 5)
CHEST = arms(70, 100, 120)

R, L = "r", "l"
_X = STANCE_X


def _other(side: str) -> str:
    return L if side == R else R


def _out(side: str, metres: float) -> float:
    """x of a foot ``metres`` outside its stance line, on its own side."""
    return (_X + metres) * (1.0 if side == L else -1.0)


def turn_steps(start: float, counts: int, degrees: float, first: str = R) -> tuple[Step, ...]:
    """Stepping turn in place: one step a count, alternating feet, each turned a share further.

    Each foot lands on its stance spot rotated with the body, so the body turns about its centre.
    """
    out = []
    side = first
    for i in range(counts):
        heading = degrees * (i + 1) / counts
        a = np.radians(heading)
        sx = _X if side == L else -_X
        out.append(Step(side, start + i, start + i + 0.9, float(sx * np.cos(a)),
                        float(-sx * np.sin(a)), lift=0.05, heading=heading))  # fmt: skip
        side = _other(side)
    last = out[-1]
    a = np.radians(degrees)
    sx = _X if last.foot == R else -_X  # the other foot closes beside it
    out.append(Step(_other(last.foot), start + counts - 0.1, start + counts,
                    float(sx * np.cos(a)), float(-sx * np.sin(a)), lift=0.03, heading=degrees,
                    weight=0.5))  # fmt: skip
    return tuple(out)


def side_steps(
    start: float, pattern: str, width: float = 0.3, touch: bool = True
) -> tuple[Step, ...]:
    """Step-touch footwork: for each letter of ``pattern`` ("rl" = right then left) the lead
    foot steps ``width`` out on the count's "and" and lands on the count, then the other foot
    touches in beside it: side to side, so the body travels and comes back."""
    out = []
    b = start
    for side in pattern:
        o = _other(side)
        out.append(step(side, b, b + 0.5, _out(side, width), lift=0.05))
        lead_x = _out(side, width)
        touch_x = lead_x + (0.16 if side == R else -0.16)
        out.append(step(o, b + 0.5, b + 1.0, touch_x, lift=0.04, weight=0.3 if touch else 0.7))
        # Back to stance on the next count's "and" keeps every move ending centred.
        out.append(step(side, b + 1.0, b + 1.5, None, lift=0.04, weight=0.5))
        out.append(step(o, b + 1.5, b + 2.0, None, lift=0.03, weight=0.5))
        b += 2
    return tuple(out)


def groove(counts: int, depth: float = 1.0, *presets: Channels, **channels: float) -> list[Key]:
    """A dip on every count, rising on the "and"."""
    out: list[Key] = []
    for b in range(counts):
        out.append(k(b + 0.5, *presets, dy=0.0, **channels))
        out.append(dip(b + 1.0, depth, *presets, **channels))
    return out


def _alternate(n: int, make: Callable[[int, float], list[Key]]) -> tuple[Key, ...]:
    """Keys of a pattern that alternates sides each count (``make(beat, side_sign)``)."""
    keys: list[Key] = []
    for b in range(n):
        keys.extend(make(b, 1.0 if b % 2 == 0 else -1.0))
    return tuple(keys)


def _punch(b: int, s: float) -> list[Key]:
    hit, back = (R, L) if s > 0 else (L, R)
    return [
        k(b + 0.35, arm(hit, 125, 80, 0), arm(back, 40, 80, 120), twist=-20 * s, dy=-0.05),
        dip(b + 1.0, 1.2, arm(hit, 60, 90, 60), arm(back, 45, 80, 110), twist=-10 * s),
    ]


def _wave_arm(b: int, s: float) -> list[Key]:
    lead, rest = (L, R) if s > 0 else (R, L)
    return [
        k(b + 0.5, arm(lead, 135, 30, 40, wrist=30), arm(rest, 60, 20, 30), chest_pop=8,
          side=-6 * s, dx=0.04 * s),
        dip(b + 1.0, 0.8, arm(lead, 160, 20, 5, wrist=-20), arm(rest, 40, 10, 20), chest_pop=-4,
            side=6 * s, dx=0.06 * s),
    ]  # fmt: skip


def _shimmy(b: int, s: float) -> list[Key]:
    return [
        k(b + 0.25, arms(70, 30, 80), l_shrug=18 * max(s, 0), r_shrug=18 * max(-s, 0),
          twist=14 * s),
        k(b + 0.75, arms(70, 30, 80), l_shrug=18 * max(-s, 0), r_shrug=18 * max(s, 0),
          twist=-14 * s),
        dip(b + 1.0, 1.0, arms(70, 30, 80)),
    ]  # fmt: skip


def _strut(b: int, s: float) -> list[Key]:
    """A model's strut: hips swing over the stepping foot, one hand on the hip, the other arm
    swinging forward to shoulder height and down on the count (swept up past the face on
    every count, the arms rose and fell three real standard deviations faster than real
    dancers')."""
    swing, rest = (R, L) if s > 0 else (L, R)
    return [
        k(b + 0.5, arm(swing, 100, 60, 60), arm(rest, 40, -30, 100), roll=12 * s,
          twist=-14 * s, side=-8 * s, head_turn=-15 * s),
        dip(b + 1.0, 1.2, arm(swing, 50, 40, 30), arm(rest, 40, -30, 100), roll=14 * s,
            twist=-10 * s, side=8 * s, nod=-8),
    ]  # fmt: skip


def _walk(
    start: float, n: int, stride: float, first: str = R, cross: float = 0.0
) -> tuple[Step, ...]:
    """``n`` steps forward (``stride`` metres each, negative: back), one a count; ``cross`` puts
    each foot that far across the centre line (a model's strut); the last step closes."""
    out = []
    side = first
    for i in range(n):
        x = (-cross if side == L else cross) if cross else None
        out.append(step(side, start + i, start + i + 0.8, x, z=stride * (i + 1), lift=0.07))
        side = _other(side)
    out.append(step(side, start + n - 0.2, start + n, None, z=stride * n, lift=0.04, weight=0.5))
    return tuple(out)


MOVES: tuple[Move, ...] = (
    # ---- pop: bright, travelling, arms through every level -------------------------------
    Move("step_touch_clap", 4, (
        k(0.5, arms(60, 60, 40), roll=5, dx=-0.02), dip(1.0, 1.0, CLAP, roll=6),
        k(1.5, arms(60, 60, 40)), dip(2.0, 0.8, arms(40, 30, 20)),
        k(2.5, arms(60, 60, 40), roll=-5), dip(3.0, 1.0, CLAP_HIGH, roll=-6),
        k(3.5, arms(80, 40, 30)), dip(4.0, 0.8),
    ), "legs", ("step", "groove", "clap", "travel"), "pop", side_steps(0, "rl")),
    Move("pop_point", 4, (
        dip(0.5, 1.2, arm(R, 60, 60, 90), arm(L, 30, 40, 60), twist=-10),
        k(1.0, arm(R, 165, 40, 0), arm(L, 30, 20, 10), dx=-0.04, roll=8, head_tilt=10),
        dip(2.0, 1.0, arm(R, 150, 40, 10), arm(L, 40, 20, 20), roll=8),
        k(2.5, arm(L, 95, 90, 0), arm(R, 40, 60, 100), twist=14),
        dip(3.0, 1.2, arm(L, 90, 100, 0), arm(R, 40, 60, 110), twist=18, chest_pop=12),
        k(3.5, arms(60, 40, 60)), dip(4.0, 0.6),
    ), "arms", ("point", "sharp", "hit"), "pop", (
        step(R, 0.2, 0.9, _out(R, 0.18)), step(L, 1.5, 2.0, None, lift=0.04, weight=0.4),
        step(L, 2.2, 2.9, _out(L, 0.18)), step(R, 2.9, 3.4, -_X + 0.02, weight=0.4),
        step(L, 3.5, 4.0, None, lift=0.03, weight=0.5),
    )),
    Move("kick_ball_change", 4, (
        k(0.5, arms(60, 70, 40), bend=-8), k(1.0, arm(R, 100, 80, 10), arm(L, 80, 100, 30)),
        dip(1.5, 1.6, arms(40, 60, 60)), dip(2.0, 1.2, CLAP),
        k(2.5, arms(60, 70, 40), bend=-8), k(3.0, arm(L, 100, 80, 10), arm(R, 80, 100, 30)),
        dip(3.5, 1.6, arms(40, 60, 60)), dip(4.0, 1.0, CLAP_HIGH),
    ), "legs", ("kick", "footwork", "sharp"), "pop", (
        step(R, 0.2, 1.0, -0.1, z=0.35, y=0.28, lift=0.0),
        step(R, 1.0, 1.45, -_X, z=-0.12, lift=0.03, weight=0.6),
        step(L, 1.5, 1.9, None, lift=0.04),
        step(R, 1.9, 2.1, None, lift=0.02, weight=0.5),
        step(L, 2.2, 3.0, 0.1, z=0.35, y=0.28, lift=0.0),
        step(L, 3.0, 3.45, _X, z=-0.12, lift=0.03, weight=0.6),
        step(R, 3.5, 3.9, None, lift=0.04),
        step(L, 3.9, 4.0, None, lift=0.02, weight=0.5),
    )),
    Move("grapevine", 4, (
        k(0.5, T_ARMS, twist=8), dip(1.0, 1.0, arms(100, 10, 20)),
        k(1.5, arms(120, 40, 40), twist=-10), dip(2.0, 1.0, arms(140, 30, 20)),
        k(2.5, arms(90, 10, 10)), dip(3.0, 1.2, UP_V, roll=6),
        k(3.5, arms(80, 60, 60)), dip(4.0, 1.0, CLAP),
    ), "legs", ("step", "footwork", "travel"), "pop", (
        step(R, 0.0, 0.8, _out(R, 0.25)), step(L, 0.8, 1.6, -0.22, z=-0.12),
        step(R, 1.6, 2.4, _out(R, 0.45)), step(L, 2.5, 3.0, -0.45, lift=0.04, weight=0.3),
        step(L, 3.0, 3.5, -0.2, lift=0.05), step(R, 3.5, 4.0, -_X - 0.06, lift=0.05, weight=0.5),
        step(L, 3.6, 4.0, None, lift=0.03, weight=0.5),
    )),
    Move("jump_clap", 2, (
        dip(0.4, 2.2, arms(30, -20, 10), bend=18), k(0.8, CLAP_HIGH, dy=0.16),
        dip(1.2, 2.0, arms(70, 60, 40), bend=10), k(1.6, arms(90, 30, 20)), dip(2.0, 0.8),
    ), "full", ("jump", "power", "hit", "clap"), "pop", (
        step(L, 0.55, 1.15, None, lift=0.1, weight=0.5), step(R, 0.55, 1.15, None, lift=0.1,
                                                             weight=0.5),
    )),
    Move("wave_hello", 4, (
        k(0.5, arm(R, 150, 60, 50, wrist=30), arm(L, 40, 30, 80), roll=5),
        dip(1.0, 0.9, arm(R, 150, 60, 50, wrist=-30), arm(L, 40, 30, 80), roll=6),
        k(1.5, arm(R, 150, 60, 50, wrist=30), arm(L, 40, 30, 80)),
        dip(2.0, 0.9, arm(R, 120, 80, 70), arm(L, 40, 30, 80)),
        k(2.5, arm(L, 150, 60, 50, wrist=30), arm(R, 40, 30, 80), roll=-5),
        dip(3.0, 0.9, arm(L, 150, 60, 50, wrist=-30), arm(R, 40, 30, 80), roll=-6),
        k(3.5, arm(L, 150, 60, 50, wrist=30), arm(R, 40, 30, 80)), dip(4.0, 0.7),
    ), "arms", ("wave", "cute", "chill"), "pop", side_steps(0, "rl", width=0.14)),
    # Turns tuck the arms in (GUARD) and open them after, as dancers spin: spun out at
    # shoulder height they swept sideways a real standard deviation faster than real dancers'.
    Move("pop_spin", 4, (
        dip(0.5, 1.2, GUARD), k(1.5, GUARD, yaw=180), k(2.5, arms(70, 80, 110), yaw=330),
        dip(3.0, 1.4, UP_V, yaw=360), k(3.5, OVERHEAD, yaw=360), k(4.0, yaw=360),
    ), "full", ("turn", "spin", "power"), "pop", turn_steps(0.5, 3, 360.0)),
    Move("heart_hook", 8, (
        k(0.5, OVERHEAD, dy=-0.02), dip(1.0, 1.0, arms(160, 85, 95), roll=8),
        dip(2.0, 1.0, arms(160, 85, 95), roll=-8), k(2.5, arm(R, 100, 90, 10), arm(L, 30)),
        dip(3.0, 1.2, arm(R, 95, 95, 0), arm(L, 30), twist=-16),
        dip(4.0, 1.2, arm(L, 95, 95, 0), arm(R, 30), twist=16),
        dip(5.0, 1.4, CHEST, chest_pop=18, l_shrug=18, r_shrug=18),
        k(5.5, arms(120, 60, 40)), dip(6.0, 1.2, CLAP_HIGH),
        k(7.0, arm(R, 168, 60, 0), arm(L, 40, 30, 90), dx=-0.05, roll=8, head_tilt=10),
        dip(8.0, 0.5),
    ), "arms", ("hook", "highlight", "cute"), "pop", (
        *side_steps(0, "rl", width=0.16),
        step(R, 4.5, 5.0, _out(R, 0.2)), step(L, 5.5, 6.0, None, weight=0.4),
        step(L, 6.5, 7.0, -0.05, z=0.1, weight=0.4), step(L, 7.5, 8.0, None, weight=0.5),
    )),
    # ---- hip-hop: low, bouncy, grounded ----------------------------------------------------
    Move("bounce_groove", 4, (
        *groove(1, 2.0, arms(45, 60, 90), nod=10, bend=10),
        k(1.5, arm(R, 120, 40, 80), arm(L, 45, 60, 90)), dip(2.0, 2.0, arm(R, 165, 30, 30),
                                                             arm(L, 45, 60, 90), nod=10),
        k(2.5, arms(45, 60, 90)), dip(3.0, 2.0, arms(45, 60, 90), nod=10, bend=10),
        k(3.5, arm(L, 120, 40, 80), arm(R, 45, 60, 90)), dip(4.0, 2.0, arm(L, 165, 30, 30),
                                                             arm(R, 45, 60, 90), nod=10),
    ), "full", ("bounce", "groove", "hiphop"), "hip-hop", (
        step(R, 0.5, 1.0, _out(R, 0.12), lift=0.05), step(L, 1.5, 2.0, _out(L, 0.12)),
        step(R, 2.5, 3.0, None, lift=0.05, weight=0.4), step(L, 3.5, 4.0, None, weight=0.5),
    )),
    Move("running_man", 4, (
        *_alternate(4, lambda b, s: [
            k(b + 0.5, arm(R if s > 0 else L, 120, 80, 90), arm(L if s > 0 else R, 35, -30, 60),
              bend=12, dy=0.01),
            dip(b + 1.0, 1.6, arms(50, 50, 90), bend=8),
        ]),
    ), "legs", ("footwork", "bounce", "hiphop", "power"), "hip-hop", tuple(
        s for b in range(4) for s in (
            step(R if b % 2 == 0 else L, b, b + 0.5, None, z=0.05, y=0.28, lift=0.0),
            step(L if b % 2 == 0 else R, b, b + 0.5, None, z=-0.2, lift=0.0, weight=0.6),
            step(R if b % 2 == 0 else L, b + 0.5, b + 1.0, None, lift=0.0, weight=0.5),
            step(L if b % 2 == 0 else R, b + 0.55, b + 1.0, None, lift=0.05, weight=0.5),
        )
    )),
    Move("punch_lunge", 4, _alternate(4, _punch), "arms", ("punch", "power", "hit"), "hip-hop", (
        step(R, 0.0, 0.5, _out(R, 0.18), z=0.25), step(R, 1.5, 2.0, None, weight=0.5),
        step(L, 2.0, 2.5, _out(L, 0.18), z=0.25), step(L, 3.5, 4.0, None, weight=0.5),
    )),
    Move("raise_roof", 4, (
        *_alternate(4, lambda b, s: [
            dip(b + 0.5, 1.4, arms(150, 30, 90)), k(b + 1.0, arms(170, 30, 15), roll=6 * s)]),
    ), "arms", ("hype", "power", "hiphop"), "hip-hop", side_steps(0, "rl", width=0.12,
                                                                  touch=False)),
    Move("stomp", 2, (
        k(0.4, arm(R, 150, 30, 70), arm(L, 60, 60, 100), bend=-6),
        dip(1.0, 2.2, arms(30, 40, 60), bend=16, nod=14),
        k(1.4, arm(L, 150, 30, 70), arm(R, 60, 60, 100), bend=-6),
        dip(2.0, 2.2, arms(30, 40, 60), bend=16, nod=14),
    ), "legs", ("stomp", "power", "footwork", "hit"), "hip-hop", (
        step(R, 0.1, 1.0, _out(R, 0.08), lift=0.3), step(L, 1.1, 2.0, _out(L, 0.08), lift=0.3),
        step(R, 1.5, 2.0, None, lift=0.02, weight=0.5),
    )),
    Move("get_low", 4, (
        dip(1.0, 2.5, arms(60, 70, 90), bend=20), dip(2.0, 4.5, arms(40, 60, 60), bend=28),
        dip(3.0, 5.5, arms(50, 30, 30), bend=30, nod=10), k(3.5, arms(120, 30, 20), dy=-0.08),
        k(4.0, UP_V),
    ), "full", ("level", "power", "hiphop", "groove"), "hip-hop", (
        step(R, 0.2, 0.8, _out(R, 0.2)), step(L, 0.5, 1.0, _out(L, 0.2), weight=0.5),
        step(R, 3.3, 3.8, None, weight=0.4), step(L, 3.5, 4.0, None, weight=0.5),
    )),
    Move("rock_step", 4, (
        k(0.5, arms(50, 60, 90), bend=16), dip(1.0, 1.6, arms(40, 40, 60), bend=-8),
        k(1.5, arms(50, 60, 90), bend=16), dip(2.0, 1.6, arms(40, 40, 60), bend=-8),
        k(2.5, arms(110, 50, 50), bend=12), dip(3.0, 1.6, arms(130, 40, 30), bend=-8),
        k(3.5, arms(60, 60, 80), bend=10), dip(4.0, 1.0),
    ), "torso", ("rock", "groove", "hiphop"), "hip-hop", (
        step(R, 0.2, 0.8, -_X, z=0.28), step(R, 1.2, 1.8, -_X, z=-0.2), step(R, 2.2, 2.8, -_X,
                                                                              z=0.28),
        step(R, 3.2, 3.8, None, weight=0.5),
    )),
    Move("lasso_hop", 4, (
        k(0.5, arm(R, 155, 0, 30), arm(L, 40, 30, 90)), dip(1.0, 1.4, arm(R, 165, 90, 30)),
        k(1.5, arm(R, 155, 150, 30)), dip(2.0, 1.4, arm(R, 165, 60, 30)),
        k(2.5, arm(R, 155, 0, 30)), dip(3.0, 1.4, arm(R, 165, 90, 30)),
        k(3.5, arm(R, 110, 90, 40)), dip(4.0, 0.8),
    ), "arms", ("hype", "fun", "hiphop"), "hip-hop", (
        step(L, 0.5, 1.0, None, z=0.1, lift=0.1, weight=0.5),
        step(R, 1.5, 2.0, None, z=0.1, lift=0.1, weight=0.5),
        step(L, 2.5, 3.0, None, lift=0.1, weight=0.5), step(R, 3.5, 4.0, None, lift=0.1,
                                                            weight=0.5),
    )),
    Move("hype_pump", 4, (
        *_alternate(4, lambda b, s: [
            k(b + 0.5, arm(R if s > 0 else L, 110, 40, 100), arm(L if s > 0 else R, 60, 50, 90),
              bend=6, nod=8),
            dip(b + 1.0, 1.8, arm(R if s > 0 else L, 170, 30, 20), arm(L if s > 0 else R, 70, 50,
                                                                        80), bend=10, nod=12),
        ]),
    ), "arms", ("hype", "power", "hiphop", "hit"), "hip-hop", (
        step(R, 0.3, 0.9, _out(R, 0.12), lift=0.08), step(L, 1.3, 1.9, _out(L, 0.12), lift=0.08),
        step(R, 2.3, 2.9, None, lift=0.08, weight=0.4), step(L, 3.3, 3.9, None, lift=0.08,
                                                             weight=0.5),
    )),
    Move("arm_wave_up", 4, (
        k(0.5, arms(100, 10, 30, wrist=20), chest_pop=-6), dip(1.0, 1.4, arms(120, 10, 5),
                                                              chest_pop=14),
        k(1.5, arms(140, 20, 30, wrist=-20)), dip(2.0, 1.6, OVERHEAD, bend=-6),
        k(2.5, arms(140, 20, 30, wrist=20)), dip(3.0, 1.4, arms(110, 10, 5), chest_pop=12),
        k(3.5, arms(80, 30, 40)), dip(4.0, 1.0),
    ), "arms", ("wave", "arms", "hiphop", "smooth"), "hip-hop", side_steps(0, "rl", width=0.14,
                                                                             touch=False)),
    Move("hiphop_hook", 8, (
        *groove(2, 2.0, arms(50, 60, 100), nod=12),
        k(2.5, arm(R, 95, 95, 0), arm(L, 40, 80, 120), twist=-20),
        dip(3.0, 1.8, arm(L, 95, 95, 0), arm(R, 40, 80, 120), twist=20),
        dip(4.0, 2.0, arms(160, 30, 60), bend=-6), k(4.5, OVERHEAD),
        dip(5.0, 3.0, arms(60, 70, 90), bend=20), dip(6.0, 3.0, arms(40, 50, 60), bend=24),
        k(6.5, GUARD, yaw=180), dip(7.0, 1.5, UP_V, yaw=360), k(8.0, yaw=360),
    ), "full", ("hook", "highlight", "power", "hiphop"), "hip-hop", (
        step(R, 0.2, 0.7, _out(R, 0.15)), step(L, 1.2, 1.7, _out(L, 0.15)),
        step(R, 2.2, 2.7, _out(R, 0.15), z=0.2), step(L, 3.2, 3.7, None, weight=0.5),
        step(R, 3.7, 4.0, None, weight=0.5),
        step(L, 4.5, 5.0, _out(L, 0.2)), step(R, 4.7, 5.0, _out(R, 0.2), weight=0.5),
        *turn_steps(6.0, 2, 360.0, first=L),
    )),
    # ---- girl crush: sharp, strong, sensual ------------------------------------------------
    Move("body_roll", 4, (
        k(0.4, arms(40, -20, 100), nod=20, chest_pop=-8, dy=0.0),
        k(0.8, arms(40, -20, 100), chest_pop=22, bend=8, nod=-6, dy=-0.04),
        dip(1.3, 2.0, arms(40, -20, 100), tilt=-14, bend=-10),
        dip(2.0, 1.0, arms(40, -20, 100)),
        k(2.4, arm(R, 150, 40, 40), arm(L, 40, -20, 100), nod=20, chest_pop=-8),
        k(2.8, arm(R, 170, 30, 20), arm(L, 40, -20, 100), chest_pop=22, bend=8, dy=-0.04),
        dip(3.3, 2.0, arm(R, 120, 60, 60), tilt=-14, bend=-10), dip(4.0, 0.8),
    ), "torso", ("wave", "smooth", "sensual", "body"), "girl-crush", (
        step(R, 0.0, 0.5, _out(R, 0.14)), step(R, 3.5, 4.0, None, weight=0.5),
    )),
    Move("hip_sway_wide", 4, (
        *_alternate(4, lambda b, s: [
            k(b + 0.5, arm(L, 45, -30, 100), arm(R, 150 if s > 0 else 60, 30, 40), roll=12 * s,
              dx=0.07 * s, side=-7 * s),
            dip(b + 1.0, 1.4, arm(L, 45, -30, 100), arm(R, 165 if s > 0 else 50, 30, 20),
                roll=14 * s, dx=0.09 * s),
        ]),
    ), "torso", ("hips", "sensual", "groove"), "girl-crush", (
        step(R, 0.0, 0.5, _out(R, 0.16)), step(L, 0.0, 0.5, _out(L, 0.16), weight=0.5),
        step(R, 3.5, 4.0, None, weight=0.5), step(L, 3.5, 4.0, None, weight=0.5),
    )),
    Move("hair_flip", 2, (
        k(0.5, arm(R, 120, 80, 110), arm(L, 40, -20, 100), nod=28, head_turn=-20, bend=14),
        k(1.0, arm(R, 165, 40, 50), arm(L, 40, -20, 100), nod=-25, head_turn=15, bend=-12),
        dip(1.5, 1.6, arm(R, 120, 40, 60), roll=-10), dip(2.0, 0.8),
    ), "torso", ("flip", "sassy", "sharp"), "girl-crush", (
        step(L, 0.3, 0.8, _out(L, 0.12), z=-0.1), step(L, 1.5, 2.0, None, weight=0.5),
    )),
    Move("strut", 4, _alternate(4, _strut), "legs", ("step", "sassy", "travel"), "girl-crush",
         _walk(0.0, 3, 0.22, cross=0.03)),
    Move("chest_hit", 2, (
        k(0.6, GUARD, chest_pop=-8), dip(1.0, 1.8, arms(100, 0, 90), chest_pop=24, nod=-10),
        k(1.4, GUARD, chest_pop=-6), dip(2.0, 1.6, arms(95, 90, 0), chest_pop=20, twist=-12),
    ), "torso", ("pop", "sharp", "hit"), "girl-crush", (
        step(R, 0.5, 1.0, _out(R, 0.12)), step(R, 1.5, 2.0, None, weight=0.5),
    )),
    Move("power_pose", 4, (
        dip(0.5, 1.6, arm(R, 90, 95, 0), arm(L, 40, -30, 100), twist=-18),
        dip(1.0, 2.6, arm(R, 170, 20, 0), arm(L, 40, -30, 100), side=10, head_tilt=-10),
        k(2.0, arm(R, 172, 20, 0), arm(L, 40, -30, 100), side=10, dy=-0.1),
        dip(2.5, 1.5, arms(90, 10, 5), side=0), dip(3.0, 2.0, arms(40, -30, 100), chest_pop=18),
        k(4.0),
    ), "full", ("freeze", "pose", "sharp", "power"), "girl-crush", (
        step(R, 0.2, 0.8, _out(R, 0.3)), step(R, 3.3, 4.0, None, weight=0.5),
    )),
    Move("crush_hook", 8, (
        k(0.5, arm(R, 120, 70, 10), arm(L, 30), twist=-12),
        dip(1.0, 1.6, arm(R, 150, 70, 0), arm(L, 30, 20, 90), head_tilt=10),
        k(1.5, arm(L, 120, 70, 10), arm(R, 30), twist=12),
        dip(2.0, 1.6, arm(L, 150, 70, 0), arm(R, 30, 20, 90), head_tilt=-10),
        k(2.5, HIPS, roll=14, dx=0.08), dip(3.0, 2.0, HIPS, roll=-14, dx=-0.08, chest_pop=15),
        k(3.5, HIPS, roll=14, dx=0.08), dip(4.0, 2.0, HIPS, roll=-10, chest_pop=15),
        k(4.5, CLAP, dy=0.0), dip(5.0, 2.0, arms(95, 98, 45)),
        k(5.5, UP_V, yaw=90), k(6.5, GUARD, yaw=270),
        dip(7.0, 2.0, OVERHEAD, yaw=360, bend=-8), k(7.6, OVERHEAD, yaw=360), k(8.0, yaw=360),
    ), "full", ("hook", "highlight", "sharp", "power"), "girl-crush", (
        step(R, 0.2, 0.8, _out(R, 0.18)), step(L, 1.2, 1.8, _out(L, 0.18)),
        step(R, 2.3, 2.8, _out(R, 0.1), z=0.15), step(L, 3.3, 3.8, _out(L, 0.1), z=0.15),
        step(R, 4.2, 4.8, None, weight=0.5), step(L, 4.4, 5.0, None, weight=0.5),
        *turn_steps(5.0, 2, 360.0),
    )),
    Move("knee_drop", 4, (
        k(0.5, arm(R, 60, 60, 90), arm(L, 60, 60, 90), twist=-10),
        dip(1.0, 1.5, arms(70, 100, 120), nod=10, bend=10, side=-4),
        k(1.5, arms(75, 105, 125), nod=22, bend=16, dy=-0.12),
        dip(2.0, 4.0, arms(70, 110, 130), nod=25, bend=18, head_tilt=8),
        k(2.6, arm(R, 120, 60, 20), arm(L, 50, 40, 80), chest_pop=18, bend=-6, dy=-0.06),
        dip(3.0, 1.4, arm(R, 150, 45, 0), arm(L, 40, -30, 100), chest_pop=-6, side=8, twist=-12),
        k(3.5, HIPS, arm(R, 90, 60, 40), side=4),
        dip(4.0, 0.8, HIPS),
    ), "full", ("level", "sharp", "power", "footwork"), "girl-crush", (
        step(R, 0.0, 0.6, _out(R, 0.24)), step(L, 0.4, 1.0, _out(L, 0.14), weight=0.5),
        step(L, 3.2, 3.7, None, weight=0.4), step(R, 3.4, 4.0, None, weight=0.5),
    )),
    Move("slice_walk", 4, (
        k(0.3, arm(R, 150, 120, 20), arm(L, 50, 60, 90), twist=14, head_turn=-10),
        dip(1.0, 1.4, arm(R, 40, -15, 10), arm(L, 50, 60, 90), twist=-10, roll=10),
        k(1.3, arm(L, 150, 120, 20), arm(R, 50, 60, 90), twist=-14, head_turn=10),
        dip(2.0, 1.4, arm(L, 40, -15, 10), arm(R, 50, 60, 90), twist=10, roll=-10),
        k(2.5, GUARD, chest_pop=-6), dip(3.0, 1.8, arms(95, 5, 10), chest_pop=20, nod=-10),
        k(3.5, arms(60, 40, 60), roll=8), dip(4.0, 1.0, HIPS, roll=-6),
    ), "full", ("step", "sharp", "travel", "hit"), "girl-crush", (
        *_walk(0.0, 2, 0.25, cross=0.04),
        step(R, 2.2, 2.8, _out(R, 0.22), z=0.5), step(L, 2.4, 3.0, _out(L, 0.22), z=0.5),
        step(R, 3.4, 3.9, None, z=0.5, weight=0.5), step(L, 3.5, 4.0, None, z=0.5, weight=0.5),
    )),
    Move("shoulder_lean", 2, (
        k(0.5, arm(R, 100, 80, 100), arm(L, 30, -10, 40), r_shrug=20, side=-10, roll=-12,
          dx=-0.06, head_tilt=-10),
        dip(1.0, 1.8, arm(R, 45, 40, 60), arm(L, 30, -10, 40), side=-6, roll=-14, dx=-0.08,
            chest_pop=8),
        k(1.5, arm(L, 100, 80, 100), arm(R, 30, -10, 40), l_shrug=20, side=10, roll=12,
          dx=0.06, head_tilt=10),
        dip(2.0, 1.8, arm(L, 45, 40, 60), arm(R, 30, -10, 40), side=6, roll=14, dx=0.02),
    ), "torso", ("sensual", "groove", "hips", "body"), "girl-crush", (
        step(R, 0.1, 0.6, _out(R, 0.18)), step(R, 0.8, 1.1, None, weight=0.5),
        step(L, 1.1, 1.6, _out(L, 0.18)), step(L, 1.7, 2.0, None, weight=0.5),
    )),
    # ---- ballad: flowing, lyrical, big arcs ------------------------------------------------
    Move("sweep_lunge", 4, (
        k(1.0, arm(R, 110, 60, 20), arm(L, 60, 20, 30), side=-8, dy=-0.06),
        k(2.0, arm(R, 165, 10, 10), arm(L, 90, -10, 10), side=-14, dy=-0.1, head_tilt=-12),
        k(3.0, arms(100, 30, 30), side=-4, dy=-0.05), k(4.0, arms(40, 40, 50)),
    ), "arms", ("smooth", "wave", "lyrical", "travel"), "ballad", (
        step(R, 0.3, 1.3, _out(R, 0.35), lift=0.04), step(L, 3.0, 3.9, -0.2, lift=0.04),
        step(R, 3.3, 4.0, -0.2 - 2 * _X, lift=0.03, weight=0.5),
    )),
    Move("reach_contract", 4, (
        k(1.0, arms(130, 90, 0), bend=-10, dy=-0.02), k(2.0, arms(60, 100, 130), bend=28,
                                                        nod=25, dy=-0.14),
        k(3.0, arms(160, 40, 15), bend=-12, dy=-0.03), k(4.0, arms(60, 40, 40)),
    ), "full", ("smooth", "lyrical", "level"), "ballad", (
        step(L, 0.2, 1.0, _X, z=0.25), step(L, 1.5, 2.2, _X, z=-0.05),
        step(L, 3.4, 4.0, None, weight=0.5),
    )),
    Move("slow_turn", 4, (
        k(1.0, arms(100, 20, 20), yaw=90), k(2.0, arms(150, 30, 15), yaw=200),
        k(3.0, arms(120, 60, 30), yaw=330, dy=-0.06), k(4.0, arms(60, 60, 40), yaw=360),
    ), "full", ("turn", "smooth", "lyrical"), "ballad", turn_steps(0.0, 4, 360.0, first=L)),
    Move("ballad_sway", 4, (
        k(1.0, arm(R, 120, 80, 30), arm(L, 50, 60, 60), side=-8, roll=6, dx=-0.04),
        k(2.0, arm(R, 90, 100, 60), arm(L, 40, 60, 60), dy=-0.06),
        k(3.0, arm(L, 120, 80, 30), arm(R, 50, 60, 60), side=8, roll=-6, dx=0.04),
        k(4.0, arm(L, 90, 100, 60), arm(R, 40, 60, 60), dy=-0.04),
    ), "torso", ("smooth", "chill", "lyrical", "wave"), "ballad", (
        step(R, 0.2, 1.0, _out(R, 0.15), lift=0.03), step(R, 1.6, 2.2, None, lift=0.03),
        step(L, 2.2, 3.0, _out(L, 0.15), lift=0.03), step(L, 3.6, 4.0, None, lift=0.03,
                                                          weight=0.5),
    )),
    Move("arm_wave", 4, _alternate(4, _wave_arm), "arms", ("wave", "smooth", "arms"), "ballad",
         side_steps(0, "rl", width=0.1, touch=False)),
    # ---- conceptual: theatrical, precise, levels ---------------------------------------------
    Move("tableau", 4, (
        k(0.3, arm(L, 135, 40, 30), arm(R, 20, -20, 60), bend=-6, roll=8, head_tilt=-12),
        k(1.8, arm(L, 138, 40, 30), arm(R, 20, -20, 60), bend=-6, roll=8, head_tilt=-12),
        dip(2.2, 3.0, arms(90, 95, 80), bend=30, nod=20),
        k(3.8, arms(90, 95, 80), bend=30, nod=20, dy=-0.12),
    ), "full", ("freeze", "pose", "sharp", "level"), "conceptual", (
        step(L, 0.0, 0.3, _out(L, 0.15), z=0.15), step(L, 2.0, 2.5, _X, z=-0.15),
        step(L, 3.5, 4.0, None, weight=0.5),
    )),
    Move("robot_tut", 4, (
        k(0.5, arm(R, 90, 0, 90), arm(L, 30, 0, 0)), k(1.0, arm(R, 90, 90, 90), arm(L, 30, 0, 0),
                                                        dy=-0.05),
        k(1.5, arm(L, 90, 0, 90), arm(R, 90, 90, 90)), k(2.0, arm(L, 90, 90, 90), arm(R, 150, 0,
                                                                                    90), dy=-0.05),
        k(2.5, arm(R, 170, 0, 0), arm(L, 90, 90, 90), head_turn=30),
        k(3.0, arm(L, 170, 0, 0), arm(R, 170, 0, 0), head_turn=0, dy=-0.06),
        k(3.5, arms(90, 0, 90)), dip(4.0, 1.0),
    ), "arms", ("pop", "sharp", "arms", "robot"), "conceptual", (
        step(R, 0.5, 1.0, _out(R, 0.1), lift=0.03), step(L, 1.5, 2.0, _out(L, 0.1), lift=0.03),
        step(R, 2.5, 3.0, None, lift=0.03), step(L, 3.5, 4.0, None, lift=0.03, weight=0.5),
    )),
    Move("lean_pose", 4, (
        k(0.5, arm(L, 155, 30, 50), arm(R, 20), side=14, roll=6, dx=-0.04),
        k(1.6, arm(L, 158, 30, 50), arm(R, 20), side=16, roll=6, dx=-0.05),
        k(2.5, arm(R, 155, 30, 50), arm(L, 20), side=-14, roll=-6, dx=0.04, dy=-0.08),
        k(3.6, arm(R, 158, 30, 50), arm(L, 20), side=-16, roll=-6, dx=0.05, dy=-0.08),
    ), "full", ("pose", "sassy", "level"), "conceptual", (
        step(R, 0.0, 0.4, _out(R, 0.2)), step(R, 2.0, 2.4, None), step(L, 2.0, 2.4, _out(L, 0.2),
                                                                        weight=0.5),
        step(L, 3.6, 4.0, None, weight=0.5),
    )),
    Move("slow_motion", 8, (
        k(2.0, arm(R, 100, 90, 20), arm(L, 60, -20, 30), twist=-20, dy=-0.08),
        k(4.0, arm(L, 150, 60, 20), arm(R, 40, 40, 60), twist=10, dy=-0.14, bend=12),
        k(6.0, arms(165, 30, 10), yaw=180, dy=-0.05), k(8.0, arms(50, 40, 40), yaw=360),
    ), "full", ("smooth", "level", "turn"), "conceptual", (
        step(R, 0.5, 2.0, -_X - 0.1, z=0.3, lift=0.03), step(R, 2.5, 4.0, None, lift=0.03),
        *turn_steps(4.0, 4, 360.0),
    )),
    # ---- idle in and out, never planned --------------------------------------------------
    Move("ready", 4, (k(1.0, dy=-0.01, nod=2), k(2.0), k(3.0, dy=-0.01, nod=2)), "full",
         ("idle",), "pop"),
    Move("finish_pose", 4, (
        k(1.0, arm(L, 150, 40, 10), arm(R, 20, -10, 12), bend=-5, head_tilt=8),
        k(4.0, arm(L, 150, 40, 10), arm(R, 20, -10, 12), bend=-5, head_tilt=8),
    ), "full", ("idle", "pose"), "pop"),
)  # fmt: skip
"""Every authored move (``ready`` and ``finish_pose`` are the idle in and out, never planned)."""

IDLE_MOVES = ("ready", "finish_pose")
