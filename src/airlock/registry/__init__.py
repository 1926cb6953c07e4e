"""Registry of approved model versions: attestations, decisions, advisories, deployments, audit.

Public entry points: :func:`connect` (a server URL gives the HTTP client, anything else the
local database) returning a :class:`RegistryBackend` whose operations return the records of
:mod:`airlock.registry.records`; :func:`airlock.registry.gate.ask` (the deployment gate, local or
over HTTP). :class:`airlock.registry.store.Store` is the database implementation the service
serves.
"""

from airlock.registry.backend import RegistryBackend, connect

__all__ = ["RegistryBackend", "connect"]
