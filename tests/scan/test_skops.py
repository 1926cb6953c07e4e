"""skops ``.skops`` files: schema.json node types judged with the pickle policy (AIR-SKOPS-00x).

The hand-built schemas need no skops; the real-save tests generate fixtures with scikit-learn +
skops and one oracle runs the real ``skops.io.load(trusted=get_untrusted_types(...))`` in a
subprocess on a marker payload, proving the gadget the scanner refuses is real."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data
from airlock.scan.result import FileResult


def _json(value: Any) -> dict[str, Any]:
    return {"__class__": type(value).__name__, "__module__": "builtins",
            "__loader__": "JsonNode", "content": json.dumps(value), "is_json": True}  # fmt: skip


def _dict(items: dict[str, Any]) -> dict[str, Any]:
    key_types = {"__class__": "list", "__module__": "builtins", "__loader__": "ListNode",
                 "content": [{"__class__": "str", "__module__": "builtins",
                              "__loader__": "TypeNode"} for _ in items]}  # fmt: skip
    return {"__class__": "dict", "__module__": "builtins", "__loader__": "DictNode",
            "content": items, "key_types": key_types}  # fmt: skip


def _logreg(**extra: Any) -> dict[str, Any]:
    """An ObjectNode LogisticRegression as skops.io.dump writes it (with a coef_ .npy member)."""
    state = {"C": _json(1.0), "max_iter": _json(100),
             "coef_": {"__class__": "ndarray", "__module__": "numpy", "__loader__": "NdArrayNode",
                       "type": "numpy", "file": "coef.npy"}}  # fmt: skip
    state.update(extra)
    return {"__class__": "LogisticRegression", "__module__": "sklearn.linear_model._logistic",
            "__loader__": "ObjectNode", "content": _dict(state), "protocol": 2,
            "_skops_version": "0.16.0"}  # fmt: skip


def _npy(payload: bytes = b"\0" * 16, descr: str = "<f8") -> bytes:
    header = repr({"descr": descr, "fortran_order": False, "shape": (len(payload) // 8,)})
    header = header.ljust(118) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + payload


def _zip(schema: Any, members: dict[str, bytes] | None = None, raw: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("schema.json", raw if raw is not None else json.dumps(schema))
        for name, data in (members if members is not None else {"coef.npy": _npy()}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _rules(report: FileResult) -> dict[str, Severity]:
    return {f.rule_id: f.severity for f in report.findings}


def _blocked(report: FileResult) -> bool:
    return any(f.severity >= Severity.HIGH for f in report.findings)


def test_hand_built_honest_schema_is_clean() -> None:
    report = scan_data(_zip(_logreg()), "model.skops")
    assert report.objects[0].format == "skops"
    assert not report.findings, report.findings
    assert all(o.status == "scanned" for o in report.objects)


@pytest.mark.parametrize(
    ("node", "rule"),
    [
        ({"__class__": "system", "__module__": "os", "__loader__": "FunctionNode"},
         "AIR-SKOPS-001"),
        ({"__class__": "eval", "__module__": "builtins", "__loader__": "ConstructorFromReduceNode",
          "content": {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
                      "content": [_json("print(1)")]}}, "AIR-SKOPS-001"),
        ({"__class__": "attrgetter", "__module__": "operator", "__loader__": "OperatorFuncNode",
          "attrs": {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
                    "content": [_json("__class__.__init__.__globals__")]}}, "AIR-SKOPS-001"),
        ({"__class__": "Popen", "__module__": "subprocess", "__loader__": "ObjectNode"},
         "AIR-SKOPS-001"),
        ({"__class__": "Thing", "__module__": "evil_pkg", "__loader__": "TypeNode"},
         "AIR-SKOPS-002"),
        ({"__class__": "LogisticRegression", "__module__": "sklearn.linear_model._logistic",
          "__loader__": "MethodNode", "content": {"func": "__reduce_ex__", "obj": {
              "__class__": "LogisticRegression", "__module__": "sklearn.linear_model._logistic",
              "__loader__": "ObjectNode"}}}, "AIR-SKOPS-002"),
        ({"__class__": "log1p", "__module__": "numpy", "__loader__": "ConstructorFromReduceNode",
          "content": {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
                      "content": []}}, "AIR-SKOPS-002"),  # a value-only ufunc called
        ({"__class__": "Tree", "__module__": "sklearn.tree._tree", "__loader__": "ObjectNode"},
         "AIR-SKOPS-004"),
    ],
)  # fmt: skip
def test_hand_built_gadgets_are_denied(node: dict[str, Any], rule: str) -> None:
    report = scan_data(_zip(_logreg(gadget=node)), "model.skops")
    assert rule in _rules(report), report.findings
    assert _blocked(report)


def test_dict_key_types_and_protocol_0_function_content_are_judged() -> None:
    state = _logreg()
    state["content"]["key_types"]["content"][0] = {
        "__class__": "system", "__module__": "os", "__loader__": "TypeNode"}  # fmt: skip
    assert _rules(scan_data(_zip(state), "m.skops")).get("AIR-SKOPS-001") == Severity.CRITICAL
    old = _logreg(f={"__class__": "log1p", "__module__": "numpy", "__loader__": "FunctionNode",
                     "content": {"module_path": "os", "function": "system"}})  # fmt: skip
    old["protocol"] = 0
    assert "AIR-SKOPS-001" in _rules(scan_data(_zip(old), "m.skops"))


def test_reference_only_type_called_as_dict_key_type_or_partial_is_denied() -> None:
    memmap = {"__class__": "memmap", "__module__": "numpy", "__loader__": "TypeNode"}
    state = _logreg()
    state["content"]["key_types"]["content"][0] = memmap  # memmap("C") at load: opens a file
    assert "AIR-SKOPS-002" in _rules(scan_data(_zip(state), "m.skops"))
    empty = {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
             "content": []}  # fmt: skip
    part = {"__class__": "partial", "__module__": "functools", "__loader__": "PartialNode",
            "content": {"func": memmap, "args": empty, "kwds": _dict({}),
                        "namespace": _json(None)}}  # fmt: skip
    assert "AIR-SKOPS-002" in _rules(scan_data(_zip(_logreg(p=part)), "m.skops"))
    assert not scan_data(_zip(_logreg(t=memmap)), "m.skops").findings  # a reference: allowed


def test_npy_member_is_scanned_by_the_npy_handler() -> None:
    # an object-dtype member: np.load(allow_pickle=False) refuses it, but its pickle is judged
    evil = b"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x8c\x06system\x93."
    report = scan_data(_zip(_logreg(), {"coef.npy": _npy(evil, "|O")}), "m.skops")
    assert "AIR-PKL-001" in _rules(report)
    assert any(o.format == "npy" for o in report.objects)


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s.update(protocol=7),
        lambda s: s.update(protocol=True),
        lambda s: s.update(__loader__="EvalNode"),
        lambda s: s["content"]["content"]["coef_"].update(file="missing.npy"),
        lambda s: s["content"]["content"].update(x={"__loader__": "JsonNode"}),
        lambda s: s["content"]["content"].update(x={"__class__": "dict", "__module__": "builtins",
                                                    "__loader__": "CachedNode", "__id__": 42}),
        lambda s: s["content"]["content"].update(x={"__class__": "attrgetter", "__module__": "os",
                                                    "__loader__": "OperatorFuncNode",
                                                    "attrs": _json([])}),
    ],
)  # fmt: skip
def test_malformed_schema_fails_closed(edit: Any) -> None:
    schema = _logreg()
    edit(schema)
    report = scan_data(_zip(schema), "model.skops")
    assert "AIR-SKOPS-003" in _rules(report), report.findings
    assert report.objects[0].status == "not_scanned"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"__class__": "a", "__loader__": "JsonNode", "__loader__": "ObjectNode"}',
        b'{"__loader__": "x", "protocol": 2, "c": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ],
)
def test_unparseable_json_fails_closed(raw: bytes) -> None:
    report = scan_data(_zip(None, raw=raw), "model.skops")
    assert "AIR-SKOPS-003" in _rules(report), report.findings


def test_escaped_or_padded_loader_key_is_still_judged() -> None:
    text = json.dumps(_logreg(f={"__class__": "system", "__module__": "os",
                                 "__loader__": "FunctionNode"}))  # fmt: skip
    padded = '{"_pad": "' + "x" * 8000 + '", ' + text[1:]
    escaped = text.replace('"__loader__"', '"\\u005f_loader__"')
    for raw in (padded, escaped, text.encode("utf-16")):
        raw_bytes = raw if isinstance(raw, bytes) else raw.encode()
        assert "AIR-SKOPS-001" in _rules(scan_data(_zip(None, raw=raw_bytes), "m.skops"))


def test_a_zip_whose_schema_json_is_no_skops_tree_is_a_plain_zip() -> None:
    for raw in (b'{"$schema": "http://json-schema.org/draft-07/schema#"}', b"\xff not json"):
        report = scan_data(_zip(None, raw=raw), "data.zip")
        assert report.objects[0].format in ("zip", "npz"), report.objects[0].format
        assert not any(f.rule_id.startswith("AIR-SKOPS") for f in report.findings)


def test_deep_node_tree_fails_closed() -> None:
    node: dict[str, Any] = _json(1)
    for _ in range(450):
        node = {"__class__": "list", "__module__": "builtins", "__loader__": "ListNode",
                "content": [node]}  # fmt: skip
    report = scan_data(_zip(_logreg(deep=node)), "model.skops")
    assert "AIR-SKOPS-003" in _rules(report)


# --- real saves (scikit-learn + skops) ---------------------------------------------------------


def _fit(kind: str) -> Any:
    import numpy as np
    from sklearn import compose, decomposition, impute, linear_model, naive_bayes, pipeline
    from sklearn import preprocessing as pre

    X = np.random.RandomState(0).rand(40, 4)
    y = (X[:, 0] > 0.5).astype(int)
    est = {
        "scaler+logreg": pipeline.make_pipeline(
            pre.StandardScaler(), linear_model.LogisticRegression()),
        "impute+pca+ridge": pipeline.make_pipeline(
            impute.SimpleImputer(), decomposition.PCA(2), linear_model.Ridge()),
        "log1p+logreg": pipeline.make_pipeline(
            pre.FunctionTransformer(np.log1p), linear_model.LogisticRegression()),
        "columns": pipeline.make_pipeline(compose.ColumnTransformer(
            [("s", pre.StandardScaler(), [0, 1]), ("r", pre.RobustScaler(), [2, 3])]),
            linear_model.SGDClassifier(random_state=0)),
        "gaussiannb": naive_bayes.GaussianNB(),
    }[kind]  # fmt: skip
    return est.fit(X, y)


HONEST = ["scaler+logreg", "impute+pca+ridge", "log1p+logreg", "columns", "gaussiannb"]


@pytest.mark.parametrize("kind", HONEST)
def test_real_honest_saves_are_clean(kind: str) -> None:
    sio = pytest.importorskip("skops.io")
    report = scan_data(sio.dumps(_fit(kind)), "model.skops")
    assert report.objects[0].format == "skops"
    assert not report.findings, report.findings


def _evil(data: bytes, marker: Path) -> bytes:
    """The saved pipeline with ``os.system("touch marker")`` as a constructor call in its state."""
    src = zipfile.ZipFile(io.BytesIO(data))
    schema = json.loads(src.read("schema.json"))
    schema = copy.deepcopy(schema)
    schema["content"]["content"]["memory"] = {
        "__class__": "system", "__module__": "os", "__loader__": "ConstructorFromReduceNode",
        "content": {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
                    "content": [_json(f"touch {marker}")]}}  # fmt: skip
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            body = json.dumps(schema).encode() if info.filename == "schema.json" else None
            out.writestr(info, body if body is not None else src.read(info.filename))
    return buf.getvalue()


def test_real_malicious_save_is_denied_and_the_gadget_is_real(tmp_path: Path) -> None:
    sio = pytest.importorskip("skops.io")
    marker = tmp_path / "PWNED"
    path = tmp_path / "evil.skops"
    path.write_bytes(_evil(sio.dumps(_fit("scaler+logreg")), marker))
    report = scan_data(path.read_bytes(), "evil.skops")
    assert _rules(report).get("AIR-SKOPS-001") == Severity.CRITICAL
    # oracle: the documented load path runs the payload (harmless: touches a marker)
    code = (
        "import sys, skops.io as s; f = sys.argv[1];"
        " s.load(f, trusted=s.get_untrusted_types(file=f))"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=120)
    assert marker.exists()


# --- estimator proofs on real saves (airlock.scan.estimator_proof) -----------------------------


def _fit_proven(kind: str) -> Any:
    import numpy as np
    from sklearn import cluster, linear_model, pipeline, svm
    from sklearn import feature_extraction as fe
    from sklearn import preprocessing as pre

    X = np.random.RandomState(0).rand(40, 4)
    y = (X[:, 0] > 0.5).astype(int)
    if kind == "tfidf+logreg":
        texts = ["alpha beta", "beta gamma", "gamma delta", "alpha delta"] * 10
        est = pipeline.make_pipeline(fe.text.TfidfVectorizer(), linear_model.LogisticRegression())
        return est.fit(texts, y)
    if kind == "count":
        return fe.text.CountVectorizer().fit(["alpha beta", "beta gamma"])
    if kind == "kmeans":
        return cluster.KMeans(2, n_init=1, random_state=0).fit(X)
    if kind == "onehot_str":  # string categories: skops writes them as JSON object arrays
        cats = np.array([["a", "b", "c"][i % 3] for i in range(40)], dtype=object)[:, None]
        est = pipeline.make_pipeline(
            pre.OneHotEncoder(handle_unknown="ignore"), linear_model.LogisticRegression())
        return est.fit(cats, y)
    est = {
        "svc": svm.SVC(),
        "nusvr": svm.NuSVR(),
        "onehot": pipeline.make_pipeline(
            pre.OneHotEncoder(handle_unknown="ignore"), linear_model.LogisticRegression()),
    }[kind]  # fmt: skip
    return est.fit((X * 3).astype(int) if kind == "onehot" else X, y)


PROVEN = ["svc", "nusvr", "kmeans", "onehot", "onehot_str", "tfidf+logreg", "count"]


@pytest.mark.parametrize("kind", PROVEN)
def test_real_saves_of_proven_estimators_are_clean(kind: str) -> None:
    sio = pytest.importorskip("skops.io")
    report = scan_data(sio.dumps(_fit_proven(kind)), "model.skops")
    assert report.objects[0].format == "skops"
    assert not report.findings, report.findings


def _edit(data: bytes, schema_edit: Any = None, member_edit: Any = None) -> bytes:
    """The save with its schema and/or one ``.npy`` member (by state key) rewritten."""
    src = zipfile.ZipFile(io.BytesIO(data))
    schema = json.loads(src.read("schema.json"))
    if schema_edit is not None:
        schema_edit(schema["content"]["content"])
    bodies = {i.filename: src.read(i.filename) for i in src.infolist()}
    bodies["schema.json"] = json.dumps(schema).encode()
    if member_edit is not None:
        key, fn = member_edit
        name = schema["content"]["content"][key]["file"]
        bodies[name] = fn(bodies[name])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info, bodies[info.filename])
    return buf.getvalue()


def _last_int_to(value: int) -> Any:
    def edit(npy: bytes) -> bytes:
        import numpy as np

        arr = np.load(io.BytesIO(npy), allow_pickle=False)  # our own plain int array
        assert arr.dtype.kind == "i"
        arr[-1] = value
        out = io.BytesIO()
        np.save(out, arr, allow_pickle=False)
        return out.getvalue()

    return edit


def _set_json(key: str, value: Any) -> Any:
    def edit(state: dict[str, Any]) -> None:
        state[key] = _json(value)

    return edit


def _vocab_out_of_range(state: dict[str, Any]) -> None:
    first = next(iter(state["vocabulary_"]["content"].values()))
    first["content"] = json.dumps(10_000)


def _opaque_categories(state: dict[str, Any]) -> None:
    state["categories_"]["content"][0] = _json([1, 2, 3])  # a JSON list, not an .npy array


def _one_category_less(state: dict[str, Any]) -> None:
    """A string category dropped: transform's codes now stop one short of _n_features_outs."""
    state["categories_"]["content"][0]["content"].pop()


def _categories_2d(state: dict[str, Any]) -> None:
    """A 2-D saved shape: skops builds the array with np.array(items), shape not read."""
    arr = state["categories_"]["content"][0]
    arr["shape"]["content"].append(_json(1))


def _onehot_state(state: dict[str, Any]) -> dict[str, Any]:
    return state["steps"]["content"][0]["content"][1]["content"]["content"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("edit", [_one_category_less, _categories_2d])
def test_tampered_string_categories_are_denied(edit: Any) -> None:
    sio = pytest.importorskip("skops.io")
    data = sio.dumps(_fit_proven("onehot_str"))
    assert not scan_data(data, "model.skops").findings
    report = scan_data(_edit(data, lambda st: edit(_onehot_state(st))), "model.skops")
    hits = [f for f in report.findings if f.rule_id == "AIR-SKOPS-004"]
    assert hits and "OneHotEncoder" in (hits[0].extra or {}).get("callable", ""), report.findings
    assert _blocked(report)


@pytest.mark.parametrize(
    ("kind", "schema_edit", "member_edit", "cls"),
    [
        ("svc", None, ("support_", _last_int_to(10_000)), "SVC"),
        ("svc", None, ("support_", _last_int_to(-1)), "SVC"),
        ("kmeans", _set_json("n_features_in_", 9), None, "KMeans"),
        ("count", _vocab_out_of_range, None, "CountVectorizer"),
        ("onehot", None, None, "OneHotEncoder"),
    ],
)  # fmt: skip
def test_tampered_saves_of_proven_estimators_are_denied(
    kind: str, schema_edit: Any, member_edit: Any, cls: str
) -> None:
    sio = pytest.importorskip("skops.io")
    data = sio.dumps(_fit_proven(kind))
    if kind == "onehot":  # the encoder is the pipeline's first step: reach into it
        src = zipfile.ZipFile(io.BytesIO(data))
        steps = json.loads(src.read("schema.json"))["content"]["content"]["steps"]
        assert steps["content"][0]["content"][1]["__class__"] == "OneHotEncoder"

        def schema_edit(state: dict[str, Any]) -> None:
            enc = state["steps"]["content"][0]["content"][1]["content"]["content"]
            _opaque_categories(enc)

    report = scan_data(_edit(data, schema_edit, member_edit), "model.skops")
    hits = [f for f in report.findings if f.rule_id == "AIR-SKOPS-004"]
    assert hits and all(cls in (f.extra or {}).get("callable", "") for f in hits), report.findings
    assert "not proven" in hits[0].evidence, hits[0]
    assert _blocked(report)


# --- trees, boosting, KD/Ball trees on real saves (airlock.scan.skops_proof) -------------------


def _fit_tree(kind: str) -> Any:
    import numpy as np
    from sklearn import ensemble, neighbors, pipeline, tree
    from sklearn import preprocessing as pre

    X = np.random.RandomState(0).rand(40, 4)
    y = (X[:, 0] > 0.5).astype(int)
    y3 = np.arange(40) % 3
    est, target = {
        "dt": (tree.DecisionTreeClassifier(max_depth=3, random_state=0), y),
        "extra_tree_reg": (tree.ExtraTreeRegressor(random_state=0), X[:, 1]),
        "rf": (ensemble.RandomForestClassifier(3, max_depth=3, random_state=0), y),
        "extra_trees": (ensemble.ExtraTreesRegressor(3, max_depth=3, random_state=0), X[:, 1]),
        "gb": (ensemble.GradientBoostingClassifier(n_estimators=3, max_depth=2), y),
        "gb3": (ensemble.GradientBoostingClassifier(n_estimators=2, max_depth=2), y3),
        "gbr": (ensemble.GradientBoostingRegressor(n_estimators=3, max_depth=2), X[:, 1]),
        "hgb": (ensemble.HistGradientBoostingClassifier(max_iter=3, max_depth=3), y),
        "hgbr": (ensemble.HistGradientBoostingRegressor(max_iter=3), X[:, 1]),
        "kd": (neighbors.KNeighborsClassifier(3, algorithm="kd_tree"), y),
        "ball": (neighbors.KNeighborsRegressor(3, algorithm="ball_tree"), X[:, 1]),
        "pipe_rf": (pipeline.make_pipeline(
            pre.StandardScaler(), ensemble.RandomForestClassifier(2, random_state=0)), y),
        # estimators_ and named_estimators_ hold the same fitted trees: saved twice, the
        # copies' temporaries (Tree.__getstate__'s nodes array) under fresh member names
        "voting": (ensemble.VotingClassifier(
            [("dt", tree.DecisionTreeClassifier(max_depth=3, random_state=0)),
             ("kd", neighbors.KNeighborsClassifier(algorithm="kd_tree"))], voting="soft"), y),
    }[kind]  # fmt: skip
    return est.fit(X, target)


TREES = ["dt", "extra_tree_reg", "rf", "extra_trees", "gb", "gb3", "gbr", "hgb", "hgbr", "kd",
         "ball", "pipe_rf", "voting"]  # fmt: skip


@pytest.mark.parametrize("kind", TREES)
def test_real_saves_of_trees_and_boosting_are_clean(kind: str) -> None:
    sio = pytest.importorskip("skops.io")
    report = scan_data(sio.dumps(_fit_tree(kind)), "model.skops")
    assert report.objects[0].format == "skops"
    assert not report.findings, report.findings


def _nodes(doc: Any, loader: str, cls: str) -> list[dict[str, Any]]:
    """Every node of the schema with this loader and class, in document order."""
    found: list[dict[str, Any]] = []
    stack = [doc]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if n.get("__loader__") == loader and n.get("__class__") == cls:
                found.append(n)
            stack.extend(reversed(list(n.values())))
        elif isinstance(n, list):
            stack.extend(reversed(n))
    return found


def _retamper(data: bytes, edit: Any) -> bytes:
    """The save with ``edit(schema, members)`` applied (members: name -> bytes, editable)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    schema = json.loads(src.read("schema.json"))
    bodies = {i.filename: src.read(i.filename) for i in src.infolist()}
    edit(schema, bodies)
    bodies["schema.json"] = json.dumps(schema).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name, body in bodies.items():
            out.writestr(name, body)
    return buf.getvalue()


def _npy_edit(members: dict[str, bytes], node: dict[str, Any], fn: Any) -> None:
    import numpy as np

    arr = np.load(io.BytesIO(members[node["file"]]), allow_pickle=False)  # our own save
    arr = fn(arr)
    out = io.BytesIO()
    np.save(out, arr, allow_pickle=False)
    members[node["file"]] = out.getvalue()


def _state_of(node: dict[str, Any]) -> dict[str, Any]:
    return node["content"]["content"]  # type: ignore[no-any-return]


def _tree_state(doc: Any) -> dict[str, Any]:
    return _state_of(_nodes(doc, "TreeNode", "Tree")[0])


def _set_field(field: str, value: int) -> Any:
    def fn(arr: Any) -> Any:
        arr[field][0] = value
        return arr

    return fn


def _child_past_end(doc: Any, members: dict[str, bytes]) -> None:
    _npy_edit(members, _tree_state(doc)["nodes"], _set_field("left_child", 10_000))


def _feature_out_of_range(doc: Any, members: dict[str, bytes]) -> None:
    _npy_edit(members, _tree_state(doc)["nodes"], _set_field("feature", 99))


def _node_count_too_big(doc: Any, members: dict[str, bytes]) -> None:
    st = _tree_state(doc)
    st["node_count"] = _json(json.loads(st["node_count"]["content"]) + 1)


def _nodes_not_npy(doc: Any, members: dict[str, bytes]) -> None:
    _tree_state(doc)["nodes"] = _json(0)


def _nodes_wrong_dtype(doc: Any, members: dict[str, bytes]) -> None:
    _npy_edit(members, _tree_state(doc)["nodes"], lambda a: a["left_child"].copy())


def _forest_width(doc: Any, members: dict[str, bytes]) -> None:
    est = _nodes(doc, "ObjectNode", "DecisionTreeClassifier")[-1]
    _state_of(est)["n_features_in_"] = _json(9)


def _gb_stage_width(doc: Any, members: dict[str, bytes]) -> None:
    _state_of(_nodes(doc, "ObjectNode", "GradientBoostingClassifier")[0])["n_features_in_"] = (
        _json(3))  # fmt: skip


def _gb_more_columns(doc: Any, members: dict[str, bytes]) -> None:
    est = _state_of(_nodes(doc, "ObjectNode", "GradientBoostingClassifier")[0])["estimators_"]
    for row in est["content"]:  # a second column of the same stage: out[:, 1] past width 1
        row["content"].append(copy.deepcopy(row["content"][0]))
    est["shape"]["content"][1] = _json(2)


def _hgb_feature(doc: Any, members: dict[str, bytes]) -> None:
    pred = _nodes(doc, "ObjectNode", "TreePredictor")[0]

    def fn(arr: Any) -> Any:
        arr["feature_idx"][0] = 50
        arr["is_leaf"][0] = 0
        return arr

    _npy_edit(members, _state_of(pred)["nodes"], fn)


def _kd_idx(doc: Any, members: dict[str, bytes]) -> None:
    tup = _nodes(doc, "ObjectNode", "KDTree")[0]["content"]["content"]

    def fn(arr: Any) -> Any:
        arr[-1] = 10_000
        return arr

    _npy_edit(members, tup[1], fn)


@pytest.mark.parametrize(
    ("kind", "edit", "cls", "reason"),
    [
        ("dt", _child_past_end, "Tree", "a child index lies past node_count"),
        ("dt", _feature_out_of_range, "Tree", "a split feature lies outside 0..3"),
        ("dt", _node_count_too_big, "Tree", "for node_count"),
        ("dt", _nodes_not_npy, "Tree", "is not an .npy array member"),
        ("dt", _nodes_wrong_dtype, "Tree", "not sklearn's Node"),
        ("rf", _forest_width, "Tree", "checks X for 9 features, not 4"),
        ("gb", _gb_stage_width, "GradientBoostingClassifier", "a stage checks X for 4"),
        ("gb", _gb_more_columns, "GradientBoostingClassifier", "2 columns, the init"),
        ("hgb", _hgb_feature, "TreePredictor", "a split feature lies outside 0..3"),
        ("kd", _kd_idx, "KDTree", "idx_array value 10000 out of range"),
    ],
)  # fmt: skip
def test_tampered_tree_saves_are_denied_with_the_proofs_reason(
    kind: str, edit: Any, cls: str, reason: str
) -> None:
    sio = pytest.importorskip("skops.io")
    data = sio.dumps(_fit_tree(kind))
    assert not scan_data(data, "model.skops").findings  # the honest twin is clean
    report = scan_data(_retamper(data, edit), "model.skops")
    hits = [f for f in report.findings if f.rule_id == "AIR-SKOPS-004"]
    assert any(cls in (f.extra or {}).get("callable", "") and reason in f.evidence for f in hits), (
        report.findings
    )
    assert _blocked(report)


def test_a_node_sharing_an_earlier_nodes_id_is_not_read_as_itself() -> None:
    """skops.io.load swaps a node for the earlier node of the same ``__id__``: an SVC whose
    support_ is proven from its own member but loads an earlier decoy's out-of-range one."""
    sio = pytest.importorskip("skops.io")
    import numpy as np

    data = sio.dumps(_fit_proven("svc"))

    def decoy(doc: Any, members: dict[str, bytes]) -> None:
        st = doc["content"]["content"]
        sup = st["support_"]
        bad = np.load(io.BytesIO(members[sup["file"]]), allow_pickle=False)
        bad[-1] = 10_000
        out = io.BytesIO()
        np.save(out, bad, allow_pickle=False)
        members["decoy.npy"] = out.getvalue()
        fake = dict(sup, file="decoy.npy")  # same __id__, read first by skops
        doc["content"]["content"] = {"_decoy": fake, **st}
        kt = doc["content"]["key_types"]["content"]
        kt.insert(0, copy.deepcopy(kt[0]))

    evil = _retamper(data, decoy)
    hits = [f for f in scan_data(evil, "m.skops").findings if f.rule_id == "AIR-SKOPS-004"]
    assert hits and "__id__ differ" in hits[0].evidence, hits
    # the oracle: skops really loads the decoy's array as support_ (our own fixture; nothing
    # is run on it)
    model = sio.loads(evil, trusted=sio.get_untrusted_types(data=evil))
    assert int(model.support_[-1]) == 10_000


def test_a_tree_node_is_judged_as_the_tree_skops_builds_whatever_its_label() -> None:
    """TreeNode's constructor is fixed (sklearn.tree._tree.Tree): a harmless label does not
    make an unproven Tree (outside any decision-tree estimator) pass."""
    sio = pytest.importorskip("skops.io")
    tree_data = sio.dumps(_fit_tree("dt"))
    tree_node = json.loads(zipfile.ZipFile(io.BytesIO(tree_data)).read("schema.json"))[
        "content"]["content"]["tree_"]  # fmt: skip
    tree_node.update(__class__="LogisticRegression", __module__="sklearn.linear_model._logistic")

    def plant(doc: Any, members: dict[str, bytes]) -> None:
        members.update(_members(tree_data))
        doc["content"]["content"]["steps"]["content"][0]["content"][1]["content"]["content"][
            "planted"] = tree_node  # fmt: skip
        kt = doc["content"]["content"]["steps"]["content"][0]["content"][1]["content"][
            "key_types"]["content"]  # fmt: skip
        kt.append(copy.deepcopy(kt[0]))

    report = scan_data(_retamper(sio.dumps(_fit("scaler+logreg")), plant), "m.skops")
    hits = [f for f in report.findings if f.rule_id == "AIR-SKOPS-004"]
    assert any((f.extra or {}).get("callable") == "sklearn.tree._tree.Tree" for f in hits), hits


def _members(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n) for n in z.namelist() if n != "schema.json"}
