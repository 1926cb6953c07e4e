"""The model inventory the console diffs: read as data, attached by ``submit --inventory``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from airlock.cli import register
from airlock.registry.store import Store
from airlock.registry.ui import queries
from airlock.registry.ui.inventory import model_inventory

from .seed import TEMPLATE_PAYLOAD, _safetensors


def _model(root: Path) -> Path:
    d = root / "m"
    d.mkdir()
    _safetensors(d / "model.safetensors", {"w": ("BF16", [3, 5])})
    (d / "broken.safetensors").write_bytes(b"\xff" * 12)  # unreadable header: skipped
    (d / "config.json").write_text('{"hidden_size": 5}')
    (d / "tokenizer_config.json").write_text(json.dumps({"chat_template": TEMPLATE_PAYLOAD}))
    return d


def test_inventory_reads_headers_and_texts(tmp_path: Path) -> None:
    inv = model_inventory(_model(tmp_path))
    assert inv["tensors"] == {"model.safetensors": {"w": {"dtype": "BF16", "shape": [3, 5]}}}
    assert inv["texts"]["config.json"] == '{"hidden_size": 5}'
    assert inv["texts"]["tokenizer_config.json:chat_template"] == TEMPLATE_PAYLOAD


def test_submit_with_inventory(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    Store.open(db, init=True).close()
    model = _model(tmp_path)
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"schema": "airlock.scan-report/v1", "findings": []}))
    env = {"AIRLOCK_REGISTRY_URL": ""}
    app = register()
    runner = CliRunner()
    refused = runner.invoke(app, ["registry", "submit", str(model), "--model", "org/m",
                                  "--inventory", "--database", db], env=env)  # fmt: skip
    assert refused.exit_code == 2 and "--inventory needs --scan-report" in refused.stderr
    ok = runner.invoke(app, ["registry", "submit", str(model), "--model", "org/m", "--scan-report",
                             str(report), "--inventory", "--database", db, "--format", "json"],
                       env=env)  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    digest = json.loads(ok.stdout)["digest"]
    store = Store.open(db)
    try:
        doc = queries.newest_scan_reports(store.engine, [digest])[digest]
    finally:
        store.close()
    assert doc["inventory"]["tensors"]["model.safetensors"]["w"]["shape"] == [3, 5]
