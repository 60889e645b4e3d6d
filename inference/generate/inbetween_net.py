"""The in-betweener's network, in torch for training and CUDA and in numpy for the CPU, and
its torch maths for training (6D rotations, forward kinematics).

torch is imported inside every function, so importing this module costs nothing; on the CPU
the studio never imports torch for transitions at all (:class:`NumpyInbetweenNet`).

The network is a small dilated 1-D convolution over the frames of one window: ``context``
known frames, the gap, ``context`` known frames. Its input is the context in the features of
:mod:`inference.generate.inbetween`, relative to the gap's boundary frames and normalised, the
jump across the gap, a gap mask and the phase within the gap; its output is a residual over
the slerp/lerp baseline for the gap frames. The last layer starts at zero, so an untrained
network *is* slerp, and training can only move it away from slerp where the data says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.motion.skeleton import CANONICAL
from inference.numpy_nn import Array32, as_numpy_state, conv1d, gelu

N_JOINTS = CANONICAL.n_joints
N_FEATURES = 3 + 6 * N_JOINTS
"""Per frame: root position (3) in the window's frame, then a 6D rotation per joint."""
IN_CHANNELS = 2 * N_FEATURES + 2
"""Context relative to the gap's boundary frames, the boundary jump, gap mask, gap phase."""


@dataclass(frozen=True)
class NetConfig:
    """Architecture hyper-parameters (saved next to the weights)."""

    hidden: int = 128
    dilations: tuple[int, ...] = (1, 2, 4, 8, 16, 1)
    kernel: int = 3

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out = asdict(self)
        out["dilations"] = list(self.dilations)
        return out

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> NetConfig:
        """The inverse of :meth:`to_json`."""
        return cls(int(doc["hidden"]), tuple(int(d) for d in doc["dilations"]), int(doc["kernel"]))


def build_network(config: NetConfig) -> Any:
    """A fresh ``torch.nn.Module``: (B, IN_CHANNELS, L) -> (B, N_FEATURES, L) residual."""
    import torch
    from torch import nn

    class Block(nn.Module):
        def __init__(self, width: int, dilation: int, kernel: int) -> None:
            super().__init__()
            pad = dilation * (kernel - 1) // 2
            self.conv = nn.Conv1d(width, width, kernel, dilation=dilation, padding=pad,
                                  padding_mode="replicate")  # fmt: skip
            self.mix = nn.Conv1d(width, width, 1)
            self.act = nn.GELU()

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out: torch.Tensor = x + self.mix(self.act(self.conv(self.act(x))))
            return out

    class Inbetweener(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inp = nn.Conv1d(IN_CHANNELS, config.hidden, 1)
            self.blocks = nn.Sequential(
                *(Block(config.hidden, d, config.kernel) for d in config.dilations)
            )
            self.out = nn.Conv1d(config.hidden, N_FEATURES, 1)
            nn.init.zeros_(self.out.weight)
            if self.out.bias is not None:
                nn.init.zeros_(self.out.bias)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.out(torch.nn.functional.gelu(self.blocks(self.inp(x))))  # type: ignore[no-any-return]

    return Inbetweener()


def state_shapes(config: NetConfig) -> dict[str, tuple[int, ...]]:
    """Every parameter of :func:`build_network`'s module and its shape (its state dict)."""
    h = config.hidden
    shapes: dict[str, tuple[int, ...]] = {"inp.weight": (h, IN_CHANNELS, 1), "inp.bias": (h,)}
    for i in range(len(config.dilations)):
        shapes |= {
            f"blocks.{i}.conv.weight": (h, h, config.kernel),
            f"blocks.{i}.conv.bias": (h,),
            f"blocks.{i}.mix.weight": (h, h, 1),
            f"blocks.{i}.mix.bias": (h,),
        }
    return shapes | {"out.weight": (N_FEATURES, h, 1), "out.bias": (N_FEATURES,)}


def check_state(state: dict[str, Any], config: NetConfig) -> None:
    """Raise ``ValueError`` unless ``state`` holds exactly the network's parameters, finite."""
    expected = state_shapes(config)
    if set(state) != set(expected):
        missing, extra = sorted(set(expected) - set(state)), sorted(set(state) - set(expected))
        raise ValueError(f"the weights do not fit the network (missing {missing}, extra {extra})")
    for key, shape in expected.items():
        value = np.asarray(state[key])
        if value.shape != shape:
            raise ValueError(f"{key} has shape {value.shape}, the network needs {shape}")
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{key} holds NaN or infinite values")


class NumpyInbetweenNet:
    """:func:`build_network`'s module run in numpy (float32, as trained): the same function,
    without importing torch."""

    def __init__(self, state: dict[str, Any], config: NetConfig) -> None:
        check_state(state, config)
        self.weights = as_numpy_state(state)
        self.config = config

    def __call__(self, x: NDArray[np.floating[Any]]) -> Array32:
        """(B, IN_CHANNELS, L) -> (B, N_FEATURES, L) residual."""
        w = self.weights
        h = conv1d(np.asarray(x, dtype=np.float32), w["inp.weight"], w["inp.bias"])
        for i, dilation in enumerate(self.config.dilations):
            inner = conv1d(
                gelu(h), w[f"blocks.{i}.conv.weight"], w[f"blocks.{i}.conv.bias"], dilation
            )
            h = h + conv1d(gelu(inner), w[f"blocks.{i}.mix.weight"], w[f"blocks.{i}.mix.bias"])
        return conv1d(gelu(h), w["out.weight"], w["out.bias"])


def matrix_from_6d(six: Any) -> Any:
    """(..., 6) -> (..., 3, 3) rotation matrices by Gram-Schmidt (columns 0 and 1 given)."""
    import torch

    a1, a2 = six[..., :3], six[..., 3:]
    b1 = torch.nn.functional.normalize(a1, dim=-1, eps=1e-8)
    b2 = torch.nn.functional.normalize(a2 - (b1 * a2).sum(-1, keepdim=True) * b1, dim=-1, eps=1e-8)
    b3 = torch.linalg.cross(b1, b2, dim=-1)
    return torch.stack([b1, b2, b3], dim=-1)


def positions_from_features(features: Any, offsets: Any) -> Any:
    """(B, L, N_FEATURES) features -> (B, L, J, 3) joint positions (canonical skeleton)."""
    import torch

    root = features[..., :3]
    mats = matrix_from_6d(features[..., 3:].reshape(*features.shape[:-1], N_JOINTS, 6))
    glob: list[torch.Tensor] = []
    pos: list[torch.Tensor] = []
    for k, p in enumerate(CANONICAL.parents):
        if p < 0:
            glob.append(mats[..., k, :, :])
            pos.append(root + offsets[k])
        else:
            glob.append(glob[p] @ mats[..., k, :, :])
            pos.append(pos[p] + (glob[p] @ offsets[k]))
    return torch.stack(pos, dim=-2)


def canonical_offsets() -> Any:
    """The canonical rest offsets as a float32 tensor (J, 3)."""
    import torch

    return torch.from_numpy(np.asarray(CANONICAL.offsets, dtype=np.float32))
