"""Errors of remote sources: one line each, exit code 2 (the model was not judged)."""

from __future__ import annotations

from airlock.errors import InputError


class SourceError(InputError):
    """A remote source failed: not found, gated, unreachable, timed out, or answered nonsense."""


class DigestMismatch(SourceError):
    """The bytes read do not hash to the digest the source states for them."""
