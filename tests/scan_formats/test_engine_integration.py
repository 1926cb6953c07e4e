"""Through the real engine and registry: a hostile Hugging Face style repository is caught on
every axis of this issue, and the real MiniLM model gives no finding."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import onnx

from airlock.scan.engine import scan

from . import gguf_build as gb
from .test_onnx import _external


def test_minilm_directory_through_engine(minilm_dir: Path) -> None:
    report = scan(minilm_dir)
    assert report.findings == []
    assert all(o.status == "scanned" for o in report.objects)


def test_hostile_repository_through_engine(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "config.json").write_text(json.dumps({"auto_map": {"AutoModel": "modeling_x.X"}}))
    (repo / "modeling_x.py").write_text("import os\nos.system('id')\n")
    (repo / "tokenizer_config.json").write_text(
        json.dumps({"chat_template": "{{ cycler.__init__.__globals__.os.popen('id') }}"})
    )
    (repo / "chat_template.jinja").write_text("{{ ()|attr('__cla' ~ 'ss__') }}")
    (repo / "model.gguf").write_bytes(gb.build([], n_kv=2**40))
    onnx.save(_external("../../etc/passwd"), repo / "model.onnx")
    with zipfile.ZipFile(repo / "model.keras", "w") as z:
        z.writestr("metadata.json", "{}")
        z.writestr(
            "config.json",
            json.dumps({"module": "os", "class_name": "system", "config": {"command": "id"}}),
        )
    (repo / "helper").write_bytes(b"\x7fELF" + b"\0" * 60)
    os.symlink("/etc/hostname", repo / "link.txt")
    report = scan(repo)
    ids = {f.rule_id for f in report.findings}
    expected = {
        "AIR-CFG-001",
        "AIR-CFG-005",
        "AIR-CFG-012",
        "AIR-JINJA-001",
        "AIR-JINJA-006",
        "AIR-GGUF-001",
        "AIR-ONNX-001",
        "AIR-KERAS-002",
        "AIR-CFG-013",
    }
    assert expected <= ids, expected - ids
