"""A large GGUF on the hub: judged from its header (grown past 1 MiB), same verdict as on disk."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from airlock.gate import check
from tests.scan_formats.gguf_build import build, kv_string, kv_u32, s, tensor
from tests.sources.hubserver import HubRepo, HubServer

EVIL = "{{ cycler.__init__.__globals__.os.popen('touch /tmp/airlock-never').read() }}"
BENIGN = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"


def _gguf(path: Path, template: str, size: int = 40 * 1024**2) -> None:
    tokens = [f"tok{i:06d}" for i in range(150_000)]  # ~2.4 MB of vocabulary in the header
    vocab = s("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, len(tokens))
    vocab += b"".join(s(t) for t in tokens)
    kvs = [kv_string("general.architecture", "llama"), kv_u32("general.alignment", 32), vocab,
           kv_string("tokenizer.chat_template", template)]  # fmt: skip
    data_len = 64 * 64 * 4
    body = build(kvs, [tensor("w", [64, 64], 0, 0)], b"\0" * data_len)
    with open(path, "wb") as fh:
        fh.write(body)
        fh.truncate(max(size, len(body)))


@pytest.mark.parametrize("template,allowed", [(BENIGN, True), (EVIL, False)])
def test_gguf_from_the_hub(hub: HubServer, tmp_path: Path, template: str, allowed: bool) -> None:
    src = tmp_path / f"gguf-{allowed}"
    src.mkdir()
    _gguf(src / "model.gguf", template)
    hub.add(HubRepo.from_dir(f"org/gguf-{allowed}".lower(), src))
    local = check(src)
    remote = check(f"hf://org/gguf-{allowed}".lower())
    assert local.root_digest == remote.root_digest
    assert {f.rule_id for f in remote.findings} == {f.rule_id for f in local.findings}
    # trailing data after the last tensor is itself a finding; the template decides the rest
    rules = {f.rule_id for f in local.findings}
    assert any(r.startswith("AIR-JINJA") for r in rules) is (not allowed)
    source = next(st for st in remote.steps if st.name == "source")
    f = source.data["files"][0]
    assert f["read"] == "header" and "GGUF header" in f["reason"]
    assert source.data["bytes_received"] < 8 * 1024**2
