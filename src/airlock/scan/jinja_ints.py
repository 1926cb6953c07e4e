"""Integers a chat template makes that reach 2**61 - 1 (part of AIR-JINJA-009).

CPython hashes an int as its value modulo 2**61 - 1, so every multiple of that number hashes
to 0: ``range(0, 100000 * P, P)|unique`` (or ``dict.fromkeys``, ``in`` a dict of them) puts
100,000 colliding keys in one set, 5 * 10**9 probes (rt24tpl: killed at 60 s CPU in
transformers' sandbox; the template is 90 bytes and allocates nothing large). Strings and
smaller ints cannot collide like that (string hashes are salted per process), and no honest
template computes numbers this large, so any integer expression that can reach 61 bits is a
finding. Magnitudes are bounded in bits from the expression alone (a value the conversation
decides counts 17 bits), never by evaluating it.
"""

from __future__ import annotations

import math
from typing import Any

HASH_BITS = 61  # sys.hash_info.modulus == 2**61 - 1 on 64-bit CPython
UNKNOWN_BITS = 17  # a length, a counter: the cost rules bound real sizes by 131,072
MAX_DEPTH = 64


def int_bits(node: Any, depth: int = 0, names: dict[str, float] | None = None) -> float:
    """An upper bound on the bits of the integer ``node`` evaluates to (0: not a number);
    ``names``: bits of the names the template sets (others count UNKNOWN_BITS)."""
    from jinja2 import nodes

    if names is not None and isinstance(node, (nodes.Name, nodes.Getattr, nodes.NSRef)):
        return names.get(ref_key(node) or "", float(UNKNOWN_BITS))
    if depth > MAX_DEPTH:
        return float(HASH_BITS)  # nested deeper than followed: fail closed
    if isinstance(node, nodes.Const):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return 0.0
        if isinstance(v, float) and not math.isfinite(v):
            return float(HASH_BITS)
        return math.log2(abs(v)) if abs(v) >= 1 else 0.0  # log2 of the magnitude
    if isinstance(node, (nodes.Neg, nodes.Pos)):
        return int_bits(node.node, depth + 1, names)
    if isinstance(node, (nodes.Add, nodes.Sub)):
        if isinstance(node, nodes.Add) and (_texty(node.left) or _texty(node.right)):
            return 0.0  # text joined
        left, right = int_bits(node.left, depth + 1, names), int_bits(node.right, depth + 1, names)
        return max(left, right) + 1
    if isinstance(node, nodes.Mul):
        left, right = int_bits(node.left, depth + 1, names), int_bits(node.right, depth + 1, names)
        if _texty(node.left) or _texty(node.right):
            return 0.0  # a repetition: the size rules judge it
        return left + right
    if isinstance(node, nodes.Pow):
        base = int_bits(node.left, depth + 1, names)
        exp = node.right.value if isinstance(node.right, nodes.Const) else None
        # review24: a base of 2 is 1 bit ('> 1' left 2 ** 61 at 1 bit: two dict.fromkeys of
        # 100,000 colliding keys ran past 60 s CPU, clean); only 0 and +-1 stay small
        if isinstance(exp, int) and not isinstance(exp, bool):
            return base * max(exp, 0) if base > 0 else base
        return base if base <= 0 else float(HASH_BITS)
    if isinstance(node, (nodes.Div, nodes.FloorDiv)):
        return int_bits(node.left, depth + 1, names)
    if isinstance(node, nodes.Mod):
        left, right = int_bits(node.left, depth + 1, names), int_bits(node.right, depth + 1, names)
        return min(left, right or 64.0)
    if isinstance(node, nodes.Filter) and node.name in ("int", "abs", "round", "float"):
        inner = node.node
        if node.name in ("int", "float") and _texty(inner):  # ('9' * 30)|int
            return _digits(inner, depth + 1) * math.log2(10)
        text_key = "#" + (ref_key(inner) or "") if names is not None else ""
        if node.name in ("int", "float") and names is not None and text_key in names:
            return names[text_key]
        return int_bits(inner, depth + 1, names) if inner is not None else 0.0
    if isinstance(node, nodes.Const):
        return 0.0
    return float(UNKNOWN_BITS)


def _digits(node: Any, depth: int) -> float:
    """A bound on the characters of a string expression built from constants (text the
    conversation decides counts 10: an honest message is no 19-digit number)."""
    from jinja2 import nodes

    if depth > MAX_DEPTH:
        return float(HASH_BITS)
    if isinstance(node, nodes.Const):
        return float(len(node.value)) if isinstance(node.value, str) else 10.0
    if isinstance(node, nodes.Concat):
        return sum(_digits(n, depth + 1) for n in node.nodes)
    if isinstance(node, nodes.Add):
        return _digits(node.left, depth + 1) + _digits(node.right, depth + 1)
    if isinstance(node, nodes.Mul):
        text, count = (node.left, node.right) if _texty(node.left) else (node.right, node.left)
        times = count.value if isinstance(count, nodes.Const) else None
        if not isinstance(times, int) or isinstance(times, bool):
            return float(HASH_BITS)
        return _digits(text, depth + 1) * max(times, 0)
    return 10.0


def _texty(node: Any) -> bool:
    """A string-valued expression (a string constant, a concatenation, a repetition of one)."""
    from jinja2 import nodes

    if isinstance(node, nodes.Const):
        return isinstance(node.value, str)
    if isinstance(node, nodes.Concat):
        return True
    if isinstance(node, (nodes.Mul, nodes.Add)):
        return _texty(node.left) or _texty(node.right)
    return False


def huge_ints(all_nodes: list[Any]) -> list[tuple[str, int | None]]:
    """(evidence, line) for the first integer expressions that can reach 2**61 - 1."""
    from jinja2 import nodes

    out: list[tuple[str, int | None]] = []
    names = _name_bits(all_nodes)
    kinds = (nodes.Const, nodes.Mul, nodes.Pow, nodes.Add, nodes.Sub, nodes.Filter)
    for n in all_nodes:
        if not isinstance(n, kinds):
            continue
        if isinstance(n, nodes.Filter) and n.name not in ("int", "abs", "round", "float"):
            continue
        bits = int_bits(n, 0, names)
        if bits >= HASH_BITS:
            what = f"an integer of up to 2**{min(bits, 10**6):,.0f}: every multiple of 2**61-1"
            what += " hashes alike, so a set, unique or dict of them takes quadratic time"
            out.append((what, getattr(n, "lineno", None)))
            break
    return out


def ref_key(node: Any) -> str | None:
    """``x`` for a name, ``ns.x`` for a namespace attribute (read or set); None otherwise."""
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.NSRef):
        return f"{node.name}.{node.attr}"
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
        return f"{node.node.name}.{node.attr}"
    return None


def _name_bits(all_nodes: list[Any]) -> dict[str, float]:
    """Bits of the values the template gives its names: ``set`` / ``with`` targets, namespace
    attributes and macro parameters (their defaults and what any call passes), followed
    through each other a few rounds. review24: a name counted UNKNOWN_BITS whatever it held
    (``set a = 2**60`` then ``a + a - 1``: two dict.fromkeys of 100,000 colliding keys ran
    past 60 s CPU, clean)."""
    from jinja2 import nodes

    names: dict[str, float] = {}
    pairs: list[tuple[str, Any]] = []
    macros = {n.name: n for n in all_nodes if isinstance(n, nodes.Macro)}
    for n in all_nodes:
        if isinstance(n, nodes.Assign):
            targets = n.target.items if isinstance(n.target, nodes.Tuple) else [n.target]
            values = n.node.items if isinstance(n.node, (nodes.Tuple, nodes.List)) else None
            for k, t in enumerate(targets):
                key = ref_key(t)
                if key is None:
                    continue
                v = values[k] if values is not None and len(values) == len(targets) else n.node
                pairs.append((key, v))
                if isinstance(v, nodes.Call):  # namespace(x=...): ns.x
                    pairs += [(f"{key}.{kw.key}", kw.value) for kw in v.kwargs]
        elif isinstance(n, nodes.With):
            for t, v in zip(n.targets, n.values, strict=False):
                name = ref_key(t)
                if name is not None:
                    pairs.append((name, v))
        elif isinstance(n, nodes.Macro):
            for arg, d in zip(reversed(n.args), reversed(n.defaults), strict=False):
                pairs.append((arg.name, d))
        elif isinstance(n, nodes.Call) and isinstance(n.node, nodes.Name):
            m = macros.get(n.node.name)
            if m is not None:
                pairs += [(a.name, v) for a, v in zip(m.args, n.args, strict=False)]
                params = {a.name for a in m.args}
                pairs += [(kw.key, kw.value) for kw in n.kwargs if kw.key in params]
    for _ in range(2):  # (a set before its use, or a macro's body before its calls)
        changed = False
        for key, v in pairs:
            # a text value counts the number its digits can spell ('set a = "2305..."' then
            # a|int)
            text = _texty(v)
            b = _digits(v, 0) * math.log2(10) if text else int_bits(v, 0, names)
            b = min(b, float(HASH_BITS))
            key = "#" + key if text else key  # (read by |int and |float only)
            if b > names.get(key, 0.0):
                names[key], changed = b, True
        if not changed:
            break
    return names
