"""PyTorch Mobile (lite interpreter) archives: ``_load_for_lite_interpreter`` runs only
``bytecode.pkl``, so its operator tables are judged like ``code/`` (red-team round 3 ts1-ts3:
``code/`` stripped, or a harmless ``code/`` beside evil bytecode, were allowed)."""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import pytest

from airlock.formats.torch_mobile import parse_bytecode
from airlock.report import Severity
from airlock.scan.engine import scan_paths
from airlock.scan.result import ScanReport

torch = pytest.importorskip("torch")
nn = torch.nn


def blocking(report: ScanReport) -> list[tuple[str, str]]:
    return [(f.rule_id, f.evidence) for f in report.findings if f.severity >= Severity.HIGH]


class _Writer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.p = "x"
        self.n = 0

    @torch.jit.export
    def __getstate__(self) -> tuple[str]:
        return (self.p,)

    @torch.jit.export
    def __setstate__(self, s: tuple[str]) -> None:
        self.p = s[0]
        t = torch.from_file("/nonexistent/airlock-test", True, 8, dtype=torch.uint8)
        self.n = int(t.sum())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + 1


class _Leak(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.aten._reshape_alias_copy(x, [65540], [1])


class _Plain(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + 1


class _Ctrl(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.l = nn.Linear(4, 4)
        self.rnn = nn.LSTM(4, 4, batch_first=True)

    def forward(self, x: torch.Tensor, n: int = 2) -> torch.Tensor:
        for _ in range(n):
            x = self.l(x).relu() if bool(x.sum() > 0) else torch.tanh(x)
        y, _ = self.rnn(x.unsqueeze(0))
        return y.squeeze(0) + torch.cat([x, x], 0).mean()


def _lite(module: nn.Module, path: Path) -> Path:
    torch.jit.script(module)._save_for_lite_interpreter(str(path))
    return path


def _rewrite(
    src: Path, dst: Path, *, drop_code: bool, replace: dict[str, bytes] | None = None
) -> Path:
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zo:
        for info in zi.infolist():
            if drop_code and ("/code/" in info.filename or info.filename.endswith(".debug_pkl")):
                continue
            base = info.filename.split("/", 1)[-1]
            data = (replace or {}).get(base, zi.read(info.filename))
            zo.writestr(info, data)
    return dst


def _bytecode(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(next(n for n in z.namelist() if n.endswith("/bytecode.pkl")))


@pytest.mark.parametrize("module", [nn.Linear(4, 2), nn.LSTM(4, 8, 2), _Ctrl(), _Plain()])
def test_honest_lite_saves_stay_clean(tmp_path: Path, module: nn.Module) -> None:
    path = _lite(module, tmp_path / "m.ptl")
    stripped = _rewrite(path, tmp_path / "stripped.ptl", drop_code=True)
    for p in (path, stripped):
        report = scan_paths([p])
        assert report.findings == [], [(f.rule_id, f.evidence) for f in report.findings]
        assert report.not_scanned == []


def test_bytecode_without_code_is_judged(tmp_path: Path) -> None:
    """ts2_b: code/ and .debug_pkl removed; the from_file write runs at lite load."""
    evil = _rewrite(_lite(_Writer(), tmp_path / "a.ptl"), tmp_path / "b.pt", drop_code=True)
    found = blocking(scan_paths([evil]))
    assert any(r == "AIR-TS-001" and "aten::from_file" in e for r, e in found), found


def test_benign_code_beside_evil_bytecode_is_judged(tmp_path: Path) -> None:
    """ts3_c: the gate used to read a harmless code/ while the lite interpreter runs bytecode."""
    plain = _lite(_Plain(), tmp_path / "plain.ptl")
    evil = _bytecode(_lite(_Writer(), tmp_path / "evil.ptl"))
    mixed = _rewrite(plain, tmp_path / "mixed.ptl", drop_code=False, replace={"bytecode.pkl": evil})
    found = blocking(scan_paths([mixed]))
    assert any(r == "AIR-TS-001" and "aten::from_file" in e for r, e in found), found


def test_unchecked_operator_in_bytecode(tmp_path: Path) -> None:
    """ts1_b: aten::_reshape_alias_copy trusts sizes/strides (heap read)."""
    evil = _rewrite(_lite(_Leak(), tmp_path / "a.ptl"), tmp_path / "b.ptl", drop_code=True)
    found = blocking(scan_paths([evil]))
    assert any(r == "AIR-TS-004" and "_reshape_alias_copy" in e for r, e in found), found


def _method(ops: tuple[tuple[str, str, int], ...], types: tuple[str, ...] = ()) -> tuple:
    table = (
        ("instructions", (("RET", 0, 0),)),
        ("operators", ops),
        ("constants", ()),
        ("types", types),
        ("register_size", 1),
    )
    return ("__torch__.M.forward", table)


def test_custom_namespace_torchbind_and_unreadable(tmp_path: Path) -> None:
    plain = _lite(_Plain(), tmp_path / "plain.ptl")
    custom = pickle.dumps((8, _method((("evil::run", "", 1), ("prim::Xyz", "", 1)))), protocol=2)
    bound = pickle.dumps((8, _method((), ("__torch__.torch.classes.evil.Obj",))), protocol=2)
    cases = {
        "custom": custom,
        "bound": bound,
        "empty": b"\x80\x02K\x08\x85q\x00.",  # (8,): a program without methods
        "broken": b"\x80\x02cos\nsystem\n.",  # not a tuple: unreadable
        "truncated": custom[:-5],
    }
    results = {}
    for name, data in cases.items():
        path = _rewrite(
            plain, tmp_path / f"{name}.ptl", drop_code=True, replace={"bytecode.pkl": data}
        )
        results[name] = scan_paths([path])
    assert ("AIR-TS-002", "evil::run") in [
        (r, e.rsplit(": ", 1)[-1]) for r, e in blocking(results["custom"])
    ]
    assert any(r == "AIR-TS-004" and "prim::Xyz" in e for r, e in blocking(results["custom"]))
    assert any(r == "AIR-TS-002" for r, _ in blocking(results["bound"]))
    assert blocking(results["empty"]) == [] and results["empty"].not_scanned == []
    for name in ("broken", "truncated"):
        assert results[name].not_scanned, name


def test_parse_bytecode_reads_the_real_layout(tmp_path: Path) -> None:
    prog = parse_bytecode(_bytecode(_lite(_Writer(), tmp_path / "w.ptl")))
    assert prog.version >= 5
    assert any(m.endswith(".__setstate__") for m in prog.methods), prog.methods
    assert "aten::from_file" in prog.operators
