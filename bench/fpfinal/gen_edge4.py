# ruff: noqa
# Session 18 helper fpfinal: honest artifacts from real savers (see BENCHMARKS.md, Session 18 (helper fpfinal)).
import sys, pickle, numpy as np, pandas as pd, joblib, torch
from pathlib import Path

d = Path(sys.argv[1])
d.mkdir(parents=True, exist_ok=True)
idx = pd.date_range("2020-01-01", periods=200000, freq="min")
dfs = [pd.DataFrame({"v": np.random.rand(200000)}, index=idx) for _ in range(20)]
for p in (2, 4, 5):
    pickle.dump(dfs, open(d / f"dfs_shared_index.p{p}.pkl", "wb"), protocol=p)
joblib.dump(dfs, d / "dfs_shared_index.joblib")
s = pd.Series(np.random.rand(100000))
pickle.dump({f"k{i}": s for i in range(300)}, open(d / "same_series_300.pkl", "wb"), protocol=5)
cat = pd.Categorical(np.random.choice(["a", "b", "c"], 500000))
pickle.dump([pd.Series(cat) for _ in range(10)], open(d / "categoricals.pkl", "wb"), protocol=4)
b = np.random.bytes(1 << 20)
pickle.dump([b] * 300, open(d / "same_bytes_300.pkl", "wb"), protocol=4)
a = np.random.rand(512, 512)
pickle.dump({"a": a, "b": a, "c": [a] * 100}, open(d / "same_array_refs.pkl", "wb"), protocol=5)
t = torch.randn(1024, 1024)
torch.save({"w": t, "copies": [t] * 200, "ema": {"w": t}}, d / "same_tensor_refs.pt")
st = {"model": {f"l{i}.weight": t for i in range(64)}}
torch.save(st, d / "shared_weights_sd.pt")
print("ok")
