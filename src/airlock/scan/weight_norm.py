"""``torch._weight_norm`` / ``_weight_norm_interface`` tied to the tensors data.pkl holds.

The fused CPU kernel (``dim`` 0 or the last dimension) reads ``v.size(dim)`` entries of ``g``
without checking ``g``'s size: ``_weight_norm(v[4096, 4096], g[1], 0)`` SIGSEGVs in forward
(torch 2.13), as does an empty ``v`` (SIGFPE) or a strided ``g`` with fewer elements. Honest
archives call it on a module's own parameters (``weight_v``/``weight_g``, or a
parametrization's ``original0``/``original1`` passed to ``_WeightNorm.forward``), so each call
is followed to attribute paths of the object running it (through one method call), and every
object of that class in data.pkl must hold a ``g`` with exactly ``v.size(dim)`` elements. A use
that cannot be followed (a computed argument, an argument passed through two calls, the op
named other than by a direct call) fails closed.

Code side: :func:`sites` (from the archive's parsed code). Data side: :func:`problems` (from
the BUILD states the pickle analyser recorded)."""

from __future__ import annotations

import ast
import math
from typing import Any, NamedTuple

from airlock.scan import sparse_proof as sp
from airlock.scan.handlers.torchscript_code import dotted_name
from airlock.scan.pickle_values import PDict, Sym

OPS = frozenset({"_weight_norm", "_weight_norm_interface"})
WHY = "the fused kernel reads v.size(dim) entries of g unchecked (SIGSEGV in forward)"
MAX_SITES = 1_000
MAX_PAIRS = 100_000  # (v, g) combinations judged per archive; more: not proven
MAX_PATH = 16

Path = tuple[str, ...]
# a reference: ("self", path) | ("param", index) | ("const", value)
Ref = tuple[str, Any]


class Site(NamedTuple):
    owner: str  # class whose objects the paths start from
    line: int
    v: Path
    g: Path
    dim: int | Path
    via: Path | None = None  # when called through a method: the path of the callee object
    callee: str = ""  # ...whose class must be this for the call to reach the site
    why: str = ""  # the call's arguments could not be followed: a problem if it reaches it


def _direct(call: ast.Call) -> bool:
    parts = dotted_name(call.func) or []
    return bool(parts) and parts[-1] in OPS and parts[:-1] in _ROOTS


_ROOTS = (["torch"], ["ops", "aten"], ["torch", "ops", "aten"])


class _Frame:
    """Where a function's local names come from: single assignments only."""

    def __init__(self, fn: ast.FunctionDef) -> None:
        self.params = [a.arg for a in fn.args.args]
        stores: dict[str, int] = {}
        self.values: dict[str, ast.expr] = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                stores[node.id] = stores.get(node.id, 0) + 1
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                t = node.targets[0]
                if isinstance(t, ast.Name):
                    self.values[t.id] = node.value
        self.many = {n for n, c in stores.items() if c > 1} | {
            n for n in self.params if stores.get(n)
        }

    def ref(self, e: ast.expr | None, depth: int = 0) -> Ref | None:
        if e is None or depth > 32:
            return None
        if isinstance(e, ast.Constant) and isinstance(e.value, int):
            return ("const", e.value)
        if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub):
            inner = self.ref(e.operand, depth + 1)
            if inner and inner[0] == "const" and isinstance(inner[1], int):
                return ("const", -inner[1])
            return None
        if isinstance(e, ast.Name):
            if e.id in self.many:
                return None
            if self.params and e.id == self.params[0]:
                return ("self", ())
            if e.id in self.params:
                return ("param", self.params.index(e.id) - 1)
            return self.ref(self.values.get(e.id), depth + 1)
        base: ast.expr | None = None
        attr = ""
        if isinstance(e, ast.Attribute):
            base, attr = e.value, e.attr
        elif (
            isinstance(e, ast.Call)
            and isinstance(e.func, ast.Name)
            and e.func.id == "getattr"
            and len(e.args) == 2
            and isinstance(e.args[1], ast.Constant)
            and isinstance(e.args[1].value, str)
        ):
            base, attr = e.args[0], e.args[1].value
        if base is not None:
            b = self.ref(base, depth + 1)
            if b and b[0] == "self" and len(b[1]) < MAX_PATH:
                return ("self", (*b[1], attr))
        return None


def _args(call: ast.Call) -> tuple[ast.expr | None, ast.expr | None, ast.expr | None, bool]:
    """(v, g, dim) of a call, and whether its form is understood."""
    slots: list[ast.expr | None] = [*call.args[:3]] + [None] * (3 - min(len(call.args), 3))
    ok = len(call.args) <= 3 and not any(isinstance(a, ast.Starred) for a in call.args)
    for k in call.keywords:
        if k.arg in ("v", "g", "dim"):
            slots[("v", "g", "dim").index(k.arg)] = k.value
        else:
            ok = False
    return slots[0], slots[1], slots[2], ok and slots[0] is not None and slots[1] is not None


def sites(trees: list[tuple[str, ast.Module]]) -> tuple[list[Site], list[tuple[str, int, str]]]:
    """Every weight-norm call as attribute paths, and (member, line, why) for each use that
    cannot be followed."""
    from airlock.scan.torchscript_load import qualname_prefix

    fns: list[tuple[str, str, ast.FunctionDef]] = []  # (member, class qualname, function)
    for member, tree in trees:
        prefix = qualname_prefix(member) or ""
        for cls in ast.walk(tree):
            if isinstance(cls, ast.ClassDef):
                for f in cls.body:
                    if isinstance(f, ast.FunctionDef):
                        fns.append((member, f"{prefix}.{cls.name}", f))
        for f in tree.body:
            if isinstance(f, ast.FunctionDef):
                fns.append((member, "", f))
    out: list[Site] = []
    bad: list[tuple[str, int, str]] = []
    frames: dict[int, _Frame] = {}

    def frame(f: ast.FunctionDef) -> _Frame:
        if id(f) not in frames:
            frames[id(f)] = _Frame(f)
        return frames[id(f)]

    for member, qual, fn in fns:
        calls = {id(n.func) for n in ast.walk(fn) if isinstance(n, ast.Call) and _direct(n)}
        for node in ast.walk(fn):
            named = (
                (isinstance(node, ast.Attribute) and node.attr in OPS)
                or (isinstance(node, ast.Name) and node.id in OPS)
                or (isinstance(node, ast.Constant) and node.value in OPS)
            )
            if named and id(node) not in calls:
                bad.append(
                    (member, getattr(node, "lineno", 0), "named other than by a direct call")
                )
        for node in ast.walk(fn):
            if not (isinstance(node, ast.Call) and _direct(node)):
                continue
            line = node.lineno
            v, g, d, ok = _args(node)
            fr = frame(fn)
            maybe: list[Ref | None] = [
                fr.ref(v),
                fr.ref(g),
                ("const", 0) if d is None else fr.ref(d),
            ]
            refs = [r for r in maybe if r is not None]
            if not ok or len(refs) < 3 or refs[0][0] == "const" or refs[1][0] == "const":
                bad.append((member, line, "an argument not read from the module's attributes"))
                continue
            if not qual:
                bad.append((member, line, "in a function outside a class"))
                continue
            if all(r[0] != "param" for r in refs):
                out.append(Site(qual, line, refs[0][1], refs[1][1], refs[2][1]))
                continue
            _callers(fns, frame, fn, qual, line, refs, member, out, bad)
        if len(out) > MAX_SITES:
            bad.append((member, 0, "too many weight-norm calls to follow"))
            break
    return out, bad


def _callers(
    fns: list[tuple[str, str, ast.FunctionDef]],
    frame: Any,
    fn: ast.FunctionDef,
    qual: str,
    line: int,
    refs: list[Ref],
    member: str,
    out: list[Site],
    bad: list[tuple[str, int, str]],
) -> None:
    """A site whose arguments are ``fn``'s parameters: tied at every call of a method of that
    name (none in the archive: only the caller of the loaded model passes them)."""
    need = max(r[1] for r in refs if r[0] == "param") + 1
    for cmember, cqual, g in fns:
        for node in ast.walk(g):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == fn.name
                and len(node.args) >= need
            ):
                continue
            fr = frame(g)
            recv = fr.ref(node.func.value)
            mapped: list[Ref | None] = []
            for r in refs:
                if r[0] == "param":
                    mapped.append(fr.ref(node.args[r[1]]))
                elif r[0] == "self":
                    mapped.append(
                        ("self", (*recv[1], *r[1])) if recv and recv[0] == "self" else None
                    )
                else:
                    mapped.append(r)
            via = recv[1] if recv and recv[0] == "self" else None
            if any(m is None or m[0] == "param" for m in mapped) or not cqual:
                why = f"an argument of {fn.name} (line {line} of {member}) not read from attributes"
                if via is None or not cqual:  # which method it calls is not known
                    bad.append((cmember, node.lineno, why))
                else:  # a problem if the object called is of the site's class
                    out.append(Site(cqual, node.lineno, (), (), 0, via, qual, why))
                continue
            out.append(
                Site(cqual, node.lineno, mapped[0][1], mapped[1][1], mapped[2][1], via, qual)  # type: ignore[index]
            )


# -- data side ------------------------------------------------------------------------------


def problems(sites_: list[Site], states: list[tuple[str, Any]]) -> list[str]:
    """Why some object's tensors cannot be shown safe for a site (empty: every pair fits)."""
    by_class: dict[str, list[Any]] = {}
    for name, state in states:
        by_class.setdefault(name, []).append(state)
    out: list[str] = []
    budget = [MAX_PAIRS]
    for site in sites_:
        for state in by_class.get(site.owner, []):
            if site.via is not None:
                callee = _follow([state], site.via, by_class)
                if callee is None:
                    continue  # no such object: the call fails before the op
                if not any(type(c) is Sym and c.name == site.callee for c in callee):
                    continue
            why = site.why or _judge(site, state, by_class, budget)
            if why:
                out.append(f"{site.owner} line {site.line}: {why}")
                break
        if len(out) >= 5:
            break
    return out


def _attr(state: Any, name: str) -> tuple[bool, Any]:
    if type(state) is PDict and state.has(name):
        return True, state.get(name)
    return False, None


def _follow(states: list[Any], path: Path, by_class: dict[str, list[Any]]) -> list[Any] | None:
    """Values at ``path`` from objects with these states (objects of a class: all of their
    states); None when some step is not an attribute the pickle shows."""
    cur = states
    for i, name in enumerate(path):
        if not name:  # a trailing "": the states of the objects reached
            return cur
        nxt: list[Any] = []
        for st in cur:
            found, v = _attr(st, name)
            if not found:
                return None
            nxt.append(v)
        if i == len(path) - 1:
            return nxt
        cur = []
        for v in nxt:
            if not (type(v) is Sym and str(v.name).startswith("__torch__.")):
                return None
            cur.extend(by_class.get(str(v.name), []))
        if len(cur) > MAX_PAIRS:
            return None
    return cur


def _judge(site: Site, state: Any, by_class: dict[str, list[Any]], budget: list[int]) -> str:
    if site.v[:-1] == site.g[:-1]:  # one object holds both: judged per object
        owners = _follow([state], (*site.v[:-1], ""), by_class) if site.v[:-1] else [state]
        if owners is None:
            return f"{'.'.join(site.v)} not an attribute data.pkl shows"
        pairs = [(_attr(o, site.v[-1])[1], _attr(o, site.g[-1])[1]) for o in owners]
    else:
        vs = _follow([state], site.v, by_class)
        gs = _follow([state], site.g, by_class)
        if vs is None or gs is None:
            return "v or g not an attribute data.pkl shows"
        pairs = [(v, g) for v in vs for g in gs][: budget[0] + 1]
    if isinstance(site.dim, int):
        dims: list[Any] = [site.dim]
    else:
        dims = _follow([state], site.dim, by_class) or [None]
    budget[0] -= len(pairs) * len(dims)
    if budget[0] < 0:
        return "too many tensor pairs to judge"
    for v, g in pairs:
        for d in dims:
            why = _fits(v, g, d)
            if why:
                return why
    return ""


def _fits(v: Any, g: Any, dim: Any) -> str:
    vt = v.meta if type(v) is Sym else None
    gt = g.meta if type(g) is Sym else None
    if type(vt) is not sp.Tensor or type(gt) is not sp.Tensor:
        return "v or g not a tensor data.pkl shows"
    if type(dim) is not int:
        return "dim not an integer data.pkl shows"
    nd = len(vt.size)
    if dim != 0 and dim != nd - 1:
        return ""  # not the fused kernel: broadcasting arithmetic, checked by torch
    if nd == 0:
        return "v is a scalar"
    numel = math.prod(gt.size)
    if not _contiguous(gt) or not _contiguous(vt):
        return f"g {list(gt.size)[:6]} or v {list(vt.size)[:6]} not contiguous"
    if math.prod(vt.size) == 0 or numel != vt.size[dim]:
        return (
            f"g of {numel} element(s) {list(gt.size)[:6]} for v {list(vt.size)[:6]} dim {dim}"
            " (the fused kernel reads v.size(dim) entries of g: out of bounds)"
        )
    return ""


def _contiguous(t: sp.Tensor) -> bool:
    expect = 1
    for size, stride in zip(reversed(t.size), reversed(t.stride), strict=False):
        if size != 1 and stride != expect:
            return False
        expect *= size
    return len(t.size) == len(t.stride)
