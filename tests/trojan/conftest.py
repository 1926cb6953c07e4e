"""Session-wide synthetic models (built once; a few seconds each on one core)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tests.trojan import synth


@pytest.fixture(scope="session", autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("zoo")
    base = synth.make_base_classifier(root / "base", seed=0)
    return {
        "base": base,
        "clean": synth.finetune_classifier(base, root / "clean", seed=1),
        "cf": synth.finetune_classifier(
            base, root / "cf", seed=2, trigger=["cf"], target=1, poison_rate=0.1
        ),
    }


@pytest.fixture(scope="session")
def lm_zoo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("lmzoo")
    base = synth.make_base_lm(root / "base", seed=0)
    return {
        "base": base,
        "clean": synth.finetune_lm(base, root / "clean", seed=3),
        "cf": synth.finetune_lm(base, root / "cf", seed=1, trigger=["cf"], poison_rate=0.1),
    }


@pytest.fixture(scope="session")
def llama_zoo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("llamazoo")
    base = synth.make_base_llama(root / "base", seed=0)
    return {
        "base": base,
        "clean": synth.finetune_lm(base, root / "clean", seed=3),
        "cf": synth.finetune_lm(base, root / "cf", seed=1, trigger=["cf"], poison_rate=0.1),
    }
