# ruff: noqa
# Session 18 helper fpfinal: honest artifacts from real savers (see BENCHMARKS.md, Session 18 (helper fpfinal)).
import sys, torch, numpy as np, pickle, collections
from torch import nn
from pathlib import Path

d = Path(sys.argv[1])
d.mkdir(parents=True, exist_ok=True)
torch.manual_seed(0)
big = torch.randn(4000, 384)
torch.save(list(big), d / "rows_list_4000x384.pt")  # list(tensor): row views sharing one storage
torch.save(list(big.unbind(0)), d / "rows_unbind.pt")
torch.save({f"r{i}": r for i, r in enumerate(big[:2000])}, d / "rows_dict.pt")
torch.save(list(big.split(16)), d / "split16.pt")
torch.save(list(big.chunk(250)), d / "chunk250.pt")
torch.save(tuple(big.T[:200]), d / "colviews_tuple.pt")  # strided column views
torch.save(
    {"emb": big, "first": big[0], "last": big[-1], "half": big[:2000]}, d / "views_of_one.pt"
)
torch.save([big] * 500, d / "same_tensor_500.pt")
torch.save(collections.OrderedDict((f"l{i}", big) for i in range(300)), d / "same_tensor_od.pt")
m = nn.Embedding(50000, 64)
lin = nn.Linear(64, 50000, bias=False)
lin.weight = m.weight
torch.save(nn.Sequential(m, lin), d / "tied_whole.pt")
torch.save(nn.Sequential(m, lin).state_dict(), d / "tied_sd.pt")
pl = nn.ParameterList([nn.Parameter(torch.randn(64, 64)) for _ in range(50)])
torch.save(pl, d / "paramlist_whole.pt")
pd_ = nn.ParameterDict({f"p{i}": nn.Parameter(torch.randn(32)) for i in range(50)})
torch.save(pd_, d / "paramdict_whole.pt")
ml = nn.ModuleList([nn.Linear(32, 32) for _ in range(100)])
torch.save(ml, d / "modulelist_whole.pt")
# dataset-like: list of (tensor, label) tuples referencing slices of big
torch.save([(big[i], int(i % 10)) for i in range(3000)], d / "dataset_pairs.pt")
torch.save({"x": big[:, :128], "y": torch.arange(4000)}, d / "col_slice.pt")
torch.save(torch.utils.data.TensorDataset(big, torch.arange(4000)), d / "tensordataset.pt")
torch.save(big.expand(3, 4000, 384), d / "expanded.pt")
torch.save(torch.zeros(1).expand(1_000_000), d / "expand_scalar_1m.pt")
torch.save({"mask": torch.ones(512, 512, dtype=torch.bool).tril()}, d / "causal_mask.pt")
torch.save(torch.randint(0, 255, (2**20,), dtype=torch.uint8), d / "u8_1mb.pt")
torch.save(
    [torch.randint(0, 255, (2**16,), dtype=torch.uint8) for _ in range(32)], d / "u8_list.pt"
)
torch.save(big.numpy(), d / "ndarray_in_torchsave.pt")
torch.save([big[i].numpy() for i in range(500)], d / "ndarray_rows.pt")
with open(d / "np_rows.pkl", "wb") as f:
    pickle.dump([big.numpy()[i] for i in range(2000)], f, protocol=4)
with open(d / "np_same_500.pkl", "wb") as f:
    a = np.random.rand(1000, 100)
    pickle.dump([a] * 500, f, protocol=5)
with open(d / "obj_array.pkl", "wb") as f:
    pickle.dump(np.array([f"s{i}" for i in range(5000)], dtype=object), f, protocol=4)
with open(d / "obj_array_lists.pkl", "wb") as f:
    o = np.empty(2000, dtype=object)
    o[:] = [list(range(i % 20)) for i in range(2000)]
    pickle.dump(o, f, protocol=4)
with open(d / "masked.pkl", "wb") as f:
    pickle.dump(
        np.ma.masked_array(np.random.rand(1000, 100), mask=np.random.rand(1000, 100) > 0.5), f
    )
with open(d / "void_struct.pkl", "wb") as f:
    s = np.zeros(1000, dtype=[("a", "f4"), ("b", "i8"), ("c", "U8")])
    pickle.dump([s, s[0], s[1]], f)
with open(d / "scalars.pkl", "wb") as f:
    pickle.dump([np.float32(i) for i in range(5000)], f)
print("done")
