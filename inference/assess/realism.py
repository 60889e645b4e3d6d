"""Realism: Bailando's FID_k and FID_g, on windows of the canonical skeleton.

FID (Li et al., "Bailando", CVPR 2022, after AIST++) is the Fréchet distance between two
Gaussians fitted to per-dance feature vectors: the generated set's and the real set's. Both
sets are first standardised with the *real* set's mean and std, as Bailando's evaluation code
does (``(x - mean) / (std + 1e-10)``). Two feature kinds:

* **kinetic** (FID_k): AIST++'s kinetic features, :func:`.motion_metrics.kinetic_features`
  (per joint: horizontal and vertical kinetic energy and energy expenditure; 21 x 3 = 63
  values here). As in Bailando each window is taken relative to its first frame's pelvis
  before the features are computed (the AIST++ acceleration term keeps its precedence slip,
  which makes it depend on positions).
* **geometric** (FID_g, Bailando's "manual" features): 32 boolean relational features of
  Müller, Röder and Clausen ("Efficient content-based retrieval of motion capture data",
  SIGGRAPH 2005), evaluated on every frame and averaged over the window, so each is the share
  of the window's frames in which the relation holds. They are listed in
  :data:`GEOMETRIC_FEATURES`; the table below says how Müller's features map onto our 21
  joints (SMPL's root, belly, chest are our pelvis, spine, chest).

Müller's thresholds are in units of the body: ``hl`` the humerus length (shoulder to elbow),
``sw`` the shoulder width, ``hw`` the hip width, measured here on each motion (median over
frames), so the features do not depend on the dancer's size. Speeds are in those units per
second at the motion's true frame rate (Bailando's code divides by 1/120 s whatever the rate).

======================  ================================================================
feature                 relation (Müller's name; threshold)
======================  ================================================================
hand_forward_fast_r/l   wrist's velocity relative to the neck along the body's forward
                        normal (plane neck, hips) > 1.8 hl/s ("hand moving forward")
hand_raised_r/l         wrist above the neck along chest->neck by > 0.2 hl ("hand raised",
                        the "hand above head" relation)
hand_up_fast_r/l        wrist's velocity relative to the chest along spine->chest
                        > 1.8 hl/s ("hand moving upwards")
elbow_bent_r/l          angle between elbow->shoulder and elbow->wrist < 110 deg
hands_apart             wrists more than 2.5 sw apart along the shoulder axis
                        ("hands far apart sideways")
hands_approaching       wrists closing on each other faster than 1.4 hl/s
hand_away_fast_r/l      wrist moving away from the pelvis faster than 1.4 hl/s
hand_fast_r/l           wrist speed > 2.5 hl/s
foot_front_r/l          ankle in front of the plane through pelvis, other hip and other
                        toe by > 0.38 hl ("foot in front")
foot_raised_r/l         ankle more than 1.2 hl above the frame's lowest joint
feet_apart              ankles more than 2.1 hw apart along the hip axis
knee_bent_r/l           angle between knee->hip and knee->ankle < 110 deg ("knee bent")
foot_fast_r/l           ankle speed > 2.5 hl/s
arm_lifted_r/l          upper arm more than 25 deg from the neck->pelvis direction
                        ("humerus abducted")
thigh_lifted_r/l        thigh more than 50 deg from the neck->pelvis direction
pelvis_behind           pelvis behind the frontal plane through both ankles and the neck
                        by > 0.5 hl ("root behind frontal plane": sitting back)
spine_horizontal        neck->pelvis between 70 and 110 deg from vertical
hand_low_r/l            wrist less than 1.2 hl above the frame's lowest joint ("hand
                        lowered")
pelvis_fast             pelvis speed > 2.3 hl/s ("root fast")
======================  ================================================================

Where Bailando's code departs from Müller's definitions we follow the definitions: its
``f_move`` measures its third joint instead of the fourth (so "hand moving upwards" measures
the chest, and "hands approaching" is always false), and some of its planes face backwards
("hand moving forward" and the left "foot in front" measure backwards). Each plane here is
oriented so the named relation holds as stated, for either side.

Windows: a dance gives one feature vector per 5-s window, every 2.5 s (a dance shorter than a
window but at least 2 s long gives one vector for all of it), so a few long real dances give
enough samples for a covariance. Small sets: a set needs at least two windows; with fewer
windows than dimensions its covariance is singular, so a ridge of 1e-6 (in the standardised
units, where each real feature has variance 1) is added to both covariances. Features the real
set never varies are standardised with a floor on the std (FID_g: one frame's share of a
window, 1/150), so one stray frame does not weigh 1e10. Fewer samples inflate FID: compare
figures from sets of similar size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from inference.assess.motion_metrics import joint_positions, kinetic_features
from inference.motion.motion import Motion
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]

WINDOW_SECONDS = 5.0
HOP_SECONDS = 2.5
MIN_WINDOW_SECONDS = 2.0
"""A dance shorter than this gives no window."""
RIDGE = 1e-6
"""Added to the diagonal of both covariances (standardised units)."""
STD_EPS = 1e-10
"""Bailando's ``std + 1e-10`` in the standardisation."""
GEOMETRIC_STD_FLOOR = 1.0 / 150.0
"""Floor on a geometric feature's real std: one frame of a 5-s window at 30 fps."""

_J = CANONICAL.index
_UP = np.array([0.0, 1.0, 0.0])


def _unit(v: Array) -> Array:
    return np.asarray(v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12))


def _dot(a: Array, b: Array) -> Array:
    return np.asarray(np.sum(a * b, axis=-1))


def _angle(a: Array, b: Array) -> Array:
    """Angle in degrees between vectors ``a`` and ``b`` (per frame)."""
    return np.degrees(np.arccos(np.clip(_dot(_unit(a), _unit(b)), -1.0, 1.0)))


class _Frames:
    """Joint positions of the frames 1..T-1 and their velocities, for the relations."""

    def __init__(self, positions: Array, fps: float) -> None:
        self.p = positions[1:]
        self.v = np.diff(positions, axis=0) * fps
        self.floor = positions[1:, :, 1].min(axis=1)  # the frame's lowest joint

        def length(a: str, b: str) -> float:
            d = positions[:, _J(a)] - positions[:, _J(b)]
            return float(np.median(np.linalg.norm(d, axis=-1)))

        self.hl = length("elbow_l", "shoulder_l")
        self.sw = length("shoulder_l", "shoulder_r")
        self.hw = length("hip_l", "hip_r")

    def __call__(self, joint: str) -> Array:
        return np.asarray(self.p[:, _J(joint)])

    def axis(self, a: str, b: str) -> Array:
        """Unit vector from joint ``a`` to joint ``b``."""
        return _unit(self(b) - self(a))

    def angle(self, a: str, b: str, c: str, d: str) -> Array:
        """Angle in degrees between a->b and c->d."""
        return _angle(self(b) - self(a), self(d) - self(c))

    def plane(self, a: str, b: str, c: str, point: str) -> Array:
        """Signed distance of ``point`` from the plane (a, b, c), normal (b - a) x (c - a)."""
        normal = _unit(np.cross(self(b) - self(a), self(c) - self(a)))
        return _dot(self(point) - self(a), normal)

    def height(self, joint: str) -> Array:
        """Height above the frame's lowest joint."""
        return np.asarray(self(joint)[:, 1] - self.floor)

    def speed(self, joint: str) -> Array:
        return np.asarray(np.linalg.norm(self.v[:, _J(joint)], axis=-1))

    def moving(self, joint: str, ref: str, direction: Array) -> Array:
        """Velocity of ``joint`` relative to ``ref`` along the unit vectors ``direction``."""
        return _dot(self.v[:, _J(joint)] - self.v[:, _J(ref)], direction)

    def forward(self) -> Array:
        """The body's forward normal: of the plane through the neck and both hips."""
        return _unit(np.cross(self("hip_r") - self("neck"), self("hip_l") - self("neck")))


Measure = Callable[[_Frames, str, str], Array]
"""A quantity per frame for side ``s`` (``"r"`` or ``"l"``), whose other side is ``o``."""


def _foot_front(g: _Frames, s: str, o: str) -> Array:
    # (pelvis, toe, hip) faces forward on the left leg, (pelvis, hip, toe) on the right.
    a, b = (f"toe_{o}", f"hip_{o}") if o == "l" else (f"hip_{o}", f"toe_{o}")
    return g.plane("pelvis", a, b, f"ankle_{s}")


def _hands_closing(g: _Frames, s: str, o: str) -> Array:
    return -g.moving("wrist_r", "wrist_l", g.axis("wrist_l", "wrist_r"))


def _spine_tilt(g: _Frames, s: str, o: str) -> Array:
    """How far (degrees) neck->pelvis is from horizontal."""
    return np.abs(_angle(g("pelvis") - g("neck"), -_UP) - 90.0)


# (name, sided, measure, comparison, threshold, unit), in Bailando's order. A sided relation
# gives an _r then an _l feature; the unit is a body measure (hl, sw, hw) or 1 (degrees).
_TABLE: list[tuple[str, bool, Measure, str, float, str]] = [
    ("hand_forward_fast", True,
     lambda g, s, o: g.moving(f"wrist_{s}", "neck", g.forward()), ">", 1.8, "hl"),
    ("hand_raised", True,
     lambda g, s, o: _dot(g(f"wrist_{s}") - g("neck"), g.axis("chest", "neck")), ">", 0.2, "hl"),
    ("hand_up_fast", True,
     lambda g, s, o: g.moving(f"wrist_{s}", "chest", g.axis("spine", "chest")), ">", 1.8, "hl"),
    ("elbow_bent", True,
     lambda g, s, o: g.angle(f"elbow_{s}", f"shoulder_{s}", f"elbow_{s}", f"wrist_{s}"),
     "<", 110.0, "1"),
    ("hands_apart", False,
     lambda g, s, o: _dot(g("wrist_r") - g("wrist_l"), g.axis("shoulder_l", "shoulder_r")),
     ">", 2.5, "sw"),
    ("hands_approaching", False, _hands_closing, ">", 1.4, "hl"),
    ("hand_away_fast", True,
     lambda g, s, o: g.moving(f"wrist_{s}", "pelvis", g.axis("pelvis", f"wrist_{s}")),
     ">", 1.4, "hl"),
    ("hand_fast", True, lambda g, s, o: g.speed(f"wrist_{s}"), ">", 2.5, "hl"),
    ("foot_front", True, _foot_front, ">", 0.38, "hl"),
    ("foot_raised", True, lambda g, s, o: g.height(f"ankle_{s}"), ">", 1.2, "hl"),
    ("feet_apart", False,
     lambda g, s, o: _dot(g("ankle_r") - g("ankle_l"), g.axis("hip_l", "hip_r")), ">", 2.1, "hw"),
    ("knee_bent", True,
     lambda g, s, o: g.angle(f"knee_{s}", f"hip_{s}", f"knee_{s}", f"ankle_{s}"), "<", 110.0, "1"),
    ("foot_fast", True, lambda g, s, o: g.speed(f"ankle_{s}"), ">", 2.5, "hl"),
    ("arm_lifted", True,
     lambda g, s, o: g.angle("neck", "pelvis", f"shoulder_{s}", f"elbow_{s}"), ">", 25.0, "1"),
    ("thigh_lifted", True,
     lambda g, s, o: g.angle("neck", "pelvis", f"hip_{s}", f"knee_{s}"), ">", 50.0, "1"),
    # (ankle_r, neck, ankle_l) has its normal towards the back: positive is behind.
    ("pelvis_behind", False,
     lambda g, s, o: g.plane("ankle_r", "neck", "ankle_l", "pelvis"), ">", 0.5, "hl"),
    ("spine_horizontal", False, _spine_tilt, "<", 20.0, "1"),
    ("hand_low", True, lambda g, s, o: g.height(f"wrist_{s}"), "<", 1.2, "hl"),
    ("pelvis_fast", False, lambda g, s, o: g.speed("pelvis"), ">", 2.3, "hl"),
]  # fmt: skip

_Relation = tuple[str, str, str, Measure, str, float, str]


def _expand(table: list[tuple[str, bool, Measure, str, float, str]]) -> list[_Relation]:
    out: list[_Relation] = []
    for name, sided, measure, op, threshold, unit in table:
        for s, o in (("r", "l"), ("l", "r")) if sided else (("r", "l"),):
            out.append((f"{name}_{s}" if sided else name, s, o, measure, op, threshold, unit))
    return out


def _holds(g: _Frames, relation: _Relation) -> Array:
    _, s, o, measure, op, threshold, unit = relation
    limit = threshold * {"hl": g.hl, "sw": g.sw, "hw": g.hw, "1": 1.0}[unit]
    value = measure(g, s, o)
    return np.asarray(value > limit if op == ">" else value < limit, dtype=np.float64)


_RELATIONS = _expand(_TABLE)
GEOMETRIC_FEATURES: tuple[str, ...] = tuple(name for name, *_ in _RELATIONS)
"""Names of the 32 geometric features, in the order of the feature vector."""


def _positions(motion_or_positions: Motion | ArrayLike, fps: float | None) -> tuple[Array, float]:
    pos = joint_positions(motion_or_positions, CANONICAL.n_joints)
    if isinstance(motion_or_positions, Motion):
        return pos, motion_or_positions.fps
    if fps is None or fps <= 0:
        raise ValueError("positions need their frame rate")
    return pos, fps


def geometric_frames(motion_or_positions: Motion | ArrayLike, fps: float | None = None) -> Array:
    """(T - 1, 32) the geometric relations (0 or 1) on frames 1..T-1 (velocities need frame 0).

    ``fps`` is required for positions (a Motion carries its own).
    """
    pos, rate = _positions(motion_or_positions, fps)
    if pos.shape[0] < 2:
        raise ValueError("geometric features need at least 2 frames")
    frames = _Frames(pos, rate)
    return np.stack([_holds(frames, r) for r in _RELATIONS], axis=-1)


def geometric_features(motion_or_positions: Motion | ArrayLike, fps: float | None = None) -> Array:
    """(32,) the share of frames in which each geometric relation holds (Bailando's manual)."""
    return np.asarray(geometric_frames(motion_or_positions, fps).mean(axis=0))


def windows(
    n_frames: int,
    fps: float,
    window: float = WINDOW_SECONDS,
    hop: float = HOP_SECONDS,
    minimum: float = MIN_WINDOW_SECONDS,
) -> list[tuple[int, int]]:
    """(start, stop) frame ranges of the windows of a dance of ``n_frames`` at ``fps``."""
    size, step = round(window * fps), max(round(hop * fps), 1)
    if n_frames < size:
        return [(0, n_frames)] if n_frames >= max(minimum * fps, 3) else []
    return [(a, a + size) for a in range(0, n_frames - size + 1, step)]


@dataclass(frozen=True)
class RealismFeatures:
    """Feature vectors of a set of windows: ``kinetic`` (N, 63) and ``geometric`` (N, 32)."""

    kinetic: Array
    geometric: Array

    @property
    def n(self) -> int:
        """Number of windows."""
        return int(self.kinetic.shape[0])

    @staticmethod
    def join(sets: Sequence[RealismFeatures]) -> RealismFeatures:
        """All windows of ``sets`` in one set."""
        k = [s.kinetic for s in sets if s.n]
        g = [s.geometric for s in sets if s.n]
        n_k, n_g = CANONICAL.n_joints * 3, len(GEOMETRIC_FEATURES)
        return RealismFeatures(
            np.concatenate(k) if k else np.zeros((0, n_k)),
            np.concatenate(g) if g else np.zeros((0, n_g)),
        )


def window_features(
    motion_or_positions: Motion | ArrayLike,
    fps: float | None = None,
    window: float = WINDOW_SECONDS,
    hop: float = HOP_SECONDS,
    minimum: float = MIN_WINDOW_SECONDS,
    reference_quirk: bool = True,
) -> RealismFeatures:
    """Kinetic and geometric features of every window of one dance (see :func:`windows`).

    ``reference_quirk`` keeps AIST++'s acceleration slip in the kinetic features (published
    FID_k uses it); False gives the physically meant energy expenditure.
    """
    pos, rate = _positions(motion_or_positions, fps)
    spans = windows(pos.shape[0], rate, window, hop, minimum)
    frames = geometric_frames(pos, rate) if spans else np.zeros((0, len(GEOMETRIC_FEATURES)))
    kinetic, geometric = [], []
    for a, b in spans:
        part = pos[a:b] - pos[a, _J("pelvis")]  # relative to its first root, as Bailando
        kinetic.append(kinetic_features(part, rate, reference_quirk=reference_quirk))
        # Relations are on frames 1..T-1: window frames a+1..b-1 are rows a..b-2.
        geometric.append(frames[a : b - 1].mean(axis=0))
    return RealismFeatures.join(
        [RealismFeatures(np.asarray(kinetic), np.asarray(geometric))] if spans else []
    )


def frechet_distance(mu1: ArrayLike, sigma1: ArrayLike, mu2: ArrayLike, sigma2: ArrayLike) -> float:
    """||mu1 - mu2||^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)) for symmetric PSD covariances.

    tr((S1 S2)^(1/2)) is computed as the sum of the square roots of the eigenvalues of
    S1^(1/2) S2 S1^(1/2), which has the same spectrum and is symmetric, so it stays real and
    stable where ``scipy.linalg.sqrtm(S1 @ S2)`` meets a near-singular product.
    """
    m1, m2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
    s1, s2 = np.asarray(sigma1, np.float64), np.asarray(sigma2, np.float64)
    w, v = np.linalg.eigh(s1)
    root1 = (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T
    inner = np.linalg.eigvalsh(root1 @ s2 @ root1)
    tr_covmean = float(np.sqrt(np.clip(inner, 0.0, None)).sum())
    diff = m1 - m2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * tr_covmean)


def fid(
    generated: ArrayLike,
    real: ArrayLike,
    ridge: float = RIDGE,
    std_floor: float = 0.0,
) -> float:
    """Fréchet distance of (N, F) ``generated`` from (M, F) ``real`` after standardising both
    with the real set's mean and ``max(std, std_floor) + 1e-10``.

    Raises
    ------
    ValueError
        When either set has fewer than 2 samples, or their widths differ.
    """
    gen, ref = np.asarray(generated, np.float64), np.asarray(real, np.float64)
    if gen.ndim != 2 or ref.ndim != 2 or gen.shape[1] != ref.shape[1]:
        raise ValueError("both feature sets must be (N, F) with the same F")
    if gen.shape[0] < 2 or ref.shape[0] < 2:
        raise ValueError("FID needs at least 2 samples in each set")
    mean = ref.mean(axis=0)
    scale = np.maximum(ref.std(axis=0), std_floor) + STD_EPS
    gen, ref = (gen - mean) / scale, (ref - mean) / scale
    eye = ridge * np.eye(gen.shape[1])
    return frechet_distance(
        gen.mean(axis=0),
        np.cov(gen, rowvar=False) + eye,
        ref.mean(axis=0),
        np.cov(ref, rowvar=False) + eye,
    )


def fid_k(generated: RealismFeatures, real: RealismFeatures) -> float:
    """FID_k: FID of the kinetic features."""
    return fid(generated.kinetic, real.kinetic)


def fid_g(generated: RealismFeatures, real: RealismFeatures) -> float:
    """FID_g: FID of the geometric features (std floored at one frame of a window)."""
    return fid(generated.geometric, real.geometric, std_floor=GEOMETRIC_STD_FLOOR)
