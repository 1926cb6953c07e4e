"""Session 18 (rt19pk): allowlisted torch classes whose __init__ allocates or calls what the
pickle gives. ``HistogramObserver(400000000)`` allocated 1.7 GB at ``pickle.load``;
``LambdaLR(SGD([...]), bytearray, 2000000000)`` calls ``bytearray(2000000001)`` in its first
``step()`` (2.2 GB). Both were ALLOW. Savers write these classes as NEWOBJ + state (the honest
cases below): a call is AIR-PKL-009. Fixtures are built here and never loaded."""

from __future__ import annotations

import functools
import io
import pickle
import warnings
from typing import Any

import pytest

torch = pytest.importorskip("torch")

from torch.ao import quantization as tq  # noqa: E402
from torch.optim import lr_scheduler as ls  # noqa: E402
from torch.optim import swa_utils  # noqa: E402

from airlock.report import Severity  # noqa: E402
from airlock.scan.engine import scan_data  # noqa: E402


class _R:
    def __init__(self, f: Any, a: tuple[Any, ...]) -> None:
        self.f, self.a = f, a

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.f, self.a)


def _opt() -> _R:
    param = _R(torch.nn.parameter.Parameter, ())
    return _R(torch.optim.SGD, ([{"params": [param], "initial_lr": 0.1}],))


BAD = {
    "histogram-bins": lambda: _R(tq.HistogramObserver, (400_000_000,)),
    "per-channel-observer": lambda: _R(tq.PerChannelMinMaxObserver, (10**9,)),
    "lambdalr-bytearray": lambda: _R(ls.LambdaLR, (_opt(), bytearray, 2_000_000_000)),
    "multiplicative-storage": lambda: _R(ls.MultiplicativeLR, (_opt(), bytearray, 10**9)),
    "sgd-call": _opt,
    "fakequantize-call": lambda: _R(tq.FakeQuantize, (dict,)),
    "averaged-model-call": lambda: _R(swa_utils.AveragedModel, (None,)),
}


def _severe(data: bytes, name: str = "a.pkl") -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


@pytest.mark.parametrize("case", sorted(BAD))
def test_calls_of_optimizers_schedulers_observers_are_denied(case: str) -> None:
    assert "AIR-PKL-009" in _severe(pickle.dumps(BAD[case](), protocol=2))


def _honest() -> dict[str, Any]:
    warnings.filterwarnings("ignore")
    m = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3)
    m(torch.zeros(1, 4)).sum().backward()
    opt.step()
    sgd = torch.optim.SGD(m.parameters(), lr=0.1)
    out: dict[str, Any] = {
        "optimizer": opt,
        "optimizer-state": opt.state_dict(),
        "steplr": ls.StepLR(sgd, 3),
        "onecycle": ls.OneCycleLR(torch.optim.SGD(m.parameters(), lr=0.1), 0.1, total_steps=9),
        "plateau": ls.ReduceLROnPlateau(torch.optim.SGD(m.parameters(), lr=0.1)),
        "swalr": swa_utils.SWALR(torch.optim.SGD(m.parameters(), lr=0.1), swa_lr=0.05),
        "lambdalr-state": ls.LambdaLR(sgd, lambda e: 1.0).state_dict(),
        "partial-adamw": functools.partial(torch.optim.AdamW, lr=1e-3, weight_decay=0.01),
        "averaged-model": swa_utils.AveragedModel(m),
        "qconfig": tq.get_default_qat_qconfig("fbgemm"),
        "hist-qconfig": tq.QConfig(
            activation=tq.HistogramObserver.with_args(bins=256),
            weight=tq.default_per_channel_weight_observer,
        ),
        "hist-observer": tq.HistogramObserver(bins=128),
        "fakequantize": tq.FakeQuantize(),
        "fused-fakequantize": tq.FusedMovingAvgObsFakeQuantize(),
    }
    return out


HONEST = _honest()


@pytest.mark.parametrize("case", sorted(HONEST))
def test_saved_optimizers_schedulers_observers_stay_clean(case: str) -> None:
    for proto in (2, 4, 5):
        assert _severe(pickle.dumps(HONEST[case], protocol=proto)) == set(), proto
    buf = io.BytesIO()
    torch.save(HONEST[case], buf)
    assert _severe(buf.getvalue(), "a.pt") == set()
