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


XGB_MLMODEL = """flavors:
  python_function:
    data: model.ubj
    loader_module: mlflow.xgboost
  xgboost:
    code: null
    data: model.ubj
    model_class: {cls}
    model_format: ubj
"""


def test_flavor_model_class_keras_module_and_skops_trust(tmp_path: Path) -> None:
    """rt13: xgboost's loader instantiates model_class with no argument (readline's
    write_history_file wrote a file at load, real mlflow 3.18), tensorflow's imports
    keras_module, sklearn/lightgbm hand skops_trusted_types to skops.io.load."""
    honest = _mine(scan_data(XGB_MLMODEL.format(cls="xgboost.sklearn.XGBClassifier").encode(),
                             "MLmodel").findings)  # fmt: skip
    assert honest == []
    for cls, sev in (
        ("readline.write_history_file", Severity.HIGH),
        ("os.getcwd", Severity.CRITICAL),
    ):
        found = _mine(scan_data(XGB_MLMODEL.format(cls=cls).encode(), "MLmodel").findings)
        assert [f.severity for f in found] == [sev], cls
    keras = "flavors:\n  tensorflow:\n    keras_module: {m}\n    save_format: tf\n"
    assert _mine(scan_data(keras.format(m="tensorflow.keras").encode(), "MLmodel").findings) == []
    found = _mine(scan_data(keras.format(m="mypkg.keras").encode(), "MLmodel").findings)
    assert [f.severity for f in found] == [Severity.HIGH]
    skops = (
        "flavors:\n  lightgbm:\n    serialization_format: skops\n    skops_trusted_types:\n"
        "    - collections.OrderedDict\n    - lightgbm.sklearn.LGBMClassifier\n{extra}"
    )
    found = _mine(scan_data(skops.format(extra="").encode(), "MLmodel").findings)
    assert all(f.severity < Severity.HIGH for f in found)
    found = _mine(
        scan_data(skops.format(extra="    - posix.system\n").encode(), "MLmodel").findings
    )
    assert any(f.severity == Severity.HIGH and "posix.system" in f.evidence for f in found)
    doc = {"flavors": {"sklearn": {"skops_trusted_types": ["builtins.eval"]}}}
    found = _mine(scan_data(json.dumps(doc).encode(), "MLmodel").findings)
    assert any("builtins.eval" in f.evidence for f in found)


def test_module_name_files(tmp_path: Path) -> None:
    """The pytorch flavor imports data/pickle_module_info.txt's module (real mlflow 3.18 imported
    'this' and handed it to torch.load); keras_module.txt likewise."""
    root = tmp_path / "m"
    (root / "data").mkdir(parents=True)
    (root / "data" / "pickle_module_info.txt").write_text("mlflow.pytorch.pickle_module")
    (root / "data" / "keras_module.txt").write_text("tensorflow.keras")
    assert _mine(scan_paths([root]).findings) == []
    (root / "data" / "pickle_module_info.txt").write_text("this")
    (root / "data" / "keras_module.txt").write_text("os")
    found = _mine(scan_paths([root]).findings)
    assert sorted(f.severity for f in found) == [Severity.HIGH, Severity.CRITICAL]
