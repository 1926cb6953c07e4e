"""Index proof for LightGBM text models (``model.txt``, ``Booster.model_to_string()``, the
``_handle`` string a pickled ``lightgbm.Booster`` carries).

LightGBM's C++ parser (``GBDT::LoadModelFromString``, ``Tree::Tree(const char*)``) takes the
model text on trust and its predict paths index with it unchecked:

* ``Tree::GetLeaf`` reads ``feature_values[split_feature[node]]`` from a row of
  ``max_feature_idx + 1`` values and follows ``left_child`` / ``right_child`` (``~leaf`` when
  negative) into ``leaf_value``; ``pred_contrib`` (TreeSHAP) *adds* to ``phi[split_feature]``
  (a heap write past the contribution row when the index is too large);
* categorical nodes (``decision_type & 1``, also taken by TreeSHAP when ``num_cat`` is 0) read
  ``cat_boundaries[int(threshold)]`` / ``[+1]`` and that slice of ``cat_threshold``;
* linear trees read ``feature_values[leaf_features[..]]`` with ``leaf_coeff`` beside them;
* ``PredictRaw`` writes ``num_tree_per_iteration`` outputs into a row of ``num_class`` and a
  multiclass objective's ``ConvertOutput`` soft-maxes the ``num_class:`` its objective line
  names;
* without ``tree_sizes`` the trees are read one after another; with it each tree starts at its
  byte offset (unchecked against the text's end), and a tree line without ``=`` makes the
  parser scan on past the line.

:func:`verdict` re-reads the text the way those two parsers do (same line, key and tree-block
rules) and proves every such index in range; anything it cannot show is a reason (fail closed).
Pure: bytes in, reason out (None = proven). Never imports lightgbm.
"""

from __future__ import annotations

import math
import re
from typing import Any

from airlock.report import Severity
from airlock.scan.format_rules import Rule

UNPROVEN = Rule(
    "AIR-LGB-001",
    Severity.HIGH,
    "LightGBM model indexes not proven in range",
    "LightGBM's model-text parser takes split_feature, left_child/right_child, decision_type, "
    "cat_boundaries/cat_threshold, leaf_features, tree_sizes and num_tree_per_iteration on "
    "trust, and predict reads (and pred_contrib writes) memory through them unchecked: an "
    "out-of-range index loads fine and crashes or corrupts the heap at the first predict. "
    "Airlock allows a LightGBM model (a model.txt, or the model string in a pickled Booster) "
    "only when it proves every such index in range from the text, parsed as LightGBM parses "
    "it; this one it could not (or found one out of range).",
    "https://lightgbm.readthedocs.io/en/latest/Python-API.html#lightgbm.Booster",
)
_TREE_LINES = 22  # Tree::Tree reads at most this many key=value lines
_MAX_NODES = 1 << 24
_INT_RX = re.compile(rb"-?[0-9]{1,10}")
_INTS_RX = re.compile(rb"-?[0-9]{1,10}(?: -?[0-9]{1,10})*")
_NUM_RX = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
INT32_MAX = (1 << 31) - 1


class _NotProven(Exception):
    pass


def looks_like_model(data: bytes | memoryview) -> bool:
    """Text LightGBM's loader would take for a model: it names ``max_feature_idx`` and has a
    ``Tree=`` line (the loader needs no ``tree`` first line, so neither does this)."""
    raw = bytes(data)
    return b"max_feature_idx" in raw and b"Tree=" in raw


def _get_line(buf: bytes, p: int) -> int:
    """``Common::GetLine``: the length up to the next NUL, CR or LF."""
    n = len(buf)
    q = p
    while q < n and buf[q] not in (0, 10, 13):
        q += 1
    return q - p


def _skip_newline(buf: bytes, p: int) -> int:
    if p < len(buf) and buf[p] == 13:
        p += 1
    if p < len(buf) and buf[p] == 10:
        p += 1
    return p


def _atoi(value: bytes, what: str) -> int:
    """``Common::Atoi``: spaces, a sign, digits; the rest ignored. Overflow is not proven."""
    m = re.match(rb" *([+-]?)([0-9]*)", value)
    assert m is not None
    digits = m.group(2)
    if len(digits) > 10:
        raise _NotProven(f"{what} {value[:40]!r} overflows an int")
    v = int(digits or b"0") * (-1 if m.group(1) == b"-" else 1)
    if not -INT32_MAX - 1 <= v <= INT32_MAX:
        raise _NotProven(f"{what} {value[:40]!r} overflows an int")
    return v


def _ints(
    kv: dict[bytes, bytes], key: str, count: int, lo: int, hi: int, loose: bool = False
) -> list[int]:
    """An int array as LightGBM writes it: exactly ``count`` values, single spaces (``loose``:
    any run of spaces, as linear trees' leaf_features), each in lo..hi (the parser zero-fills
    short arrays and wraps large values; neither is proven)."""
    raw = kv.get(key.encode())
    if raw is None:
        raise _NotProven(f"no {key} line")
    if count == 0:
        return []
    toks = [t for t in raw.split(b" ") if t] if loose else raw.split(b" ")
    if (loose and not all(_INT_RX.fullmatch(t) for t in toks)) or (
        not loose and _INTS_RX.fullmatch(raw) is None
    ):
        raise _NotProven(f"{key} is not {count} plain integers")
    vals = [int(t) for t in toks]
    if len(vals) != count:
        raise _NotProven(f"{key} holds {len(vals)} values, {count} expected")
    bad = next((v for v in vals if not lo <= v <= hi), None)
    if bad is not None:
        raise _NotProven(f"{key} value {bad} out of range {lo}..{hi}")
    return vals


def _tokens(kv: dict[bytes, bytes], key: str, count: int) -> list[bytes]:
    raw = kv.get(key.encode())
    if raw is None:
        raise _NotProven(f"no {key} line")
    toks = [t for t in raw.split(b" ") if t]
    if len(toks) != count:
        raise _NotProven(f"{key} holds {len(toks)} values, {count} expected")
    return toks


def _tree_block(buf: bytes, p: int) -> tuple[dict[bytes, bytes], int]:
    """``Tree::Tree(const char*, used_len)``: up to 22 ``key=value`` lines, ending early at an
    empty line; the key runs to the first ``=`` (the parser scans past the line, and past the
    text's end, for one: not proven)."""
    kv: dict[bytes, bytes] = {}
    n = len(buf)
    for _ in range(_TREE_LINES):
        if p >= n:
            raise _NotProven("a tree block runs to the end of the text")
        if buf[p] in (10, 13):
            break
        ll = _get_line(buf, p)
        eq = buf.find(b"=", p, p + ll)
        if eq < 0 or p + ll >= n:
            raise _NotProven(f"tree line {buf[p : p + min(ll, 40)]!r} is not key=value")
        kv[buf[p:eq]] = buf[eq + 1 : p + ll]
        p = _skip_newline(buf, p + ll)
    return kv, p


def _check_tree(kv: dict[bytes, bytes], n_feat: int, where: str) -> None:
    if b"num_leaves" not in kv or b"num_cat" not in kv or b"leaf_value" not in kv:
        raise _NotProven(f"{where}: no num_leaves, num_cat or leaf_value")
    leaves = _atoi(kv[b"num_leaves"], "num_leaves")
    num_cat = _atoi(kv[b"num_cat"], "num_cat")
    if not 1 <= leaves <= _MAX_NODES:
        raise _NotProven(f"{where}: num_leaves {leaves} (1..{_MAX_NODES} proven)")
    if not 0 <= num_cat <= _MAX_NODES:
        raise _NotProven(f"{where}: num_cat {num_cat}")
    linear = b"is_linear" in kv and _atoi(kv[b"is_linear"], "is_linear") != 0
    _tokens(kv, "leaf_value", leaves)
    if leaves <= 1 and not linear:
        return  # the parser stops here; predict returns leaf_value[0]
    inner = leaves - 1
    feat_hi = n_feat - 1
    _ints(kv, "split_feature", inner, 0, feat_hi)
    left = _ints(kv, "left_child", inner, -leaves, inner - 1)
    right = _ints(kv, "right_child", inner, -leaves, inner - 1)
    threshold = _tokens(kv, "threshold", inner)
    if b"decision_type" in kv:
        decision = _ints(kv, "decision_type", inner, 0, 127)
    else:
        decision = [0] * inner
    _children(left, right, leaves)
    bounds: list[int] = []
    if num_cat > 0:
        bounds = _ints(kv, "cat_boundaries", num_cat + 1, 0, INT32_MAX)
        if bounds[0] != 0 or any(b > a for a, b in zip(bounds[1:], bounds, strict=False)):
            raise _NotProven(f"{where}: cat_boundaries do not rise from 0")
        _ints(kv, "cat_threshold", bounds[-1], 0, (1 << 32) - 1)
    for node, dt in enumerate(decision):
        if dt & 1:  # categorical: cat_boundaries[int(threshold)] and the next one
            tok = threshold[node]
            if _NUM_RX.fullmatch(tok) is None:
                raise _NotProven(f"{where}: categorical threshold {tok[:30]!r} is not a number")
            value = float(tok)
            if not math.isfinite(value):
                raise _NotProven(f"{where}: categorical threshold {tok[:30]!r} is not finite")
            cat = int(value)
            if not 0 <= cat < num_cat:
                raise _NotProven(
                    f"{where}: categorical node {node} uses category set {cat} of {num_cat}"
                )
    if linear:
        _linear(kv, leaves, feat_hi, where)


def _children(left: list[int], right: list[int], leaves: int) -> None:
    """Internal nodes 0..leaves-2 and leaves ~0..~(leaves-1) form one tree from node 0: every
    node but the root is some node's child exactly once, and every node is reached."""
    inner = leaves - 1
    seen_inner = [0] * inner
    seen_leaf = [0] * leaves
    for c in (*left, *right):
        if c >= 0:
            seen_inner[c] += 1
        else:
            seen_leaf[~c] += 1
    if seen_inner[0] or any(k != 1 for k in seen_inner[1:]) or any(k != 1 for k in seen_leaf):
        raise _NotProven("left_child/right_child do not form a tree (a node shared or missed)")
    # one parent each and none for the root: a cycle is the only way to miss the root
    reached = 0
    todo = [0]
    while todo:
        node = todo.pop()
        reached += 1
        for c in (left[node], right[node]):
            if c >= 0:
                todo.append(c)
    if reached != inner:
        raise _NotProven("left_child/right_child hold a cycle")


def _linear(kv: dict[bytes, bytes], leaves: int, feat_hi: int, where: str) -> None:
    if b"leaf_const" in kv:
        _tokens(kv, "leaf_const", leaves)
    if b"num_features" not in kv:
        return  # no features per leaf: the parser reads none
    counts = _ints(kv, "num_features", leaves, 0, INT32_MAX)
    total = sum(counts)
    if total == 0:
        return
    if b"leaf_features" not in kv or b"leaf_coeff" not in kv:
        raise _NotProven(f"{where}: a linear tree without leaf_features or leaf_coeff")
    _ints(kv, "leaf_features", total, 0, feat_hi, loose=True)
    _tokens(kv, "leaf_coeff", total)


def _header(buf: bytes) -> tuple[dict[bytes, bytes], int]:
    """``LoadModelFromString``'s first loop: key=value lines up to the first ``Tree=`` line."""
    kv: dict[bytes, bytes] = {}
    p, end = 0, len(buf)
    while p < end:
        ll = _get_line(buf, p)
        if ll > 0:
            line = buf[p : p + ll]
            if line.startswith(b"Tree="):
                break
            parts = [s for s in line.split(b"=") if s]
            if len(parts) == 1:
                kv[parts[0]] = b""
            elif len(parts) == 2:
                kv[parts[0]] = parts[1]
            elif len(parts) > 2:
                if parts[0] in (b"feature_names", b"monotone_constraints"):
                    kv[parts[0]] = line[len(parts[0]) + 1 :]
                else:
                    raise _NotProven(f"header line {line[:40]!r} is not key=value")
        p = _skip_newline(buf, p + ll)
    return kv, p


def _objective_classes(objective: bytes) -> int | None:
    """The ``num_class:`` a multiclass objective line names (the last one counts)."""
    parts = [s for s in objective.split(b" ") if s]
    if not parts or parts[0] not in (b"multiclass", b"multiclassova"):
        return None
    found = -1
    for part in parts:
        toks = [t for t in part.split(b":") if t]
        if len(toks) == 2 and toks[0] == b"num_class":
            found = _atoi(toks[1], "objective num_class")
    return found


def verdict(data: Any) -> str | None:
    """None when every index LightGBM's predict paths read from this model text is proven in
    range; else why not."""
    buf = bytes(data)
    try:
        return _verdict(buf)
    except _NotProven as exc:
        return str(exc)
    except (ValueError, OverflowError) as exc:  # fail closed on what the checks missed
        return f"unexpected model text ({type(exc).__name__})"


def _verdict(buf: bytes) -> str | None:
    if b"\0" in buf:
        raise _NotProven("a NUL byte in the model text")
    kv, p = _header(buf)
    for key in ("num_class", "label_index", "max_feature_idx", "feature_names"):
        if key.encode() not in kv:
            raise _NotProven(f"no {key} line")
    num_class = _atoi(kv[b"num_class"], "num_class")
    per_iter = num_class
    if b"num_tree_per_iteration" in kv:
        per_iter = _atoi(kv[b"num_tree_per_iteration"], "num_tree_per_iteration")
    if not 1 <= num_class <= _MAX_NODES or per_iter != num_class:
        raise _NotProven(
            f"num_class {num_class} / num_tree_per_iteration {per_iter} (equal, >= 1 proven)"
        )
    max_idx = _atoi(kv[b"max_feature_idx"], "max_feature_idx")
    if not 0 <= max_idx < INT32_MAX - 1:
        raise _NotProven(f"max_feature_idx {max_idx}")
    n_feat = max_idx + 1
    names = [s for s in kv[b"feature_names"].split(b" ") if s]
    if len(names) != n_feat:
        raise _NotProven(f"{len(names)} feature_names for max_feature_idx {max_idx}")
    if b"objective" in kv:
        k = _objective_classes(kv[b"objective"])
        if k is not None and k != num_class:
            raise _NotProven(f"the objective soft-maxes {k} classes, the model has {num_class}")
    trees = 0
    if b"tree_sizes" in kv:
        raw = kv[b"tree_sizes"]
        sizes = [t for t in raw.split(b" ") if t]
        if any(not t.isdigit() or len(t) > 18 for t in sizes):
            raise _NotProven("tree_sizes holds a value that is not a plain size")
        # LightGBM parses tree i at p + sizes[0] + ... + sizes[i-1] (size_t, unchecked); its
        # writer makes each size the length of "Tree=i\n" + the tree's text + "\n", so honest
        # trees follow one another. A tree that starts before the previous one's lines end (a
        # size of 0 parses the same tree again, a short size lands inside it) is not proven:
        # so each byte is parsed at most once, whatever tree_sizes holds.
        start, done = p, p
        for i, size in enumerate(sizes):
            if start >= len(buf):
                raise _NotProven(f"tree {i} starts past the end of the text (tree_sizes)")
            if start < done:
                raise _NotProven(f"tree {i} starts inside tree {i - 1} (tree_sizes too short)")
            ll = _get_line(buf, start)
            if not buf[start : start + ll].startswith(b"Tree="):
                raise _NotProven(f"tree {i} is not where tree_sizes puts it")
            block, done = _tree_block(buf, _skip_newline(buf, start + ll))
            _check_tree(block, n_feat, f"tree {i}")
            start += int(size)
            trees += 1
        return None
    end = len(buf)
    while p < end:
        ll = _get_line(buf, p)
        if ll > 0:
            if not buf[p : p + ll].startswith(b"Tree="):
                break
            block, p = _tree_block(buf, _skip_newline(buf, p + ll))
            _check_tree(block, n_feat, f"tree {trees}")
            trees += 1
        p = _skip_newline(buf, p)
    return None
