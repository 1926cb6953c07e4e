"""Fixtures for the signing tests (helpers live in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.signing.helpers import KeyFiles, Pki, make_model, make_pki, write_plain_keypair


@pytest.fixture
def model(tmp_path: Path) -> Path:
    return make_model(tmp_path / "my-model")


@pytest.fixture
def keypair(tmp_path: Path) -> KeyFiles:
    return write_plain_keypair(tmp_path / "keys")


@pytest.fixture
def other_keypair(tmp_path: Path) -> KeyFiles:
    return write_plain_keypair(tmp_path / "other-keys")


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path / "pki")
