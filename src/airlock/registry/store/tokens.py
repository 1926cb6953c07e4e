"""API tokens: created once, stored hashed, looked up per request through the read cache."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import select, text

from airlock.registry import audit, auth
from airlock.registry.db import TokenRow, utcnow
from airlock.registry.errors import NotFound
from airlock.registry.records import IssuedToken, RevokedToken, Token
from airlock.registry.store.base import MISSING, Q_HEAD, StoreBase, check_name

_Q_TOKEN = text("SELECT name, secret_hash, scopes, revoked FROM tokens WHERE token_id = :t")


class Tokens(StoreBase):
    """API tokens (stored hashed) and authentication."""

    def create_token(self, name: str, scopes: Sequence[str], *, actor: str) -> IssuedToken:
        """A new API token; the returned ``token`` is shown once and never stored."""
        check_name(name, "token name")
        scope_set = auth.parse_scopes(scopes)
        new = auth.new_token()
        with self._write() as (s, head):
            s.add(
                TokenRow(
                    token_id=new.token_id,
                    name=name,
                    secret_hash=new.secret_hash,
                    scopes=",".join(sorted(scope_set)),
                    revoked=False,
                    created_at=utcnow(),
                )
            )
            audit.append(
                s,
                head,
                actor=actor,
                action="token.create",
                subject=new.token_id,
                payload={
                    "name": name,
                    "scopes": sorted(scope_set),
                    # audit verify: a secret hash replaced in the table (a writer's own token)
                    "secret_sha256": hashlib.sha256(new.secret_hash.encode()).hexdigest(),
                },
            )
        return IssuedToken(new.token_id, name, tuple(sorted(scope_set)), new.token)

    def revoke_token(self, token_id: str, *, actor: str) -> RevokedToken:
        with self._write() as (s, head):
            row = s.execute(
                select(TokenRow).where(TokenRow.token_id == token_id)
            ).scalar_one_or_none()
            if row is None:
                raise NotFound(f"token {token_id[:32]} does not exist")
            row.revoked = True
            audit.append(s, head, actor=actor, action="token.revoke", subject=token_id)
            return RevokedToken(token_id, row.name)

    def list_tokens(self) -> list[Token]:
        with self._read() as s:
            return [
                Token(t.token_id, t.name, tuple(t.scopes.split(",")), t.revoked)
                for t in s.execute(select(TokenRow).order_by(TokenRow.id)).scalars()
            ]

    def authenticate(self, token: str) -> auth.Principal | None:
        """The caller behind ``token``, or ``None`` for a malformed, unknown or revoked token."""
        parts = auth.split_token(token)
        if parts is None:
            return None
        token_id, secret = parts
        with self._conn() as conn:
            seq = conn.execute(Q_HEAD).scalar_one()
            row = self._cache.get(("token", token_id), seq)
            if row is MISSING:
                row = conn.execute(_Q_TOKEN, {"t": token_id}).first()
                self._cache.put(("token", token_id), seq, row)
        if row is None or row.revoked or not auth.secret_matches(secret, row.secret_hash):
            return None
        return auth.Principal(f"token:{row.name}", frozenset(row.scopes.split(",")))
