"""Packaging: one version source, and every third-party import in src is a declared dependency."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

import airlock

ROOT = Path(__file__).resolve().parents[1]
# Import name -> distribution name where they differ.
DIST = {"yaml": "pyyaml", "cyclonedx": "cyclonedx-python-lib", "psycopg": "psycopg"}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> set[str]:
    project = _pyproject()["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs.extend(extra)
    return {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower() for r in reqs}


def _third_party_imports() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "airlock").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "airlock"}


def test_every_import_is_declared() -> None:
    declared = _declared()
    missing = sorted(m for m in _third_party_imports() if DIST.get(m, m) not in declared)
    assert missing == [], f"imported by src/airlock but not declared in pyproject.toml: {missing}"


def test_one_version_source(cli) -> None:  # type: ignore[no-untyped-def]
    project = _pyproject()
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "airlock.__version__"
    proc = cli("--version")
    assert proc.returncode == 0
    assert proc.stdout == f"airlock {airlock.__version__}\n"


def test_test_tools_are_dependency_groups() -> None:
    project = _pyproject()
    assert "test" not in project["project"]["optional-dependencies"]
    groups = project["dependency-groups"]
    assert any(r.startswith("pytest") for r in groups["test"])
    assert any(r.startswith("ruff") for r in groups["lint"])
    assert any(r.startswith("cryptography>=45") for r in project["project"]["dependencies"])
