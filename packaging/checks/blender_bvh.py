"""Check that Blender's own BVH importer reads our exports exactly, with no fix-up.

Run it with a Python that has Blender as a module (``pip install bpy==4.2.0`` in a separate
Python 3.11 venv; it is ~350 MB, so it is not a project dependency):

    .venv/bin/python -c "from inference.motion import load_motion; import numpy as np; \\
        np.save('/tmp/ours.npy', load_motion('routine.bvh').positions())"
    /path/to/bpy-venv/bin/python packaging/checks/blender_bvh.py routine.bvh /tmp/ours.npy

It imports the BVH with Blender's default axes (BVH Y-up to Blender Z-up) and scale 1, then
compares every joint's world position with ours at 40 frames spread over the motion, and
prints the largest difference in millimetres.
"""

import sys

import bpy  # type: ignore[import-not-found]
import numpy as np


def main(bvh_path: str, positions_path: str) -> float:
    ours = np.load(positions_path)  # (T, J, 3), Y-up metres, joints in file order
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.ops.import_anim.bvh(
        filepath=bvh_path,
        global_scale=1.0,
        frame_start=1,
        use_fps_scale=False,
        update_scene_fps=True,
        update_scene_duration=True,
        rotate_mode="NATIVE",
        axis_forward="-Z",
        axis_up="Y",
    )
    armature = next(o for o in bpy.data.objects if o.type == "ARMATURE")
    scene = bpy.context.scene
    print(
        f"bones: {len(armature.pose.bones)}, frames {scene.frame_start}-{scene.frame_end}, "
        f"{scene.render.fps} fps"
    )
    worst = 0.0
    for frame in range(0, ours.shape[0], max(1, ours.shape[0] // 40)):
        scene.frame_set(frame + 1)
        blender = np.array([list(armature.matrix_world @ b.head) for b in armature.pose.bones])
        # Blender is Z-up: our (x, y, z) is Blender's (x, -z, y).
        expected = np.stack([ours[frame, :, 0], -ours[frame, :, 2], ours[frame, :, 1]], axis=1)
        worst = max(worst, float(np.linalg.norm(blender - expected, axis=1).max()))
    print(f"largest joint position difference, Blender vs EightCount: {worst * 1000:.3f} mm")
    return worst


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1], sys.argv[2]) < 1e-3 else 1)
