"""The OpenGL 3.3 core renderer: background, floor with contact shadows, dancers, ghosts.

It draws into whatever framebuffer is bound in the current context; the one caller is
:class:`~viewport.offscreen.OffscreenRenderer`, which serves the studio's
:class:`~viewport.widget.DancerViewport`, MP4 export and contact sheets alike. Every dancer of a
kind (opaque or ghost) goes in one instanced draw call per mesh, so seven dancers cost about
what one does on the CPU side.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from OpenGL import GL

from viewport import shaders
from viewport.body import body_instances, contact_shadows
from viewport.camera import OrbitCamera
from viewport.meshes import Mesh, floor_quad, unit_sphere, unit_tube
from viewport.scene import DancerPose

HORIZON = (0.105, 0.11, 0.13)
ZENITH = (0.035, 0.038, 0.05)
FLOOR_HALF_SIZE = 20.0


class ShaderError(RuntimeError):
    """A shader failed to compile or link (the message holds the driver's log)."""


def _compile(vertex: str, fragment: str) -> int:
    program = GL.glCreateProgram()
    stages = []
    for kind, source in ((GL.GL_VERTEX_SHADER, vertex), (GL.GL_FRAGMENT_SHADER, fragment)):
        shader = GL.glCreateShader(kind)
        GL.glShaderSource(shader, source)
        GL.glCompileShader(shader)
        if not GL.glGetShaderiv(shader, GL.GL_COMPILE_STATUS):
            raise ShaderError(GL.glGetShaderInfoLog(shader).decode(errors="replace"))
        GL.glAttachShader(program, shader)
        stages.append(shader)
    GL.glLinkProgram(program)
    if not GL.glGetProgramiv(program, GL.GL_LINK_STATUS):
        raise ShaderError(GL.glGetProgramInfoLog(program).decode(errors="replace"))
    for shader in stages:
        GL.glDetachShader(program, shader)
        GL.glDeleteShader(shader)
    return int(program)


class _InstancedMesh:
    """A mesh in a VAO with a per-instance attribute buffer that is refilled every frame."""

    def __init__(self, mesh: Mesh, instance_widths: Sequence[int]) -> None:
        self.n_indices = mesh.n_indices
        self.vao = GL.glGenVertexArrays(1)
        self.buffers = GL.glGenBuffers(3)
        vertex_buffer, element_buffer, self.instance_buffer = self.buffers
        GL.glBindVertexArray(self.vao)
        GL.glBindBuffer(GL.GL_ARRAY_BUFFER, vertex_buffer)
        GL.glBufferData(GL.GL_ARRAY_BUFFER, mesh.vertices.nbytes, mesh.vertices, GL.GL_STATIC_DRAW)
        GL.glEnableVertexAttribArray(0)
        GL.glVertexAttribPointer(0, 3, GL.GL_FLOAT, GL.GL_FALSE, 12, None)
        GL.glBindBuffer(GL.GL_ELEMENT_ARRAY_BUFFER, element_buffer)
        GL.glBufferData(
            GL.GL_ELEMENT_ARRAY_BUFFER, mesh.indices.nbytes, mesh.indices, GL.GL_STATIC_DRAW
        )
        GL.glBindBuffer(GL.GL_ARRAY_BUFFER, self.instance_buffer)
        stride = 4 * sum(instance_widths)
        offset = 0
        for location, width in enumerate(instance_widths, start=1):
            GL.glEnableVertexAttribArray(location)
            GL.glVertexAttribPointer(
                location, width, GL.GL_FLOAT, GL.GL_FALSE, stride, ctypes.c_void_p(offset)
            )
            GL.glVertexAttribDivisor(location, 1)
            offset += 4 * width
        GL.glBindVertexArray(0)

    def draw(self, instances: NDArray[np.float32]) -> None:
        if len(instances) == 0:
            return
        data = np.ascontiguousarray(instances, dtype=np.float32)
        GL.glBindBuffer(GL.GL_ARRAY_BUFFER, self.instance_buffer)
        # A fresh store each frame lets the driver orphan the old one instead of waiting on it.
        GL.glBufferData(GL.GL_ARRAY_BUFFER, data.nbytes, data, GL.GL_STREAM_DRAW)
        GL.glBindVertexArray(self.vao)
        GL.glDrawElementsInstanced(
            GL.GL_TRIANGLES, self.n_indices, GL.GL_UNSIGNED_INT, None, len(data)
        )

    def delete(self) -> None:
        GL.glDeleteVertexArrays(1, [self.vao])
        GL.glDeleteBuffers(3, self.buffers)


class Renderer:
    """Draws a list of :class:`~viewport.scene.DancerPose` from an :class:`OrbitCamera`.

    Create it and call :meth:`initialize` with the GL context current; :meth:`render` then
    draws into the bound framebuffer; :meth:`dispose` frees the GL objects (same context).
    """

    def __init__(self) -> None:
        self._ready = False

    def initialize(self) -> None:
        """Compile the shaders and build the buffers (needs a current 3.3 core context)."""
        self._limb_program = _compile(shaders.LIMB_VERTEX, shaders.BODY_FRAGMENT)
        self._sphere_program = _compile(shaders.SPHERE_VERTEX, shaders.BODY_FRAGMENT)
        self._floor_program = _compile(shaders.FLOOR_VERTEX, shaders.FLOOR_FRAGMENT)
        self._shadow_program = _compile(shaders.SHADOW_VERTEX, shaders.SHADOW_FRAGMENT)
        self._background_program = _compile(shaders.BACKGROUND_VERTEX, shaders.BACKGROUND_FRAGMENT)
        self._tube = _InstancedMesh(unit_tube(16), (4, 4, 4))
        self._sphere = _InstancedMesh(unit_sphere(10, 16), (4, 4))
        # The floor is one instance of the quad with an unused per-instance attribute.
        self._floor = _InstancedMesh(floor_quad(FLOOR_HALF_SIZE), (1,))
        self._shadow = _InstancedMesh(floor_quad(1.0), (4,))
        self._empty_vao = GL.glGenVertexArrays(1)
        self._ready = True

    @property
    def ready(self) -> bool:
        return self._ready

    def dispose(self) -> None:
        """Free every GL object (call with the same context current)."""
        if not self._ready:
            return
        for mesh in (self._tube, self._sphere, self._floor, self._shadow):
            mesh.delete()
        GL.glDeleteVertexArrays(1, [self._empty_vao])
        for program in (
            self._limb_program,
            self._sphere_program,
            self._floor_program,
            self._shadow_program,
            self._background_program,
        ):
            GL.glDeleteProgram(program)
        self._ready = False

    def render(
        self, poses: Sequence[DancerPose], camera: OrbitCamera, width: int, height: int
    ) -> None:
        """Draw ``poses`` into the bound framebuffer of ``width`` x ``height`` pixels."""
        self.render_stage(camera, width, height)
        self.render_dancers(poses, camera, width, height)

    def render_stage(self, camera: OrbitCamera, width: int, height: int) -> None:
        """Clear the bound framebuffer and draw what no dancer changes: the sky and the floor.

        It covers every pixel and costs most of a frame on a software renderer, so a caller
        whose camera stays still can draw it once and copy it (colour and depth) per frame.
        """
        GL.glViewport(0, 0, width, height)
        # Mirror mode flips winding and every mesh is closed or flat: no culling needed.
        GL.glDisable(GL.GL_CULL_FACE)
        GL.glDisable(GL.GL_BLEND)
        GL.glDepthMask(GL.GL_TRUE)
        GL.glColorMask(GL.GL_TRUE, GL.GL_TRUE, GL.GL_TRUE, GL.GL_TRUE)
        GL.glClearColor(*HORIZON, 1.0)
        GL.glClear(GL.GL_COLOR_BUFFER_BIT | GL.GL_DEPTH_BUFFER_BIT)

        view_proj = camera.view_projection(width / max(height, 1)).astype(np.float32)
        self._draw_background(view_proj)
        GL.glEnable(GL.GL_DEPTH_TEST)
        GL.glDepthFunc(GL.GL_LEQUAL)
        self._draw_floor(view_proj)
        GL.glBindVertexArray(0)
        GL.glUseProgram(0)
        GL.glDisable(GL.GL_DEPTH_TEST)

    def render_dancers(
        self, poses: Sequence[DancerPose], camera: OrbitCamera, width: int, height: int
    ) -> None:
        """Draw the dancers and their contact shadows over a stage from :meth:`render_stage`."""
        GL.glViewport(0, 0, width, height)
        GL.glDisable(GL.GL_CULL_FACE)
        GL.glDisable(GL.GL_BLEND)
        GL.glDepthMask(GL.GL_TRUE)
        view_proj = camera.view_projection(width / max(height, 1)).astype(np.float32)
        eye = camera.eye.astype(np.float32)
        GL.glEnable(GL.GL_DEPTH_TEST)
        GL.glDepthFunc(GL.GL_LEQUAL)
        self._draw_shadows(view_proj, poses)

        solid = [p for p in poses if not p.ghost]
        ghosts = [p for p in poses if p.ghost]
        self._draw_bodies(solid, view_proj, eye)
        if ghosts:
            # Depth first, then colour only on the front-most ghost surface: overlapping
            # capsules of one ghost then blend once, not in darker patches where they meet.
            GL.glColorMask(GL.GL_FALSE, GL.GL_FALSE, GL.GL_FALSE, GL.GL_FALSE)
            self._draw_bodies(ghosts, view_proj, eye)
            GL.glColorMask(GL.GL_TRUE, GL.GL_TRUE, GL.GL_TRUE, GL.GL_TRUE)
            GL.glDepthMask(GL.GL_FALSE)
            GL.glEnable(GL.GL_BLEND)
            # The frame stays opaque (alpha 1) under a ghost: the viewport shows its pixels as
            # a QImage of Format_RGB32, which expects no other alpha.
            GL.glBlendFuncSeparate(
                GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA, GL.GL_ZERO, GL.GL_ONE
            )
            self._draw_bodies(ghosts, view_proj, eye)
            GL.glDisable(GL.GL_BLEND)
            GL.glDepthMask(GL.GL_TRUE)
        GL.glBindVertexArray(0)
        GL.glUseProgram(0)
        GL.glDisable(GL.GL_DEPTH_TEST)

    def _draw_background(self, view_proj: NDArray[np.float32]) -> None:
        program = self._background_program
        GL.glDisable(GL.GL_DEPTH_TEST)
        GL.glUseProgram(program)
        inverse = np.linalg.inv(view_proj.astype(np.float64)).astype(np.float32)
        GL.glUniformMatrix4fv(_uniform(program, "u_inv_view_proj"), 1, GL.GL_TRUE, inverse)
        GL.glUniform3f(_uniform(program, "u_horizon"), *HORIZON)
        GL.glUniform3f(_uniform(program, "u_zenith"), *ZENITH)
        GL.glBindVertexArray(self._empty_vao)
        GL.glDrawArrays(GL.GL_TRIANGLES, 0, 3)

    def _draw_floor(self, view_proj: NDArray[np.float32]) -> None:
        GL.glUseProgram(self._floor_program)
        GL.glUniformMatrix4fv(
            _uniform(self._floor_program, "u_view_proj"), 1, GL.GL_TRUE, view_proj
        )
        GL.glUniform3f(_uniform(self._floor_program, "u_horizon"), *HORIZON)
        self._floor.draw(np.zeros((1, 1), np.float32))

    def _draw_shadows(self, view_proj: NDArray[np.float32], poses: Sequence[DancerPose]) -> None:
        # Contact shadows: small quads multiplied onto the floor, so their cost follows their
        # size on screen rather than (floor pixels x discs) as a per-pixel loop would.
        GL.glUseProgram(self._shadow_program)
        GL.glUniformMatrix4fv(
            _uniform(self._shadow_program, "u_view_proj"), 1, GL.GL_TRUE, view_proj
        )
        GL.glDepthMask(GL.GL_FALSE)
        GL.glEnable(GL.GL_BLEND)
        GL.glBlendFunc(GL.GL_ZERO, GL.GL_SRC_COLOR)
        GL.glEnable(GL.GL_POLYGON_OFFSET_FILL)
        GL.glPolygonOffset(-1.0, -1.0)  # lie on the floor without fighting it for depth
        self._shadow.draw(contact_shadows(poses))
        GL.glDisable(GL.GL_POLYGON_OFFSET_FILL)
        GL.glDisable(GL.GL_BLEND)
        GL.glDepthMask(GL.GL_TRUE)

    def _draw_bodies(
        self, poses: Sequence[DancerPose], view_proj: NDArray[np.float32], eye: NDArray[np.float32]
    ) -> None:
        if not poses:
            return
        instances = body_instances(poses)
        for program, mesh, data in (
            (self._limb_program, self._tube, instances.limbs),
            (self._sphere_program, self._sphere, instances.spheres),
        ):
            GL.glUseProgram(program)
            GL.glUniformMatrix4fv(_uniform(program, "u_view_proj"), 1, GL.GL_TRUE, view_proj)
            GL.glUniform3f(_uniform(program, "u_eye"), *eye)
            mesh.draw(data)


def _uniform(program: int, name: str) -> int:
    return int(GL.glGetUniformLocation(program, name))
