"""Sandboxed child: load OUR OWN generated corpus with the real loaders and record every global
the real unpickler imports, for comparison with the symbolic machine.

Run only by ``bench.ecosystem.check`` inside Airlock's sandbox (no network, read-only corpus).
The corpus is trusted (we generated it with the libraries' own savers), yet loading still happens
only here, never in the scanner. Reads a JSON list of ``[path, loader]`` on stdin, writes one JSON
line per file: ``{"path", "names": [...], "error"}``.
"""

from __future__ import annotations

import _compat_pickle
import json
import os
import pickle
import sys
import warnings
from pathlib import Path
from typing import Any

_seen: list[tuple[str, str]] = []
_orig_find_class = pickle._Unpickler.find_class  # type: ignore[attr-defined]


def _recording_find_class(self: Any, module: str, name: str) -> Any:
    mod, nm = module, name
    if getattr(self, "proto", 5) < 3 and getattr(self, "fix_imports", True):
        if (mod, nm) in _compat_pickle.NAME_MAPPING:
            mod, nm = _compat_pickle.NAME_MAPPING[(mod, nm)]
        elif mod in _compat_pickle.IMPORT_MAPPING:
            mod = _compat_pickle.IMPORT_MAPPING[mod]
    _seen.append((mod, nm))
    return _orig_find_class(self, module, name)


def _install() -> None:
    """Route every unpickler through the pure-Python one, whose find_class we record."""
    pickle._Unpickler.find_class = _recording_find_class  # type: ignore[attr-defined]
    pickle.Unpickler = pickle._Unpickler  # type: ignore[attr-defined,misc]
    pickle.load = pickle._load  # type: ignore[attr-defined]
    pickle.loads = pickle._loads  # type: ignore[attr-defined]


def _load(path: Path, loader: str) -> None:
    if loader == "pickle":
        with path.open("rb") as f:
            pickle.load(f)
    elif loader == "torch":
        import torch

        torch.load(path, weights_only=False, map_location="cpu")
    elif loader == "joblib":
        import joblib

        joblib.load(path)
    elif loader == "pandas":
        import pandas as pd

        pd.read_pickle(path)
    elif loader == "numpy":
        import numpy as np

        with np.load(path, allow_pickle=True) as z:
            for k in z.files:
                z[k]
    elif loader == "npy":
        import numpy as np

        np.load(path, allow_pickle=True)
    else:
        raise ValueError(f"unknown loader {loader}")


def main() -> int:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    warnings.simplefilter("ignore")
    _install()
    items = json.load(sys.stdin)
    out = sys.stdout
    for path, loader in items:
        _seen.clear()
        err = None
        try:
            _load(Path(path), loader)
        except BaseException as exc:  # record and go on: one bad file must not stop the run
            err = f"{type(exc).__name__}: {str(exc)[:200]}"
        names = sorted({f"{m}.{n}" for m, n in _seen})
        out.write(json.dumps({"path": path, "names": names, "error": err}) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
