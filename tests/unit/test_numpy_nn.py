"""The numpy layers against the torch layers they stand in for."""

from __future__ import annotations

import numpy as np
import pytest

from inference.numpy_nn import as_numpy_state, conv1d, gelu

torch = pytest.importorskip("torch")


def test_gelu_is_torchs_exact_gelu() -> None:
    x = np.linspace(-6, 6, 1001, dtype=np.float32)
    expected = torch.nn.functional.gelu(torch.from_numpy(x)).numpy()
    assert np.abs(gelu(x) - expected).max() < 1e-6


@pytest.mark.parametrize(("kernel", "dilation"), [(1, 1), (3, 1), (3, 4), (5, 2)])
def test_conv1d_is_torchs_replicate_padded_conv(kernel: int, dilation: int) -> None:
    torch.manual_seed(0)
    layer = torch.nn.Conv1d(
        6, 5, kernel, dilation=dilation, padding=dilation * (kernel - 1) // 2,
        padding_mode="replicate",
    )  # fmt: skip
    x = np.random.default_rng(0).normal(size=(2, 6, 23)).astype(np.float32)
    with torch.no_grad():
        expected = layer(torch.from_numpy(x)).numpy()
    state = as_numpy_state(layer.state_dict())
    got = conv1d(x, state["weight"], state["bias"], dilation)
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() < 1e-5
