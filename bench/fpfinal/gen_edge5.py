# ruff: noqa
# Session 18 helper fpfinal: honest artifacts from real savers (see BENCHMARKS.md, Session 18 (helper fpfinal)).
import sys, torch, torch.ao.quantization as Q
from torch import nn
from pathlib import Path

d = Path(sys.argv[1])
d.mkdir(parents=True, exist_ok=True)
x = torch.randn(64, 16)
for name, ob in {
    "minmax": Q.MinMaxObserver(),
    "hist": Q.HistogramObserver(),
    "perchan": Q.PerChannelMinMaxObserver(),
    "movavg": Q.MovingAverageMinMaxObserver(),
    "fq": Q.FakeQuantize(),
    "fq_learn": Q.FusedMovingAvgObsFakeQuantize(),
    "placeholder": Q.PlaceholderObserver(),
    "noop": Q.NoopObserver(),
}.items():
    try:
        ob(x)
    except Exception:
        pass
    torch.save(ob, d / f"obs_{name}.pt")
    torch.save(ob.state_dict(), d / f"obs_{name}_sd.pt")
m = nn.Sequential(Q.QuantStub(), nn.Linear(16, 8), nn.ReLU(), Q.DeQuantStub()).train()
m.qconfig = Q.get_default_qat_qconfig("fbgemm")
Q.prepare_qat(m, inplace=True)
m(x)
for mod in m.modules():
    if hasattr(mod, "qconfig"):
        del mod.qconfig
torch.save(m, d / "qat_prepared_noqconfig.pt")
print("ok")
