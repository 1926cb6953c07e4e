"""Fixtures: a small harmless model (the repository's example) copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-model"


@pytest.fixture
def model(tmp_path: Path) -> Path:
    dest = tmp_path / "sample-model"
    shutil.copytree(EXAMPLE, dest)
    return dest
