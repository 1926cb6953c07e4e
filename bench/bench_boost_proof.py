"""Cost of the LightGBM / XGBoost index proofs on large honest models.

``PYTHONPATH=.:src python -m bench.bench_boost_proof [OUT_DIR]``: trains a LightGBM model
(300 trees x 127 leaves, 20 features) and an XGBoost model (300 trees, depth 8), saves them
natively and with joblib, and times ``airlock scan`` of each file (best of 3, one process).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main() -> None:
    import joblib
    import lightgbm as lgb
    import numpy as np
    import xgboost as xgb

    from airlock.scan.engine import scan_paths

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench_boost")
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5_000, 20))
    y = x[:, :5].sum(axis=1) + rng.normal(size=len(x))
    lb = lgb.train(
        {
            "objective": "regression",
            "num_leaves": 127,
            "min_data_in_leaf": 5,
            "verbose": -1,
            "num_threads": 1,
        },
        lgb.Dataset(x, y),
        num_boost_round=300,
    )
    lb.save_model(str(out / "lgb.txt"))
    joblib.dump(lb, out / "lgb.joblib")
    xb = xgb.train({"max_depth": 8, "nthread": 1}, xgb.DMatrix(x, y), num_boost_round=300)
    xb.save_model(str(out / "xgb.json"))
    xb.save_model(str(out / "xgb.ubj"))
    joblib.dump(xb, out / "xgb.joblib")
    for name in ("lgb.txt", "lgb.joblib", "xgb.json", "xgb.ubj", "xgb.joblib"):
        path = out / name
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            report = scan_paths([path])
            best = min(best, time.perf_counter() - t0)
        size = path.stat().st_size / 1e6
        print(f"{name}: {size:.1f} MB, {len(report.findings)} findings, best {best:.2f} s")


if __name__ == "__main__":
    main()
