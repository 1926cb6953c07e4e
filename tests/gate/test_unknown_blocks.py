"""Class 4 of the fail-closed issue: a callable that is not on the allowlist blocks at the gate.

Gadgets a denylist misses (nothing in them is "dangerous" by name): jinja2 template rendering
(template injection reaches os.system) and pathlib writes (a .pth file runs at the next Python
start). Each is built the way an attacker would and must be denied by ``check`` with default
options; an allowlisted real artifact beside them is allowed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from airlock.gate import check
from airlock.report import Severity
from airlock.scan.allowlist import UNKNOWN, default_policy
from tests.scan_pickle.builders import PROTO2, STOP, call, glob, s

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-model"
GETATTR = glob("builtins", "getattr")
SSTI = "{{ cycler.__init__.__globals__.os.system('touch marker') }}"


def _gadgets() -> dict[str, bytes]:
    template = call(glob("jinja2", "Template"), s(SSTI))
    path = call(glob("pathlib", "Path"), s("/usr/lib/python3/dist-packages/evil.pth"))
    return {
        "render-via-getattr": call(call(GETATTR, template, s("render"))),
        "render-global": call(glob("jinja2.environment", "Template.render"), template),
        "write_text-via-getattr": call(call(GETATTR, path, s("write_text")), s("import os")),
        "write_text-global": call(glob("pathlib", "Path.write_text"), path, s("import os")),
        "unknown-class": call(glob("mypackage.models", "Net")),
    }


@pytest.mark.parametrize("name", sorted(_gadgets()))
def test_unknown_callables_deny(tmp_path: Path, name: str) -> None:
    model = tmp_path / "model"
    shutil.copytree(SAMPLE, model)
    (model / "pytorch_model.bin").write_bytes(PROTO2 + _gadgets()[name] + STOP)
    result = check(model)
    assert not result.allowed
    scan = next(st for st in result.steps if st.name == "scan")
    assert not scan.ok


@pytest.mark.parametrize(
    "name",
    ["jinja2.environment.Template.render", "jinja2.Template", "pathlib.Path.write_text",
     "pathlib.PosixPath.write_bytes", "builtins.open", "io.open"],
)  # fmt: skip
def test_gadget_names_are_never_allowlisted(name: str) -> None:
    module, _, qual = name.partition(".")
    verdict = default_policy().classify(module, qual)
    assert verdict.status in (UNKNOWN, "danger")
    assert verdict.severity is not None and verdict.severity >= Severity.HIGH
