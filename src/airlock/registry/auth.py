"""API tokens: shown once, stored as a sha256 hash, compared in constant time, scoped.

A token reads ``alk_<id>_<secret>``: the id finds the row, the secret (256 random bits) is what
is hashed. A high-entropy secret needs no slow password hash; ``hmac.compare_digest`` keeps the
comparison constant-time. Scopes: ``read`` (look, check), ``publish`` (submit versions, attach
attestations, record deployments), ``approve`` (approve / reject / revoke, advisories),
``admin`` (tokens, keys, policies; implies every other scope).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from airlock.registry.errors import InvalidRequest

SCOPES = ("read", "publish", "approve", "admin")
TOKEN_PREFIX = "alk_"  # noqa: S105 - a prefix, not a secret
_TOKEN = re.compile(r"^alk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class NewToken:
    token_id: str
    secret_hash: str
    token: str  # the full token: show once, never store


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's name and scopes."""

    name: str
    scopes: frozenset[str]

    def has(self, scope: str) -> bool:
        return "admin" in self.scopes or scope in self.scopes


def parse_scopes(scopes: Iterable[str]) -> frozenset[str]:
    result = frozenset(s.strip() for s in scopes if s.strip())
    unknown = sorted(result - set(SCOPES))
    if unknown or not result:
        raise InvalidRequest(
            f"scopes must be a non-empty subset of {', '.join(SCOPES)} (got {', '.join(unknown)})"
        )
    return result


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def new_token() -> NewToken:
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return NewToken(token_id, hash_secret(secret), f"{TOKEN_PREFIX}{token_id}_{secret}")


def split_token(token: str) -> tuple[str, str] | None:
    """(id, secret) of a well-formed token, else ``None``."""
    m = _TOKEN.match(token)
    return (m.group(1), m.group(2)) if m else None


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
