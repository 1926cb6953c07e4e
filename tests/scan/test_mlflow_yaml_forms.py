"""MLmodel YAML forms the line reading of ``airlock.scan.mlflow_rules`` did not model (rt16lib):
mlflow reads MLmodel with ``yaml.safe_load``, which takes an explicit ``? key`` / ``: value``
pair, a byte-order mark, a value on the lines below its key and a double-quoted value joined
across an escaped line break; each of these hid ``loader_module``/``code``/``data`` (ALLOW
before, the real ``mlflow.pyfunc.load_model`` imported the shipped module). The parser oracle
is PyYAML's ``safe_load`` (what mlflow calls); the real mlflow runs in a child process where it
is installed (harmless marker file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from airlock.report import Finding, Severity
from airlock.scan.engine import scan_paths
from airlock.scan.mlflow_rules import parse

TAIL = "    python_version: 3.11.0\nmlflow_version: 2.0.0\n"
FORMS = {
    "explicit_keys": "flavors:\n  python_function:\n    ? loader_module\n    : evilmod\n"
    "    ? code\n    : code\n",
    "explicit_flavor": "flavors:\n  ? python_function\n  :\n    loader_module: evilmod\n"
    "    code: code\n",
    "explicit_root": "? flavors\n: python_function:\n    loader_module: evilmod\n    code: code\n",
    "bom": "\ufeffflavors:\n  python_function:\n    loader_module: evilmod\n    code: code\n",
    "value_below": "flavors:\n  python_function:\n    loader_module:\n      evilmod\n"
    "    code:\n      code\n",
}


def _blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule_id == "AIR-CFG-021" and f.severity >= Severity.HIGH]


def _folder(root: Path, mlmodel: str, marker: Path) -> Path:
    root.mkdir()
    (root / "MLmodel").write_text(mlmodel + TAIL, encoding="utf-8")
    (root / "code").mkdir()
    (root / "code" / "evilmod.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).touch()\n"
        "def _load_pyfunc(path):\n    return None\n"
    )
    return root


@pytest.mark.parametrize("form", sorted(FORMS))
def test_yaml_forms_hiding_the_loader_are_high(tmp_path: Path, form: str) -> None:
    yaml = pytest.importorskip("yaml")
    text = FORMS[form] + TAIL
    conf = yaml.safe_load(text)["flavors"]["python_function"]  # what mlflow reads
    assert conf["loader_module"] == "evilmod" and conf["code"] == "code"
    root = _folder(tmp_path / "model", FORMS[form], tmp_path / "marker")
    assert _blocking(scan_paths([root]).findings), form


def test_quoted_value_joined_across_lines_is_unjudged() -> None:
    """``"a\\`` + newline + ``/../../etc"`` is ``a/../../etc`` to YAML (the escaped line break
    joins the lines), a harmless ``a\\`` to a line reading."""
    yaml = pytest.importorskip("yaml")
    text = 'flavors:\n  sklearn:\n    pickled_model: "a\\\n      /../../../etc/x.pkl"\n' + TAIL
    assert yaml.safe_load(text)["flavors"]["sklearn"]["pickled_model"] == "a/../../../etc/x.pkl"
    _, problems = parse(text)
    assert problems


def test_honest_layouts_stay_judged() -> None:
    honest = (
        "artifact_path: model\nflavors:\n  python_function:\n    env:\n      conda: conda.yaml\n"
        "      virtualenv: python_env.yaml\n    loader_module: mlflow.sklearn\n"
        "    model_path: model.pkl\n    predict_fn: predict\n    python_version: 3.11.0\n"
        "  sklearn:\n    code: null\n    pickled_model: model.pkl\n"
        "    serialization_format: cloudpickle\n    sklearn_version: 1.9.1\n"
        "    skops_trusted_types:\n    - sklearn.linear_model.LogisticRegression\n"
        'mlflow_version: 3.18.0\nsignature:\n  inputs: \'[{"type": "tensor", "tensor-spec":'
        ' {"dtype": "float64", "shape": [-1,\n    4]}}]\'\n  outputs: null\n'
        "    # a comment\nutc_time_created: '2026-12-06 15:00:00.000000'\n"
    )
    flavors, problems = parse(honest)
    assert problems == []
    assert flavors["python_function"]["loader_module"] == "mlflow.sklearn"
    assert flavors["sklearn"]["skops_trusted_types"] == ",sklearn.linear_model.LogisticRegression"


def test_real_mlflow_runs_the_hidden_loader(tmp_path: Path) -> None:
    """Where mlflow is installed: the hidden loader really runs (the findings are real)."""
    try:
        import mlflow  # noqa: F401
    except Exception:
        pytest.skip("mlflow not installed")
    for form in sorted(FORMS):
        marker = tmp_path / f"marker_{form}"
        root = _folder(tmp_path / form, FORMS[form], marker)
        code = "import mlflow.pyfunc, sys\ntry:\n    mlflow.pyfunc.load_model(sys.argv[1])\n"
        code += "except Exception:\n    pass\n"
        subprocess.run([sys.executable, "-c", code, str(root)], check=False, timeout=300)
        assert marker.exists(), form
