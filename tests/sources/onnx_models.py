"""Generated ONNX models (never downloaded) for the remote tests: big initializers, nodes,
attribute tensors; ``denied`` adds external data that escapes the model folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def onnx_model(
    *,
    big_mib: list[int],
    denied: bool = False,
    custom_op: bool = False,
    attr_kib: int = 0,
    small: int = 3,
) -> onnx.ModelProto:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    inits = [numpy_helper.from_array(np.ones((4, 4), np.float32), "w")]
    for i, mib in enumerate(big_mib):
        inits.append(numpy_helper.from_array(np.zeros(mib * 1024**2 // 4, np.float32), f"big{i}"))
    for i in range(small):
        inits.append(numpy_helper.from_array(np.full(8, i, np.float32), f"small{i}"))
    nodes = [helper.make_node("MatMul", ["x", "w"], ["h"])]
    if attr_kib:
        value = numpy_helper.from_array(np.zeros(attr_kib * 256, np.float32), "c")
        nodes.append(helper.make_node("Constant", [], ["c"], value=value))
    if custom_op:
        nodes.append(helper.make_node("Evil", ["h"], ["h2"], domain="x.evil"))
        nodes.append(helper.make_node("Identity", ["h2"], ["y"]))
    else:
        nodes.append(helper.make_node("Identity", ["h"], ["y"]))
    if denied:
        t = TensorProto()
        t.name, t.data_type = "leak", TensorProto.UINT8
        t.dims.append(16)
        t.data_location = TensorProto.EXTERNAL
        e = t.external_data.add()
        e.key, e.value = "location", "../../../../etc/passwd"
        inits.append(t)
    graph = helper.make_graph(nodes, "g", [x], [y], inits)
    opsets = [helper.make_opsetid("", 17)] + (
        [helper.make_opsetid("x.evil", 1)] if custom_op else []
    )
    return helper.make_model(graph, opset_imports=opsets, producer_name="airlock-test")


def write_onnx(path: Path, **kw: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(onnx_model(**kw).SerializeToString())  # type: ignore[arg-type]
    return path
