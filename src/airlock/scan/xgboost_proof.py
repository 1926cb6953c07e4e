"""Index proof for XGBoost models: ``save_model`` JSON and UBJSON, and the serialised buffer a
pickled ``xgboost.Booster`` carries (UBJSON ``{"Config": ..., "Model": ...}``).

XGBoost's loader checks array lengths against ``num_nodes`` and little else, and its predict
paths index with the rest unchecked:

* the tree walk (``GetNextNode``) reads ``fvalue[split_indices[nid]]`` from a row of
  ``num_feature`` values, goes to ``left_children[nid]`` or *left + 1* (the right child is
  assumed to follow the left one), stops at ``left == -1``; ``pred_contribs`` adds to
  ``phi[split_index]`` (a heap write past the row when the index is too large);
* at load every node's ``parents`` entry is dereferenced, ``categories_nodes`` /
  ``categories_segments`` / ``categories_sizes`` slice ``categories`` and each category is a bit
  set in a buffer sized by the largest one;
* ``tree_info`` names the output group each tree adds to (a row of max(num_class, num_target, 1)),
  ``iteration_indptr`` slices the trees, DART scales tree i by ``weight_drop[i]``, gblinear reads
  ``(num_feature + 1) x groups`` weights, a multiclass objective soft-maxes its own
  ``num_class``; a pickle's ``Config`` is applied after its ``Model`` and can rename the booster
  or change those counts.

:func:`verdict` proves each of these from the parsed document; anything else (multi-target
vector-leaf trees, an unknown booster, a field of the wrong type) is a reason (fail closed).
Pure: parsed data in, reason out (None = proven). :func:`parse_ubj` is a bounded UBJSON reader.
Never imports xgboost.
"""

from __future__ import annotations

import struct
from typing import Any

from airlock.report import Severity
from airlock.scan.format_rules import Rule

UNPROVEN = Rule(
    "AIR-XGB-001",
    Severity.HIGH,
    "XGBoost model indexes not proven in range",
    "XGBoost's model loader checks array lengths, not values: split_indices, left/right "
    "children, parents, categorical segments, tree_info, iteration_indptr, DART weights and "
    "gblinear weights are read (and pred_contribs written) unchecked at load and predict, so "
    "an out-of-range index loads fine and crashes or corrupts the heap. Airlock allows an "
    "XGBoost model (JSON, UBJSON, or the buffer in a pickled Booster) only when it proves "
    "every such index in range and the trees well formed; this one it could not (or found "
    "one out of range).",
    "https://xgboost.readthedocs.io/en/stable/tutorials/saving_model.html",
)
INT32_MAX = (1 << 31) - 1
_MAX_CAT = 1 << 24  # XGBoost keeps categories below 2**24 (exact in a float)
_MAX_DEPTH = 64
_MAX_ITEMS = 50_000_000


class _NotProven(Exception):
    pass


# -- UBJSON ------------------------------------------------------------------------------

_LEN = {b"i": ">b", b"U": ">B", b"I": ">h", b"l": ">i", b"L": ">q"}
_FIXED = {b"i": ">i1", b"U": ">u1", b"I": ">i2", b"l": ">i4", b"L": ">i8", b"d": ">f4", b"D": ">f8"}


class UbjError(ValueError):
    pass


class _Reader:
    def __init__(self, buf: Any) -> None:
        self.buf = memoryview(buf).cast("B") if not isinstance(buf, bytes) else buf
        self.pos = 0
        self.items = 0

    def take(self, n: int) -> Any:
        if n < 0 or n > len(self.buf) - self.pos:
            raise UbjError("UBJSON value runs past the end")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def marker(self) -> bytes:
        return bytes(self.take(1))

    def length(self, m: bytes | None = None) -> int:
        m = m or self.marker()
        fmt = _LEN.get(m)
        if fmt is None:
            raise UbjError(f"UBJSON length of type {m!r}")
        n = int(struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0])
        if n < 0:
            raise UbjError("negative UBJSON length")
        return n

    def value(self, m: bytes, depth: int) -> Any:
        self.items += 1
        if self.items > _MAX_ITEMS or depth > _MAX_DEPTH:
            raise UbjError("UBJSON document too deep or too large")
        if m == b"Z":
            return None
        if m == b"T":
            return True
        if m == b"F":
            return False
        if m in _FIXED:
            return self.scalar(m)
        if m == b"C":
            return bytes(self.take(1)).decode("latin-1")
        if m in (b"S", b"H"):
            return self.text()
        if m == b"[":
            return self.array(depth + 1)
        if m == b"{":
            return self.obj(depth + 1)
        raise UbjError(f"UBJSON type {m!r} not read")

    def scalar(self, m: bytes) -> Any:
        import numpy as np

        fmt = _FIXED[m]
        v = np.frombuffer(bytes(self.take(int(fmt[-1]))), dtype=fmt)[0]
        return float(v) if m in (b"d", b"D") else int(v)

    def text(self) -> str:
        try:
            return bytes(self.take(self.length())).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UbjError("UBJSON string is not UTF-8") from exc

    def header(self) -> tuple[bytes | None, int | None, bytes]:
        m = self.marker()
        typ = None
        if m == b"$":
            typ = self.marker()
            m = self.marker()
            if m != b"#":
                raise UbjError("UBJSON typed container without a count")
        if m == b"#":
            return typ, self.length(), b""
        return typ, None, m

    def array(self, depth: int) -> Any:
        import numpy as np

        typ, count, m = self.header()
        if typ is not None and typ in _FIXED:
            assert count is not None
            fmt = _FIXED[typ]
            self.items += count
            if self.items > _MAX_ITEMS:
                raise UbjError("UBJSON document too large")
            return np.frombuffer(bytes(self.take(count * int(fmt[-1]))), dtype=fmt)
        out: list[Any] = []
        while True:
            if count is not None:
                if len(out) >= count:
                    return out
                out.append(self.value(typ or self.marker(), depth))
                continue
            m = m or self.marker()
            if m == b"]":
                return out
            out.append(self.value(m, depth))
            m = b""

    def obj(self, depth: int) -> dict[str, Any]:
        typ, count, m = self.header()
        out: dict[str, Any] = {}
        n = 0
        while True:
            if count is not None:
                if n >= count:
                    return out
                key = self.key(None)
            else:
                m = m or self.marker()
                if m == b"}":
                    return out
                key = self.key(m)
                m = b""
            if key in out:
                # XGBoost's UBJSON reader keeps the first value of a repeated key, json.loads
                # and this reader the last: which one was proven would depend on the reader.
                raise UbjError(f"UBJSON object repeats the key {key!r:.40}")
            out[key] = self.value(typ or self.marker(), depth)
            n += 1

    def key(self, m: bytes | None) -> str:
        try:
            return bytes(self.take(self.length(m))).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UbjError("UBJSON key is not UTF-8") from exc


def parse_ubj(buf: Any) -> Any:
    """A UBJSON document (one object, nothing after it) as dicts, lists and, for typed numeric
    arrays, numpy arrays (big-endian views); :class:`UbjError` when it is not one."""
    r = _Reader(buf)
    if r.marker() != b"{":
        raise UbjError("not a UBJSON object")
    doc = r.obj(1)
    if r.pos != len(r.buf):
        raise UbjError(f"{len(r.buf) - r.pos} bytes after the UBJSON document")
    return doc


# -- the proof ---------------------------------------------------------------------------


def looks_like_model(doc: Any) -> bool:
    """A JSON/UBJSON document XGBoost would load: a top-level ``learner`` object (a model) or
    ``Model`` and ``Config`` (the buffer a pickled Booster holds)."""
    if type(doc) is not dict:
        return False
    return type(doc.get("learner")) is dict or ("Model" in doc and "Config" in doc)


def verdict(doc: Any) -> str | None:
    """None when every index XGBoost's load and predict paths read from this document is proven
    in range; else why not."""
    try:
        _verdict(doc)
    except _NotProven as exc:
        return str(exc)
    except (TypeError, ValueError, KeyError, IndexError, OverflowError) as exc:
        return f"unexpected model layout ({type(exc).__name__})"
    return None


def _obj(doc: Any, key: str, where: str) -> dict[str, Any]:
    v = doc.get(key) if type(doc) is dict else None
    if type(v) is not dict:
        raise _NotProven(f"{where}{key} is not an object")
    return v


def _int_str(d: dict[str, Any], key: str, where: str, default: str | None = None) -> int:
    """XGBoost's parameter fields: decimal strings."""
    v = d.get(key, default)
    if type(v) is not str or not v.isascii() or not v.isdigit() or len(v) > 10:
        raise _NotProven(f"{where}{key} {v!r:.30} is not a decimal count")
    return int(v)


def _ints(doc: dict[str, Any], key: str, where: str, count: int | None = None) -> Any:
    """An integer array (JSON list or UBJSON typed array) as int64 numpy."""
    import numpy as np

    v = doc.get(key)
    if v is None:
        raise _NotProven(f"{where}no {key}")
    if isinstance(v, np.ndarray):
        if v.dtype.kind not in "iu":
            raise _NotProven(f"{where}{key} is not an integer array")
        arr = v.astype(np.int64)
    elif type(v) is list:
        if not all(type(x) is int or type(x) is bool for x in v):
            raise _NotProven(f"{where}{key} holds a value that is not an integer")
        if any(not -(1 << 63) <= x < 1 << 63 for x in v):
            raise _NotProven(f"{where}{key} holds an integer out of int64")
        arr = np.array(v, dtype=np.int64)
    else:
        raise _NotProven(f"{where}{key} is not an array")
    if count is not None and arr.shape[0] != count:
        raise _NotProven(f"{where}{key} holds {arr.shape[0]} values, {count} expected")
    return arr


def _length(doc: dict[str, Any], key: str, where: str) -> int:
    import numpy as np

    v = doc.get(key)
    if isinstance(v, np.ndarray):
        return int(v.shape[0])
    if type(v) is list:
        return len(v)
    raise _NotProven(f"{where}{key} is not an array")


def _verdict(doc: Any) -> None:
    if type(doc) is not dict:
        raise _NotProven("not an object")
    config = None
    if "Model" in doc or "Config" in doc:
        config = _obj(doc, "Config", "")
        doc = _obj(doc, "Model", "")
    learner = _obj(doc, "learner", "")
    lmp = _obj(learner, "learner_model_param", "learner.")
    where = "learner_model_param."
    n_feat = _int_str(lmp, "num_feature", where)
    n_class = _int_str(lmp, "num_class", where)
    n_target = _int_str(lmp, "num_target", where, "1")
    groups = max(n_class, n_target, 1)
    base = lmp.get("base_score")
    if type(base) is str and base.startswith("["):
        k = len([s for s in base[1:-1].split(",") if s.strip()])
        if not base.endswith("]") or k not in (1, groups):
            raise _NotProven(f"base_score holds {k} values for {groups} outputs")
    objective = learner.get("objective")
    _objective_classes(objective, n_class, "objective")
    gb = _obj(learner, "gradient_booster", "learner.")
    name = gb.get("name")
    if name == "gbtree":
        model = _obj(gb, "model", "gbtree.")
        trees = _gbtree(model, n_feat, groups)
        _weights(model, trees, "gbtree.model.", dart=False)
    elif name == "dart":
        model = _obj(_obj(gb, "gbtree", "dart."), "model", "dart.gbtree.")
        trees = _gbtree(model, n_feat, groups)
        if "weight_drop" not in gb and "weight_drop" not in model:
            raise _NotProven("a dart booster without weight_drop")
        _weights(gb, trees, "dart.", dart=True)
        _weights(model, trees, "dart.gbtree.model.", dart=True)
    elif name == "gblinear":
        model = _obj(gb, "model", "gblinear.")
        n = _length(model, "weights", "gblinear.model.")
        if n != (n_feat + 1) * groups:
            raise _NotProven(
                f"gblinear holds {n} weights, (num_feature + 1) x {groups} = "
                f"{(n_feat + 1) * groups} read"
            )
    else:
        raise _NotProven(f"booster {name!r:.30} is not proven")
    if config is not None:
        _config(config, learner, name, n_class)


def _objective_classes(objective: Any, n_class: int, where: str) -> None:
    """Every ``num_class`` an objective names is the model's (a multiclass objective soft-maxes
    its own count over rows of the model's)."""
    if type(objective) is not dict:
        return
    for key, v in objective.items():
        if key == "num_class" and (type(v) is not str or not v.isdigit() or int(v) != n_class):
            raise _NotProven(f"{where} num_class {v!r:.20} is not the model's {n_class}")
        if type(v) is dict:
            _objective_classes(v, n_class, f"{where}.{key}")


def _weights(holder: dict[str, Any], trees: int, where: str, dart: bool) -> None:
    if "weight_drop" not in holder:
        return
    n = _length(holder, "weight_drop", where)
    if n != trees and (dart or n != 0):
        raise _NotProven(f"{where}weight_drop holds {n} weights for {trees} trees")


def _gbtree(model: dict[str, Any], n_feat: int, groups: int) -> int:
    param = _obj(model, "gbtree_model_param", "gbtree.")
    n_trees = _int_str(param, "num_trees", "gbtree_model_param.")
    trees = model.get("trees")
    if type(trees) is not list or len(trees) != n_trees:
        raise _NotProven(
            f"gbtree holds {len(trees) if type(trees) is list else 0} trees, num_trees {n_trees}"
        )
    info = _ints(model, "tree_info", "gbtree.", n_trees)
    if n_trees and (int(info.min()) < 0 or int(info.max()) >= groups):
        raise _NotProven(f"tree_info names an output group outside 0..{groups - 1}")
    if "iteration_indptr" in model:
        ptr = _ints(model, "iteration_indptr", "gbtree.")
        if ptr.shape[0] == 0 or int(ptr[0]) != 0 or int(ptr[-1]) != n_trees:
            raise _NotProven("iteration_indptr does not run from 0 to num_trees")
        if ptr.shape[0] > 1 and bool((ptr[1:] < ptr[:-1]).any()):
            raise _NotProven("iteration_indptr falls")
    if "cats" in model:
        _cats(model["cats"], n_feat)
    for i, tree in enumerate(trees):
        if type(tree) is not dict:
            raise _NotProven(f"tree {i} is not an object")
        tid = tree.get("id")
        if type(tid) is not int or tid != i:
            raise _NotProven(f"tree {i} has id {tid!r:.20}")
        _tree(tree, n_feat, f"tree {i}: ")
    return n_trees


def _cats(cats: Any, n_feat: int) -> None:
    """The category recoder (XGBoost 3): per-feature names, sorted order, segments."""
    if type(cats) is not dict:
        raise _NotProven("cats is not an object")
    enc = cats.get("enc", [])
    seg = _ints(cats, "feature_segments", "cats.") if "feature_segments" in cats else None
    idx = _ints(cats, "sorted_idx", "cats.") if "sorted_idx" in cats else None
    if type(enc) is not list:
        raise _NotProven("cats.enc is not an array")
    if not enc and (seg is None or seg.shape[0] == 0) and (idx is None or idx.shape[0] == 0):
        return
    if seg is None or idx is None or len(enc) != n_feat or seg.shape[0] != n_feat + 1:
        raise _NotProven("cats: enc / feature_segments do not cover num_feature features")
    if int(seg[0]) != 0 or int(seg[-1]) != idx.shape[0] or bool((seg[1:] < seg[:-1]).any()):
        raise _NotProven("cats.feature_segments do not rise from 0 to len(sorted_idx)")
    for f, col in enumerate(enc):
        if type(col) is not dict:
            raise _NotProven(f"cats.enc[{f}] is not an object")
        size = _length(col, "values", f"cats.enc[{f}].")
        if "offsets" in col:
            off = _ints(col, "offsets", f"cats.enc[{f}].")
            if off.shape[0]:
                if int(off[0]) != 0 or int(off[-1]) != size or bool((off[1:] < off[:-1]).any()):
                    raise _NotProven(f"cats.enc[{f}].offsets do not rise from 0 to values")
                size = off.shape[0] - 1
        lo, hi = int(seg[f]), int(seg[f + 1])
        if hi - lo != size:
            raise _NotProven(f"cats: feature {f} has {size} categories, segment {hi - lo}")
        part = idx[lo:hi]
        if part.shape[0] and (int(part.min()) < 0 or int(part.max()) >= size):
            raise _NotProven(f"cats.sorted_idx of feature {f} out of range")


def _tree(tree: dict[str, Any], n_feat: int, where: str) -> None:
    tp = _obj(tree, "tree_param", where)
    n = _int_str(tp, "num_nodes", where)
    deleted = _int_str(tp, "num_deleted", where, "0")
    tree_feat = _int_str(tp, "num_feature", where)
    leaf_vec = _int_str(tp, "size_leaf_vector", where, "1")
    if leaf_vec > 1:
        raise _NotProven(f"{where}multi-target (vector-leaf) trees are not proven")
    if n < 1:
        raise _NotProven(f"{where}num_nodes {n}")
    for key in ("loss_changes", "sum_hessian", "base_weights", "split_conditions"):
        if _length(tree, key, where) != n:
            raise _NotProven(f"{where}{key} does not hold num_nodes values")
    left = _ints(tree, "left_children", where, n)
    right = _ints(tree, "right_children", where, n)
    parents = _ints(tree, "parents", where, n)
    split = _ints(tree, "split_indices", where, n)
    dleft = _ints(tree, "default_left", where, n)
    if n and (int(dleft.min()) < 0 or int(dleft.max()) > 1):
        raise _NotProven(f"{where}default_left is not 0/1")
    if int(split.min()) < 0 or int(split.max()) > INT32_MAX:
        raise _NotProven(f"{where}split_indices out of range 0..{INT32_MAX}")
    is_deleted = (split == INT32_MAX) & (dleft == 1)
    if int(is_deleted.sum()) != deleted:
        raise _NotProven(f"{where}{int(is_deleted.sum())} deleted nodes, num_deleted {deleted}")
    if n > 1 and (int(parents[1:].min()) < 0 or int(parents[1:].max()) >= n):
        raise _NotProven(f"{where}parents out of range 0..{n - 1}")
    if int(parents[0]) not in (INT32_MAX, -1):
        raise _NotProven(f"{where}the root's parent is {int(parents[0])}")
    cat_nodes = _categories(tree, n, where)
    feat_hi = min(n_feat, tree_feat)
    # walk from the root: each node reached once, children consecutive, parents agree
    lv, rv, pv, sv = left.tolist(), right.tolist(), parents.tolist(), split.tolist()
    dead = is_deleted.tolist()
    reached = bytearray(n)
    reached[0] = 1
    todo = [0]
    count = 0
    while todo:
        nid = todo.pop()
        count += 1
        if dead[nid]:
            raise _NotProven(f"{where}deleted node {nid} is reachable")
        c = lv[nid]
        if c == -1:
            if rv[nid] != -1:
                raise _NotProven(f"{where}leaf {nid} has a right child")
            if sv[nid] >= max(feat_hi, 1):
                raise _NotProven(f"{where}leaf {nid} split index {sv[nid]} out of range")
            continue
        if not 1 <= c < n - 1 or rv[nid] != c + 1:
            raise _NotProven(
                f"{where}node {nid} children {c}, {rv[nid]} (left in 1..{n - 2}, right = left+1)"
            )
        if sv[nid] >= feat_hi:
            raise _NotProven(
                f"{where}node {nid} splits on feature {sv[nid]} of {feat_hi} (num_feature)"
            )
        for child in (c, c + 1):
            if reached[child]:
                raise _NotProven(f"{where}node {child} reached twice")
            if pv[child] != nid:
                raise _NotProven(f"{where}node {child} names parent {pv[child]}, not {nid}")
            reached[child] = 1
            todo.append(child)
    if count + deleted != n:
        raise _NotProven(f"{where}{n - count - deleted} nodes not reached from the root")
    for nid in cat_nodes:
        if lv[nid] == -1:
            raise _NotProven(f"{where}categorical node {nid} is a leaf")


def _categories(tree: dict[str, Any], n: int, where: str) -> list[int]:
    """The categorical split fields, as ``LoadCategoricalSplit`` reads them."""
    if "split_type" not in tree:
        return []
    types = _ints(tree, "split_type", where, n)
    if n and (int(types.min()) < 0 or int(types.max()) > 1):
        raise _NotProven(f"{where}split_type is not 0/1")
    nodes = _ints(tree, "categories_nodes", where)
    k = nodes.shape[0]
    segs = _ints(tree, "categories_segments", where, k)
    sizes = _ints(tree, "categories_sizes", where, k)
    cats = _ints(tree, "categories", where)
    cat_nodes = [i for i, t in enumerate(types.tolist()) if t == 1]
    if nodes.tolist() != cat_nodes:
        raise _NotProven(f"{where}categories_nodes are not the nodes split_type marks")
    if k:
        if int(segs.min()) < 0 or int(sizes.min()) < 1 or int((segs + sizes).max()) > len(cats):
            raise _NotProven(f"{where}categories_segments/sizes run outside categories")
    if cats.shape[0] and (int(cats.min()) < 0 or int(cats.max()) >= _MAX_CAT):
        raise _NotProven(f"{where}a category outside 0..{_MAX_CAT - 1}")
    return cat_nodes


def _config(config: dict[str, Any], learner: dict[str, Any], name: Any, n_class: int) -> None:
    """A pickled Booster's ``Config`` is loaded after its ``Model``: it must name the same
    booster, objective and counts."""
    cl = _obj(config, "learner", "Config.")
    if "learner_model_param" in cl and cl["learner_model_param"] != learner["learner_model_param"]:
        raise _NotProven("Config.learner_model_param differs from the model's")
    cgb = cl.get("gradient_booster")
    if cgb is not None:
        if type(cgb) is not dict or cgb.get("name") != name:
            raise _NotProven("Config names another booster than the model")
        gb = learner["gradient_booster"]
        inner_c = cgb.get("gbtree") if name == "dart" else cgb
        inner_m = gb.get("gbtree", {}).get("model") if name == "dart" else gb.get("model")
        if type(inner_c) is dict and "gbtree_model_param" in inner_c:
            if type(inner_m) is not dict or inner_c["gbtree_model_param"] != inner_m.get(
                "gbtree_model_param"
            ):
                raise _NotProven("Config.gbtree_model_param differs from the model's")
    train = cl.get("learner_train_param")
    if train is not None:
        if type(train) is not dict:
            raise _NotProven("Config.learner_train_param is not an object")
        if "booster" in train and train["booster"] != name:
            raise _NotProven("Config.learner_train_param names another booster")
        obj = learner.get("objective")
        if "objective" in train and type(obj) is dict and train["objective"] != obj.get("name"):
            raise _NotProven("Config.learner_train_param names another objective")
    cobj = cl.get("objective")
    if cobj is not None:
        mobj = learner.get("objective")
        if type(cobj) is not dict or type(mobj) is not dict or cobj.get("name") != mobj.get("name"):
            raise _NotProven("Config names another objective than the model")
        _objective_classes(cobj, n_class, "Config.objective")
