"""`airlock trojan` on a machine without PyTorch (issue 20): it says so, names the extra, and
does not exit 0 as if the model had been judged; --no-probe still works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_HIDE_TORCH = (
    "import sys; sys.modules['torch'] = None; sys.argv = ['airlock', *sys.argv[1:]]; "
    "from airlock._entry import main; main()"
)


def _run_without_torch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _HIDE_TORCH, *args], capture_output=True,
                          text=True, timeout=300, env=dict(os.environ))  # fmt: skip


def test_trojan_without_torch_names_the_extra(zoo: dict[str, Path]) -> None:
    r = _run_without_torch("trojan", str(zoo["clean"]), "--base", str(zoo["base"]))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "model-airlock[trojan]" in r.stderr and "--no-probe" in r.stderr
    assert r.stderr.count("\n") == 1
    r = _run_without_torch("trojan", str(zoo["clean"]), "--base", str(zoo["base"]), "--no-probe")
    assert r.returncode == 0, r.stderr
    assert "behavioural confirmation did not run" in r.stdout
