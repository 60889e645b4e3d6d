"""The shipped style model: loading it, and embedding windows with it.

``resources/models/style_classifier.pt`` is a ``state_dict`` (read with
``torch.load(weights_only=True)``); ``style_classifier.json`` beside it holds the architecture,
the feature normalisation, the classes, the calibration (the logit scale and the two
uncertainty thresholds, fitted on the validation files) and the files it learned from. Both are
written by ``python -m inference.training.train_style_classifier``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError
from inference.paths import RESOURCES_DIR
from inference.style.features import N_CHANNELS, WINDOW
from inference.style.network import NetConfig, build_network

Array = NDArray[np.float64]

MODEL_DIR = RESOURCES_DIR / "models"
WEIGHTS_PATH = MODEL_DIR / "style_classifier.pt"
META_PATH = MODEL_DIR / "style_classifier.json"
META_FORMAT = "eightcount-style-classifier"
META_VERSION = 1
_BATCH = 256


@dataclass(frozen=True)
class Calibration:
    """How embeddings become probabilities and when a label is withheld.

    Attributes
    ----------
    scale
        Logit scale: probabilities are ``softmax(scale * cosine similarities)``.
    threshold
        The least top probability that names one style; below it, a top-two share at least
        this large reads "mixed", and anything less "unknown".
    min_similarity
        A window whose best cosine similarity to every style is below this is "unknown": it is
        unlike anything the classifier knows.
    """

    scale: float
    threshold: float
    min_similarity: float

    def to_json(self) -> dict[str, float]:
        """A JSON-ready dict."""
        return {
            "scale": self.scale,
            "threshold": self.threshold,
            "min_similarity": self.min_similarity,
        }


@dataclass(frozen=True, eq=False)
class StyleModel:
    """The loaded network with its normalisation, classes and calibration."""

    network: Any
    device: str
    styles: tuple[str, ...]
    class_vectors: Array
    """(K, E) unit vectors of the trained classes."""
    mean: Array
    std: Array
    calibration: Calibration

    def embed(self, features: Array) -> Array:
        """(N, E) unit embeddings of (N, N_CHANNELS, WINDOW) window features."""
        import torch

        x = ((np.asarray(features) - self.mean[:, None]) / self.std[:, None]).astype(np.float32)
        out = []
        with torch.inference_mode():
            for a in range(0, x.shape[0], _BATCH):
                batch = torch.from_numpy(np.ascontiguousarray(x[a : a + _BATCH])).to(self.device)
                out.append(self.network.embed(batch).float().cpu().numpy())
        if not out:
            return np.zeros((0, self.class_vectors.shape[1]))
        return np.concatenate(out).astype(np.float64)


def read_meta(meta: Path) -> dict[str, Any]:
    """The model's JSON document, checked for its format."""
    try:
        doc = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BadFileError(
            meta, f"the style model's description cannot be read ({error})"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != META_FORMAT:
        raise BadFileError(meta, "not a style classifier description")
    if doc.get("format_version") != META_VERSION:
        raise BadFileError(meta, f"unsupported format_version {doc.get('format_version')!r}")
    if int(doc.get("window", 0)) != WINDOW or int(doc.get("n_channels", 0)) != N_CHANNELS:
        raise BadFileError(meta, "the style model was trained for another window layout")
    return doc


def load_style_model(
    weights: Path = WEIGHTS_PATH, meta: Path = META_PATH, device: str | None = None
) -> StyleModel:
    """The style model on ``device`` (default: CUDA when present, else the CPU).

    Raises
    ------
    BadFileError
        When the weights or their description are missing or damaged (naming the file).
    """
    from inference.device import pick_device

    doc = read_meta(meta)
    if not weights.is_file():
        raise BadFileError(weights, "the style classifier's weights are missing")
    import torch

    device = device or pick_device()
    try:
        config = NetConfig.from_json(doc["architecture"])
        network = build_network(config)
        state = torch.load(weights, map_location="cpu", weights_only=True)
        network.load_state_dict(state, strict=True)
        mean = np.asarray(doc["mean"], dtype=np.float32)
        std = np.asarray(doc["std"], dtype=np.float32)
        calibration = Calibration(**{k: float(v) for k, v in doc["calibration"].items()})
        styles = tuple(str(s) for s in doc["styles"])
    except (KeyError, TypeError, ValueError, RuntimeError) as error:
        raise BadFileError(weights, f"the style classifier cannot be loaded ({error})") from None
    if mean.shape != (N_CHANNELS,) or std.shape != (N_CHANNELS,) or len(styles) != config.n_classes:
        raise BadFileError(meta, "the style model's normalisation or classes do not fit it")
    network.eval().to(device)
    vectors = torch.nn.functional.normalize(network.classes.detach().float(), dim=-1)
    vectors64 = vectors.cpu().numpy().astype(np.float64)
    return StyleModel(
        network, device, styles, vectors64, mean.astype(np.float64), std.astype(np.float64),
        calibration,
    )  # fmt: skip


_CACHE: dict[tuple[str, str | None], StyleModel] = {}


def shipped_model(device: str | None = None) -> StyleModel:
    """The shipped model, loaded once per device and kept (it is read-only)."""
    key = (str(WEIGHTS_PATH), device)
    if key not in _CACHE:
        _CACHE[key] = load_style_model(device=device)
    return _CACHE[key]
