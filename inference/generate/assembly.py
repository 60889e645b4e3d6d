"""Assembly: planned units -> one beat-time motion -> the song's frames, with the sliders' touch.

1. Units are chained in beat time (each starts where the previous ended, pulled gently back
   towards the centre of the stage), with an idle ``ready`` pose before the first beat and a
   ``finish_pose`` after the last.
2. Seams are closed without inserting or removing a frame, so every beat stays on its sample
   (a cross-fade would shift the beats). With the neural in-betweener
   (:mod:`inference.generate.inbetween`) the :data:`INBETWEEN_HALF` samples on each side of a
   seam are replaced by the model's transition from the end of one unit into the start of the
   next, all seams in one batch. Without it (no weights, no torch) the seams are *spread*: the
   pose gap is split between the two units and eased in over :data:`SEAM_SAMPLES` samples on
   either side.
3. One time warp through the song's beat times puts unit beats on music beats (beat alignment).
4. Sliders: energy scales the motion about its slow (one-beat) mean pose, smoothness low-passes
   it, bounce adds a dip on every beat (the legs follow through foot locking).
5. The result is grounded, its feet locked, and its joints clamped to :mod:`limits`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import gaussian_filter1d

from inference.generate.beat_time import CANONICAL_BPM, SAMPLES_PER_BEAT, song_beat_position
from inference.generate.footwork import ANKLE_HEIGHT, solve_legs
from inference.generate.inbetween import (
    CONTEXT,
    SHRUNK_GAIN,
    Inbetweener,
    fill_windows,
    load_inbetweener,
)
from inference.generate.library import MoveLibrary
from inference.generate.limits import clamp_to_limits
from inference.generate.params import GenerationParams
from inference.generate.planner import Placement
from inference.jobs import Job, Progress, run_job
from inference.motion import quaternions as Q
from inference.motion.feet import foot_contacts, foot_lock, ground
from inference.motion.motion import CANONICAL_FPS, Motion, forward_kinematics
from inference.motion.resample import sample_at
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]

SEAM_SAMPLES = 8
"""Samples on each side of a seam over which the pose gap is spread (about half a beat)."""
INBETWEEN_HALF = 4
"""Samples on each side of a seam that the in-betweener replaces (a 9-sample transition).
With :data:`~inference.generate.inbetween.CONTEXT` = 10 its context then stays inside the two
units it joins even for one-count (15-sample) units."""
CENTRE_PULL = 1.0
"""Share of the distance from its stage spot that each unit's path is pulled back by: at 1 a
unit ends on its spot, so a move's own drift never adds up into a walk across the floor."""
STAGE_HALF = (1.2, 0.8)
"""Half the width and depth (m) of the area the dancer's spots are drawn from: a 2.4 x 1.6 m
floor. With 5 x 3 m the dancer's joints ended 5-second windows further from where they began
than real pop and street dancers' do (AIST++'s kinetic "energy" term, which depends on that
distance, sat 0.6 real standard deviations high); 3 x 2 m still gave the seeds that drew far
spots FID_k 21-24 against the real pop and street set (pop and girl crush, 6 songs, seeds 0-3:
mean 19.9 against 18.2 here). No travel at all is worse still: the real set has windows that
travel, and 1.5 x 1 m gave k-pop 33.6."""
SPOT_BEATS = 16
"""Counts a stage spot is held for (two 8-count parts) before the dancer travels on."""
SLOW_FRAMES_PER_BEAT = 18.0
"""Below 100 BPM (over 18 frames a count) a spot is held for one part, half :data:`SPOT_BEATS`:
16 slow counts last over 9.6 s, and the dancer travelled too little (k-pop on a 93 BPM rumba
0.23 m/s, real dancers 0.26 m/s and up)."""


def stage_spot(beat: int, seed: int, spot_beats: int = SPOT_BEATS) -> Array:
    """Where on the stage the dancer heads for at ``beat`` of a routine with ``seed``.

    Choreography travels: a formation holds for a phrase or two, then the dancer moves on. A
    spot depends on the seed and on which block of ``spot_beats`` counts the beat is in, so a
    regenerated part keeps its neighbours' spots.
    """
    rng = np.random.default_rng([seed, beat // spot_beats, 7])
    return np.asarray(rng.uniform(-1.0, 1.0, 2) * np.array(STAGE_HALF), dtype=np.float64)


TORSO_SWAY = 0.6
"""Share of the spine, chest, neck, head and collars' motion about their one-beat average that
is kept. The authored moves rocked the upper body sideways with 2.5-3.6x the horizontal kinetic
energy of real pop and street dancers (chest, neck and shoulders 1.5-2.0 real standard
deviations above them), which reads as swaying rather than dancing."""
PELVIS_SWAY = 0.2
"""Share of the pelvis's horizontal motion about its one-beat path that is kept (travel, the
one-beat path itself, is untouched; the legs are re-solved to the planted feet afterwards):
the same excess as :data:`TORSO_SWAY`, in the weight shifts (0.4 left the shoulders and arms
0.5-1 real standard deviation fast sideways; 0.2 lowered FID_k by 1-3 on 6 songs)."""
PELVIS_TURN = 0.3
"""Share of the pelvis's turn about its half-beat average that is kept (the turn itself, a
spin or a change of facing, is untouched). The authored moves twist the hips on every count,
and the whole upper body swings with them: the shoulders, elbows and wrists moved sideways
0.8-1.0 real standard deviations faster than real pop and street dancers'. Kept at 1 (as
authored) FID_k for pop and girl crush was 19.5 and 18.7 on 6 songs; 0.6 gave 17.6 and 16.9,
0.3 gave 16.5 and 16.0, with the knees, travel and speed unchanged. Keeping the thighs'
authored turn (below) costs some of that (16.9 and 17.3) for feet that stay planted."""
ARM_SWAY = 0.7
"""Share of the shoulders', elbows' and wrists' motion about their one-beat average that is
kept. The arms still moved sideways 0.6-0.85 real standard deviations faster than real pop and
street dancers' (horizontal kinetic energy); on 10 songs, seeds 0 and 1, FID_k for pop, girl
crush, k-pop and hip-hop was 17.1/19.8, 16.3/20.8, 20.5/22.7 and 16.1/19.8 with the arms as
authored, 16.4/19.0, 15.3/19.8, 19.3/21.4 and 14.9/18.5 at 0.8, and 16.2/18.8, 14.9/19.3,
18.8/20.9 and 14.3/17.9 at 0.65 (FID_g 0.1-0.4 higher at 0.65)."""
_PELVIS = CANONICAL.names.index("pelvis")
_HIPS = (CANONICAL.names.index("hip_l"), CANONICAL.names.index("hip_r"))
TORSO_JOINTS = ("spine", "chest", "neck", "head", "collar_l", "collar_r")
ARM_JOINTS = tuple(f"{part}_{side}" for part in ("shoulder", "elbow", "wrist") for side in "lr")

DYNAMICS = 0.3
"""Largest share by which the energy gain swells and shrinks with the music's loudness."""
MAX_GAIN = 1.2
"""Most the motion is stretched about its one-beat average, however high the energy slider and
the music's swell: extrapolated further, the joints overshoot the poses the move was danced in
(at energy 0.9, with the cap at 1.72, k-pop and pop scored FID_k 36.1 and 91.8 against real
pop and street dancers on 10 songs; 1.3 gave 26.6 and 66.7 and 1.2 with a shorter planner
reach, :data:`~inference.generate.planner.ENERGY_REACH`, 19.1 and 37.8, at default energy
unchanged within 0.5). Above energy 0.75 the slider then works through the moves it picks."""
BOUNCE_DEPTH = 0.07
"""Pelvis dip (metres) on each beat at bounce 1."""
BEAT_ACCENT = 0.6
"""How much the motion eases into each beat: at the beat it moves at (1 - this) of its mean
speed, mid-beat at (1 + this), so the body "hits" the count (a motion beat on every beat)."""


def accent(beat_position: Array, amount: float = BEAT_ACCENT, period: int = 1) -> Array:
    """Beat position eased into every ``period``-th count: x - a p sin(2 pi x / p) / (2 pi).

    Monotone for a < 1. In double time (``period`` 2) the body hits the music's beats, not
    the "and" counts between them.
    """
    phase = 2.0 * np.pi * beat_position / period
    return np.asarray(beat_position - amount * period * np.sin(phase) / (2.0 * np.pi))


def _smoothstep(x: Array) -> Array:
    return x * x * (3.0 - 2.0 * x)


LEARNED_KINDS = frozenset({("cmu", "salsa")})
"""(source, style) of the units like the in-betweener's training data (CMU salsa): seams between
two of them get the model's full residual, every other seam :data:`SHRUNK_GAIN` of it (see there
for how that gain was chosen and what it measures). Measured at full gain on CMU dance never
trained on: 0.69x slerp's position error on salsa (take 13), but 1.21x, with more foot skating
(0.33 against 0.20), on subject 05's modern dance, so CMU's modern units get the shrunk gain
too (``tests/benchmarks/bench_inbetweener.py``)."""


FACINGS_DEG = (0.0, 0.0, 35.0, -35.0, 60.0, -60.0)
"""Facings a unit may be danced at, relative to the front (equal odds; front counts twice)."""


def facing_of(unit: int, seed: int) -> float:
    """The facing (degrees) of ``unit`` in a routine with ``seed``.

    Choreography changes its facing between moves: a move is danced to the front or on a
    diagonal. It depends only on the unit and the seed, so a repeated section (which repeats its
    units) repeats its facings, a regenerated part gets new ones and kept units keep theirs.
    """
    rng = np.random.default_rng([seed, unit])
    return float(FACINGS_DEG[int(rng.integers(len(FACINGS_DEG)))])


def chain(
    library: MoveLibrary,
    units: Sequence[int],
    start_xz: Array | None = None,
    model: Inbetweener | None = None,
    facings: Sequence[float] | None = None,
    spots: Sequence[Array] | None = None,
) -> tuple[Array, Array]:
    """Chain units in beat time: root (S, 3) and rotations (S, J, 4), seams closed.

    ``facings`` (degrees, one per unit) turns each unit about its start; default all front.
    ``spots`` ((x, z) per unit) is where on the stage each unit's path is pulled towards;
    default the centre.

    Consecutive units share their boundary sample, so ``S = 15 * total beats + 1``. With a
    ``model`` every seam is in-betweened (see :func:`inbetween_seams`), at full residual gain
    between two units of :data:`LEARNED_KINDS` and at :data:`SHRUNK_GAIN` elsewhere; without
    one every seam is spread.
    """
    roots: list[Array] = []
    rots: list[Array] = []
    seams: list[int] = []
    gains: list[float] = []
    pos = np.zeros(2) if start_xz is None else np.asarray(start_xz, dtype=np.float64)
    for i, ui in enumerate(units):
        root, rot = library.unit_samples(library.units[ui])
        if facings is not None and facings[i]:
            turn = Q.about_y(np.radians(facings[i]))
            root = Q.rotate(turn, root - root[:1]) + root[:1]
            rot = rot.copy()
            rot[:, 0] = Q.multiply(turn, rot[:, 0])
        root = root.copy()
        drift = root[-1, [0, 2]] - root[0, [0, 2]]
        spot = np.zeros(2) if spots is None else np.asarray(spots[i], dtype=np.float64)
        pull = CENTRE_PULL * (spot - (pos + drift))
        ramp = np.linspace(0.0, 1.0, root.shape[0])[:, None]
        root[:, [0, 2]] += pos + ramp * pull
        pos = root[-1, [0, 2]]
        if i:
            if model is None:
                _spread_seam(roots[-1], rots[-1], root, rot)
            else:
                pair = (library.units[units[i - 1]], library.units[ui])
                kinds = {(u.source, u.style) for u in pair}
                seams.append(sum(r.shape[0] for r in roots) - 1)
                gains.append(1.0 if kinds <= LEARNED_KINDS else SHRUNK_GAIN)
            root, rot = root[1:], rot[1:]
        roots.append(root)
        rots.append(rot)
    root_all, rots_all = np.concatenate(roots), np.concatenate(rots)
    if model is None or not seams:
        return root_all, rots_all
    filled = inbetween_seams(root_all, rots_all, seams, model, np.asarray(gains))
    return filled if filled is not None else chain(library, units, start_xz, None, facings, spots)


def inbetween_seams(
    root: Array,
    rots: Array,
    seams: Sequence[int],
    model: Inbetweener,
    gains: float | Array = 1.0,
) -> tuple[Array, Array] | None:
    """Replace :data:`INBETWEEN_HALF` samples around every seam by the model's transition.

    All seams go through the network in one batch, each seeing :data:`CONTEXT` raw samples of
    its own two units on either side. ``None`` when a seam lies too near an end for its context.
    """
    h, k = INBETWEEN_HALF, CONTEXT
    at = np.asarray(seams, dtype=np.int64)
    if at.size == 0:
        return root, rots
    if at.min() < h + k or at.max() + h + k >= root.shape[0]:
        return None
    idx = at[:, None] + np.arange(-h - k, h + k + 1)
    gap_root, gap_rots, _ = fill_windows(root[idx], rots[idx], 2 * h + 1, model, gains)
    out_root, out_rots = root.copy(), rots.copy()
    gap_idx = at[:, None] + np.arange(-h, h + 1)
    out_root[gap_idx], out_rots[gap_idx] = gap_root, gap_rots
    return out_root, out_rots


def _spread_seam(root_a: Array, rot_a: Array, root_b: Array, rot_b: Array) -> None:
    """Close the gap between the end of A and the start of B in place, half on each side."""
    k = min(SEAM_SAMPLES, root_a.shape[0] - 1, root_b.shape[0] - 1)
    if k < 1:
        return
    delta = Q.multiply(rot_b[0], Q.conjugate(rot_a[-1]))  # rot_b[0] = delta * rot_a[-1]
    gap = root_b[0] - root_a[-1]
    w = 0.5 * _smoothstep(np.arange(1, k + 1) / k)  # 0.5 at the seam, easing to 0 away from it
    wa = w[:, None]
    ident = Q.identity(delta.shape[:-1])
    tail = slice(root_a.shape[0] - k, None)
    grow = np.broadcast_to(wa, (k, delta.shape[0]))
    root_a[tail] += gap * wa
    rot_a[tail] = Q.multiply(Q.slerp(ident, delta, grow), rot_a[tail])
    w_b = w[::-1][:, None]
    root_b[:k] -= gap * w_b
    rot_b[:k] = Q.multiply(
        Q.slerp(ident, Q.conjugate(delta), np.broadcast_to(w_b, (k, delta.shape[0]))), rot_b[:k]
    )


def warp_to_song(
    root: Array,
    rots: Array,
    beat_times: Sequence[float],
    first_beat_sample: float,
    n_frames: int,
    start_frame: int = 0,
    accent_amount: float = BEAT_ACCENT,
    accent_period: int = 1,
) -> Motion:
    """Sample the beat-time motion at song frames ``start_frame .. start_frame + n_frames``.

    ``first_beat_sample`` is the sample index of the song's first beat in the beat-time arrays.
    """
    t = (start_frame + np.arange(n_frames)) / CANONICAL_FPS
    position = accent(song_beat_position(t, beat_times), accent_amount, accent_period)
    samples = first_beat_sample + position * SAMPLES_PER_BEAT
    source = Motion(CANONICAL, CANONICAL_FPS, root, rots)
    return sample_at(source, samples)


def _align_hemisphere(q: Array) -> Array:
    out = q.copy()
    dots = np.sum(out[1:] * out[:-1], axis=-1)
    flips = np.cumprod(np.where(dots < 0, -1.0, 1.0), axis=0)
    out[1:] *= flips[..., None]
    return out


def _lowpass(q: Array, sigma: float) -> Array:
    if sigma <= 0:
        return q
    return Q.normalize(gaussian_filter1d(_align_hemisphere(q), sigma, axis=0, mode="nearest"))


def apply_sliders(
    motion: Motion,
    params: GenerationParams,
    beat_position: Array,
    frames_per_beat: float,
    beat_energy: Sequence[float] = (),
) -> Motion:
    """Energy gain, smoothness low-pass and bounce dip (see the module notes).

    Parameters
    ----------
    beat_position
        (T,) song beat position of each frame (from :func:`song_beat_position`).
    frames_per_beat
        Typical frames per beat, for the one-beat slow pose.
    beat_energy
        The music's energy per beat (0..1): the gain swells with it by up to
        :data:`DYNAMICS` either way, so a quiet verse is danced smaller than a loud chorus.
    """
    rots = motion.local_rotations.copy()
    root = motion.root_translation.copy()
    gain = np.full(motion.n_frames, 0.6 + 0.8 * params.energy)  # 1 at the default 0.5
    if len(beat_energy):
        e = np.asarray(beat_energy, dtype=np.float64)
        at = np.clip(np.floor(beat_position).astype(np.int64), 0, e.size - 1)
        swell = gaussian_filter1d(e[at] - float(np.mean(e)), 2.0 * frames_per_beat)
        gain *= 1.0 + DYNAMICS * np.clip(2.0 * swell, -1.0, 1.0)
    # A move plays slower on a song below the tempo it was measured at; it is danced bigger
    # there, up to MAX_GAIN, so the body keeps its pace (k-pop on a 93 BPM rumba moved its
    # joints at 0.54 m/s; real dancers 0.6 and up).
    gain *= max(1.0, CANONICAL_BPM * frames_per_beat / (60.0 * CANONICAL_FPS))
    gain = np.minimum(gain, MAX_GAIN)
    joint_gain = np.ones(CANONICAL.n_joints)
    joint_gain[[CANONICAL.names.index(n) for n in TORSO_JOINTS]] = TORSO_SWAY
    joint_gain[[CANONICAL.names.index(n) for n in ARM_JOINTS]] = ARM_SWAY
    gain = gain[:, None]
    slow = _lowpass(rots, frames_per_beat / 2.0)
    joint_gain[_PELVIS] = PELVIS_TURN
    authored_pelvis = rots[:, _PELVIS].copy()
    rots = Q.slerp(slow, rots, gain * joint_gain[None, :])
    # The calmer hip turn is for the upper body: the thighs keep their authored world turn,
    # so planted feet do not swivel with the pelvis.
    undo = Q.multiply(Q.conjugate(rots[:, _PELVIS]), authored_pelvis)
    for hip in _HIPS:
        rots[:, hip] = Q.multiply(undo, rots[:, hip])
    slow_root = gaussian_filter1d(root, frames_per_beat / 2.0, axis=0, mode="nearest")
    root[:, 1] = slow_root[:, 1] + gain[:, 0] * (root[:, 1] - slow_root[:, 1])
    sway = root[:, [0, 2]] - slow_root[:, [0, 2]]
    root[:, [0, 2]] = slow_root[:, [0, 2]] + PELVIS_SWAY * sway
    sigma = 3.0 * params.smoothness
    if sigma > 0:
        rots = _lowpass(rots, sigma)
        root = gaussian_filter1d(root, sigma, axis=0, mode="nearest")
    dip = BOUNCE_DEPTH * params.bounce * 0.5 * (1.0 + np.cos(2.0 * np.pi * beat_position))
    return bend_knees(motion.with_(root_translation=root, local_rotations=rots), dip)


def bend_knees(motion: Motion, dip: Array) -> Motion:
    """Lower the pelvis by ``dip`` (T,) metres with the feet kept where they were: the legs are
    re-solved by IK, so the dip bends the knees instead of sinking the feet into the floor."""
    if not np.any(dip > 0.0):
        return motion
    pos, glob = forward_kinematics(motion)
    ankles = {s: pos[:, CANONICAL.index(f"ankle_{s}")] for s in "lr"}
    heading = {s: np.degrees(Q.yaw_of(glob[:, CANONICAL.index(f"ankle_{s}")])) for s in "lr"}
    height = {s: np.maximum(ankles[s][:, 1] - ANKLE_HEIGHT, 0.0) for s in "lr"}
    root = motion.root_translation.copy()
    root[:, 1] -= dip
    rots = solve_legs(root, motion.local_rotations, ankles, heading, height)
    return motion.with_(root_translation=root, local_rotations=rots)


LOCK_SPEED = 1.5
"""A foot on the floor slower than this (m/s) is locked in place. Authored feet never slide;
what does is a seam or the energy gain moving a planted foot, fast in double time, so the lock
catches faster slides than contact detection on real mocap would."""


def finish(motion: Motion) -> Motion:
    """Ground, lock the feet and clamp every joint to its limits."""
    grounded = ground(motion)
    return clamp_to_limits(foot_lock(grounded, foot_contacts(grounded, max_speed=LOCK_SPEED)))


def assemble_job(
    library: MoveLibrary,
    plan: Sequence[Placement],
    beat_times: Sequence[float],
    duration: float,
    params: GenerationParams,
    idle: tuple[int, int],
    use_model: bool = True,
    beat_warp: bool = True,
    counts_per_beat: int = 1,
    beat_energy: Sequence[float] = (),
    window: tuple[int, int] | None = None,
) -> Job[Motion]:
    """:func:`assemble` as a job: yields each step's progress before it runs, returns the Motion.

    Parameters
    ----------
    plan
        Placements tiling beats ``0 .. len(beat_times)`` in order.
    idle
        Library indices of the ``ready`` and ``finish_pose`` units (before and after).
    use_model
        In-between the seams with the neural model when it loads (else they are spread).
    beat_warp
        Put unit beats on music beats. ``False`` (a benchmark control) plays the moves on a
        steady grid at the song's median tempo from its first beat, with no easing into beats.
    counts_per_beat
        2 when ``beat_times`` are double-time counts (every second one a music beat), so the
        moves ease into the music's beats only.
    beat_energy
        The music's energy per count (see :func:`apply_sliders`).
    window
        Song frames ``[a, b)`` to produce (default: the whole song). A regenerated part needs
        only the frames around it; the moves are still chained over the whole plan, so the
        window's frames are those of the whole routine up to the grounding and foot locking,
        which see only the window.
    """
    n_frames = int(np.floor(duration * CANONICAL_FPS)) + 1
    if not beat_warp:
        period = float(np.median(np.diff(beat_times)))
        beat_times = list(beat_times[0] + period * np.arange(len(beat_times)))
    beat_pos = song_beat_position(np.arange(n_frames) / CANONICAL_FPS, beat_times)
    frames_per_beat = CANONICAL_FPS * float(np.median(np.diff(beat_times)))
    ready, finale = library.units[idle[0]], library.units[idle[1]]
    n_pre = -(-int(np.ceil(max(0.0, -beat_pos[0]))) // ready.n_beats)
    tail = max(0.0, beat_pos[-1] - plan[-1].beat - plan[-1].n_beats)
    n_post = -(-(int(np.ceil(tail)) + 1) // finale.n_beats)
    yield Progress(0, "Loading the transition model")
    model = load_inbetweener() if use_model else None
    yield Progress(20, "Chaining the moves")
    units = [idle[0]] * n_pre + [p.unit for p in plan] + [idle[1]] * n_post
    planned = {p.unit for p in plan}
    facings = [facing_of(u, params.seed) if u in planned else 0.0 for u in units]
    beats = [0] * n_pre + [p.beat for p in plan] + [plan[-1].beat] * n_post
    spot_beats = SPOT_BEATS if frames_per_beat <= SLOW_FRAMES_PER_BEAT else SPOT_BEATS // 2
    spots = [stage_spot(b, params.seed, spot_beats) for b in beats]
    root, rots = chain(library, units, model=model, facings=facings, spots=spots)
    yield Progress(40, "Aligning the moves to the beats")
    lo, hi = (0, n_frames) if window is None else (max(0, window[0]), min(n_frames, window[1]))
    raw = warp_to_song(
        root,
        rots,
        beat_times,
        n_pre * ready.n_beats * SAMPLES_PER_BEAT,
        hi - lo,
        start_frame=lo,
        accent_amount=BEAT_ACCENT if beat_warp else 0.0,
        accent_period=counts_per_beat,
    )
    yield Progress(60, "Applying energy, smoothness and bounce")
    styled = apply_sliders(raw, params, beat_pos[lo:hi], frames_per_beat, beat_energy)
    yield Progress(80, "Grounding and locking the feet")
    return finish(styled)


def assemble(
    library: MoveLibrary,
    plan: Sequence[Placement],
    beat_times: Sequence[float],
    duration: float,
    params: GenerationParams,
    idle: tuple[int, int],
) -> Motion:
    """The routine for the whole song at 30 fps from time 0 (see :func:`assemble_job`)."""
    return run_job(assemble_job(library, plan, beat_times, duration, params, idle))
