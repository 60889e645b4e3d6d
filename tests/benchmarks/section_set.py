"""Songs of known form, assembled from real recordings, for scoring section analysis.

Each assembled song takes one real song from ``../shared/data`` and lays whole 8-count parts of
it end to end in a written form such as ``I A B A B C B O``: every label is one passage of the
source, and a repeat of a label is that passage again or, where the source repeats the passage
itself (its own second chorus), at even odds the source's repeat, with its small differences.
Every section is played at a slightly different level (±1.5 dB).
The cuts fall on the source's part starts (its downbeats, as our beat tracker finds them), so the
pulse runs on unbroken across every cut, and the true sections are known by construction:

* boundaries: the cut points, in seconds;
* labels: the letters of the form (only which sections share a label matters to the scores).

Among many random draws of passages, the one wins whose passages of different labels differ
most while no passage straddles a change in the source (mean MFCC and chroma per part, from
librosa so as not to choose by the very features the analysis uses): different labels sound
different, and each passage is one stretch of like music, as a section is.

Sections are whole parts (two bars) because the studio's sections are whole 8-counts; lengths are
2-4 parts (4-8 bars). An intro that takes the source's first part keeps the source's lead-in
before it, and an outro that ends on its last part keeps the source's tail (its real ending).

Nothing here is shipped: the files are written at test or benchmark time into a temporary folder.
Licences of the sources are in ``../shared/data/README.md`` (CC BY, CC BY-NC and research use:
all fine for tests and benchmarks, none of the assembled audio is redistributed).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from inference.audio.analysis import analyze_song
from inference.audio.decode import ANALYSIS_SR, load_audio
from inference.audio.grid import BeatGrid, beats_per_part, make_grid

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SEED = 11
FADE_S = 0.004
"""A 4 ms fade on each side of a cut: removes the click, too short to shift an onset."""

_TANG = "motion_music/tang2018"
TUNE_SOURCES = (
    "audio/Kevin_MacLeod_-_Vibe_Ace.ogg",
    "audio/Karissa_Hobbs_-_Lets_Go_Fishin.ogg",
    "audio/442789__lena-orsa__happy-music-pistachio-ice-cream-ragtime.ogg",
    f"{_TANG}/DANCE_C_4/audio.mp3",
    f"{_TANG}/DANCE_C_6/audio.mp3",
    f"{_TANG}/DANCE_R_3/audio.mp3",
    f"{_TANG}/DANCE_T_5/audio.mp3",
    f"{_TANG}/DANCE_W_4/audio.mp3",
    f"{_TANG}/DANCE_W_16/audio.mp3",
)
"""Sources of the songs the section settings were chosen on."""

HELD_OUT_SOURCES = (
    f"{_TANG}/DANCE_C_2/audio.mp3",
    f"{_TANG}/DANCE_C_7/audio.mp3",
    f"{_TANG}/DANCE_R_4/audio.mp3",
    f"{_TANG}/DANCE_R_5/audio.mp3",
    f"{_TANG}/DANCE_W_3/audio.mp3",
    f"{_TANG}/DANCE_W_15/audio.mp3",
)
"""Sources never looked at while tuning: the figure to quote for the method comes from these.
Songs whose beat tracking is unreliable (pulse clarity under 0.5: seven of the Tang songs) and
the 25 s drum-and-bass clip (too short for distinct passages) are in neither."""

RECUT_SIMILARITY = 0.9
"""How alike (cosine of z-scored MFCC and chroma, part by part) a passage elsewhere in the source
must be to stand in for a repeat: the source's own repeats measured 0.9-0.99."""

RECUT_BONUS = 1.0
"""Added to a draw's score (distances of z-scored descriptors, gap less jump: 1-4) for each
passage the source repeats itself."""

FORMS = (
    "I A B A B C B O",
    "A B A B C B",
    "I A B C A B C B O",
    "I A B A C A O",
    "A B C B A B O",
    "I A B A B O",
    "I A B A B C A B",
)
"""Written forms; I and O are an intro and outro, the letters the repeated material."""


@dataclass(frozen=True)
class Segment:
    """One section of an assembled song: ``n_parts`` parts of the source from ``first_part``."""

    label: str
    first_part: int
    n_parts: int
    gain_db: float = 0.0


@dataclass(frozen=True)
class SongSpec:
    """How to assemble one song: its source (relative to the data folder) and its segments."""

    name: str
    source: str
    segments: tuple[Segment, ...]
    split: str = "tune"


@dataclass(frozen=True, eq=False)
class AssembledSong:
    """The audio of an assembled song, its true sections and its beat grid by construction.

    ``intervals`` and ``labels`` are the true sections (seconds, one label each). ``beats`` are
    the source's beats carried over into the song, ``beats[first_downbeat]`` is the first
    section's first downbeat, and ``meter`` the source's: together they are the true grid.
    """

    spec: SongSpec
    samples: npt.NDArray[np.float32]
    sample_rate: int
    intervals: npt.NDArray[np.float64]
    labels: tuple[str, ...]
    beats: npt.NDArray[np.float64]
    first_downbeat: int
    meter: int

    @property
    def duration(self) -> float:
        return float(self.samples.size) / self.sample_rate

    @property
    def form(self) -> str:
        return " ".join(self.labels)

    def grid(self) -> BeatGrid:
        """The song's beat grid by construction (not tracked)."""
        return make_grid(self.beats.tolist(), self.meter, self.first_downbeat, self.duration)

    def write(self, folder: Path) -> Path:
        """Write the song as a WAV file in ``folder``; returns its path."""
        import soundfile as sf

        path = folder / f"{self.spec.name}.wav"
        sf.write(path, self.samples, self.sample_rate, subtype="FLOAT")
        return path


@dataclass(frozen=True, eq=False)
class _Source:
    samples: npt.NDArray[np.float32]
    beats: npt.NDArray[np.float64]
    part_starts: npt.NDArray[np.float64]
    """Start of every whole part, then the end of the last one."""
    beats_per_part: int
    meter: int


@functools.lru_cache(maxsize=4)
def _source(rel: str) -> _Source:
    clip = load_audio(DATA / rel, ANALYSIS_SR)
    a = analyze_song(clip)
    n = beats_per_part(a.meter)
    whole = [p for p in a.parts if p.n_beats == n]
    starts = [p.start for p in whole]
    starts.append(whole[-1].end)
    beats = np.asarray(a.grid.beats)
    return _Source(np.asarray(clip.samples), beats, np.asarray(starts), n, a.meter)


def assemble(spec: SongSpec) -> AssembledSong:
    """Cut and join the source's parts as ``spec`` says, with the true sections and grid."""
    src = _source(spec.source)
    sr = ANALYSIS_SR
    last_part = len(src.part_starts) - 2
    fade = np.linspace(0.0, 1.0, int(FADE_S * sr), dtype=np.float32)
    pieces: list[npt.NDArray[np.float32]] = []
    bounds = [0.0]
    beats: list[float] = []
    first_downbeat = 0
    for k, seg in enumerate(spec.segments):
        if seg.first_part < 0 or seg.first_part + seg.n_parts - 1 > last_part:
            raise ValueError(f"{spec.name}: segment {seg} runs past the source's parts")
        t0 = src.part_starts[seg.first_part]
        t1 = src.part_starts[seg.first_part + seg.n_parts]
        if k == 0:
            # Open as songs do, with a lead-in before the first downbeat: the source's own
            # start, or else the rest of the bar before the passage, a pickup. (The tracker
            # finds no beat in a song's first second, and parts start at the first count 1 it
            # finds: a song cut to open on a downbeat would have every part a bar late.)
            beat = (t1 - t0) / (seg.n_parts * src.beats_per_part)
            lead_in = 0.0 if seg.first_part == 0 else t0 - (src.meter - 1) * beat
            first_downbeat = int(np.sum((src.beats >= lead_in - 0.01) & (src.beats < t0 - 0.01)))
            t0 = lead_in
        if k == len(spec.segments) - 1 and seg.first_part + seg.n_parts - 1 == last_part:
            t1 = src.samples.size / sr  # and its own ending
        i0, i1 = round(t0 * sr), round(t1 * sr)
        inside = src.beats[(src.beats >= t0 - 0.01) & (src.beats < t1 - 0.01)]
        beats.extend(np.maximum(inside - i0 / sr + bounds[-1], 0.0).tolist())
        piece = src.samples[i0:i1] * np.float32(10.0 ** (seg.gain_db / 20.0))
        if k > 0:
            piece[: fade.size] *= fade
        if k < len(spec.segments) - 1:
            piece[-fade.size :] *= fade[::-1]
        pieces.append(piece)
        bounds.append(bounds[-1] + piece.size / sr)
    samples = np.concatenate(pieces)
    peak = float(np.max(np.abs(samples)))
    if peak > 0.99:
        samples = samples * np.float32(0.99 / peak)
    intervals = np.column_stack([bounds[:-1], bounds[1:]])
    labels = tuple(s.label for s in spec.segments)
    return AssembledSong(
        spec, samples, sr, intervals, labels, np.asarray(beats), first_downbeat, src.meter
    )


@functools.lru_cache(maxsize=4)
def _part_descriptors(rel: str) -> npt.NDArray[np.float64]:
    """Mean librosa MFCC and CQT chroma of each whole part, z-scored over the song's parts."""
    import librosa

    src = _source(rel)
    y = src.samples.astype(np.float32)
    hop = 512
    mfcc = librosa.feature.mfcc(y=y, sr=ANALYSIS_SR, n_mfcc=20, hop_length=hop)[1:]
    chroma = librosa.feature.chroma_cqt(y=y, sr=ANALYSIS_SR, hop_length=hop)
    frames = librosa.time_to_frames(src.part_starts, sr=ANALYSIS_SR, hop_length=hop)
    rows = []
    for a, b in itertools.pairwise(frames):
        b = max(b, a + 1)
        rows.append(np.concatenate([mfcc[:, a:b].mean(axis=1), 2.0 * chroma[:, a:b].mean(axis=1)]))
    d = np.asarray(rows, dtype=np.float64)
    return (d - d.mean(axis=0)) / (d.std(axis=0) + 1e-9)


def _lengths(rng: np.random.Generator, letters: list[str]) -> dict[str, int]:
    out = {}
    for x in letters:
        out[x] = 2 if x in ("I", "O") else int(rng.choice([2, 3, 4], p=[0.25, 0.35, 0.4]))
    return out


def _steady(steady: npt.NDArray[np.float64], a: int, n: int) -> bool:
    """Parts ``a..a+n-1`` (and the one before, for a lead-in) within 2 % of the median part:
    steady tempo, so the cuts fall on true downbeats and the pulse carries on across them."""
    return bool(np.all(np.abs(steady[max(0, a - 1) : a + n] - 1.0) <= 0.02))


def _steadiness(rel: str) -> npt.NDArray[np.float64]:
    lengths = np.diff(_source(rel).part_starts)
    out: npt.NDArray[np.float64] = lengths / np.median(lengths)
    return out


def _recut(rel: str, chosen: dict[str, tuple[int, int]], x: str) -> int | None:
    """Where the source itself repeats passage ``x`` (its own second chorus, say), if it does.

    The start of the steady passage elsewhere in the source, clear of every chosen passage, most
    like ``x`` part by part; None when none is like it (cosine of the z-scored descriptors under
    :data:`RECUT_SIMILARITY`).
    """
    desc = _part_descriptors(rel)
    unit = desc / (np.linalg.norm(desc, axis=1, keepdims=True) + 1e-9)
    steady = _steadiness(rel)
    a, n = chosen[x]
    best: tuple[float, int | None] = (RECUT_SIMILARITY, None)
    for b in range(1, unit.shape[0] - n + 1):
        if any(b < c + m and c < b + n for c, m in chosen.values()) or not _steady(steady, b, n):
            continue
        like = float(np.mean(np.sum(unit[a : a + n] * unit[b : b + n], axis=1)))
        if like > best[0]:
            best = (like, b)
    return best[1]


def _draw(
    rel: str, form: str, rng: np.random.Generator, tries: int = 300
) -> dict[str, tuple[int, int]] | None:
    """``label -> (first_part, n_parts)`` for the form, the most distinct of ``tries`` draws."""
    desc = _part_descriptors(rel)
    n_src = desc.shape[0]
    steady = _steadiness(rel)
    letters = list(dict.fromkeys(form.split()))
    best: tuple[float, dict[str, tuple[int, int]]] | None = None
    for _ in range(tries):
        length = _lengths(rng, letters)
        chosen: dict[str, tuple[int, int]] = {}
        if "I" in length:
            chosen["I"] = (0, length["I"])
        if "O" in length:
            chosen["O"] = (n_src - length["O"], length["O"])
        ok = True
        for x in letters:
            if x in chosen:
                continue
            start = int(rng.integers(2, n_src - length[x] - 2))
            end = start + length[x]
            if any(start < a + n and a < end for a, n in chosen.values()):
                ok = False
                break
            chosen[x] = (start, length[x])
        if not ok or not all(_steady(steady, a, n) for a, n in chosen.values()):
            continue
        # Passages of different labels should differ (gap), and each should be one stretch of
        # like music, not straddle a change of the source's own sections (jump).
        means = {x: desc[a : a + n].mean(axis=0) for x, (a, n) in chosen.items()}
        gap = min(
            float(np.linalg.norm(means[x] - means[y]))
            for i, x in enumerate(letters)
            for y in letters[i + 1 :]
        )
        jump = max(
            float(np.max(np.linalg.norm(np.diff(desc[a : a + n], axis=0), axis=1)))
            for a, n in chosen.values()
        )
        # And passages the source repeats itself are preferred (choruses, say), so that
        # repeats in the set are not all copies.
        recut = sum(_recut(rel, chosen, x) is not None for x in chosen if x not in ("I", "O"))
        score = gap - jump + RECUT_BONUS * recut
        if best is None or score > best[0]:
            best = (score, chosen)
    return None if best is None else best[1]


def make_set(seed: int = SEED, per_source: int = 2) -> list[SongSpec]:
    """``per_source`` songs per source, each in a form drawn for it; same seed, same set."""
    rng = np.random.default_rng(seed)
    specs = []
    for split, sources in (("tune", TUNE_SOURCES), ("held-out", HELD_OUT_SOURCES)):
        for rel in sources:
            stem = Path(rel).parent.name if rel.startswith(_TANG) else Path(rel).stem[:12]
            for k in range(per_source):
                # The first form (in a random order) that this source's steady passages fill.
                for form in rng.permutation(FORMS):
                    layout = _draw(rel, str(form), rng)
                    if layout is not None:
                        break
                else:
                    continue
                recuts = {x: _recut(rel, layout, x) for x in layout if x not in ("I", "O")}
                segs = []
                for i, x in enumerate(str(form).split()):
                    first, n = layout[x]
                    # A later occurrence is, at even odds, the source's own repeat of it.
                    alt = recuts.get(x)
                    if alt is not None and x in str(form).split()[:i] and rng.random() < 0.5:
                        first = alt
                    segs.append(Segment(x, first, n, gain_db=float(rng.uniform(-1.5, 1.5))))
                specs.append(SongSpec(f"{stem}.{k + 1}", rel, tuple(segs), split))
    return specs
