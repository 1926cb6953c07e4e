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


def test_real_tree_save_is_refused_as_not_proven() -> None:
    sio = pytest.importorskip("skops.io")
    import numpy as np
    from sklearn.tree import DecisionTreeClassifier

    X = np.random.RandomState(0).rand(20, 2)
    est = DecisionTreeClassifier(random_state=0).fit(X, X[:, 0] > 0.5)
    report = scan_data(sio.dumps(est), "tree.skops")
    assert set(_rules(report)) == {"AIR-SKOPS-004"}


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
    est = {
        "svc": svm.SVC(),
        "nusvr": svm.NuSVR(),
        "onehot": pipeline.make_pipeline(
            pre.OneHotEncoder(handle_unknown="ignore"), linear_model.LogisticRegression()),
    }[kind]  # fmt: skip
    return est.fit((X * 3).astype(int) if kind == "onehot" else X, y)


PROVEN = ["svc", "nusvr", "kmeans", "onehot", "tfidf+logreg", "count"]


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
