"""Keras ``TorchModuleWrapper`` payloads: the layer keeps its ``torch.nn.Module`` as base64
``torch.save`` bytes in ``config.module``, and Keras' torch backend gives them to
``torch.load(weights_only=False)`` when ``safe_mode=False`` (the switch users flip for Lambda
layers). Red team rt13: a ``.keras`` whose payload pickles ``os.system`` ran it and was ALLOW;
each payload is now a child the engine judges like any torch file (``.keras`` config.json, HDF5
``model_config``, ``model.to_json()`` JSON). Keras and torch write the files and are the oracle
(in a subprocess, writing a marker file).
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from airlock.scan.engine import scan_data

os.environ.setdefault("KERAS_BACKEND", "torch")  # as tests/scan_formats/test_keras.py
torch = pytest.importorskip("torch", reason="torch writes the payloads")
keras = pytest.importorskip("keras", reason="keras writes the models (group ecosystem)")

ORACLE = """
import os, sys
os.environ["KERAS_BACKEND"] = "torch"
import keras
try:
    keras.saving.load_model(sys.argv[1], safe_mode=False)
except Exception:
    pass  # the payload is not a module: the layer fails after the pickle ran
"""


class _Marker:
    """Pickles as a call that writes a marker file (harmless)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.path}",))


def _honest(tmp_path: Path) -> Path:
    from keras.layers import TorchModuleWrapper

    model = keras.Sequential([TorchModuleWrapper(torch.nn.Linear(4, 2))])
    model(torch.zeros(1, 4))
    p = tmp_path / "honest.keras"
    model.save(p)
    return p


def _payload(marker: Path) -> str:
    buf = io.BytesIO()
    torch.save(_Marker(marker), buf)
    return base64.b64encode(buf.getvalue()).decode()


def _with_config(src: Path, dst: Path, edit: Any) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "config.json":
                cfg = json.loads(data)
                edit(cfg)
                data = json.dumps(cfg).encode()
            zout.writestr(info, data)
    return dst


def _wrapper(cfg: dict[str, Any]) -> dict[str, Any]:
    layer = next(la for la in cfg["config"]["layers"] if la["class_name"] == "TorchModuleWrapper")
    return layer["config"]  # type: ignore[no-any-return]


def _rules(data: bytes, name: str) -> list[str]:
    return sorted(f.rule_id for f in scan_data(data, name).findings)


def test_pickled_payload_runs_with_safe_mode_off_and_is_denied(tmp_path: Path) -> None:
    honest = _honest(tmp_path)
    marker = tmp_path / "MARKER"
    evil = _with_config(honest, tmp_path / "evil.keras",
                        lambda c: _wrapper(c).update(module=_payload(marker)))  # fmt: skip
    subprocess.run([sys.executable, "-c", ORACLE, str(evil)], capture_output=True, timeout=300)
    assert marker.exists()  # the oracle: Keras ran the pickle
    report = scan_data(evil.read_bytes(), evil.name)
    assert "AIR-PKL-001" in [f.rule_id for f in report.findings]
    where = next(f.member for f in report.findings if f.rule_id == "AIR-PKL-001")
    assert where is not None and "config.module" in where


def test_honest_wrapper_is_clean_and_its_module_judged(tmp_path: Path) -> None:
    honest = _honest(tmp_path)
    report = scan_data(honest.read_bytes(), honest.name)
    assert report.findings == []
    assert any("config.module" in (o.member or "") for o in report.objects)
    assert all(o.status == "scanned" for o in report.objects)


def test_payload_in_json_and_hdf5_configs(tmp_path: Path) -> None:
    h5py = pytest.importorskip("h5py")
    honest = _honest(tmp_path)
    with zipfile.ZipFile(honest) as z:
        cfg = json.loads(z.read("config.json"))
    _wrapper(cfg)["module"] = _payload(tmp_path / "never")
    text = json.dumps(cfg)
    assert "AIR-PKL-001" in _rules(text.encode(), "model.json")
    escaped = text.replace("TorchModuleWrapper", "\\u0054orchModuleWrapper")
    assert "AIR-PKL-001" in _rules(escaped.encode(), "model.json")
    p = tmp_path / "m.h5"
    with h5py.File(p, "w") as f:
        f.attrs["model_config"] = text
    assert "AIR-PKL-001" in _rules(p.read_bytes(), p.name)


def test_undecodable_payload_loads_nothing_and_scans(tmp_path: Path) -> None:
    honest = _honest(tmp_path)
    for bad in ("not base64!", "é" * 10, "QUJD="):
        dst = _with_config(
            honest, tmp_path / "b.keras", lambda c, b=bad: _wrapper(c).update(module=b)
        )
        report = scan_data(dst.read_bytes(), dst.name)
        assert report.findings == [] and all(o.status == "scanned" for o in report.objects)
        judged = [o for o in report.objects if "config.module" in (o.member or "")]
        assert len(judged) == (1 if bad == "QUJD=" else 0), bad  # Keras decodes only that one
