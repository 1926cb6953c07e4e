#!/usr/bin/env python
"""Regenerate src/airlock/scan/data/torchscript_allowlist.json from the installed torch's operator
registry (``torch._C._jit_get_all_schemas``).

Usage: .venv/bin/python tests/scan/torchscript_allowlist_gen.py \
    src/airlock/scan/data/torchscript_allowlist.json

What TorchScript code in an archive can reach: ``torch.X`` / ``ops.aten.X`` / ``x.X(...)`` are
``aten::X``; ``ops.NS.X`` is ``NS::X``. Allowed: every registered op of the tensor-math
namespaces below, minus the exclusions (file/storage I/O, global RNG/plan-cache state, unchecked
"unsafe" constructors, test ops, interpreter-internal nodes) and the ops that trust raw
sizes/strides/offsets/indices without a storage-bounds check (``UNCHECKED``, written as
"unchecked"). The exclusions of ``aten`` are kept
in the file so that a method name the archive defines cannot stand in for them. Every op that
real scripted/traced models in tests/scan/test_torchscript_allowlist.py use must be allowed.
"""

from __future__ import annotations

import json
import re
import sys

import torch

MATH_NAMESPACES = (
    "aten", "prim", "quantized", "_quantized", "quantization", "sparse", "mkldnn",
    "mkldnn_prepacked", "onednn", "mkl",
)  # fmt: skip
# reach the file system, storages, or process-wide state; or skip the invariant checks that keep
# a tensor inside its storage
EXCLUDED = {
    "aten": {
        "from_file", "save", "set", "set_", "set_data", "manual_seed", "seed",
        "_cufft_set_plan_cache_max_size", "_cufft_clear_plan_cache", "record_stream",
        "_nested_view_from_buffer", "_nested_view_from_buffer_copy",
        "_unsafe_index", "_unsafe_index_put", "_unsafe_masked_index",
        "_unsafe_masked_index_put_accumulate",
    },
    "prim": {
        "PythonOp", "IgnoredPythonOp", "rpc_async", "rpc_remote", "rpc_sync", "profile",
        "profile_ivalue", "AddStatValue", "TimePoint", "BailOut", "BailoutTemplate",
        "DifferentiableGraph", "FallbackGraph", "FusionGroup", "Guard", "TypeCheck",
        "RequiresGradCheck", "TensorExprGroup", "TensorExprDynamicGroup",
        "TensorExprDynamicGuard", "StaticSubgraph", "StaticRuntimeCopyOuts",
        "oneDNNFusionGroup", "oneDNNFusionGuard",
    },
}  # fmt: skip
EXCLUDED_PATTERN = re.compile(r"^_test_|_unsafe$|^_sparse_.*_unsafe")
# Memory safety: ops that take raw sizes/strides/offsets/indices (or output buffers) and trust
# them, with no check against the storage they read or write. Probed on torch 2.13 CPU by calling
# each with an out-of-range value (session 8 helper memfix): SIGSEGV, abort, heap bytes returned,
# or an out-of-range index silently kept. Written to the policy file as "unchecked"; the policy
# (airlock.scan.torch_ops) refuses them even if a regenerated "allow" list held them.
# (aten::as_strided* are kept: setStorage checks sizes/strides/offset against the storage.)
UNCHECKED = {
    "aten": {
        # view/copy with caller's sizes+strides, no storage-bounds check (heap read/write)
        "_reshape_alias", "_reshape_alias_copy",
        # sparse constructors: index invariants are checked only with check_invariants=True
        # (off by default); COO index 1<<36 then to_dense() is an out-of-bounds write
        "sparse_coo_tensor", "_sparse_coo_tensor_with_dims",
        "_sparse_coo_tensor_with_dims_and_tensors", "sparse_compressed_tensor",
        "sparse_csr_tensor", "sparse_csc_tensor", "sparse_bsr_tensor", "sparse_bsc_tensor",
        "_sparse_compressed_tensor_with_dims",
        # in-place aliases of a sparse tensor's index tensors (write 1<<36, then to_dense())
        "_indices", "indices", "crow_indices", "col_indices", "ccol_indices", "row_indices",
        # raw offsets / index conversions (free(): invalid pointer, OOB read)
        "_convert_indices_from_coo_to_csr", "_convert_indices_from_csr_to_coo",
        "segment_reduce", "_nested_view_from_jagged", "_nested_view_from_jagged_copy",
        "_nested_from_padded_tensor",
        # helpers writing into caller-sized output tensors (malloc(): invalid size)
        "_cummax_helper", "_cummin_helper",
        # CTC targets index log_probs unchecked (target 1<<30: SIGSEGV)
        "ctc_loss", "_ctc_loss",
        # coefficients (m, n) read n rows of the input whatever its size (session 15 rt16pt:
        # input (1, 3), coefficients (1, 1<<26) in __setstate__: SIGSEGV inside torch.jit.load)
        "_compute_linear_combination",
        # SobolEngine kernels index their state by the caller's dimension (rt16pt: dimension
        # 1<<20 against a (2, 30) state: SIGSEGV in each of the four)
        "_sobol_engine_draw", "_sobol_engine_ff_", "_sobol_engine_initialize_state_",
        "_sobol_engine_scramble_",
        # fused optimizer steps walk each param's numel in its grad/state tensors unchecked
        # (rt16pt: a 4M param with 2-element grads: SIGSEGV, "double free or corruption");
        # training-only, never in an inference program
        "_fused_adam", "_fused_adam_", "_fused_adamw", "_fused_adamw_", "_fused_adagrad",
        "_fused_adagrad_", "_fused_sgd", "_fused_sgd_",
    },
    # prepacked weights passed as plain tensors, trusted to hold the packed layout their
    # sizes imply (session 15 rt16pt: a 2-element weight against a 16384-wide input: SIGSEGV)
    "mkl": {"_mkl_linear"},
    # the same trust in the conv and fp16 forms (review15; inductor's lowering passes emit them,
    # scripted, traced and exported programs do not)
    "onednn": {
        "qlinear_pointwise", "qconv_pointwise", "qconv1d_pointwise", "qconv2d_pointwise",
        "qconv3d_pointwise", "linear_dynamic_fp16", "linear_relu_dynamic_fp16",
    },
}  # fmt: skip
# backward kernels take saved indices/sizes from the forward and trust them
# (max_pool2d/3d_with_indices_backward, adaptive_max_pool*_backward, embedding_backward,
# _embedding_bag_dense_backward, _gather_sparse_backward, _segment_reduce_backward: SIGSEGV);
# inference programs (scripted, traced, torch.export) do not call them. aten::_backward
# (Tensor.backward) is not one of them.
UNCHECKED_PATTERN = re.compile(r"^.+_backward(_|$)")
# torchvision's C++ operators (torchvision/csrc/ops), listed by hand: torchvision is not a
# dependency. Its ``image::`` namespace reads and writes files and is not listed.
TORCHVISION = ["deform_conv2d", "nms", "ps_roi_align", "ps_roi_pool", "roi_align", "roi_pool"]
# TorchScript's own builtins and the special forms of serialized code (ir_emitter / import_source)
BUILTINS = [
    "AssertionError", "abs", "all", "annotate", "any", "awaitable", "bin", "bool", "chr",
    "complex", "divmod", "enumerate", "float", "fork", "getattr", "hasattr", "hash", "hex", "id",
    "int", "isinstance", "len", "list", "dict", "max", "min", "oct", "ord", "pow", "print",
    "range", "rangelist", "round", "sorted", "str", "sum", "tuple", "unchecked_cast",
    "uninitialized", "zip", "_to_tensor",
]  # fmt: skip
# methods of TorchBind objects (packed quantized weights) and of TorchScript objects in general
METHODS = ["__getstate__", "__setstate__", "__init__", "__new__", "forward", "unpack", "bias",
           "weight", "tolist"]  # fmt: skip
# torch's own TorchBind classes of packed/quantized modules: quantized.*PackedParamsBase,
# sparse.LinearPackedParamsBase, rnn.CellParamsBase (dynamically quantized LSTM/GRU),
# mkldnn.ConvOpContext, and xnnpack/onednn op contexts (builds with those backends). Other torch
# namespaces (c10d, dist_rpc, profiler, _nnapi...) are not weights and are not listed.
TORCHBIND_NAMESPACES = ["quantized", "xnnpack", "mkldnn", "onednn", "sparse", "rnn"]
# always critical, in any namespace or as a method name: they reach files
DANGEROUS = [
    "from_file", "save", "load", "set_", "set", "set_data", "read_file", "write_file",
    "_load_for_mobile", "_save_for_mobile", "_save_parameters", "_load_parameters",
]  # fmt: skip


def main(out: str) -> None:
    names: dict[str, set[str]] = {}
    for schema in torch._C._jit_get_all_schemas():
        ns, _, op = schema.name.partition("::")
        names.setdefault(ns, set()).add(op)
    allow: dict[str, list[str]] = {}
    unchecked: dict[str, list[str]] = {}
    for ns in MATH_NAMESPACES:
        excluded = EXCLUDED.get(ns, set())
        unchecked[ns] = sorted(
            n
            for n in names.get(ns, ())
            if n in UNCHECKED.get(ns, set()) or (ns == "aten" and UNCHECKED_PATTERN.search(n))
        )
        allow[ns] = sorted(
            n
            for n in names.get(ns, ())
            if n not in excluded and not EXCLUDED_PATTERN.search(n) and n not in unchecked[ns]
        )
    missing = {f"{ns}::{n}" for ns, ops in UNCHECKED.items() for n in ops} - {
        f"{ns}::{n}" for ns, ops in unchecked.items() for n in ops
    }
    if missing:  # a renamed op would silently drop out of the list
        raise SystemExit(f"unchecked ops not in torch's registry: {sorted(missing)}")
    allow["torchvision"] = TORCHVISION
    aten_excluded = sorted(set(names["aten"]) - set(allow["aten"]))
    doc = {
        "schema": 1,
        "version": f"torch-{torch.__version__.split('+')[0]}",
        "description": (
            "Airlock TorchScript policy: operators that serialized TorchScript code may call "
            "(by namespace; torch.X and method calls are aten), TorchScript builtins, method "
            "names of TorchBind objects, TorchBind class namespaces, and names that are critical "
            "wherever they appear. Generated by tests/scan/torchscript_allowlist_gen.py from the "
            "operator registry; anything else is a finding that blocks."
        ),
        "allow": allow,
        "aten_excluded": aten_excluded,
        "builtins": sorted(BUILTINS),
        "methods": sorted(METHODS),
        "torchbind_namespaces": TORCHBIND_NAMESPACES,
        "dangerous": sorted(DANGEROUS),
        "unchecked": {ns: ops for ns, ops in unchecked.items() if ops},
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=0, sort_keys=False)
        fh.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
