"""Stdlib runners and resolvers (red team rt12 f3, f1): shipped Python that runs a code string or
resolves a callable from a string through cProfile, profile, trace, pdb, doctest, code, zipimport,
importlib.util, pkgutil.resolve_name, pydoc.locate, a logging.config.dictConfig ``"()"`` factory
key, or writes a Python file it then imports, had no finding or a LOW one. Every form is at least
HIGH with its line; ordinary logging configuration and a bare sys.path edit stay below HIGH."""

from __future__ import annotations

import pytest

from airlock.report import Severity
from airlock.scan.pycode import analyze_python

CODE = "\"__import__('os').system('id')\""
FORMS = {
    "cProfile.run": f"import cProfile\ncProfile.run({CODE})\n",
    "cProfile.runctx": f"import cProfile\ncProfile.runctx({CODE}, {{}}, {{}})\n",
    "profile.run": f"import profile\nprofile.run({CODE})\n",
    "Profile().runctx": f"import cProfile\np = cProfile.Profile()\np.runctx({CODE}, {{}}, {{}})\n",
    "pkgutil.resolve_name": 'import pkgutil\npkgutil.resolve_name("os:system")("id")\n',
    "pydoc.locate": 'import pydoc\npydoc.locate("os.system")("id")\n',
    "dictConfig factory": (
        "import logging.config\nlogging.config.dictConfig({'version': 1, 'handlers': "
        "{'h': {'()': 'os.system', 'command': 'id'}}})\n"
    ),
    "dictConfig subprocess factory": (
        "from logging import config\nconfig.dictConfig({'version': 1, 'handlers': "
        "{'h': {'()': 'subprocess.Popen', 'args': 'id'}}})\n"
    ),
    "dictConfig handler class": (
        "import logging.config\nlogging.config.dictConfig({'version': 1, 'handlers': "
        "{'h': {'class': 'subprocess.Popen', 'args': ['id']}}})\n"
    ),
    "dictConfig ext value": "cfg = {'handlers': {'h': {'stream': 'ext://os.system'}}}\n",
    "fileConfig": "import logging.config\nlogging.config.fileConfig('logging.ini')\n",
    "logging listen": "import logging.config\nlogging.config.listen(9999).start()\n",
    "trace.Trace().run": f"import trace\ntrace.Trace(count=0, trace=0).run({CODE})\n",
    "trace runctx var": f"import trace\nt = trace.Trace()\nt.runctx({CODE}, {{}}, {{}})\n",
    "pdb.run": f"import pdb\npdb.run({CODE})\n",
    "pdb.runeval": f"import pdb\npdb.runeval({CODE})\n",
    "pdb.runcall": "import pdb, os\npdb.runcall(os.system, 'id')\n",
    "doctest examples": (
        "import doctest\ndef f():\n    '''>>> __import__('os').system('id')'''\n"
        "doctest.run_docstring_examples(f, {})\n"
    ),
    "doctest.testmod": "import doctest\ndoctest.testmod()\n",
    "DocTestRunner": "import doctest\nr = doctest.DocTestRunner()\n",
    "zipimport": "import zipimport\nzipimport.zipimporter('x.zip').load_module('m')\n",
    "InteractiveInterpreter": (f"import code\ncode.InteractiveInterpreter().runsource({CODE})\n"),
    "InteractiveConsole": (
        f"from code import InteractiveConsole\nInteractiveConsole().push({CODE})\n"
    ),
    "runpy": "import runpy\nrunpy.run_path('payload.py')\n",
    "runpy private": "import runpy\nrunpy._run_code(compile('1', 'x', 'exec'), {})\n",
    "runpy as main": "from runpy import _run_module_as_main as go\ngo('payload')\n",
    "spec_from_file_location": (
        "import importlib.util\ns = importlib.util.spec_from_file_location('m', 'm.py')\n"
        "m = importlib.util.module_from_spec(s)\ns.loader.exec_module(m)\n"
    ),
    "SourceFileLoader": (
        "from importlib.machinery import SourceFileLoader\nSourceFileLoader('m', 'm.py')\n"
    ),
    "writes helper.py": (
        "import os\ndef load(p):\n    with open(os.path.join(p, 'helper.py'), 'w') as f:\n"
        "        f.write('import os')\n    import helper\n"
    ),
    "write_text .py": (
        "from pathlib import Path\nPath(__file__).with_name('hubconf.py').write_text('x')\n"
    ),
    "write .pth": "import site\nopen(site.getsitepackages()[0] + '/x.pth', 'a').write('x')\n",
    "site-packages": "open('/usr/lib/python3/site-packages/evil', 'wb')\n",
    "copy to .py": "import shutil\nshutil.copy('payload.txt', 'helper.py')\n",
}


@pytest.mark.parametrize("form", list(FORMS))
def test_runner_or_resolver_is_high_with_its_line(form: str) -> None:
    issues = analyze_python(FORMS[form])
    high = [i for i in issues if i.severity >= Severity.HIGH]
    assert high and all(i.line is not None for i in high), (form, issues)


HONEST = {
    "dictConfig plain": (
        "import logging.config\nlogging.config.dictConfig({'version': 1, 'formatters': "
        "{'f': {'format': '%(message)s'}}, 'handlers': {'h': {'class': "
        "'logging.StreamHandler', 'formatter': 'f'}}, 'root': {'handlers': ['h']}})\n"
    ),
    "dictConfig logging factory": (
        "import logging.config\nlogging.config.dictConfig({'version': 1, 'formatters': "
        "{'f': {'()': 'logging.Formatter', 'fmt': '%(message)s'}}})\n"
    ),
    "sys.path insert": (
        "import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\nimport numpy\n"
    ),
    "profile a function": (
        "import cProfile\ndef f():\n    pr = cProfile.Profile()\n    pr.enable()\n"
        "    pr.disable()\n"
    ),
    "write json": "import json\nwith open('config.json', 'w') as f:\n    json.dump({}, f)\n",
    "write_text txt": "from pathlib import Path\nPath('out/vocab.txt').write_text('a')\n",
    "string with dots": "x = 'model.layers.0.weight'\ny = 'os.path.join is fine'\n",
    "pdb.set_trace": "import pdb\ndef f():\n    pdb.set_trace()\n",
}


@pytest.mark.parametrize("form", list(HONEST))
def test_honest_forms_stay_below_high(form: str) -> None:
    issues = analyze_python(HONEST[form])
    assert all(i.severity < Severity.HIGH for i in issues), (form, issues)


def test_sys_path_edit_alone_is_low() -> None:
    issues = analyze_python("import sys\ndef f(d):\n    sys.path.append(d)\n")
    assert [(i.category, i.severity) for i in issues] == [("dynamic", Severity.LOW)], issues


def test_dict_config_factory_outside_logging_is_noted() -> None:
    source = (
        "import logging.config\ndef f():\n    logging.config.dictConfig({'version': 1, "
        "'formatters': {'j': {'()': 'mypkg.JsonFormatter'}}})\n"
    )
    issues = analyze_python(source)
    assert [(i.severity, i.line) for i in issues] == [(Severity.LOW, 3)], issues
