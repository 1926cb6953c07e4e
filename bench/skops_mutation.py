"""Mutation campaign on the skops tree proofs: honest saves of trees, forests, boosting and KD/Ball
trees mutated at random, scanned, and every mutant the scanner allows checked by an oracle.

``PYTHONPATH=.:src python -m bench.skops_mutation [N_PER_BASE] [SEED]`` (defaults 60, 0).

Mutations (one per mutant, seeded): truncate a ``.npy`` member; set one index field of a tree
record (Tree ``left_child``/``right_child``/``feature``, TreePredictor ``left``/``right``/
``feature_idx``, KD/Ball ``idx_array`` / ``node_data`` starts and ends) to a random value;
change an int JsonNode by -1/+1/+1000/-5; swap the members of two array nodes; drop a state
key; give a node another node's ``__id__``; replace an array node by a JSON list.

Oracle for allowed mutants (a subprocess, so a crash is seen and harms nothing): the documented
``skops.io.loads(data, trusted=get_untrusted_types(data=data))``, then a bounds-checked
Python walk of every Tree / TreePredictor / KD / Ball tree the loaded model holds (children and
features in range from node 0, no cycles, idx arrays inside the data) against the width its
owner checks X for, then ``predict`` on rows of that width. ``unsafe allowed`` counts allowed
mutants whose loaded trees fail the walk or whose process dies; a mutant skops cannot load is
harmless whatever the scan says.
"""

from __future__ import annotations

import copy
import io
import json
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ORACLE = r"""
import sys, numpy as np, skops.io as sio
from sklearn.tree._tree import Tree
from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor
"""

ORACLE += r"""
def walk(left, right, feature, leaf, n_feat):
    n = len(left)
    seen = set(); stack = [0]
    while stack:
        i = stack.pop()
        if not 0 <= i < n or i in seen:
            return f"node {i} out of range or reached twice"
        seen.add(i)
        if leaf(i):
            continue
        if not 0 <= int(feature[i]) < n_feat:
            return f"feature {int(feature[i])} outside width {n_feat}"
        stack += [int(left[i]), int(right[i])]
    return None

def check(obj, width, out, depth=0):
    if depth > 30:
        return
    if isinstance(obj, Tree):
        st = obj.__getstate__(); nodes = st["nodes"]
        if st["node_count"] != len(nodes):
            out.append("node_count differs from nodes")
        w = walk(nodes["left_child"], nodes["right_child"], nodes["feature"],
                 lambda i: nodes["left_child"][i] == -1, width if width else obj.n_features)
        if w: out.append("Tree: " + w)
        return
    if isinstance(obj, TreePredictor):
        nodes = obj.nodes
        w = walk(nodes["left"], nodes["right"], nodes["feature_idx"],
                 lambda i: nodes["is_leaf"][i], width)
        if w: out.append("TreePredictor: " + w)
        return
    if type(obj).__name__ in ("KDTree", "BallTree"):
        data, idx, node_data, bounds = obj.get_arrays()
        if len(idx) and (idx.min() < 0 or idx.max() >= len(data)):
            out.append("idx_array out of range")
        for i, nd in enumerate(node_data):
            s, e, is_leaf = int(nd["idx_start"]), int(nd["idx_end"]), int(nd["is_leaf"])
            if s < 0 or e < s or e > len(idx):
                out.append("node idx range"); break
            if not is_leaf and 2 * i + 2 >= len(node_data):
                out.append("node children past n_nodes"); break
        return
    w = getattr(obj, "n_features_in_", width)
    if isinstance(w, (int, np.integer)) and not isinstance(obj, np.ndarray):
        width = int(w)
    if isinstance(obj, (list, tuple)):
        items = obj
    elif isinstance(obj, np.ndarray) and obj.dtype == object:
        items = list(obj.ravel())
    elif isinstance(obj, dict):
        items = list(obj.values())
    elif hasattr(obj, "__dict__") and type(obj).__module__.startswith(("sklearn", "numpy")):
        items = list(vars(obj).values())
    else:
        return
    for it in items:
        check(it, width, out, depth + 1)

for path in sys.argv[1:]:
    data = open(path, "rb").read()
    print("START", path, flush=True)
    try:
        model = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    except Exception as exc:
        print("LOADFAIL", path, type(exc).__name__, flush=True); continue
    problems = []
    check(model, None, problems)
    if problems:
        print("UNSAFE", path, problems[0], flush=True); continue
    width = getattr(model, "n_features_in_", None)
    try:
        if isinstance(width, int) and width > 0:
            X = np.random.RandomState(0).rand(50, width)
            model.predict(X) if hasattr(model, "predict") else model.kneighbors(X)
        print("RAN", path, flush=True)
    except Exception as exc:
        print("RAISED", path, type(exc).__name__, flush=True)
"""


def bases() -> dict[str, Any]:
    import numpy as np
    from sklearn import ensemble, neighbors, pipeline, tree
    from sklearn import preprocessing as pre

    rng = np.random.RandomState(0)
    x = rng.rand(60, 4)
    y = (x[:, 0] > 0.5).astype(int)
    y3 = (x[:, 1] * 3).astype(int).clip(0, 2)
    xc = x.copy()
    xc[:, 3] = (x[:, 3] * 4).astype(int)
    return {
        "dt": tree.DecisionTreeClassifier(max_depth=4, random_state=0).fit(x, y3),
        "rf": ensemble.RandomForestRegressor(3, max_depth=3, random_state=0).fit(x, x[:, 1]),
        "gb": ensemble.GradientBoostingClassifier(n_estimators=3, max_depth=2).fit(x, y),
        "gb3": ensemble.GradientBoostingClassifier(n_estimators=2, max_depth=2).fit(x, y3),
        "hgb": ensemble.HistGradientBoostingClassifier(max_iter=3, max_depth=3).fit(x, y),
        "hgb_cat": ensemble.HistGradientBoostingClassifier(
            max_iter=3, categorical_features=[3]
        ).fit(xc, y),
        "kd": neighbors.KNeighborsClassifier(3, algorithm="kd_tree", leaf_size=5).fit(x, y),
        "ball": neighbors.KNeighborsRegressor(3, algorithm="ball_tree", leaf_size=5).fit(
            x, x[:, 0]
        ),
        "pipe_rf": pipeline.make_pipeline(
            pre.StandardScaler(), ensemble.RandomForestClassifier(2, random_state=0)
        ).fit(x, y),
    }


def _nodes(doc: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = [doc]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if "__loader__" in n:
                out.append(n)
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return out


_INDEX_FIELDS = {
    "left_child": "Tree",
    "right_child": "Tree",
    "feature": "Tree",
    "left": "Pred",
    "right": "Pred",
    "feature_idx": "Pred",
    "idx_start": "KD",
    "idx_end": "KD",
}


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    import numpy as np

    z = zipfile.ZipFile(io.BytesIO(data))
    doc = json.loads(z.read("schema.json"))
    members = {n: z.read(n) for n in z.namelist() if n != "schema.json"}
    nodes = _nodes(doc)
    arrays = [n for n in nodes if n["__loader__"] == "NdArrayNode" and n.get("type") == "numpy"]
    kind = rng.choice(["truncate", "index", "int", "swap", "drop", "id", "json"])
    if kind == "truncate":
        name = rng.choice(sorted(members))
        members[name] = members[name][: rng.randrange(len(members[name]))]
    elif kind == "index":
        cands = []
        for n in arrays:
            a = np.load(io.BytesIO(members[n["file"]]), allow_pickle=False)
            if a.dtype.names and any(f in _INDEX_FIELDS for f in a.dtype.names):
                cands.append((n, a))
            elif a.dtype.kind == "i" and a.ndim == 1 and len(a) > 4:
                cands.append((n, a))  # idx_array and the like
        if not cands:
            return "none", data
        n, a = rng.choice(cands)
        a = a.copy()
        i = rng.randrange(len(a)) if len(a) else 0
        bound = 2 * len(a) + 3
        if a.dtype.names:
            f = rng.choice([f for f in a.dtype.names if f in _INDEX_FIELDS])
            lo = 0 if a.dtype[f].kind == "u" else -3
            a[f][i] = rng.randrange(lo, bound)
        elif len(a):
            a[i] = rng.randrange(-3, bound)
        buf = io.BytesIO()
        np.save(buf, a, allow_pickle=False)
        members[n["file"]] = buf.getvalue()
    elif kind == "int":
        ints = [
            n for n in nodes if n["__loader__"] == "JsonNode" and n["content"].lstrip("-").isdigit()
        ]
        n = rng.choice(ints)
        n["content"] = str(int(n["content"]) + rng.choice([-1, 1, 1000, -5]))
    elif kind == "swap" and len(arrays) > 1:
        a, b = rng.sample(arrays, 2)
        a["file"], b["file"] = b["file"], a["file"]
    elif kind == "drop":
        dicts = [n for n in nodes if n["__loader__"] == "DictNode" and n["content"]]
        n = rng.choice(dicts)
        k = rng.randrange(len(n["content"]))
        del n["content"][list(n["content"])[k]]
        del n["key_types"]["content"][k]
    elif kind == "id":
        a, b = rng.sample([n for n in nodes if "__id__" in n], 2)
        a["__id__"] = b["__id__"]
    elif kind == "json" and arrays:
        n = rng.choice(arrays)
        n.clear()
        n.update({"__class__": "list", "__module__": "builtins", "__loader__": "JsonNode",
                  "content": "[0, 1]", "is_json": True})  # fmt: skip
    members["schema.json"] = json.dumps(doc).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name, body in members.items():
            out.writestr(name, body)
    return kind, buf.getvalue()


def main() -> None:
    import skops.io as sio

    from airlock.report import Severity
    from airlock.scan.engine import scan_data

    per = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    tmp = Path(tempfile.mkdtemp(prefix="skops_mut_"))
    allowed: list[tuple[str, str, Path]] = []
    counts: dict[str, list[int]] = {}
    crashes = 0
    for base, est in bases().items():
        data = sio.dumps(est)
        assert not scan_data(data, "m.skops").findings, base
        for i in range(per):
            kind, mut = mutate(copy.copy(data), rng)
            try:
                report = scan_data(mut, "m.skops")
            except Exception as exc:  # the scanner must never raise
                crashes += 1
                print(f"SCANNER RAISED {base}#{i} {kind}: {type(exc).__name__}: {exc}")
                continue
            denied = any(f.severity >= Severity.HIGH for f in report.findings)
            c = counts.setdefault(kind, [0, 0])
            c[0 if denied else 1] += 1
            if not denied:
                path = tmp / f"{base}_{i}_{kind}.skops"
                path.write_bytes(mut)
                allowed.append((base, kind, path))
    # the oracle must see what the proofs refuse: one known-unsafe mutant of each tree kind
    planted = _known_unsafe(tmp)
    seen = _oracle(planted)
    print(f"oracle self-check: {sum(v.startswith('UNSAFE') for v in seen.values())} of "
          f"{len(planted)} known-unsafe mutants seen as UNSAFE")  # fmt: skip
    verdicts = _oracle([p for _, _, p in allowed])
    unsafe = {p: v for p, v in verdicts.items() if v.startswith(("UNSAFE", "CRASH"))}
    total = sum(sum(c) for c in counts.values())
    print(f"{total} mutants over {len(bases())} honest saves; scanner raised {crashes}")
    for kind, (d, a) in sorted(counts.items()):
        print(f"  {kind:9s} denied {d:4d}  allowed {a:4d}")
    tally: dict[str, int] = {}
    for v in verdicts.values():
        tally[v.split()[0]] = tally.get(v.split()[0], 0) + 1
    print(f"allowed {len(allowed)}: oracle {tally}; unsafe allowed {len(unsafe)}")
    for p, v in unsafe.items():
        print(f"  UNSAFE ALLOWED {p.name}: {v}")


def _known_unsafe(tmp: Path) -> list[Path]:
    """A child past the nodes, a feature past the width, an idx_array past the data."""
    import numpy as np
    import skops.io as sio

    out = []
    for base, field, value in (
        ("dt", "left_child", 10_000),
        ("dt", "feature", 99),
        ("hgb", "feature_idx", 50),
        ("kd", None, 10_000),
    ):
        z = zipfile.ZipFile(io.BytesIO(sio.dumps(bases()[base])))
        members = {n: z.read(n) for n in z.namelist()}
        kd = [n for n in _nodes(json.loads(members["schema.json"])) if n["__class__"] == "KDTree"]
        idx_file = kd[0]["content"]["content"][1]["file"] if kd else None
        for name, body in members.items():
            if not name.endswith(".npy") or (field is None and name != idx_file):
                continue
            a = np.load(io.BytesIO(body), allow_pickle=False)
            if field is not None and a.dtype.names and field in a.dtype.names:
                a = a.copy()
                a[field][0] = value
                if "is_leaf" in a.dtype.names:
                    a["is_leaf"][0] = 0
            elif field is None:
                a = a.copy()
                a[-1] = value
            else:
                continue
            buf = io.BytesIO()
            np.save(buf, a, allow_pickle=False)
            members[name] = buf.getvalue()
            break
        path = tmp / f"known_unsafe_{base}_{field}.skops"
        with zipfile.ZipFile(path, "w") as zout:
            for name, body in members.items():
                zout.writestr(name, body)
        out.append(path)
    return out


def _oracle(paths: list[Path]) -> dict[Path, str]:
    """Run the oracle over ``paths`` in as few processes as it takes (one more after a death)."""
    out: dict[Path, str] = {}
    left = list(paths)
    while left:
        proc = subprocess.run(
            [sys.executable, "-c", ORACLE, *map(str, left)],
            capture_output=True, text=True, timeout=1800,
        )  # fmt: skip
        started = None
        for line in proc.stdout.splitlines():
            tag, _, rest = line.partition(" ")
            path = Path(rest.split(" ")[0])
            if tag == "START":
                started = path
            else:
                out[path] = f"{tag} {rest[len(str(path)) :].strip()}"
                started = None
        if started is not None and started not in out:
            out[started] = f"CRASH rc={proc.returncode}"
        done = set(out)
        if proc.returncode == 0 and all(p in done for p in left):
            break
        left = [p for p in left if p not in done]
        if started is None and proc.returncode != 0:
            for p in left:
                out[p] = f"CRASH before start rc={proc.returncode} {proc.stderr[-200:]}"
            break
    return out


if __name__ == "__main__":
    main()
