"""CycloneDX 1.6 ML-BOM export: schema-valid, one component per version with its files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airlock.cli import register
from airlock.registry.bom import build_bom
from airlock.registry.errors import NotFound
from airlock.registry.store import Store

from .conftest import Approver, signed, unique_manifest

app = register()

pytest.importorskip("cyclonedx", reason="needs extra [registry]")


def _validate(text: str) -> dict[str, object]:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    data: dict[str, object] = json.loads(text)
    return data


def test_bom_of_registry_and_one_model(store: Store, alice: Approver) -> None:
    store.add_key(alice.identity, alice.pem, actor="s")
    a, b = unique_manifest(), unique_manifest()
    store.submit(
        a, model="org/a", source="hf:org/a", license="apache-2.0", base_model="hf:meta/x", actor="s"
    )
    store.submit(b, model="org/b", source="local", actor="s")
    store.decide(signed(store, "approve", a.root_digest, "org/a", alice.key), actor="s")
    store.advise("ADV-1", severity="high", description="d", versions=[b.root_digest], actor="s")
    bom = _validate(build_bom(store.export_records()))
    assert bom["specVersion"] == "1.6"
    comps = {c["name"]: c for c in bom["components"]}  # type: ignore[attr-defined]
    ca = comps["org/a"]
    assert ca["type"] == "machine-learning-model"
    assert ca["bom-ref"] == f"airlock:{a.root_digest}"
    assert ca["hashes"][0]["content"] == a.root_digest
    props = {p["name"]: p["value"] for p in ca["properties"]}
    assert props["airlock:state"] == "approved" and props["airlock:approved-by"] == "alice"
    assert props["airlock:base-model"] == "hf:meta/x"
    assert ca["externalReferences"][0]["url"] == "https://huggingface.co/org/a"
    files = {f["name"]: f["hashes"][0]["content"] for f in ca["components"]}
    assert files == {f.path: f.digest for f in a.files}
    cb = {p["name"]: p["value"] for p in comps["org/b"]["properties"]}
    assert cb["airlock:advisory"] == "ADV-1 (high)" and cb["airlock:state"] == "submitted"
    only_a = _validate(build_bom(store.export_records("org/a")))
    assert [c["name"] for c in only_a["components"]] == ["org/a"]  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        store.export_records("org/none")


def test_cli_export_cyclonedx(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    store = Store.open(db, init=True)
    store.submit(unique_manifest(), model="org/a", source="hf:org/a", actor="s")
    store.close()
    out = tmp_path / "bom.json"
    result = CliRunner().invoke(
        app,
        ["registry", "export", "--format", "cyclonedx", "-o", str(out)],
        env={"AIRLOCK_DATABASE_URL": db, "AIRLOCK_REGISTRY_URL": ""},
    )
    assert result.exit_code == 0, result.stderr
    assert _validate(out.read_text())["components"]
    result = CliRunner().invoke(
        app, ["registry", "export"], env={"AIRLOCK_DATABASE_URL": db, "AIRLOCK_REGISTRY_URL": ""}
    )
    assert result.exit_code == 2 and "--key" in result.stderr
