"""A view-invariant pose embedding of 2D keypoints (contrastive, in the spirit of Synchro-you).

A phone seldom films from the reference camera's angle, and 2D joint angles change with the
angle. The embedding maps a short window of 2D keypoints around each frame to a unit vector
that stays put when the same motion is filmed from elsewhere: it was trained
(``inference/training/train_view_embedding.py``) on real 3D mocap seen through random virtual
cameras, with the same window from two cameras as the positive pair and the rest of the batch
as negatives (InfoNCE).

Input per frame ``t``: frames ``t + WINDOW_OFFSETS`` (clamped to the track) of the twelve
joints, centred on frame ``t``'s mid-hips and divided by its torso length, plus a seen/unseen
flag per joint (an unseen joint is zeros with flag 0). torch is imported only when a network
is built.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError
from inference.numpy_nn import as_numpy_state, gelu
from inference.paths import RESOURCES_DIR
from inference.scoring.body import SCORING_JOINTS, BodyTrack, J
from inference.scoring.features import nanmean, torso_length

Array = NDArray[np.float64]

WINDOW_OFFSETS = np.arange(-8, 9, 2)
"""Frames around ``t`` (at 30 fps: a 0.53 s window, every other frame)."""
N_INPUTS = len(WINDOW_OFFSETS) * len(SCORING_JOINTS) * 3
WEIGHTS = RESOURCES_DIR / "models" / "view_embedding.pt"
CONFIG = RESOURCES_DIR / "models" / "view_embedding.json"


@dataclass(frozen=True, slots=True)
class EmbeddingConfig:
    """The network's shape (stored beside the weights)."""

    hidden: int = 256
    dim: int = 64
    n_inputs: int = N_INPUTS


def centre_and_scale(track: BodyTrack) -> tuple[Array, Array]:
    """(T, 2) centre (mid-hips, else the mean of the seen joints) and (T,) torso length."""
    p = track.points
    mid_hip = 0.5 * (p[:, J["hip_l"]] + p[:, J["hip_r"]])
    centre = np.where(np.isfinite(mid_hip), mid_hip, nanmean(p, axis=1))
    scale = torso_length(track)
    ok = np.isfinite(scale) & (scale > 1e-6)
    fallback = float(np.median(scale[ok])) if np.any(ok) else 1.0
    return centre, np.where(ok, scale, fallback)


def inputs_at(
    points: Array, centre: Array, scale: Array, t: NDArray[np.int64], lo: Any, hi: Any
) -> NDArray[np.float32]:
    """Network inputs at frames ``t`` of ``points`` (N, 12, 2), windows clamped to
    ``lo..hi`` (scalars or one bound per ``t``, so many clips can share one array)."""
    frames = np.clip(
        t[:, None] + WINDOW_OFFSETS[None, :], np.asarray(lo)[..., None], np.asarray(hi)[..., None]
    )
    win = (points[frames] - centre[t][:, None, None, :]) / scale[t][:, None, None, None]
    seen = np.all(np.isfinite(win), axis=-1, keepdims=True)
    x = np.concatenate([np.where(seen, win, 0.0), seen.astype(np.float64)], axis=-1)
    return x.reshape(len(t), -1).astype(np.float32)


def window_inputs(track: BodyTrack) -> NDArray[np.float32]:
    """(T, N_INPUTS) network inputs of a 2D track at 30 fps (module docstring)."""
    if track.dims != 2:
        raise ValueError("the view embedding takes 2D keypoints")
    centre, scale = centre_and_scale(track)
    t = np.arange(track.n_frames)
    return inputs_at(track.points, centre, scale, t, 0, max(0, track.n_frames - 1))


def build_network(config: EmbeddingConfig) -> Any:
    """The MLP: inputs -> hidden -> hidden -> dim, unit-normalised output. Imports torch."""
    import torch

    class ViewEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            h = config.hidden
            self.net = torch.nn.Sequential(
                torch.nn.Linear(config.n_inputs, h),
                torch.nn.GELU(),
                torch.nn.Linear(h, h),
                torch.nn.GELU(),
                torch.nn.Linear(h, config.dim),
            )

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.nn.functional.normalize(self.net(x), dim=-1)

    return ViewEmbedding()


def save_embedding(
    network: Any, config: EmbeddingConfig, meta: dict[str, Any], folder: Path
) -> None:
    """Write ``view_embedding.pt`` (a state dict) and ``view_embedding.json`` (shape + meta)."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    torch.save(network.state_dict(), folder / WEIGHTS.name)
    doc = {"config": asdict(config), **meta}
    (folder / CONFIG.name).write_text(json.dumps(doc, indent=2) + "\n")


def embedding_available(folder: Path = WEIGHTS.parent) -> bool:
    """Whether the shipped weights are there."""
    return (folder / WEIGHTS.name).is_file() and (folder / CONFIG.name).is_file()


@dataclass(frozen=True, eq=False)
class EmbeddingWeights:
    """The trained MLP as numpy arrays: scoring runs it without torch (a few ms per second of
    video, and no torch threads competing with the rest of the app on a small machine)."""

    layers: tuple[tuple[NDArray[np.float32], NDArray[np.float32]], ...]  # (weight, bias)

    @staticmethod
    def from_state_dict(state: dict[str, Any]) -> EmbeddingWeights:
        """From a :func:`build_network` state dict (tensors or arrays)."""
        arrays = as_numpy_state(state)
        keys = sorted({k.rsplit(".", 1)[0] for k in arrays}, key=lambda k: int(k.split(".")[-1]))
        layers = tuple((arrays[f"{k}.weight"], arrays[f"{k}.bias"]) for k in keys)
        return EmbeddingWeights(layers)

    def __call__(self, x: NDArray[np.floating[Any]]) -> NDArray[np.float32]:
        """Unit embeddings of inputs ``(N, n_inputs)``: Linear, GELU, Linear, GELU, Linear.

        float32, as trained: on two busy cores a float64 product was 5-10x slower.
        """
        h = np.asarray(x, dtype=np.float32)
        for k, (w, b) in enumerate(self.layers):
            h = h @ w.T + b
            if k < len(self.layers) - 1:
                h = gelu(h)
        norm = np.linalg.norm(h, axis=-1, keepdims=True)
        return np.asarray(h / np.maximum(norm, 1e-12), dtype=np.float32)


@lru_cache(maxsize=2)
def load_embedding(folder: Path = WEIGHTS.parent) -> EmbeddingWeights:
    """The trained weights (``torch.load(weights_only=True)``, so torch is imported once here)."""
    import torch

    weights, config_path = folder / WEIGHTS.name, folder / CONFIG.name
    try:
        doc = json.loads(config_path.read_text())
        network = build_network(EmbeddingConfig(**doc["config"]))
        network.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    except (OSError, KeyError, TypeError, ValueError, RuntimeError, EOFError) as err:
        raise BadFileError(weights, f"cannot load the view embedding ({err})") from None
    except pickle.UnpicklingError:
        raise BadFileError(weights, "cannot load the view embedding (not a state dict)") from None
    return EmbeddingWeights.from_state_dict(network.state_dict())


def embed(track: BodyTrack, network: Any | None = None) -> NDArray[np.float32]:
    """(T, dim) unit embedding (float32) of every frame of a 2D track at 30 fps.

    ``network``: :class:`EmbeddingWeights` (default: the shipped ones), or a torch module from
    :func:`build_network` (the training script's, read into numpy weights first).
    """
    if network is None:
        network = load_embedding()
    elif not isinstance(network, EmbeddingWeights):
        network = EmbeddingWeights.from_state_dict(network.state_dict())
    return network(window_inputs(track))


def embedding_helps(folder: Path = WEIGHTS.parent) -> bool:
    """Whether the shipped weights separated the AIST++ views better than the joint angles
    (the figures their training run measured and stored beside them)."""
    try:
        doc = json.loads((folder / CONFIG.name).read_text())
        return float(doc["auc_embedding"]) > float(doc["auc_joint_angles"])
    except (OSError, KeyError, TypeError, ValueError):
        return False
