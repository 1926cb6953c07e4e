"""Config keys that name a class to import and call, besides Hydra's ``_target_``:
jsonargparse/LightningCLI ``class_path`` and Lightning's ``_instantiator`` (AIR-CFG-023), NeMo's
``target`` in ``model_config.yaml`` (AIR-CFG-024)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from airlock.report import Finding, Severity
from airlock.scan.engine import scan_data, scan_paths

from . import samples

# LightningCLI's SaveConfigCallback config.yaml (lightning 2.6, trimmed), subclass mode
CLI_CONFIG = b"""# lightning.pytorch==2.6.6
seed_everything: 0
trainer:
  logger:
    class_path: lightning.pytorch.loggers.CSVLogger
    init_args:
      save_dir: out
  callbacks:
  - class_path: lightning.pytorch.callbacks.LearningRateMonitor
    init_args:
      logging_interval: null
  max_steps: 2
model:
  hidden: 4
optimizer:
  class_path: torch.optim.Adam
  init_args:
    lr: 0.001
lr_scheduler:
  class_path: torch.optim.lr_scheduler.StepLR
  init_args:
    step_size: 1
ckpt_path: null
"""
HPARAMS = b"hidden: 4\nlr: 0.01\n_instantiator: lightning.pytorch.cli.instantiate_module\n"
# NeMo's saved model_config.yaml: the model's class under 'target', Hydra _target_ below it
NEMO = b"""target: nemo.collections.asr.models.ctc_models.EncDecCTCModel
nemo_version: 2.4.0
sample_rate: 16000
preprocessor:
  _target_: nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor
loss:
  target: 1e-2
  other_target: x.y
"""


def _rule(report_findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in report_findings if f.rule_id == rule]


def test_honest_lightning_configs() -> None:
    found = _rule(scan_data(CLI_CONFIG, "config.yaml").findings, "AIR-CFG-023")
    assert {f.severity for f in found} == {Severity.MEDIUM}  # Lightning's logger and callback
    assert _rule(scan_data(HPARAMS, "hparams.yaml").findings, "AIR-CFG-023") == []


@pytest.mark.parametrize(
    ("doc", "severity"),
    [
        (b"model:\n  class_path: mypkg.models.Evil\n  init_args: {a: 1}\n", Severity.HIGH),
        (b"trainer:\n  callbacks:\n  - class_path: os.system\n", Severity.CRITICAL),
        (b'x: {"class_path": "subprocess.Popen", init_args: {args: [id]}}\n', Severity.CRITICAL),
        (b'"cl\\x61ss_path": builtins.exec\n', Severity.CRITICAL),
        (b"_instantiator: pathlib.Path.write_text\n_class_path: a.B\n", Severity.CRITICAL),
        (b"_instantiator: mypkg.make\n", Severity.HIGH),
        (b"model:\n  class_path: ${oc.env:CLS}\n", Severity.HIGH),
    ],
)
def test_class_path_attacks(doc: bytes, severity: Severity) -> None:
    found = _rule(scan_data(doc, "config.yaml").findings, "AIR-CFG-023")
    assert max(f.severity for f in found) == severity, doc


def test_class_path_in_json() -> None:
    doc = {"model": {"class_path": "os.system", "init_args": {}}}
    found = _rule(scan_data(json.dumps(doc).encode(), "config.json").findings, "AIR-CFG-023")
    assert [f.severity for f in found] == [Severity.CRITICAL]


def test_nemo_target() -> None:
    found = _rule(scan_data(NEMO, "model_config.yaml").findings, "AIR-CFG-024")
    assert [f.severity for f in found] == [Severity.MEDIUM]  # NeMo's own model class
    # any other file name: 'target' is an ordinary word
    assert _rule(scan_data(b"target: os.system\n", "labels.yaml").findings, "AIR-CFG-024") == []
    attacks = {
        b"target: mypkg.evil.Model\n": Severity.HIGH,
        b"target: os.system\n": Severity.CRITICAL,
        b"encoder:\n  target: 'torch.hub.load'\n": Severity.CRITICAL,
        b"a: [{target: builtins.exec}]\n": Severity.CRITICAL,
        b'"t\\x61rget": subprocess.Popen\n': Severity.CRITICAL,
        b"target: ${oc.env:T}\n": Severity.HIGH,
    }
    for doc, severity in attacks.items():
        tar = samples.tar_bytes({"./model_config.yaml": doc, "model_weights.ckpt": b"\0" * 8})
        for data, name in ((doc, "model_config.yaml"), (tar, "m.nemo")):
            found = _rule(scan_data(data, name).findings, "AIR-CFG-024")
            assert found and max(f.severity for f in found) == severity, (doc, name)
    as_json = json.dumps({"target": "os.system"}).encode()
    found = _rule(scan_data(as_json, "model_config.yaml").findings, "AIR-CFG-024")
    assert [f.severity for f in found] == [Severity.CRITICAL]


_CLI = """
import sys
import torch
import lightning.pytorch as pl
from lightning.pytorch.cli import LightningCLI
from torch.utils.data import DataLoader, TensorDataset

class Net(pl.LightningModule):
    def __init__(self, hidden: int = 4, lr: float = 0.01, kernel: tuple = (3, 3)):
        super().__init__()
        self.save_hyperparameters()
        self.lin = torch.nn.Linear(2, hidden)
    def training_step(self, batch, idx):
        return self.lin(batch[0]).sum()
    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)

class Data(pl.LightningDataModule):
    def train_dataloader(self):
        return DataLoader(TensorDataset(torch.randn(8, 2)), batch_size=4)

LightningCLI(Net, Data, args=["fit", "--trainer.max_steps=1", "--trainer.default_root_dir=out",
             "--trainer.enable_progress_bar=false", "--trainer.accelerator=cpu",
             "--trainer.callbacks+=lightning.pytorch.callbacks.LearningRateMonitor",
             "--optimizer=torch.optim.Adam"])
"""


def test_real_lightning_cli_output_is_allowed(tmp_path: Path) -> None:
    """Generator: LightningCLI itself writes config.yaml, hparams.yaml and a checkpoint; the
    folder has no AIR-CFG-023 finding above medium."""
    pytest.importorskip("lightning")
    pytest.importorskip("jsonargparse")
    run = subprocess.run(
        [sys.executable, "-c", _CLI], cwd=tmp_path, capture_output=True, timeout=600, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    configs = sorted(p.name for p in (tmp_path / "out").rglob("*.yaml"))
    assert configs == ["config.yaml", "hparams.yaml"]
    found = _rule(scan_paths([tmp_path / "out"]).findings, "AIR-CFG-023")
    assert found and max(f.severity for f in found) == Severity.MEDIUM


PYANNOTE = b"""version: 3.1.0
pipeline:
  name: pyannote.audio.pipelines.SpeakerDiarization
  params:
    clustering: AgglomerativeClustering
    segmentation: pyannote/segmentation-3.0
    segmentation_batch_size: 32
    sizes: [1, 2]
params:
  clustering:
    method: centroid
    threshold: 0.7045654963945799
"""


def test_pyannote_pipeline_config() -> None:
    """pyannote.audio 4's Pipeline.from_pretrained imports pipeline.name and each
    preprocessors.<key>.name and calls it with its params (pyannote.core's get_class_by_name
    resolved os.system and os.system(command=...) wrote the marker)."""
    found = _rule(scan_data(PYANNOTE, "config.yaml").findings, "AIR-CFG-025")
    assert [f.severity for f in found] == [Severity.MEDIUM]  # pyannote's own pipeline class
    short = PYANNOTE.replace(b"pyannote.audio.pipelines.SpeakerDiarization", b"Pipeline")
    assert _rule(scan_data(short, "config.yaml").findings, "AIR-CFG-025") == []
    attacks = {
        b"preprocessors:\n  audio:\n    name: os.system\n    params: {command: id}\n": (
            Severity.CRITICAL
        ),
        b"preprocessors:\n  a:\n    'name': \"mypkg.Evil\"\n": Severity.HIGH,
        b"preprocessors:\n  a: {name: os.system}\n": Severity.HIGH,
        b"preprocessors:\n  a: *alias\n": Severity.HIGH,
    }
    for extra, severity in attacks.items():
        found = _rule(scan_data(PYANNOTE + extra, "config.yaml").findings, "AIR-CFG-025")
        assert max(f.severity for f in found) == severity, extra
    evil = PYANNOTE.replace(b"pyannote.audio.pipelines.SpeakerDiarization", b"subprocess.Popen")
    found = _rule(scan_data(evil, "config.yaml").findings, "AIR-CFG-025")
    assert [f.severity for f in found] == [Severity.CRITICAL]
    # another file name, or no top-level pipeline key: not pyannote's
    assert _rule(scan_data(evil, "other.yaml").findings, "AIR-CFG-025") == []
    assert _rule(scan_data(b"model:\n  name: os.system\n", "config.yaml").findings,
                 "AIR-CFG-025") == []  # fmt: skip


def test_class_path_caps_fail_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A payload after 1000 harmless class_path values is judged; past the cap of distinct
    values the file is a high finding."""
    from airlock.scan import hydra_rules

    pad = b"".join(b"p%d: {class_path: torch.nn.ReLU}\n" % i for i in range(1500))
    evil = b"model:\n  class_path: logging.FileHandler\n"
    found = _rule(scan_data(pad + evil, "config.yaml").findings, "AIR-CFG-023")
    assert [f.severity for f in found] == [Severity.CRITICAL]
    as_json = {"pad": [{"class_path": "torch.nn.ReLU"}] * 1500, "m": {"class_path": "os.system"}}
    found = _rule(scan_data(json.dumps(as_json).encode(), "config.json").findings, "AIR-CFG-023")
    assert [f.severity for f in found] == [Severity.CRITICAL]
    monkeypatch.setattr(hydra_rules, "MAX_TARGETS", 10)
    distinct = sorted(hydra_rules.ALLOWED)[:20]
    doc = {f"p{i}": {"class_path": t} for i, t in enumerate(distinct)}
    for data, name in (
        (json.dumps(doc).encode(), "config.json"),
        ("".join(f"p{i}: {{class_path: {t}}}\n" for i, t in enumerate(distinct)).encode(),
         "config.yaml"),
    ):  # fmt: skip
        found = _rule(scan_data(data, name).findings, "AIR-CFG-023")
        assert [f.severity for f in found] == [Severity.HIGH], name
        assert "cannot be judged" in found[0].evidence


@pytest.mark.parametrize(
    "doc",
    [
        b"? target\n: logging.FileHandler\nfilename: M\n",  # complex key
        b"? target  # c\n\n:   logging.FileHandler\n",
        b'{"target":logging.FileHandler, "filename": M}\n',  # JSON-like key, no space
        b"!!str target: logging.FileHandler\n",  # a tag on the key
        b"&a target: logging.FileHandler\n",
        b"cls: logging.FileHandler\nparams:\n  filename: M\n",  # legacy: NeMo renames it
        b"enc:\n  cls: logging.FileHandler\n",
        b'{"cls":logging.FileHandler}\n',
    ],
)
def test_nemo_target_key_spellings(doc: bytes) -> None:
    """NeMo reads model_config.yaml with OmegaConf (PyYAML): every spelling of the key is
    judged, and the legacy ``cls`` (which NeMo's _convert_config renames to ``_target_``)."""
    tar = samples.tar_bytes({"./model_config.yaml": doc, "model_weights.ckpt": b"\0" * 8})
    for data, name in ((doc, "model_config.yaml"), (tar, "m.nemo")):
        found = _rule(scan_data(data, name).findings, "AIR-CFG-024")
        assert found and max(f.severity for f in found) == Severity.CRITICAL, (doc, name)
    as_json = json.dumps({"model": {"cls": "logging.FileHandler", "params": {}}}).encode()
    found = _rule(scan_data(as_json, "model_config.yaml").findings, "AIR-CFG-024")
    assert [f.severity for f in found] == [Severity.CRITICAL]


def test_key_spellings_shared_with_target_and_class_path() -> None:
    for doc in (b"? _target_\n: logging.FileHandler\n", b'{"_target_":logging.FileHandler}\n'):
        found = [f for f in scan_data(doc, "config.yaml").findings if f.rule_id == "AIR-CFG-020"]
        assert [f.severity for f in found] == [Severity.CRITICAL], doc
    for doc in (b"? class_path\n: logging.FileHandler\n", b'{"class_path":logging.FileHandler}\n'):
        found = _rule(scan_data(doc, "config.yaml").findings, "AIR-CFG-023")
        assert [f.severity for f in found] == [Severity.CRITICAL], doc


def test_real_yaml_reads_those_keys() -> None:
    """Oracle: PyYAML (OmegaConf's reader) reads each spelling as the key."""
    yaml = pytest.importorskip("yaml")
    for doc in (b"? target\n: a.B\n", b'{"target":a.B}\n', b"!!str target: a.B\n",
                b"? target  # c\n\n:   a.B\n"):  # fmt: skip
        assert yaml.safe_load(doc) == {"target": "a.B"}, doc


def test_plain_import_strings_in_cli_configs() -> None:
    """jsonargparse imports a plain dotted string given to a class-typed parameter
    (``model: this.Nothing`` imports ``this``): in a LightningCLI/jsonargparse config such
    scalars are judged like class_path; file names and allowed torch names stay clean."""
    cases = {
        b"# lightning.pytorch==2.6.6\nmodel: mypkg.Net\n": Severity.HIGH,
        b"seed_everything: 1\nmodel: logging.FileHandler\n": Severity.CRITICAL,
        b"seed_everything: 0\ntrainer:\n  callbacks: [os.system]\n": Severity.CRITICAL,
        b"# pytorch_lightning==1.9\ntrainer:\n  callbacks:\n  - 'subprocess.Popen'  # x\n": (
            Severity.CRITICAL
        ),
        b"model:\n  class_path: a.b.Model\n  init_args:\n    head: this.Nothing\n": Severity.HIGH,
    }
    for doc, severity in cases.items():
        found = _rule(scan_data(doc, "config.yaml").findings, "AIR-CFG-023")
        assert found and max(f.severity for f in found) == severity, doc
    honest = (
        b"# lightning.pytorch==2.6.6\nseed_everything: 0\ntrainer:\n  accelerator: cpu\n"
        b"  default_root_dir: out\nckpt_path: best.ckpt\noptimizer: torch.optim.Adam\n"
        b"lr_scheduler: {class_path: torch.optim.lr_scheduler.StepLR}\nmodel:\n  lr: 1.0e-3\n"
    )
    assert _rule(scan_data(honest, "config.yaml").findings, "AIR-CFG-023") == []
    # LightningCLI's --config file name with a top-level CLI section
    found = _rule(scan_data(b"model: this.Nothing\n", "config.yaml").findings, "AIR-CFG-023")
    assert [f.severity for f in found] == [Severity.HIGH]
    # not a CLI config: an ordinary YAML's dotted words are not judged
    assert _rule(scan_data(b"model: this.Nothing\n", "other.yaml").findings, "AIR-CFG-023") == []


def test_real_jsonargparse_imports_plain_strings(tmp_path: Path) -> None:
    """Oracle: jsonargparse, for a class-typed parameter, imports a plain dotted string (its
    module's top-level code runs: a harmless module in tmp_path writes the marker)."""
    pytest.importorskip("jsonargparse")
    marker = tmp_path / "marker"
    (tmp_path / "evilmod.py").write_text(f"open({str(marker)!r}, 'w').close()\nclass Net: pass\n")
    cfg = tmp_path / "config.yaml"
    cfg.write_text("# lightning.pytorch==2.6.6\nmodel: evilmod.Net\n")
    code = (
        "import logging, sys\nfrom jsonargparse import ArgumentParser, ActionConfigFile\n"
        "p = ArgumentParser(); p.add_argument('--config', action=ActionConfigFile)\n"
        "p.add_argument('--model', type=logging.Handler)\n"
        "try:\n    p.parse_args(['--config', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
    )
    subprocess.run([sys.executable, "-c", code, str(cfg)], cwd=tmp_path, timeout=120, check=False)
    assert marker.exists()
    found = _rule(scan_data(cfg.read_bytes(), "config.yaml").findings, "AIR-CFG-023")
    assert found and found[0].severity == Severity.HIGH


# review13 #6, #10, #15: plain import strings jsonargparse imports for a class-typed parameter,
# however YAML spells the scalar; any LightningCLI file name; keys named target/cls outside NeMo
HEADER = b"# lightning.pytorch==2.5.0\nseed_everything: 0\n"
PLAIN_SPELLINGS = [
    (HEADER + b"model:\n  this.Nothing\n", "config.yaml"),
    (HEADER + b"model: >-\n  this.Nothing\n", "config.yaml"),
    (HEADER + b"model: !!str this.Nothing\n", "config.yaml"),
    (HEADER + b"model: &m this.Nothing\n", "config.yaml"),
    (HEADER + b"model: !!str\n  # why\n  'this.Nothing'\n", "config.yaml"),
    (b"trainer:\n  max_epochs: 1\nmodel: this.Nothing\n", "fit.yaml"),
    (b"trainer: {max_epochs: 1}\ndata:\n  this.Nothing\n", "cli.yml"),
    (HEADER + b"target: this.Nothing\n", "config.yaml"),
    (HEADER + b"cls: this.Nothing\n", "other.yaml"),
]


@pytest.mark.parametrize(("doc", "name"), PLAIN_SPELLINGS)
def test_plain_import_strings_however_spelled(doc: bytes, name: str) -> None:
    found = _rule(scan_data(doc, name).findings, "AIR-CFG-023")
    assert found and max(f.severity for f in found) >= Severity.HIGH, doc
    assert "this.Nothing" in found[0].evidence


def test_plain_strings_honest_twins() -> None:
    honest = [
        (HEADER + b"ckpt_path:\n  best.ckpt\nmodel: >-\n  a small model\n", "config.yaml"),
        (HEADER + b"name: !!str run.v2\nmodel: &m resnet18\n", "config.yaml"),
        (b"trainer:\n  max_epochs: 1\nmodel: resnet18\n", "fit.yaml"),
        (b"model: this.Nothing\n", "labels.yaml"),  # no LightningCLI section or marker
        (b"trainer: {}\nmodel: this.Nothing\n", "notes.md"),
    ]
    for doc, name in honest:
        assert _rule(scan_data(doc, name).findings, "AIR-CFG-023") == [], doc
    # in a NeMo config a target value is judged by AIR-CFG-024 only
    nemo = HEADER + b"model:\n  target: nemo.collections.asr.models.EncDecCTCModel\n"
    found = scan_data(nemo, "model_config.yaml").findings
    assert _rule(found, "AIR-CFG-023") == [] and _rule(found, "AIR-CFG-024")


def test_plain_import_strings_in_json() -> None:
    """review13 #12: jsonargparse reads --config x.json with the same semantics."""
    attacks = [
        {"seed_everything": 0, "model": "this.Nothing"},
        {"trainer": {}, "model": {"init_args": {"net": "this.Nothing"}}},
        {"data": {"class_path": "mypkg.Data"}, "model": ["this.Nothing"]},
        {"trainer": {}, "data": "this.Nothing"},
    ]
    for doc in attacks:
        found = _rule(scan_data(json.dumps(doc).encode(), "config.json").findings, "AIR-CFG-023")
        assert any("this.Nothing" in f.evidence and f.severity >= Severity.HIGH
                   for f in found), doc  # fmt: skip
    honest = [
        {"seed_everything": 0, "ckpt_path": "best.ckpt", "model": {"lr": 0.1}},
        {"model": "this.Nothing"},  # not a jsonargparse config
        {"architectures": ["BertModel"], "model_type": "bert.Model"},
    ]
    for doc in honest:
        found = _rule(scan_data(json.dumps(doc).encode(), "config.json").findings, "AIR-CFG-023")
        assert found == [], doc


def test_nemo_alias_keys() -> None:
    """review13 #7: ``*k :`` with ``&k cls`` is the key ``cls`` to OmegaConf."""
    attacks = [
        b"k: &k cls\nencoder:\n  *k : numpy.savetxt\n  params: {fname: M, X: [1]}\n",
        b"k: &k target\nencoder: {*k : os.system}\n",
        b"k: &k cls\nencoder:\n  ? *k\n  : os.system\n",
    ]
    for doc in attacks:
        found = _rule(scan_data(doc, "model_config.yaml").findings, "AIR-CFG-024")
        assert found and max(f.severity for f in found) >= Severity.HIGH, doc
    honest = b"k: &k 16\nencoder:\n  dim: *k\n  layers: [*k, *k]\n  - *k\n"
    assert _rule(scan_data(honest, "model_config.yaml").findings, "AIR-CFG-024") == []
