"""A shipped module named like one that pickles and loaders import by its bare name
(``_loss`` for scikit-learn 1.5's loss classes, ``numpy``, ``collections``...) is imported in the
real one's place when the model's folder is on sys.path: HIGH, whatever its code. Ordinary
module names (modeling files, utils, a package of the model's own) stay LOW."""

from __future__ import annotations

from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan
from airlock.scan.handlers.python_source import _module_name

HARMLESS = "def helper(x):\n    return x + 1\n"


@pytest.mark.parametrize("rel", ["_loss.py", "numpy.py", "collections/__init__.py",
                                 "sub/_codecs.py", "copyreg.py"])  # fmt: skip
def test_a_module_posing_as_one_pickles_import_is_high(tmp_path: Path, rel: str) -> None:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HARMLESS)
    report = scan(tmp_path)
    worst = max(report.findings, key=lambda f: f.severity)
    assert worst.severity == Severity.HIGH and worst.rule_id == "AIR-CFG-006"
    assert "imported in place of the real one" in worst.evidence


@pytest.mark.parametrize("rel", ["modeling_tiny.py", "utils.py", "tiny_model/__init__.py",
                                 "losses.py", "my_numpy.py"])  # fmt: skip
def test_ordinary_module_names_stay_low(tmp_path: Path, rel: str) -> None:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HARMLESS)
    report = scan(tmp_path)
    assert [(f.rule_id, f.severity) for f in report.findings] == [("AIR-CFG-012", Severity.LOW)]


def test_module_name_of_a_path() -> None:
    assert _module_name("a/b/_loss.py") == "_loss"
    assert _module_name("numpy/__init__.py") == "numpy"
    assert _module_name("__init__.py") == ""
    assert _module_name("README") == ""
