"""Dangerous callables referenced as values (red-team session 11, f7 and py/): shipped Python
that hands os.system to other code (atexit, map, functools.partial, a staticmethod, a dict),
reaches os through another module (platform.os, shutil.os), runs a code string with timeit,
looks a name up with operator.methodcaller, or fetches code with torch.hub.load, was rated LOW.
Every form is at least HIGH with its line; honest model code and an honest hubconf.py are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan
from airlock.scan.pycode import analyze_python

CMD = '"touch /tmp/airlock-test-marker"'
FORMS = {
    "atexit": f"import atexit, os\natexit.register(os.system, {CMD})\n",
    "map": f"import os\nlist(map(os.system, [{CMD}]))\n",
    "timeit": "import timeit\ntimeit.timeit(\"import os; os.system('id')\", number=1)\n",
    "partial": f"import functools, os\nfunctools.partial(os.system, {CMD})()\n",
    "staticmethod": f"from os import system as go\nclass C:\n    g = staticmethod(go)\nC.g({CMD})",
    "methodcaller": f'import operator, os\noperator.methodcaller("system", {CMD})(os)\n',
    "attrgetter": 'import operator, os\noperator.attrgetter("os.system")(__import__("sys"))\n',
    "dict": f'import os\nd = {{"x": os.system}}\nd["x"]({CMD})\n',
    "platform.os": f"import platform\nplatform.os.system({CMD})\n",
    "shutil.os": f"import shutil\nshutil.os.system({CMD})\n",
    "subprocess value": "import subprocess\nfns = [subprocess.check_output]\n",
    "getattr value": 'import builtins\nrun = [getattr(builtins, "exec")]\n',
    "torch.hub github": 'import torch\ntorch.hub.load("owner/repo", "model", trust_repo=True)\n',
    "torch.hub from": 'from torch import hub\nhub.load("owner/repo", "m", source="github")\n',
    "pty value": "import pty\nhandlers = {'sh': pty.spawn}\n",
    "ctypes value": "import ctypes\nloaders = [ctypes.CDLL]\n",
    "star import": "from os import *\nlist(map(system, ['id']))\n",
    "dunder call": "import os\nos.system.__call__('id')\n",
    "through and dunder": "import platform\nfns = [platform.os.system.__call__]\n",
    "timeit variable": "import timeit\ns = 'import os'\ntimeit.timeit(s, number=1)\n",
    "computed getattr value": (
        "import atexit, os\nk = 'sys' + 'tem'\natexit.register(getattr(os, k), 'id')\n"
    ),
    "timeit setup": "import timeit\ntimeit.repeat(lambda: 1, setup='import os')\n",
}


@pytest.mark.parametrize("form", list(FORMS))
def test_dangerous_reference_is_high_with_its_line(form: str) -> None:
    issues = analyze_python(FORMS[form])
    high = [i for i in issues if i.severity >= Severity.HIGH]
    assert high and all(i.line is not None for i in high), (form, issues)


def test_reference_inside_a_function_is_high_not_critical() -> None:
    source = "import atexit, os\ndef setup():\n    atexit.register(os.system, 'id')\n"
    issues = analyze_python(source)
    assert [(i.category, i.severity, i.line) for i in issues] == [("process", Severity.HIGH, 3)], (
        issues
    )


def test_local_torch_hub_and_timeit_of_a_function_are_not_findings() -> None:
    source = """
import timeit
import torch
def bench(f):
    return timeit.timeit(lambda: f(1), number=3) + timeit.timeit(f, number=1)
m = torch.hub.load("./repo", "tiny", source="local")
"""
    assert analyze_python(source) == []


def test_own_names_shadowing_builtins_are_not_references() -> None:
    source = """
def build(compile, eval=None):
    hooks = [compile, eval]
    return hooks
class Trainer:
    def eval(self):
        return [self.eval, self.compile]
"""
    assert analyze_python(source) == []


HONEST_MODELING = """
import math
import os
import logging
from typing import Optional

import numpy as np
import torch
from torch import nn

logger = logging.getLogger(__name__)
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "tiny")
ACT2FN = {"gelu": nn.functional.gelu, "relu": torch.relu, "exp": np.exp}


class TinyConfig:
    model_type = "tiny"

    def __init__(self, hidden_size: int = 8, act: str = "gelu", **kwargs):
        self.hidden_size = hidden_size
        self.act = act
        self.use_flash = os.environ.get("TINY_FLASH", "0") == "1"


class TinyModel(nn.Module):
    def __init__(self, config: TinyConfig, path: Optional[str] = None):
        super().__init__()
        self.fc = nn.Linear(config.hidden_size, config.hidden_size)
        self.act = ACT2FN[config.act]
        if path is not None and os.path.isfile(path):
            logger.info("loading %s", path)
            self.load_state_dict(torch.load(path, weights_only=True))

    def forward(self, x):
        return self.act(self.fc(x)) / math.sqrt(x.shape[-1])
"""

HONEST_HUBCONF = '''
dependencies = ["torch"]
import torch
from torch.hub import load_state_dict_from_url


def tiny(pretrained: bool = False, **kwargs):
    """A tiny linear model."""
    model = torch.nn.Linear(2, 2)
    if pretrained:
        model.load_state_dict(load_state_dict_from_url("https://example.org/tiny.pt"))
    return model
'''


@pytest.mark.parametrize("name,text", [("modeling_tiny.py", HONEST_MODELING),
                                       ("hubconf.py", HONEST_HUBCONF)])  # fmt: skip
def test_honest_model_code_stays_low(tmp_path: Path, name: str, text: str) -> None:
    assert analyze_python(text) == []
    (tmp_path / name).write_text(text)
    report = scan(tmp_path)
    assert [(f.rule_id, f.severity) for f in report.findings] == [("AIR-CFG-012", Severity.LOW)]


def test_hubconf_passing_os_system_is_denied_and_says_it_runs_at_load(tmp_path: Path) -> None:
    (tmp_path / "hubconf.py").write_text(
        'import os\ndependencies = ["torch"]\nlist(map(os.system, ["id"]))\n'
        "def tiny():\n    import torch\n    return torch.nn.Linear(2, 2)\n"
    )
    report = scan(tmp_path)
    worst = max(report.findings, key=lambda f: f.severity)
    assert worst.severity == Severity.CRITICAL and worst.rule_id == "AIR-CFG-005"
    assert "hubconf.py:3" in worst.evidence
    shipped = [f for f in report.findings if f.rule_id == "AIR-CFG-012"]
    assert shipped and "torch.hub.load imports it" in shipped[0].evidence


@pytest.mark.parametrize("form", list(FORMS))
def test_each_form_is_denied_through_the_engine(tmp_path: Path, form: str) -> None:
    (tmp_path / "modeling_x.py").write_text(FORMS[form])
    report = scan(tmp_path)
    assert max(f.severity for f in report.findings) >= Severity.HIGH, report.findings
