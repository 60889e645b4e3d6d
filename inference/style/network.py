"""The style network: a small dilated temporal convolution that embeds a 2-s window.

torch is imported inside the functions, so importing this module costs nothing.

A window's features (:mod:`inference.style.features`, normalised) go through 1x1 and dilated
convolutions over time, then mean and max pooling over the window, to an embedding of
:attr:`NetConfig.embed` numbers scaled to unit length. The classes are unit vectors in the same
space (a cosine classifier): a class's logit is ``scale * cos(embedding, class vector)``. A
user's style is one more unit vector, the mean embedding of the clips they tagged (weight
imprinting, Qi et al. 2018), so it competes with the trained classes on equal terms without
any retraining.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class NetConfig:
    """Architecture hyper-parameters (saved next to the weights)."""

    in_channels: int
    n_classes: int
    hidden: int = 64
    embed: int = 64
    dilations: tuple[int, ...] = (1, 2, 4, 8)
    kernel: int = 3
    dropout: float = 0.2

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out = asdict(self)
        out["dilations"] = list(self.dilations)
        return out

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> NetConfig:
        """The inverse of :meth:`to_json`."""
        return cls(
            int(doc["in_channels"]),
            int(doc["n_classes"]),
            int(doc["hidden"]),
            int(doc["embed"]),
            tuple(int(d) for d in doc["dilations"]),
            int(doc["kernel"]),
            float(doc["dropout"]),
        )


def build_network(config: NetConfig) -> Any:
    """A fresh ``torch.nn.Module``: ``embed(x)`` (B, C, L) -> (B, E) unit vectors, and
    ``forward(x)`` -> (B, n_classes) cosine similarities to the class vectors."""
    import torch
    from torch import nn

    class Block(nn.Module):
        def __init__(self, width: int, dilation: int, kernel: int) -> None:
            super().__init__()
            pad = dilation * (kernel - 1) // 2
            self.conv = nn.Conv1d(width, width, kernel, dilation=dilation, padding=pad,
                                  padding_mode="replicate")  # fmt: skip
            self.norm = nn.GroupNorm(8, width)
            self.mix = nn.Conv1d(width, width, 1)
            self.act = nn.GELU()

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out: torch.Tensor = x + self.mix(self.act(self.norm(self.conv(x))))
            return out

    class StyleNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.drop = nn.Dropout(config.dropout)
            self.inp = nn.Conv1d(config.in_channels, config.hidden, 1)
            self.blocks = nn.Sequential(
                *(Block(config.hidden, d, config.kernel) for d in config.dilations)
            )
            self.head = nn.Linear(2 * config.hidden, config.embed)
            self.classes = nn.Parameter(torch.randn(config.n_classes, config.embed))

        def embed(self, x: torch.Tensor) -> torch.Tensor:
            h = self.blocks(self.inp(self.drop(x)))
            pooled = torch.cat([h.mean(dim=-1), h.amax(dim=-1)], dim=-1)
            return nn.functional.normalize(self.head(self.drop(pooled)), dim=-1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.embed(x) @ nn.functional.normalize(self.classes, dim=-1).T

    return StyleNet()
