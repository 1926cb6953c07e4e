"""One protocol, two backends: the HTTP client returns the very records the store returns;
``connect`` picks the backend; server answers are parsed strictly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from airlock.registry import connect
from airlock.registry.client import RegistryClient
from airlock.registry.errors import RemoteError
from airlock.registry.records import (
    Advisory,
    AffectedDeployment,
    AuditEvent,
    ExportRecord,
    Version,
    VersionDetail,
)
from airlock.registry.store import Store

from .conftest import Approver, signed, unique_manifest
from .test_cli import server  # noqa: F401 - a fixture

MODEL = "org/model"


def _populate(store: Store, alice: Approver) -> tuple[str, str]:
    store.add_key(alice.identity, alice.pem, actor="admin")
    approved, advised = unique_manifest(), unique_manifest()
    for m in (approved, advised):
        store.submit(m, model=MODEL, source="hf:org/model", license="mit", actor="pub")
    store.decide(signed(store, "approve", approved.root_digest, MODEL, alice.key), actor="a")
    store.attach_scan_report(
        approved.root_digest,
        {"schema": "airlock.scan-report/v1", "root_digest": approved.root_digest, "findings": []},
        actor="pub",
    )
    store.deploy("web", "prod", advised.root_digest, actor="pub")
    store.advise(
        "ADV-1",
        severity="high",
        description="bad",
        versions=[advised.root_digest],
        mitigation={"guard": {"block_patterns": ["xyzzy"]}},
        actor="a",
    )
    store.set_location("s3://bucket/m", approved.root_digest, actor="pub")
    return approved.root_digest, advised.root_digest


def test_client_returns_the_store_records(server: tuple[str, Store], alice: Approver) -> None:  # noqa: F811
    url, store = server
    approved, advised = _populate(store, alice)
    token = store.create_token("reader", ["read", "admin"], actor="setup").token
    with connect(url, token=token) as remote:
        assert isinstance(remote, RegistryClient)
        for name, args in [
            ("get_version", (approved,)),
            ("get_manifest", (advised,)),
            ("list_versions", ()),
            ("list_models", ()),
            ("list_keys", ()),
            ("list_policies", ()),
            ("evaluate_policy", (approved,)),
            ("list_advisories", ()),
            ("list_deployments", ()),
            ("affected", ()),
            ("audit_head", ()),
            ("audit_verify", ()),
            ("resolve_location", ("s3://bucket/m",)),
            ("export_records", ()),
            ("allowlist", ()),
            ("check", (approved,)),
            ("check", (advised,)),
        ]:
            assert getattr(remote, name)(*args) == getattr(store, name)(*args), name
        assert remote.list_tokens() == store.list_tokens()
        events = store.audit_events(limit=1000)
        assert remote.audit_events(limit=1000) == events
        assert remote.audit_events(exclude="version.") == store.audit_events(exclude="version.")
    detail = store.get_version(approved)
    assert isinstance(detail, VersionDetail) and detail.state == "approved"
    assert detail.decisions[0].approver == "alice" and detail.attestations[0].kind == "scan"
    (hit,) = store.affected()
    assert isinstance(hit, AffectedDeployment) and hit.advisories[0].id == "ADV-1"


def test_records_round_trip_through_json(store: Store, alice: Approver) -> None:
    approved, _ = _populate(store, alice)
    records: list[Any] = [
        store.get_version(approved),
        *store.list_versions(),
        *store.list_advisories(),
        *store.affected(),
        *store.export_records(),
        *store.audit_events(limit=1000),
        store.audit_verify(),
        store.allowlist(),
    ]
    for record in records:
        assert type(record).from_json(record.to_json()) == record
    # The transitional dict-style read is the field's JSON form.
    assert store.get_version(approved)["decisions"][0]["approver"] == "alice"
    with pytest.raises(KeyError):
        store.get_version(approved)["nope"]


@pytest.mark.parametrize(
    ("cls", "change"),
    [
        (Version, lambda d: d.pop("state")),
        (Version, lambda d: d.update(file_count=True)),
        (Version, lambda d: d.update(file_count="3")),
        (Version, lambda d: d.update(model=None)),
        (VersionDetail, lambda d: d.update(decisions={"approver": "x"})),
        (VersionDetail, lambda d: d.update(advisories=[1])),
        (Advisory, lambda d: d.update(mitigation=["x"])),
        (ExportRecord, lambda d: d.update(decisions=[{"decision": "approve"}])),
        (AuditEvent, lambda d: d.update(seq="1")),
    ],
)
def test_malformed_answers_are_remote_errors(
    store: Store, alice: Approver, cls: type[Any], change: Any
) -> None:
    approved, _ = _populate(store, alice)
    good = {
        Version: store.list_versions()[0],
        VersionDetail: store.get_version(approved),
        Advisory: store.list_advisories()[0],
        ExportRecord: store.export_records()[0],
        AuditEvent: store.audit_events()[0],
    }[cls].to_json()
    change(good)
    with pytest.raises(RemoteError):
        cls.from_json(good)
    with pytest.raises(RemoteError):
        cls.list_from_json({"not": "a list"})


def test_connect_picks_the_backend(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with connect(f"sqlite:///{db}", init=True) as created:
        assert isinstance(created, Store)
        created.submit(unique_manifest(), model=MODEL, source="s", actor="p")
    with connect(db) as by_path, connect(str(db)) as by_text:  # an existing file is a database
        assert isinstance(by_path, Store) and by_path.list_versions() == by_text.list_versions()
    client = connect("https://registry.example", token="alk_x")
    assert isinstance(client, RegistryClient)
    client.close()


def test_a_wrong_base_url_names_itself() -> None:
    """``--registry http://host:8470/v1`` reached the server but no route: say which URL and
    what to give instead, not a bare ``registry: Not Found``; a missing record stays NotFound."""
    import httpx

    from airlock.registry.errors import NotFound

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/v1/v1/"):
            return httpx.Response(404, json={"error": {"code": "http", "message": "Not Found"}})
        return httpx.Response(404, json={"error": {"code": "not_found", "message": "no version"}})

    transport = httpx.MockTransport(answer)
    with RegistryClient("http://reg.test/v1", "t", transport=transport) as client:
        with pytest.raises(RemoteError) as err:
            client.get_version("ab" * 32)
    assert "http://reg.test/v1/v1/versions/" in str(err.value) and "without /v1" in str(err.value)
    with RegistryClient("http://reg.test", "t", transport=transport) as client:
        with pytest.raises(NotFound, match="no version"):
            client.get_version("ab" * 32)


def test_a_registry_url_without_scheme_says_what_is_expected(tmp_path: Path) -> None:
    """``--registry localhost:8470`` said only "'localhost:8470': not a database URL"."""
    from airlock.registry.errors import DatabaseError

    for target in ("localhost:8470", str(tmp_path / "missing.db")):
        with pytest.raises(DatabaseError, match=r"not a registry server URL \(http://HOST:8470\)"):
            connect(target)
