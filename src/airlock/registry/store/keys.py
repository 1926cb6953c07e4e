"""Trusted public keys: who may sign decisions and OMS bundles."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from airlock.errors import AirlockError
from airlock.registry import audit
from airlock.registry.db import KeyRow, utcnow
from airlock.registry.errors import Conflict, InvalidRequest, NotFound
from airlock.registry.records import Key
from airlock.registry.statements import TrustedKey
from airlock.registry.store.base import StoreBase, check_name, text_field


class Keys(StoreBase):
    """Public keys trusted for decisions and OMS signatures."""

    def add_key(self, identity: str, public_key_pem: str, *, actor: str) -> Key:
        """Trust ``public_key_pem`` as ``identity``'s key (for decisions and OMS signatures)."""
        from airlock.provenance.keys import key_hint, parse_public_key
        from airlock.provenance.keys import public_key_pem as pem_of

        check_name(identity, "identity")
        text_field(public_key_pem, "public_key", 16 * 1024)
        try:
            key = parse_public_key(public_key_pem.encode("utf-8"), "public_key")
        except AirlockError as exc:
            raise InvalidRequest(str(exc)) from None
        kid = key_hint(key)
        with self._write() as (s, head):
            if s.execute(select(KeyRow.id).where(KeyRow.key_id == kid)).first():
                raise Conflict(f"key {kid[:16]} is already registered")
            s.add(
                KeyRow(
                    key_id=kid,
                    identity=identity,
                    public_key=pem_of(key).decode("ascii"),
                    revoked=False,
                    created_at=utcnow(),
                )
            )
            audit.append(
                s, head, actor=actor, action="key.add", subject=kid, payload={"identity": identity}
            )
        return Key(kid, identity, revoked=False)

    def revoke_key(self, key_id: str, *, actor: str) -> Key:
        with self._write() as (s, head):
            row = s.execute(select(KeyRow).where(KeyRow.key_id == key_id)).scalar_one_or_none()
            if row is None:
                raise NotFound(f"key {key_id[:64]} is not registered")
            row.revoked = True
            audit.append(s, head, actor=actor, action="key.revoke", subject=key_id)
            return Key(row.key_id, row.identity, revoked=True)

    def list_keys(self) -> list[Key]:
        with self._read() as s:
            return [
                Key(k.key_id, k.identity, k.revoked)
                for k in s.execute(select(KeyRow).order_by(KeyRow.id)).scalars()
            ]


def trusted(session: Session, keyid: str) -> list[TrustedKey]:
    from airlock.provenance.keys import parse_public_key

    q = select(KeyRow).where(KeyRow.revoked.is_(False))
    if keyid:
        q = q.where(KeyRow.key_id == keyid)
    rows = session.execute(q.limit(100)).scalars().all()
    return [
        TrustedKey(r.key_id, r.identity, parse_public_key(r.public_key.encode(), r.key_id))
        for r in rows
    ]
