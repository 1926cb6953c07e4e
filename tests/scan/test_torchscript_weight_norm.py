"""``torch._weight_norm`` tied to data.pkl's tensors (session 17, rt18ts): the fused kernel
reads ``v.size(dim)`` entries of ``g`` unchecked, so an archive keeping honest weight-norm code
and swapping ``weight_g`` for a ``[1, 1]`` tensor SIGSEGVs in forward (torch 2.13)."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

from airlock.scan.engine import scan_paths

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402
from torch.nn.utils import weight_norm as old_wn  # noqa: E402
from torch.nn.utils.parametrizations import weight_norm as par_wn  # noqa: E402

from airlock.scan import weight_norm  # noqa: E402


class _Net(nn.Module):
    def __init__(self, wn: object, dim: int | None) -> None:
        super().__init__()
        self.l = wn(nn.Linear(8, 6), dim=dim)  # type: ignore[operator]
        self.c = wn(nn.Conv1d(6, 4, 3), dim=0)  # type: ignore[operator]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.c(self.l(x).transpose(0, 1).unsqueeze(0))


def _wn_findings(path: Path) -> list[str]:
    return [
        f.evidence
        for f in scan_paths([path]).findings
        if f.severity.name in ("HIGH", "CRITICAL") and "weight_norm" in f.evidence
    ]


def _save(module: nn.Module, path: Path, script: bool = False) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = torch.jit.script(module) if script else torch.jit.trace(module, torch.randn(5, 8))
    torch.jit.save(m, str(path))
    return path


@pytest.mark.parametrize("dim", [0, 1, None])
def test_honest_weight_norm_is_clean(dim: int | None, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        old, par = _Net(old_wn, dim).eval(), _Net(par_wn, 0 if dim is None else dim).eval()
    for path in (
        _save(old, tmp_path / "old.pt"),
        _save(par, tmp_path / "par.pt"),
        _save(par, tmp_path / "par_script.pt", script=True),
    ):
        assert scan_paths([path]).findings == [], path.name


def test_weight_g_smaller_than_v_is_high(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        old, par = _Net(old_wn, 0).eval(), _Net(par_wn, 0).eval()
        t_old = torch.jit.trace(old, torch.randn(5, 8))
        t_par = torch.jit.trace(par, torch.randn(5, 8))
    t_old.l.weight_g = torch.randn(1, 1)
    t_par.l.parametrizations.weight.original0 = torch.randn(1, 1)
    for name, m in (("old", t_old), ("par", t_par)):
        path = tmp_path / f"{name}.pt"
        torch.jit.save(m, str(path))
        found = _wn_findings(path)
        assert any("g of 1 element(s) [1, 1] for v [6, 8] dim 0" in e for e in found), found


def _sites(code: str) -> tuple[list[weight_norm.Site], list[tuple[str, int, str]]]:
    return weight_norm.sites([("m/code/__torch__/p.py", ast.parse(code))])


def test_arguments_not_read_from_attributes_fail_closed() -> None:
    found, bad = _sites(
        "class A(Module):\n"
        "  def forward(self, x: Tensor) -> Tensor:\n"
        "    g = torch.ones([1])\n"
        "    return torch._weight_norm(self.v, g, 0)\n"
        "  def other(self, x: Tensor) -> Tensor:\n"
        "    f = torch._weight_norm_interface\n"
        "    return x\n"
    )
    assert found == []
    whys = sorted(why for _, _, why in bad)
    assert whys == ["an argument not read from the module's attributes",
                    "named other than by a direct call"], bad  # fmt: skip


def test_parameters_are_tied_at_each_call() -> None:
    found, bad = _sites(
        "class W(Module):\n"
        "  def forward(self, v: Tensor, g: Tensor) -> Tensor:\n"
        "    return torch._weight_norm(v, g, self.dim)\n"
        "class L(Module):\n"
        "  def forward(self) -> Tensor:\n"
        "    a = self.original0\n"
        "    w = getattr(self, '0')\n"
        "    _ = (w).forward(self.original1, a)\n"
        "    return (w).forward(torch.ones([1]), a)\n"
    )
    assert bad == []
    tied = [s for s in found if not s.why]
    assert [(s.owner, s.v, s.g, s.dim, s.via) for s in tied] == [
        ("__torch__.p.L", ("original1",), ("original0",), ("0", "dim"), ("0",))
    ]
    assert [s.why[:30] for s in found if s.why] == ["an argument of forward (line 3"]
