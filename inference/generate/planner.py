"""The choreography planner: a unit for every count of the song, by beam search.

Cost of a unit placed on beats ``[t, t + n)`` after the previous unit:

* music fit: its energy tag against the target (music energy per beat, shifted by the energy
  slider), its smoothness and bounce tags against those sliders, a bonus for hits on accents;
* transition: pose, velocity and heading distance between the previous unit's end and its start;
* style, prompt (focus and labels), a cost per unit (longer units read as phrases);
* creativity: seeded noise, a penalty for reusing a move, and a weaker pull to repeat the
  choreography of an earlier occurrence of the same section.

Rules: units never cross a phrase (8-count part) boundary and sit on aligned counts (a 4-count
unit starts on count 1 or 5), so every phrase ends on its count 8; the first part of every
chorus (or of the loudest section when none repeats) opens with one of the style's hook moves,
when the style has any.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from inference.audio import SongAnalysis
from inference.audio.sections import base_label
from inference.generate.beat_time import CANONICAL_BPM
from inference.generate.dynamics import danced_energy
from inference.generate.library import MoveLibrary
from inference.generate.params import STYLE_FEEL, STYLE_MEMBERS, GenerationParams
from inference.generate.prompt import PromptBias, prompt_tags
from inference.generate.seams import SeamFeatures, seam_features
from inference.generate.tags import FOCUS_GROUPS

Array = NDArray[np.float64]

BEAM = 12
CANDIDATES = 24
HOOK_LABEL = "hook"
MUSIC_PULL = 1.0
"""How strongly the energy of the moves follows the music's energy (quiet parts get calm moves,
loud ones big moves); at the default energy slider a part of average loudness targets 0.5."""
ENERGY_REACH = 0.5
"""How far the energy slider moves the moves' energy target from the music's (0.25 either way
at the slider's ends). At 0.8 energy 0.9 aimed nearly every loud part at the library's most
violent phrases (the jumps and drops of CMU's modern dance in a pop routine: FID_k 66.7 against
37.8 here, with the mean joint speed still 0.97 m/s); energy 0.2 also looks more like real
dance at 0.5 (k-pop 23.8 against 25.0)."""
TEMPO_LIFT = 0.3
"""Raise of the energy target on a song 30 BPM or more below the moves' 120 BPM (at 0.15 the
slowest songs, rumbas at 93-95 BPM, were danced at 0.54-0.6 m/s against real dancers' 0.6 and
up; with the assembler's tempo gain and a spot per part, 0.63-0.69)."""
FOCUS_WEIGHT = 2.0
"""Cost of the unit that works the prompt's body part (arms, legs, torso) least in its style."""
_UNPLANNED = {"idle"}


@dataclass(frozen=True)
class Placement:
    """Unit ``unit`` (an index into the library's units) on song beats ``[beat, beat + n)``."""

    beat: int
    unit: int
    n_beats: int


@dataclass
class _Hyp:
    cost: float
    plan: list[Placement]
    uses: NDArray[np.int64]


@dataclass(frozen=True)
class _Extension:
    """A hypothesis extended by one placement, built into a :class:`_Hyp` only if it survives
    the beam (most candidates are pruned, and copying their plans was most of the search)."""

    cost: float
    parent: _Hyp
    placement: Placement
    move: int

    def build(self) -> _Hyp:
        uses = self.parent.uses.copy()
        uses[self.move] += 1
        return _Hyp(self.cost, [*self.parent.plan, self.placement], uses)


def phrases(analysis: SongAnalysis) -> list[tuple[int, int]]:
    """(first beat, number of beats) of the pickup (if any) and every part."""
    out: list[tuple[int, int]] = []
    first = analysis.parts[0].first_beat if analysis.parts else len(analysis.grid.beats)
    if first > 0:
        out.append((0, first))
    out.extend((p.first_beat, p.n_beats) for p in analysis.parts)
    return out


def section_reference(analysis: SongAnalysis) -> dict[int, int]:
    """Beat -> the same beat in the first occurrence of its section (for repeated sections)."""
    first_of: dict[str, tuple[int, int]] = {}
    ref: dict[int, int] = {}
    parts = {p.index: p for p in analysis.parts}
    for s in analysis.sections:
        if s.first_part not in parts:
            continue
        base = base_label(s.label)
        start = parts[s.first_part].first_beat
        if base not in first_of:
            first_of[base] = (start, s.n_parts)
            continue
        ref_start, ref_parts = first_of[base]
        n = min(s.n_parts, ref_parts) * max(p.n_beats for p in analysis.parts)
        for k in range(n):
            ref[start + k] = ref_start + k
    return ref


def hook_beats(analysis: SongAnalysis) -> set[int]:
    """First beats of the parts that open with a hook move (each chorus, or the loudest section)."""
    parts = {p.index: p for p in analysis.parts}
    chosen = [s for s in analysis.sections if base_label(s.label) == "Chorus"]
    if not chosen and analysis.sections and analysis.energy:
        e = np.asarray(analysis.energy)

        def loudness(s: object) -> float:
            beats = [i for i, b in enumerate(analysis.grid.beats) if s.start <= b < s.end]  # type: ignore[attr-defined]
            return float(e[beats].mean()) if beats else 0.0

        chosen = [max(analysis.sections, key=loudness)]
    return {
        parts[s.first_part].first_beat
        for s in chosen
        if s.first_part in parts and parts[s.first_part].n_beats >= 8
    }


class Planner:
    """Plans routines for one song, library and request (holds the precomputed costs)."""

    def __init__(self, analysis: SongAnalysis, library: MoveLibrary, params: GenerationParams):
        self.analysis = analysis
        self.library = library
        self.params = params
        self.bias: PromptBias = prompt_tags(params.prompt)
        self.seams: SeamFeatures = seam_features(library)
        units = library.units
        self.n_beats = np.array([u.n_beats for u in units])
        self.of_length = {n: np.flatnonzero(self.n_beats == n) for n in (1, 2, 4, 8)}
        self.tag = {t: np.array([u.tags[t] for u in units]) for t in units[0].tags}
        self.style = self.bias.style or self.params.style
        members = STYLE_MEMBERS.get(self.style, (self.style,))
        self.member = np.array([self.style == "mixed" or u.style in members for u in units])
        """The units of the routine's style (off-style ones cost more, but stay possible)."""
        self.is_hook = np.array([HOOK_LABEL in u.labels for u in units])
        """Hook moves: placed only where a chorus opens, never by the ordinary costs."""
        self.hook_units = self.is_hook & self.member & (self.n_beats == 8)
        """The style's own hook moves. A chorus of a style that has none (ballad, salsa) is
        planned like any part: it used to open with the hip-hop or girl-crush hook."""
        self.unary = self._static_costs()
        names = sorted({u.move for u in units})
        self.move_id = np.array([names.index(u.move) for u in units])
        self.move_of_length = {n: self.move_id[i] for n, i in self.of_length.items()}
        self.n_moves = len(names)
        self.music_energy = danced_energy(analysis)
        """How big each beat is danced (its section's loudness, contrast stretched)."""
        # Moves are measured at CANONICAL_BPM; on a slower song each plays slower, so livelier
        # ones keep the body moving at a dancer's pace.
        bpm = analysis.tempo_bpm or CANONICAL_BPM
        self.tempo_lift = TEMPO_LIFT * float(np.clip((CANONICAL_BPM - bpm) / 30.0, 0.0, 1.0))
        self.hooks = hook_beats(analysis)
        self.reference = section_reference(analysis)

    def _slider(self, name: str) -> float:
        value = getattr(self.params, name) + self.bias.nudges.get(name, 0.0)
        value += STYLE_FEEL.get(self.style, {}).get(name, 0.0)
        return float(np.clip(value, 0.0, 1.0))

    def _static_costs(self) -> Array:
        """Per-unit costs that do not depend on where the unit is placed."""
        units = self.library.units
        cost = 2.0 * (self._slider("smoothness") - self.tag["smoothness"]) ** 2
        cost += 2.0 * (self._slider("bounce") - self.tag["bounce"]) ** 2
        cost += np.where(self.member, 0.0, 1.5)
        if self.bias.focus in FOCUS_GROUPS:
            cost += FOCUS_WEIGHT * (1.0 - self._focus_rank(self.bias.focus, self.member))
        if self.bias.labels:
            cost -= np.array([0.4 * min(2, len(self.bias.labels & set(u.labels))) for u in units])
        cost += 0.35  # per unit: prefer phrases of longer units
        blocked = np.array([bool(_UNPLANNED & set(u.labels)) for u in units]) | self.is_hook
        return np.where(blocked, np.inf, cost)

    def _focus_rank(self, group: str, member: NDArray[np.bool_]) -> Array:
        """0..1: how much each unit works ``group`` of the body, ranked among the routine's own
        moves (``member``), so the busiest legs cost nothing for "legs" and the stillest
        FOCUS_WEIGHT.

        The units' own tags rank within each move family, where the leggiest of the slow
        conceptual moves ranks 1.0: a k-pop routine asked for "stomping" then chose
        slow-motion turns in its quiet sections.
        """
        work = np.array([getattr(u.raw, group) for u in self.library.units])
        ref = np.sort(work[member])
        return np.searchsorted(ref, work, side="right") / max(ref.size, 1)

    def _placement_costs(self, t: int, n: int, rng: np.random.Generator) -> Array:
        """Unary cost of every unit of length ``n`` placed at beat ``t`` (inf for others)."""
        e = self.music_energy[t : t + n].mean()
        target = np.clip(
            0.5
            + MUSIC_PULL * (e - 0.5)
            + ENERGY_REACH * (self._slider("energy") - 0.5)
            + self.tempo_lift,
            0.0,
            1.0,
        )
        cost = self.unary + 4.0 * (target - self.tag["energy"]) ** 2
        if t in self.hooks and self.hook_units.any():
            cost = np.where(self.hook_units & (n == 8), 0.0, np.inf)
        noise = rng.gumbel(size=cost.size) * (0.05 + 0.6 * self.params.creativity)
        return np.where(self.n_beats == n, cost + noise, np.inf)

    def plan(
        self,
        start: int = 0,
        end: int | None = None,
        before: Placement | None = None,
        after: Placement | None = None,
        fixed: list[Placement] | None = None,
        salt: int = 0,
    ) -> list[Placement]:
        """The best plan for beats ``[start, end)`` (phrase-aligned), given its neighbours.

        Parameters
        ----------
        before, after
            Units kept just before and after the range (for the transition cost).
        fixed
            Placements elsewhere in the song (for repeated sections and move reuse).
        salt
            Mixed into the seed, so a regeneration of the same range gives a new variant.
        """
        end = len(self.analysis.grid.beats) if end is None else end
        rng = np.random.default_rng([self.params.seed, salt, start])
        slots = _slots(phrases(self.analysis), start, end)
        known = {p.beat: p for p in (fixed or [])}
        uses = np.zeros(self.n_moves, dtype=np.int64)
        for p in fixed or []:
            uses[self.move_id[p.unit]] += 1
        root = _Hyp(0.0, [before] if before else [], uses)
        frontier: dict[int, list[_Extension]] = {}
        cache: dict[tuple[int, int], Array] = {}
        for t in range(start, end):
            hyps = [root] if t == start else _survivors(frontier.pop(t, []), BEAM)
            for n in slots.get(t, ()):
                if (t, n) not in cache:
                    cache[(t, n)] = self._placement_costs(t, n, rng)
                for h in hyps:
                    self._extend(h, t, n, cache[(t, n)], known, frontier)
        final = _survivors(frontier.get(end, []), None)
        if not final:
            raise RuntimeError(f"no plan covers beats {start}..{end}")
        if after is not None:
            for h in final:
                h.cost += float(self.seams.cost(h.plan[-1].unit, np.array([after.unit]))[0])
        best = min(final, key=lambda h: h.cost)
        return best.plan[1:] if before else best.plan

    def _extend(
        self, h: _Hyp, t: int, n: int, unary: Array, known: dict[int, Placement],
        frontier: dict[int, list[_Extension]],
    ) -> None:  # fmt: skip
        # Only units of length n can go here (the others cost inf): work on those alone.
        idx = self.of_length[n]
        cost = unary[idx]
        if h.plan:  # the seam costs are finite, so blocked units stay inf
            cost += self.seams.cost(h.plan[-1].unit, idx)
        cost += (0.25 * (0.3 + self.params.creativity)) * h.uses[self.move_of_length[n]]
        ref = self.reference.get(t)
        if ref is not None:
            earlier = next((p for p in h.plan if p.beat == ref), known.get(ref))
            if earlier is not None and earlier.n_beats == n:
                cost[np.searchsorted(idx, earlier.unit)] -= (
                    3.0 * (1.0 - self.params.creativity) + 0.2
                )
        k = min(CANDIDATES, cost.size)
        top = np.argpartition(cost, k - 1)[:k]
        for j in top[np.argsort(cost[top], kind="stable")]:
            if not np.isfinite(cost[j]):
                break
            i = int(idx[j])
            frontier.setdefault(t + n, []).append(
                _Extension(h.cost + float(cost[j]), h, Placement(t, i, n), int(self.move_id[i]))
            )


def _survivors(extensions: list[_Extension], beam: int | None) -> list[_Hyp]:
    """The ``beam`` cheapest extensions (all for ``None``) as hypotheses; ties keep their order."""
    kept = sorted(extensions, key=lambda e: e.cost)
    return [e.build() for e in (kept if beam is None else kept[:beam])]


def _slots(phrase_list: list[tuple[int, int]], start: int, end: int) -> dict[int, tuple[int, ...]]:
    """Allowed unit lengths at each beat: aligned within the phrase, never crossing its end."""
    out: dict[int, tuple[int, ...]] = {}
    for first, length in phrase_list:
        for p in range(length):
            t = first + p
            if start <= t < end:
                out[t] = tuple(
                    n for n in (8, 4, 2, 1) if p % n == 0 and p + n <= length and t + n <= end
                )
    return out
