"""Registry of approved model versions: attestations, decisions, advisories, deployments, audit.

Public entry points: :class:`airlock.registry.store.Store` (the library API, used by the CLI and
the service alike), :func:`airlock.registry.gate.check_local` and
:func:`airlock.registry.client.check_gate` (the deployment gate, local or over HTTP).
"""
