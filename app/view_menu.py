"""The 3D viewport in the window, and the View menu that drives it.

Where no OpenGL 3.3 context can be made (the offscreen platform of headless runs and CI), the
window shows a label that says why instead of a viewport, so the studio still starts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QWidget

from viewport.camera import CameraPreset
from viewport.offscreen import gl_context_error
from viewport.widget import DancerViewport

VIEWPORT_GESTURES = (("Drag / right-drag / wheel", "orbit / pan / zoom the 3D view"),)
"""Mouse gestures of the 3D view, for the shortcut help."""


class NoViewport(QLabel):
    """Stands where the viewport would be, saying why there is none."""

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(
            f"No 3D view: {reason}.\nThe timeline, import and export still work; run the studio "
            "on a desktop with OpenGL 3.3 (or under Xvfb) to see the dancers.",
            parent,
        )
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMinimumHeight(240)
        self.setStyleSheet("background:#15161b; color:#8a8fa3; font-size:14px;")


def make_viewport(parent: QWidget | None = None) -> DancerViewport | NoViewport:
    """A DancerViewport, or a :class:`NoViewport` label where GL is unavailable."""
    reason = gl_context_error()
    return NoViewport(reason, parent) if reason else DancerViewport(parent)


def build_view_menu(menu: QMenu, view: DancerViewport | NoViewport) -> dict[str, QAction]:
    """Camera presets, mirror mode and the FPS counter (off by default); returns the actions
    by name. The window adds the timeline's zoom actions below them."""
    actions: dict[str, QAction] = {}
    group = QActionGroup(menu)
    for name, preset, key in (
        ("front", CameraPreset.FRONT, "Ctrl+1"),
        ("side", CameraPreset.SIDE, "Ctrl+2"),
        ("top", CameraPreset.TOP, "Ctrl+3"),
    ):
        action = menu.addAction(f"&{name.title()} View")
        action.setShortcut(QKeySequence(key))
        action.setCheckable(True)
        group.addAction(action)
        if isinstance(view, DancerViewport):
            action.triggered.connect(lambda _=False, p=preset: view.set_preset(p))
        actions[name] = action
    actions["front"].setChecked(True)
    menu.addSeparator()
    mirror = menu.addAction("&Mirror Mode")
    mirror.setShortcut(QKeySequence("Ctrl+M"))
    mirror.setCheckable(True)
    mirror.setToolTip("Flip the picture left to right, as a studio mirror does")
    fps = menu.addAction("Show &FPS Counter")
    fps.setToolTip("Frames per second the 3D view draws (for developers)")
    fps.setCheckable(True)
    fps.setChecked(False)  # a developer's gauge: off until asked for
    if isinstance(view, DancerViewport):
        view.set_fps_visible(False)
        mirror.toggled.connect(view.set_mirrored)
        fps.toggled.connect(view.set_fps_visible)
        # Keys pressed in the viewport itself (M, 1/2/3) change the camera: follow them.
        view.camera_changed.connect(lambda camera: _sync(actions, camera.mirror))
    actions["mirror"], actions["fps"] = mirror, fps
    for action in actions.values():
        action.setEnabled(isinstance(view, DancerViewport))
    return actions


def _sync(actions: dict[str, QAction], mirrored: bool) -> None:
    mirror = actions["mirror"]
    if mirror.isChecked() != mirrored:
        mirror.blockSignals(True)
        mirror.setChecked(mirrored)
        mirror.blockSignals(False)
