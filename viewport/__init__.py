"""The 3D viewport: shaded dancers on a stage floor, orbit camera, mirror mode, MP4 export.

Modules: ``camera`` (pure maths), ``meshes`` and ``body`` (geometry as numpy), ``scene`` (what
is under the playhead: :func:`viewport.scene.poses_at`), ``shaders`` and ``renderer`` (GL 3.3
core), ``offscreen`` (a hidden GL context rendering frames into arrays), ``widget``
(:class:`viewport.widget.DancerViewport`, a raster QWidget that paints the offscreen frames, so
the window is never composed through OpenGL) and ``export`` (MP4). Import the Qt modules
directly; this package imports nothing, so ``scene`` and ``camera`` load without Qt or GL.
"""
