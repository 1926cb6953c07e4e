"""Python that reaches a module or builtin around an import statement (red-team session 8:
``sys.modules["os"].system(...)`` in shipped model code was not resolved): registries,
namespaces, import functions and getattr resolve; a call through a computed lookup is dynamic
code."""

from __future__ import annotations

import pytest

from airlock.report import Severity
from airlock.scan.pycode import analyze_python

RESOLVED = {
    'import sys\nsys.modules["os"].system("id")\n': ("process", "os.system"),
    'import sys\nsys.modules.get("os").system("id")\n': ("process", "os.system"),
    'import sys\nsys.modules["posix"].system("id")\n': ("process", "os.system"),
    'import sys\nm = sys.modules["subprocess"]\nm.run(["id"])\n': ("process", "subprocess.run"),
    '__builtins__["exec"]("1")\n': ("dynamic", "exec"),
    'globals()["__builtins__"].exec("1")\n': ("dynamic", "exec"),
    'globals()["__builtins__"]["eval"]("1")\n': ("dynamic", "eval"),
    'import builtins\nvars(builtins)["eval"]("1")\n': ("dynamic", "eval"),
    'import os\nos.__dict__["system"]("id")\n': ("process", "os.system"),
    'getattr(__import__("os"), "system")("id")\n': ("process", "os.system"),
    'import importlib\nimportlib.import_module("os").popen("id")\n': ("process", "os.popen"),
    "import os\nrun = os.system\nrun('id')\n": ("process", "os.system"),
    "e = exec\ne('1')\n": ("dynamic", "exec"),
}


@pytest.mark.parametrize("source", list(RESOLVED))
def test_routes_around_imports_resolve(source: str) -> None:
    category, name = RESOLVED[source]
    issues = analyze_python(source)
    hit = [i for i in issues if i.category == category and name in i.evidence]
    assert hit and hit[0].severity == Severity.CRITICAL, issues  # at import time


@pytest.mark.parametrize(
    "source",
    [
        'import sys\nk = "o" + "s"\nsys.modules[k].system("id")\n',
        "def f(k):\n    g = globals()[k]\n    return g('1')\n",
        "def f(k):\n    return __builtins__[k]('1')\n",
        "import builtins\ndef f(k):\n    return getattr(builtins, k)('1')\n",
        "import sys\ndef f(k):\n    return sys.modules.get(k).system('id')\n",
        "def f(k):\n    return vars()[k]()\n",
    ],
)
def test_computed_lookup_called_is_dynamic_code(source: str) -> None:
    issues = [i for i in analyze_python(source) if i.category == "dynamic"]
    assert issues and all(i.severity >= Severity.HIGH for i in issues), analyze_python(source)


@pytest.mark.parametrize(
    "source",
    [
        'import sys\n(m,) = (sys.modules["os"],)\n',  # no call, no simple binding
        'fns = [__builtins__["exec"]]\n',
        'import os\nd = {"f": os.__dict__.get("system")}\n',
    ],
)
def test_route_to_a_sensitive_name_is_dynamic_code_even_uncalled(source: str) -> None:
    issues = [i for i in analyze_python(source) if i.category == "dynamic"]
    assert (
        issues
        and issues[0].severity == Severity.CRITICAL
        and "reached through" in (issues[0].evidence)
    )


def test_computed_lookup_not_called_is_only_noted() -> None:
    source = """
import sys
def module_of(cls, name):
    return getattr(sys.modules[cls.__module__], name, None)
def settings(parser):
    return dict(vars(parser.parse_args()).items())
"""
    issues = analyze_python(source)
    assert issues and {(i.category, i.severity) for i in issues} == {("reflection", Severity.LOW)}


def test_ordinary_code_stays_quiet() -> None:
    source = """
import sys
import torch
from torch import nn

ACT = {"gelu": nn.GELU}
mod = sys.modules[__name__]
setattr(mod, "VERSION", 1)

class M(nn.Module):
    def forward(self, x, cfg):
        f = getattr(nn.functional, self.act)
        y = self.layers[0](x)
        z = cfg.get("scale", 1.0)
        w = self.__dict__["cache"]
        return ACT["gelu"]()(f(y)) * z + w
"""
    assert analyze_python(source) == []
