"""Honest ``skops.io.dump`` saves scanned: how many come out clean, and why the rest do not.

``PYTHONPATH=.:src python -m bench.skops_grid [grid18|broad]``

* ``grid18``: the 18-estimator grid the skops handler was first measured on (13 everyday
  estimators and pipelines, 5 tree / boosting / KD-tree models), one fit each;
* ``broad``: written before its first run (held out from the rules): trees, forests, boosting
  and neighbours over 3 seeds x several hyper-parameters, alone and inside pipelines and column
  transformers, binary / multiclass / regression targets and two data widths.

Prints one line per save that is not clean (its findings) and the clean count. Run it with the
``src`` of another commit on ``PYTHONPATH`` for a before / after figure.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from typing import Any


def _data(seed: int, width: int) -> tuple[Any, Any, Any, Any]:
    import numpy as np

    rng = np.random.RandomState(seed)
    x = rng.rand(80, width)
    y2 = (x[:, 0] + 0.2 * rng.rand(80) > 0.6).astype(int)
    y3 = (x[:, 1] * 3).astype(int).clip(0, 2)
    yr = x[:, 0] * 2 + rng.rand(80)
    return x, y2, y3, yr


def grid18() -> Iterator[tuple[str, Any]]:
    import numpy as np
    from sklearn import (
        cluster,
        compose,
        decomposition,
        ensemble,
        impute,
        linear_model,
        naive_bayes,
        neighbors,
        pipeline,
        svm,
        tree,
    )
    from sklearn import feature_extraction as fe
    from sklearn import preprocessing as pre

    x, y, _, yr = _data(0, 4)
    texts = ["alpha beta", "beta gamma", "gamma delta", "alpha delta"] * 20
    yield (
        "scaler+logreg",
        pipeline.make_pipeline(pre.StandardScaler(), linear_model.LogisticRegression()).fit(x, y),
    )
    yield (
        "impute+pca+ridge",
        pipeline.make_pipeline(
            impute.SimpleImputer(), decomposition.PCA(2), linear_model.Ridge()
        ).fit(x, yr),
    )
    yield (
        "log1p+logreg",
        pipeline.make_pipeline(
            pre.FunctionTransformer(np.log1p), linear_model.LogisticRegression()
        ).fit(x, y),
    )
    yield (
        "columns+sgd",
        pipeline.make_pipeline(
            compose.ColumnTransformer(
                [("s", pre.StandardScaler(), [0, 1]), ("r", pre.RobustScaler(), [2, 3])]
            ),
            linear_model.SGDClassifier(random_state=0),
        ).fit(x, y),
    )
    yield "gaussiannb", naive_bayes.GaussianNB().fit(x, y)
    yield "svc", svm.SVC().fit(x, y)
    yield "nusvr", svm.NuSVR().fit(x, yr)
    yield "kmeans", cluster.KMeans(2, n_init=1, random_state=0).fit(x)
    yield (
        "onehot+logreg",
        pipeline.make_pipeline(
            pre.OneHotEncoder(handle_unknown="ignore"), linear_model.LogisticRegression()
        ).fit((x * 3).astype(int), y),
    )
    yield (
        "tfidf+logreg",
        pipeline.make_pipeline(fe.text.TfidfVectorizer(), linear_model.LogisticRegression()).fit(
            texts, y
        ),
    )
    yield "count", fe.text.CountVectorizer().fit(texts)
    yield "knn_brute", neighbors.KNeighborsClassifier(algorithm="brute").fit(x, y)
    yield "linearsvc", svm.LinearSVC().fit(x, y)
    yield "decision_tree", tree.DecisionTreeClassifier(random_state=0).fit(x, y)
    yield "random_forest", ensemble.RandomForestClassifier(10, random_state=0).fit(x, y)
    yield "gradient_boosting", ensemble.GradientBoostingClassifier(n_estimators=10).fit(x, y)
    yield "hist_gb", ensemble.HistGradientBoostingClassifier(max_iter=10).fit(x, y)
    yield "knn_kd_tree", neighbors.KNeighborsClassifier(algorithm="kd_tree").fit(x, y)


def broad() -> Iterator[tuple[str, Any]]:
    from sklearn import compose, ensemble, neighbors, pipeline, tree
    from sklearn import preprocessing as pre

    for seed in (0, 1, 2):
        for width in (3, 7):
            x, y2, y3, yr = _data(seed, width)
            s = f"s{seed}w{width}"
            for depth in (None, 2, 5):
                yield (
                    f"dt_{s}_d{depth}",
                    tree.DecisionTreeClassifier(max_depth=depth, random_state=seed).fit(x, y3),
                )
                yield (
                    f"dtr_{s}_d{depth}",
                    tree.DecisionTreeRegressor(
                        max_depth=depth, criterion="absolute_error", random_state=seed
                    ).fit(x, yr),
                )
                yield (
                    f"extratree_{s}_d{depth}",
                    tree.ExtraTreeClassifier(max_depth=depth, random_state=seed).fit(x, y2),
                )
            for n in (1, 7):
                yield (
                    f"rf_{s}_n{n}",
                    ensemble.RandomForestClassifier(n, max_features=None, random_state=seed).fit(
                        x, y3
                    ),
                )
                yield (
                    f"rfr_{s}_n{n}",
                    ensemble.RandomForestRegressor(n, max_depth=4, random_state=seed).fit(x, yr),
                )
                yield (
                    f"et_{s}_n{n}",
                    ensemble.ExtraTreesClassifier(n, bootstrap=True, random_state=seed).fit(x, y2),
                )
                yield f"etr_{s}_n{n}", ensemble.ExtraTreesRegressor(n, random_state=seed).fit(x, yr)
            for loss in ("log_loss", "exponential"):
                yield (
                    f"gb_{s}_{loss}",
                    ensemble.GradientBoostingClassifier(
                        loss=loss, n_estimators=6, subsample=0.8, random_state=seed
                    ).fit(x, y2),
                )
            yield (
                f"gb3_{s}",
                ensemble.GradientBoostingClassifier(n_estimators=4, random_state=seed).fit(x, y3),
            )
            yield (
                f"gb_zero_{s}",
                ensemble.GradientBoostingClassifier(
                    n_estimators=4, init="zero", random_state=seed
                ).fit(x, y2),
            )
            for loss in ("squared_error", "absolute_error", "huber", "quantile"):
                yield (
                    f"gbr_{s}_{loss}",
                    ensemble.GradientBoostingRegressor(
                        loss=loss, n_estimators=5, max_depth=2, random_state=seed
                    ).fit(x, yr),
                )
            yield (
                f"hgb_{s}",
                ensemble.HistGradientBoostingClassifier(max_iter=8, random_state=seed).fit(x, y2),
            )
            yield (
                f"hgb3_{s}",
                ensemble.HistGradientBoostingClassifier(
                    max_iter=5, max_leaf_nodes=7, random_state=seed
                ).fit(x, y3),
            )
            xc = x.copy()
            xc[:, -1] = (x[:, -1] * 5).astype(int)
            yield (
                f"hgb_cat_{s}",
                ensemble.HistGradientBoostingClassifier(
                    max_iter=6, categorical_features=[width - 1], random_state=seed
                ).fit(xc, y2),
            )
            yield (
                f"hgbr_{s}_es",
                ensemble.HistGradientBoostingRegressor(
                    max_iter=30, early_stopping=True, n_iter_no_change=2, random_state=seed
                ).fit(x, yr),
            )
            yield (
                f"hgbr_{s}_poisson",
                ensemble.HistGradientBoostingRegressor(
                    loss="poisson", max_iter=5, random_state=seed
                ).fit(x, yr),
            )
            for algo in ("kd_tree", "ball_tree"):
                for leaf in (1, 10, 40):
                    yield (
                        f"knn_{s}_{algo}_l{leaf}",
                        neighbors.KNeighborsClassifier(3, algorithm=algo, leaf_size=leaf).fit(
                            x, y3
                        ),
                    )
                yield (
                    f"knnr_{s}_{algo}",
                    neighbors.KNeighborsRegressor(5, algorithm=algo, weights="distance").fit(x, yr),
                )
                yield (
                    f"nn_{s}_{algo}",
                    neighbors.NearestNeighbors(n_neighbors=2, algorithm=algo).fit(x),
                )
            yield (
                f"knn_{s}_manhattan",
                neighbors.KNeighborsClassifier(algorithm="ball_tree", metric="manhattan").fit(
                    x, y2
                ),
            )
            yield (
                f"pipe_scaler_rf_{s}",
                pipeline.make_pipeline(
                    pre.StandardScaler(), ensemble.RandomForestClassifier(4, random_state=seed)
                ).fit(x, y2),
            )
            yield (
                f"pipe_cols_gb_{s}",
                pipeline.make_pipeline(
                    compose.ColumnTransformer(
                        [("s", pre.StandardScaler(), [0]), ("m", pre.MinMaxScaler(), [1])],
                        remainder="passthrough",
                    ),
                    ensemble.GradientBoostingRegressor(n_estimators=3, random_state=seed),
                ).fit(x, yr),
            )
            yield (
                f"pipe_hgb_{s}",
                pipeline.make_pipeline(
                    pre.MinMaxScaler(), ensemble.HistGradientBoostingClassifier(max_iter=4)
                ).fit(x, y3),
            )
            yield (
                f"pipe_knn_kd_{s}",
                pipeline.make_pipeline(
                    pre.StandardScaler(), neighbors.KNeighborsClassifier(algorithm="kd_tree")
                ).fit(x, y2),
            )
            yield (
                f"voting_{s}",
                ensemble.VotingClassifier(
                    [
                        ("dt", tree.DecisionTreeClassifier(max_depth=3, random_state=seed)),
                        ("knn", neighbors.KNeighborsClassifier(algorithm="ball_tree")),
                    ],
                    voting="soft",
                ).fit(x, y2),
            )
            yield (
                f"bagging_{s}",
                ensemble.BaggingClassifier(
                    tree.DecisionTreeClassifier(), n_estimators=3, random_state=seed
                ).fit(x, y2),
            )
            yield (
                f"adaboost_{s}",
                ensemble.AdaBoostClassifier(
                    tree.DecisionTreeClassifier(max_depth=1), n_estimators=4, random_state=seed
                ).fit(x, y2),
            )


def main() -> None:
    import skops.io as sio

    from airlock.scan.engine import scan_data

    which = sys.argv[1] if len(sys.argv) > 1 else "grid18"
    cases = grid18() if which == "grid18" else broad()
    total = clean = 0
    scan_s = 0.0
    for name, est in cases:
        data = sio.dumps(est)
        t = time.perf_counter()
        report = scan_data(data, "model.skops")
        scan_s += time.perf_counter() - t
        total += 1
        if report.findings:
            why = sorted({f"{f.rule_id} {f.evidence[:140]}" for f in report.findings})
            print(f"NOT CLEAN {name}: {why[:3]}")
        else:
            clean += 1
    print(f"{which}: {clean} of {total} honest saves clean; scans took {scan_s:.2f} s in all")


if __name__ == "__main__":
    main()
