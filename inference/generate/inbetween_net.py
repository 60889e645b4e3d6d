"""The in-betweener's network and its torch maths (6D rotations, forward kinematics).

torch is imported inside every function, so importing this module costs nothing; the studio
only pays for torch when a transition is actually filled.

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

from inference.motion.skeleton import CANONICAL

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
