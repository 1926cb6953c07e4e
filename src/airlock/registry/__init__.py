"""Registry of approved model versions: attestations, decisions, advisories, deployments, audit.

Public entry points: :func:`connect` (a server URL gives the HTTP client, anything else the
local database) returning a :class:`RegistryBackend` whose operations return the records of
:mod:`airlock.registry.records`; :func:`airlock.registry.gate.ask` (the deployment gate, local or
over HTTP). :class:`airlock.registry.store.Store` is the database implementation the service
serves. Both names load on first use, so importing a submodule stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from airlock.registry.backend import RegistryBackend, connect

__all__ = ["RegistryBackend", "connect"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from airlock.registry import backend

        return getattr(backend, name)
    raise AttributeError(f"module 'airlock.registry' has no attribute {name!r}")
