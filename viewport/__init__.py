"""The OpenGL viewport: shaded dancers on a stage floor, orbit camera, mirror mode, MP4 export.

Modules: ``camera`` (pure maths), ``meshes`` and ``body`` (geometry as numpy), ``scene`` (what
is under the playhead: :func:`viewport.scene.poses_at`), ``shaders`` and ``renderer`` (GL 3.3
core), ``widget`` (:class:`viewport.widget.DancerViewport`), ``offscreen`` and ``export``
(windowless rendering and MP4). Import the Qt modules directly; this package imports nothing,
so ``scene`` and ``camera`` load without Qt or GL.
"""
