"""Every integer parameter of the registry's HTTP edge (API and console) is bounded: a value
outside a signed 64-bit column (or below its floor) is a 4xx, never the driver's OverflowError
as a 500. The table below must name every integer parameter the app has (checked by walking
the routes), so a new unbounded one fails here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from airlock.registry.api import create_app
from airlock.registry.store import Store
from airlock.registry.store.base import MAX_INT

from .conftest import unique_manifest

BASE = "http://127.0.0.1:8470"

#: (method, path, parameter, smallest valid value): every integer parameter of the app.
INT_PARAMS: list[tuple[str, str, str, int]] = [
    ("GET", "/v1/versions", "limit", 1),
    ("GET", "/v1/versions", "offset", 0),
    ("GET", "/v1/audit", "after", 0),
    ("GET", "/v1/audit", "limit", 1),
    ("GET", "/ui/", "page", 1),
    ("GET", "/ui/audit", "before", 0),
    ("GET", "/ui/audit", "verify", 0),
]


def _is_int(annotation: Any) -> bool:
    return annotation is int or int in get_args(annotation)


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for r in routes:
        if isinstance(r, APIRoute):
            yield r
        inner = getattr(r, "original_router", None)  # an included router (the console)
        if inner is not None:
            yield from _routes(inner.routes)


def _int_params(app: FastAPI) -> Iterator[tuple[str, str, str, list[Any]]]:
    """(method, path, name, bound metadata) of every int query/path parameter and every int
    field of a JSON body model."""
    for route in _routes(app.routes):
        dep = route.dependant
        for method in sorted(route.methods):
            for p in dep.query_params + dep.path_params + dep.header_params:
                if _is_int(p.field_info.annotation):
                    yield method, route.path, p.name, list(p.field_info.metadata)
            for p in dep.body_params:
                model = p.field_info.annotation
                if isinstance(model, type) and issubclass(model, BaseModel):
                    for name, field in model.model_fields.items():
                        if _is_int(field.annotation):
                            yield method, route.path, f"body.{name}", list(field.metadata)


@pytest.fixture
def app(store: Store) -> FastAPI:
    return create_app(store)


@pytest.fixture
def client(app: FastAPI, store: Store) -> Iterator[TestClient]:
    token = store.create_token("reader", ["read"], actor="setup").token
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        c.headers["Authorization"] = f"Bearer {token}"
        c.get("/ui/login")
        nonce = c.cookies.get("airlock_login")
        r = c.post("/ui/login", data={"token": token, "csrf": nonce, "next": "/ui/"},
                   follow_redirects=False)  # fmt: skip
        assert r.status_code == 303, r.text
        yield c


def test_table_names_every_int_parameter_and_each_is_bounded(app: FastAPI) -> None:
    found = list(_int_params(app))
    assert {(m, p, n) for m, p, n, _ in found} == {(m, p, n) for m, p, n, _ in INT_PARAMS}
    floors = {(m, p, n): lo for m, p, n, lo in INT_PARAMS}
    for method, path, name, meta in found:
        ge = [getattr(x, "ge", None) for x in meta if getattr(x, "ge", None) is not None]
        le = [getattr(x, "le", None) for x in meta if getattr(x, "le", None) is not None]
        assert ge == [floors[(method, path, name)]], (path, name, meta)
        assert le and le[0] <= MAX_INT, (path, name, meta)


@pytest.mark.parametrize("value", [10**23, MAX_INT + 1, -1, "1e400"])
@pytest.mark.parametrize(("method", "path", "name", "floor"), INT_PARAMS)
def test_out_of_range_integers_are_4xx(
    client: TestClient, method: str, path: str, name: str, floor: int, value: object
) -> None:
    r = client.request(method, path, params={name: str(value)})
    assert 400 <= r.status_code < 500, (path, name, value, r.status_code, r.text[:300])
    assert "internal" not in r.text
    r = client.request(method, path, params={name: str(floor - 1)})
    assert 400 <= r.status_code < 500, (path, name, floor - 1, r.status_code, r.text[:300])


@pytest.mark.parametrize(
    "path",
    [
        f"/v1/versions?offset={MAX_INT}",
        f"/v1/audit?after={MAX_INT}",
        f"/ui/audit?before={MAX_INT}",
        "/ui/audit?before=0",
        "/ui/?page=100000",
    ],
)
def test_largest_valid_integers_answer(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]


def test_manifest_total_size_beyond_64_bits_is_400(client: TestClient, store: Store) -> None:
    token = store.create_token("pub", ["publish"], actor="setup").token
    manifest = unique_manifest().to_json()
    manifest["files"][0]["size"] = 10**23
    r = client.post("/v1/versions", json={"model": "org/m", "manifest": manifest},
                    headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert r.status_code == 400, r.text
    assert "total size" in r.json()["error"]["message"]
    r = client.post("/v1/check", json={"manifest": manifest})
    assert r.status_code == 200 and r.json()["allow"] is False
