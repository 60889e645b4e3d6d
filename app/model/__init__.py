"""The project document, in plain Python with no Qt."""

from app.model.document import (
    BeatGrid,
    Clip,
    GenerationParams,
    MotionAsset,
    Part,
    Section,
    Song,
    StyleTag,
    Track,
    TrackKind,
    VideoSource,
    new_id,
)
from app.model.project import Project, ProjectEvents
from app.model.takes import Take

__all__ = [
    "BeatGrid",
    "Clip",
    "GenerationParams",
    "MotionAsset",
    "Part",
    "Project",
    "ProjectEvents",
    "Section",
    "Song",
    "StyleTag",
    "Take",
    "Track",
    "TrackKind",
    "VideoSource",
    "new_id",
]
