"""Check our FBX reader against Blender's own FBX importer, joint by joint, frame by frame.

Run it with a Python that has Blender as a module (``pip install bpy==4.2.0`` in a separate
Python 3.11 venv; it is ~350 MB, so it is not a project dependency), from the project root:

    /path/to/bpy-venv/bin/python packaging/checks/blender_fbx.py ../shared/data/motion/mixamo/*.fbx

For each file it asks the project's venv (``.venv/bin/python``, or ``$EIGHTCOUNT_PYTHON``) for
our source-joint world positions (``inference.motion.fbx_import.read_fbx``: file units, Y up,
before retargeting) of every joint that maps onto a canonical joint, imports the file with
Blender (default settings: unit scale applied, Y up turned to Blender's Z up, animation from
frame 0), and compares the bone heads at every frame. Mixamo files are in centimetres and
Blender applies the unit scale, so Blender's metres are compared with our centimetres x 0.01;
the figures are in cm. It fails (exit 1) when any joint is more than 1 cm off on any frame
but the last.

``--fixture PATH`` also writes a few frames of a few joints of Blender's positions (metres,
Y up, float32) to an .npz that the unit tests compare with, without bpy.

Blender's last frame is reported apart: on three files Blender holds the previous pose there
although the file keys a new one, and ufbx (an independent FBX reader) reads the key as we do.

Measured (Blender 4.2.0, libassimp 5.2.5, every mapped joint, every frame but the last),
worst / mean in cm:

    Breakdance_1990              0.0002 / 0.0000   last frame 0.0001
    Brooklyn_Uprock              0.0001 / 0.0000   last frame 0.0000
    Chapa-Giratoria              0.0001 / 0.0000   last frame 0.0001
    Dancing_Running_Man          0.0002 / 0.0000   last frame 0.0000
    Dancing_Twerk                0.0001 / 0.0000   last frame 0.0000
    Flair                        0.0001 / 0.0000   last frame 0.0001
    Gangnam_Style                0.0002 / 0.0000   last frame 0.5948
    Hip_Hop_Dancing              0.0001 / 0.0000   last frame 0.0000
    Locking_Hip_Hop_Dance        0.0005 / 0.0000   last frame 0.0001
    Northern_Soul_Floor_Combo    0.0003 / 0.0000   last frame 2.3494
    Rumba_Dancing                0.0000 / 0.0000   last frame 0.0000
    Salsa_Dancing                0.0001 / 0.0000   last frame 0.0000
    Samba_Dancing                0.0001 / 0.0000   last frame 0.0001
    Swing_Dancing                0.0000 / 0.0000   last frame 0.0000
    Tut_Hip_Hop_Dance            0.0002 / 0.0000   last frame 0.0000
    Twist_Dance                  0.0001 / 0.0000   last frame 0.0000
    Wave_Hip_Hop_Dance           0.0002 / 0.0000   last frame 0.0000
    mixamo                       0.0002 / 0.0000   last frame 0.4520
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import bpy  # type: ignore[import-not-found]
import numpy as np

TOLERANCE_CM = 1.0
FIXTURE_JOINTS = ("pelvis", "head", "wrist_l", "wrist_r", "knee_l", "ankle_r", "toe_l")
FIXTURE_FRAMES = 4

_OURS = """
import json, sys
import numpy as np
from inference.motion.bvh_import import map_joints
from inference.motion.fbx_import import read_fbx
from inference.motion.node_anim import tree_hierarchy
tree, pos = read_fbx(sys.argv[1])
mapping = map_joints(tree_hierarchy(tree, pos))
names = sorted(mapping)
np.save(sys.argv[2], pos[:, [mapping[n] for n in names]])
print(json.dumps({"canonical": names, "nodes": [tree.names[mapping[n]] for n in names],
                  "fps": tree.fps}))
"""


def ours(path: Path, tmp: Path) -> tuple[dict[str, object], np.ndarray]:
    python = os.environ.get("EIGHTCOUNT_PYTHON", ".venv/bin/python")
    out = tmp / "ours.npy"
    res = subprocess.run(
        [python, "-c", _OURS, str(path), str(out)], capture_output=True, text=True, check=True
    )
    return json.loads(res.stdout.strip().splitlines()[-1]), np.load(out)


def blender_positions(path: Path, nodes: list[str], n_frames: int) -> np.ndarray:
    """(T, J, 3) Blender bone heads in metres, turned back to Y up."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.ops.import_scene.fbx(filepath=str(path), anim_offset=0.0)
    armature = next(o for o in bpy.data.objects if o.type == "ARMATURE")
    scene = bpy.context.scene
    bones = [armature.pose.bones[n] for n in nodes]
    out = np.empty((n_frames, len(nodes), 3))
    for f in range(n_frames):
        scene.frame_set(f)
        zup = np.array([list(armature.matrix_world @ b.head) for b in bones])
        # Blender is Z-up: its (x, y, z) is our (x, z, -y).
        out[f] = np.stack([zup[:, 0], zup[:, 2], -zup[:, 1]], axis=1)
    return out


def main(paths: list[str], fixture: str | None) -> bool:
    ok = True
    store: dict[str, np.ndarray] = {}
    with tempfile.TemporaryDirectory() as tmp_dir:
        for raw in paths:
            path = Path(raw)
            info, mine = ours(path, Path(tmp_dir))
            nodes = list(info["nodes"])  # type: ignore[call-overload]
            theirs = blender_positions(path, nodes, mine.shape[0])
            err_cm = np.linalg.norm(mine * 0.01 - theirs, axis=-1) * 100.0
            # Blender's last frame is judged apart (see the module notes).
            worst, mean = float(err_cm[:-1].max()), float(err_cm[:-1].mean())
            ok &= worst <= TOLERANCE_CM
            print(
                f"{path.stem:28s} {mine.shape[0]:5d} frames {len(nodes):2d} joints  "
                f"worst {worst:.4f} cm  mean {mean:.4f} cm  last frame {err_cm[-1].max():.4f} cm"
            )
            if fixture:
                names = list(info["canonical"])  # type: ignore[call-overload]
                cols = [names.index(n) for n in FIXTURE_JOINTS]
                frames = np.linspace(0, mine.shape[0] - 2, FIXTURE_FRAMES).round().astype(int)
                store[f"{path.stem}/frames"] = frames
                store[f"{path.stem}/positions"] = theirs[frames][:, cols].astype(np.float32)
    if fixture:
        np.savez_compressed(fixture, joints=np.array(FIXTURE_JOINTS), **store)
    print("all joints within 1 cm of Blender" if ok else "SOME JOINTS ARE OFF BY OVER 1 CM")
    return ok


if __name__ == "__main__":
    args = sys.argv[1:]
    fixture_path = None
    if "--fixture" in args:
        i = args.index("--fixture")
        fixture_path = args[i + 1]
        del args[i : i + 2]
    sys.exit(0 if main(args, fixture_path) else 1)
