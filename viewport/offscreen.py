"""Rendering without a window: an offscreen GL context and framebuffer, frames out as arrays.

Used by the studio's 3D view (:class:`~viewport.widget.DancerViewport` paints its frames),
MP4 export, contact sheets and tests. Needs a platform that gives GL contexts (xcb under Xvfb, or a
real display); the ``offscreen`` Qt platform does not, and :func:`gl_context_error` says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from OpenGL import GL
from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext, QSurfaceFormat
from PySide6.QtOpenGL import QOpenGLFramebufferObject, QOpenGLFramebufferObjectFormat
from shiboken6 import isValid

from viewport.body import drawn_corners
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


def offscreen_surface(samples: int = SAMPLES) -> QOffscreenSurface:
    """A surface for :class:`OffscreenRenderer`; call on the GUI thread (Qt requires it)."""
    surface = QOffscreenSurface()
    surface.setFormat(surface_format(samples))
    surface.create()
    return surface


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


Box = tuple[int, int, int, int]
"""x0, y0, x1, y1 in pixels, GL's convention (origin at the bottom left), ends exclusive."""


def _union(a: Box | None, b: Box | None) -> Box | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _blit(
    source: QOpenGLFramebufferObject, target: QOpenGLFramebufferObject, box: Box, buffers: int
) -> None:
    """Copy ``box`` of ``source`` into the same place of ``target`` (resolving samples)."""
    GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, source.handle())
    GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, target.handle())
    GL.glBlitFramebuffer(*box, *box, buffers, GL.GL_NEAREST)
    GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, 0)


class OffscreenRenderer:
    """A hidden GL context that renders dancer frames into numpy arrays.

    It owns a GL context: :meth:`close` it when done (``contextlib.closing`` suits).
    ``width`` and ``height`` are pixels; :meth:`resize` changes them. MP4 export and contact
    sheets take frames as RGB arrays (:meth:`render`), the studio's
    :class:`~viewport.widget.DancerViewport` as 32-bit pixels a QImage paints as they are
    (:meth:`render_rgb32`); both draw the frame the same way (:meth:`_draw_frame`).
    """

    def __init__(
        self,
        width: int,
        height: int,
        samples: int = SAMPLES,
        surface: QOffscreenSurface | None = None,
    ) -> None:
        fmt = surface_format(samples)
        self._samples = samples
        # Qt creates surfaces only on the GUI thread: a renderer built on a worker thread is
        # handed one made there by offscreen_surface(), and leaves it to its owner.
        self._owns_surface = surface is None
        self._surface = surface or offscreen_surface(samples)
        self._context = QOpenGLContext()
        self._context.setFormat(fmt)
        if not self._context.create() or not self._context.makeCurrent(self._surface):
            reason = gl_context_error() or "the context could not be made current"
            raise RuntimeError(f"no OpenGL context for offscreen rendering: {reason}")
        self._closed = False
        self._allocate(width, height)
        self.renderer = Renderer()
        self.renderer.initialize()

    def _allocate(self, width: int, height: int) -> None:
        """Framebuffers of ``width`` x ``height`` pixels (the context is current)."""
        self.width, self.height = width, height
        draw_format = QOpenGLFramebufferObjectFormat()
        draw_format.setAttachment(QOpenGLFramebufferObject.Attachment.CombinedDepthStencil)
        draw_format.setSamples(self._samples)
        self._draw = QOpenGLFramebufferObject(width, height, draw_format)
        # The empty stage (sky and floor) as last drawn, and the camera it was drawn from.
        self._stage = QOpenGLFramebufferObject(width, height, draw_format)
        self._stage_view: bytes | None = None
        self._last_box: Box | None = None  # where the last frame's dancers were drawn
        # Multisampled buffers cannot be read: resolve into a plain one first.
        self._resolve = QOpenGLFramebufferObject(width, height)
        # Read-back buffers, kept between frames: GL's rows (bottom first), then the frame.
        self._bottom_up = np.empty((height, width), np.uint32)
        self._rgb32 = np.empty((height, width), np.uint32)

    def resize(self, width: int, height: int) -> None:
        """Render frames of ``width`` x ``height`` pixels from now on (a no-op when unchanged)."""
        if (width, height) == (self.width, self.height):
            return
        self._context.makeCurrent(self._surface)
        del self._draw, self._stage, self._resolve
        self._allocate(width, height)

    def render(self, poses: Sequence[DancerPose], camera: OrbitCamera) -> NDArray[np.uint8]:
        """One frame as a new (height, width, 3) RGB array, top row first."""
        self._draw_frame(poses, camera)
        GL.glPixelStorei(GL.GL_PACK_ALIGNMENT, 1)
        raw = GL.glReadPixels(0, 0, self.width, self.height, GL.GL_RGB, GL.GL_UNSIGNED_BYTE)
        self._resolve.release()
        pixels = np.frombuffer(raw, dtype=np.uint8).reshape(self.height, self.width, 3)
        # GL's first row is the bottom one.
        return np.ascontiguousarray(pixels[::-1])

    def render_rgb32(self, poses: Sequence[DancerPose], camera: OrbitCamera) -> NDArray[np.uint32]:
        """One frame as (height, width) pixels ``0xffRRGGBB``, top row first: the layout of
        QImage's ``Format_RGB32``, so a QImage can wrap the array without converting it.

        The array is the renderer's own and is overwritten by the next call to this method
        (and replaced by :meth:`resize`): copy it to keep a frame. Reading back four bytes a
        pixel in the GPU's own order is the cheapest read-back (on llvmpipe, 0.4 ms for
        900x560 against 1.2 ms as RGB).
        """
        self._draw_frame(poses, camera)
        GL.glPixelStorei(GL.GL_PACK_ALIGNMENT, 4)
        GL.glReadPixels(
            0,
            0,
            self.width,
            self.height,
            GL.GL_BGRA,
            GL.GL_UNSIGNED_INT_8_8_8_8_REV,
            self._bottom_up,
        )
        self._resolve.release()
        np.copyto(self._rgb32, self._bottom_up[::-1])
        return self._rgb32

    def _draw_frame(self, poses: Sequence[DancerPose], camera: OrbitCamera) -> None:
        """Draw one frame into the resolved framebuffer, and leave it bound for reading.

        On a software renderer (llvmpipe) the sky and floor cost most of a frame and every
        multisampled copy and resolve costs by the pixel, so: the stage is drawn again only
        when the camera moves (an export keeps one camera), and each frame copies, draws and
        resolves only the box around this frame's and the last frame's dancers. Pixels
        outside it already hold the resolved stage. The frame is the same, pixel for pixel.
        """
        self._context.makeCurrent(self._surface)
        view = camera.view_projection(self.width / self.height).tobytes()
        box = self._dancer_box(poses, camera)
        if view != self._stage_view:
            self._stage.bind()
            self.renderer.render_stage(camera, self.width, self.height)
            self._stage_view = view
            self._last_box = (0, 0, self.width, self.height)
        region = _union(box, self._last_box)
        self._last_box = box
        if region is not None:
            everything = GL.GL_COLOR_BUFFER_BIT | GL.GL_DEPTH_BUFFER_BIT | GL.GL_STENCIL_BUFFER_BIT
            _blit(self._stage, self._draw, region, everything)
            self._draw.bind()
            GL.glEnable(GL.GL_SCISSOR_TEST)
            GL.glScissor(region[0], region[1], region[2] - region[0], region[3] - region[1])
            self.renderer.render_dancers(poses, camera, self.width, self.height)
            GL.glDisable(GL.GL_SCISSOR_TEST)
            _blit(self._draw, self._resolve, region, GL.GL_COLOR_BUFFER_BIT)
        self._resolve.bind()

    def _dancer_box(self, poses: Sequence[DancerPose], camera: OrbitCamera) -> Box | None:
        """The pixels the dancers may touch, in GL's bottom-up coordinates, or None for none."""
        corners = drawn_corners(poses)
        if not len(corners):
            return None
        clip = (
            np.c_[corners, np.ones(len(corners))]
            @ camera.view_projection(self.width / self.height).T
        )
        if (clip[:, 3] <= camera.near).any():  # a corner behind the eye: no useful box
            return (0, 0, self.width, self.height)
        ndc = clip[:, :2] / clip[:, 3:4]
        x = (ndc[:, 0] + 1.0) * 0.5 * self.width
        y = (ndc[:, 1] + 1.0) * 0.5 * self.height
        # Two pixels of slack for multisample footprints and rounding.
        x0, x1 = max(int(x.min()) - 2, 0), min(int(np.ceil(x.max())) + 2, self.width)
        y0, y1 = max(int(y.min()) - 2, 0), min(int(np.ceil(y.max())) + 2, self.height)
        return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None

    def close(self) -> None:
        """Free the GL objects and the context (again: nothing)."""
        if self._closed:
            return
        self._closed = True
        if not (isValid(self._context) and isValid(self._surface)):
            return  # Qt deleted them already (at exit), and the GL objects with the context
        if self._context.makeCurrent(self._surface):
            self.renderer.dispose()
            del self._draw, self._stage, self._resolve
            self._context.doneCurrent()
        if self._owns_surface:
            self._surface.destroy()
