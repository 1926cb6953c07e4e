"""Hydra ``_target_`` graphs (AIR-CFG-020): NeMo ``.nemo`` tars, loose YAML and JSON configs."""

from __future__ import annotations

import gzip
import json

from airlock.report import Finding, Severity
from airlock.scan.engine import scan_data
from airlock.scan.hydra_rules import judge
from airlock.scan.result import ScanReport

from . import samples

F4 = b"""_target_: torch.hub.load
_args_: ["/tmp/x/hub", "m"]
source: local
trust_repo: true
dropped:
  _target_: pathlib.Path.write_text
  _args_:
    - {_target_: pathlib.Path, _args_: ["/tmp/x/hub/hubconf.py"]}
    - "import os\\nos.system('touch /tmp/x/M')\\n"
"""

NEMO = b"""sample_rate: 16000
preprocessor:
  _target_: nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor
  window_size: 0.025
encoder:
  _target_: nemo.collections.asr.modules.ConvASREncoder
  activation: relu
decoder:
  _target_: "nemo.collections.asr.modules.ConvASRDecoder"  # comment
optim:
  sched: {_target_: torch.optim.lr_scheduler.CosineAnnealingLR, T_max: 10}
"""


def _hydra(report: ScanReport) -> list[Finding]:
    return [f for f in report.findings if f.rule_id == "AIR-CFG-020"]


def test_f4_graph_is_critical_in_yaml_in_nemo_tar_and_gzipped_tar() -> None:
    tar = samples.tar_bytes({"model_config.yaml": F4, "model_weights.ckpt": b"\0" * 16})
    for data, name in ((F4, "model_config.yaml"), (tar, "m.nemo"), (gzip.compress(tar), "m.nemo")):
        found = _hydra(scan_data(data, name))
        ev = " ".join(f.evidence for f in found)
        assert {f.severity for f in found} == {Severity.CRITICAL}, name
        assert "torch.hub.load" in ev and "pathlib.Path.write_text" in ev, name


def test_json_config_and_escaped_yaml_key() -> None:
    doc = {"a": [{"b": {"_target_": "os.system", "_args_": ["id"]}}]}
    found = _hydra(scan_data(json.dumps(doc).encode(), "config.json"))
    assert [f.severity for f in found] == [Severity.CRITICAL]
    escaped = b'"\\x5ftarget_": builtins.eval\n'
    assert _hydra(scan_data(escaped, "c.yaml"))[0].severity == Severity.CRITICAL
    # a value that is not a plain dotted name (interpolation, alias, block) cannot be judged
    for y in (b"_target_: ${oc.env:T}\n", b"_target_: *a\n", b"_target_: >-\n  os.system\n"):
        assert [f.severity for f in _hydra(scan_data(y, "c.yaml"))] == [Severity.HIGH], y


def test_honest_nemo_config_is_medium_not_denied() -> None:
    found = _hydra(scan_data(samples.tar_bytes({"model_config.yaml": NEMO}), "asr.nemo"))
    assert len(found) == 3
    assert {f.severity for f in found} == {Severity.MEDIUM}


def test_plain_yaml_and_docs_unchanged() -> None:
    plain = b"sample_rate: 16000\nlabels: [a, b]\npath: C:\\\\data\n"
    assert scan_data(plain, "config.yaml").findings == []
    assert scan_data(b"num_target_tokens: 3\nlora_target_: 1\n", "c.yaml").findings == []
    assert scan_data(b"Use `_target_: os.system` never.\n", "README.md").findings == []


def test_judge() -> None:
    assert judge("torch.nn.ReLU") is None and judge("torch.optim.AdamW") is None
    assert judge("nemo.collections.asr.modules.ConvASREncoder") == Severity.MEDIUM
    assert judge("nemo.collections.asr.parts.utils.write_manifest") == Severity.HIGH
    assert judge("torch.utils.collect_env.main") == Severity.CRITICAL
    assert judge("mypkg.Model") == Severity.HIGH
    assert judge("eval") == Severity.CRITICAL
