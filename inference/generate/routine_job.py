"""The generator job: plan, assemble, and (for edits) splice, yielding progress between steps.

>>> result = run_job(generate_routine_job(analysis, GenerationParams(seed=3)))
>>> again = run_job(generate_routine_job(analysis, params, previous=result,
...                                      regenerate_range=(part.start, part.end),
...                                      locked=[(0.0, 10.0)]))
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from inference.audio import SongAnalysis
from inference.generate.assembly import assemble_job
from inference.generate.counting import dance_counts
from inference.generate.inbetween import load_inbetweener
from inference.generate.library import MoveLibrary, load_library
from inference.generate.params import GenerationParams
from inference.generate.planner import Placement, Planner, phrases
from inference.generate.splice import splice
from inference.jobs import Job, Progress, rescaled
from inference.motion.motion import CANONICAL_FPS, Motion

PLAN_CHUNK_PARTS = 2
"""Parts planned per step between two progress reports (keeps each step well under 0.2 s)."""


@dataclass(frozen=True)
class PartSummary:
    """One 8-count part of the routine: its times and the units danced in it."""

    index: int
    start: float
    end: float
    units: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class RoutineResult:
    """A generated routine.

    Attributes
    ----------
    motion
        The whole song at 30 fps, frame 0 at audio time 0.
    plan
        Every placed unit (beats and library index), in order.
    unit_names
        The name of each placed unit (parallel to ``plan``).
    parts
        Per part: index, start, end (seconds) and unit names.
    params
        The request it answers.
    variant
        0 for a fresh routine, +1 for every regeneration built on it.
    device
        Where compute ran (``"cpu"``, or ``"cuda"`` for the neural in-betweener).
    seconds
        Wall time of the job.
    timings
        Seconds per step (``plan``, ``assemble``, ...).
    """

    motion: Motion
    plan: tuple[Placement, ...]
    unit_names: tuple[str, ...]
    parts: tuple[PartSummary, ...]
    params: GenerationParams
    variant: int = 0
    device: str = "cpu"
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def _beat_time(analysis: SongAnalysis, beat: int) -> float:
    """Time of beat ``beat`` (may be one past the last beat: extrapolated)."""
    b = analysis.grid.beats
    if beat < len(b):
        return float(b[beat])
    return float(b[-1] + (beat - len(b) + 1) * (b[-1] - b[-2]))


def _overlaps(span: tuple[float, float], ranges: Sequence[tuple[float, float]]) -> bool:
    return any(span[0] < hi and lo < span[1] for lo, hi in ranges)


def _summaries(
    analysis: SongAnalysis, plan: Sequence[Placement], names: Sequence[str]
) -> tuple[PartSummary, ...]:
    out = []
    for part in analysis.parts:
        inside = tuple(
            n
            for p, n in zip(plan, names, strict=True)
            if part.first_beat <= p.beat < part.first_beat + part.n_beats
        )
        out.append(PartSummary(part.index, part.start, part.end, inside))
    return tuple(out)


def _plan_full(planner: Planner, analysis: SongAnalysis) -> Job[list[Placement]]:
    plan: list[Placement] = []
    spans = phrases(analysis)
    for k in range(0, len(spans), PLAN_CHUNK_PARTS):
        chunk = spans[k : k + PLAN_CHUNK_PARTS]
        start, end = chunk[0][0], chunk[-1][0] + chunk[-1][1]
        plan.extend(planner.plan(start, end, before=plan[-1] if plan else None, fixed=plan))
        yield Progress(
            10 + int(50 * (k + len(chunk)) / len(spans)), f"Planning counts {start + 1}-{end}"
        )
    return plan


def _replan(
    planner: Planner, analysis: SongAnalysis, previous: RoutineResult,
    regenerate: tuple[float, float], locked: Sequence[tuple[float, float]],
) -> Job[tuple[list[Placement], list[tuple[float, float]]]]:  # fmt: skip
    """Re-plan the placements inside ``regenerate`` and outside every locked range."""
    old = list(previous.plan)
    spans = [(_beat_time(analysis, p.beat), _beat_time(analysis, p.beat + p.n_beats)) for p in old]
    free = [_overlaps(s, [regenerate]) and not _overlaps(s, locked) for s in spans]
    plan: list[Placement] = []
    changed: list[tuple[float, float]] = []
    i = 0
    while i < len(old):
        if not free[i]:
            plan.append(old[i])
            i += 1
            continue
        j = i
        while j < len(old) and free[j]:
            j += 1
        start, end = old[i].beat, old[j - 1].beat + old[j - 1].n_beats
        kept = old[:i] + old[j:]
        plan.extend(planner.plan(start, end, before=old[i - 1] if i else None,
                                 after=old[j] if j < len(old) else None, fixed=kept,
                                 salt=previous.variant + 1))  # fmt: skip
        changed.append((spans[i][0], spans[j - 1][1]))
        yield Progress(50, f"Re-planned counts {start + 1}-{end}")
        i = j
    return plan, changed


WINDOW_MARGIN_S = 4.0
"""Seconds assembled on each side of a regenerated stretch: more than the widest smoothing (the
energy swell's two beats at 2 sigma). The spliced frames then match a whole-song assembly to
within 1.5 cm (grounding and foot locking see only the window), at a fraction of the cost."""


def _window(changed: Sequence[tuple[float, float]]) -> tuple[int, int]:
    """Song frames to assemble for a regeneration of the ``changed`` time ranges."""
    lo = min(a for a, _ in changed) - WINDOW_MARGIN_S
    hi = max(b for _, b in changed) + WINDOW_MARGIN_S
    return int(np.floor(max(lo, 0.0) * CANONICAL_FPS)), int(np.ceil(hi * CANONICAL_FPS)) + 1


def _pad(previous: Motion, window: Motion, frames: tuple[int, int]) -> Motion:
    """``previous`` with the assembled window's frames in place (the rest is never spliced)."""
    lo = frames[0]
    hi = lo + window.n_frames
    root = previous.root_translation.copy()
    rots = previous.local_rotations.copy()
    root[lo:hi], rots[lo:hi] = window.root_translation, window.local_rotations
    return previous.with_(root_translation=root, local_rotations=rots)


def _idle_units(library: MoveLibrary) -> tuple[int, int]:
    return library.index("ready"), library.index("finish_pose")


def generate_routine_job(
    analysis: SongAnalysis,
    params: GenerationParams,
    *,
    previous: RoutineResult | None = None,
    locked: Sequence[tuple[float, float]] = (),
    regenerate_range: tuple[float, float] | None = None,
    library: MoveLibrary | None = None,
    beat_warp: bool = True,
) -> Job[RoutineResult]:
    """Generate a routine for ``analysis``, or regenerate a time range of ``previous``.

    Parameters
    ----------
    analysis
        The song (beats, parts, sections, energy).
    params
        Sliders, style, prompt and seed.
    previous
        The routine to edit; required with ``regenerate_range``.
    locked
        (start, end) seconds ranges whose frames must not change (only with ``previous``).
    regenerate_range
        (start, end) seconds: re-plan the units overlapping it (e.g. one part's start and end).
        Frames outside it, and inside locked ranges, stay exactly as in ``previous``.
    library
        The move library (default: the shipped one, plus nothing).
    beat_warp
        Align the moves' beats to the music's (the product always does). ``False`` is the
        benchmarks' control: the moves play at the song's median tempo from its first beat,
        which shows how much of BAS the warp builds in.

    Yields
    ------
    Progress
        At least every ~0.2 s of work; the driver may stop between any two.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    counted = dance_counts(analysis)
    counts_per_beat = 2 if counted is not analysis else 1
    analysis = counted
    if len(analysis.grid.beats) < 2:
        raise ValueError("the song needs at least two beats to dance to")
    if regenerate_range is not None and previous is None:
        raise ValueError("regenerate_range needs the previous routine")
    yield Progress(0, "Loading the move library")
    library = library or load_library()
    planner = Planner(analysis, library, params)
    yield Progress(8, "Planning the routine")
    clock = time.perf_counter()
    changed: list[tuple[float, float]] = []
    if previous is not None and regenerate_range is not None:
        plan, changed = yield from _replan(planner, analysis, previous, regenerate_range, locked)
    else:
        plan = yield from _plan_full(planner, analysis)
    timings["plan"] = time.perf_counter() - clock
    yield Progress(60, "Assembling and aligning to the beats")
    clock = time.perf_counter()
    regenerating = previous is not None and regenerate_range is not None
    window = _window(changed) if regenerating and changed else None
    assembly = assemble_job(
        library,
        plan,
        analysis.grid.beats,
        analysis.duration,
        params,
        _idle_units(library),
        beat_warp=beat_warp,
        counts_per_beat=counts_per_beat,
        beat_energy=planner.music_energy.tolist(),
        window=window,
    )
    motion = yield from rescaled(assembly, 60, 95)
    timings["assemble"] = time.perf_counter() - clock
    if previous is not None and regenerate_range is not None:
        yield Progress(90, "Splicing the new part in")
        if window is not None:
            motion = _pad(previous.motion, motion, window)
        t = np.arange(motion.n_frames) / CANONICAL_FPS
        mask = np.zeros(motion.n_frames, dtype=bool)
        for lo, hi in changed:
            mask |= (t >= lo) & (t < hi)
        for lo, hi in locked:
            mask &= ~((t >= lo) & (t < hi))
        # The in-betweener redraws the transitions into and out of the new part (and so around
        # locked clips); it was already loaded by the assembly, so this is a cache hit.
        motion = splice(previous.motion, motion, mask, load_inbetweener())
    names = tuple(library.units[p.unit].name for p in plan)
    inbetweener = load_inbetweener()
    device = inbetweener.device if inbetweener is not None else "cpu"
    yield Progress(100, "Routine ready")
    return RoutineResult(
        motion=motion, plan=tuple(plan), unit_names=names, parts=_summaries(analysis, plan, names),
        params=params, variant=0 if previous is None else previous.variant + 1, device=device,
        seconds=time.perf_counter() - started, timings=timings,
    )  # fmt: skip
