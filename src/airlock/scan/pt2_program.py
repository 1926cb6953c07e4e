"""Strings of a ``torch.export`` program (``models/<m>.json``) that the loader turns into Python
code or evaluates, checked to be what torch's own serializer writes (never evaluated here).

Checked against torch 2.13's deserializer (``torch/_export/serde/serialize.py``), torch.fx's
code generator (``torch/fx/graph.py``) and ``ep.module()`` (``torch/export/_unlift.py``):

* names: ``GraphModuleDeserializer.deserialize_graph`` makes a placeholder of every graph
  input and sets ``node.name`` to the serialized name unchecked (``sync_fx_node``), so input,
  output and node names (``TensorArgument``/``SymIntArgument.as_name``/``Node.name``...) become
  the parameters and variables of the ``forward`` torch.fx writes and ``exec``\\ s while
  ``torch.export.load`` builds the GraphModule; a ``GraphArgument`` name (a ``torch.cond`` /
  ``map`` subgraph) is a ``get_attr`` target, written ``self.<a>.<b>`` or
  ``getattr(self, "<part>")`` (``_format_target``); ``kwargs`` keys of higher-order ops are
  written ``key = value``; the signature's parameter/buffer/constant names become ``get_attr``
  targets in ``ep.module()``; ``forward_arg_names`` and the keyword names of the root
  ``in_spec`` become ``def forward(self, <names>)`` of ``ep.module()`` (``_get_codegen``).
  Names must be plain Python identifiers (attribute paths: dotted, parts without quotes,
  backslashes or control characters).
* ``expr_str`` (``SymExpr``): ``_parse_sym_expr`` hands it to ``sympy.sympify`` (``eval``).
  torch writes it with ``sympy.srepr``: ``Symbol('s0', positive=True, integer=True)``,
  ``Integer(2)``, ``Add``/``Mul``/``Pow``, relations, and the functions of
  ``torch/utils/_sympy/functions.py`` the deserializer lists in ``sympy_functions``. Parsed here
  with ``ast``: only calls of those names, int literals, the string name of a ``Symbol`` (an
  identifier), a ``Float``'s digits and assumption keywords set to ``True``/``False``.
* ``guards_code``: ``ep.module()`` pastes every entry into ``def _(*args): torch._assert(<guard>,
  "Guard failed: <guard>")`` and ``exec``\\ s it (``_convert_guards_code_to_fn``). torch writes
  them with ``ShapeGuardPythonPrinter``: comparisons and arithmetic over ``L['x'].size()[0]``.
* a string graph input's value is pasted between single quotes into a guard
  (``f"{src} == '{meta}'"``, ``_get_input_guards_for_graph``); int/float/bool inputs unquoted.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator

_UNSAFE_PART = re.compile(r"[\"'\\\x00-\x1f\x7f]")
_MAX_EXPR = 100_000

# keys whose string value is a graph-level name (a variable, parameter or attribute of the
# generated forward); "" is how a higher-order op's positional NamedArgument is written
_NAME_KEYS = frozenset({"name", "as_name"})
# signature / module-call-graph fields naming module attributes (dotted paths)
_PATH_KEYS = frozenset(
    {"parameter_name", "buffer_name", "tensor_constant_name", "custom_obj_name",
     "user_input_name", "fqn"}
)  # fmt: skip
# Graph fields whose keys are node names
_NAMED_TABLES = frozenset(
    {"tensor_values", "sym_int_values", "sym_bool_values", "sym_float_values",
     "custom_obj_values"}
)  # fmt: skip

# Calls an honest expr_str makes: sympy.srepr of torch's symbolic shapes. sympy core classes
# (srepr writes the class name: Equality, StrictLessThan...), and every name of the
# deserializer's ``sympy_functions`` (torch/utils/_sympy/functions.py).
_SYMPY_CALLS = frozenset(
    {"Symbol", "Integer", "Rational", "Float", "Add", "Mul", "Pow", "Max", "Min", "Abs",
     "Equality", "Unequality", "StrictLessThan", "LessThan", "StrictGreaterThan",
     "GreaterThan", "And", "Or", "Not", "Xor", "floor", "ceiling", "sqrt", "IntInfinity",
     "NegativeIntInfinity", "Piecewise", "ExprCondPair",
     # torch.utils._sympy.functions, as listed by GraphModuleDeserializer.sympy_functions
     "FloorDiv", "ModularIndexing", "Where", "PythonMod", "Mod", "CleanDiv", "CeilToInt",
     "FloorToInt", "CeilDiv", "LShift", "RShift", "PowByNatural", "FloatPow", "FloatTrueDiv",
     "IntTrueDiv", "IsNonOverlappingAndDenseIndicator", "TruncToFloat", "TruncToInt",
     "RoundToInt", "RoundDecimal", "ToFloat", "Identity"}
)  # fmt: skip
# OpaqueUnaryFn_exp, BitwiseFn_bitwise_and...: classes torch makes per function; sympify
# turns an unknown call name into an undefined sympy Function
_SYMPY_GENERATED = re.compile(r"(OpaqueUnaryFn|BitwiseFn)_[a-z0-9_]+\Z")
# bare names srepr writes for singletons
_SYMPY_NAMES = frozenset({"true", "false", "oo", "zoo", "nan", "pi", "E", "int_oo"})
# sympy assumptions a Symbol can carry (srepr writes them as keywords)
_ASSUMPTIONS = frozenset(
    {"integer", "positive", "negative", "nonnegative", "nonpositive", "nonzero", "zero",
     "real", "finite", "infinite", "rational", "irrational", "even", "odd", "prime",
     "composite", "complex", "imaginary", "commutative", "extended_real", "extended_positive",
     "extended_negative", "extended_nonnegative", "extended_nonpositive", "extended_nonzero",
     "hermitian", "antihermitian", "algebraic", "transcendental", "noninteger", "polar"}
)  # fmt: skip
_FLOAT_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\Z")


class _Bad(Exception):
    pass


def _ident(text: object) -> bool:
    """A Python identifier (what torch.fx can write as a name: no quote, operator, space)."""
    return isinstance(text, str) and text.isidentifier()


def expr_problem(text: object) -> str | None:
    """Why an ``expr_str`` is not what torch's serializer writes, or None."""
    if not isinstance(text, str):
        return "not a string"
    if len(text) > _MAX_EXPR:
        return "too long"
    try:
        tree = ast.parse(text, mode="eval")
        _expr(tree.body)
    except _Bad as exc:
        return str(exc)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "not an expression"
    return None


def _int(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int


def _expr(node: ast.expr) -> None:
    if _int(node):
        return
    if isinstance(node, ast.Name):
        if node.id not in _SYMPY_NAMES:
            raise _Bad(f"name {node.id!r}")
        return
    if isinstance(node, ast.BinOp) and isinstance(
        node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
    ):
        _expr(node.left)
        _expr(node.right)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _expr(node.operand)
        return
    if not isinstance(node, ast.Call):
        raise _Bad(type(node).__name__)
    func = node.func
    if not isinstance(func, ast.Name) or not (
        func.id in _SYMPY_CALLS or _SYMPY_GENERATED.match(func.id)
    ):
        raise _Bad(f"call of {ast.unparse(func)[:60]!r}")
    name, args, kws = func.id, node.args, node.keywords
    if name == "Symbol":
        if not (len(args) == 1 and isinstance(args[0], ast.Constant)):
            raise _Bad("Symbol without a name")
        sym = args[0].value
        if not (isinstance(sym, str) and _ident(sym)):
            raise _Bad(f"Symbol name {str(sym)[:60]!r}")
        for kw in kws:
            if kw.arg not in _ASSUMPTIONS or not (
                isinstance(kw.value, ast.Constant) and type(kw.value.value) is bool
            ):
                raise _Bad(f"Symbol keyword {kw.arg!r}")
        return
    if name == "Float":
        if not (1 <= len(args) <= 2 and isinstance(args[0], ast.Constant)):
            raise _Bad("Float without digits")
        digits = args[0].value
        ok = (isinstance(digits, str) and _FLOAT_TEXT.match(digits)) or type(digits) in (
            int,
            float,
        )
        if not ok or not all(_int(a) for a in args[1:]):
            raise _Bad("Float digits")
        for kw in kws:
            if kw.arg not in ("precision", "dps") or not _int(kw.value):
                raise _Bad(f"Float keyword {kw.arg!r}")
        return
    if kws:
        raise _Bad(f"keyword {kws[0].arg!r} to {name}")
    if name in ("Integer", "Rational"):
        if not args or not all(_int(a) for a in args) or len(args) > 2:
            raise _Bad(f"{name} of a non-integer")
        return
    for a in args:
        if isinstance(a, ast.Starred):
            raise _Bad("starred argument")
        _expr(a)


# guards_code: ShapeGuardPythonPrinter output over L['<input>']...
# (torch/utils/_sympy/printers.py PythonPrinter; the exec namespace is SYMPY_INTERP + math)
_GUARD_CALLS = frozenset(
    {"max", "min", "abs", "int", "float", "round", "IsNonOverlappingAndDenseIndicator",
     "cast_symbool_to_symint_guardless"}
)  # fmt: skip
_GUARD_MODULE_CALLS = {
    "torch": frozenset(
        {"sym_max", "sym_min", "sym_float", "sym_int", "sym_sqrt", "_sym_sqrt", "sym_ite",
         "sym_not"}
    ),
}  # fmt: skip
_GUARD_METHODS = frozenset({"size", "stride", "storage_offset", "numel", "dim", "item"})
_GUARD_STR = re.compile(r"[A-Za-z0-9_]*\Z")


def guard_problem(text: object) -> str | None:
    """Why a ``guards_code`` entry is not what torch's guard printer writes, or None."""
    if not isinstance(text, str):
        return "not a string"
    if len(text) > _MAX_EXPR or "\n" in text or "\r" in text or '"' in text or "\\" in text:
        return "line break, quote or backslash"
    try:
        _guard(ast.parse(text, mode="eval").body)
    except _Bad as exc:
        return str(exc)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "not an expression"
    return None


def _guard(node: ast.expr) -> None:
    if isinstance(node, ast.Constant):
        if type(node.value) not in (int, float, bool):
            raise _Bad(f"constant {node.value!r}"[:80])
        return
    if isinstance(node, ast.Compare):
        for sub in (node.left, *node.comparators):
            _guard(sub)
        return
    if isinstance(node, ast.BoolOp):
        for sub in node.values:
            _guard(sub)
        return
    if isinstance(node, ast.BinOp):
        _guard(node.left)
        _guard(node.right)
        return
    if isinstance(node, ast.UnaryOp):
        _guard(node.operand)
        return
    if isinstance(node, ast.IfExp):
        for sub in (node.test, node.body, node.orelse):
            _guard(sub)
        return
    if isinstance(node, ast.Subscript):
        _source(node)
        return
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id == "math" and node.attr in ("inf", "pi", "e", "nan"):
            return
    if isinstance(node, ast.Call) and not node.keywords:
        func = node.func
        if isinstance(func, ast.Name) and func.id in _GUARD_CALLS:
            pass
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (
                func.attr in _GUARD_MODULE_CALLS.get(func.value.id, ())
                or (func.value.id == "math" and _ident(func.attr) and "__" not in func.attr)
            )
        ):
            pass  # math.floor, math.cos, math.log2...: the math module computes, nothing else
        elif isinstance(func, ast.Attribute) and func.attr in _GUARD_METHODS:
            if node.args:
                raise _Bad(f".{func.attr}() with arguments")
            _source(func.value)
            return
        else:
            raise _Bad(f"call of {ast.unparse(func)[:60]!r}")
        for a in node.args:
            _guard(a)
        return
    if isinstance(node, ast.Name) and node.id == "inf":
        return
    raise _Bad(type(node).__name__)


def _source(node: ast.expr) -> None:
    """``L['x']['k'][0].size()[1]``: subscripts of ``L`` or of a size/stride call."""
    while True:
        if isinstance(node, ast.Name):
            if node.id != "L":
                raise _Bad(f"name {node.id!r}")
            return
        if isinstance(node, ast.Subscript):
            key = node.slice
            if not (
                isinstance(key, ast.Constant)
                and (type(key.value) is int or (
                    isinstance(key.value, str) and _GUARD_STR.match(key.value)))
            ):  # fmt: skip
                raise _Bad("subscript")
            node = node.value
            continue
        if isinstance(node, ast.Call) and not node.args and not node.keywords:
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in _GUARD_METHODS:
                node = func.value
                continue
        if isinstance(node, ast.Attribute) and _ident(node.attr) and "__" not in node.attr:
            node = node.value  # L['x'].field (a dataclass input's attribute)
            continue
        raise _Bad(type(node).__name__)


def _is_path(value: str) -> bool:
    """A module attribute path: torch.fx writes each part as ``.part`` (an identifier) or
    ``getattr(self, "part")`` (``nn.Sequential``'s ``0``, ``ModuleDict`` keys), so a part
    may be any text without quotes, backslashes or control characters."""
    return value == "" or all(p and not _UNSAFE_PART.search(p) for p in value.split("."))


def program_problems(doc: object, limit: int = 1_000_000) -> list[str]:
    """Every string of a parsed program JSON that the loader would paste into or evaluate as
    Python and that is not what torch writes: ``"<where>: <why>: <value>"``, at most 20."""
    out: list[str] = []
    for where, why, value in _walk(doc, limit):
        out.append(f"{where}: {why}: {value[:120]!r}")
        if len(out) >= 20:
            break
    return out


def _walk(doc: object, limit: int) -> Iterator[tuple[str, str, str]]:
    if not isinstance(doc, dict):
        return
    yield from _top_level(doc)
    stack: list[object] = [doc]
    seen = 0
    while stack:
        seen += 1
        if seen > limit:
            yield "program", "too large to walk", ""
            return
        cur = stack.pop()
        if isinstance(cur, list):
            stack.extend(cur)
            continue
        if not isinstance(cur, dict):
            continue
        for key, value in cur.items():
            if key == "metadata":
                continue  # dict[str, str] read as data (stack traces, module paths)
            if key in _NAME_KEYS and isinstance(value, str):
                if value and not _ident(value):
                    yield key, "not a Python identifier", value
            elif key in _PATH_KEYS and isinstance(value, str):
                if not _is_path(value):
                    yield key, "not a dotted attribute path", value
            elif key == "expr_str":
                why = expr_problem(value)
                if why is not None:
                    yield key, why, str(value)
            elif key in _NAMED_TABLES and isinstance(value, dict):
                for name in value:
                    if not _ident(name):
                        yield f"{key} key", "not a Python identifier", name
            elif key == "forward_arg_names" and isinstance(value, list):
                for name in value:
                    if not (isinstance(name, str) and _ident(name)):
                        yield key, "not a Python identifier", str(name)
            elif key == "in_spec" and isinstance(value, str):
                for why, name in _in_spec_names(value):
                    yield key, why, name
            elif key == "inputs" and isinstance(value, list) and "nodes" in cur:
                for why, text in _graph_input_values(value):
                    yield "graph input", why, text
            if isinstance(value, (dict, list)):
                stack.append(value)


def _top_level(doc: dict[object, object]) -> Iterator[tuple[str, str, str]]:
    guards = doc.get("guards_code", [])
    if not isinstance(guards, list):
        yield "guards_code", "not a list", str(guards)
        guards = []
    for g in guards:
        why = guard_problem(g)
        if why is not None:
            yield "guards_code", why, str(g)
    # keys are str(expr) ("s17 + 1"), matched as text; the bounds reach guards as numbers
    ranges = doc.get("range_constraints", {})
    if isinstance(ranges, dict):
        for name, bounds in ranges.items():
            for v in bounds.values() if isinstance(bounds, dict) else [bounds]:
                if v is not None and type(v) is not int:
                    yield "range_constraints bound", "not an integer", f"{name}: {v}"


def _graph_input_values(inputs: list[object]) -> Iterator[tuple[str, str]]:
    """Constant graph inputs: ``ep.module()`` writes them into a guard, strings quoted."""
    for arg in inputs:
        if not isinstance(arg, dict):
            continue
        for kind, value in arg.items():
            if kind == "as_string":
                if not isinstance(value, str) or re.search(r"['\"\\\x00-\x1f\x7f]", value):
                    yield "string with a quote, backslash or control character", str(value)
            elif kind == "as_int" and type(value) is not int:
                yield "as_int is not an integer", str(value)
            elif kind == "as_float" and type(value) not in (int, float):
                yield "as_float is not a number", str(value)
            elif kind == "as_bool" and type(value) is not bool:
                yield "as_bool is not a boolean", str(value)


def _in_spec_names(text: str) -> Iterator[tuple[str, str]]:
    """The keyword names of a call's input spec (``[1, tuple(args, dict(kwargs))]``, the dict's
    context a JSON list of keys): ``_get_codegen`` writes them as forward's parameters."""
    try:
        spec = json.loads(text)
        root = spec[1] if isinstance(spec, list) else spec.get("treespec", spec)
        children = root.get("children_spec") or []
    except (ValueError, RecursionError, AttributeError, IndexError, KeyError, TypeError):
        yield "not a readable tree spec", text
        return
    if root.get("type") != "builtins.tuple" or len(children) != 2:
        return
    kwargs = children[1]
    if not isinstance(kwargs, dict) or kwargs.get("type") not in (
        "builtins.dict",
        "collections.OrderedDict",
    ):
        return
    try:
        keys = json.loads(kwargs.get("context") or "[]")
    except (ValueError, RecursionError, TypeError):
        yield "keyword names not readable", str(kwargs.get("context"))
        return
    for name in keys if isinstance(keys, list) else [keys]:
        if not (isinstance(name, str) and _ident(name)):
            yield "keyword name not a Python identifier", str(name)
