"""scikit-learn decision trees trust their node array (session-9 gap): ``Tree.__setstate__``
checks the node dtype and the values' shape, not the child and feature indices, so a pickle
with a child index past the array (or a cycle, or a feature past X's width) loads fine and
crashes or hangs in ``predict``. Trees are allowed only when proven from the node bytes in the
file and linked to the estimator whose n_features_in_ check bounds X (AIR-PKL-017).

Honest models come from the real savers; malicious ones are honest models with a changed
``tree_`` state, saved by the same savers; the oracle loads and predicts in a child process."""

from __future__ import annotations

import pickle
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import airlock
from airlock.scan import index_proof as ip

np = pytest.importorskip("numpy")
pytest.importorskip("sklearn")
joblib = pytest.importorskip("joblib")
hyp = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")

from tests.scan_pickle import dtree_fixtures as fx  # noqa: E402
from tests.scan_pickle import index_fixtures as ix  # noqa: E402

RULE = ip.RULE


_blocking = ix.blocking


_save = ix.save_all_compressed


@pytest.fixture(scope="module")
def honest_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _save(fx.honest(), tmp_path_factory.mktemp("honest_trees"))


@pytest.fixture(scope="module")
def malicious_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {p.name: p for p in _save(fx.malicious(), tmp_path_factory.mktemp("bad_trees"))}


def test_honest_saves_stay_clean(honest_files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Classifiers/regressors, multi-output, class_weight, best-first (max_leaf_nodes), missing
    values, pruned, single-node, extra trees, random/extra forests, gradient boosting,
    isolation forests (with max_features), bagging, AdaBoost, a pipeline, an unfitted forest;
    pickle protocols 2/4/5, joblib plain and compressed: no blocking finding, every tree
    proven (not skipped)."""
    verdicts: Counter[str | None] = Counter()
    real = ip.dtree_verdict

    def counting(*args: Any) -> str | None:
        why = real(*args)
        verdicts[why] += 1
        return why

    monkeypatch.setattr(ip, "dtree_verdict", counting)
    assert len(honest_files) == 5 * len(fx.honest())
    dirty = {p.name: _blocking(p) for p in honest_files if _blocking(p)}
    assert not dirty
    assert set(verdicts) == {None}
    assert verdicts[None] >= 5 * 60  # trees in all the files


def test_every_malicious_save_is_denied(malicious_files: dict[str, Path]) -> None:
    undenied = [
        name
        for name, path in malicious_files.items()
        if not any(f.rule_id == RULE for f in airlock.scan(path).findings)
    ]
    assert not undenied
    finding = next(
        f for f in airlock.scan(malicious_files["left_huge.p4.pkl"]).findings if f.rule_id == RULE
    )
    assert finding.severity.name == "HIGH"
    assert "sklearn.tree._tree.Tree" in finding.evidence
    assert "past node_count" in finding.evidence


# the real loader and predict, in a child process: these crash (signal) or hang today
BROKEN = {
    "left_huge.p4.pkl": "crash",
    "feature_huge.joblib": "crash",
    "forest_member.p5.pkl": "crash",
    "gb_stage.z3.joblib": "crash",
    "cycle_to_root.p4.pkl": "hang",
    "leaf_cycle.joblib": "hang",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_oracle_breaks_and_scan_denies(name: str, malicious_files: dict[str, Path]) -> None:
    path = malicious_files[name]
    assert fx.oracle(path, timeout=20) == BROKEN[name]
    assert any(f.rule_id == RULE for f in airlock.scan(path).findings)


@pytest.mark.slow
def test_oracle_honest_loads_and_predicts(honest_files: list[Path]) -> None:
    for name in ("dtc_missing.p4.pkl", "rf.joblib", "gbr.z3.joblib", "dtr_multi.p2.pkl"):
        path = next(p for p in honest_files if p.name == name)
        assert fx.oracle(path) == "ok"


# --- how a tree is linked to the width its estimator checks ----------------------------------


def _fitted() -> Any:
    from sklearn.tree import DecisionTreeClassifier

    X, y, _ = fx._data()
    return DecisionTreeClassifier(random_state=0).fit(X, y)


def _rules(tmp_path: Path, obj: Any) -> list[str]:
    path = tmp_path / "m.pkl"
    path.write_bytes(pickle.dumps(obj, protocol=4))
    return [f.rule_id for f in airlock.scan(path).findings]


def test_bare_tree_is_not_proven(tmp_path: Path) -> None:
    """A Tree alone: nothing checks the width of X it is given."""
    assert RULE in _rules(tmp_path, _fitted().tree_)
    assert RULE not in _rules(tmp_path, _fitted())


def test_tree_shared_with_a_narrower_estimator_is_not_proven(tmp_path: Path) -> None:
    a, b = _fitted(), _fitted()
    b.__dict__["tree_"] = a.tree_  # one Tree object (memoized), two widths
    b.n_features_in_ = 2
    assert RULE in _rules(tmp_path, [a, b])
    b.n_features_in_ = fx.N_FEATURES
    assert RULE not in _rules(tmp_path, [a, b])


def test_estimator_without_n_features_in_is_not_proven(tmp_path: Path) -> None:
    est = _fitted()
    del est.n_features_in_  # sklearn then skips the width check
    assert RULE in _rules(tmp_path, est)


def test_state_dict_extra_key_is_not_proven(tmp_path: Path) -> None:
    est = _fitted()
    cls, args, state = est.tree_.__reduce__()
    est.__dict__["tree_"] = ix.Reduce((cls, args, dict(state, capacity=10)))
    assert RULE in _rules(tmp_path, est)


def test_older_node_layout_is_proven() -> None:
    """scikit-learn < 1.3 nodes (no missing_go_to_left, 56 bytes) carry the same indices."""
    nodes = _fitted().tree_.__reduce__()[2]["nodes"]
    old = np.zeros(len(nodes), dtype=[(n, nodes.dtype[n]) for n in nodes.dtype.names[:-1]])
    for n in old.dtype.names:
        old[n] = nodes[n]
    assert old.dtype.itemsize == 56
    state = _state(old)
    assert ip.dtree_verdict((fx.N_FEATURES, _nc(), 1), state, [fx.N_FEATURES], _arr_of) is None


# --- the verdict against a walk of the tree ----------------------------------------------------


def _fields(dt: Any) -> tuple[tuple[str, str, int], ...]:
    return tuple((n, dt.fields[n][0].str, dt.fields[n][1]) for n in dt.names)


class _A:
    def __init__(self, a: Any) -> None:
        raw = a.tobytes()
        fields = _fields(a.dtype) if a.dtype.names else None
        self.arr = ip.Arr(a.shape, a.dtype.str, lambda: raw, lambda: fields)


def _arr_of(v: Any) -> Any:
    return v.arr if isinstance(v, _A) else "not an array"


def _nc() -> Any:
    return _A(np.array([3], dtype="<i8"))


def _state(nodes: Any, max_depth: int = 64, count: int | None = None) -> dict[str, Any]:
    n = len(nodes)
    return {
        "max_depth": max_depth,
        "node_count": n if count is None else count,
        "nodes": _A(nodes),
        "values": _A(np.zeros((n, 1, 3))),
    }


def _walk_is_safe(nodes: Any, n_features: int, max_depth: int, count: int) -> bool:
    """What predict/apply/decision_path need: from node 0, in-range children and features,
    every path ending at a leaf within max_depth, no node revisited."""
    if count != len(nodes) or count < 1:
        return False
    seen: set[int] = set()
    todo = [(0, 0)]
    while todo:
        i, d = todo.pop()
        if not 0 <= i < count or i in seen or d > max_depth:
            return False
        seen.add(i)
        left, right, feat = (int(nodes[k][i]) for k in ("left_child", "right_child", "feature"))
        if left == -1:
            continue
        if not 0 <= feat < n_features:
            return False
        todo += [(left, d + 1), (right, d + 1)]
    return True


def _grow(order: list[int], leaves: int) -> Any:
    """A tree grown by splitting leaves in the given order (ids in creation order, as sklearn's
    depth-first and best-first builders number them)."""
    from sklearn.tree._tree import NODE_DTYPE

    left, right, feat, depth = [-1], [-1], [-2], [0]
    open_ = [0]
    for k in order[:leaves]:
        i = open_.pop(k % len(open_))
        left[i], right[i], feat[i] = len(left), len(left) + 1, k % fx.N_FEATURES
        for _ in range(2):
            open_.append(len(left))
            left.append(-1)
            right.append(-1)
            feat.append(-2)
            depth.append(depth[i] + 1)
    nodes = np.zeros(len(left), dtype=NODE_DTYPE)
    nodes["left_child"], nodes["right_child"], nodes["feature"] = left, right, feat
    return nodes, max(depth)


@hyp.settings(max_examples=400, deadline=None)
@hyp.given(
    order=st.lists(st.integers(0, 50), max_size=12),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["left_child", "right_child", "feature"]),
            st.integers(0, 30),
            st.integers(-3, 30),
        ),
        max_size=3,
    ),
    depth_slack=st.integers(-2, 2),
    count_delta=st.sampled_from([0, 0, 0, 1, -1]),
)
def test_verdict_is_sound_against_a_walk(
    order: list[int], edits: list[tuple[str, int, int]], depth_slack: int, count_delta: int
) -> None:
    nodes, depth = _grow(order, len(order))
    for field, i, v in edits:
        nodes[field][i % len(nodes)] = v
    max_depth = max(0, depth + depth_slack)
    count = len(nodes) + count_delta
    why = ip.dtree_verdict(
        (fx.N_FEATURES, _nc(), 1), _state(nodes, max_depth, count), [fx.N_FEATURES], _arr_of
    )
    if why is None:
        assert _walk_is_safe(nodes, fx.N_FEATURES, max_depth, count)
    if not edits and depth_slack >= 0 and count_delta == 0:
        assert why is None  # honest shapes are proven


def test_state_changed_after_setstate_is_judged_as_the_loader_used_it(tmp_path: Path) -> None:
    """Tree.__setstate__ copies the nodes at BUILD: a SETITEM putting honest nodes into the
    (memoized) state dict afterwards changes nothing the loader keeps."""
    import pickletools
    import struct

    est = _fitted()
    cls, args, state = est.tree_.__reduce__()
    good = state["nodes"].copy()
    bad = good.copy()
    bad["left_child"][0] = 1 << 40
    est.__dict__["tree_"] = ix.Reduce((cls, args, dict(state, nodes=bad)))
    data = pickle._dumps([good, est], protocol=4)  # type: ignore[attr-defined]
    ops = list(pickletools.genops(data))
    memo, arr_memo, dict_memo, at, seen = 0, None, None, None, False
    for i, (op, arg, pos) in enumerate(ops):
        seen = seen or arg == "Tree"
        if op.name == "MEMOIZE":
            prev = ops[i - 1][0].name
            arr_memo = memo if arr_memo is None and prev == "REDUCE" else arr_memo
            dict_memo = memo if seen and dict_memo is None and prev == "EMPTY_DICT" else dict_memo
            memo += 1
        if dict_memo is not None and op.name == "BUILD" and at is None:
            at = pos + 1
    assert arr_memo is not None and dict_memo is not None and at is not None

    def get(i: int) -> bytes:
        return b"j" + struct.pack("<I", i)

    patch = get(dict_memo) + b"\x8c\x05nodes" + get(arr_memo) + b"s0"
    out = data[:at] + patch + data[at:]
    assert pickle.loads(out)[1].tree_.children_left[0] == 1 << 40  # what the loader keeps
    path = tmp_path / "m.pkl"
    path.write_bytes(out)
    assert RULE in [f.rule_id for f in airlock.scan(path).findings]
