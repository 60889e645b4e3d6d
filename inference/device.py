"""Which device compute runs on: CUDA when the machine has it, the CPU otherwise.

:func:`nvidia_gpu_present` answers without importing torch, for the status bar at start-up;
:func:`pick_device` imports torch and is only called from the inference thread;
:func:`pick_device_lazily` imports it only where CUDA could be there at all.
``EIGHTCOUNT_FORCE_CPU`` (set by the studio's Settings -> Force CPU) keeps compute on the CPU.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def nvidia_gpu_present() -> bool:
    """A cheap guess, without torch: is an NVIDIA driver loaded on this machine?"""
    return Path("/proc/driver/nvidia/version").exists() or shutil.which("nvidia-smi") is not None


def pick_device() -> str:
    """``"cuda"`` when torch can use a GPU, else ``"cpu"``. Imports torch."""
    if os.environ.get("EIGHTCOUNT_FORCE_CPU"):
        return "cpu"
    import torch  # lazily: start-up must never pay for torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def pick_device_lazily() -> str:
    """:func:`pick_device`, but ``"cpu"`` without importing torch when Force CPU is on or no
    NVIDIA driver is loaded: models that also run in numpy then start a second sooner."""
    if os.environ.get("EIGHTCOUNT_FORCE_CPU") or not nvidia_gpu_present():
        return "cpu"
    return pick_device()


def describe_device() -> str:
    """The device :func:`pick_device` chooses, in words: ``"CPU"``, ``"CPU (Force CPU is
    on)"`` or ``"CUDA: <GPU name>"``. Imports torch."""
    device = pick_device()
    if device == "cpu":
        return "CPU (Force CPU is on)" if os.environ.get("EIGHTCOUNT_FORCE_CPU") else "CPU"
    import torch

    return f"CUDA: {torch.cuda.get_device_name(torch.cuda.current_device())}"
