"""MLflow MLmodel files (AIR-CFG-021): generated folders, no mlflow import."""

from __future__ import annotations

import json
from pathlib import Path

from airlock.report import Finding, Severity
from airlock.scan.engine import scan_data, scan_paths


def _mine(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule_id == "AIR-CFG-021"]


def _folder(tmp_path: Path, mlmodel: str, files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "model"
    root.mkdir()
    (root / "MLmodel").write_text(mlmodel)
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_f1_loader_module_from_code_dir_is_high(tmp_path: Path) -> None:
    mlmodel = "flavors:\n  python_function:\n    loader_module: mymod\n    code: code\n"
    root = _folder(tmp_path, mlmodel, {"code/mymod.py": "def _load_pyfunc(p):\n    return 0\n"})
    found = _mine(scan_paths([root]).findings)
    ev = " ".join(f.evidence for f in found)
    assert {f.severity for f in found} == {Severity.HIGH}
    assert "imports 'mymod' from 'code'" in ev and "code/mymod.py runs at load" in ev


def test_python_model_pickle_and_sklearn_flavor(tmp_path: Path) -> None:
    mlmodel = (
        "artifact_path: model\nflavors:\n  python_function:\n    cloudpickle_version: 3.0.0\n"
        "    env:\n      conda: conda.yaml\n    loader_module: mlflow.pyfunc.model\n"
        "    python_model: python_model.pkl\n    python_version: 3.11.0\n"
        "  sklearn:\n    pickled_model: model.pkl\n    serialization_format: cloudpickle\n"
        'signature:\n  inputs: \'[{"type": "double", "name": "x"}]\'\n'
    )
    found = _mine(scan_paths([_folder(tmp_path, mlmodel)]).findings)
    assert sorted(f.severity for f in found) == [Severity.LOW, Severity.MEDIUM]
    assert any("cloudpickle" in f.evidence and "python_model.pkl" in f.evidence for f in found)


def test_unjudgeable_and_escaping_paths_are_high() -> None:
    flow = "flavors: {python_function: {loader_module: evil}}\n"
    found = _mine(scan_data(flow.encode(), "MLmodel").findings)
    assert found and all(f.severity == Severity.HIGH for f in found)
    assert "cannot be judged" in found[0].evidence
    traversal = "flavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\n"
    traversal += "    python_model: ../../x.pkl\n"
    sev = [f.severity for f in _mine(scan_data(traversal.encode(), "MLmodel").findings)]
    assert Severity.HIGH in sev


def test_json_mlmodel_and_honest_mlflow_loader() -> None:
    doc = {"flavors": {"python_function": {"loader_module": "evil", "code": None}}}
    found = _mine(scan_data(json.dumps(doc).encode(), "MLmodel").findings)
    assert [f.severity for f in found] == [Severity.HIGH]
    honest = "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n    code: null\n"
    assert _mine(scan_data(honest.encode(), "MLmodel").findings) == []
