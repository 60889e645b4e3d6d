"""The neural in-betweener: shipped weights, accuracy against slerp at the shipped gains,
determinism."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from inference.generate import inbetween as ib
from inference.generate.assembly import chain
from inference.generate.inbetween_net import NumpyInbetweenNet, build_network
from inference.generate.library import load_library
from inference.motion import ground, load_motion
from inference.motion.motion import Motion
from inference.motion.ops import trim
from inference.motion.skeleton import CANONICAL


@pytest.fixture(scope="module")
def bandai(shared_data: Path) -> Motion:
    """The Bandai Namco dance: real motion the model never saw (CC BY-NC, evaluation only)."""
    path = shared_data / "motion" / "bandai_namco" / "dataset-1_dance-short_normal_001.bvh"
    return ground(load_motion(path, bone_lengths="canonical"))


@pytest.fixture(scope="module")
def model() -> ib.Inbetweener:
    if not ib.WEIGHTS_PATH.is_file():
        pytest.fail(
            f"the shipped in-betweener weights are missing: {ib.WEIGHTS_PATH} "
            "(python -m inference.training.train_inbetweener rebuilds them)"
        )
    net = ib.load_inbetweener(device="cpu")
    assert net is not None, "the shipped in-betweener must load"
    return net


def test_weights_are_small_plain_arrays(model: ib.Inbetweener) -> None:
    assert ib.WEIGHTS_PATH.stat().st_size < 20e6
    state = ib.read_state(ib.WEIGHTS_PATH)  # allow_pickle=False: arrays and nothing else
    assert all(v.dtype == np.float32 for v in state.values())
    meta = json.loads(ib.META_PATH.read_text())
    assert set(meta["training"]["files"]) == {
        f"{t}_scaled.bvh" for t in ("60_01", "60_05", "61_01", "61_05")
    }
    assert "bandai" in meta["heldout"] and "tang" in meta["heldout"]
    from inference.training.train_inbetweener import shipped_gain

    # The record beside the weights is measured at the gains the generator ships.
    assert {
        name: {f["gain"] for f in per_gap.values()} for name, per_gap in meta["heldout"].items()
    } == {name: {shipped_gain(name)} for name in meta["heldout"]}


@pytest.mark.parametrize(("gap", "max_ratio"), [(10, 0.85), (20, 0.85)])
def test_beats_slerp_on_held_out_real_dance(
    shared_data: Path, model: ib.Inbetweener, gap: int, max_ratio: float
) -> None:
    from inference.training.train_inbetweener import HELDOUT_TAKES, evaluate_gap, salsa

    # Measured on the CMU take 13 pair (never trained on): 0.69 at 10 frames, 0.71 at 20.
    figures = evaluate_gap([m for _, m in salsa(shared_data, HELDOUT_TAKES)], gap, model, 30)
    ratio = figures["mpjpe_cm_model"] / figures["mpjpe_cm_slerp"]
    assert ratio < max_ratio, figures


def test_output_is_finite_keeps_bones_and_joins_the_context(
    bandai: Motion, model: ib.Inbetweener
) -> None:
    before, after = trim(bandai, 300, 340), trim(bandai, 355, 400)
    gap = ib.inbetween(before, after, 15, model)
    assert gap.n_frames == 15 and gap.skeleton is CANONICAL
    pos = gap.positions()
    assert np.all(np.isfinite(pos))
    bones = np.array([np.linalg.norm(pos[:, j] - pos[:, p], axis=-1) for p, j in CANONICAL.bones()])
    rest = np.linalg.norm(CANONICAL.offsets[[j for _, j in CANONICAL.bones()]], axis=-1)
    assert np.allclose(bones, rest[:, None], atol=1e-9)
    whole = np.concatenate([before.positions()[-3:], pos, after.positions()[:3]])
    steps = np.linalg.norm(np.diff(whole, axis=0), axis=-1).max(axis=1)
    real = np.linalg.norm(np.diff(bandai.positions()[297:358], axis=0), axis=-1).max(axis=1)
    # Continuity: no frame-to-frame jump at the two joins beyond what the real dance does.
    assert steps[2] < 2.0 * real.max() + 0.01 and steps[-3] < 2.0 * real.max() + 0.01


def test_deterministic_on_cpu(bandai: Motion, model: ib.Inbetweener) -> None:
    idx = np.arange(500, 500 + 2 * ib.CONTEXT + 12)
    windows = (bandai.root_translation[idx][None], bandai.local_rotations[idx][None])
    a = ib.fill_windows(*windows, 12, model)
    b = ib.fill_windows(*windows, 12, model)
    assert a[2] == b[2] == "model"
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_device_choice(monkeypatch: pytest.MonkeyPatch, model: ib.Inbetweener) -> None:
    from inference.device import pick_device

    monkeypatch.setenv("EIGHTCOUNT_FORCE_CPU", "1")
    assert pick_device() == "cpu"
    ib._LOADED.pop((str(ib.WEIGHTS_PATH), "cpu"), None)
    net = ib.load_inbetweener()
    assert net is not None and net.device == "cpu"
    assert isinstance(net.network, NumpyInbetweenNet)  # the CPU runs it without torch


def test_falls_back_to_slerp_with_a_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, bandai: Motion
) -> None:
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"not a numpy archive")
    with caplog.at_level(logging.WARNING):
        assert ib.load_inbetweener(bad, ib.META_PATH, device="cpu") is None
    assert "transitions use slerp" in caplog.text
    idx = np.arange(2 * ib.CONTEXT + 6)
    root, _, method = ib.fill_windows(
        bandai.root_translation[idx][None], bandai.local_rotations[idx][None], 6, False
    )
    assert method == "slerp" and root.shape == (1, 6, 3)


def test_generator_seams_use_the_model(model: ib.Inbetweener) -> None:
    library = load_library()
    units = [library.index("ready"), *range(0, 40, 7), library.index("finish_pose")]
    spread = chain(library, units)
    learned = chain(library, units, model=model)
    assert spread[0].shape == learned[0].shape
    assert not np.array_equal(spread[1], learned[1])
    assert np.all(np.isfinite(learned[0])) and np.all(np.isfinite(learned[1]))


@pytest.mark.parametrize("gap", [9, 20])
def test_the_shipped_gain_is_about_slerp_on_dance_never_used_to_choose_it(
    shared_data: Path, model: ib.Inbetweener, gap: int
) -> None:
    """Perfume and AIST++ street dance: the generator's seams there run at SHRUNK_GAIN.

    Measured (windows every 30 frames): position error 1.007x slerp's at 9 frames (the
    generator's seam) and 0.988x at 20, foot skating 1.06x at both; at full gain 1.19x and 1.08x.
    """
    from inference.training.train_inbetweener import evaluate_gap, pop_street, shipped_gain

    motions = pop_street(shared_data)
    assert shipped_gain("pop_street") == ib.SHRUNK_GAIN
    shrunk = evaluate_gap(motions, gap, model, 30, ib.SHRUNK_GAIN)
    full = evaluate_gap(motions, gap, model, 30, 1.0)
    ratio = shrunk["mpjpe_cm_model"] / shrunk["mpjpe_cm_slerp"]
    assert ratio <= 1.01, shrunk
    assert shrunk["skate_model"] <= 1.15 * shrunk["skate_slerp"], shrunk
    assert shrunk["mpjpe_cm_model"] < full["mpjpe_cm_model"]


def test_splice_edges_are_redrawn_inside_the_run_only(model: ib.Inbetweener) -> None:
    from inference.generate.splice import EDGE_GAP, splice

    library = load_library()
    root, rots = chain(library, list(range(0, 60, 5)))
    old = Motion(CANONICAL, 30.0, root, rots)
    root2, rots2 = chain(library, list(range(1, 61, 5)))
    new = Motion(CANONICAL, 30.0, root2, rots2)
    changed = np.zeros(old.n_frames, dtype=bool)
    changed[40:100] = True
    changed[150:160] = True  # too short for two edges: offset-corrected only
    plain, learned = splice(old, new, changed), splice(old, new, changed, model)
    edges = np.zeros(old.n_frames, dtype=bool)
    edges[40 : 40 + EDGE_GAP] = edges[100 - EDGE_GAP : 100] = True
    np.testing.assert_array_equal(learned.local_rotations[~edges], plain.local_rotations[~edges])
    assert np.abs(learned.local_rotations[edges] - plain.local_rotations[edges]).max() > 1e-3


def test_the_numpy_network_is_the_torch_network(model: ib.Inbetweener) -> None:
    """The CPU runs the shipped weights in numpy; torch (training, CUDA) must agree."""
    torch = pytest.importorskip("torch")
    state = ib.read_state(ib.WEIGHTS_PATH)
    module = build_network(model.config)
    module.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=True)
    module.eval()
    x = (
        np.random.default_rng(3)
        .normal(
            size=(
                4,
                model.network_input(np.zeros((1, 2 * ib.CONTEXT + 9, ib.N_FEATURES)), 9).shape[1],
                2 * ib.CONTEXT + 9,
            )
        )
        .astype(np.float32)
    )
    with torch.inference_mode():
        expected = module(torch.from_numpy(x)).numpy()
    got = NumpyInbetweenNet(state, model.config)(x)
    assert np.abs(got - expected).max() < 1e-4 * max(1.0, float(np.abs(expected).max()))


def test_weights_that_do_not_fit_are_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = ib.read_state(ib.WEIGHTS_PATH)
    state["inp.weight"] = state["inp.weight"][:, :-1]
    bad = tmp_path / "wrong_shape.npz"
    np.savez(bad, **state)
    with caplog.at_level(logging.WARNING):
        assert ib.load_inbetweener(bad, ib.META_PATH, device="cpu") is None
    assert "inp.weight has shape" in caplog.text
