"""Session 16 (rt17graph): code that torch.jit.load runs (every ``__setstate__`` and what it
calls) must have a bound the scanner can see. Each hostile module below hung torch.jit.load
(20 s timeout) or grew it by gigabytes from a kilobyte archive while it scanned clean; the
honest scripted/traced models (quantized, LSTM, transformer) stay clean."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import pytest

from airlock.scan.engine import scan_paths

torch = pytest.importorskip("torch")
nn = torch.nn


class _State(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.n = 3
        self.buf = torch.zeros(1)
        self.items: list[int] = [1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.buf

    @torch.jit.export
    def __getstate__(self) -> tuple[int, bool]:
        return (self.n, self.training)


class _While(_State):
    @torch.jit.export
    def __setstate__(self, state: tuple[int, bool]) -> None:
        self.n, self.training = state
        self.buf, self.items = torch.zeros(1), [1]
        i = 0
        while i < self.n:
            i = i + 1


class _RangeOfState(_State):
    @torch.jit.export
    def __setstate__(self, state: tuple[int, bool]) -> None:
        self.n, self.training = state
        self.buf, self.items = torch.zeros(1), [1]
        for i in range(self.n):
            self.n = self.n + i % 3


class _Helper(_State):
    """The loop sits in a method ``__setstate__`` calls."""

    @torch.jit.export
    def __setstate__(self, state: tuple[int, bool]) -> None:
        self.n, self.training = state
        self.buf, self.items = torch.zeros(1), [1]
        self.spin(self.n)

    @torch.jit.export
    def spin(self, k: int) -> None:
        i = 0
        while i < k:
            i = i + 1


class _Alloc(_State):
    @torch.jit.export
    def __setstate__(self, state: tuple[int, bool]) -> None:
        self.n, self.training = state
        self.buf, self.items = torch.ones([self.n * 100000000]), [1]


class _ListRepeat(_State):
    @torch.jit.export
    def __setstate__(self, state: tuple[int, bool]) -> None:
        self.n, self.training = state
        self.buf, self.items = torch.zeros(1), [7] * self.n


class _Doubling(_State):
    @torch.jit.export
    def __setstate__(self, state: tuple[int, bool]) -> None:
        self.n, self.training = state
        self.buf = torch.zeros(1)
        items = [1]
        for _ in range(40):
            items = items + items
        self.items = items


class _Strided(_State):
    """A view far larger than its input, then copied: sized by the state."""

    @torch.jit.export
    def __setstate__(self, state: tuple[int, bool]) -> None:
        self.n, self.training = state
        self.items = [1]
        self.buf = torch.as_strided(torch.zeros(1), [self.n, self.n], [0, 0]).contiguous()


class _Bounded(_State):
    """Constant sizes, a view and a comparison with a constant: bounded, clean. (A loop is not:
    session 16's constant ``range(26)`` of ``torch.cat([a, a])`` reached 1.7 GiB.)"""

    @torch.jit.export
    def __setstate__(self, state: tuple[int, bool]) -> None:
        self.n, self.training = state
        self.buf, self.items = torch.zeros([4]), [1]
        if self.n == 3:
            self.buf = self.buf.unsqueeze(0).clone()


def _save(module: nn.Module, path: Path, n: int = 3) -> Path:
    module.n = n
    buf = io.BytesIO()
    torch.jit.save(torch.jit.script(module), buf)
    path.write_bytes(buf.getvalue())
    return path


def _load_findings(path: Path) -> list[str]:
    return [f.evidence for f in scan_paths([path]).findings if f.rule_id == "AIR-TS-005"]


@pytest.mark.parametrize(
    ("cls", "why"),
    [
        (_While, "a loop"),
        (_RangeOfState, "a loop"),
        (_Helper, "a loop (code run at load must be straight-line) in spin"),
        (_Alloc, "torch.ones() (not an op known"),
        (_ListRepeat, "torch.mul() (not an op known"),
        (_Doubling, "a loop"),
        (_Strided, "torch.as_strided() (not an op known"),
    ],
)
def test_unbounded_load_code_is_high(cls: type, why: str, tmp_path: Path) -> None:
    found = _load_findings(_save(cls(), tmp_path / "m.pt", n=10**6))
    assert any(why in e for e in found), found
    report = scan_paths([tmp_path / "m.pt"])
    assert any(f.rule_id == "AIR-TS-005" and f.severity.name == "HIGH" for f in report.findings)


def test_bounded_load_code_is_clean(tmp_path: Path) -> None:
    assert _load_findings(_save(_Bounded(), tmp_path / "m.pt")) == []


def test_forward_loops_are_not_load_code(tmp_path: Path) -> None:
    """LSTM / transformer forwards loop over data; they run only when the model is called."""
    for i, module in enumerate(
        [
            nn.LSTM(4, 8, 2, bidirectional=True),
            nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32), 2),
        ]
    ):
        path = tmp_path / f"m{i}.pt"
        torch.jit.save(torch.jit.script(module), str(path))
        report = scan_paths([path])
        assert report.findings == [], report.findings


def test_honest_quantized_setstate_is_clean(tmp_path: Path) -> None:
    """torch.ao quantized modules export ``__setstate__`` (attribute copies and prepack ops)."""
    import torch.ao.quantization as q

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.q, self.dq = q.QuantStub(), q.DeQuantStub()
            self.c, self.r, self.l = nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Linear(4, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.dq(self.l(self.r(self.c(self.q(x))).mean([2, 3])))

    net = Net().eval()
    net.qconfig = q.get_default_qconfig("fbgemm")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prepared = q.prepare(net)
        prepared(torch.randn(2, 3, 8, 8))
        converted = q.convert(prepared)
        dynamic = q.quantize_dynamic(nn.LSTM(8, 16, 2), {nn.LSTM}, dtype=torch.qint8)
    for name, scripted in {
        "script": torch.jit.script(converted),
        "trace": torch.jit.trace(converted, torch.randn(1, 3, 8, 8)),
        "dynamic": torch.jit.script(dynamic),
    }.items():
        path = tmp_path / f"{name}.pt"
        torch.jit.save(scripted, str(path))
        with zipfile.ZipFile(path) as z:
            code = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".py"))
        assert name != "script" or "def __setstate__" in code
        assert scan_paths([path]).findings == [], name


def _lite(module: nn.Module, path: Path, n: int = 3) -> Path:
    """Saved for the lite interpreter, ``code/`` dropped: it runs only ``bytecode.pkl``."""
    module.n = n
    full = path.with_suffix(".full")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.jit.script(module)._save_for_lite_interpreter(str(full))
    with zipfile.ZipFile(full) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            if "/code/" not in info.filename:
                zout.writestr(info, zin.read(info))
    full.unlink()
    return path


@pytest.mark.parametrize("cls", [_While, _Helper, _RangeOfState])
def test_lite_interpreter_setstate_loops_are_high(cls: type, tmp_path: Path) -> None:
    """_load_for_lite_interpreter ran the looping __setstate__ from bytecode.pkl (20 s timeout)."""
    found = _load_findings(_lite(cls(), tmp_path / "m.ptl", n=10**15))
    assert any("__setstate__ loops" in e for e in found), found


class _Copies(_State):
    """(A factory in lite bytecode is not honest-looking: its sizes are not visible there.)"""

    @torch.jit.export
    def __getstate__(self) -> tuple[int, bool, torch.Tensor]:  # type: ignore[override]
        return (self.n, self.training, self.buf)

    @torch.jit.export
    def __setstate__(self, state: tuple[int, bool, torch.Tensor]) -> None:
        self.n, self.training, self.buf = state
        self.items = [1]


def test_lite_interpreter_honest_models_are_clean(tmp_path: Path) -> None:
    """(Bytecode loops are not bounded by their constants here: _Bounded's range(3) in a
    lite-interpreter __setstate__ is flagged, unlike in code/.)"""
    for i, module in enumerate([_Copies(), nn.LSTM(4, 8, 2)]):
        path = tmp_path / f"m{i}.ptl"
        if isinstance(module, _State):
            _lite(module, path)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                torch.jit.script(module)._save_for_lite_interpreter(str(path))
        assert scan_paths([path]).findings == [], i


@torch.jit.script
class _Box:
    def __init__(self, n: int) -> None:
        self.n = n

    def __getitem__(self, k: int) -> int:
        i = 0
        while i < self.n:
            i = i + 1
        return i + k


class _Indexed(_State):
    @torch.jit.export
    def __setstate__(self, state: tuple[int, bool]) -> None:
        self.n, self.training = state
        self.buf, self.items = torch.zeros(1), [1]
        self.n = _Box(self.n)[0]


def test_implicit_dunder_reached_by_syntax_is_load_code(tmp_path: Path) -> None:
    """torch's serializer writes ``(_0).__getitem__(0, )``; a hand-edited archive may write
    ``_0[0]``, which torch.jit.load compiles and runs (hung, 20 s timeout) without the name."""
    path = _save(_Indexed(), tmp_path / "m.pt", n=10**15)
    edited = tmp_path / "edited.pt"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(edited, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith(".py"):
                data = re.sub(rb"\((\w+)\)\.__getitem__\(0, \)", rb"\1[0]", data)
                assert b"__getitem__(0" not in data
            if not info.filename.endswith(".debug_pkl"):
                zout.writestr(info, data)
    why = "a loop (code run at load must be straight-line) in __getitem__"
    assert any(why in e for e in _load_findings(edited))


class _Vec(nn.Module):
    """Session 16 review (fixts): the state is a small tensor and an int; each subclass's
    ``__setstate__`` made something quadratic in it (or sized by the int) with an op no denylist
    named. The real archives (16,384 floats, n = 2**28) took torch.jit.load to 1.2-1.7 GiB."""

    def __init__(self) -> None:
        super().__init__()
        self.t = torch.zeros(8)
        self.n = 8

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    @torch.jit.export
    def __getstate__(self) -> tuple[torch.Tensor, int, bool]:
        return (self.t, self.n, self.training)


class _Sub(_Vec):
    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, int, bool]) -> None:
        a, self.n, self.training = state
        self.t = a.unsqueeze(1) - a.unsqueeze(0)


class _Eq(_Vec):
    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, int, bool]) -> None:
        a, self.n, self.training = state
        self.t = (a.unsqueeze(1) == a.unsqueeze(0)).float()


class _Where(_Vec):
    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, int, bool]) -> None:
        a, self.n, self.training = state
        self.t = torch.where(a.unsqueeze(1) > 0, a.unsqueeze(0), a.unsqueeze(1))


class _Maximum(_Vec):
    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, int, bool]) -> None:
        a, self.n, self.training = state
        self.t = torch.maximum(a.unsqueeze(1), a.unsqueeze(0))


class _Matmul(_Vec):
    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, int, bool]) -> None:
        a, self.n, self.training = state
        self.t = torch.matmul(a.unsqueeze(1), a.unsqueeze(0))


class _Einsum(_Vec):
    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, int, bool]) -> None:
        a, self.n, self.training = state
        self.t = torch.einsum("i,j->ij", a, a)


class _Window(_Vec):
    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, int, bool]) -> None:
        _a, self.n, self.training = state
        self.t = torch.hann_window(self.n)


class _CatLoop(_Vec):
    """A constant trip count, growth per trip: ``range(26)`` doubled 16 floats to 1.7 GiB."""

    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, int, bool]) -> None:
        a, self.n, self.training = state
        self.t = self.grow(a)

    @torch.jit.export
    def grow(self, a: torch.Tensor) -> torch.Tensor:
        for _ in range(3):
            a = torch.cat([a, a])
        return a


_REVIEW = [_Sub, _Eq, _Where, _Maximum, _Matmul, _Einsum, _Window, _CatLoop]


@pytest.mark.parametrize("cls", _REVIEW)
def test_load_code_outside_the_allowlist_is_high(cls: type, tmp_path: Path) -> None:
    """Allocation was a denylist (4ac2116, 430d8b9): these scanned clean. Now every call in
    load-run code must be an op known not to outgrow its inputs, and no loop is allowed."""
    assert _load_findings(_save(cls(), tmp_path / "m.pt")), cls.__name__


@pytest.mark.parametrize("cls", [_Sub, _Eq, _Matmul, _Window])
def test_lite_load_code_outside_the_allowlist_is_high(cls: type, tmp_path: Path) -> None:
    """The same in bytecode.pkl (``aten::sub.Tensor`` broadcasts; ``aten::eq.str`` does not)."""
    found = _load_findings(_lite(cls(), tmp_path / "m.ptl"))
    assert any("not an op known to be bounded" in e for e in found), found


def test_operator_syntax_on_two_tensors_is_high(tmp_path: Path) -> None:
    """torch.jit.load compiles hand-edited code: ``a - b`` broadcasts like ``torch.sub``."""
    path = _save(_Sub(), tmp_path / "m.pt")
    edited = tmp_path / "edited.pt"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(edited, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith(".py"):
                call = b"torch.sub(torch.unsqueeze(a, 1), torch.unsqueeze(a, 0))"
                assert call in data or b"__setstate__" not in data
                data = data.replace(call, b"torch.unsqueeze(a, 1) - torch.unsqueeze(a, 0)")
            if not info.filename.endswith(".debug_pkl"):
                zout.writestr(info, data)
    found = _load_findings(edited)
    assert any("an operator on two values read at load" in e for e in found), found


def test_tensor_index_read_at_load_is_high() -> None:
    """``a[i[:, None], i[None, :]]`` compiles to aten::index: a gather broadcast over two
    archive tensors (quadratic), written with no call at all."""
    import ast

    from airlock.scan.torchscript_load import load_run_problems

    code = (
        "def __setstate__(self, state: Tuple[Tensor, Tensor]) -> None:\n"
        "    a, i, = state\n"
        "    self.t = a[i[:, None], i[None, :]]\n"
        "    self.u = a[0, 1:4]\n"
    )
    found = load_run_problems([("m.py", ast.parse(code))])
    assert [why for _, line, why in found if "an index read at load" in why and line == 3], found
    assert not [why for _, line, why in found if line == 4], found


@pytest.mark.parametrize(
    "call",
    [
        "torch.add(torch.unsqueeze(a, 1), alpha=1, other=torch.unsqueeze(a, 0))",
        'torch.div(torch.unsqueeze(a, 1), rounding_mode="floor", other=torch.unsqueeze(a, 0))',
        "torch.sub(input=torch.unsqueeze(a, 1), other=torch.unsqueeze(a, 0), alpha=2)",
    ],
)
def test_keyword_operands_of_scalar_side_ops_are_high(call: str) -> None:
    """review16b: a constant keyword (``alpha=1``) written before ``other=`` passed for the
    constant side; torch.jit.load broadcast the two tensors (16384^2 floats: 1.2 GiB)."""
    import ast

    from airlock.scan.torchscript_load import load_run_problems

    code = (
        "def __setstate__(self, state: Tuple[Tensor, bool]) -> None:\n"
        "    a = state[0]\n"
        f"    self.t = {call}\n"
        "    self.u = torch.add(a, 1, alpha=2)\n"
    )
    found = load_run_problems([("m.py", ast.parse(code))])
    assert [why for _, line, why in found if line == 3 and "not an op known" in why], found
    assert not [why for _, line, why in found if line == 4], found


class _Expanded(nn.Module):
    """A buffer saved as a stride-0 view: 4 bytes of storage, 2^20 elements."""

    def __init__(self) -> None:
        super().__init__()
        self.t = torch.zeros(1).expand(1 << 20)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class _CloneExpanded(_Expanded):
    @torch.jit.export
    def __getstate__(self) -> tuple[torch.Tensor, bool]:
        return (self.t, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, bool]) -> None:
        self.t = torch.clone(state[0])
        self.training = state[1]


@pytest.mark.parametrize("lite", [False, True])
def test_view_larger_than_its_storage_copied_at_load_is_high(lite: bool, tmp_path: Path) -> None:
    """review16b: ``torch.clone`` / ``zeros_like`` are 'same size', but the input was a stride-0
    view in data.pkl (2.5 KB archive, 2^28 elements: 1.2 GiB at torch.jit.load)."""
    module = _CloneExpanded()
    path = _lite(module, tmp_path / "m.ptl") if lite else _save(module, tmp_path / "m.pt")
    found = _load_findings(path)
    assert any("over storage" in e and "copied by code run at load" in e for e in found), found


def test_view_larger_than_its_storage_without_load_code_is_not_load_code(tmp_path: Path) -> None:
    path = tmp_path / "m.pt"
    torch.jit.save(torch.jit.script(_Expanded()), str(path))
    assert _load_findings(path) == []


def test_constant_factory_run_per_object_is_small() -> None:
    """review16b: a constant factory runs once per object data.pkl rebuilds; 2^20 float64 in
    the __setstate__ of 200 submodules (a 58 KB archive) took 1.8 GiB at torch.jit.load."""
    import ast

    from airlock.scan.torchscript_load import load_run_problems

    code = (
        "def __setstate__(self, state: Tuple[Tensor, bool]) -> None:\n"
        "    self.t = torch.zeros([1048576], dtype=7)\n"
        "    self.u = torch.zeros([4], dtype=7)\n"
    )
    found = load_run_problems([("m.py", ast.parse(code))])
    assert [why for _, line, why in found if line == 2 and "torch.zeros()" in why], found
    assert not [why for _, line, why in found if line == 3], found


class _DequantizeExpanded(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.t = torch.quantize_per_tensor(torch.zeros(1), 0.1, 0, torch.qint8).expand(1 << 20)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    @torch.jit.export
    def __getstate__(self) -> tuple[torch.Tensor, bool]:
        return (self.t, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, bool]) -> None:
        self.t = torch.dequantize(state[0])
        self.training = state[1]


def test_quantized_view_larger_than_its_storage_is_high(tmp_path: Path) -> None:
    """review16b: the same through ``_rebuild_qtensor`` (a stride-0 qint8 view of 2^28
    elements, dequantized at load: 1.5 GiB in torch.jit.load from 2.6 KB)."""
    found = _load_findings(_save(_DequantizeExpanded(), tmp_path / "m.pt"))
    assert any("over storage" in e for e in found), found


class _CloneSub(nn.Module):
    """A submodule whose ``__setstate__`` copies the tensor its state holds."""

    def __init__(self, w: torch.Tensor) -> None:
        super().__init__()
        self.w = w

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.w[0]

    @torch.jit.export
    def __getstate__(self) -> tuple[torch.Tensor, bool]:
        return (self.w, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, bool]) -> None:
        self.w = torch.clone(state[0])
        self.training = state[1]


class _ManySubs(nn.Module):
    def __init__(self, weights: list[torch.Tensor]) -> None:
        super().__init__()
        self.subs = nn.ModuleList([_CloneSub(w) for w in weights])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for m in self.subs:
            x = m(x)
        return x


@pytest.fixture
def no_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The load-cost budget without its fixed floor (64 MiB), so small fixtures show the rule."""
    from airlock.scan import load_cost

    monkeypatch.setattr(load_cost, "FLOOR_BYTES", 0)


def _scripted(module: nn.Module, path: Path) -> Path:
    torch.jit.save(torch.jit.script(module), str(path))
    return path


def test_load_code_run_per_object_on_one_shared_tensor_is_high(
    no_floor: None, tmp_path: Path
) -> None:
    """rt18ts: 300 submodules whose ``__setstate__`` clones ONE shared 4 MiB tensor (memoized
    once in data.pkl): 1.4 GiB at torch.jit.load from a 4.2 MB archive, ALLOW before. Here 40
    objects share 64 KiB; the same objects each with its own tensor stay clean."""
    shared = torch.zeros(1 << 14)
    path = _scripted(_ManySubs([shared] * 40), tmp_path / "shared.pt")
    found = _load_findings(path)
    assert any("object(s) rebuilt at load" in e and "_CloneSub" in e for e in found), found
    own = _scripted(_ManySubs([torch.zeros(1 << 14) for _ in range(40)]), tmp_path / "own.pt")
    assert _load_findings(own) == []


class _Widen(nn.Module):
    """One object, many widening copies of its state (``bool`` -> ``float64`` is 8x)."""

    def __init__(self) -> None:
        super().__init__()
        self.w = torch.zeros(1 << 16, dtype=torch.bool)
        self.a = torch.zeros(1)
        self.b = torch.zeros(1)
        self.c = torch.zeros(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    @torch.jit.export
    def __getstate__(self) -> tuple[torch.Tensor, bool]:
        return (self.w, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, bool]) -> None:
        self.a = state[0].to(torch.float64)
        self.b = state[0].to(torch.float64)
        self.c = state[0].to(torch.float64)
        self.w, self.training = state


def test_copies_per_statement_add_up_in_one_object(no_floor: None, tmp_path: Path) -> None:
    """rt18ts: 20 statements ``state[0].to(torch.float64)`` over an 8 MiB bool tensor (each on
    the per-statement allowlist) took 1.5 GiB at torch.jit.load, ALLOW before."""
    found = _load_findings(_scripted(_Widen(), tmp_path / "m.pt"))
    assert any("_Widen copying a 65,536-byte state" in e for e in found), found


def test_setstate_costs_count_calls_through_own_methods() -> None:
    import ast

    from airlock.scan.torchscript_load import setstate_costs

    code = (
        "class A(Module):\n"
        "  def __setstate__(self, state: Tuple[Tensor, bool]) -> None:\n"
        "    self.t = self.helper(state[0])\n"
        "    self.training = state[1]\n"
        "  def helper(self, x: Tensor) -> Tensor:\n"
        "    return torch.clone(torch.clone(x))\n"
        "class B(Module):\n"
        "  def __setstate__(self, state: Tuple[Tensor, bool]) -> None:\n"
        "    self.t, self.training = state\n"
        "class C(Module):\n"
        "  def __setstate__(self, state: Tensor) -> None:\n"
        "    self.t = self.again(state)\n"
        "  def again(self, x: Tensor) -> Tensor:\n"
        "    return self.again(x)\n"
        "class D(Module):\n"
        "  def __setstate__(self, state: Tensor) -> None:\n"
        "    self.t = self.read()\n"
        "  def read(self) -> Tensor:\n"
        "    return torch.clone(CONSTANTS.c0)\n"
    )
    costs = setstate_costs([("m/code/__torch__/p.py", ast.parse(code))])
    assert costs["__torch__.p.A"] == (2.0, False)
    assert costs["__torch__.p.B"] == (0.0, False)
    assert costs["__torch__.p.C"] == (float("inf"), False)
    assert costs[""] == (float("inf"), True)  # an object of a class not found under its name
    assert costs["__torch__.p.D"] == (1.0, True)


class _StrSub(nn.Module):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.s = text

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    @torch.jit.export
    def __getstate__(self) -> tuple[str, bool]:
        return (self.s, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[str, bool]) -> None:
        self.s = state[0] + "x"
        self.training = state[1]


class _ManyStr(nn.Module):
    def __init__(self, n: int, text: str) -> None:
        super().__init__()
        self.subs = nn.ModuleList([_StrSub(text) for _ in range(n)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


def test_string_state_copied_per_object_counts(no_floor: None, tmp_path: Path) -> None:
    """rt18ts: ``state[0] + "x"`` over ONE memoized 4 MiB string in 300 objects' states took
    1.4 GiB at torch.jit.load (4.2 MB archive), ALLOW before: a state's strings count too."""
    found = _load_findings(_scripted(_ManyStr(40, "a" * 65536), tmp_path / "m.pt"))
    assert any("_StrSub copying a 65,5" in e for e in found), found


class _ConstAdd(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + _BIG


_BIG = torch.zeros(1 << 14)


class _ConstHolder(nn.Module):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.subs = nn.ModuleList([_CloneSub(torch.zeros(1)) for _ in range(n)])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.t = torch.jit.trace(_ConstAdd(), torch.zeros(1 << 14))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.t(x)


def test_constants_copied_per_object_count(no_floor: None, tmp_path: Path) -> None:
    """rt18ts: 300 ``__setstate__`` each ``torch.clone(CONSTANTS.c0)`` (a 4 MiB tensor of
    constants.pkl, outside every state): 1.4 GiB at torch.jit.load, ALLOW before. The
    fixture's code is edited as an attacker would (torch compiles it from the text)."""
    src = _scripted(_ConstHolder(40), tmp_path / "src.pt")
    path = tmp_path / "m.pt"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name.endswith(".py") and b"def __setstate__" in data:
                data = re.sub(
                    rb"torch\.clone\(\(?state\)?\[0\]\)", b"torch.clone(CONSTANTS.c0)", data
                )
                assert b"CONSTANTS.c0)" in data
            zout.writestr(name, data)
    found = _load_findings(path)
    assert any("_CloneSub copying" in e for e in found), found
    assert _load_findings(src) == []


class _ListStr(nn.Module):
    """One object whose ``__setstate__`` splits its string state into characters."""

    def __init__(self, s: str) -> None:
        super().__init__()
        self.s = s
        self.n = 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.n

    @torch.jit.export
    def __getstate__(self) -> tuple[str, bool]:
        return (self.s, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[str, bool]) -> None:
        self.s = state[0]
        self.training = state[1]
        self.n = len(list(state[0]))


def test_list_of_a_string_state_counts_per_character(no_floor: None, tmp_path: Path) -> None:
    """rt18b2: ``len(list(state[0]))`` over a 20 MB string made 20M one-character strings,
    1.8 GiB resident at torch.jit.load from a 20 MB archive, ALLOW before (``list`` was counted
    as one copy of the bytes). A 64 KiB string here: the bound's 2x the archive is exceeded."""
    found = _load_findings(_scripted(_ListStr("a" * 65536), tmp_path / "m.pt"))
    assert any("_ListStr copying a 65,5" in e for e in found), found
