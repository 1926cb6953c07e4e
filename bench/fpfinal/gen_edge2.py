# ruff: noqa
# Session 18 helper fpfinal: honest artifacts from real savers (see BENCHMARKS.md, Session 18 (helper fpfinal)).
import sys, torch, collections
from pathlib import Path

d = Path(sys.argv[1])
d.mkdir(parents=True, exist_ok=True)
torch.save(list(torch.arange(1000)), d / "list_arange1000.pt")
torch.save(list(torch.randn(20000)), d / "list_1d_20000.pt")
torch.save(tuple(torch.randn(8, 3)), d / "tuple_rows.pt")
torch.save(dict(zip(["a", "b", "c"], torch.randn(3, 10))), d / "dict_zip_rows.pt")
torch.save(collections.OrderedDict(zip(["a", "b"], torch.randn(2, 100000))), d / "od_zip_rows.pt")
torch.save(torch.Size(torch.tensor([3, 4, 5]).tolist()), d / "size.pt")
torch.save({"losses": list(torch.rand(500))}, d / "loss_history.pt")
print("ok")
