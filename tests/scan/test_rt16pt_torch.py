"""Session 15 red team rt16pt: PyTorch archives that the real loaders (torch.jit.load,
torch.export.load, torch.load, numpy.load, safetensors) turn into crashes or side effects.
Fixtures are generated here; the real loader runs only in a child process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_paths
from airlock.scan.result import ScanReport
from airlock.scan.torch_ops import OpVerdict, op_verdict, pt2_target_verdict

torch = pytest.importorskip("torch")
nn = torch.nn


def blocking(report: ScanReport) -> list[tuple[str, str]]:
    return [(f.rule_id, f.evidence) for f in report.findings if f.severity >= Severity.HIGH]


class _LinearCombination(nn.Module):
    """``aten::_compute_linear_combination`` in ``__setstate__``: coefficients (1, 1<<26) read
    1<<26 rows of a (1, 3) input, inside torch.jit.load."""

    def __init__(self) -> None:
        super().__init__()
        self.w = torch.ones(1, 3)

    @torch.jit.export
    def __getstate__(self) -> tuple[torch.Tensor, bool]:
        return (self.w, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, bool]) -> None:
        self.w = torch._compute_linear_combination(state[0], torch.ones(1, 1 << 26))
        self.training = state[1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.w.sum()


class _MklLinear(nn.Module):
    """``mkl::_mkl_linear`` with a 2-element "packed" weight against a 16384-wide input."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = torch.ones([2]).to_mkldnn()
        origin = torch.zeros([1, 1]).expand([16384, 16384])
        return torch.ops.mkl._mkl_linear(x, w, origin, None, 4)


class _OnednnQLinear(nn.Module):
    """``onednn::qlinear_pointwise`` with a plain (2, 2) int8 tensor as the packed weight."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = torch.zeros([2, 2], dtype=torch.int8)
        scales = torch.ones([2])
        zps = torch.zeros([2], dtype=torch.long)
        return torch.ops.onednn.qlinear_pointwise(
            x, 1.0, 0, w, scales, zps, None, 1.0, 0, torch.float32, "none", [], ""
        )


class _Sobol(nn.Module):
    """``aten::_sobol_engine_initialize_state_`` with a dimension far past its state."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        state = torch.zeros([2, 30], dtype=torch.long)
        torch._sobol_engine_initialize_state_(state, 1 << 20)
        return x + state.sum()


class _FusedAdam(nn.Module):
    """``aten::_fused_adam_`` over a 4M-element param with 2-element grads and states."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        p = [torch.ones([1 << 22])]
        small = [torch.ones([2])]
        step = [torch.ones([])]
        torch._fused_adam_(
            p, small, small, small, [], step, lr=0.1, beta1=0.9, beta2=0.9,
            weight_decay=0.0, eps=1e-8, amsgrad=False, maximize=False,
        )  # fmt: skip
        return x + p[0].sum()


@pytest.mark.parametrize(
    "module", [_LinearCombination, _MklLinear, _OnednnQLinear, _Sobol, _FusedAdam]
)
def test_memory_unsafe_ops_are_denied(tmp_path: Path, module: type) -> None:
    path = tmp_path / "m.pt"
    torch.jit.script(module()).save(str(path))
    report = scan_paths([path])
    assert "AIR-TS-004" in {f.rule_id for f in report.findings}, report.findings
    assert blocking(report)


def test_linear_combination_setstate_crashes_the_real_loader(tmp_path: Path) -> None:
    """The oracle: torch.jit.load (child process) dies of a signal on the file above."""
    path = tmp_path / "m.pt"
    torch.jit.script(_LinearCombination()).save(str(path))
    code = f"import torch; torch.jit.load({str(path)!r})"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300)
    assert proc.returncode < 0, (proc.returncode, proc.stderr[-2000:])


def test_the_same_ops_are_refused_in_pt2_graphs() -> None:
    assert op_verdict("aten", "_compute_linear_combination") is OpVerdict.UNLISTED
    assert op_verdict("mkl", "_mkl_linear") is OpVerdict.UNLISTED
    assert op_verdict("onednn", "qlinear_pointwise") is OpVerdict.UNLISTED
    # review15: the conv and fp16 forms trust a plain tensor as a packed weight the same way
    for op in ("qconv_pointwise", "qconv2d_pointwise", "linear_dynamic_fp16"):
        assert op_verdict("onednn", op) is OpVerdict.UNLISTED, op
    for op in ("draw", "ff_", "initialize_state_", "scramble_"):
        assert op_verdict("aten", f"_sobol_engine_{op}") is OpVerdict.UNLISTED
    for op in ("adam", "adamw", "adagrad", "sgd"):
        assert op_verdict("aten", f"_fused_{op}") is OpVerdict.UNLISTED
        assert op_verdict("aten", f"_fused_{op}_") is OpVerdict.UNLISTED
    for target in (
        "torch.ops.aten._compute_linear_combination.default",
        "torch.ops.mkl._mkl_linear.default",
        "torch.ops.onednn.qlinear_pointwise.tensor",
    ):
        assert pt2_target_verdict(target) is OpVerdict.UNLISTED


# ---- torch.export zips of the torch <= 2.7 layout (still read by torch.export.load) ----------


class _Small(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.lin(x))


def _legacy_export_zip(path: Path, marker: Path | None, name: str = "") -> None:
    """``version`` + ``serialized_exported_program.json`` + ``torch.save`` payloads, as
    ``torch.export.save`` wrote them before the PT2 archive; with ``marker`` the relu node
    becomes ``aten::from_file(marker, shared=True, size=4)`` (creates the file when run)."""
    import json
    import zipfile

    from torch._export.serde.schema import SCHEMA_VERSION
    from torch._export.serde.serialize import serialize

    art = serialize(torch.export.export(_Small(), (torch.randn(2, 4),)))
    doc = json.loads(art.exported_program)

    def walk(o: object) -> None:
        if isinstance(o, dict):
            if o.get("target") == "torch.ops.aten.relu.default" and "inputs" in o and marker:
                o["target"] = "torch.ops.aten.from_file.default"
                o["inputs"] = [
                    {"name": "filename", "arg": {"as_string": str(marker)}, "kind": 1},
                    {"name": "shared", "arg": {"as_bool": True}, "kind": 1},
                    {"name": "size", "arg": {"as_int": 4}, "kind": 1},
                ]
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    walk(doc)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("version", ".".join(map(str, SCHEMA_VERSION)))
        z.writestr(name or "serialized_exported_program.json", json.dumps(doc))
        z.writestr("serialized_state_dict.pt", art.state_dict)
        z.writestr("serialized_constants.pt", art.constants)
        z.writestr("serialized_example_inputs.pt", art.example_inputs)


def test_legacy_export_zip_program_is_judged(tmp_path: Path) -> None:
    path = tmp_path / "m.pt2"
    _legacy_export_zip(path, tmp_path / "marker")
    report = scan_paths([path])
    found = {(f.rule_id, str(f.severity)) for f in report.findings}
    assert ("AIR-PT-003", "critical") in found, report.findings


def test_legacy_export_zip_program_is_judged_in_a_torch_zip_too(tmp_path: Path) -> None:
    """A zip that is also a torch.save checkpoint: torch.export.load still falls back to the
    old layout."""
    import zipfile

    path = tmp_path / "m.pt2"
    _legacy_export_zip(path, tmp_path / "marker")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
    report = scan_paths([path])
    assert "AIR-PT-003" in {f.rule_id for f in report.findings}, report.findings
    assert blocking(report)


def test_honest_legacy_export_zip_stays_clean(tmp_path: Path) -> None:
    path = tmp_path / "m.pt2"
    _legacy_export_zip(path, None)
    report = scan_paths([path])
    assert not blocking(report), report.findings
    assert report.not_scanned == []


def test_legacy_export_zip_really_runs_the_node(tmp_path: Path) -> None:
    """The oracle: torch.export.load (child process) loads it; running the module creates the
    marker file."""
    path = tmp_path / "m.pt2"
    marker = tmp_path / "marker"
    _legacy_export_zip(path, marker)
    code = f"import torch; ep = torch.export.load({str(path)!r}); ep.module()(torch.randn(2, 4))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300)
    assert marker.exists(), proc.stderr[-2000:]


# ---- compressed tensor records: the loader inflates them whole, unread by the scan -----------

_BOMB_BYTES = 32 << 20  # past archive.RATIO_FLOOR, deflates ~1000:1


def _recompress(raw: bytes, path: Path, deflate: Callable[[str], bool]) -> None:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            method = zipfile.ZIP_DEFLATED if deflate(info.filename) else zipfile.ZIP_STORED
            dst.writestr(info.filename, src.read(info.filename), compress_type=method)


def _torch_save_bytes(obj: object) -> bytes:
    import io

    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def test_deflated_storage_bomb_is_denied(tmp_path: Path) -> None:
    path = tmp_path / "m.pt"
    raw = _torch_save_bytes({"w": torch.zeros(_BOMB_BYTES, dtype=torch.uint8)})
    _recompress(raw, path, lambda n: "/data/" in n)
    assert path.stat().st_size < _BOMB_BYTES // 100
    report = scan_paths([path])
    assert "AIR-ARC-003" in {f.rule_id for f in report.findings}, report.findings


def test_deflated_storage_is_inflated_whole_by_the_real_loader(tmp_path: Path) -> None:
    path = tmp_path / "m.pt"
    raw = _torch_save_bytes({"w": torch.zeros(_BOMB_BYTES, dtype=torch.uint8)})
    _recompress(raw, path, lambda n: "/data/" in n)
    code = f"import torch; d = torch.load({str(path)!r}, weights_only=True); print(d['w'].numel())"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip() == str(_BOMB_BYTES), proc.stderr[-2000:]


def test_deflated_pt2_raw_tensor_bomb_is_denied(tmp_path: Path) -> None:
    class Big(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("b", torch.zeros(_BOMB_BYTES // 4))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x + self.b[:1]

    plain = tmp_path / "plain.pt2"
    torch.export.save(torch.export.export(Big(), (torch.ones(1),)), str(plain))
    path = tmp_path / "m.pt2"
    _recompress(plain.read_bytes(), path, lambda n: "/data/weights/" in n and "config" not in n)
    assert "AIR-ARC-003" not in {f.rule_id for f in scan_paths([plain]).findings}
    report = scan_paths([path])
    assert "AIR-ARC-003" in {f.rule_id for f in report.findings}, report.findings


def test_deflated_storage_of_random_bytes_is_no_bomb(tmp_path: Path) -> None:
    """Compressed but not amplified (a re-zipped checkpoint of real weights): no finding."""
    path = tmp_path / "m.pt"
    gen = torch.Generator().manual_seed(0)
    w = torch.randint(0, 256, (_BOMB_BYTES,), dtype=torch.uint8, generator=gen)
    _recompress(_torch_save_bytes({"w": w}), path, lambda n: "/data/" in n)
    report = scan_paths([path])
    assert report.findings == [], report.findings
