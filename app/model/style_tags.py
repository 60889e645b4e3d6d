"""The user's own styles, as examples: stretches of motion tagged with a style name.

A style of one's own ("our team's girl crush") is nothing but its examples: the stretches the
user tagged with its name (Tag as Style… on clips of the timeline or on moves of the library),
and the moves of a folder added to the move library in that style (Add Folder of Moves), which
were tagged when they went in. The classifier learns each style from its examples, few-shot,
on the worker (:mod:`inference.style.user_styles`). Here are the rules a tag keeps, checked
before an undo command is pushed and when a project file is read, and each style's examples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from app.model.document import Clip, MotionAsset, StyleTag
from app.model.project import Project
from app.model.track_sampling import motion_of
from inference.errors import UserFacingError
from inference.motion.motion import CANONICAL_FPS
from inference.style.classify import MIXED, UNKNOWN
from inference.style.dataset import STYLES
from inference.style.features import MIN_FRAMES
from inference.style.user_styles import StyleExample

MAX_STYLE_NAME_CHARS = 80
MAX_STYLE_TAGS = 5_000
"""As many as a project may hold clips."""
MIN_TAG_SECONDS = MIN_FRAMES / CANONICAL_FPS
"""The shortest stretch the classifier can read (1 s): a shorter example would teach nothing."""
_SLACK = 1e-6


class Stretch(NamedTuple):
    """What can be tagged: a stretch of a motion, in seconds of the motion, and its name."""

    motion_id: str
    source_in: float
    source_out: float
    name: str

    @property
    def key(self) -> tuple[str, float, float]:
        return (self.motion_id, self.source_in, self.source_out)


def clip_stretch(clip: Clip) -> Stretch:
    """The stretch a clip shows (its trim of its motion)."""
    return Stretch(clip.motion_id, clip.source_in, clip.source_out, clip.name)


def move_stretch(asset: MotionAsset) -> Stretch:
    """A whole move of the library."""
    return Stretch(asset.id, 0.0, asset.duration, asset.name)


def reserved_style_names() -> frozenset[str]:
    """Names a user style may not take (case-folded): the classifier's own classes, whose
    probabilities it would be confused with, and the words for uncertainty."""
    return frozenset(n.casefold() for n in (*STYLES, MIXED, UNKNOWN))


def clean_style_name(name: str, existing: Iterable[str] = ()) -> str:
    """``name`` with its spaces tidied, spelled as an ``existing`` style when only the case
    differs ("Girl Crush" joins "girl crush").

    Raises
    ------
    UserFacingError
        For an empty or over-long name, or one the classifier keeps for itself.
    """
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise UserFacingError("A style needs a name.")
    if len(cleaned) > MAX_STYLE_NAME_CHARS:
        raise UserFacingError(
            f"The style name “{cleaned[:30]}…” has {len(cleaned)} characters; the limit is "
            f"{MAX_STYLE_NAME_CHARS}."
        )
    if cleaned.casefold() in reserved_style_names():
        raise UserFacingError(
            f"“{cleaned}” is a name the classifier uses itself "
            f"({', '.join((*STYLES, MIXED, UNKNOWN))}): choose another."
        )
    return next((e for e in existing if e.casefold() == cleaned.casefold()), cleaned)


def check_stretch(stretch: Stretch, motion: MotionAsset) -> None:
    """Raise a :class:`UserFacingError` naming ``stretch`` unless it can be an example."""
    if stretch.source_out - stretch.source_in < MIN_TAG_SECONDS - _SLACK:
        raise UserFacingError(
            f"{stretch.name} lasts {stretch.source_out - stretch.source_in:.2f} s: an example of "
            f"a style needs at least {MIN_TAG_SECONDS:.1f} s of dance."
        )
    if stretch.source_in < -_SLACK or stretch.source_out > motion.duration + 1.0 / motion.fps:
        raise UserFacingError(
            f"{stretch.name}: {stretch.source_in:.2f}-{stretch.source_out:.2f} s lies outside its "
            f"motion ({motion.duration:.2f} s)."
        )


def tagged(project: Project, stretches: Sequence[Stretch], style: str) -> tuple[StyleTag, ...]:
    """The project's tags once ``stretches`` are tagged ``style``; a stretch tagged before
    changes its style. Nothing is changed: the caller pushes the result as one command.

    Raises
    ------
    UserFacingError
        When nothing is given, the name is refused (:func:`clean_style_name`), a stretch is
        too short or unknown, or the project would hold over :data:`MAX_STYLE_TAGS` tags.
    """
    if not stretches:
        raise UserFacingError("Select one or more clips (or moves of the library) to tag first.")
    name = clean_style_name(style, style_names(project))
    motions = project.motions
    new: dict[tuple[str, float, float], StyleTag] = {}
    for s in stretches:
        if s.motion_id not in motions:
            raise UserFacingError(f"{s.name}: its motion is not in the project.")
        check_stretch(s, motions[s.motion_id])
        new[s.key] = StyleTag(name, *s)
    kept = tuple(t for t in project.style_tags if t.key not in new)
    if len(kept) + len(new) > MAX_STYLE_TAGS:
        raise UserFacingError(
            f"The project would hold {len(kept) + len(new):,} style tags; the limit is "
            f"{MAX_STYLE_TAGS:,}."
        )
    return kept + tuple(new.values())


def untagged(project: Project, keys: Iterable[tuple[str, float, float]]) -> tuple[StyleTag, ...]:
    """The project's tags without those of ``keys`` (see :attr:`StyleTag.key`)."""
    gone = set(keys)
    return tuple(t for t in project.style_tags if t.key not in gone)


def style_examples(project: Project) -> dict[str, list[StyleTag]]:
    """Each user style and its examples, in the order the styles first appear: the tagged
    stretches, then the library's moves in a style of their own (those tagged are examples
    of their tag only). Names that differ only in case are one style, spelled as first seen;
    moves in a style of the classifier's own, or under 1 s, teach nothing and are left out.
    """
    out: dict[str, list[StyleTag]] = {}
    spelling: dict[str, str] = {}

    def add(tag: StyleTag) -> None:
        name = spelling.setdefault(tag.style.casefold(), tag.style)
        out.setdefault(name, []).append(tag)

    for tag in project.style_tags:
        add(tag)
    tagged_motions = {t.motion_id for t in project.style_tags}
    reserved = reserved_style_names()
    motions = project.motions
    move_styles = project.user_move_styles
    for motion_id in project.user_moves:
        style = move_styles.get(motion_id)
        asset = motions[motion_id]
        if (
            style is None
            or motion_id in tagged_motions
            or style.casefold() in reserved
            or asset.duration < MIN_TAG_SECONDS - _SLACK
        ):
            continue
        add(StyleTag(style, motion_id, 0.0, asset.duration, asset.name))
    return out


def style_names(project: Project) -> tuple[str, ...]:
    """The user's styles, as :func:`style_examples` orders them."""
    return tuple(style_examples(project))


def tag_example(tag: StyleTag, asset: MotionAsset) -> StyleExample:
    """The stretch ``tag`` names, cut from its motion ``asset``, as an example for the
    classifier (on the worker: the cut copies nothing but a slice)."""
    from inference.motion.ops import trim

    motion = motion_of(asset)
    first = min(max(round(tag.source_in * asset.fps), 0), motion.n_frames - 1)
    stop = min(max(round(tag.source_out * asset.fps), first + 1), motion.n_frames)
    return StyleExample(tag.style, trim(motion, first, stop), tag.name)
