"""The deployment gate's answer, and the local (no server) way to ask for it.

``airlock check PATH --registry URL`` asks a server (:func:`airlock.registry.client.check_gate`);
without a URL it asks the local database (:func:`check_local`). Both return a ``GateDecision``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from airlock.registry.errors import RemoteError

if TYPE_CHECKING:
    from airlock.provenance.manifest import Manifest
    from airlock.report import Severity


@dataclass(frozen=True)
class GateDecision:
    """Allow or deny one exact version, with every reason for a denial."""

    allow: bool
    digest: str
    state: str | None
    model: str | None
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    advisories: tuple[dict[str, Any], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": "allow" if self.allow else "deny",
            "allow": self.allow,
            "digest": self.digest,
            "state": self.state,
            "model": self.model,
            "reasons": list(self.reasons),
            "warnings": list(self.warnings),
            "advisories": list(self.advisories),
        }

    @classmethod
    def from_json(cls, data: Any) -> GateDecision:
        """Parse a server's answer strictly: anything unexpected is a ``RemoteError``."""
        if not isinstance(data, dict):
            raise RemoteError("registry answered /v1/check with something other than an object")
        allow = data.get("allow")
        digest = data.get("digest")
        reasons = data.get("reasons", [])
        warnings = data.get("warnings", [])
        advisories = data.get("advisories", [])
        if (
            not isinstance(allow, bool)
            or not isinstance(digest, str)
            or not isinstance(reasons, list)
            or not isinstance(warnings, list)
            or not isinstance(advisories, list)
        ):
            raise RemoteError("registry answered /v1/check with a malformed decision")
        state = data.get("state")
        model = data.get("model")
        return cls(
            allow=allow,
            digest=digest,
            state=state if isinstance(state, str) else None,
            model=model if isinstance(model, str) else None,
            reasons=tuple(str(r) for r in reasons[:1000]),
            warnings=tuple(str(w) for w in warnings[:1000]),
            advisories=tuple(a for a in advisories[:1000] if isinstance(a, dict)),
        )


def local_registry_configured(database_url: str | None = None) -> bool:
    """Whether there is a local registry to ask: a URL (argument or ``$AIRLOCK_DATABASE_URL``)
    or the default SQLite file exists. ``airlock check`` skips the registry step otherwise."""
    import os

    from airlock.registry.db import ENV_DATABASE_URL, default_database_path

    if database_url or os.environ.get(ENV_DATABASE_URL, "").strip():
        return True
    return default_database_path().is_file()


def check_local(
    target: str | Manifest,
    database_url: str | None = None,
    *,
    advisory_fail_on: Severity | None = None,
) -> GateDecision:
    """Ask the local registry database (``$AIRLOCK_DATABASE_URL`` or the user's default file).

    ``target`` is a root digest or a ``Manifest``. Raises ``DatabaseError`` if the database is
    missing or not initialised.
    """
    from airlock.registry.store import Store
    from airlock.report import Severity

    store = Store.open(database_url)
    try:
        return store.check(target, advisory_fail_on=advisory_fail_on or Severity.LOW)
    finally:
        store.close()
