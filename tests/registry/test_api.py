"""The HTTP service: the whole auth matrix, JSON errors, size limits, and the gate over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from airlock.registry.api import create_app
from airlock.registry.auth import SCOPES
from airlock.registry.store import Store

from .conftest import Approver, signed, unique_manifest

MODEL = "org/model"
LIMIT = 256 * 1024


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, max_body_bytes=LIMIT), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def tokens(store: Store) -> dict[str, str]:
    return {s: store.create_token(f"tok-{s}", [s], actor="setup").token for s in SCOPES}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


DIGEST = "ab" * 32

#: (method, path, required scope, JSON body)
ENDPOINTS: list[tuple[str, str, str, Any]] = [
    ("GET", "/v1/models", "read", None),
    ("GET", "/v1/versions", "read", None),
    ("POST", "/v1/versions", "publish", {"model": MODEL, "manifest": {}}),
    ("GET", f"/v1/versions/{DIGEST}", "read", None),
    ("GET", f"/v1/versions/{DIGEST}/manifest", "read", None),
    ("GET", f"/v1/versions/{DIGEST}/policy", "read", None),
    ("POST", f"/v1/versions/{DIGEST}/scan-reports", "publish", {}),
    ("POST", f"/v1/versions/{DIGEST}/signatures", "publish", {}),
    ("POST", f"/v1/versions/{DIGEST}/check-attestations", "publish", {}),
    ("POST", "/v1/decisions", "approve", {}),
    ("PUT", "/v1/locations", "publish", {"uri": "s3://b/m", "digest": DIGEST}),
    ("GET", "/v1/locations", "read", None),
    ("POST", "/v1/admission/events", "publish", {"events": []}),
    ("GET", "/v1/keys", "read", None),
    ("POST", "/v1/keys", "admin", {"identity": "x", "public_key": "x"}),
    ("POST", "/v1/keys/abc/revoke", "admin", None),
    ("GET", "/v1/policies", "read", None),
    (
        "PUT",
        "/v1/policies",
        "admin",
        {"scope": "*", "policy": {"rule": "min_approvers", "count": 1}},
    ),
    ("GET", "/v1/advisories", "read", None),
    (
        "POST",
        "/v1/advisories",
        "approve",
        {"id": "A-1", "severity": "low", "description": "d", "versions": [DIGEST]},
    ),
    ("GET", "/v1/deployments", "read", None),
    (
        "POST",
        "/v1/deployments",
        "publish",
        {"name": "web", "environment": "prod", "digest": DIGEST},
    ),
    ("GET", "/v1/affected", "read", None),
    ("GET", "/v1/tokens", "admin", None),
    ("POST", "/v1/tokens", "admin", {"name": "n", "scopes": ["read"]}),
    ("POST", "/v1/tokens/0000000000000000/revoke", "admin", None),
    ("GET", "/v1/audit", "read", None),
    ("GET", "/v1/audit/verify", "read", None),
    ("GET", "/v1/audit/head", "read", None),
    ("GET", "/v1/audit/checkpoint", "read", None),
    ("GET", "/v1/allowlist", "read", None),
    ("GET", "/v1/scan-policy", "read", None),
    ("GET", "/v1/export", "read", None),
    ("POST", "/v1/check", "read", {"digest": DIGEST}),
]


def test_endpoint_table_covers_the_app(store: Store) -> None:
    app = create_app(store)
    routes = {
        (m, r.path)  # type: ignore[attr-defined]
        for r in app.routes
        for m in getattr(r, "methods", set()) or set()
        if r.path.startswith("/v1/") and r.path != "/v1/health"  # type: ignore[attr-defined]
    }
    templated = {
        (
            m,
            p.replace(DIGEST, "{digest}")
            .replace("abc", "{key_id}")
            .replace("0" * 16, "{token_id}"),
        )
        for m, p, _, _ in ENDPOINTS
    }
    assert routes == templated


def _allowed(scope: str, required: str) -> bool:
    return scope == required or scope == "admin"


@pytest.mark.parametrize(("method", "path", "required", "body"), ENDPOINTS)
def test_auth_matrix(
    client: TestClient,
    store: Store,
    tokens: dict[str, str],
    method: str,
    path: str,
    required: str,
    body: Any,
) -> None:
    events = len(store.audit_events(limit=1000))
    for headers in (
        {},
        auth("alk_0123456789abcdef_" + "A" * 43),
        auth("nonsense"),
        {"Authorization": "Basic eDp5"},
    ):
        r = client.request(method, path, json=body, headers=headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.json()["error"]["code"] == "unauthorized"
        assert r.headers["www-authenticate"] == "Bearer"
    for scope, token in tokens.items():
        if _allowed(scope, required):
            continue
        r = client.request(method, path, json=body, headers=auth(token))
        assert r.status_code == 403, (scope, r.text)
        assert r.json()["error"]["code"] == "forbidden"
    # Refused requests wrote nothing.
    assert len(store.audit_events(limit=1000)) == events
    for scope, token in tokens.items():
        if _allowed(scope, required):
            r = client.request(method, path, json=body, headers=auth(token))
            assert r.status_code not in (401, 403), (scope, r.text)


def test_revoked_token_is_refused(client: TestClient, store: Store) -> None:
    t = store.create_token("gone", ["read"], actor="s")
    assert client.get("/v1/models", headers=auth(t.token)).status_code == 200
    store.revoke_token(t.token_id, actor="s")
    assert client.get("/v1/models", headers=auth(t.token)).status_code == 401


def test_health_and_openapi_need_no_token(client: TestClient) -> None:
    assert client.get("/v1/health").json() == {"status": "ok"}
    spec = client.get("/openapi.json").json()
    assert "/v1/check" in spec["paths"] and "/v1/decisions" in spec["paths"]


def test_json_errors(client: TestClient, tokens: dict[str, str]) -> None:
    h = auth(tokens["admin"])
    r = client.post(
        "/v1/check", content=b"{not json", headers={**h, "content-type": "application/json"}
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = client.post("/v1/check", json={"digest": 5}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation"
    r = client.post("/v1/check", json={}, headers=h)
    assert r.status_code == 400 and "exactly one" in r.json()["error"]["message"]
    r = client.get(f"/v1/versions/{DIGEST}", headers=h)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.get("/v1/versions/zz", headers=h)
    assert r.status_code == 400
    r = client.get("/v1/nope", headers=h)
    assert r.status_code == 404 and "error" in r.json()
    r = client.post("/v1/versions", json={"model": MODEL, "manifest": {"schema": "x"}}, headers=h)
    assert r.status_code == 400 and "manifest" in r.json()["error"]["message"]


def test_body_size_limit(client: TestClient, store: Store, tokens: dict[str, str]) -> None:
    h = auth(tokens["admin"])
    events = len(store.audit_events(limit=1000))
    big = b'{"digest": "' + b"a" * (LIMIT + 10) + b'"}'
    r = client.post("/v1/check", content=big, headers={**h, "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: streamed
        yield b'{"model": "x", "manifest": {"pad": "'
        for _ in range(LIMIT // 1024 + 2):
            yield b"a" * 1024
        yield b'"}}'

    r = client.post(
        "/v1/versions", content=chunks(), headers={**h, "content-type": "application/json"}
    )
    assert r.status_code == 413
    assert len(store.audit_events(limit=1000)) == events


def test_full_flow_over_http(
    client: TestClient, store: Store, tokens: dict[str, str], alice: Approver
) -> None:
    m = unique_manifest()
    pub, appr, admin, read = (auth(tokens[s]) for s in ("publish", "approve", "admin", "read"))
    r = client.post(
        "/v1/versions",
        json={"model": MODEL, "source": "hf:org/model", "manifest": m.to_json()},
        headers=pub,
    )
    assert r.status_code == 201, r.text
    digest = r.json()["digest"]
    assert (
        client.post(
            "/v1/keys", json={"identity": "alice", "public_key": alice.pem}, headers=admin
        ).status_code
        == 201
    )
    r = client.post("/v1/check", json={"digest": digest}, headers=read)
    assert r.json()["decision"] == "deny" and r.json()["reasons"] == [
        "version is submitted, not approved"
    ]
    env = signed(store, "approve", digest, MODEL, alice.key)
    r = client.post("/v1/decisions", json=env, headers=appr)
    assert r.status_code == 201 and r.json()["state"] == "approved"
    r = client.post("/v1/decisions", json=env, headers=appr)
    assert r.status_code == 409 and "replay" in r.json()["error"]["message"]
    bad = dict(env, signatures=[{"sig": "AAAA", "keyid": env["signatures"][0]["keyid"]}])
    assert client.post("/v1/decisions", json=bad, headers=appr).status_code == 422
    r = client.post("/v1/check", json={"manifest": m.to_json()}, headers=read)
    assert r.json()["allow"] is True
    r = client.post(
        "/v1/advisories",
        json={
            "id": "ADV-9",
            "severity": "critical",
            "description": "bad",
            "versions": [digest],
            "mitigation": {"block": ["x"]},
        },
        headers=appr,
    )
    assert r.status_code == 201
    r = client.post("/v1/check", json={"digest": digest}, headers=read)
    assert r.json()["allow"] is False and "ADV-9" in r.json()["reasons"][0]
    assert (
        client.post(
            "/v1/check", json={"digest": digest, "advisory_fail_on": "bogus"}, headers=read
        ).status_code
        == 400
    )
    client.post(
        "/v1/deployments",
        json={"name": "web", "environment": "prod", "digest": digest},
        headers=pub,
    )
    assert client.get("/v1/affected", headers=read).json()[0]["name"] == "web"
    v = client.get(f"/v1/versions/{digest}", headers=read).json()
    assert v["advisories"] == ["ADV-9"] and v["deployments"][0]["environment"] == "prod"
    assert client.get("/v1/audit/verify", headers=read).json()["ok"] is True
    events = client.get("/v1/audit", headers=read).json()
    assert events[-1]["actor"] == "token:tok-publish"


def test_hostile_bodies_never_500(client: TestClient, tokens: dict[str, str]) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    h = {**auth(tokens["admin"]), "content-type": "application/json"}
    deep = b"[" * 50_000 + b"]" * 50_000
    for method, path, _, _ in ENDPOINTS:
        if method in ("POST", "PUT"):
            r = client.request(method, path, content=deep, headers=h)
            assert r.status_code < 500 and "error" in r.json(), (path, r.text)

    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=30),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=12), c, max_size=5),
        max_leaves=20,
    )
    posts = [(m, p) for m, p, _, _ in ENDPOINTS if m in ("POST", "PUT")]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(posts), values)
    def fuzz(endpoint: tuple[str, str], body: object) -> None:
        r = client.request(endpoint[0], endpoint[1], json=body, headers=h)
        assert r.status_code < 500, (endpoint, body, r.text)
        if r.status_code >= 400:
            assert set(r.json()) == {"error"}

    fuzz()


def test_documents_too_deep_to_serve_back_are_refused(
    client: TestClient, store: Store, tokens: dict[str, str]
) -> None:
    """rt19run: a mitigation nested 300 deep (under the JSON parser's limit, over pydantic's
    serialisation depth of ~254) was stored, then POST /v1/advisories, GET /v1/advisories and
    GET /v1/export answered 500 for good. Stored documents are now bounded in depth (400)."""
    m = unique_manifest()
    store.submit(m, model=MODEL, source="hf:org/model", actor="pub")
    h = {**auth(tokens["admin"]), "content-type": "application/json"}
    deep = '{"a":' * 300 + "1" + "}" * 300
    head = '{"id":"ADV-D","severity":"high","description":"d","versions":["' + m.root_digest
    body = head + '"],"mitigation":' + deep + "}"
    r = client.post("/v1/advisories", content=body, headers=h)
    assert r.status_code == 400 and "nested" in r.json()["error"]["message"], r.text
    report = '{"schema":"airlock.scan-report/v1","x":' + deep + "}"
    r = client.post(f"/v1/versions/{m.root_digest}/scan-reports", content=report, headers=h)
    assert r.status_code == 400, r.text
    for path in ("/v1/advisories", "/v1/export", f"/v1/versions/{m.root_digest}"):
        assert client.get(path, headers=h).status_code == 200, path
    shallow = body.replace(deep, '{"a":' * 40 + "1" + "}" * 40).replace("ADV-D", "ADV-S")
    assert client.post("/v1/advisories", content=shallow, headers=h).status_code == 201
