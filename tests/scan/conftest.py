"""Fixtures for the scan engine tests (shared ones such as ``minilm_dir`` and ``cli`` live in
``tests/conftest.py``)."""
