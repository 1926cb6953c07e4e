"""``fleet publish`` registers adapters as the registry records them: kind ``adapter``, the base
their config names (a repository of the same job, else the one approved registry version of
that name) and the config text, checked to be the bytes judged. No brokers needed."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from airlock.fleet import jobs
from airlock.fleet.jobs import FileEntry
from airlock.fleet.publish import publish
from airlock.fleet.ruleset import current
from airlock.fleet.submit import sha256_file
from airlock.provenance.manifest import FileDigest, Manifest, sorted_files
from airlock.registry import migrate
from airlock.registry.db import make_engine
from airlock.registry.store import Store


def _adapter(d: Path, base: str) -> None:
    d.mkdir(parents=True)
    doc = {"peft_type": "LORA", "r": 2, "lora_alpha": 4, "base_model_name_or_path": base}
    (d / "adapter_config.json").write_text(json.dumps(doc))
    (d / "adapter_model.safetensors").write_bytes(b"weights of " + d.name.encode())


def test_adapters_are_published_with_their_base(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    root = tmp_path / "store"
    (root / "acme/llama").mkdir(parents=True)
    (root / "acme/llama" / "model.safetensors").write_bytes(b"base weights")
    _adapter(root / "org/ad", "acme/llama")  # base in the same job
    _adapter(root / "org/reg", "other/base")  # base approved in the registry
    _adapter(root / "org/lost", "nobody/base")  # base nowhere
    _adapter(root / "org/local", "acme/llama")  # its config is changed after judging
    reg = Store(engine)
    other_m = Manifest(files=sorted_files([FileDigest("m.bin", 1, "cd" * 32)]), name="o")
    other = reg.submit(other_m, model="other/base", source="hf:other/base", actor="t").digest
    with engine.begin() as conn:  # approval itself is tested in the registry suite
        conn.execute(text("UPDATE versions SET state = 'approved' WHERE digest = :d"),
                     {"d": other})  # fmt: skip
    reg = Store(engine)
    job = jobs.create_job(engine, str(root), current(None).policy_doc, current(None).policy, {})

    def rel(p: Path) -> str:
        return p.parent.relative_to(root).as_posix()

    entries = [
        FileEntry(rel(p), p.name, str(p), p.stat().st_size, sha256_file(p))
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]
    jobs.add_files(engine, job, entries)
    with engine.begin() as conn:
        conn.execute(text("UPDATE fleet_files SET state = 'done'"))
    (root / "org/local" / "adapter_config.json").write_text("{}")  # changed since judged
    out = publish(engine, reg, job, actor="t")
    by_name = {p["model"]: p for p in out.published}
    base = by_name["acme/llama"]["digest"]
    assert by_name["org/ad"]["kind"] == "adapter" and by_name["org/ad"]["base_digest"] == base
    assert by_name["org/reg"]["base_digest"] == other
    v = reg.get_version(by_name["org/ad"]["digest"])
    assert v.kind == "adapter" and v.base_digest == base and v.base_model == "acme/llama"
    reasons = {a["model"]: a["reason"] for a in out.adapters}
    assert "no approved registry version" in reasons["org/lost"]
    assert "no longer the file judged" in reasons["org/local"]
    again = publish(engine, reg, job, actor="t")
    assert again.published == [] and again.already == 3
    engine.dispose()
