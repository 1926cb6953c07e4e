"""Config keys spelled with the line breaks YAML loaders read (rt15cfg): a lone CR, NEL, LS, PS
and a double-quoted key's escaped line break (``"_tar\\<LF>  get_"`` is ``_target_``). Each
spelling was ALLOW before; the loaders' own parse (OmegaConf, PyYAML) reads the dangerous key."""

from __future__ import annotations

import pytest

from airlock.report import Finding, Severity
from airlock.scan.engine import scan_data

# (file name, text, rule, the key the loader reads, its value)
SPELLINGS = [
    # Hydra: an escaped break in an anchored string used as an alias key (no '_target_' text)
    ("config.yaml",
     'k: [&k "_tar\\\n   get_"]\nm: {*k : pathlib.Path.write_text, _args_: [x, y]}\n',
     "AIR-CFG-020", ("m", "_target_"), "pathlib.Path.write_text"),
    # Hydra: the same in a complex key
    ("config.yaml", '? "_tar\\\n  get_"\n: pathlib.Path.write_text\n',
     "AIR-CFG-020", ("_target_",), "pathlib.Path.write_text"),
    # NeMo: CR-only line breaks, the value on the next line for a line reader
    ("model_config.yaml", "model:\r  target: pathlib.Path.write_text\r  x: 1\r",
     "AIR-CFG-024", ("model", "target"), "pathlib.Path.write_text"),
    # NeMo: NEL line breaks
    ("model_config.yaml", "model:\x85  target:\x85    evilmod.Net\x85",
     "AIR-CFG-024", ("model", "target"), "evilmod.Net"),
    # NeMo: an escaped break in a complex key
    ("model_config.yaml", 'model:\n  ? "tar\\\n    get"\n  : pathlib.Path.write_text\n',
     "AIR-CFG-024", ("model", "target"), "pathlib.Path.write_text"),
    # jsonargparse: a plain import string in a CR-only file
    ("fit.yaml", "seed_everything: 1\rmodel: evilmod.Net\rtrainer:\r  max_epochs: 1\r",
     "AIR-CFG-023", ("model",), "evilmod.Net"),
    # jsonargparse: class_path spelled with an escaped break, in an unmarked file
    ("fit.yaml", 'model:\n  ? "class_pa\\\n    th"\n  : evilmod.Net\n',
     "AIR-CFG-023", ("model", "class_path"), "evilmod.Net"),
]  # fmt: skip


def _rule(name: str, text: str, rule: str) -> list[Finding]:
    return [f for f in scan_data(text.encode(), name).findings if f.rule_id == rule]


@pytest.mark.parametrize(("name", "text", "rule", "path", "value"), SPELLINGS)
def test_line_break_spellings_are_judged(
    name: str, text: str, rule: str, path: tuple[str, ...], value: str
) -> None:
    found = _rule(name, text, rule)
    assert found and max(f.severity for f in found) >= Severity.HIGH, text


@pytest.mark.parametrize(("name", "text", "rule", "path", "value"), SPELLINGS)
def test_the_loaders_read_the_key(
    name: str, text: str, rule: str, path: tuple[str, ...], value: str
) -> None:
    """Oracle: PyYAML (OmegaConf's and jsonargparse's parser) reads the dangerous key."""
    yaml = pytest.importorskip("yaml")
    node = yaml.safe_load(text)
    for key in path:
        node = node[key]
    assert node == value


def test_honest_breaks_and_backslashes_stay_clean() -> None:
    honest = (
        "model:\r\n  target: nemo.collections.asr.models.EncDecCTCModel\r\n"
        '  path: "C:\\\\data\\\\"\r\n  note: "a long \\\n    line"\r\n'
    )
    found = _rule("model_config.yaml", honest, "AIR-CFG-024")
    assert [f.severity for f in found] == [Severity.MEDIUM]
    assert _rule("config.yaml", 'a: "x\\\n  y"\nb: 2\r\nc: 3\rd: 4\x85', "AIR-CFG-020") == []
