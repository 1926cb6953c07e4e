"""Red team rt11 (f9, f3, f8, f1): strings of a ``torch.export`` program that the loader turns
into Python, and AOTInductor packages the loader compiles.

* f9: a graph input name is pasted into ``def forward(self, <name>)`` when torch.export.load
  builds the GraphModule (``x = __import__('os').system(...)`` runs as a default argument);
* f3: a SymInt ``expr_str`` goes to ``sympy.sympify`` (``eval``) during load;
* f8: a ``torch.cond`` subgraph name is written ``getattr(self, "<name>")`` into forward and runs
  on the first call; likewise ``guards_code`` lines, ``forward_arg_names``, keyword names of
  the root ``in_spec`` and string graph inputs are pasted into code by ``ep.module()``;
* f1: an AOTInductor package with C++ sources and ``*_compile_flags.json`` and no ``.so``: the
  loader runs the compiler command the JSON describes (``system()``).

All AIR-PT-006 / AIR-PT-007, critical. Honest exports stay clean: checked (2026-12-06, torch
2.13.0+cpu, sympy 1.14.0) on plain exports with keyword inputs, ``Dim`` dynamic shapes, derived
dims (``b + 1``, ``2 * h``), ``torch.cond``, ``map``, unbacked symbols from ``.item()`` and
``nonzero()`` (tests below), the red team's honest saves (/tmp/rt11/fp: export_cond, _decomp,
_dyn, _lin, _map, _symexpr) and the srepr of 52 expressions over every function torch's
deserializer lists (``test_srepr_of_torch_functions_is_accepted``).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_paths
from airlock.scan.pt2_program import expr_problem, guard_problem
from airlock.scan.result import ScanReport

torch = pytest.importorskip("torch")
nn = torch.nn
Dim = torch.export.Dim


def assert_clean(report: ScanReport) -> None:
    assert report.findings == [], [(f.rule_id, f.member, f.evidence) for f in report.findings]
    assert report.not_scanned == [], [(o.location, o.member, o.reason) for o in report.not_scanned]


def critical(report: ScanReport, rule: str) -> bool:
    return any(f.rule_id == rule and f.severity == Severity.CRITICAL for f in report.findings)


class _Plain(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Sequential(nn.Linear(4, 4))
        self.register_buffer("b", torch.ones(4))

    def forward(self, x: torch.Tensor, *, y: torch.Tensor) -> torch.Tensor:
        return self.lin(x) + self.b + y


class _Derived(nn.Module):
    def forward(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, int]:
        return x[1:] + y, x.shape[0] // 2


class _Cond(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cond(x.sum() > 0, lambda v: v.sin(), lambda v: v.cos(), (x,))


class _Map(nn.Module):
    def forward(self, xs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        from torch._higher_order_ops.map import map as tmap

        return tmap(lambda x, y: x + y, xs, y)  # type: ignore[no-any-return]


class _Unbacked(nn.Module):
    def forward(self, x: torch.Tensor, n: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        k = n.item()
        torch._check(k >= 0)
        torch._check(k <= 4)
        return x.nonzero(), torch.zeros(k)


class _Mod(nn.Module):
    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, int]:
        return x.reshape(-1, 2), x.shape[0] % 3


HONEST = ["plain", "dyn", "derived", "cond", "map", "unbacked", "mod"]


@pytest.fixture(scope="module")
def pt2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("pt2codegen")
    torch.manual_seed(0)
    x4, b = torch.randn(3, 4), Dim("b", min=2, max=64)
    eps = {
        "plain": torch.export.export(_Plain(), (torch.randn(2, 4),), {"y": torch.randn(2, 4)}),
        "dyn": torch.export.export(
            _Plain(), (x4,), {"y": x4}, dynamic_shapes={"x": {0: Dim("n")}, "y": {0: Dim("n")}}
        ),
        "derived": torch.export.export(
            _Derived(),
            (torch.randn(5, 3), torch.randn(4, 3)),
            dynamic_shapes={"x": {0: b + 1}, "y": {0: b}},
        ),
        "cond": torch.export.export(
            _Cond(), (torch.randn(3, 2),), dynamic_shapes={"x": {0: Dim("n")}}
        ),
        "map": torch.export.export(
            _Map(),
            (torch.randn(3, 2), torch.randn(2)),
            dynamic_shapes={"xs": {0: Dim("n")}, "y": None},
        ),
        "unbacked": torch.export.export(_Unbacked(), (torch.randn(4), torch.tensor(3))),
        "mod": torch.export.export(
            _Mod(), (torch.randn(6, 4),), dynamic_shapes={"x": {0: 2 * Dim("h", min=1, max=50)}}
        ),
    }
    for name, ep in eps.items():
        torch.export.save(ep, str(d / f"{name}.pt2"))
    return d


def _program(src: Path) -> tuple[str, str]:
    with zipfile.ZipFile(src) as z:
        name = next(n for n in z.namelist() if n.endswith("models/model.json"))
        return name, z.read(name).decode()


def _edit(src: Path, dst: Path, change: Callable[[str], str]) -> Path:
    """``src`` with its program text changed (the red team edited model.json in place)."""
    name, text = _program(src)
    new = change(text)
    assert new != text
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, new.encode() if info.filename == name else zin.read(info))
    dst.write_bytes(out.getvalue())
    return dst


def _edit_doc(src: Path, dst: Path, change: Callable[[dict[str, object]], None]) -> Path:
    def apply(text: str) -> str:
        doc = json.loads(text)
        change(doc)
        return json.dumps(doc)

    return _edit(src, dst, apply)


@pytest.mark.parametrize("name", HONEST)
def test_honest_exports_are_clean(pt2: Path, name: str) -> None:
    assert_clean(scan_paths([pt2 / f"{name}.pt2"]))


def test_honest_exports_use_what_the_checks_accept(pt2: Path) -> None:
    """The fixtures reach the paths the checks cover: srepr expressions with functions,
    relations and unbacked symbols, guards, subgraphs and keyword inputs."""
    texts = "".join(_program(pt2 / f"{n}.pt2")[1] for n in HONEST)
    for needle in ("FloorDiv(", "Mod(", "LessThan(", "Symbol('u0'", "true_graph_0",
                   "body_graph_0", "guards_code\": [\"", "forward_arg_names"):  # fmt: skip
        assert needle in texts, needle


def test_placeholder_name_with_code_is_denied(pt2: Path, tmp_path: Path) -> None:
    """f9: the red team's rewrite: graph input ``x`` renamed to Python source."""
    evil = "x = __import__('os').system('touch /nonexistent/f9')"

    def change(text: str) -> str:
        return text.replace('{"name": "x"}', json.dumps({"name": evil})).replace(
            '"tensor_values": {"x":', '"tensor_values": {' + json.dumps(evil) + ":"
        )

    report = scan_paths([_edit(pt2 / "cond.pt2", tmp_path / "m.pt2", change)])
    assert critical(report, "AIR-PT-006"), report.findings


def test_placeholder_name_really_becomes_code(pt2: Path, tmp_path: Path) -> None:
    """The vector is real: torch.export.load evaluates the name as a default argument (here
    writing a marker under tmp_path)."""
    marker = tmp_path / "marker"
    evil = f"x = open({str(marker)!r}, 'w').close()"

    def change(text: str) -> str:
        return text.replace('{"name": "x"}', json.dumps({"name": evil})).replace(
            '"tensor_values": {"x":', '"tensor_values": {' + json.dumps(evil) + ":"
        )

    path = _edit(pt2 / "cond.pt2", tmp_path / "m.pt2", change)
    assert critical(scan_paths([path]), "AIR-PT-006")
    try:
        torch.export.load(str(path))
    except Exception:  # only whether the name ran matters
        pass
    assert marker.exists()


def test_expr_str_with_code_is_denied(pt2: Path, tmp_path: Path) -> None:
    """f3: ``(<payload> and 0) + Symbol(...)`` goes to sympy.sympify."""
    payload = "__import__('os').system('touch /nonexistent/f3')"

    def change(text: str) -> str:
        return text.replace('"expr_str": "Symbol(', f'"expr_str": "({payload} and 0) + Symbol(', 1)

    report = scan_paths([_edit(pt2 / "dyn.pt2", tmp_path / "m.pt2", change)])
    assert critical(report, "AIR-PT-006"), report.findings


def test_cond_subgraph_name_with_code_is_denied(pt2: Path, tmp_path: Path) -> None:
    """f8: the subgraph name closes getattr(self, "...") and adds a line to forward."""
    evil = 'false_graph_0")\ngetattr(__import__("os"), "system")("touch /nonexistent/f8")\n_ = ("'

    def change(text: str) -> str:
        return text.replace('"true_graph_0"', json.dumps(evil))

    report = scan_paths([_edit(pt2 / "cond.pt2", tmp_path / "m.pt2", change)])
    assert critical(report, "AIR-PT-006"), report.findings


def _first_node(doc: dict[str, object]) -> dict[str, object]:
    return doc["graph_module"]["graph"]["nodes"][0]  # type: ignore[index,no-any-return]


def _guards(doc: dict[str, object]) -> None:
    doc["guards_code"] = ["__import__('os').system('touch /nonexistent/g') or True"]


def _guard_quote(doc: dict[str, object]) -> None:
    doc["guards_code"] = ["L['x\"); import os; (\"'].size()[0] == 3"]


def _forward_arg_names(doc: dict[str, object]) -> None:
    sig = doc["graph_module"]["module_call_graph"][0]["signature"]  # type: ignore[index]
    sig["forward_arg_names"] = ["x", "y=__import__('os').getcwd()"]


def _in_spec_key(doc: dict[str, object]) -> None:
    sig = doc["graph_module"]["module_call_graph"][0]["signature"]  # type: ignore[index]
    sig["in_spec"] = sig["in_spec"].replace('[\\"y\\"]', '[\\"y=print()\\"]')


def _node_name(doc: dict[str, object]) -> None:
    _first_node(doc)["name"] = "a; import os"


def _output_name(doc: dict[str, object]) -> None:
    node = _first_node(doc)
    node["outputs"][0]["as_tensor"]["name"] = "linear\nimport os"  # type: ignore[index]


def _buffer_path(doc: dict[str, object]) -> None:
    for spec in doc["graph_module"]["signature"]["input_specs"]:  # type: ignore[index]
        if "buffer" in spec:
            spec["buffer"]["buffer_name"] = 'b")\nimport os\n("'


def _string_input(doc: dict[str, object]) -> None:
    doc["graph_module"]["graph"]["inputs"].append({"as_string": "a' + __import__('os').name + '"})  # type: ignore[index]


def _int_input(doc: dict[str, object]) -> None:
    doc["graph_module"]["graph"]["inputs"].append({"as_int": "0 or __import__('os')"})  # type: ignore[index]


def _range_bound(doc: dict[str, object]) -> None:
    doc["range_constraints"] = {"s0": {"min_val": "2) or print(", "max_val": None}}


def _hop_kwarg(doc: dict[str, object]) -> None:
    _first_node(doc)["inputs"].append(  # type: ignore[attr-defined]
        {"name": "k=print()", "arg": {"as_int": 1}, "kind": 2}
    )


@pytest.mark.parametrize(
    "change",
    [_guards, _guard_quote, _forward_arg_names, _in_spec_key, _node_name, _output_name,
     _buffer_path, _string_input, _int_input, _range_bound, _hop_kwarg],
)  # fmt: skip
def test_other_strings_pasted_into_code_are_denied(
    pt2: Path, tmp_path: Path, change: Callable[[dict[str, object]], None]
) -> None:
    report = scan_paths([_edit_doc(pt2 / "dyn.pt2", tmp_path / "m.pt2", change)])
    assert critical(report, "AIR-PT-006"), report.findings


def test_operator_arguments_are_judged(pt2: Path, tmp_path: Path) -> None:
    """``as_operator`` arguments are resolved like node targets."""

    def change(doc: dict[str, object]) -> None:
        _first_node(doc)["inputs"].append(  # type: ignore[attr-defined]
            {"name": "fn", "arg": {"as_operator": "torch.load"}, "kind": 1}
        )

    report = scan_paths([_edit_doc(pt2 / "dyn.pt2", tmp_path / "m.pt2", change)])
    assert any(f.rule_id == "AIR-PT-003" and "torch.load" in f.evidence for f in report.findings)


def test_srepr_of_torch_functions_is_accepted() -> None:
    sympy = pytest.importorskip("sympy")
    from torch._export.serde.serialize import _print_sympy
    from torch.utils._sympy import functions as fn
    from torch.utils._sympy.numbers import int_oo

    s0 = sympy.Symbol("s0", positive=True, integer=True)
    s1 = sympy.Symbol("s77", positive=True, integer=True)
    u0 = sympy.Symbol("u0", integer=True)
    f0 = sympy.Symbol("zf0", real=True)
    exprs = [
        s0, u0, 2 * s0 + 1, s0 * s1, s0**2, -s0, s0 - 1, sympy.Rational(1, 2) * s0,
        fn.FloorDiv(s0, 2), fn.Mod(s0, 3), fn.PythonMod(u0, 3), fn.CeilDiv(s0, 4),
        fn.CleanDiv(2 * s0, 2), fn.ModularIndexing(s0, 1, 4), sympy.Max(s0, 3),
        sympy.Min(u0, s0), fn.Max(s0, u0), fn.Min(s0, 5), fn.CeilToInt(f0), fn.FloorToInt(f0),
        fn.TruncToInt(f0), fn.RoundToInt(f0), fn.ToFloat(s0), fn.TruncToFloat(f0),
        fn.FloatTrueDiv(fn.ToFloat(s0), sympy.Float(2.5)), fn.IntTrueDiv(s0, 3),
        fn.PowByNatural(s0, 2), fn.FloatPow(f0, sympy.Float(0.5)), fn.LShift(s0, 1),
        fn.RShift(s0, 1), fn.Where(sympy.Gt(s0, 2), s0, 2), fn.Identity(s0),
        fn.RoundDecimal(f0, 2), fn.IsNonOverlappingAndDenseIndicator(s0, 1, 1, s0),
        sympy.Eq(s0, 4), sympy.Ne(s0, 4), sympy.Lt(s0, s1), sympy.Le(u0, 4), sympy.Ge(u0, 0),
        sympy.And(sympy.Gt(s0, 1), sympy.Lt(s0, 9)), sympy.Or(sympy.Eq(u0, 0), sympy.Eq(u0, 1)),
        sympy.Not(sympy.Eq(u0, 0)), sympy.Eq(fn.Mod(s0, 2), 0), sympy.true, sympy.false,
        int_oo, -int_oo, sympy.Float(1.5), sympy.oo, fn.make_opaque_unary_fn("sqrt")(f0),
    ]  # fmt: skip
    problems = [(_print_sympy(e), expr_problem(_print_sympy(e))) for e in exprs]
    assert [p for p in problems if p[1] is not None] == []


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('x')",
        "Symbol('s0').__class__",
        "Symbol('s0', integer=__import__('os'))",
        "Symbol(\"s0'); import os; ('\")",
        "Integer('1')",
        "Add(lambda: 1, Integer(1))",
        "Symbol('s0')[0]",
        "eval('1')",
        "Function('f')(Symbol('s0'))",
        "Mul(Integer(2), Symbol('s0'), evaluate=False)",
        "Integer(1) if 1 else 2",
        "sympify('1')",
        "[Integer(1)]",
        "Integer(1); Integer(2)",
        "Symbol('s0', **{'integer': True})",
    ],
)
def test_expr_grammar_refuses(text: str) -> None:
    assert expr_problem(text) is not None


def test_guard_grammar() -> None:
    for honest in (
        "L['x'].size()[0] == L['y'].size()[0]",
        "((-1) + L['x'].size()[0]) == L['y'].size()[0]",
        "L['x'].size()[0] % 2 == 0 and 2 <= L['x'].size()[0]",
        "L['args'][0].stride()[1] == 1",
        "math.floor(L['x'].size()[0] / 2) <= 8",
        "max(2, L['x'].size()[0]) == torch.sym_float(L['n'])",
        "not (L['x'].size()[0] == 1) or math.inf > L['x'].size()[1] * L['x'].size()[1]",
        "(1 << (L['x'].size()[0])) != -math.inf and round(math.cos(L['y'].size()[0]), 2) < 1",
        "(L['x'].size()[0] if L['n'] else 2) == torch._sym_sqrt(L['x'].storage_offset())",
        "IsNonOverlappingAndDenseIndicator(L['x'].size()[0], 1, L['x'].stride()[0], 1) == 1",
    ):
        assert guard_problem(honest) is None, honest
    for evil in (
        "__import__('os')",
        "L['x'].size()[0] == 3, print(1)",
        "L.__class__",
        "L['x'].size(__import__('os'))[0] == 1",
        "getattr(L, 'x')",
        "L['a\"b'].size()[0] == 1",
        "(lambda: 1)()",
        "L['x'].size()[0] == 1\nimport os",
        "os.system('x')",
        "math.__loader__.load_module('os')",
        "torch.load('x')",
        "L['x'].size()[0] == 'a'",
        "L.__class__['x'].size()[0] == 1",
        "L['x'].__dict__.size()[0] == 1",
    ):
        assert guard_problem(evil) is not None, evil


def _aoti(files: dict[str, bytes], root: str = "model/") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(root + name, data)
    return out.getvalue()


_FLAGS = json.dumps({"compiler": "touch /nonexistent/f1 #", "cflags": []}).encode()
_BASE = "data/aotinductor/model/"


@pytest.mark.parametrize("with_format", [True, False])
def test_aoti_package_that_compiles_is_denied(tmp_path: Path, with_format: bool) -> None:
    """f1: sources, flag files and no shared library (with and without archive_format)."""
    files = {
        _BASE + "cabc.wrapper.cpp": b"// generated by AOTInductor\n",
        _BASE + "cabc.wrapper_compile_flags.json": _FLAGS,
        _BASE + "cabc.wrapper_linker_flags.json": _FLAGS,
        _BASE + "cabc.wrapper_metadata.json": b'{"AOTI_DEVICE_KEY": "cpu"}',
    }
    if with_format:
        files |= {"archive_format": b"pt2", "archive_version": b"0", ".data/version": b"1"}
    path = tmp_path / "m.pt2"
    path.write_bytes(_aoti(files))
    report = scan_paths([path])
    hits = {f.evidence for f in report.findings if f.rule_id == "AIR-PT-007"}
    assert len(hits) == 3 and critical(report, "AIR-PT-007"), report.findings


def test_aoti_flags_alone_are_denied(tmp_path: Path) -> None:
    files = {"archive_format": b"pt2", _BASE + "x_compile_flags.json": _FLAGS}
    path = tmp_path / "m.pt2"
    path.write_bytes(_aoti(files))
    assert critical(scan_paths([path]), "AIR-PT-007")


def test_aoti_sources_beside_a_library_are_not_compiled(tmp_path: Path) -> None:
    """A packaged ``.so`` is what the loader opens (its sources ride along): judged as a native
    executable (AIR-CFG-013, high), not as a build."""
    elf = b"\x7fELF\x02\x01\x01" + bytes(57)
    files = {
        "archive_format": b"pt2",
        _BASE + "cabc.wrapper.cpp": b"// generated by AOTInductor\n",
        _BASE + "cabc.wrapper.so": elf,
    }
    path = tmp_path / "m.pt2"
    path.write_bytes(_aoti(files))
    report = scan_paths([path])
    assert not any(f.rule_id == "AIR-PT-007" for f in report.findings)
    assert any(f.rule_id == "AIR-CFG-013" for f in report.findings), report.findings
