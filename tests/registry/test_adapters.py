"""Adapters in the registry: kind from the manifest, base recorded on submit, and the gate
requires the base to be an approved version (``adapter_base`` policy setting)."""

from __future__ import annotations

import hashlib
import json
import secrets

import pytest
from sqlalchemy import text

from airlock.provenance.manifest import FileDigest, Manifest, sorted_files
from airlock.registry.errors import InvalidRequest
from airlock.registry.policy import parse_policy
from airlock.registry.store import Store

from .conftest import Approver, Backend, signed, unique_manifest

CONFIGS: dict[str, str] = {}  # root digest -> the adapter_config.json text it lists


def adapter_manifest(base: str = "org/base") -> Manifest:
    doc = {"peft_type": "LORA", "r": 2, "base_model_name_or_path": base,
           "salt": secrets.token_hex(8)}  # fmt: skip
    text_ = json.dumps(doc)
    files = [
        FileDigest("adapter_config.json", len(text_), hashlib.sha256(text_.encode()).hexdigest()),
        FileDigest("adapter_model.safetensors", 8, secrets.token_hex(32)),
    ]
    m = Manifest(files=sorted_files(files), name="ad")
    CONFIGS[m.root_digest] = text_
    return m


def cfg(m: Manifest) -> str:
    return CONFIGS[m.root_digest]


def _submit_base(store: Store) -> str:
    m = unique_manifest()
    return store.submit(m, model="org/base", source="hf:org/base", actor="p").digest


def _approve(store: Store, who: Approver, digest: str, model: str) -> None:
    store.decide(signed(store, "approve", digest, model, who.key), actor="a")


def test_adapter_kind_and_base_are_recorded(store: Store) -> None:
    base = _submit_base(store)
    m = adapter_manifest()
    v = store.submit(
        m, model="org/ad", source="hf:org/ad", base_model="org/base",
        base_digest=base, adapter_config=cfg(m), actor="p",
    )  # fmt: skip
    assert v.kind == "adapter" and v.base_digest == base
    detail = store.get_version(v.digest)
    assert detail.kind == "adapter" and detail.base_digest == base
    assert detail.to_json()["kind"] == "adapter"
    plain = store.get_version(base)
    assert plain.kind == "model" and plain.base_digest == ""
    event = store.audit_events(limit=1000)[-1]
    assert event.payload["kind"] == "adapter" and event.payload["base_digest"] == base


def test_adapter_without_base_digest_is_refused(store: Store) -> None:
    with pytest.raises(InvalidRequest, match="must record its base"):
        store.submit(adapter_manifest(), model="org/ad", source="s", actor="p")
    m = adapter_manifest()
    with pytest.raises(InvalidRequest, match="own base"):
        store.submit(m, model="org/ad", source="s", base_digest=m.root_digest, actor="p")
    with pytest.raises(InvalidRequest, match="hex"):
        store.submit(m, model="org/ad", source="s", base_digest="xyz", actor="p")


def test_gate_requires_an_approved_base(store: Store, alice: Approver) -> None:
    store.add_key(alice.identity, alice.pem, actor="admin")
    base = _submit_base(store)
    m = adapter_manifest()
    ad = store.submit(m, model="org/ad", source="s", base_digest=base, adapter_config=cfg(m),
                      actor="p").digest  # fmt: skip
    _approve(store, alice, ad, "org/ad")
    denied = store.check(ad)
    assert not denied.allow
    assert any("not an approved deployment" in r and "submitted" in r for r in denied.reasons)
    _approve(store, alice, base, "org/base")
    assert store.check(ad).allow  # cached answers end with the mutation
    store.decide(signed(store, "revoke", base, "org/base", alice.key), actor="a")
    again = store.check(ad)
    assert not again.allow and any("revoked" in r for r in again.reasons)
    assert ad not in {a.digest for a in store.allowlist().versions}


def test_unregistered_base_and_relaxed_settings(store: Store, alice: Approver) -> None:
    store.add_key(alice.identity, alice.pem, actor="admin")
    missing = "ab" * 32
    m = adapter_manifest()
    ad = store.submit(m, model="org/ad", source="s", base_digest=missing, adapter_config=cfg(m),
                      actor="p").digest  # fmt: skip
    _approve(store, alice, ad, "org/ad")
    assert any("not registered" in r for r in store.check(ad).reasons)
    store.set_policy("org/ad", {"all_of": [{"rule": "min_approvers", "count": 1},
                                           {"rule": "adapter_base", "require": "any"}]},
                     actor="admin")  # fmt: skip
    assert store.check(ad).allow
    # the strictest setting of the global and the model's policy holds
    store.set_policy("*", {"rule": "adapter_base", "require": "registered"}, actor="admin")
    assert not store.check(ad).allow


def test_full_models_do_not_need_a_base(store: Store, alice: Approver) -> None:
    store.add_key(alice.identity, alice.pem, actor="admin")
    d = store.submit(unique_manifest(), model="org/m", source="s", base_model="org/base",
                     base_digest="cd" * 32, actor="p").digest  # fmt: skip
    _approve(store, alice, d, "org/m")
    assert store.check(d).allow


def test_chain_of_adapters_is_bounded(store: Store, alice: Approver) -> None:
    store.add_key(alice.identity, alice.pem, actor="admin")
    first = adapter_manifest("org/b")
    second = adapter_manifest("org/a")
    a = store.submit(first, model="org/a", source="s", base_digest=second.root_digest,
                     adapter_config=cfg(first), actor="p").digest  # fmt: skip
    b = store.submit(second, model="org/b", source="s", base_digest=a,
                     adapter_config=cfg(second), actor="p").digest  # fmt: skip
    _approve(store, alice, a, "org/a")
    _approve(store, alice, b, "org/b")
    decision = store.check(a)  # a cycle: a on b on a ...
    assert not decision.allow and "deeper than" in " ".join(decision.reasons)


def test_adapter_base_setting_is_not_an_alternative() -> None:
    assert parse_policy({"all_of": [{"rule": "adapter_base", "require": "registered"}]})
    with pytest.raises(InvalidRequest, match="setting"):
        parse_policy({"any_of": [{"rule": "adapter_base"}, {"rule": "min_approvers",
                                                           "count": 1}]})  # fmt: skip
    with pytest.raises(InvalidRequest, match="require"):
        parse_policy({"rule": "adapter_base", "require": "maybe"})


def test_migrations_classify_existing_adapters(backend: Backend) -> None:
    """0004 made every existing version a model; 0005 reclassifies those whose stored manifest
    lists a root adapter_config.json (peft loads them as adapters), 0006 those with one in a
    subfolder; they then record no base and are denied by the gate instead of passing as
    models."""
    from airlock.registry import migrate
    from airlock.registry.db import make_engine

    engine = make_engine(backend.url, schema=backend.schema)
    ad, plain = adapter_manifest(), unique_manifest()
    nested = Manifest(files=sorted_files([FileDigest("sub/adapter_config.json", 1, "ab" * 32)]))
    try:
        migrate.upgrade(engine, "0003")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO models (id, name, source, created_at) "
                "VALUES (1, 'org/old', 's', CURRENT_TIMESTAMP)"
            ))  # fmt: skip
            for m in (ad, plain, nested):
                conn.execute(text(
                    "INSERT INTO versions (model_id, digest, algorithm, manifest, file_count, "
                    "total_size, source_revision, base_model, license, state, record, "
                    "created_at, updated_at) VALUES (1, :d, 'sha256', :m, 1, 1, '', '', '', "
                    "'approved', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ), {"d": m.root_digest, "m": json.dumps(m.to_json())})  # fmt: skip
        assert migrate.upgrade(engine, "0004") == "0004"
        migrate.upgrade(engine, "head")
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT digest, kind FROM versions")).all())
        # 0006: an adapter only in a subfolder (peft's multi-adapter layout) is one too
        assert rows == {ad.root_digest: "adapter", plain.root_digest: "model",
                        nested.root_digest: "adapter"}  # fmt: skip
        from alembic import command

        cfg_ = migrate._config()
        with engine.connect().execution_options(airlock_write=True) as conn:
            cfg_.attributes["connection"] = conn
            command.downgrade(cfg_, "0003")
            conn.commit()
        assert migrate.current_revision(engine) == "0003"
    finally:
        engine.dispose()


def test_a_reclassified_adapter_without_base_is_denied(store: Store, alice: Approver) -> None:
    store.add_key(alice.identity, alice.pem, actor="admin")
    d = store.submit(unique_manifest(), model="org/old", source="s", actor="p").digest
    _approve(store, alice, d, "org/old")
    with store.engine.begin() as conn:  # what 0005 does to a pre-0004 adapter
        conn.execute(text("UPDATE versions SET kind = 'adapter' WHERE digest = :d"), {"d": d})
    decision = Store(store.engine).check(d)  # a fresh process: no cached answer
    assert not decision.allow and "adapter records no base version" in decision.reasons


def test_api_and_client_carry_kind_and_base(store: Store) -> None:
    from fastapi.testclient import TestClient

    from airlock.registry.api import create_app

    token = store.create_token("pub", ["publish", "read"], actor="setup").token
    base = _submit_base(store)
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        hdr = {"Authorization": f"Bearer {token}"}
        m = adapter_manifest()
        body = {"model": "org/ad", "source": "s", "manifest": m.to_json()}
        r = c.post("/v1/versions", json=body, headers=hdr)
        assert r.status_code == 400 and "must record its base" in r.text
        r = c.post("/v1/versions", json={**body, "base_digest": base}, headers=hdr)
        assert r.status_code == 400 and "adapter_config" in r.text
        body["adapter_config"] = cfg(m)
        r = c.post("/v1/versions", json={**body, "base_digest": base}, headers=hdr)
        assert r.status_code == 201 and r.json()["kind"] == "adapter"
        got = c.get(f"/v1/versions/{r.json()['digest']}", headers=hdr).json()
        assert got["base_digest"] == base
    from airlock.registry.records import Version, VersionDetail

    old = {k: v for k, v in got.items() if k not in ("kind", "base_digest")}
    assert Version.from_json(old).kind == "model"  # an older server's answer still parses
    assert VersionDetail.from_json(got).base_digest == base


def test_cli_submit_of_an_adapter_folder(tmp_path, backend: Backend) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from airlock.cli import register

    app = register()
    if backend.name != "sqlite":
        pytest.skip("the CLI path is the same on both databases")
    ad = tmp_path / "ad"
    ad.mkdir()
    (ad / "adapter_config.json").write_text(
        json.dumps({"peft_type": "LORA", "r": 2, "base_model_name_or_path": "org/base"})
    )
    (ad / "adapter_model.safetensors").write_bytes(b"x")
    base = tmp_path / "base"
    base.mkdir()
    (base / "model.safetensors").write_bytes(b"y")
    env = {"AIRLOCK_DATABASE_URL": backend.url, "AIRLOCK_REGISTRY_URL": ""}
    run = CliRunner()
    assert run.invoke(app, ["registry", "init"], env=env).exit_code == 0
    args = ["registry", "submit", str(ad), "--model", "org/ad", "--format", "json"]
    res = run.invoke(app, args, env=env)
    assert res.exit_code == 2 and "--base-digest" in res.stderr
    res = run.invoke(app, [*args, "--base", str(base)], env=env)
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    from airlock.provenance.hashing import hash_model

    assert out["kind"] == "adapter" and out["base_model"] == "org/base"
    assert out["base_digest"] == hash_model(base).root_digest


# -- the base peft loads must be the base version recorded (security review, session 7) --


def _acme(store: Store) -> str:
    return store.submit(unique_manifest(), model="acme/llama", source="hf://acme/llama",
                        actor="p").digest  # fmt: skip


def test_adapter_naming_another_base_is_refused_on_submit(store: Store) -> None:
    base = _acme(store)
    m = adapter_manifest("evil/llama")
    with pytest.raises(InvalidRequest, match="adapter loads 'evil/llama'"):
        store.submit(m, model="org/ad", source="s", base_digest=base, adapter_config=cfg(m),
                     actor="p")  # fmt: skip
    ok = adapter_manifest("ACME/llama")  # the hub compares repo ids case-insensitively
    v = store.submit(ok, model="org/ok", source="s", base_digest=base, adapter_config=cfg(ok),
                     actor="p")  # fmt: skip
    assert v.base_model == "ACME/llama"


def test_the_claim_is_read_from_the_config_the_manifest_lists(store: Store) -> None:
    base = _acme(store)
    m = adapter_manifest("acme/llama")
    with pytest.raises(InvalidRequest, match="adapter_config"):  # none given
        store.submit(m, model="org/ad", source="s", base_digest=base, actor="p")
    forged = cfg(m).replace("acme/llama", "acme/llamb")
    with pytest.raises(InvalidRequest, match=r"not the adapter_config\.json the manifest lists"):
        store.submit(m, model="org/ad", source="s", base_digest=base, adapter_config=forged,
                     actor="p")  # fmt: skip
    with pytest.raises(InvalidRequest, match="base_model 'acme/other'"):
        store.submit(m, model="org/ad", source="s", base_model="acme/other", base_digest=base,
                     adapter_config=cfg(m), actor="p")  # fmt: skip


def test_gate_denies_a_base_registered_later_under_another_repository(
    store: Store, alice: Approver
) -> None:
    store.add_key(alice.identity, alice.pem, actor="admin")
    base_m = unique_manifest()
    m = adapter_manifest("evil/llama")
    ad = store.submit(m, model="org/ad", source="s", base_digest=base_m.root_digest,
                      adapter_config=cfg(m), actor="p").digest  # fmt: skip
    base = store.submit(base_m, model="acme/llama", source="hf:acme/llama", actor="p").digest
    _approve(store, alice, base, "acme/llama")
    _approve(store, alice, ad, "org/ad")
    denied = store.check(ad)
    assert not denied.allow
    assert any("adapter loads 'evil/llama'" in r and "'acme/llama'" in r for r in denied.reasons)
    store.set_policy("*", {"rule": "adapter_base", "local_base": "allow"}, actor="admin")
    assert not store.check(ad).allow  # a mismatch is never a policy choice


@pytest.mark.parametrize("claim", ["/models/llama", "./llama", ""])
def test_base_that_cannot_be_compared_denies_unless_policy_allows(
    store: Store, alice: Approver, claim: str
) -> None:
    store.add_key(alice.identity, alice.pem, actor="admin")
    base = _acme(store)
    _approve(store, alice, base, "acme/llama")
    m = adapter_manifest(claim)
    ad = store.submit(m, model="org/ad", source="s", base_digest=base, adapter_config=cfg(m),
                      actor="p").digest  # fmt: skip
    _approve(store, alice, ad, "org/ad")
    denied = store.check(ad)
    assert not denied.allow and any("local_base: allow" in r for r in denied.reasons)
    store.set_policy("org/ad", {"rule": "adapter_base", "local_base": "allow"}, actor="admin")
    assert store.check(ad).allow
    store.set_policy("*", {"rule": "adapter_base", "local_base": "deny"}, actor="admin")
    assert not store.check(ad).allow  # the strictest setting holds


def test_base_registered_from_a_folder_is_compared_by_its_name(
    store: Store, alice: Approver
) -> None:
    store.add_key(alice.identity, alice.pem, actor="admin")
    base = store.submit(unique_manifest(), model="acme/llama", source="", actor="p").digest
    _approve(store, alice, base, "acme/llama")
    m = adapter_manifest("acme/llama")
    ad = store.submit(m, model="org/ad", source="s", base_digest=base, adapter_config=cfg(m),
                      actor="p").digest  # fmt: skip
    _approve(store, alice, ad, "org/ad")
    assert store.check(ad).allow


def test_cli_refuses_a_base_or_base_model_the_adapter_does_not_load(
    tmp_path, backend: Backend
) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from airlock.cli import register

    if backend.name != "sqlite":
        pytest.skip("the CLI path is the same on both databases")
    ad = tmp_path / "ad"
    ad.mkdir()
    doc = {"peft_type": "LORA", "r": 2, "base_model_name_or_path": "acme/llama"}
    (ad / "adapter_config.json").write_text(json.dumps(doc))
    (ad / "adapter_model.safetensors").write_bytes(b"x")
    env = {"AIRLOCK_DATABASE_URL": backend.url, "AIRLOCK_REGISTRY_URL": ""}
    run, app = CliRunner(), register()
    assert run.invoke(app, ["registry", "init"], env=env).exit_code == 0
    args = ["registry", "submit", str(ad), "--model", "org/ad"]
    res = run.invoke(app, [*args, "--base", "hf://evil/llama"], env=env)  # refused before hashing
    assert res.exit_code == 2 and "another base" in res.stderr
    res = run.invoke(
        app, [*args, "--base-model", "evil/llama", "--base-digest", "ab" * 32], env=env
    )
    assert res.exit_code == 2 and "adapter_config.json loads 'acme/llama'" in res.stderr


def _revision_adapter(revision: str | None, base: str = "acme/llama") -> Manifest:
    doc: dict[str, object] = {"peft_type": "LORA", "r": 2, "base_model_name_or_path": base}
    if revision is not None:
        doc["revision"] = revision
    text_ = json.dumps(doc)
    files = [FileDigest("adapter_config.json", len(text_),
                        hashlib.sha256(text_.encode()).hexdigest()),
             FileDigest("adapter_model.safetensors", 8, secrets.token_hex(32))]  # fmt: skip
    m = Manifest(files=sorted_files(files), name="ad")
    CONFIGS[m.root_digest] = text_
    return m


def test_a_pinned_base_commit_must_be_the_base_versions(store: Store, alice: Approver) -> None:
    """peft loads the base at the config's ``revision``: with the base version registered at a
    commit, only that full commit id loads it. A branch, tag, pull-request ref or abbreviated
    commit loads whatever it points to when the base is loaded: all refused. No revision
    (peft's default, nearly every published adapter) loads the same repository's default
    branch: accepted."""
    store.add_key(alice.identity, alice.pem, actor="admin")
    base = store.submit(unique_manifest(), model="acme/llama", source="hf://acme/llama",
                        source_revision="a" * 40, actor="p").digest  # fmt: skip
    _approve(store, alice, base, "acme/llama")
    for rev in ("b" * 40, "aaaaaaa", "main", "refs/pr/1", "v1.0", "a" * 40 + " "):
        evil = _revision_adapter(rev)
        with pytest.raises(InvalidRequest, match="commit"):
            store.submit(evil, model="org/ad", source="s", base_digest=base,
                         adapter_config=cfg(evil), actor="p")  # fmt: skip
    unpinned = _revision_adapter(None)
    u = store.submit(unpinned, model="org/ad-unpinned", source="s", base_digest=base,
                     adapter_config=cfg(unpinned), actor="p")  # fmt: skip
    _approve(store, alice, u.digest, "org/ad-unpinned")
    assert store.check(u.digest).allow
    m = _revision_adapter("A" * 40)  # the same commit (hex case does not matter)
    v = store.submit(m, model="org/ad", source="s", base_digest=base,
                     adapter_config=cfg(m), actor="p")  # fmt: skip
    assert v.base_model == f"acme/llama@{'A' * 40}"
    _approve(store, alice, v.digest, "org/ad")
    assert store.check(v.digest).allow


def test_a_revision_against_a_base_with_no_commit_is_not_compared(
    store: Store, alice: Approver
) -> None:
    """A base version registered with no commit: a config with no revision loads the same
    repository (allowed, as before); a named revision cannot be compared and denies unless the
    policy accepts names that cannot be compared."""
    store.add_key(alice.identity, alice.pem, actor="admin")
    base = store.submit(unique_manifest(), model="acme/llama", source="hf://acme/llama",
                        source_revision="main", actor="p").digest  # fmt: skip
    _approve(store, alice, base, "acme/llama")
    for i, rev in enumerate((None, "refs/pr/1")):
        m = _revision_adapter(rev)
        v = store.submit(m, model=f"org/ad{i}", source="s", base_digest=base,
                         adapter_config=cfg(m), actor="p")  # fmt: skip
        _approve(store, alice, v.digest, f"org/ad{i}")
        decision = store.check(v.digest)
        assert decision.allow == (rev is None), decision.reasons
        if rev is not None:
            assert "names no commit" in decision.reasons[0]


def test_a_base_name_holding_an_at_sign_is_not_a_pinned_revision(
    store: Store, alice: Approver
) -> None:
    """``org/base@COMMIT`` is no hub repo id (transformers reads it as a local path): it is not
    the base loaded at COMMIT, with or without a config revision."""
    store.add_key(alice.identity, alice.pem, actor="admin")
    base = store.submit(unique_manifest(), model="acme/llama", source="hf://acme/llama",
                        source_revision="a" * 40, actor="p").digest  # fmt: skip
    _approve(store, alice, base, "acme/llama")
    for i, rev in enumerate((None, "refs/pr/9")):
        m = _revision_adapter(rev, base="acme/llama@" + "a" * 40)
        v = store.submit(m, model=f"org/ad{i}", source="s", base_digest=base,
                         adapter_config=cfg(m), actor="p")  # fmt: skip
        _approve(store, alice, v.digest, f"org/ad{i}")
        decision = store.check(v.digest)
        assert not decision.allow and "not a hub repository" in decision.reasons[0]


# -- every adapter config counts, not only the root one (security review 7, F4) --


def _multi(configs: dict[str, str]) -> tuple[Manifest, dict[str, str]]:
    texts = {}
    files = [FileDigest("x/adapter_model.safetensors", 8, secrets.token_hex(32))]
    for path, base in configs.items():
        t = json.dumps({"peft_type": "LORA", "r": 2, "base_model_name_or_path": base,
                        "salt": secrets.token_hex(4)})  # fmt: skip
        texts[path] = t
        files.append(FileDigest(path, len(t), hashlib.sha256(t.encode()).hexdigest()))
    return Manifest(files=sorted_files(files), name="ad"), texts


def test_an_adapter_only_in_a_subfolder_is_an_adapter(store: Store) -> None:
    """peft's multi-adapter layout keeps an adapter in SUB/adapter_config.json (loaded with
    ``subfolder=SUB``): the version is an adapter, needs a base, and its config is read."""
    from airlock.registry.store.versions import version_kind

    base = _acme(store)
    m, texts = _multi({"other/adapter_config.json": "evil/llama"})
    assert version_kind(m) == "adapter"
    with pytest.raises(InvalidRequest, match="must record its base"):
        store.submit(m, model="org/ad", source="s", actor="p")
    with pytest.raises(InvalidRequest, match=r"missing: other/adapter_config\.json"):
        store.submit(m, model="org/ad", source="s", base_digest=base, actor="p")
    with pytest.raises(InvalidRequest, match="adapter loads 'evil/llama'"):
        store.submit(m, model="org/ad", source="s", base_digest=base, adapter_configs=texts,
                     actor="p")  # fmt: skip
    good, texts = _multi({"other/adapter_config.json": "acme/llama"})
    v = store.submit(good, model="org/ad", source="s", base_digest=base, adapter_configs=texts,
                     actor="p")  # fmt: skip
    assert v.kind == "adapter" and v.base_model == "acme/llama"


def test_adapters_of_one_version_must_share_their_base(store: Store) -> None:
    base = _acme(store)
    m, texts = _multi({"adapter_config.json": "acme/llama",
                       "other/adapter_config.json": "evil/llama"})  # fmt: skip
    with pytest.raises(InvalidRequest, match="must share their base"):
        store.submit(m, model="org/ad", source="s", base_digest=base, adapter_config=texts[
            "adapter_config.json"], adapter_configs={"other/adapter_config.json": texts[
                "other/adapter_config.json"]}, actor="p")  # fmt: skip
    forged = {**texts, "other/adapter_config.json": texts["adapter_config.json"]}
    with pytest.raises(InvalidRequest, match=r"not the other/adapter_config\.json"):
        store.submit(m, model="org/ad", source="s", base_digest=base, adapter_configs=forged,
                     actor="p")  # fmt: skip
    ok, texts = _multi({"adapter_config.json": "acme/llama",
                        "other/adapter_config.json": "ACME/llama"})  # fmt: skip
    v = store.submit(ok, model="org/ad", source="s", base_digest=base, adapter_configs=texts,
                     actor="p")  # fmt: skip
    assert v.base_model == "acme/llama"


def test_the_registry_reads_only_the_base_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    """Submit must not compile a config's module patterns (a config of costly patterns would
    tie up the server): only base_model_name_or_path and revision are read."""
    from airlock.formats import peft, safe_regex
    from airlock.registry.adapter_base import config_claim

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a pattern was compiled")

    monkeypatch.setattr(safe_regex.SafePattern, "__init__", refuse)
    monkeypatch.setattr(peft.SafePattern, "__init__", refuse)
    doc = {"peft_type": "LORA", "r": 2, "base_model_name_or_path": "acme/llama",
           "target_modules": "x[a-z]{0,900}", "rank_pattern": {"q.*": 4}}  # fmt: skip
    t = json.dumps(doc)
    m = Manifest(files=[FileDigest("adapter_config.json", len(t),
                                   hashlib.sha256(t.encode()).hexdigest())])  # fmt: skip
    assert config_claim(m, {"adapter_config.json": t}, "") == "acme/llama"


def test_cli_sends_every_adapter_config(tmp_path, backend: Backend) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from airlock.cli import register

    if backend.name != "sqlite":
        pytest.skip("the CLI path is the same on both databases")
    app = register()
    ad = tmp_path / "ad"
    (ad / "other").mkdir(parents=True)
    for sub, b in (("", "org/base"), ("other/", "evil/base")):
        (ad / f"{sub}adapter_config.json").write_text(
            json.dumps({"peft_type": "LORA", "r": 2, "base_model_name_or_path": b})
        )
        (ad / f"{sub}adapter_model.safetensors").write_bytes(b"x")
    env = {"AIRLOCK_DATABASE_URL": backend.url, "AIRLOCK_REGISTRY_URL": ""}
    run = CliRunner()
    assert run.invoke(app, ["registry", "init"], env=env).exit_code == 0
    args = ["registry", "submit", str(ad), "--model", "org/ad", "--base-digest", "ab" * 32]
    res = run.invoke(app, args, env=env)
    assert res.exit_code != 0 and "must share their base" in res.stderr + res.stdout
    (ad / "other/adapter_config.json").write_text(
        json.dumps({"peft_type": "LORA", "r": 4, "base_model_name_or_path": "org/base"})
    )
    res = run.invoke(app, [*args, "--format", "json"], env=env)
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["base_model"] == "org/base"


@pytest.mark.parametrize("claim", ["hf://acme/llama", " acme/llama", "acme/llama/",
                                   "https://huggingface.co/acme/llama"])  # fmt: skip
def test_a_config_base_is_not_normalised(store: Store, alice: Approver, claim: str) -> None:
    """A config naming its base in any form but the exact repo id is a local path to
    transformers: not comparable with the base version, denied unless the policy allows."""
    store.add_key(alice.identity, alice.pem, actor="admin")
    base = _acme(store)
    _approve(store, alice, base, "acme/llama")
    m = adapter_manifest(claim)
    ad = store.submit(m, model="org/ad", source="s", base_digest=base, adapter_config=cfg(m),
                      actor="p").digest  # fmt: skip
    _approve(store, alice, ad, "org/ad")
    denied = store.check(ad)
    assert not denied.allow and "not a hub repository" in denied.reasons[0]


def test_api_carries_every_adapter_config(store: Store) -> None:
    from fastapi.testclient import TestClient

    from airlock.registry.api import create_app

    token = store.create_token("pub", ["publish", "read"], actor="setup").token
    base = _acme(store)
    m, texts = _multi({"other/adapter_config.json": "acme/llama"})
    body = {"model": "org/ad", "source": "s", "manifest": m.to_json(), "base_digest": base}
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        hdr = {"Authorization": f"Bearer {token}"}
        r = c.post("/v1/versions", json=body, headers=hdr)
        assert r.status_code == 400 and "other/adapter_config.json" in r.text
        r = c.post("/v1/versions", json={**body, "adapter_configs": texts}, headers=hdr)
        assert r.status_code == 201 and r.json()["kind"] == "adapter"
        assert r.json()["base_model"] == "acme/llama"
