"""Red team rt23tf: layers a wrapper or a nested Sequential builds are fed the graph's input.

Keras 3.15.1 ``load_model`` (safe mode) of an 8 KB ``.keras`` whose ``TimeDistributed(Dense(8192))``
follows ``Reshape((1, 65536))`` built the 65,536 x 8,192 kernel (6.6 GiB peak) before failing on
the weights, and a nested ``Sequential([Flatten(), Dense(8192)])`` with no input shape of its own,
called on a 256 x 256 input, did the same; both were allowed (the inner Dense was judged by the
widest declared dimension, 256). Configs as Keras writes them, reduced to what matters."""

from __future__ import annotations

import json
from typing import Any

from airlock.scan.keras_rules import config_scan


def _layer(cls: str, name: str, config: dict[str, Any], source: str | None) -> dict[str, Any]:
    nodes = []
    if source is not None:
        tensor = {"class_name": "__keras_tensor__", "config": {"keras_history": [source, 0, 0]}}
        nodes = [{"args": [tensor], "kwargs": {}}]
    return {
        "module": "keras.layers",
        "class_name": cls,
        "config": {"name": name, **config},
        "registered_name": None,
        "name": name,
        "inbound_nodes": nodes,
    }


def _functional(side: int, *layers: dict[str, Any]) -> dict[str, Any]:
    inp = _layer("InputLayer", "in", {"batch_shape": [None, side, side]}, None)
    return {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "config": {"name": "m", "layers": [inp, *layers]},
        "registered_name": "Functional",
    }


def _dense(units: int) -> dict[str, Any]:
    return {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {"name": "d", "units": units},
    }


def _rules(doc: dict[str, Any]) -> list[str]:
    found, _ = config_scan(json.dumps(doc), "m.keras", None, "config.json", weight_bytes=8000)
    return sorted({f.rule_id for f in found})


def _time_distributed(side: int, units: int) -> dict[str, Any]:
    return _functional(
        side,
        _layer("Flatten", "f", {}, "in"),
        _layer("Reshape", "r", {"target_shape": [1, side * side]}, "f"),
        _layer("TimeDistributed", "td", {"layer": _dense(units)}, "r"),
    )


def _nested_sequential(side: int, units: int) -> dict[str, Any]:
    inner = {
        "module": "keras",
        "class_name": "Sequential",
        "config": {
            "name": "inner",
            "layers": [
                {"module": "keras.layers", "class_name": "Flatten", "config": {"name": "f"}},
                _dense(units),
            ],
        },
        "registered_name": None,
        "name": "inner",
        "inbound_nodes": [
            {
                "args": [
                    {"class_name": "__keras_tensor__", "config": {"keras_history": ["in", 0, 0]}}
                ],
                "kwargs": {},
            }
        ],
    }
    return _functional(side, inner)


def test_time_distributed_inner_layer_gets_the_graph_width() -> None:
    assert "AIR-KERAS-011" in _rules(_time_distributed(256, 8192))


def test_nested_sequential_is_fed_by_its_caller() -> None:
    assert "AIR-KERAS-011" in _rules(_nested_sequential(256, 8192))


def test_honest_small_wrappers_are_clean() -> None:
    assert _rules(_time_distributed(8, 5)) == []
    assert _rules(_nested_sequential(8, 16)) == []
