"""The scorecard on a generated routine and on real dance: its figures are the metrics' own,
its verdicts name what was broken, and repeated sections are checked for repeated moves."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from inference.assess.body_use import body_use
from inference.assess.motion_metrics import joint_positions
from inference.assess.scorecard import dance_metrics, tang_offset
from inference.assess.scorecard_card import (
    RULES,
    PartScore,
    Scorecard,
    analysis_without_song,
    scorecard_job,
    threshold,
    threshold_notes,
)
from inference.assess.scorecard_figures import frame_span, pose_signature, signature_distance
from inference.assess.scorecard_reference import SAME_MOVES_METRES, load_reference
from inference.audio import SongAnalysis, analyze_song
from inference.audio.sections import base_label
from inference.generate import GenerationParams, generate_routine_job
from inference.jobs import run_job
from inference.motion import Motion, ground
from inference.motion.formats import load_motion

TANG = "motion_music/tang2018/DANCE_C_2"


@pytest.fixture(scope="module")
def demo() -> tuple[SongAnalysis, Motion]:
    from inference.paths import DEMO_SONG

    analysis = analyze_song(DEMO_SONG)
    return analysis, run_job(generate_routine_job(analysis, GenerationParams())).motion


@pytest.fixture(scope="module")
def card(demo: tuple[SongAnalysis, Motion]) -> Scorecard:
    analysis, motion = demo
    return run_job(scorecard_job(motion, analysis, with_style=False))


def test_whole_routine_figures_are_the_metrics_own(
    card: Scorecard, demo: tuple[SongAnalysis, Motion]
) -> None:
    analysis, motion = demo
    metrics = dance_metrics(motion, analysis.grid.beats, analysis.parts)
    assert card.whole["bas"] == pytest.approx(metrics["bas"], abs=1e-4)
    assert card.whole["pfc"] == pytest.approx(metrics["pfc"], abs=1e-4)
    assert 100 * card.whole["foot_skating"] == pytest.approx(metrics["foot_skating"], abs=0.01)
    assert card.whole["div_k"] == pytest.approx(metrics["div_k"], rel=1e-3)
    assert math.isfinite(card.whole["fid_k"]) and math.isfinite(card.whole["fid_g"])
    assert -1.0 <= card.whole["energy_corr"] <= 1.0


def test_each_part_is_measured_on_its_own_frames(
    card: Scorecard, demo: tuple[SongAnalysis, Motion]
) -> None:
    analysis, motion = demo
    assert [p.index for p in card.parts] == [p.index for p in analysis.parts]
    pos = joint_positions(ground(motion))
    part = card.parts[5]
    a, b = frame_span(part.start, part.end, motion.n_frames)
    expected = body_use(pos[a:b], 30.0)
    assert part.figures["knee_p90"] == pytest.approx(expected.knee_p90)
    assert part.figures["wrists_up"] == pytest.approx(expected.wrists_up)
    assert len(part.counts) == analysis.parts[5].n_beats
    # Div_k decomposes: the whole is the mean of the parts' mean distances to the others.
    rows = [p.figures["div_k"] for p in card.parts if math.isfinite(p.figures["div_k"])]
    assert np.mean(rows) == pytest.approx(card.whole["div_k"], rel=1e-9)


def test_repeated_sections_repeat_their_moves(card: Scorecard) -> None:
    """The planner repeats the choreography of a repeated section: the scorecard sees it."""
    repeats = [p for p in card.parts if p.repeat_of is not None]
    assert repeats, "the demo song has a repeated chorus"
    for p in repeats:
        assert base_label(p.section) == base_label(card.parts[p.repeat_of - 1].section)
    kept = [p.figures["repeat_distance"] < SAME_MOVES_METRES for p in repeats]
    assert np.mean(kept) == pytest.approx(card.whole["repeats_kept"])
    assert card.whole["repeats_kept"] >= 0.5


def _frozen_part(motion: Motion, a: int, b: int) -> Motion:
    """``motion`` holding frame ``a``'s pose over frames a..b: a part that does not dance."""
    roots, rotations = np.array(motion.root_translation), np.array(motion.local_rotations)
    roots[a:b], rotations[a:b] = roots[a], rotations[a]
    return motion.with_(root_translation=roots, local_rotations=rotations)


def test_verdict_names_what_a_frozen_part_breaks(demo: tuple[SongAnalysis, Motion]) -> None:
    analysis, motion = demo
    part = analysis.parts[6]
    a, b = frame_span(part.start, part.end, motion.n_frames)
    card = run_job(scorecard_job(_frozen_part(motion, a, b), analysis, with_style=False))
    verdict = card.parts[6].verdict
    assert verdict.startswith(f"Part {part.index}: off-beat on counts 1–")
    for phrase in ("holds one pose", "barely moves", "little footwork", "little armwork"):
        assert phrase in verdict
    untouched = run_job(scorecard_job(motion, analysis, with_style=False)).parts[6].verdict
    assert "holds one pose" not in untouched and "off-beat" not in untouched


def test_a_changed_repeat_is_called_out(demo: tuple[SongAnalysis, Motion]) -> None:
    """A chorus-2 part danced with other moves than its chorus twin: 'does not repeat'."""
    analysis, motion = demo
    card = run_job(scorecard_job(motion, analysis, with_style=False))
    twin = next(p for p in card.parts if p.repeat_of is not None and p.figures["bas"] > 0)
    a, b = frame_span(twin.start, twin.end, motion.n_frames)
    # The bridge part danced least like the twin's first occurrence stands in: a generated
    # routine may reuse a chorus move in its bridge, and a copy of that would still repeat.
    positions = joint_positions(motion)
    first = card.parts[twin.repeat_of - 1]
    chorus = pose_signature(positions, *frame_span(first.start, first.end, motion.n_frames))

    def unlike(p: PartScore) -> float:
        c, _ = frame_span(p.start, p.end, motion.n_frames)
        return signature_distance(chorus, pose_signature(positions, c, c + b - a))

    source = max((p for p in card.parts if p.section.startswith("Bridge")), key=unlike)
    c, _ = frame_span(source.start, source.end, motion.n_frames)
    roots, rotations = np.array(motion.root_translation), np.array(motion.local_rotations)
    roots[a:b], rotations[a:b] = roots[c : c + b - a], rotations[c : c + b - a]
    changed = motion.with_(root_translation=roots, local_rotations=rotations)
    after = run_job(scorecard_job(changed, analysis, with_style=False))
    verdict = after.parts[twin.index - 1].verdict
    assert f"does not repeat Part {twin.repeat_of} (the music does)" in verdict
    assert f"does not repeat Part {twin.repeat_of}" not in twin.verdict


def test_parts_without_clips_read_no_dance(demo: tuple[SongAnalysis, Motion]) -> None:
    analysis, motion = demo
    covered = [(analysis.parts[2].start, analysis.duration)]
    card = run_job(scorecard_job(motion, analysis, danced_spans=covered, with_style=False))
    assert card.parts[0].verdict == "Part 1: no dance here"
    assert not card.parts[1].danced and card.parts[2].danced
    assert all(math.isnan(v) for v in card.parts[0].figures.values())


def test_threshold_notes_state_the_real_numbers() -> None:
    reference = load_reference()
    notes = threshold_notes(reference)
    feet = next(n for n in notes if n.startswith("“feet slide”"))
    slide = threshold(reference, next(r for r in RULES if r.phrase == "feet slide"))
    assert f"{100 * slide:.2f} %" in feet and "p90 of real pop and street dance" in feet
    assert any("0.13 m" in n for n in notes)


def test_real_tang_dance_is_scored_on_its_song(shared_data: Path) -> None:
    """Ground truth in the same code: a real dance on its own music, offset by its start."""
    path = shared_data / TANG / "skeletons.json"
    motion = load_motion(path)
    analysis = analyze_song(shared_data / TANG / "audio.mp3")
    offset = tang_offset(path)
    card = run_job(scorecard_job(motion, analysis, with_style=False, offset=offset))
    metrics = dance_metrics(motion, analysis.grid.beats, analysis.parts, offset)
    assert card.whole["bas"] == pytest.approx(metrics["bas"], abs=1e-4)
    before = [p for p in card.parts if p.end <= offset]
    assert before and all(not p.danced for p in before)
    reference = load_reference()
    low, high = reference.part("bas", "ballroom").p10, reference.part("bas", "ballroom").p90
    inside = [low <= p.figures["bas"] <= high for p in card.parts if p.danced]
    assert np.mean(inside) > 0.5  # a real dance sits mostly inside the real range


def test_a_dance_without_a_song_is_cut_into_parts(shared_data: Path) -> None:
    motion = load_motion(shared_data / "motion/mixamo/Hip_Hop_Dancing.fbx")
    analysis = analysis_without_song(motion.duration)
    card = run_job(scorecard_job(motion, analysis, with_style=False))
    assert len(card.parts) == 2 and card.parts[0].end == pytest.approx(4.0)
    assert math.isnan(card.whole["bas"]) and math.isnan(card.whole["energy_corr"])
    assert math.isfinite(card.parts[0].figures["speed"])
    doc = card.to_json()
    assert doc["parts"][0]["figures"]["bas"] is None and doc["style"] is None
