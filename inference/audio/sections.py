"""Song sections (Intro, Verse, Chorus, ...) from self-similarity, snapped to part boundaries.

1. Each beat is described by its chroma (harmony) and MFCC (timbre).
2. A checkerboard kernel, one part wide on each side, slides along the diagonal of the beat
   self-similarity matrix (Foote's novelty); peaks mark where the music changes character.
3. Boundaries may only fall on part starts (a choreographer's sections are whole 8-counts); the
   strongest part starts win, at least :data:`MIN_SECTION_PARTS` parts apart.
4. Segments are clustered by their mean features (average linkage, cosine distance), so repeats
   share a label: the loudest repeated cluster is "Chorus", other repeated clusters "Verse",
   "Pre-Chorus", ...; an unrepeated first or last segment is "Intro" or "Outro", other unrepeated
   ones "Bridge" or "Break". Repeats are numbered: "Chorus", "Chorus 2", "Chorus 3".
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from inference.audio.grid import BeatGrid, Part
from inference.audio.meter import BeatFeatures

MIN_SECTION_PARTS = 2
"""Shortest section, in parts (16 beats in 4/4: about 8 s at 120 BPM)."""

SECONDS_PER_SECTION = 15.0
"""Upper bound on section count: about one per 15 s of song (the novelty threshold decides)."""

CLUSTER_DISTANCE = 0.5
"""Cosine distance (of segment features z-scored across the song's segments) under which two
segments count as the same section."""

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


def _beat_vectors(bf: BeatFeatures) -> _F64:
    chroma = bf.chroma / (np.linalg.norm(bf.chroma, axis=1, keepdims=True) + 1e-9)
    mfcc = bf.mfcc[:, 1:]  # c0 is loudness, already in the energy curve; sections are timbre
    mfcc = (mfcc - mfcc.mean(axis=0)) / (mfcc.std(axis=0) + 1e-9)
    mfcc = mfcc / np.sqrt(mfcc.shape[1])
    out: _F64 = np.hstack([chroma, mfcc])
    return out


def novelty(vectors: _F64, half_width: int) -> _F64:
    """Foote novelty of each beat: a Gaussian-tapered checkerboard kernel on the cosine SSM."""
    n = vectors.shape[0]
    v = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)
    ssm = v @ v.T
    k = np.arange(-half_width, half_width)
    taper = np.exp(-0.5 * ((k + 0.5) / (0.5 * half_width)) ** 2)
    sign = np.where(k < 0, -1.0, 1.0)
    kernel = np.outer(sign * taper, sign * taper)
    padded = np.pad(ssm, half_width, mode="edge")
    out = np.zeros(n)
    for i in range(n):
        block = padded[i : i + 2 * half_width, i : i + 2 * half_width]
        out[i] = float(np.sum(block * kernel))
    # Within half a kernel of either end the padding invents contrast; no boundary lives there.
    out[:half_width] = 0.0
    out[max(0, n - half_width) :] = 0.0
    return np.maximum(out, 0.0)


def _pick_boundaries(nov: _F64, part_starts: Sequence[int], max_sections: int) -> list[int]:
    """Indices into ``part_starts`` (excluding 0) of the chosen section starts."""
    if len(part_starts) <= MIN_SECTION_PARTS:
        return []
    # A part start scores the strongest novelty within half a part of it: the music may change
    # a beat early or late (a pickup, a fill), and the boundary still snaps to the part.
    per = max(2, int(np.median(np.diff(part_starts)))) if len(part_starts) > 1 else 8
    half = per // 2
    scores = np.array([nov[max(0, s - half) : s + half + 1].max() for s in part_starts])
    threshold = float(np.mean(scores) + 0.5 * np.std(scores))
    chosen: list[int] = []
    for j in np.argsort(-scores):
        j = int(j)
        if len(chosen) >= max_sections - 1 or scores[j] < threshold:
            break
        if j < MIN_SECTION_PARTS or len(part_starts) - j < MIN_SECTION_PARTS:
            continue
        if all(abs(j - c) >= MIN_SECTION_PARTS for c in chosen):
            chosen.append(j)
    return sorted(chosen)


def _label(segment_vecs: _F64, segment_energy: _F64) -> list[str]:
    n = segment_vecs.shape[0]
    if n == 1:
        return ["Song"]
    # z-score across segments: raw chroma means are all positive and alike, so only the
    # differences between segments carry the information.
    v = (segment_vecs - segment_vecs.mean(axis=0)) / (segment_vecs.std(axis=0) + 1e-9)
    # Lazily: keeps scipy.cluster out of the studio's start-up.
    from scipy.cluster.hierarchy import fcluster, linkage

    z = linkage(v, method="average", metric="cosine")
    cluster = fcluster(z, t=CLUSTER_DISTANCE, criterion="distance")
    members: dict[int, list[int]] = {}
    for i, c in enumerate(cluster):
        members.setdefault(int(c), []).append(i)
    repeated = [c for c in members if len(members[c]) > 1]
    base: dict[int, str] = {}
    if repeated:
        chorus = max(repeated, key=lambda c: float(np.mean(segment_energy[members[c]])))
        base[chorus] = "Chorus"
        others = sorted((c for c in repeated if c != chorus), key=lambda c: members[c][0])
        for name, c in zip(_REPEATED_NAMES, others, strict=False):
            base[c] = name
    labels: list[str] = []
    seen: dict[str, int] = {}
    unique_used = 0
    for i, c in enumerate(cluster):
        c = int(c)
        if c in base:
            name = base[c]
        elif i == 0:
            name = "Intro"
        elif i == n - 1:
            name = "Outro"
        else:
            # Each unrepeated section gets a name of its own: reusing one ("Break 2") would
            # claim a repeat that is not there, and merge with a neighbour of that name.
            name = _unique_name(unique_used)
            unique_used += 1
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} {seen[name]}")
    return labels


def _unique_name(k: int) -> str:
    """The name of the ``k``-th unrepeated middle section: Bridge, Break, ..., then letters."""
    if k < len(_UNIQUE_NAMES):
        return _UNIQUE_NAMES[k]
    return f"Section {chr(ord('F') + k - len(_UNIQUE_NAMES))}"


def _base(label: str) -> str:
    head, _, tail = label.rpartition(" ")
    return head if head and tail.isdigit() else label


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
    vectors = _beat_vectors(bf)
    half = max(2, parts[0].n_beats)
    nov = novelty(vectors, half)
    starts = [p.first_beat for p in parts]
    max_sections = max(1, int(grid.duration // SECONDS_PER_SECTION) + 1)
    chosen = _pick_boundaries(nov, starts, max_sections)
    # Part indices where each section begins; the first section also holds the pickup beats.
    seg_parts = [0, *chosen]
    bounds_beats = [0, *(starts[j] for j in chosen), len(grid.beats)]
    e = np.asarray(energy, dtype=np.float64)
    seg_vecs = np.array([vectors[a:b].mean(axis=0) for a, b in itertools.pairwise(bounds_beats)])
    seg_energy = np.array(
        [e[a:b].mean() if b > a else 0.0 for a, b in itertools.pairwise(bounds_beats)]
    )
    labels = _label(seg_vecs, seg_energy)
    # Neighbouring segments that clustered together are one section, not "Verse, Verse 2".
    keep = [k for k in range(len(labels)) if k == 0 or _base(labels[k]) != _base(labels[k - 1])]
    seg_parts = [seg_parts[k] for k in keep]
    labels = _renumber([_base(labels[k]) for k in keep])
    sections: list[Section] = []
    for k, (label, p0) in enumerate(zip(labels, seg_parts, strict=True)):
        start = 0.0 if k == 0 else parts[p0].start
        p1 = seg_parts[k + 1] if k + 1 < len(seg_parts) else len(parts)
        end = parts[p1].start if p1 < len(parts) else grid.duration
        first = parts[p0].index if k > 0 or grid.beats[0] >= parts[0].start else 0
        sections.append(Section(label, start, end, first, p1 - p0))
    return tuple(sections)
