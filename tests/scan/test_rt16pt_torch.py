"""Session 15 red team rt16pt: PyTorch archives that the real loaders (torch.jit.load,
torch.export.load, torch.load, numpy.load, safetensors) turn into crashes or side effects.
Fixtures are generated here; the real loader runs only in a child process."""

from __future__ import annotations

import subprocess
import sys
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


@pytest.mark.parametrize("module", [_LinearCombination, _MklLinear, _OnednnQLinear])
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
    for target in (
        "torch.ops.aten._compute_linear_combination.default",
        "torch.ops.mkl._mkl_linear.default",
        "torch.ops.onednn.qlinear_pointwise.tensor",
    ):
        assert pt2_target_verdict(target) is OpVerdict.UNLISTED
