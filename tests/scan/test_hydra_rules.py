"""Hydra ``_target_`` graphs (AIR-CFG-020): NeMo ``.nemo`` tars, loose YAML and JSON configs."""

from __future__ import annotations

import gzip
import json

import pytest

from airlock.report import Finding, Severity
from airlock.scan import hydra_rules
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


def test_caps_count_distinct_values_and_fail_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A payload after many harmless targets is judged (repeats are no count), and past the cap
    of distinct values the file is a high finding, never a quiet stop."""
    from airlock.scan import hydra_rules

    evil = b"m:\n  _target_: logging.FileHandler\n  filename: M\n"
    pad = b"".join(b"p%d: {_target_: torch.nn.ReLU}\n" % i for i in range(1500))
    for doc, name in ((pad + evil, "config.yaml"), (b"# " + b"_target_ " * 1500 + b"\n" + evil,
                                                    "config.yaml")):  # fmt: skip
        found = [f for f in scan_data(doc, name).findings if f.rule_id == "AIR-CFG-020"]
        assert found and max(f.severity for f in found) >= Severity.HIGH
    as_json = {"pad": [{"_target_": "torch.nn.ReLU"}] * 1500, "m": {"_target_": "os.system"}}
    found = [f for f in scan_data(json.dumps(as_json).encode(), "config.json").findings
             if f.rule_id == "AIR-CFG-020"]  # fmt: skip
    assert [f.severity for f in found] == [Severity.CRITICAL]
    monkeypatch.setattr(hydra_rules, "MAX_TARGETS", 10)
    distinct = sorted(hydra_rules.ALLOWED)[:20]
    doc = "".join(f"p{i}: {{_target_: {t}}}\n" for i, t in enumerate(distinct)).encode()
    found = [f for f in scan_data(doc, "config.yaml").findings if f.rule_id == "AIR-CFG-020"]
    assert [f.severity for f in found] == [Severity.HIGH]
    assert "cannot be judged" in found[0].evidence
    as_json2 = {f"p{i}": {"_target_": t} for i, t in enumerate(distinct)}
    found = [f for f in scan_data(json.dumps(as_json2).encode(), "config.json").findings
             if f.rule_id == "AIR-CFG-020"]  # fmt: skip
    assert [f.severity for f in found] == [Severity.HIGH]


# review13 #9: key rules that crossed comment lines in a regex were quadratic (240 KB > 300 s);
# now every line is read a bounded number of times. Sizes, not timings: at 300 KB each shape
# would take > 7 minutes on a quadratic rule (the 10 MB campaign: bench/fix13_config_redos.py)
HOSTILE = [
    ("model_config.yaml", "a: 1\n", "#,cls\n"),
    ("config.yaml", "", "#_target_\n"),
    ("config.yaml", "", "_target_ #"),
    ("model_config.yaml", "a: ", ",cls #"),
    ("model_config.yaml", "", "? cls\n\n"),
    ("config.yaml", "seed_everything: 0\n", "a: b # [x.Y #"),
    ("config.yaml", "seed_everything: 0\nx", ": !a: "),
    ("hyperparams.yaml", "k: ", "!tuple "),
    ("model_config.yaml", "", "{*a"),
]


@pytest.mark.parametrize(("name", "prefix", "unit"), HOSTILE)
def test_hostile_configs_are_read_in_linear_work(name: str, prefix: str, unit: str) -> None:
    from airlock.scan import classpath_rules, yaml_tags

    text = prefix + unit * (300_000 // len(unit))
    for rule in (hydra_rules, classpath_rules, yaml_tags):
        rule.text_findings(text, "loc", None, name)


def test_comment_lines_before_a_complex_key_colon() -> None:
    """A ``? key`` whose ``:`` follows comment lines is still read; past MAX_SKIP lines it
    cannot be judged (high), and an honest long comment block without the key stays clean."""
    near = "? _target_\n" + "# c\n" * 10 + ": os.system\n"
    assert [f.severity for f in hydra_rules.text_findings(near, "l", None, "c.yaml")] == [
        Severity.CRITICAL
    ]
    far = "? _target_\n" + "# c\n" * (hydra_rules.MAX_SKIP + 5) + ": torch.nn.Linear\n"
    assert [f.severity for f in hydra_rules.text_findings(far, "l", None, "c.yaml")] == [
        Severity.HIGH
    ]
    honest = "# notes\n" * 500 + "_target_: torch.nn.Linear\n" + "# more\n" * 500
    assert hydra_rules.text_findings(honest, "l", None, "c.yaml") == []
