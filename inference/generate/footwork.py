"""Footwork for authored moves: foot paths on the floor, the weight over them, legs solved by IK.

A choreographer writes footwork as steps: which foot goes where on which count. A move's
:class:`Step` list is turned into

* a path for each foot: planted feet stay exactly where they landed (no skating); a stepping foot
  travels to its target in the step's time, lifted in an arc;
* the pelvis over the feet: its horizontal position follows the weight, which shifts onto the
  supporting foot while the other is in the air and onto a foot once it has landed, so every
  step carries a weight change and travel;
* its height: the dancer's groove level (knees never lock) plus the move's dips, never so high
  that a leg would have to straighten to reach its foot;
* the legs: hip and knee by two-bone IK to each foot, the knee over the toes, the foot flat on
  the floor turned to its own heading (pointed when it is off the floor).

Coordinates are the move's own frame: Y up, metres, the dancer starts facing +Z with its left
foot at ``+STANCE_X`` and its right at ``-STANCE_X``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import gaussian_filter1d

from inference.generate.pose import CHANNELS
from inference.motion import quaternions as Q
from inference.motion.motion import forward_kinematics_arrays
from inference.motion.skeleton import CANONICAL, REST_PELVIS_HEIGHT

Array = NDArray[np.float64]

STANCE_X = 0.12
"""Half the distance between the feet in the neutral stance (a little wider than the hips)."""
GROOVE_LEVEL = -0.045
"""Pelvis height (m) of the neutral stance below the straight-legged rest: soft knees (~38 deg)."""
MIN_KNEE_DEG = 12.0
"""The pelvis never rises so high that a leg bends less than this (the knee never locks)."""
WEIGHT_ON_SUPPORT = 0.85
"""Share of the weight over the supporting foot while the other foot is in the air."""
WEIGHT_SMOOTH = 2.5
"""Gaussian sigma (samples) of the weight shift: the body leads into a step, it does not jump."""
POINT_DEG = 35.0
"""Ankle extension of a foot well off the floor (a pointed foot, as dancers lift it)."""
POINT_HEIGHT = 0.15
"""Height (m) at which a lifted foot is fully pointed; below it the point eases in."""
AIR_HEIGHT = 0.01
"""A foot higher than this above the floor carries no weight."""
TRAVEL_SHARE = 0.7
"""Share of a step's time in which the foot travels (it lifts before and lands after)."""
TURN_OUT_DEG = 35.0
"""Largest turn-out of a foot in a wide stance (degrees outward of the body's heading)."""
TURN_OUT_WIDTH = 0.2
"""How far beyond the stance (m) a foot must be to be fully turned out."""
HINGE_DEG_PER_M = 220.0
"""Forward lean of the torso (degrees) per metre the pelvis sinks below the straight stance."""
HINGE_MAX_DEG = 28.0
"""The hinge's largest lean."""
COUNTER_SWAY_DEG = 12.0
"""Side lean of the chest away from the supporting foot with all the weight on it."""
MAX_FOOT_TWIST_DEG = 50.0
"""Largest turn of a planted foot away from the body's heading before it pivots."""
KNEE_OUT_DEG = 12.0
"""The knee points this far outward of the foot's heading (knees over the toes, turned out)."""

_J = CANONICAL.index
_SIDES = ("l", "r")
_SIGN = {"l": 1.0, "r": -1.0}
_REST = forward_kinematics_arrays(
    CANONICAL.parents,
    CANONICAL.offsets,
    np.array([[0.0, REST_PELVIS_HEIGHT, 0.0]]),
    Q.identity((1, CANONICAL.n_joints)),
)[0][0]
ANKLE_HEIGHT = float(_REST[_J("ankle_l"), 1])
"""Height of the ankle joint above the floor when the foot is flat (canonical rest)."""
_THIGH = float(np.linalg.norm(CANONICAL.offsets[_J("knee_l")]))
_SHIN = float(np.linalg.norm(CANONICAL.offsets[_J("ankle_l")]))
_HIP_DROP = float(-CANONICAL.offsets[_J("hip_l")][1])


@dataclass(frozen=True)
class Step:
    """One foot moving: ``foot`` ("l"/"r") from beat ``start`` to ``end`` to ``(x, y, z)``.

    ``x``/``z`` are floor coordinates in the move's frame, ``y`` the ankle's end height above
    its flat-foot height (0: landed; above 0 it stays in the air, as for a kick or a knee
    lift), ``lift`` the arc's peak height above the straight line, ``heading`` the foot's turn
    in degrees once landed (default: as it was), ``weight`` the share of the weight it takes
    on landing (a step takes most of it; a touch, about 0.3, leaves it on the other foot).
    """

    foot: str
    start: float
    end: float
    x: float
    z: float = 0.0
    y: float = 0.0
    lift: float = 0.06
    heading: float | None = None
    weight: float = 0.7


def step(foot: str, start: float, end: float, x: float | None = None, z: float = 0.0,
         **kw: float) -> Step:  # fmt: skip
    """A :class:`Step`; ``x`` defaults to the foot's own stance line (``+-STANCE_X``)."""
    return Step(foot, start, end, _SIGN[foot] * STANCE_X if x is None else x, z, **kw)


def _smoothstep(u: Array) -> Array:
    u = np.clip(u, 0.0, 1.0)
    return u * u * (3.0 - 2.0 * u)


def foot_paths(
    steps: Sequence[Step], n_samples: int, samples_per_beat: int
) -> tuple[dict[str, Array], dict[str, Array], dict[str, Array]]:
    """Per foot: ankle target positions (S, 3), heading (S,) in degrees, and height (S,) of the
    foot above the floor.

    A stepping foot lifts first, travels while it is up and then lands (the middle
    :data:`TRAVEL_SHARE` of the step carries it), so it never drags along the floor.

    Raises
    ------
    ValueError
        If a foot's steps overlap in time or a step ends before it starts.
    """
    beats = np.arange(n_samples) / samples_per_beat
    pos: dict[str, Array] = {}
    heading: dict[str, Array] = {}
    height: dict[str, Array] = {}
    edge = (1.0 - TRAVEL_SHARE) / 2.0
    for side in _SIDES:
        p = np.tile([_SIGN[side] * STANCE_X, 0.0, 0.0], (n_samples, 1))
        h = np.zeros(n_samples)
        here, turn, last_end = p[0].copy(), 0.0, -np.inf
        for s in sorted((s for s in steps if s.foot == side), key=lambda s: s.start):
            if s.end <= s.start or s.start < last_end - 1e-9:
                raise ValueError(f"steps of the {side} foot overlap or run backwards")
            target = np.array([s.x, s.y, s.z])
            new_turn = turn if s.heading is None else s.heading
            u = (beats - s.start) / (s.end - s.start)
            inside = (u > 0.0) & (u < 1.0)
            after = u >= 1.0
            w = _smoothstep((u[inside] - edge) / TRAVEL_SHARE)[:, None]
            p[inside] = here + w * (target - here)
            p[inside, 1] += s.lift * np.sin(np.pi * u[inside])
            h[inside] = turn + w[:, 0] * (new_turn - turn)
            p[after], h[after] = target, new_turn
            here, turn, last_end = target, new_turn, s.end
        height[side] = p[:, 1].copy()
        p[:, 1] += ANKLE_HEIGHT
        pos[side], heading[side] = p, h
    return pos, heading, height


def pivot(heading: dict[str, Array], body_yaw: Array) -> dict[str, Array]:
    """Foot headings kept within :data:`MAX_FOOT_TWIST_DEG` of the body's: a foot pivots on
    the floor when the body turns further (its ankle stays where it is)."""
    return {
        side: body_yaw + np.clip(h - body_yaw, -MAX_FOOT_TWIST_DEG, MAX_FOOT_TWIST_DEG)
        for side, h in heading.items()
    }


def weight_shift(height: dict[str, Array], steps: Sequence[Step], samples_per_beat: int) -> Array:
    """(S,) share of the weight on the left foot (0..1), smoothed."""
    air = {side: h > AIR_HEIGHT for side, h in height.items()}
    n = air["l"].size
    beats = np.arange(n) / samples_per_beat
    w = np.full(n, 0.5)
    for s in sorted(steps, key=lambda s: s.end):
        if s.y > 1e-3:
            continue
        landed = beats >= s.end
        w[landed] = s.weight if s.foot == "l" else 1.0 - s.weight
    w[air["r"] & ~air["l"]] = WEIGHT_ON_SUPPORT
    w[air["l"] & ~air["r"]] = 1.0 - WEIGHT_ON_SUPPORT
    return np.asarray(gaussian_filter1d(w, WEIGHT_SMOOTH, mode="nearest"))


def pelvis_over_feet(
    feet: dict[str, Array], weight_left: Array, offset: Array, level: Array
) -> Array:
    """(S, 3) pelvis position: over the weighted feet, plus ``offset``, at height ``level``.

    The height is capped per sample so that both legs keep :data:`MIN_KNEE_DEG` of bend.
    """
    w = weight_left[:, None]
    root = w * feet["l"] + (1.0 - w) * feet["r"]
    root[:, [0, 2]] += offset[:, [0, 2]]
    reach = 2.0 * min(_THIGH, _SHIN) * np.cos(np.radians(MIN_KNEE_DEG) / 2.0)
    cap = np.full(root.shape[0], np.inf)
    for side in _SIDES:
        hip_xz = root[:, [0, 2]] + np.array([_SIGN[side] * 0.09, 0.0])
        d2 = np.sum((feet[side][:, [0, 2]] - hip_xz) ** 2, axis=-1)
        cap = np.minimum(cap, feet[side][:, 1] + np.sqrt(np.maximum(reach**2 - d2, 0.0)))
    root[:, 1] = np.minimum(REST_PELVIS_HEIGHT + level, cap + _HIP_DROP)
    return root


def hinge(poses: Array, weight_left: Array) -> Array:
    """Pose vectors with the torso answering the legs: a hip hinge and a counter-sway.

    A dancer who sinks into the knees folds at the hips to stay balanced over the feet: the lean
    follows the move's dips (``dy``) with :data:`HINGE_DEG_PER_M`, up to :data:`HINGE_MAX_DEG`.
    With the weight on one foot the hips shift over it and the chest leans back the other way
    (:data:`COUNTER_SWAY_DEG`).
    """
    out = poses.copy()
    drop = np.maximum(-(poses[:, CHANNELS.index("dy")] + GROOVE_LEVEL), 0.0)
    out[:, CHANNELS.index("bend")] += np.minimum(HINGE_DEG_PER_M * drop, HINGE_MAX_DEG)
    out[:, CHANNELS.index("side")] -= COUNTER_SWAY_DEG * 2.0 * (weight_left - 0.5)
    return out


def turn_out(
    heading: dict[str, Array],
    feet: dict[str, Array],
    height: dict[str, Array],
    root: Array,
    body_yaw: Array,
) -> dict[str, Array]:
    """Foot headings turned out in a wide stance, so knees track over the toes.

    A dancer who sinks into a wide stance turns the feet out (a plié); with the feet parallel
    the knees would cave in. The turn-out grows with how far a foot lands outside its hip, up
    to :data:`TURN_OUT_DEG` at :data:`TURN_OUT_WIDTH` beyond the stance. It is set when the
    foot lands and held while it is planted (a planted foot never swivels); it changes only in
    the air, from the last landing's value to the next one's.
    """
    yaw = np.radians(body_yaw)
    out = {}
    for side in _SIDES:
        d = feet[side][:, [0, 2]] - root[:, [0, 2]]
        lateral = _SIGN[side] * (d[:, 0] * np.cos(yaw) - d[:, 1] * np.sin(yaw))
        wide = TURN_OUT_DEG * np.clip((lateral - STANCE_X) / TURN_OUT_WIDTH, 0.0, 1.0)
        out[side] = heading[side] + _SIGN[side] * _held_while_planted(wide, height[side] <= 0.0)
    return out


def _held_while_planted(values: Array, planted: NDArray[np.bool_]) -> Array:
    """``values`` taken at each landing and held through the planted run, and eased linearly
    across each run in the air from one landing's value to the next."""
    out = values.copy()
    edges = np.flatnonzero(np.diff(np.concatenate([[0], planted.astype(np.int8), [0]])))
    runs = list(zip(edges[::2], edges[1::2], strict=True))
    for a, b in runs:
        out[a:b] = values[a]
    n = values.size
    air_start = 0
    for a, b in [*runs, (n, n)]:
        if a > air_start:  # frames air_start..a are in the air (or before the first landing)
            start = out[air_start - 1] if air_start > 0 else values[min(a, n - 1)]
            stop = values[a] if a < n else start
            ramp = np.arange(1, a - air_start + 1) / (a - air_start + 1)
            out[air_start:a] = start + (stop - start) * ramp
        air_start = b
    return out


def keep_reach(root: Array, rots: Array, feet: dict[str, Array]) -> Array:
    """``root`` lowered where a leg, with the pelvis turned and tilted as ``rots`` has it, could
    not reach its foot with :data:`MIN_KNEE_DEG` of bend (:func:`pelvis_over_feet` assumes
    level hips; a hip sway lifts one hip)."""
    reach = 2.0 * min(_THIGH, _SHIN) * np.cos(np.radians(MIN_KNEE_DEG) / 2.0)
    pos = forward_kinematics_arrays(CANONICAL.parents, CANONICAL.offsets, root, rots)[0]
    drop = np.zeros(root.shape[0])
    for side in _SIDES:
        hip = pos[:, _J(f"hip_{side}")]
        d2 = np.sum((feet[side][:, [0, 2]] - hip[:, [0, 2]]) ** 2, axis=-1)
        top = feet[side][:, 1] + np.sqrt(np.maximum(reach**2 - d2, 0.0))
        drop = np.maximum(drop, hip[:, 1] - top)
    out = root.copy()
    out[:, 1] -= drop
    return out


def _unit(v: Array) -> Array:
    return np.asarray(v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9))


def solve_legs(root: Array, rots: Array, ankles: dict[str, Array], heading: dict[str, Array],
               height: dict[str, Array] | None = None) -> Array:  # fmt: skip
    """Local rotations (S, J, 4) with hips, knees and ankles solved so each ankle reaches its
    target; the rest of ``rots`` is kept.

    Parameters
    ----------
    ankles
        Per foot (S, 3) ankle targets; an unreachable one gets the straightened leg aimed at it.
    heading
        Per foot (S,) heading in degrees (0 = +Z); the knee bends towards it, turned out by
        :data:`KNEE_OUT_DEG`, and a flat foot points along it.
    height
        Per foot (S,) height above the floor: a lifted foot is pointed, up to :data:`POINT_DEG`.
    """
    out = rots.copy()
    pos, glob = forward_kinematics_arrays(CANONICAL.parents, CANONICAL.offsets, root, rots)
    for side in _SIDES:
        hip, knee, ankle = _J(f"hip_{side}"), _J(f"knee_{side}"), _J(f"ankle_{side}")
        h = pos[:, hip]
        target = ankles[side]
        d = target - h
        dist = np.linalg.norm(d, axis=-1)
        dist_c = np.clip(dist, 0.05, _THIGH + _SHIN - 1e-6)
        dhat = _unit(d)
        yaw = np.radians(heading[side] + _SIGN[side] * KNEE_OUT_DEG)
        pole = np.stack([np.sin(yaw), np.zeros_like(yaw), np.cos(yaw)], axis=-1)
        pole = _unit(pole - np.sum(pole * dhat, axis=-1, keepdims=True) * dhat)
        cos_a = np.clip((_THIGH**2 + dist_c**2 - _SHIN**2) / (2 * _THIGH * dist_c), -1.0, 1.0)
        k = h + _THIGH * (cos_a[:, None] * dhat + np.sqrt(1.0 - cos_a**2)[:, None] * pole)
        a = h + dhat * dist_c[:, None]
        thigh, shin = _unit(k - h), _unit(a - k)
        flex = np.arccos(np.clip(np.sum(thigh * shin, axis=-1), -1.0, 1.0))
        # The knee's hinge frame: y up the thigh, z towards the knee's front, x = y cross z.
        z = -(shin - np.sum(shin * thigh, axis=-1, keepdims=True) * thigh)
        weak = np.linalg.norm(z, axis=-1) < 1e-4
        z[weak] = (
            pole[weak] - np.sum(pole[weak] * thigh[weak], axis=-1, keepdims=True) * thigh[weak]
        )
        y, z = -thigh, _unit(z)
        frame = np.stack([np.cross(y, z), y, z], axis=-1)
        g_hip = Q.from_matrix(frame)
        parent = glob[:, CANONICAL.parents[hip]]
        out[:, hip] = Q.multiply(Q.conjugate(parent), g_hip)
        knee_q = Q.from_axis_angle(flex[:, None] * np.array([1.0, 0.0, 0.0]))
        out[:, knee] = knee_q
        point = (
            np.zeros_like(flex)
            if height is None
            else POINT_DEG * np.clip(height[side] / POINT_HEIGHT, 0.0, 1.0)
        )
        g_foot = Q.multiply(
            Q.about_y(np.radians(heading[side])),
            Q.from_axis_angle(np.radians(point)[:, None] * np.array([1.0, 0.0, 0.0])),
        )
        out[:, ankle] = Q.multiply(Q.conjugate(Q.multiply(g_hip, knee_q)), g_foot)
        out[:, _J(f"toe_{side}")] = Q.identity((root.shape[0],))
    return Q.normalize(out)
