"""Whole-module saves of layers wrapped by ``torch.nn.utils.weight_norm`` / ``spectral_norm``
(red-team false positive): their hook objects are plain classes, allowed; the parametrizations
versions can only be saved as state_dict, which was clean already."""

from __future__ import annotations

from pathlib import Path

import pytest

import airlock

torch = pytest.importorskip("torch", reason="needs torch (scripts/test installs torch==2.13.0)")
nn = torch.nn


def assert_clean(path: Path) -> None:
    report = airlock.scan(path)
    assert [(f.rule_id, f.evidence) for f in report.findings] == []
    assert not report.not_scanned


def test_hook_classes_have_no_pickle_hooks() -> None:
    """The evidence for allowing them: unpickling is object.__new__ + a __dict__ update."""
    import importlib

    sn = importlib.import_module("torch.nn.utils.spectral_norm")
    wn = importlib.import_module("torch.nn.utils.weight_norm")

    hooks = {"__reduce__", "__reduce_ex__", "__setstate__", "__new__", "__setattr__",
             "__getattr__", "__getattribute__", "__init_subclass__"}  # fmt: skip
    for cls in (wn.WeightNorm, sn.SpectralNorm, sn.SpectralNormStateDictHook,
                sn.SpectralNormLoadStateDictPreHook):  # fmt: skip
        assert cls.__mro__ == (cls, object), cls
        assert not hooks & set(vars(cls)), cls


@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.utils.weight_norm(nn.Conv1d(2, 2, 3)),
        lambda: nn.utils.weight_norm(nn.Linear(3, 3), dim=None),
        lambda: nn.utils.spectral_norm(nn.Linear(3, 3)),
        lambda: nn.Sequential(nn.utils.weight_norm(nn.Conv1d(2, 4, 3)), nn.ReLU()),
    ],
    ids=["weight_norm_conv1d", "weight_norm_dim_none", "spectral_norm", "in_sequential"],
)
def test_whole_module_save_is_clean(tmp_path: Path, make: object) -> None:
    path = tmp_path / "m.pt"
    torch.save(make(), path)  # type: ignore[operator]
    assert_clean(path)


def test_parametrizations_state_dict_is_clean(tmp_path: Path) -> None:
    param = nn.utils.parametrizations
    for i, module in enumerate(
        [param.weight_norm(nn.Conv1d(2, 2, 3)), param.spectral_norm(nn.Linear(3, 3))]
    ):
        path = tmp_path / f"sd{i}.pt"
        torch.save(module.state_dict(), path)
        assert_clean(path)
        with pytest.raises(RuntimeError, match="state_dict"):
            torch.save(module, tmp_path / f"whole{i}.pt")
