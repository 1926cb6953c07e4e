"""Session 18 (fixtscall, review19): TorchScript call fan-out at load. A ``__setstate__`` calling
f0, where each of f0..f{L-1} calls the next twice (no loop, no op, no allocation), makes 2^L
calls inside torch.jit.load (L=23: 9 s; L=40 scanned clean). One run of load code is counted
(callees first, memoised) and bounded per object; recursion fails closed. The fixtures are
scripted here at a small L: they are flagged by the count, never by time."""

from __future__ import annotations

import ast
import importlib.util
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from airlock.scan import torchscript_load as tl
from airlock.scan.engine import scan_paths

torch = pytest.importorskip("torch")


def _fanout_source(levels: int, name: str) -> str:
    src = [
        "import torch",
        "class M(torch.nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
        "        self.w = torch.zeros(1)",
        "    def forward(self, x):",
        "        return x + self.w",
        "    @torch.jit.export",
        "    def __getstate__(self):",
        "        return (self.w, self.training)",
        "    @torch.jit.export",
        "    def __setstate__(self, state: tuple[torch.Tensor, bool]):",
        "        self.w = state[0]",
        "        self.training = state[1]",
        "        self.f0(1)",
    ]
    for i in range(levels):
        if i < levels - 1:
            body = [f"        a = self.f{i + 1}(n)", f"        b = self.f{i + 1}(n)"]
        else:
            body = []
        src += [f"    def f{i}(self, n: int) -> int:", *body, "        return n"]
    return "\n".join(src) + "\n"


def _fanout_archive(levels: int, tmp_path: Path, subs: int = 0) -> Path:
    """The reviewer's archive (review19 ts_calls.py): scripted from a module file, as
    torch.jit.script needs the source; ``subs``: a root holding that many such objects."""
    name = f"fixtscall_fanout_{levels}_{subs}"
    path = tmp_path / f"{name}.py"
    text = _fanout_source(levels, name)
    if subs:
        text += (
            "class Root(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            f"        self.subs = torch.nn.ModuleList([M() for _ in range({subs})])\n"
            "    def forward(self, x):\n        return x\n"
        )
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    try:
        spec.loader.exec_module(mod)
        out = tmp_path / f"{name}.pt"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.jit.save(torch.jit.script(mod.Root() if subs else mod.M()), str(out))
    finally:
        del sys.modules[name]
    return out


def _ts005(path: Path) -> list[str]:
    return [f.evidence for f in scan_paths([path]).findings if f.rule_id == "AIR-TS-005"]


def test_call_fanout_at_load_is_counted(tmp_path: Path) -> None:
    levels = 13  # 2^13 = 8,192 calls per object: past the bound, quick for any loader
    assert 2**levels > tl.MAX_LOAD_CALLS
    found = _ts005(_fanout_archive(levels, tmp_path))
    assert any("8,192 calls" in e and "__setstate__" in e for e in found), found


def test_call_fanout_below_the_bound_is_clean(tmp_path: Path) -> None:
    levels = 8  # 256 calls: the same code shape, counted and within the bound
    assert 2**levels < tl.MAX_LOAD_CALLS
    assert _ts005(_fanout_archive(levels, tmp_path)) == []


def _rewrite_code(path: Path, old: str, new: str, out: Path) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if "/code/" in info.filename and info.filename.endswith(".py"):
                text = data.decode()
                assert old in text
                data = text.replace(old, new).encode()
            dst.writestr(info, data)
    return out


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    return n\n", "    _0 = (self).f0(n, )\n    return n\n"),  # f2 (last) calls f0
        ("    _0 = (self).f0(1, )\n", "    _0 = (self).__setstate__(state, )\n"),  # direct
    ],
)
def test_recursion_in_load_code_fails_closed(tmp_path: Path, old: str, new: str) -> None:
    base = _fanout_archive(3, tmp_path)
    assert _ts005(base) == []
    text = ""
    with zipfile.ZipFile(base) as z:
        text = next(z.read(n).decode() for n in z.namelist() if n.endswith(".py"))
    if old == "    return n\n":  # only the last function's return: make it the unique match
        last = text.rindex("    return n\n")
        text_new = text[:last] + new + text[last + len(old) :]
        old, new = text, text_new
    bad = _rewrite_code(base, old, new, tmp_path / "rec.pt")
    assert any("recursion" in e for e in _ts005(bad)), _ts005(bad)


def test_callee_held_by_a_local_fails_closed(tmp_path: Path) -> None:
    """``f13 = self.f0`` then ``f13(1)``: torch.jit.load calls f0 (2^14 calls, 2.7 s at L=21
    in the oracle), while the name says the empty f13; a local callee is not counted."""
    base = _fanout_archive(3, tmp_path)
    old = "    _0 = (self).f0(1, )\n"
    bad = _rewrite_code(base, old, "    f2 = self.f0\n    _0 = f2(1, )\n", tmp_path / "al.pt")
    assert any("a call of the local f2" in e for e in _ts005(bad)), _ts005(bad)


def _problems(code: str) -> list[str]:
    return [why for _, _, why in tl.load_run_problems([("a/code/__torch__/m.py", ast.parse(code))])]


def _chain(levels: int, call: str) -> str:
    lines = []
    for i in range(levels):
        nxt = f"    _a = {call.format(i + 1)}\n    _b = {call.format(i + 1)}\n"
        nxt = nxt if i < levels - 1 else ""
        lines.append(f"def f{i}(n: int) -> int:\n{nxt}    return n\n")
    return "".join(lines)


def test_fanout_through_functions_constructors_and_operators() -> None:
    funcs = _chain(14, "__torch__.m.f{}(n)")
    assert any(
        "calls (more than" in w
        for w in _problems(
            funcs + "class M(Module):\n  def __setstate__(self, s: int) -> None:\n"
            "    _0 = __torch__.m.f0(1)\n    return None\n"
        )
    )
    # ``C(...)`` runs C.__init__; ``x[0]`` may run an archive's __getitem__
    cls = (
        "class C(object):\n  def __init__(self, n: int) -> None:\n    _0 = __torch__.m.f0(n)\n"
        "    return None\n  def __getitem__(self, i: int) -> int:\n"
        "    return __torch__.m.f0(i)\n"
    )
    ctor = "class M(Module):\n  def __setstate__(self, s: int) -> None:\n    _0 = C(1)\n"
    index = "class M(Module):\n  def __setstate__(self, s: List[int]) -> None:\n    _0 = s[0]\n"
    for tail in (ctor, index):
        assert any("calls (more than" in w for w in _problems(funcs + cls + tail)), tail
    few = _chain(4, "__torch__.m.f{}(n)")
    assert not any("calls" in w for w in _problems(few + cls + ctor))


def test_calls_are_summed_over_objects(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each object runs its class's __setstate__: 20 objects of 128 calls each are 2,560 calls;
    with the archive bound lowered to 1,000 (4M on the real scale) they are flagged, 2 are not."""
    monkeypatch.setattr(tl, "MAX_ARCHIVE_LOAD_CALLS", 1000)
    for subs, flagged in ((20, True), (2, False)):
        found = [e for e in _ts005(_fanout_archive(7, tmp_path, subs=subs)) if "calls" in e]
        assert bool(found) is flagged, (subs, found)
        assert not any("per object in __setstate__" in e for e in found)  # 128: within


def test_lite_bytecode_calling_out_is_unbounded(tmp_path: Path) -> None:
    """The lite interpreter runs bytecode.pkl: the saver inlines f0 into __setstate__, whose
    calls of f1 become INTERFACE_CALL (a method found by name at run time): not counted there,
    so unbounded per object, code/ dropped or not."""
    path = _fanout_archive(3, tmp_path)
    lite = path.with_suffix(".ptl")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.jit.load(str(path))._save_for_lite_interpreter(str(lite))
    stripped = tmp_path / "nocode.ptl"
    with zipfile.ZipFile(lite) as src, zipfile.ZipFile(stripped, "w") as dst:
        for info in src.infolist():
            if "/code/" not in info.filename:
                dst.writestr(info, src.read(info))
    for p in (lite, stripped):
        assert any("making without bound" in e for e in _ts005(p)), p
    steps = {"a.M": (None, False), "a.N": ([("aten::eq", "int")] * 3, False), "a.O": ([], False)}
    assert tl.mobile_setstate_calls(steps) == {"a.M": float("inf"), "a.N": 4.0, "a.O": 1.0}


def test_call_of_an_attribute_holding_an_object_fails_closed() -> None:
    """``self.f3(x)`` where ``f3 : __torch__.m.Sub`` runs Sub's forward, not the def f3."""
    code = (
        "class Sub(Module):\n  def forward(self, n: int) -> int:\n    return n\n"
        "class M(Module):\n  f3 : __torch__.m.Sub\n  scale : float\n"
        "  def f3(self, n: int) -> int:\n    return n\n"
        "  def __setstate__(self, s: int) -> None:\n    _0 = (self).f3(1)\n    return None\n"
    )
    assert any("the attribute f3" in w for w in _problems(code))
    plain = code.replace("f3 : __torch__.m.Sub", "f3 : int")
    assert not any("calls" in w for w in _problems(plain))
    assert tl.setstate_calls([("a/code/__torch__/m.py", ast.parse(code))])[
        "__torch__.m.M"
    ] == float("inf")
    assert tl.setstate_calls([("a/code/__torch__/m.py", ast.parse(plain))])["__torch__.m.M"] == 2.0
