"""fp22 sweep (session 21): honest pickles the gate denied (allowlist 2026.12.07.3) from
torchvision, timm, torchmetrics, ultralytics, hmmlearn, hyperopt and PyG data objects (none of
them a test dependency: their pickles are assembled here the way pickle writes them, NEWOBJ then
a ``__dict__`` BUILD, as ``bench/fp22_grid.py`` found them). Each class is new_only (a call
stays AIR-PKL-009), each function value_only; the attacks one would build with the new names
stay denied, and so do the objects left denied on purpose (einops layers, tv_tensors, Lion,
skorch, polars, xarray, PyG Batch)."""

from __future__ import annotations

import pytest

from airlock.report import Severity
from airlock.scan.allowlist import default_policy
from airlock.scan.engine import scan_data
from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    MARK,
    PROTO2,
    SETITEM,
    STOP,
    call,
    glob,
    s,
)

APPENDS = b"e"
EMPTY_LIST = b"]"
NEWOBJ = b"\x81"
EMPTY_TUPLE = b")"


def _severe(data: bytes) -> set[str]:
    return {f.rule_id for f in scan_data(data, "obj.pkl").findings if f.severity >= Severity.HIGH}


def _split(dotted: str) -> tuple[str, str]:
    mod, _, name = dotted.rpartition(".")
    return mod, name


def _new(dotted: str, state: bytes | None = None) -> bytes:
    """``copyreg.__newobj__(cls)`` then a BUILD of a plain ``__dict__``: what pickle writes."""
    mod, name = _split(dotted)
    body = state if state is not None else EMPTY_DICT + s("training") + b"\x88" + SETITEM
    return call(glob("copyreg", "__newobj__"), glob(mod, name)) + body + BUILD


CLASSES = [
    "torchvision.models.detection.faster_rcnn.FasterRCNN",
    "torchvision.models.detection._utils.BoxCoder",
    "torchvision.models.swin_transformer.SwinTransformer",
    "torchvision.models.quantization.mobilenetv2.QuantizableMobileNetV2",
    "torchvision.ops.misc.Conv2dNormActivation",
    "torchvision.transforms.transforms.Compose",
    "torchvision.transforms.v2._container.Compose",
    "torchvision.transforms.v2._auto_augment.RandAugment",
    "timm.models.eva.Eva",
    "timm.models.metaformer.MetaFormer",
    "timm.optim.adan.Adan",
    "timm.data.auto_augment.AugmentOp",
    "timm.data.transforms.RandomResizedCropAndInterpolation",
    "torchmetrics.classification.accuracy.MulticlassAccuracy",
    "torchmetrics.collections.MetricCollection",
    "torchmetrics.regression.spearman.SpearmanCorrCoef",
    "ultralytics.nn.tasks.DetectionModel",
    "ultralytics.nn.modules.block.C2f",
    "ultralytics.nn.modules.head.Detect",
    "hmmlearn.hmm.GaussianHMM",
    "hmmlearn.vhmm.VariationalGaussianHMM",
    "hmmlearn.base.ConvergenceMonitor",
    "hyperopt.base.Trials",
    "torch_geometric.data.data.Data",
    "torch_geometric.data.hetero_data.HeteroData",
    "torch_geometric.data.storage.GlobalStorage",
    "torch_geometric.data.storage.EdgeStorage",
]


@pytest.mark.parametrize("dotted", CLASSES)
def test_new_names_load_as_pickle_writes_them_and_a_call_is_denied(dotted: str) -> None:
    mod, name = _split(dotted)
    assert not _severe(PROTO2 + _new(dotted) + STOP)
    assert dotted in default_policy().new_only
    called = PROTO2 + call(glob(mod, name), s("/etc/passwd")) + STOP
    assert "AIR-PKL-009" in _severe(called)


FUNCTIONS = [
    "timm.data.auto_augment.rotate",
    "timm.data.auto_augment._rotate_level_to_arg",
    "torchvision.ops.boxes.box_iou",
    "torchmetrics.utilities.data.dim_zero_cat",
    "torchmetrics.metric.jit_distributed_available",
    "torch_geometric.data.data.DataEdgeAttr",
    "torch_geometric.data.feature_store.TensorAttr",
]


@pytest.mark.parametrize("dotted", FUNCTIONS)
def test_function_values_are_values_only(dotted: str) -> None:
    mod, name = _split(dotted)
    op = "timm.data.auto_augment.AugmentOp"
    held = EMPTY_DICT + s("aug_fn") + glob(mod, name) + SETITEM
    assert not _severe(PROTO2 + _new(op, held) + STOP)
    assert "AIR-PKL-009" in _severe(PROTO2 + call(glob(mod, name), s("x"), s("y")) + STOP)


@pytest.mark.parametrize(
    "dotted",
    [
        "torchvision.transforms.functional.InterpolationMode",
        "torchvision.transforms.autoaugment.AutoAugmentPolicy",
        "PIL.Image.Resampling",
    ],
)
def test_enum_members_are_a_lookup(dotted: str) -> None:
    mod, name = _split(dotted)
    assert not _severe(PROTO2 + call(glob(mod, name), s("bilinear")) + STOP)


# -- the attacks one would build with the new names --------------------------------------------


def test_a_new_class_holding_a_command_stays_critical() -> None:
    held = EMPTY_DICT + s("act") + call(glob("os", "system"), s("id")) + SETITEM
    assert "AIR-PKL-001" in _severe(PROTO2 + _new("ultralytics.nn.modules.conv.Conv", held) + STOP)


def test_a_new_class_given_a_setstate_hook_stays_denied() -> None:
    # BUILD {'__setstate__': print} then a second BUILD would call print(state)
    first = EMPTY_DICT + s("__setstate__") + glob("builtins", "print") + SETITEM
    data = PROTO2 + _new("hyperopt.base.Trials", first) + EMPTY_DICT + BUILD + STOP
    assert "AIR-PKL-009" in _severe(data)


def test_appends_on_a_sequential_subclass_is_judged() -> None:
    # Conv2dNormActivation is an nn.Sequential: APPENDS would run its own append()
    seq = _new("torchvision.ops.misc.Conv2dNormActivation")
    data = PROTO2 + seq + MARK + s("a") + APPENDS + STOP
    assert "AIR-PKL-019" in _severe(data)


def test_newobj_arguments_of_a_hook_free_class_are_ignored() -> None:
    # no listed class defines __new__: object.__new__(cls, *args) ignores the arguments of a
    # class with its own __init__ (nothing runs), so NEWOBJ with arguments is still clean
    mod, name = _split("torchvision.transforms.v2._container.Compose")
    with_args = PROTO2 + glob(mod, name) + MARK + EMPTY_LIST + b"t" + NEWOBJ + STOP
    assert not _severe(PROTO2 + glob(mod, name) + EMPTY_TUPLE + NEWOBJ + STOP)
    assert not _severe(with_args)
    assert "AIR-PKL-009" in _severe(PROTO2 + call(glob(mod, name), EMPTY_LIST) + STOP)


def test_a_metric_as_a_dict_key_is_denied() -> None:
    # Metric.__hash__ hashes every default state's values; __eq__ builds a CompositionalMetric
    key = _new("torchmetrics.classification.accuracy.MulticlassAccuracy")
    data = PROTO2 + EMPTY_DICT + key + s("v") + SETITEM + STOP
    assert "AIR-PKL-009" in _severe(data)


def test_pyg_processed_file_shape_is_clean() -> None:
    # InMemoryDataset.save: (data dict, slices dict, Data class); a Data whose store is a storage
    store = _new("torch_geometric.data.storage.GlobalStorage")
    data_state = EMPTY_DICT + s("_store") + store + SETITEM
    data_state += s("_edge_attr_cls") + glob("torch_geometric.data.data", "DataEdgeAttr") + SETITEM
    whole = _new("torch_geometric.data.data.Data", data_state)
    assert not _severe(PROTO2 + whole + STOP)
    saved = MARK + EMPTY_DICT + EMPTY_DICT + glob("torch_geometric.data.data", "Data") + b"t"
    assert not _severe(PROTO2 + saved + STOP)


def test_setitems_on_a_pyg_storage_is_judged() -> None:
    # a storage is a MutableMapping, not a dict: SETITEMS would run BaseStorage.__setitem__
    store = _new("torch_geometric.data.storage.NodeStorage")
    data = PROTO2 + store + MARK + s("x") + s("y") + b"u" + STOP
    assert "AIR-PKL-019" in _severe(data)


@pytest.mark.parametrize(
    "dotted",
    [
        "torch_geometric.data.batch.DynamicInheritanceGetter",  # creates a class at load
        "timm.optim.lion.Lion",  # __setstate__ computes max_lr_snapshot from the state
        "torchvision.tv_tensors._image.Image",  # a call runs torch.as_tensor(data)
        "torchmetrics.wrappers.classwise.ClasswiseWrapper",  # own __getattr__/__setattr__
        "hyperopt.base.Domain",  # holds and calls the objective function
        "skorch.classifier.NeuralNetClassifier",  # __setstate__ torch.load()s nested bytes
        "polars.dataframe.frame.DataFrame",  # __setstate__ deserialises IPC bytes in Rust
        "polars.lazyframe.frame.LazyFrame",  # a plan may carry pickled Python UDFs
        "xarray.core.dataarray.DataArray",  # a slots BUILD reaches property setters
    ],
)
def test_what_stays_denied(dotted: str) -> None:
    assert "AIR-PKL-002" in _severe(PROTO2 + _new(dotted) + STOP)


# -- einops layers: __setstate__ runs __init__(pattern=..., **axes_lengths) -------------------


def _einops_state(pairs: list[tuple[str, bytes]]) -> bytes:
    body = EMPTY_DICT
    for k, v in pairs:
        body += s(k) + v + SETITEM
    return body


def _axes(**lengths: int) -> bytes:
    out = EMPTY_DICT
    for k, v in lengths.items():
        out += s(k) + b"K" + bytes([v]) + SETITEM
    return out


REARRANGE = "einops.layers.torch.Rearrange"
REDUCE = "einops.layers.torch.Reduce"


def test_einops_layers_as_their_getstate_writes_them_are_clean() -> None:
    pat = s("b c (h p1) (w p2) -> b (h w) (p1 p2 c)")
    rearr = _einops_state([("pattern", pat), ("axes_lengths", _axes(p1=8, p2=8))])
    assert not _severe(PROTO2 + _new(REARRANGE, rearr) + STOP)
    red = _einops_state(
        [("pattern", s("b n d -> b d")), ("reduction", s("mean")), ("axes_lengths", EMPTY_DICT)]
    )
    assert not _severe(PROTO2 + _new(REDUCE, red) + STOP)
    assert not _severe(PROTO2 + _new("einops.layers.torch.EinMix") + STOP)


@pytest.mark.parametrize(
    ("name", "pairs"),
    [
        (REARRANGE, [("pattern", s("a " * 400 + "-> a")), ("axes_lengths", EMPTY_DICT)]),
        (REARRANGE, [("pattern", s("a b")), ("axes_lengths", EMPTY_DICT)]),
        (REARRANGE, [("pattern", b"K\x05"), ("axes_lengths", EMPTY_DICT)]),
        (REARRANGE, [("pattern", s("a -> a")), ("axes_lengths", EMPTY_DICT), ("x", b"K\x01")]),
        (REARRANGE, [("pattern", s("a -> a"))]),
        (
            REARRANGE,
            [("pattern", s("a -> a")), ("axes_lengths", EMPTY_DICT + s("a") + s("9") + SETITEM)],
        ),
        (
            REARRANGE,
            [
                ("pattern", s("a -> a")),
                ("axes_lengths", EMPTY_DICT + s("a-b") + b"K\x01" + SETITEM),
            ],
        ),
        (REARRANGE, [("pattern", s("a -> a")), ("axes_lengths", _axes(pattern=1))]),
        (
            REARRANGE,
            [("pattern", s("a -> a")), ("axes_lengths", _axes(**{f"a{i}": 1 for i in range(40)}))],
        ),
        (
            REDUCE,
            [
                ("pattern", s("a b -> a")),
                ("reduction", glob("builtins", "print")),
                ("axes_lengths", EMPTY_DICT),
            ],
        ),
        (REDUCE, [("pattern", s("a b -> a")), ("axes_lengths", EMPTY_DICT)]),
    ],
)
def test_einops_layer_states_no_saver_writes_are_denied(
    name: str, pairs: list[tuple[str, bytes]]
) -> None:
    assert "AIR-PKL-009" in _severe(PROTO2 + _new(name, _einops_state(pairs)) + STOP)


def test_einops_layer_state_that_is_not_a_dict_is_denied() -> None:
    state = MARK + EMPTY_DICT + EMPTY_DICT + b"t"
    assert "AIR-PKL-009" in _severe(PROTO2 + _new(REARRANGE, state) + STOP)


@pytest.mark.parametrize("key", ["update", "compute", "_update_signature"])
def test_a_metric_state_with_a_key_its_getstate_drops_is_denied(key: str) -> None:
    # Metric.__getstate__ drops update/compute/_update_signature; __setstate__ wraps
    # self.update, so a planted 'update' would be called when the user updates the metric
    state = EMPTY_DICT + s(key) + glob("builtins", "print") + SETITEM
    data = PROTO2 + _new("torchmetrics.regression.mse.MeanSquaredError", state) + STOP
    assert "AIR-PKL-009" in _severe(data)


@pytest.mark.parametrize("key", ["_wrap_update", "_wrap_compute"])
def test_a_metric_state_planting_the_wrapper_its_setstate_calls_is_denied(key: str) -> None:
    # review22: Metric.__setstate__ calls self._wrap_update(self.update) and
    # self._wrap_compute(self.compute) inside pickle.load; an instance-dict entry wins over the
    # method, so partial(torch.nn.Linear, N, N) there ran Linear(N, N, bias=<bound method>) at
    # load (N=30,000: 3.6 GB, torchmetrics 1.9 / torch 2.13). Partials of torch.nn layers are
    # otherwise clean (partial_ok: handed on, called at use)
    partial = call(
        glob("functools", "partial"),
        glob("torch.nn.modules.linear", "Linear"),
        b"J" + (30000).to_bytes(4, "little"),
        b"J" + (30000).to_bytes(4, "little"),
    )
    state = EMPTY_DICT + s(key) + partial + SETITEM
    data = PROTO2 + _new("torchmetrics.classification.accuracy.BinaryAccuracy", state) + STOP
    assert "AIR-PKL-009" in _severe(data)


def test_a_partial_layer_on_a_metric_under_another_name_stays_clean() -> None:
    partial = call(
        glob("functools", "partial"),
        glob("torch.nn.modules.linear", "Linear"),
        b"J" + (30000).to_bytes(4, "little"),
        b"J" + (30000).to_bytes(4, "little"),
    )
    state = EMPTY_DICT + s("layer_factory") + partial + SETITEM
    data = PROTO2 + _new("torchmetrics.classification.accuracy.BinaryAccuracy", state) + STOP
    assert "AIR-PKL-009" not in _severe(data)


@pytest.mark.parametrize("dotted", ["torch.optim.sgd.SGD", "timm.optim.adamp.AdamP"])
def test_an_optimizer_state_planting_patch_step_function_is_denied(dotted: str) -> None:
    # review22: Optimizer.__setstate__ calls self._patch_step_function() at load; a planted
    # partial(torch.nn.Linear, 30000, 30000) there allocated 3.6 GB inside torch.load
    partial = call(
        glob("functools", "partial"),
        glob("torch.nn.modules.linear", "Linear"),
        b"J" + (30000).to_bytes(4, "little"),
        b"J" + (30000).to_bytes(4, "little"),
    )
    state = EMPTY_DICT + s("_patch_step_function") + partial + SETITEM
    assert "AIR-PKL-009" in _severe(PROTO2 + _new(dotted, state) + STOP)


@pytest.mark.parametrize(
    ("dotted", "key"),
    [
        ("scipy.stats._continuous_distns.norm_gen", "_attach_methods"),
        ("scipy.stats._continuous_distns.norm_gen", "_attach_argparser_methods"),
        ("statsmodels.discrete.discrete_model.NegativeBinomial", "_initialize"),
    ],
)
def test_a_state_planting_a_method_its_setstate_calls_is_denied(dotted: str, key: str) -> None:
    # review22: rv_generic.__setstate__ calls self._attach_methods() after its __dict__
    # update, NegativeBinomial's self._initialize(): partial(torch.nn.Linear, 30000, 30000)
    # there allocated 3.6 GB inside pickle.load (scipy 1.17, statsmodels 0.14)
    partial = call(
        glob("functools", "partial"),
        glob("torch.nn.modules.linear", "Linear"),
        b"J" + (30000).to_bytes(4, "little"),
        b"J" + (30000).to_bytes(4, "little"),
    )
    state = EMPTY_DICT + s(key) + partial + SETITEM
    assert "AIR-PKL-009" in _severe(PROTO2 + _new(dotted, state) + STOP)


def _linear_partial() -> bytes:
    return call(
        glob("functools", "partial"),
        glob("torch.nn.modules.linear", "Linear"),
        b"J" + (30000).to_bytes(4, "little"),
        b"J" + (30000).to_bytes(4, "little"),
    )


@pytest.mark.parametrize(
    ("dotted", "key"),
    [
        ("torchmetrics.classification.accuracy.BinaryAccuracy", "_wrap_update"),
        ("torch.optim.sgd.SGD", "_patch_step_function"),
    ],
)
@pytest.mark.parametrize("shape", ["tuple", "list"])
def test_a_state_of_pairs_is_judged_like_a_dict(dotted: str, key: str, shape: str) -> None:
    # review22: these __setstate__ run self.__dict__.update(state), which takes a sequence of
    # (key, value) pairs too: ((key, partial(nn.Linear, 30000, 30000)),) allocated 3.6 GB in
    # pickle.load, and the key checks looked at dict states only
    pair = MARK + s(key) + _linear_partial() + b"t"
    state = MARK + pair + b"t" if shape == "tuple" else EMPTY_LIST + MARK + pair + APPENDS
    assert "AIR-PKL-009" in _severe(PROTO2 + _new(dotted, state) + STOP)


def test_an_instance_setstate_planted_by_pairs_is_denied() -> None:
    # review22: a ReLU (Module.__setstate__: __dict__.update) given (('__setstate__', P),),
    # then a second BUILD: pickle calls the instance's P(state) (3.6 GB in pickle.load)
    pair = MARK + s("__setstate__") + _linear_partial() + b"t"
    obj = _new("torch.nn.modules.activation.ReLU", MARK + pair + b"t")
    assert "AIR-PKL-009" in _severe(PROTO2 + obj + b"K\x01" + BUILD + STOP)
