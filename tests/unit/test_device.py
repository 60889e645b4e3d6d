"""The compute device: CUDA when torch has it, unless Force CPU; said in words for About."""

from __future__ import annotations

import pytest

from inference.device import describe_device, pick_device


@pytest.fixture
def fake_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index: f"NVIDIA Test GPU {index}")


def test_cuda_is_named_with_its_gpu(monkeypatch: pytest.MonkeyPatch, fake_cuda: None) -> None:
    monkeypatch.delenv("EIGHTCOUNT_FORCE_CPU", raising=False)
    assert pick_device() == "cuda"
    assert describe_device() == "CUDA: NVIDIA Test GPU 0"


def test_force_cpu_wins_over_cuda(monkeypatch: pytest.MonkeyPatch, fake_cuda: None) -> None:
    monkeypatch.setenv("EIGHTCOUNT_FORCE_CPU", "1")
    assert pick_device() == "cpu"
    assert describe_device() == "CPU (Force CPU is on)"


def test_without_cuda_it_is_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    torch = pytest.importorskip("torch")
    monkeypatch.delenv("EIGHTCOUNT_FORCE_CPU", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert describe_device() == "CPU"
