"""Choreographic rules: phrases end on count 8, hooks on the chorus, repeats reuse moves,
style and prompt change the result."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from inference.assess.body_use import body_use
from inference.audio import Section, SongAnalysis
from inference.generate import GenerationParams, RoutineResult, generate_routine_job, load_library
from inference.generate.params import STYLE_MEMBERS
from inference.jobs import run_job

Make = Callable[..., RoutineResult]


def test_units_tile_the_beats_and_never_cross_a_part(
    routine: Make, demo_analysis: SongAnalysis
) -> None:
    plan = routine().plan
    assert plan[0].beat == 0
    for a, b in itertools.pairwise(plan):
        assert a.beat + a.n_beats == b.beat
    assert plan[-1].beat + plan[-1].n_beats == len(demo_analysis.grid.beats)
    starts = {p.first_beat for p in demo_analysis.parts}
    for p in demo_analysis.parts:
        inside = [q for q in plan if p.first_beat <= q.beat < p.first_beat + p.n_beats]
        assert inside[0].beat in starts  # a part opens with a new unit ...
        assert inside[-1].beat + inside[-1].n_beats == p.first_beat + p.n_beats  # ... ends on 8


def _with_sections(analysis: SongAnalysis) -> SongAnalysis:
    parts = analysis.parts
    labels = [("Verse", 1, 3), ("Chorus", 4, 3), ("Verse 2", 7, 3), ("Chorus 2", 10, 3)]
    sections = tuple(
        Section(label, parts[first - 1].start, parts[first + n - 2].end, first, n)
        for label, first, n in labels
    )
    return replace(analysis, sections=sections)


def _part_units(result: RoutineResult, index: int) -> tuple[str, ...]:
    return next(p.units for p in result.parts if p.index == index)


def test_repeated_sections_reuse_their_choreography(demo_analysis: SongAnalysis) -> None:
    song = _with_sections(demo_analysis)
    strict = run_job(generate_routine_job(song, GenerationParams(creativity=0.0)))
    loose = run_job(generate_routine_job(song, GenerationParams(creativity=1.0)))

    def repeats(r: RoutineResult) -> int:
        pairs = [(1, 7), (2, 8), (3, 9), (4, 10), (5, 11), (6, 12)]
        return sum(_part_units(r, a) == _part_units(r, b) for a, b in pairs)

    assert repeats(strict) == 6
    assert repeats(loose) < repeats(strict)
    library = load_library()
    for part in (4, 10):  # each chorus opens with the hook
        first = _part_units(strict, part)[0]
        assert "hook" in library.units[library.index(first)].labels


def test_a_chorus_opens_with_the_styles_own_hook(demo_analysis: SongAnalysis) -> None:
    """Pop's chorus opens with pop's hook; ballad has none, so its chorus gets no other style's
    (it used to open with the hip-hop hook, exactly as k-pop's did)."""
    song = _with_sections(demo_analysis)
    library = load_library()
    for style in ("pop", "girl-crush", "ballad"):
        routine = run_job(generate_routine_job(song, GenerationParams(style=style)))
        for part in (4, 10):
            first = library.units[library.index(_part_units(routine, part)[0])]
            if style == "ballad":
                assert "hook" not in first.labels, first.name
            else:
                assert "hook" in first.labels and first.style == style, (style, first.name)


def test_style_picks_the_library_part(routine: Make) -> None:
    library = load_library()
    for style in ("salsa", "k-pop", "hip-hop", "modern"):
        members = STYLE_MEMBERS.get(style, (style,))
        styles = [library.units[p.unit].style for p in routine(style=style).plan]
        assert sum(s in members for s in styles) > 0.8 * len(styles), (style, styles)


def test_prompt_changes_the_routine_measurably(routine: Make) -> None:
    library = load_library()
    plain, waves = routine(), routine(prompt="smooth flowing arm waves")
    assert plain.unit_names != waves.unit_names

    def wavy(r: RoutineResult) -> int:
        return sum("wave" in library.units[p.unit].labels for p in r.plan)

    assert wavy(waves) > wavy(plain)


def test_the_prompt_moves_the_body_the_way_it_says(routine: Make) -> None:
    """Footwork works the legs, arm words the arms, ballad and gentle slow the body (#8)."""
    plain = body_use(routine().motion)
    footwork = body_use(routine(prompt="hip-hop footwork").motion)
    assert footwork.leg_speed > plain.leg_speed and footwork.knee_p90 > plain.knee_p90
    for word in ("arms", "waves"):
        arms = body_use(routine(prompt=word).motion)
        assert arms.arm_speed > plain.arm_speed and arms.wrists_up > plain.wrists_up, word
    # Hits are strikes: faster arms, not necessarily raised ones.
    assert body_use(routine(prompt="hits").motion).arm_speed > 1.1 * plain.arm_speed
    for word in ("ballad", "gentle"):
        assert body_use(routine(prompt=word).motion).speed < 0.9 * plain.speed, word


def test_a_ballad_is_danced_softer_than_the_other_k_pop_styles(routine: Make) -> None:
    """The ballad style picks calmer, smoother moves (STYLE_FEEL): with only its own few moves,
    it borrowed the busiest salsa and modern phrases and moved faster than k-pop."""
    ballad = body_use(routine(style="ballad").motion).speed
    for style in ("k-pop", "pop", "girl-crush"):
        assert ballad < 0.95 * body_use(routine(style=style).motion).speed, style
