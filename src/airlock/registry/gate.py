"""The deployment gate's answer, and the local (no server) way to ask for it.

``airlock check PATH --registry URL`` asks :func:`ask`: a server for an ``http(s)://`` URL, else
the database the URL names (``airlock.registry.connect`` decides). Both return a ``GateDecision``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airlock.registry.records import GateDecision

if TYPE_CHECKING:
    from airlock.provenance.manifest import Manifest
    from airlock.report import Severity

__all__ = ["GateDecision", "ask", "check_local", "local_registry_configured"]


def local_registry_configured(database_url: str | None = None) -> bool:
    """Whether there is a local registry to ask: a URL (argument or ``$AIRLOCK_DATABASE_URL``)
    or the default SQLite file exists. ``airlock check`` skips the registry step otherwise."""
    import os

    from airlock.registry.db import ENV_DATABASE_URL, default_database_path

    if database_url or os.environ.get(ENV_DATABASE_URL, "").strip():
        return True
    return default_database_path().is_file()


def ask(
    registry: str | None,
    target: str | Manifest | dict[str, Any],
    *,
    token: str | None = None,
    advisory_fail_on: Severity | None = None,
) -> GateDecision:
    """May ``target`` (root digest or manifest) run, by the registry at ``registry`` (server URL,
    database URL or ``None`` for the default database)? Raises a ``RegistryError`` when no
    decision could be obtained (unreachable server, missing database)."""
    from airlock.registry.backend import connect

    with connect(registry, token=token) as backend:
        return backend.check(target, advisory_fail_on=advisory_fail_on)


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

    with Store.open(database_url) as store:
        return store.check(target, advisory_fail_on=advisory_fail_on)
