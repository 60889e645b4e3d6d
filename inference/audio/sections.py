"""Song sections (Intro, Verse, Chorus, ...) from repetition and change, on part boundaries.

A choreographer's sections are whole 8-count parts, so the part is the unit throughout.

1. Each beat is described by its chroma (harmony) and MFCC (timbre), each centred on the song's
   mean, so that what the whole song shares does not make every beat look alike.
2. Two parts are compared beat by beat (beat k of one with beat k of the other): a repeated
   passage scores near 1 all along, while music that only shares a key or a sound does not. A
   repeat shows up in this part-by-part matrix as a diagonal stripe.
3. A part start is a boundary where the music changes (Foote's novelty: a checkerboard kernel,
   one part wide on each side, on the beat self-similarity) and where repeats begin or end (the
   ends of the stripes). The strongest part starts above a threshold win, at least
   :data:`MIN_SECTION_PARTS` parts apart.
4. Segments are compared as parts were, at the best alignment of the shorter inside the longer,
   and clustered (average linkage), so repeats share a label. Neighbours that clustered together
   become one section.
5. Names: the repeated label heard most often (the louder on a tie) is "Chorus", other repeated
   labels "Verse", "Pre-Chorus", ...; an unrepeated first or last section is "Intro" or
   "Outro", other unrepeated ones "Bridge", "Break", ... Repeats are numbered: "Chorus 2".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from inference.audio.grid import BeatGrid, Part
from inference.audio.meter import BeatFeatures

MIN_SECTION_PARTS = 2
"""Shortest section, in parts (16 beats in 4/4: about 8 s at 120 BPM)."""

REPEAT_SIMILARITY = 0.6
"""Beat-by-beat similarity (cosine of the centred features, averaged over a part) from which two
parts count as the same music. Repeats in real songs measured 0.7-0.95, different sections of
one song mostly under 0.4."""

NOVELTY_PARTS = 1
"""Half-width of the novelty kernel, in parts."""

STRIPE_WEIGHT = 1.0
"""Weight of the repeat-ends evidence beside the novelty, each scaled to its largest value."""

BOUNDARY_THRESHOLD = 0.35
"""A part start is a boundary when its evidence exceeds this share of the strongest one."""

_REPEATED_NAMES = ("Verse", "Pre-Chorus", "Section C", "Section D", "Section E")
_UNIQUE_NAMES = ("Bridge", "Break", "Interlude", "Transition")

_F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Section:
    """A labelled section from ``start`` to ``end`` seconds, made of whole parts.

    ``first_part`` is the 1-based index of its first part (0 if it starts in the pickup) and
    ``n_parts`` the number of parts it spans.
    """

    label: str
    start: float
    end: float
    first_part: int
    n_parts: int


def _unit_rows(x: _F64) -> _F64:
    out: _F64 = x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-9)
    return out


def beat_vectors(bf: BeatFeatures) -> _F64:
    """One unit vector per beat: centred chroma and z-scored MFCC, weighted equally."""
    chroma = _unit_rows(bf.chroma)
    chroma = chroma - chroma.mean(axis=0)
    mfcc = bf.mfcc[:, 1:]  # c0 is loudness, already in the energy curve; sections are timbre
    mfcc = (mfcc - mfcc.mean(axis=0)) / (mfcc.std(axis=0) + 1e-9)
    return _unit_rows(np.hstack([_unit_rows(chroma), _unit_rows(mfcc)]))


def part_similarity(vectors: _F64, parts: Sequence[Part]) -> _F64:
    """Beat-by-beat similarity of every pair of parts, (P, P), over the beats both have."""
    n = max(p.n_beats for p in parts)
    stack = np.zeros((len(parts), n, vectors.shape[1]))
    have = np.zeros((len(parts), n))
    for i, p in enumerate(parts):
        k = max(0, min(p.n_beats, vectors.shape[0] - p.first_beat))
        stack[i, :k] = vectors[p.first_beat : p.first_beat + k]
        have[i, :k] = 1.0
    sim: _F64 = np.einsum("pkd,qkd->pq", stack, stack) / np.maximum(have @ have.T, 1.0)
    return sim


def novelty(vectors: _F64, half_width: int) -> _F64:
    """Foote novelty of each beat: a Gaussian-tapered checkerboard kernel on the cosine SSM."""
    n = vectors.shape[0]
    v = _unit_rows(vectors)
    ssm = v @ v.T
    k = np.arange(-half_width, half_width)
    taper = np.exp(-0.5 * ((k + 0.5) / (0.5 * half_width)) ** 2)
    sign = np.where(k < 0, -1.0, 1.0)
    kernel = np.outer(sign * taper, sign * taper)
    padded = np.pad(ssm, half_width, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (2 * half_width, 2 * half_width))
    idx = np.arange(n)
    out: _F64 = np.einsum("nij,ij->n", windows[idx, idx], kernel)
    # Within half a kernel of either end the padding invents contrast; no boundary lives there.
    out[:half_width] = 0.0
    out[max(0, n - half_width) :] = 0.0
    return np.maximum(out, 0.0)


def repeat_ends(sim: _F64) -> _F64:
    """For each part, how many repeats (diagonal stripes of ``sim``) begin or end at its start.

    A stripe must span at least two parts: one part that happens to resemble another is not a
    repeated passage.
    """
    p = sim.shape[0]
    same = sim >= REPEAT_SIMILARITY
    np.fill_diagonal(same, False)
    padded = np.pad(same, 1)
    same &= padded[:-2, :-2] | padded[2:, 2:]
    # Stepping along every diagonal from part i-1 to part i: a change is a stripe's end.
    before = np.pad(same, ((1, 0), (1, 0)))[:p, :p]
    ends: _F64 = np.sum(same != before, axis=1).astype(np.float64)
    ends[0] = 0.0
    return ends


def boundary_evidence(vectors: _F64, parts: Sequence[Part], sim: _F64) -> _F64:
    """Evidence for a section starting at each part (0 for the first), scaled to 0..~2."""
    nov = novelty(vectors, max(2, NOVELTY_PARTS * parts[0].n_beats))
    # The music may change a beat early or late (a pickup, a fill).
    at_part = np.array([nov[max(0, p.first_beat - 1) : p.first_beat + 2].max() for p in parts])
    ends = repeat_ends(sim)
    evidence: _F64 = at_part / (at_part.max() + 1e-9) + STRIPE_WEIGHT * ends / (ends.max() + 1e-9)
    evidence[0] = 0.0
    return evidence


def _pick_boundaries(evidence: _F64) -> list[int]:
    """Part indices (never 0) where sections start."""
    n = evidence.size
    if n < 2 * MIN_SECTION_PARTS:
        return []
    threshold = BOUNDARY_THRESHOLD * float(evidence.max())
    chosen: list[int] = []
    for j in np.argsort(-evidence, kind="stable"):
        j = int(j)
        if evidence[j] <= threshold:
            break
        if j < MIN_SECTION_PARTS or n - j < MIN_SECTION_PARTS:
            continue
        if all(abs(j - c) >= MIN_SECTION_PARTS for c in chosen):
            chosen.append(j)
    return sorted(chosen)


def segment_similarity(sim: _F64, bounds: Sequence[int]) -> _F64:
    """Similarity of segments ``bounds[k]:bounds[k+1]`` (parts), shorter slid inside longer."""
    spans = list(itertools.pairwise(bounds))
    k = len(spans)
    out = np.eye(k)
    for (i, (a0, a1)), (j, (b0, b1)) in itertools.combinations(enumerate(spans), 2):
        (s0, s1), (l0, l1) = sorted(((a0, a1), (b0, b1)), key=lambda s: s[1] - s[0])
        n = s1 - s0
        best = max(
            float(np.mean(sim[np.arange(s0, s1), np.arange(o, o + n)]))
            for o in range(l0, l1 - n + 1)
        )
        out[i, j] = out[j, i] = best
    return out


def _cluster(seg_sim: _F64) -> list[int]:
    """Cluster id per segment: average linkage, same cluster above the repeat similarity."""
    k = seg_sim.shape[0]
    if k == 1:
        return [0]
    # Lazily: keeps scipy.cluster out of the studio's start-up.
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = squareform(np.clip(1.0 - seg_sim, 0.0, 2.0), checks=False)
    z = linkage(dist, method="average")
    return [int(c) for c in fcluster(z, t=1.0 - REPEAT_SIMILARITY, criterion="distance")]


def _repeated(clusters: Sequence[int]) -> set[int]:
    """Clusters heard more than once; a first and last segment alike (an outro that brings back
    the intro) do not count as a repeat: they are still an intro and an outro."""
    members: dict[int, list[int]] = {}
    for i, c in enumerate(clusters):
        members.setdefault(c, []).append(i)
    last = len(clusters) - 1
    return {c for c, m in members.items() if len(m) > 1 and m != [0, last]}


def _merge_neighbours(bounds: list[int], clusters: list[int]) -> tuple[list[int], list[int]]:
    """Neighbouring segments of one cluster are one section, not "Verse, Verse 2"."""
    keep = [k for k in range(len(clusters)) if k == 0 or clusters[k] != clusters[k - 1]]
    return [bounds[k] for k in keep] + [bounds[-1]], [clusters[k] for k in keep]


def _join_unrepeated(clusters: Sequence[int]) -> list[int]:
    """Neighbouring segments heard only once join into one: what comes before the first repeated
    material is the intro, what comes after the last is the outro, and a stretch between repeats
    that never recurs is one bridge, not "Bridge, Break, Interlude". A song with no repeats at
    all keeps its segments: there, change is the only evidence of form."""
    out = list(clusters)
    repeated = _repeated(out)
    if not repeated:
        return out
    for i in range(1, len(out)):
        if out[i] not in repeated and out[i - 1] not in repeated:
            out[i] = out[i - 1]
    return out


def name_clusters(clusters: Sequence[int], energy: Sequence[float]) -> list[str]:
    """Names for segments in time order, from their cluster ids and mean energies.

    The repeated cluster with the most segments (the louder on a tie) is "Chorus"; other
    repeated clusters are "Verse", "Pre-Chorus", ... in order of first appearance. An
    unrepeated first or last segment is "Intro" or "Outro", and so are a first and last segment
    that only repeat each other; other unrepeated ones get a name each ("Bridge", "Break",
    ...), since a shared name would claim a repeat that is not there. Repeats are numbered:
    "Chorus", "Chorus 2".
    """
    n = len(clusters)
    if n == 1:
        return ["Song"]
    members: dict[int, list[int]] = {}
    for i, c in enumerate(clusters):
        members.setdefault(c, []).append(i)
    repeated = [c for c in members if c in _repeated(clusters)]
    base: dict[int, str] = {}
    if repeated:
        chorus = max(
            repeated,
            key=lambda c: (len(members[c]), float(np.mean([energy[i] for i in members[c]]))),
        )
        base[chorus] = "Chorus"
        others = sorted((c for c in repeated if c != chorus), key=lambda c: members[c][0])
        for name, c in zip(_REPEATED_NAMES, others, strict=False):
            base[c] = name
    names: list[str] = []
    unique_used = 0
    for i, c in enumerate(clusters):
        if c in base:
            names.append(base[c])
        elif i == 0:
            names.append("Intro")
        elif i == n - 1:
            names.append("Outro")
        else:
            names.append(_unique_name(unique_used))
            unique_used += 1
    return _renumber(names)


def _unique_name(k: int) -> str:
    """The name of the ``k``-th unrepeated middle section: Bridge, Break, ..., then letters."""
    if k < len(_UNIQUE_NAMES):
        return _UNIQUE_NAMES[k]
    return f"Section {chr(ord('F') + k - len(_UNIQUE_NAMES))}"


def base_label(label: str) -> str:
    """The label without its repeat number ("Chorus 2" -> "Chorus"): what repeats share."""
    return re.sub(r"\s+\d+$", "", label)


def _renumber(bases: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in bases:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} {seen[name]}")
    return out


def derive_sections(
    grid: BeatGrid, parts: Sequence[Part], bf: BeatFeatures, energy: Sequence[float]
) -> tuple[Section, ...]:
    """Label the song's sections; they tile 0..duration and start on part starts.

    Parameters
    ----------
    grid
        The beat grid (its beats are the rows of ``bf``).
    parts
        The grid's parts.
    bf
        Beat-synchronous features, one row per beat of ``grid``.
    energy
        Per-beat energy in 0..1.
    """
    if not grid.beats:
        return (Section("Song", 0.0, grid.duration, 0, 0),) if grid.duration > 0 else ()
    if not parts:
        return (Section("Song", 0.0, grid.duration, 0, 0),)
    vectors = beat_vectors(bf)
    sim = part_similarity(vectors, parts)
    bounds = [0, *_pick_boundaries(boundary_evidence(vectors, parts, sim)), len(parts)]
    bounds, clusters = _merge_neighbours(bounds, _cluster(segment_similarity(sim, bounds)))
    bounds, clusters = _merge_neighbours(bounds, _join_unrepeated(clusters))
    e = np.asarray(energy, dtype=np.float64)
    seg_energy = [
        float(e[parts[a].first_beat : parts[b - 1].first_beat + parts[b - 1].n_beats].mean())
        if e.size
        else 0.0
        for a, b in itertools.pairwise(bounds)
    ]
    labels = name_clusters(clusters, seg_energy)
    sections: list[Section] = []
    for k, (label, (p0, p1)) in enumerate(zip(labels, itertools.pairwise(bounds), strict=True)):
        start = 0.0 if k == 0 else parts[p0].start
        end = parts[p1].start if p1 < len(parts) else grid.duration
        first = parts[p0].index if k > 0 or grid.beats[0] >= parts[0].start else 0
        sections.append(Section(label, start, end, first, p1 - p0))
    return tuple(sections)
