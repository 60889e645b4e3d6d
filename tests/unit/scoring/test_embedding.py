"""The view embedding: its inputs, its weights on disk, and the training script's steps."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from inference.scoring.body import BodyTrack
from inference.scoring.camera import Camera, facing_yaw, project
from inference.scoring.embedding import (
    N_INPUTS,
    EmbeddingConfig,
    build_network,
    embed,
    embedding_helps,
    load_embedding,
    save_embedding,
    window_inputs,
)


@pytest.fixture(scope="module")
def clip(perfume: dict[str, BodyTrack]) -> BodyTrack:
    return BodyTrack(perfume["aachan"].points[600:900], 30.0)


def test_inputs_ignore_where_and_how_big_the_dancer_is_in_the_picture(clip: BodyTrack) -> None:
    flat = project(clip, Camera())
    x = window_inputs(flat)
    assert x.shape == (clip.n_frames, N_INPUTS) and np.isfinite(x).all()
    moved = BodyTrack(0.4 * flat.points + np.array([250.0, 80.0]), 30.0)
    np.testing.assert_allclose(window_inputs(moved), x, atol=1e-5)


def test_unseen_joints_are_zeros_with_a_flag(clip: BodyTrack) -> None:
    p = np.array(project(clip, Camera()).points)
    p[:, 4] = np.nan  # the left wrist never seen
    x = window_inputs(BodyTrack(p, 30.0)).reshape(clip.n_frames, -1, 12, 3)
    assert np.all(x[:, :, 4] == 0.0)
    assert np.all(x[:, :, 5, 2] == 1.0)


def test_the_same_dance_from_another_side_stays_closer_than_another_dance(
    clip: BodyTrack, perfume: dict[str, BodyTrack]
) -> None:
    yaw = facing_yaw(clip)
    front = embed(project(clip, Camera(azimuth=yaw)))
    side = embed(project(clip, Camera(azimuth=yaw + np.pi / 3, distance=6.0)))
    other_clip = BodyTrack(perfume["A_test"].points[600:900], 30.0)
    other = embed(project(other_clip, Camera(azimuth=facing_yaw(other_clip))))
    same_d = np.mean(1.0 - np.sum(front * side, axis=1))
    other_d = np.mean(1.0 - np.sum(front * other, axis=1))
    assert same_d < 0.5 * other_d, (same_d, other_d)


def test_weights_round_trip_and_the_measured_figures_decide(
    tmp_path: Path, clip: BodyTrack
) -> None:
    net = build_network(EmbeddingConfig(hidden=16, dim=8))
    save_embedding(
        net,
        EmbeddingConfig(hidden=16, dim=8),
        {"auc_embedding": 0.6, "auc_joint_angles": 0.7},
        tmp_path,
    )
    load_embedding.cache_clear()
    loaded = load_embedding(tmp_path)
    flat = project(clip, Camera())
    import torch

    with torch.no_grad():  # the numpy forward pass is the torch network's
        expected = net(torch.from_numpy(window_inputs(flat))).numpy()
    np.testing.assert_allclose(embed(flat, loaded), expected, atol=1e-5)
    assert not embedding_helps(tmp_path)  # measured worse than the joint angles: not used
    doc = json.loads((tmp_path / "view_embedding.json").read_text())
    doc["auc_embedding"] = 0.9
    (tmp_path / "view_embedding.json").write_text(json.dumps(doc))
    assert embedding_helps(tmp_path)


def test_a_corrupt_weights_file_is_a_clear_error(tmp_path: Path) -> None:
    from inference.errors import BadFileError

    (tmp_path / "view_embedding.json").write_text(json.dumps({"config": {"hidden": 16, "dim": 8}}))
    (tmp_path / "view_embedding.pt").write_bytes(b"not a state dict")
    load_embedding.cache_clear()
    with pytest.raises(BadFileError, match=r"view_embedding\.pt: cannot load"):
        load_embedding(tmp_path)


def test_training_steps_lower_the_contrastive_loss(perfume: dict[str, BodyTrack]) -> None:
    from inference.training import train_view_embedding as training

    files = training.training_files(Path(__file__).resolve().parents[4] / "shared" / "data")
    names = " ".join(str(f) for f in files)
    assert "perfume" not in names and "bandai" not in names and "gBR_" not in names
    assert "cmu_salsa" in names and "mixamo" in names and "tang2018" in names
    # A few steps on two short clips (test data only), to see the loop learn.
    clips = [
        BodyTrack(perfume["aachan"].points[:400], 30.0),
        BodyTrack(perfume["A_test"].points[:400], 30.0),
    ]
    rng = np.random.default_rng(0)
    pool = training.build_pool(clips, rng)
    xa, xb = training.batch(pool, rng)
    assert tuple(xa.shape) == (training.BATCH, N_INPUTS)
    xa, xb = xa[:64], xb[:64]
    net = build_network(EmbeddingConfig(hidden=64, dim=16))
    before = training.info_nce(net(xa), net(xb)).item()
    import torch

    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    for _ in range(20):
        loss = training.info_nce(net(xa), net(xb))
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.7 * before
