"""The few network layers the studio runs in numpy, so that inference on the CPU needs no torch.

Importing torch costs about a second at every cold start (a quarter of a whole ``eightcount
generate`` on a one-minute song) and starts threads that compete with the rest of the studio on
a small machine; the shipped networks are small enough that numpy runs them as fast. Each layer
matches its torch counterpart (tested against torch in ``tests/unit/test_numpy_nn.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import erf

Array32 = NDArray[np.float32]


def gelu(x: Array32) -> Array32:
    """Exact GELU, torch's default (not the tanh approximation)."""
    return np.asarray(0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0)))), dtype=x.dtype)


def conv1d(x: Array32, weight: Array32, bias: Array32 | None, dilation: int = 1) -> Array32:
    """``torch.nn.Conv1d`` with stride 1 and "same" length: (B, C, L) -> (B, O, L).

    ``weight`` is (O, C, K) with K odd; the input is padded by ``dilation * (K - 1) / 2``
    frames on each side, repeating the edge frames (``padding_mode="replicate"``).
    """
    out_ch, _, kernel = weight.shape
    pad = dilation * (kernel - 1) // 2
    length = x.shape[-1]
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad)), mode="edge") if pad else x
    y = np.zeros((x.shape[0], out_ch, length), dtype=np.float32)
    for k in range(kernel):
        y += weight[:, :, k] @ padded[:, :, k * dilation : k * dilation + length]
    if bias is not None:
        y += bias[None, :, None]
    return y


def as_numpy_state(state: dict[str, Any]) -> dict[str, Array32]:
    """A state dict of tensors or arrays as float32 numpy arrays."""
    return {
        key: np.asarray(
            value.detach().cpu().numpy() if hasattr(value, "detach") else value, dtype=np.float32
        )
        for key, value in state.items()
    }
