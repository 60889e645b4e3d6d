"""The video panel: the source video of a clip, its landmarks drawn over it, at the playhead.

Which clip it shows: the selected clip when it came from a video, else the video clip under
the playhead, else the one it showed last. The clip's video time at song time ``t`` is
``source_in + (t - start)`` (a motion from a video starts at video time 0), so the picture
follows the playhead, trims and moves alike.

Frames are decoded on demand by :class:`inference.pose.frame_reader.VideoFrameReader` (OpenCV,
imported only when a video is first shown), never the whole video: playback reads forward,
scrubbing seeks, and a few recent frames are cached. Time updates are coalesced, so a burst
of playhead moves decodes one frame. When the video file is missing or cannot be decoded, the
landmarks (kept in the project) are drawn on a dark picture and the panel says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.model import Clip, Project, VideoSource
from inference.errors import UserFacingError
from inference.pose.frame_reader import VideoFrameReader
from inference.pose.layouts import BONES_MEDIAPIPE33, MEDIAPIPE33_NAMES

VISIBLE = 0.5
"""Landmarks less visible than this are not drawn (MediaPipe's own threshold)."""
_LEFT = frozenset(i for i, n in enumerate(MEDIAPIPE33_NAMES) if n.startswith("left"))
_RIGHT = frozenset(i for i, n in enumerate(MEDIAPIPE33_NAMES) if n.startswith("right"))
LEFT_COLOR, RIGHT_COLOR, MIDDLE_COLOR = QColor("#ffa726"), QColor("#4fc3f7"), QColor("#e0e0e0")


def mirror_picture(
    rgb: NDArray[np.uint8] | None, points: NDArray[np.float64], width: int
) -> tuple[NDArray[np.uint8] | None, NDArray[np.float64]]:
    """The picture and its landmarks (33 x [x, y, visibility]) flipped left to right, as a
    studio mirror shows them; unseen landmarks stay put."""
    flipped = np.array(points, dtype=np.float64)
    flipped[:, 0] = np.where(flipped[:, 2] > 0, width - flipped[:, 0], 0.0)
    return (None if rgb is None else rgb[:, ::-1]), flipped


@dataclass(frozen=True)
class ShownFrame:
    """What the panel shows now: the clip, the video frame, and how."""

    clip_id: str
    frame: int
    video_time: float
    mirrored: bool
    has_picture: bool
    """False when the landmarks are drawn without the video (missing or undecodable file)."""


class VideoFrameView(QWidget):
    """Paints one picture, scaled to fit, with the landmarks over it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(160, 120)
        self._image: QImage | None = None
        self._buffer: NDArray[np.uint8] | None = None  # the QImage borrows these bytes
        self._points: NDArray[np.float64] | None = None
        self._size = (1, 1)
        self._message = ""

    def show_picture(
        self,
        rgb: NDArray[np.uint8] | None,
        points: NDArray[np.float64] | None,
        size: tuple[int, int],
        message: str = "",
    ) -> None:
        """Show ``rgb`` (any scale of a ``size`` = (width, height) picture, or None for a dark
        one) with ``points`` (33 x [x, y, visibility] in the picture's pixels) over it."""
        if rgb is None:
            self._image, self._buffer = None, None
        else:
            self._buffer = np.ascontiguousarray(rgb)
            h, w = self._buffer.shape[:2]
            self._image = QImage(self._buffer.data, w, h, 3 * w, QImage.Format.Format_RGB888)
        self._points, self._size, self._message = points, size, message
        self.update()

    def picture_rect(self) -> QRectF:
        """Where the picture lies in the widget: as large as fits, its aspect kept, centred."""
        w, h = self._size
        k = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - w * k) / 2, (self.height() - h * k) / 2, w * k, h * k)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101116"))
        rect = self.picture_rect()
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(rect, self._image)
        else:
            painter.fillRect(rect, QColor("#1b1d24"))
        if self._points is not None:
            self._draw_landmarks(painter, rect)
        if self._message:
            painter.setPen(QColor("#c5c8d6"))
            painter.drawText(
                self.rect().adjusted(8, 8, -8, -8),
                Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
                self._message,
            )
        painter.end()

    def _draw_landmarks(self, painter: QPainter, rect: QRectF) -> None:
        assert self._points is not None
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        k = rect.width() / self._size[0]
        seen = self._points[:, 2] >= VISIBLE
        at = [QPointF(rect.x() + x * k, rect.y() + y * k) for x, y, _ in self._points]
        for a, b in BONES_MEDIAPIPE33:
            if seen[a] and seen[b]:
                side = _LEFT if a in _LEFT and b in _LEFT else _RIGHT if a in _RIGHT else None
                color = (
                    LEFT_COLOR if side is _LEFT else RIGHT_COLOR if side is _RIGHT else MIDDLE_COLOR
                )
                painter.setPen(QPen(color, 2.5))
                painter.drawLine(at[a], at[b])
        painter.setPen(QPen(QColor("#101116"), 1))
        painter.setBrush(QColor("#ffffff"))
        for i in np.flatnonzero(seen):
            painter.drawEllipse(at[i], 3.0, 3.0)


class VideoPanel(QWidget):
    """The source video of a clip, with its landmarks, in step with the playhead.

    Signals
    -------
    mirror_changed(bool)
        The Mirror box was toggled.
    """

    mirror_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("videoPanel")
        self.project = Project()
        self.view = VideoFrameView()
        self.title = QLabel("No video. Import one with File ▸ Import Video…")
        self.title.setStyleSheet("color:#c5c8d6;")
        self.mirror_box = QCheckBox("Mirror")
        self.mirror_box.setToolTip("Flip the video left to right, as a studio mirror does")
        self.mirror_box.toggled.connect(self._on_mirror_toggled)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color:#8a8fa3; font-size:11px;")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.mirror_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.notes)
        self._time = 0.0
        self._chosen: str | None = None
        self._reader: VideoFrameReader | None = None
        self._reader_path: str | None = None
        self._reader_problem: str | None = None
        self.shown: ShownFrame | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._render)

    # -- inputs ----------------------------------------------------------------------------

    def set_project(self, project: Project) -> None:
        """Show clips of ``project`` from now on."""
        self.project = project
        self._chosen = None
        self.shown = None  # until the new project's frame is drawn
        for name in ("clip_added", "clip_removed", "clip_moved", "clip_trimmed", "clip_changed"):
            getattr(project.events, name).connect(self._schedule)
        self._schedule()

    def set_time(self, seconds: float) -> None:
        """The playhead moved: show the frame there (decoded once the events settle)."""
        self._time = seconds
        self._schedule()

    def show_clip(self, clip_id: str | None) -> None:
        """Prefer ``clip_id`` (the selection) when it came from a video."""
        if clip_id is not None and self._video_clip(clip_id) is not None:
            self._chosen = clip_id
            self._schedule()

    @property
    def mirrored(self) -> bool:
        return self.mirror_box.isChecked()

    def set_mirrored(self, mirrored: bool) -> None:
        self.mirror_box.setChecked(mirrored)

    def _on_mirror_toggled(self, mirrored: bool) -> None:
        self._schedule()
        self.mirror_changed.emit(mirrored)

    def close_video(self) -> None:
        """Release the decoder (the next frame reopens it)."""
        if self._reader is not None:
            self._reader.close()
        self._reader, self._reader_path, self._reader_problem = None, None, None

    # -- choosing and showing --------------------------------------------------------------

    def _schedule(self, *_: object) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _video_clip(self, clip_id: str) -> tuple[Clip, VideoSource] | None:
        try:
            _, clip = self.project.find_clip(clip_id)
        except KeyError:
            return None
        motion = self.project.motions.get(clip.motion_id)
        return (clip, motion.video) if motion is not None and motion.video is not None else None

    def current_clip(self) -> tuple[Clip, VideoSource] | None:
        """The clip to show: the chosen one, else the video clip under the playhead."""
        if self._chosen is not None and (chosen := self._video_clip(self._chosen)) is not None:
            return chosen
        for track in self.project.dancer_tracks():
            for clip in track.clips:
                if clip.start <= self._time < clip.end and (found := self._video_clip(clip.id)):
                    self._chosen = clip.id
                    return found
        return None

    def _render(self) -> None:
        current = self.current_clip()
        if current is None:
            self.shown = None
            self.title.setText("No video. Import one with File ▸ Import Video…")
            self.notes.setText("")
            self.view.show_picture(None, None, (16, 9))
            return
        clip, video = current
        video_time = clip.source_in + (self._time - clip.start)
        index = video.frame_at(video_time)
        rgb = self._picture(video, index)
        points = np.array(video.keypoints[index])
        if self.mirrored:
            rgb, points = mirror_picture(rgb, points, video.width)
        outside = "" if clip.start <= self._time < clip.end else " (playhead outside the clip)"
        self.title.setText(
            f"{Path(video.path).name} · {max(video_time, 0.0):.2f} s, frame {index + 1} of "
            f"{video.n_frames}{outside}"
        )
        self.notes.setText("\n".join(video.notes))
        nobody = None if np.any(points[:, 2] >= VISIBLE) else "No person in this frame."
        message = "\n".join(m for m in (self._reader_problem, nobody) if m)
        self.view.show_picture(rgb, points, (video.width, video.height), message)
        self.shown = ShownFrame(clip.id, index, video_time, self.mirrored, rgb is not None)

    def _picture(self, video: VideoSource, index: int) -> NDArray[np.uint8] | None:
        if self._reader_path != video.path:
            self.close_video()
            self._reader_path = video.path
            try:
                self._reader = VideoFrameReader(video.path)
            except UserFacingError as error:
                self._reader_problem = f"Landmarks only: {error}"
        if self._reader is None:
            return None
        return self._reader.frame(index)
