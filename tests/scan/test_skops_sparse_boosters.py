"""skops files holding scipy sparse matrices (``SparseMatrixNode``: ``load_npz`` of a member) and
LightGBM / XGBoost boosters (``Booster.__setstate__`` with the model text / serialised bytes):
honest saves from the real savers are proven (fp14 sweep), near-twins with one field broken are
not. The sparse members and the booster models go through the pickle analysis' proofs."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data

sio = pytest.importorskip("skops.io")
np = pytest.importorskip("numpy")
sp = pytest.importorskip("scipy.sparse")


def _unscanned(data: bytes) -> tuple[list[Any], bool]:
    report = scan_data(data, "model.skops")
    return report.findings, any(o.status == "not_scanned" for o in report.objects)


def _blocked(data: bytes) -> bool:
    findings, unscanned = _unscanned(data)
    return unscanned or any(f.severity in (Severity.HIGH, Severity.CRITICAL) for f in findings)


def _clean(data: bytes) -> bool:
    findings, unscanned = _unscanned(data)
    return not findings and not unscanned


def _nodes(doc: Any, cls: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = [doc]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if n.get("__class__") == cls:
                out.append(n)
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return out


def _rewrite(data: bytes, edit: Any) -> bytes:
    """The save with ``edit(schema, members)`` applied (both mutable)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    members = {i.filename: src.read(i.filename) for i in src.infolist()}
    schema = json.loads(members["schema.json"])
    edit(schema, members)
    members["schema.json"] = json.dumps(schema).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name, body in members.items():
            out.writestr(name, body)
    return buf.getvalue()


def _npz(matrix: Any) -> bytes:
    buf = io.BytesIO()
    sp.save_npz(buf, matrix)
    return buf.getvalue()


def _sparse_x() -> tuple[Any, Any]:
    rng = np.random.RandomState(3)
    x = sp.random(40, 9, density=0.3, format="csr", random_state=rng)
    return x, rng.randint(0, 2, 40)


def _knn() -> Any:
    from sklearn.neighbors import KNeighborsClassifier

    x, y = _sparse_x()
    return KNeighborsClassifier(n_neighbors=3).fit(x, y)


def _svc(kernel: str = "rbf") -> Any:
    from sklearn.svm import SVC

    x, y = _sparse_x()
    return SVC(kernel=kernel).fit(x, y)


def _member_of(schema: dict[str, Any], owner: str, field: str) -> str:
    (node,) = _nodes(schema, owner)
    return str(node["content"]["content"][field]["file"])


@pytest.mark.parametrize(
    "make",
    [_knn, _svc, lambda: _svc("linear"), lambda: _sparse_x()[0], lambda: _sparse_x()[0].tocsc()],
)
def test_honest_sparse_skops_saves_are_clean(make: Any) -> None:
    pytest.importorskip("sklearn")
    assert _clean(sio.dumps(make()))


def test_sparse_fit_x_with_more_rows_than_labels_is_denied() -> None:
    """A valid CSR of 60 rows as the _fit_X of a 40-label model: kneighbors indexes _y past it."""
    pytest.importorskip("sklearn")

    def edit(schema: dict[str, Any], members: dict[str, bytes]) -> None:
        wide = sp.random(60, 9, density=0.3, format="csr", random_state=0)
        members[_member_of(schema, "KNeighborsClassifier", "_fit_X")] = _npz(wide)

    assert _blocked(_rewrite(sio.dumps(_knn()), edit))


def test_sparse_column_out_of_range_is_denied() -> None:
    """The support vectors' CSR with a column index past its width (load_npz does not check)."""
    pytest.importorskip("sklearn")

    def edit(schema: dict[str, Any], members: dict[str, bytes]) -> None:
        name = _member_of(schema, "SVC", "support_vectors_")
        z = zipfile.ZipFile(io.BytesIO(members[name]))
        arrays = {n: z.read(n) for n in z.namelist()}
        idx = np.load(io.BytesIO(arrays["indices.npy"]), allow_pickle=False)  # our own ints
        idx[0] = 10_000
        out = io.BytesIO()
        np.save(out, idx, allow_pickle=False)
        arrays["indices.npy"] = out.getvalue()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as w:
            for n, b in arrays.items():
                w.writestr(n, b)
        members[name] = buf.getvalue()

    assert _blocked(_rewrite(sio.dumps(_svc()), edit))


def test_sparse_support_vectors_short_of_support_is_denied() -> None:
    pytest.importorskip("sklearn")

    def edit(schema: dict[str, Any], members: dict[str, bytes]) -> None:
        short = sp.random(2, 9, density=0.5, format="csr", random_state=0)
        members[_member_of(schema, "SVC", "support_vectors_")] = _npz(short)

    assert _blocked(_rewrite(sio.dumps(_svc()), edit))


def _lgb() -> Any:
    lgb = pytest.importorskip("lightgbm")
    x = np.random.RandomState(4).normal(size=(200, 5))
    clf = lgb.LGBMClassifier(n_estimators=4, num_leaves=4, min_child_samples=5, verbose=-1)
    return clf.fit(x, x[:, 0] > 0)


def _xgb() -> Any:
    xgb = pytest.importorskip("xgboost")
    x, y = _sparse_x()
    return xgb.XGBClassifier(n_estimators=4, max_depth=2).fit(x.toarray(), y)


@pytest.mark.parametrize("make", [_lgb, _xgb])
def test_honest_booster_skops_saves_are_clean(make: Any) -> None:
    assert _clean(sio.dumps(make()))


def test_lightgbm_text_with_a_feature_past_the_model_is_denied() -> None:
    """rt11 f4's read past the features (split_feature 400000000, no tree_sizes) in skops."""

    def edit(schema: dict[str, Any], members: dict[str, bytes]) -> None:
        (node,) = [n for n in _nodes(schema, "Booster") if n["__module__"] == "lightgbm.basic"]
        handle = node["content"]["content"]["_handle"]
        text = json.loads(handle["content"])
        text = re.sub(r"\ntree_sizes=[0-9 ]+", "", text)
        text = re.sub(
            r"\nsplit_feature=([^\n]*)",
            lambda m: "\nsplit_feature=" + " ".join("400000000" for _ in m.group(1).split()),
            text,
            count=1,
        )
        assert "400000000" in text
        handle["content"] = json.dumps(text)

    assert _blocked(_rewrite(sio.dumps(_lgb()), edit))


def test_xgboost_model_with_a_split_past_the_features_is_denied(tmp_path: Any) -> None:
    """rt11 f5's split index 400000000, in the booster bytes XGBoost itself serialised."""
    xgb = pytest.importorskip("xgboost")
    clf = _xgb()
    doc = json.loads(clf.get_booster().save_raw("json"))
    for tree in doc["learner"]["gradient_booster"]["model"]["trees"]:
        tree["split_indices"] = [400000000 for _ in tree["split_indices"]]
    src = tmp_path / "feat.json"
    src.write_text(json.dumps(doc))
    clf._Booster = xgb.Booster(model_file=str(src))  # loads without complaint
    assert _blocked(sio.dumps(clf))


def test_xgboost_booster_bytes_that_are_no_model_are_denied() -> None:
    def edit(schema: dict[str, Any], members: dict[str, bytes]) -> None:
        (node,) = [n for n in _nodes(schema, "Booster") if n["__module__"] == "xgboost.core"]
        members[node["content"]["content"]["handle"]["file"]] = b"\x00" * 64

    assert _blocked(_rewrite(sio.dumps(_xgb()), edit))
