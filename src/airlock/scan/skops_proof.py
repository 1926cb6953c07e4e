"""Index proofs for skops files: the pickle analysis' proofs (``airlock.scan.index_proof``,
``airlock.scan.estimator_proof``) run on the state ``skops.io.load`` would set, rebuilt from the
``schema.json`` node tree and the ``.npy`` members' bytes (headers parsed, never ``np.load``).

What is proven, as for pickles: fitted estimators of ``estimator_proof`` (SVMs, KMeans,
encoders, vectorizers, neighbours); decision trees (``DecisionTree*``/``ExtraTree*`` with the
``Tree`` of their ``tree_``: a ``TreeNode``, which skops builds as ``sklearn.tree._tree.Tree``
whatever the node's label); ``GradientBoosting*`` (every stage a decision tree checking the
model's width, the stages' columns no more than the init predictions' width that
``predict_stages`` writes into unchecked); ``HistGradientBoosting*`` and the ``TreePredictor``
of their ``_predictors``; ``KDTree``/``BallTree`` states. Anything else tracked (sparse
containers, boosters, scipy trees) is not proven.

skops resolves a node by its ``__id__``: a node whose id an earlier node registered is replaced
by that node at load (``get_tree``'s memo), whatever it holds. The proofs read each node where
it stands, so a node is read only when every node sharing its (truthy) id is the same JSON up to
numeric ids and member names of equal bytes (as skops writes one object met twice); else it is
not read (not proven).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from airlock.scan import index_proof as ip
from airlock.scan.pickle_values import PDict

_KEY_TYPES = {"builtins.str": str, "builtins.int": int}
MAX_VALUES = 1_000_000  # values rebuilt per proven object; more -> not proven
_DIFFER = "nodes sharing its __id__ differ (skops loads the first of them)"
MAX_SHARED_CHARS = 50_000_000  # JSON + member bytes compared across nodes sharing an id
_FMT = re.compile(r"[<>|]([biufcmMSUV])(\d+)")


class Obj:
    """A nested ``ObjectNode``: its class and node (its state is read on demand)."""

    __slots__ = ("cls", "node")

    def __init__(self, cls: str, node: dict[str, Any]) -> None:
        self.cls = cls
        self.node = node


class Reduce:
    """A ``TreeNode``: skops calls ``Tree(*args)`` then ``__setstate__(content)``."""

    __slots__ = ("cls", "node")

    def __init__(self, cls: str, node: dict[str, Any]) -> None:
        self.cls = cls
        self.node = node


class Npy:
    """An ``NdArrayNode`` whose bytes are the named ``.npy`` member."""

    __slots__ = ("file",)

    def __init__(self, file: str) -> None:
        self.file = file


class Sparse:
    """A ``SparseMatrixNode``: skops builds ``load_npz(member)``, whatever the node's label."""

    __slots__ = ("file",)

    def __init__(self, file: str) -> None:
        self.file = file


class Blob:
    """A ``BytearrayNode``: ``bytearray`` of the named member's bytes."""

    __slots__ = ("file",)

    def __init__(self, file: str) -> None:
        self.file = file


class NpScalar:
    """An ``NdArrayNode`` of a numpy scalar type: skops calls the type on the ``.npy`` array
    (a scalar for a 0-d array, an array of that type otherwise)."""

    __slots__ = ("file",)

    def __init__(self, file: str) -> None:
        self.file = file


class ObjArr:
    """A ``json`` ``NdArrayNode``: an object array of rebuilt items and its saved shape."""

    __slots__ = ("items", "shape")

    def __init__(self, items: list[Any], shape: Any) -> None:
        self.items = items
        self.shape = shape


def _object_arr(v: ObjArr) -> ip.Arr | str:
    """An object array as ``NdArrayNode._construct`` builds it: for a saved shape of one
    dimension, ``np.ndarray(len(items), dtype=object)`` filled with the items (the saved
    length is not used); any other shape goes through ``np.array(items)``, whose shape the items
    decide: not read. Its values are the rebuilt items (a proof checks their types)."""
    shape = v.shape
    if type(shape) is not tuple or len(shape) != 1 or type(shape[0]) is not int:
        return "an object array whose saved shape is not one int (its shape is not read)"
    items = v.items
    return ip.Arr((len(items),), "|O8", lambda: items)


class Opaque:
    """A value this reading does not rebuild: every proof that needs it fails (closed)."""

    __slots__ = ("why",)

    def __init__(self, why: str) -> None:
        self.why = why


def structured(descr: Any) -> tuple[str, tuple[tuple[str, str, int], ...]] | str:
    """A ``.npy`` structured descr as numpy lays it out (fields one after another, ``''``
    entries padding) -> ('|V<itemsize>', (name, dtype str, offset) of each named field)."""
    if not isinstance(descr, list) or not descr:
        return "not a structured dtype"
    fields: list[tuple[str, str, int]] = []
    off = 0
    for item in descr:
        if not isinstance(item, tuple) or len(item) != 2 or type(item[0]) is not str:
            return "a structured field with a title or a sub-array"
        fmt = item[1]
        m = _FMT.fullmatch(fmt) if type(fmt) is str else None
        if m is None:
            return f"a structured field of dtype {str(fmt)[:30]}"
        if item[0]:
            fields.append((item[0], fmt, off))
        off += int(m.group(2)) * (4 if m.group(1) == "U" else 1)
    return f"|V{off}", tuple(fields)


# a node's numeric id and member name as json.dumps writes them (a quote inside a string is
# escaped there: no match)
_ID_RX = re.compile(r'"__id__": -?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?')
_FILE_RX = re.compile(r'"file": ("(?:[^"\\]|\\.)*")')


class Prover:
    """Proves the tracked objects of one schema, in the walk's order (owners before the trees
    they hold). ``shared``: the nodes of each truthy id that more than one node carries."""

    def __init__(
        self,
        shared: dict[Any, list[dict[str, Any]]],
        read: Callable[[str], Any],
        npz: Callable[[str], Callable[[str], Any] | str] | None = None,
    ) -> None:
        self.read = read
        # a member read as a save_npz file: its reader by load_npz key, or why not
        self.npz = npz
        self.shared = shared
        self.same: dict[Any, bool] = {}
        self.left = MAX_SHARED_CHARS
        self.digests: dict[str, str] = {}
        # TreeNode / TreePredictor node (by identity) -> what its owner found / its owners
        self.trees: dict[int, str | None] = {}
        self.preds: dict[int, list[Any]] = {}
        self.budget = MAX_VALUES
        # .bin members read as a whole XGBoost model by a booster proof that passed
        self.model_members: set[str] = set()

    def _same(self, node: dict[str, Any]) -> bool:
        """Whether every node sharing this node's id is the same JSON up to numeric ids.
        skops writes one object met twice as two copies of its state whose inner temporaries
        (dicts, lists) carry fresh ids; each inner node skops may swap in by its id is checked
        here too when it is read, so what loads equals what the proofs read (by induction on
        depth)."""
        key = node.get("__id__")
        try:
            nodes = self.shared.get(key) if key else None
        except TypeError:
            return False
        if nodes is None:
            return True
        if key not in self.same:
            try:
                first = self._canon(nodes[0])
                self.left -= len(first) * len(nodes)
                same = self.left >= 0 and all(self._canon(n) == first for n in nodes[1:])
            except Exception:  # a member not read, a name not JSON: not the same
                same = False
            self.same[key] = same
        return self.same[key]

    def _canon(self, node: Any) -> str:
        """The node's JSON with numeric ids blanked and each member name replaced by the
        digest of the member's bytes (a copy's temporaries are saved under fresh names)."""
        text = _ID_RX.sub('"__id__": 0', json.dumps(node))
        return _FILE_RX.sub(lambda m: f'"file": "{self._digest(json.loads(m.group(1)))}"', text)

    def _digest(self, name: str) -> str:
        if name not in self.digests:
            import hashlib

            data = self.read(name)  # a missing or unreadable member raises: not proven
            self.left -= len(data)
            self.digests[name] = hashlib.sha256(data).hexdigest()
        return self.digests[name]

    def prove(self, cls: str, node: dict[str, Any]) -> str | None:
        """None when proven, else the reason."""
        self.budget = MAX_VALUES
        try:
            if not self._same(node):
                return _DIFFER
            return self._prove(cls, node)
        except Exception as exc:  # odd input: not proven, never a crash
            return f"not checked ({type(exc).__name__})"

    # -- values ---------------------------------------------------------------------------

    def value(self, node: Any) -> Any:
        """The value skops builds from ``node``, as far as the proofs read values: JSON
        scalars, dicts (as a :class:`PDict`), lists, tuples, ``.npy`` arrays, object arrays,
        nested objects and trees; else opaque. The tree was walked (bounded) before, so
        recursion stays within the walk's depth bound."""
        self.budget -= 1
        if self.budget < 0:
            return Opaque("too many values to rebuild")
        if not isinstance(node, dict):
            return Opaque("not a node")
        if not self._same(node):
            return Opaque(_DIFFER)
        loader = node.get("__loader__")
        name = f"{node.get('__module__')}.{node.get('__class__')}"
        if loader == "JsonNode":
            if node.get("is_json") is not True:
                return Opaque("a JsonNode not marked is_json")
            try:
                v = json.loads(node["content"]) if type(node.get("content")) is str else None
            except (ValueError, RecursionError):
                return Opaque("JsonNode content is not JSON")
            plain = type(v) in (str, int, float, bool) or v is None
            return v if plain else Opaque("JSON value")
        if loader == "DictNode" and name == "builtins.dict":
            return self._dict(node)
        if loader in ("ListNode", "TupleNode") and name in ("builtins.list", "builtins.tuple"):
            content = node.get("content")
            if not isinstance(content, list):
                return Opaque("not a list")
            items = [self.value(v) for v in content]
            return items if loader == "ListNode" else tuple(items)
        if loader == "NdArrayNode" and name == "numpy.ndarray":
            if node.get("type") == "numpy":
                return Npy(str(node.get("file")))
            content = node.get("content")
            if node.get("type") == "json" and isinstance(content, list):
                return ObjArr([self.value(v) for v in content], self.value(node.get("shape")))
        if loader == "SparseMatrixNode" and node.get("type") == "scipy":
            return Sparse(str(node.get("file")))
        if loader == "BytearrayNode" and name == "builtins.bytearray":
            return Blob(str(node.get("file")))
        if loader == "NdArrayNode" and node.get("type") == "numpy" and name.startswith("numpy."):
            return NpScalar(str(node.get("file")))
        if loader == "ObjectNode":
            return Obj(name, node)
        if loader == "TreeNode":
            return Reduce(name, node)
        return Opaque(f"a {str(loader)[:40]} of {name[:80]}")

    def _dict(self, node: dict[str, Any]) -> Any:
        types = node.get("key_types")
        if not isinstance(types, dict) or not self._same(types):
            return Opaque("DictNode key types not read")
        kt = types.get("content")
        content = node.get("content")
        if not isinstance(kt, list) or not isinstance(content, dict) or len(kt) != len(content):
            return Opaque("DictNode key types not read")
        d = PDict()
        for t, (k, v) in zip(kt, content.items(), strict=True):  # skops: one type a key
            ok = isinstance(t, dict) and t.get("__loader__") == "TypeNode" and self._same(t)
            ktype = _KEY_TYPES.get(f"{t.get('__module__')}.{t.get('__class__')}") if ok else None
            try:
                key: Any = ktype(k) if ktype is not None else None
            except ValueError:
                key = None
            if key is None:
                return Opaque("a DictNode key of a type not read")
            d.items.append((key, self.value(v)))
        return d

    def state(self, content: Any) -> dict[str, Any] | None:
        """The state skops sets from a content node: a plain str-keyed dict (the only form
        read here; None content: no state), else None."""
        if content is None:
            return {}
        s = self.value(content)
        if type(s) is not PDict or not all(type(k) is str for k, _ in s.items):
            return None
        return dict(s.items)

    def _prove(self, cls: str, node: dict[str, Any]) -> str | None:
        if node.get("__loader__") == "TreeNode":
            return self.trees.get(id(node), "not the tree_ of a DecisionTree/ExtraTree estimator")
        kind = ip.kind_of(cls)
        if cls in ip.BOOSTERS:
            return self._booster(cls, node)
        if not ip.tracked(cls) or kind[0] in ("sparse", "ck", "tree"):
            return "its fields are not proven safe for skops files"
        st = self.state(node.get("content"))
        if kind[0] == "sk":
            if node.get("content") is None:
                return "never given its state"
            return ip.sk_tree_verdict(kind[1], self.value(node["content"]), self.arr_of)
        if st is None:
            return "its state is not a plain dict of str keys"
        if kind == ("hgbtree",):
            return ip.tpred_verdict(st, self.preds.get(id(node), []), self.arr_of)
        if kind == ("owner", "dt"):
            return self._dtree(st)
        if kind == ("owner", "gb"):
            return self._gb(st)
        if kind == ("owner", "hgb"):
            return self._hgb(st)
        if kind in (("owner", "bm"), ("owner", "init")):
            return None  # read by the estimator holding it (is_categorical_, init width)
        from airlock.scan import estimator_proof as ep

        return ep.verdict(cls, st, ep.Ctx(self.arr_of, self.state_of, lambda v: None))

    def _booster(self, cls: str, node: dict[str, Any]) -> str | None:
        """A LightGBM / XGBoost ``Booster``: skops calls its ``__setstate__`` with the state
        (the model text as a JSON string / the serialised model as a ``.bin`` bytearray), the
        pickle's booster proof (AIR-LGB-001 / AIR-XGB-001) reads the same values."""
        from airlock.scan import estimator_proof as ep

        st = self.state(node.get("content"))
        if st is None:
            return "its state is not a plain dict of str keys"

        def text_of(v: Any) -> tuple[str | None, str | None]:
            return (v, None) if type(v) is str else (None, f"a {type(v).__name__}, not a str")

        used: list[str] = []

        def blob_of(v: Any) -> tuple[Any, str | None]:
            if type(v) is not Blob:
                return None, f"a {type(v).__name__}, not a bytearray member"
            used.append(v.file)
            return bytes(self.read(v.file)), None

        ctx = ep.Ctx(self.arr_of, self.state_of, lambda v: None, text_of=text_of, blob_of=blob_of)
        why = ep.verdict(cls, st, ctx)
        if why is None:
            self.model_members.update(used)
        return why

    def sparse_state(self, v: Sparse) -> tuple[str, dict[str, Any]] | str:
        """The format and state of the container ``load_npz`` builds from the member, its
        indices proven in range; else why not."""
        from airlock.scan import npz_sparse

        if self.npz is None:
            return "sparse members are not read here"
        read = self.npz(v.file)
        if isinstance(read, str):
            return read
        got = npz_sparse.read_state(read)
        if got is None or isinstance(got, str):
            return got or "a coo/dia container (its state is not read)"
        why = ip.sparse_verdict(got[0], got[1], self.arr_of)
        return got if why is None else why

    def arr_of(self, v: Any) -> ip.Arr | str:
        from airlock.formats import numpy as npy

        if isinstance(v, ip.Arr):  # an array of a sparse member's state
            return v
        if type(v) is Opaque:
            return f"not an .npy array member: {v.why}"
        if type(v) is ObjArr:
            return _object_arr(v)
        if type(v) is not Npy:
            return f"{type(v).__name__} value is not an .npy array member"
        try:
            data = self.read(v.file)
            head = npy.parse_header(bytes(data[: npy.header_bytes_needed(bytes(data[:12]))]))
        except Exception as exc:  # a bad member: not proven, never a crash
            return f"{v.file[:60]}: not read ({type(exc).__name__})"
        if head.has_object:
            return f"{v.file[:60]}: dtype {str(head.descr)[:40]} holds objects"
        fields = None
        dtype = head.descr
        if type(dtype) is not str:
            laid = structured(dtype)
            if isinstance(laid, str):
                return f"{v.file[:60]}: {laid}"
            dtype, layout = laid

            def fields() -> tuple[tuple[str, str, int], ...] | None:
                return layout

        off = head.data_offset
        return ip.Arr(head.shape, dtype, lambda: data[off:], fields, fortran=head.fortran_order)

    def state_of(self, v: Any, kind: tuple[str, ...] | None = None) -> dict[str, Any] | None:
        if type(v) is Sparse:
            got = self.sparse_state(v)
            if isinstance(got, str) or (kind is not None and kind != ("sparse", got[0])):
                return None
            return got[1]
        if type(v) is not Obj or v.cls not in ip.EST_FAMILY:
            return None
        if kind is not None and kind != ("est", ip.EST_FAMILY[v.cls]):
            return None
        return self.state(v.node.get("content"))

    # -- trees ----------------------------------------------------------------------------

    def _dtree(self, st: dict[str, Any]) -> str | None:
        """A DecisionTree*/ExtraTree* estimator: its ``tree_`` proven by ``dtree_verdict``
        against the width its predict checks X for (n_features_in_, checked even with
        check_input=False); the TreeNode is proven only through it."""
        if "tree_" not in st:
            return None  # unfitted: predict raises first
        tree = st["tree_"]
        if type(tree) is not Reduce or tree.cls != ip.SK_DTREE:
            return "tree_ is not a TreeNode of sklearn.tree._tree.Tree"
        reduce = tree.node.get("__reduce__")
        if not isinstance(reduce, dict):
            why: str | None = "its TreeNode has no __reduce__ args"
        else:
            args = self.value(reduce.get("args"))
            tstate = self.state(tree.node.get("content"))
            why = ip.dtree_verdict(args, tstate, [st.get("n_features_in_")], self.arr_of)
        self.trees[id(tree.node)] = None if why is None else f"tree_ of its estimator: {why}"
        return None if why is None else f"tree_: {why}"

    def _gb(self, st: dict[str, Any]) -> str | None:
        """GradientBoosting*: ``predict_stages`` walks estimators_[i, k].tree_ for the array's
        K columns and adds into out[:, k] (the init predictions, unchecked). Each stage is a
        decision tree checking the model's width (its Tree proven with it); K is no more than
        the columns the init step makes."""
        if "estimators_" not in st:
            return None
        arr = st["estimators_"]
        if type(arr) is not ObjArr:
            return "estimators_ is not an object array of the schema"
        shape = arr.shape
        if type(shape) not in (list, tuple) or len(shape) != 2:
            return f"estimators_ saved with shape {str(shape)[:40]}, not 2-D"
        rows = arr.items
        k = len(rows[0]) if rows and type(rows[0]) is list else 0
        if k < 1 or any(type(r) is not list or len(r) != k for r in rows):
            return "estimators_ rows are not lists of one non-zero length"
        nfi = st.get("n_features_in_")
        for r in rows:
            for est in r:
                if type(est) is not Obj or est.cls not in ip.DT_OWNERS:
                    return f"an estimators_ item {type(est).__name__} is not a decision tree"
                own = (self.state(est.node.get("content")) or {}).get("n_features_in_")
                if type(nfi) is not int or type(own) is not int or own != nfi:
                    return f"a stage checks X for {own!r:.30} features, the model for {nfi!r:.30}"
        init, loss = st.get("init_"), st.get("_loss")
        ist = self.state(init.node.get("content")) if type(init) is Obj else None
        lst = self.state(loss.node.get("content")) if type(loss) is Obj else None
        multinomial = type(loss) is Obj and loss.cls == ip.MULTINOMIAL
        multinomial = multinomial and lst is not None and "is_multiclass" not in lst
        return ip.gb_columns_verdict(
            k,
            init,
            st.get("n_trees_per_iteration_"),
            init.cls if type(init) is Obj and init.cls in ip.GB_INIT else None,
            ist,
            multinomial,
            self.arr_of,
            self._small_scalar,
        )

    def _small_scalar(self, v: Any) -> bool:
        """A numpy scalar node whose ``.npy`` array has at most one dimension."""
        arr = self.arr_of(Npy(v.file)) if type(v) is NpScalar else None
        return isinstance(arr, ip.Arr) and len(arr.shape) <= 1

    def _hgb(self, st: dict[str, Any]) -> str | None:
        """HistGradientBoosting*: each TreePredictor of ``_predictors`` (lists of lists) learns
        the width predict validates and the bin mapper's is_categorical_ (proven when it
        is visited, after this)."""
        preds = st.get("_predictors")
        if preds is None:
            return None

        def is_categorical() -> Any:
            bm = st.get("_bin_mapper")
            if type(bm) is not Obj or bm.cls != ip.HGB_BINMAPPER:
                return None
            bst = self.state(bm.node.get("content")) or {}
            return ip.categorical_mask(self.arr_of(bst.get("is_categorical_")))

        owner = ip.hgb_owner(st.get("n_features_in_"), is_categorical)
        if type(preds) is not list:
            return "_predictors is not a list"
        for it in preds:
            if type(it) is not list:
                return "a _predictors item is not a list"
            for p in it:
                if type(p) is not Obj or p.cls != ip.SK_TPRED:
                    return f"a _predictors entry {type(p).__name__} is not a TreePredictor"
                self.preds.setdefault(id(p.node), []).append(owner)
        return None
