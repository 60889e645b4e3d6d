"""Rendering without a window: an offscreen GL context and framebuffer, frames out as arrays.

Used by MP4 export and by tests. Needs a platform that gives GL contexts (xcb under Xvfb, or a
real display); the ``offscreen`` Qt platform does not, and :func:`gl_context_error` says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from OpenGL import GL
from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext, QSurfaceFormat
from PySide6.QtOpenGL import QOpenGLFramebufferObject, QOpenGLFramebufferObjectFormat

from viewport.camera import OrbitCamera
from viewport.renderer import Renderer
from viewport.scene import DancerPose

SAMPLES = 4


def surface_format(samples: int = SAMPLES) -> QSurfaceFormat:
    """The format every viewport context asks for: OpenGL 3.3 core, depth, multisampling."""
    fmt = QSurfaceFormat()
    fmt.setVersion(3, 3)
    fmt.setProfile(QSurfaceFormat.OpenGLContextProfile.CoreProfile)
    fmt.setDepthBufferSize(24)
    fmt.setSamples(samples)
    return fmt


def gl_context_error() -> str | None:
    """Why no 3.3 core context can be made here, or ``None`` when one can.

    Needs a QGuiApplication. Tests skip with this reason instead of failing on a machine
    without a display.
    """
    if QGuiApplication.instance() is None:
        return "no QGuiApplication"
    platform = QGuiApplication.platformName()
    context = QOpenGLContext()
    context.setFormat(surface_format())
    if not context.create():
        return f"the Qt platform {platform!r} cannot create an OpenGL context"
    version = context.format().version()
    if version < (3, 3):
        return f"the Qt platform {platform!r} gives OpenGL {version[0]}.{version[1]}, not 3.3"
    return None


class OffscreenRenderer:
    """A hidden GL context that renders dancer frames into numpy arrays.

    It owns a GL context: :meth:`close` it when done (``contextlib.closing`` suits).
    ``width`` and ``height`` are pixels.
    """

    def __init__(self, width: int, height: int, samples: int = SAMPLES) -> None:
        self.width, self.height = width, height
        fmt = surface_format(samples)
        self._surface = QOffscreenSurface()
        self._surface.setFormat(fmt)
        self._surface.create()
        self._context = QOpenGLContext()
        self._context.setFormat(fmt)
        if not self._context.create() or not self._context.makeCurrent(self._surface):
            reason = gl_context_error() or "the context could not be made current"
            raise RuntimeError(f"no OpenGL context for offscreen rendering: {reason}")
        draw_format = QOpenGLFramebufferObjectFormat()
        draw_format.setAttachment(QOpenGLFramebufferObject.Attachment.CombinedDepthStencil)
        draw_format.setSamples(samples)
        self._draw = QOpenGLFramebufferObject(width, height, draw_format)
        # Multisampled buffers cannot be read: resolve into a plain one first.
        self._resolve = QOpenGLFramebufferObject(width, height)
        self.renderer = Renderer()
        self.renderer.initialize()

    def render(self, poses: Sequence[DancerPose], camera: OrbitCamera) -> NDArray[np.uint8]:
        """One frame as an (height, width, 3) RGB array, top row first."""
        self._context.makeCurrent(self._surface)
        self._draw.bind()
        self.renderer.render(poses, camera, self.width, self.height)
        QOpenGLFramebufferObject.blitFramebuffer(self._resolve, self._draw)
        self._resolve.bind()
        GL.glPixelStorei(GL.GL_PACK_ALIGNMENT, 1)
        raw = GL.glReadPixels(0, 0, self.width, self.height, GL.GL_RGB, GL.GL_UNSIGNED_BYTE)
        self._resolve.release()
        pixels = np.frombuffer(raw, dtype=np.uint8).reshape(self.height, self.width, 3)
        # GL's first row is the bottom one.
        return np.ascontiguousarray(pixels[::-1])

    def close(self) -> None:
        """Free the GL objects and the context."""
        if self._context.makeCurrent(self._surface):
            self.renderer.dispose()
            del self._draw, self._resolve
            self._context.doneCurrent()
        self._surface.destroy()
