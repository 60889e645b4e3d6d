"""Body geometry without GL: capsules are closed, shadows follow the feet, ghosts are lighter."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from inference.motion import CANONICAL
from tests.gui.viewport.conftest import rest_pose
from viewport import body
from viewport.body import GHOST_ALPHA, body_instances, contact_shadows
from viewport.meshes import floor_quad, unit_sphere, unit_tube


def test_every_limb_start_is_covered_by_the_sphere_at_its_joint() -> None:
    pose = rest_pose()
    limbs, spheres = body_instances([pose]).limbs, body_instances([pose]).spheres
    for start, radius in zip(limbs[:, :3], limbs[:, 3], strict=True):
        at_joint = spheres[np.linalg.norm(spheres[:, :3] - start, axis=1) < 1e-6]
        assert len(at_joint) and at_joint[:, 3].max() >= radius - 1e-6


def test_instances_carry_each_dancers_colour_and_ghost_alpha() -> None:
    solid, ghost = rest_pose(0.0, "#ff0000"), rest_pose(1.0, "#00ff00", ghost=True)
    inst = body_instances([solid, ghost])
    n_limbs, n_spheres = len(inst.limbs) // 2, len(inst.spheres) // 2
    np.testing.assert_allclose(inst.limbs[:n_limbs, 8:], [[1, 0, 0, 1]] * n_limbs)
    np.testing.assert_allclose(inst.spheres[n_spheres:, 4:], [[0, 1, 0, GHOST_ALPHA]] * n_spheres)
    assert body_instances([]).limbs.shape == (0, 12)


def test_a_lifted_foot_casts_a_wider_fainter_shadow() -> None:
    pose = rest_pose()
    ankle = CANONICAL.index("ankle_l")
    lifted = pose.positions.copy()
    lifted[ankle, 1] += 0.15
    planted_disc = contact_shadows([pose])[0]
    lifted_disc = contact_shadows([replace(pose, positions=lifted)])[0]
    assert lifted_disc[2] > planted_disc[2] and lifted_disc[3] < planted_disc[3]
    lifted[ankle, 1] += 1.0  # far above the floor: no shadow at all for that joint
    assert len(contact_shadows([replace(pose, positions=lifted)])) == len(body._CONTACTS) - 1
    ghost_disc = contact_shadows([replace(pose, ghost=True)])[0]
    assert ghost_disc[3] == pytest.approx(planted_disc[3] * GHOST_ALPHA)


def test_unit_meshes_have_the_promised_shape() -> None:
    sphere = unit_sphere(6, 8)
    np.testing.assert_allclose(np.linalg.norm(sphere.vertices, axis=1), 1.0, atol=1e-6)
    tube = unit_tube(8)
    np.testing.assert_allclose(np.hypot(tube.vertices[:, 0], tube.vertices[:, 1]), 1.0, atol=1e-6)
    assert set(np.unique(tube.vertices[:, 2])) == {0.0, 1.0}
    for mesh in (sphere, tube, floor_quad(2.0)):
        assert mesh.indices.max() < len(mesh.vertices) and mesh.n_indices % 3 == 0
