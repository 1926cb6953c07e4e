"""A registry with something to review: two versions of one model, the second hostile.

The hostile version's file names, findings, base model, chat template, check summary and
advisory text carry script and HTML injection payloads; each payload, if it ever ran, would set
``window.__pwned`` (the browser tests assert it never does and that the text shows verbatim).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

from airlock.attest.bundle import sign as sign_attestation
from airlock.attest.statement import build as build_check
from airlock.provenance.hashing import hash_model
from airlock.provenance.keys import generate_private_key, public_key_pem, write_key_pair
from airlock.registry.statements import sign_decision
from airlock.registry.store import Store
from airlock.registry.ui.inventory import model_inventory

MODEL = "org/chat"
PASSPHRASE = "correct horse battery staple"
PAYLOADS = (
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2</script>",
    '"><svg onload="window.__pwned=3">',
    "</pre></code><iframe srcdoc=\"<script>parent.__pwned=4</script>\"></iframe>",
    "{{ 7*7 }}<a href=\"javascript:window.__pwned=5\">x</a>",
)
FILE_PAYLOAD = '<img src=x onerror="window.__pwned=11">.safetensors'
SCRIPT_FILE_PAYLOAD = '<svg onload="window.__pwned=13">.py'  # no "/" in a file name
TEMPLATE_PAYLOAD = (
    "{% for m in messages %}<script>window.__pwned=12</script>{{ m.content }}{% endfor %}"
)


def _safetensors(path: Path, tensors: dict[str, tuple[str, list[int]]]) -> None:
    header: dict[str, object] = {}
    offset = 0
    for name, (dtype, shape) in tensors.items():
        n = 4
        for d in shape:
            n *= d
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0" * offset)


def _model_dir(root: Path, hostile: bool) -> Path:
    d = root / ("v2" if hostile else "v1")
    d.mkdir(parents=True)
    _safetensors(
        d / "model.safetensors",
        {"embed.weight": ("F32", [8, 4]), "lm_head.weight": ("F32", [16 if hostile else 8, 4])},
    )
    config = {"model_type": "llama", "hidden_size": 4, "vocab_size": 8 if not hostile else 16}
    if hostile:
        config["note"] = PAYLOADS[1]
    (d / "config.json").write_text(json.dumps(config, indent=2))
    template = "{% for m in messages %}{{ m.content }}{% endfor %}"
    (d / "tokenizer_config.json").write_text(
        json.dumps({"chat_template": TEMPLATE_PAYLOAD if hostile else template}, indent=2)
    )
    if hostile:
        _safetensors(d / FILE_PAYLOAD, {"x": ("F16", [2])})
        (d / SCRIPT_FILE_PAYLOAD).write_text("print('never imported')\n")
    return d


def scan_report(digest: str, inventory: dict[str, object], hostile: bool) -> dict[str, object]:
    findings = []
    objects = []
    if hostile:
        findings = [
            {"rule_id": "AIR-PKL-001", "severity": "critical", "title": PAYLOADS[2],
             "location": FILE_PAYLOAD, "evidence": PAYLOADS[1], "why": PAYLOADS[0],
             "member": None, "offset": 12, "reference": PAYLOADS[4]},
            {"rule_id": "AIR-JINJA-002", "severity": "high", "title": "template calls Python",
             "location": "tokenizer_config.json", "evidence": TEMPLATE_PAYLOAD, "why": PAYLOADS[3],
             "member": None, "offset": None, "reference": None},
            {"rule_id": "AIR-CFG-003", "severity": "low", "title": "remote code requested",
             "location": "config.json", "evidence": "trust_remote_code", "why": "", "member": None,
             "offset": None, "reference": None},
        ]  # fmt: skip
        objects = [{"location": SCRIPT_FILE_PAYLOAD, "member": None, "format": "python",
                    "status": "not_scanned", "reason": PAYLOADS[0]}]  # fmt: skip
    return {
        "schema": "airlock.scan-report/v1",
        "root_digest": digest,
        "tool": {"name": "airlock", "version": "test"},
        "summary": {"not_scanned": len(objects)},
        "objects": objects,
        "findings": findings,
        "inventory": inventory,
    }


@dataclass
class Seeded:
    store: Store
    reviewer_token: str
    reader_token: str
    publisher_token: str
    alice_key: Path  # encrypted PKCS#8 P-256 (as `airlock keygen` writes it)
    bob_key: Path  # encrypted PKCS#8 Ed25519
    v1: str
    v2: str
    v3: str  # a plain third version to reject with Ed25519


def seed(store: Store, root: Path) -> Seeded:
    admin = "token:admin"
    alice = generate_private_key("p256")
    bob = generate_private_key("ed25519")
    carol = generate_private_key("p256")  # a server-side approver for the baseline
    checker = generate_private_key("p256")
    keys = root / "keys"
    a = write_key_pair(keys, alice, PASSPHRASE.encode(), name="alice")
    b = write_key_pair(keys, bob, PASSPHRASE.encode(), name="bob")
    for ident, key in (("alice", alice), ("bob", bob), ("carol", carol), ("ci-checker", checker)):
        store.add_key(ident, public_key_pem(key.public_key()).decode(), actor=admin)
    reviewer = store.create_token("reviewer", ["read", "approve"], actor=admin).token
    reader = store.create_token("reader", ["read"], actor=admin).token
    publisher = store.create_token("publisher", ["read", "publish"], actor=admin).token

    models = root / "models"
    d1, d2 = _model_dir(models, False), _model_dir(models, True)
    m1, m2 = hash_model(d1), hash_model(d2)
    v1 = store.submit(m1, model=MODEL, source="hf:org/chat", base_model="meta/llama",
                      license="apache-2.0", actor="token:publisher").digest  # fmt: skip
    store.attach_scan_report(v1, scan_report(v1, model_inventory(d1), False), actor="p")
    record = store.get_version(v1).record
    store.decide(sign_decision("approve", v1, MODEL, carol, record=record, reason="baseline"),
                 actor="token:carol")  # fmt: skip
    v2 = store.submit(m2, model=MODEL, source="hf:org/chat", base_model=PAYLOADS[0],
                      license=PAYLOADS[2], source_revision="rev-2",
                      actor="token:publisher").digest  # fmt: skip
    store.attach_scan_report(v2, scan_report(v2, model_inventory(d2), True), actor="p")
    check = build_check(
        name=MODEL, root_digest=v2, files=[(f.path, f.digest) for f in m2.files], verdict="deny",
        steps=[{"name": "scan", "ok": False, "summary": PAYLOADS[1]},
               {"name": "trojan", "ok": True, "summary": "no trigger found " + PAYLOADS[0]},
               {"name": "data-leak", "ok": True, "summary": "no memorised secrets"}],
        checker_version="test", allowlist={}, policy={"sha256": "0" * 64},
    )  # fmt: skip
    store.attach_check_attestation(v2, sign_attestation(check, checker), actor="p")
    store.deploy("web", "prod", v2, actor="token:publisher")
    store.advise("AIR-TEST-1", severity="info", description=PAYLOADS[3], versions=[v1],
                 actor=admin)  # fmt: skip
    d3 = models / "v3"
    d3.mkdir()
    (d3 / "weights.bin").write_bytes(b"third")
    v3 = store.submit(hash_model(d3), model="org/other", source="hf:org/other",
                      actor="token:publisher").digest  # fmt: skip
    return Seeded(store, reviewer, reader, publisher, a.private_path, b.private_path, v1, v2, v3)
