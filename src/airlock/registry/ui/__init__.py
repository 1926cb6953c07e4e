"""The registry's review console: server-rendered pages under ``/ui`` of the registry app.

``mount(app, store)`` adds the routes; ``airlock registry serve`` does it for every worker.
"""

from __future__ import annotations

from fastapi import FastAPI

from airlock.registry.store import Store


def mount(app: FastAPI, store: Store, *, secret: str | None = None) -> None:
    """Serve the console for ``store`` under ``/ui`` of ``app`` (sessions sealed with a key
    from ``secret``, ``$AIRLOCK_CONSOLE_SECRET`` or, failing both, a random one)."""
    from airlock.registry.ui.routes import build_router
    from airlock.registry.ui.session import Sealer, console_key

    app.include_router(build_router(store, Sealer(console_key(secret))))
