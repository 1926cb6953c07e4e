"""Values a pickle makes a dict key or a set item: hashed at load (session 20, rt21pk).

``SETITEM(S)``, ``DICT``, ``ADDITEMS``, ``FROZENSET`` and the dict/set constructors hash every
key while the file loads (and call ``__eq__`` on a hash collision). For most allowlisted classes
that is ``object.__hash__`` (the identity) or a C hash of fixed fields, but some run Python code
over the instance's state: ``DeviceMesh.__hash__`` calls ``self._hash_key()``, looked up on the
instance (BUILD ``{'_hash_key': partial(Linear, 20000, 20000)}`` then a dict key: 1.7 GiB at
``pickle.load`` from 191 bytes), ``GenerationConfig.__hash__`` serialises and deep-copies its
``__dict__``, ``CategoricalDtype`` hashes its categories, and tuple-like classes
(``torch.Size``, namedtuples) or ``UUID``/``Fraction``/``Interval`` hash fields the pickle
chose, which may be any of those. An instance of such a class as a key or set item is
AIR-PKL-009: no saver of a model file writes one there.

``HASH_CODE``: allowlisted classes whose ``__hash__`` or ``__eq__`` is not ``object``'s and not a
C hash of fixed scalar fields, by an enumeration of the allowlist (importing each name:
``bench/rt21pk_hash_classes.py``), minus the reviewed exceptions (tensors hash by identity;
numpy scalars and dtypes, datetime, Decimal, ``torch.device``, tokenizers' ``AddedToken`` hash
their own scalar fields). ``pathlib`` paths hash the text of their parts (the constructor takes
only text or paths): allowed unless a BUILD gave the path a state (a slot such as
``_str_normcase_cached`` holding any object would be hashed instead).
"""

from __future__ import annotations

from typing import Any

from airlock.scan.pickle_values import K_OBJ, PDict, PSet, Sym

__all__ = [
    "HASH_CODE",
    "HASH_CODE_PREFIXES",
    "HASH_FIELDS",
    "PATHS",
    "key_problem",
    "state_problem",
]

HASH_CODE = frozenset(
    {
        "builtins.tuple",
        # fp24: hashes of instance fields (Rule: sorted agg_dict items; Bnode: start, end)
        "imodels.util.rule.Rule",
        "ruptures.utils.bnode.Bnode",
        "dateutil.relativedelta.relativedelta",
        "fractions.Fraction",
        "ipaddress.IPv4Address",
        "ipaddress.IPv4Interface",
        "ipaddress.IPv4Network",
        "ipaddress.IPv6Address",
        "ipaddress.IPv6Interface",
        "ipaddress.IPv6Network",
        "omegaconf.nodes.AnyNode",
        "omegaconf.nodes.BooleanNode",
        "omegaconf.nodes.BytesNode",
        "omegaconf.nodes.EnumNode",
        "omegaconf.nodes.FloatNode",
        "omegaconf.nodes.IntegerNode",
        "omegaconf.nodes.LiteralNode",
        "omegaconf.nodes.NoneNode",
        "omegaconf.nodes.PathNode",
        "omegaconf.nodes.StringNode",
        "optuna.distributions.CategoricalDistribution",
        "optuna.distributions.FloatDistribution",
        "optuna.distributions.IntDistribution",
        "optuna.samplers._tpe.parzen_estimator._ParzenEstimatorParameters",
        "optuna.trial._frozen.FrozenTrial",
        "pandas.ArrowDtype",
        "pandas.BooleanDtype",
        "pandas.CategoricalDtype",
        "pandas.DateOffset",
        "pandas.DatetimeTZDtype",
        "pandas.Float32Dtype",
        "pandas.Float64Dtype",
        "pandas.Int16Dtype",
        "pandas.Int32Dtype",
        "pandas.Int64Dtype",
        "pandas.Int8Dtype",
        "pandas.Interval",
        "pandas.IntervalDtype",
        "pandas.Period",
        "pandas.PeriodDtype",
        "pandas.SparseDtype",
        "pandas.StringDtype",
        "pandas.UInt16Dtype",
        "pandas.UInt32Dtype",
        "pandas.UInt64Dtype",
        "pandas.UInt8Dtype",
        "pandas._libs.interval.Interval",
        "pandas._libs.tslibs.offsets.BQuarterBegin",
        "pandas._libs.tslibs.offsets.BQuarterEnd",
        "pandas._libs.tslibs.offsets.BYearBegin",
        "pandas._libs.tslibs.offsets.BYearEnd",
        "pandas._libs.tslibs.offsets.BusinessDay",
        "pandas._libs.tslibs.offsets.BusinessHour",
        "pandas._libs.tslibs.offsets.BusinessMonthBegin",
        "pandas._libs.tslibs.offsets.BusinessMonthEnd",
        "pandas._libs.tslibs.offsets.CustomBusinessDay",
        "pandas._libs.tslibs.offsets.CustomBusinessHour",
        "pandas._libs.tslibs.offsets.CustomBusinessMonthBegin",
        "pandas._libs.tslibs.offsets.CustomBusinessMonthEnd",
        "pandas._libs.tslibs.offsets.DateOffset",
        "pandas._libs.tslibs.offsets.Day",
        "pandas._libs.tslibs.offsets.Easter",
        "pandas._libs.tslibs.offsets.FY5253",
        "pandas._libs.tslibs.offsets.FY5253Quarter",
        "pandas._libs.tslibs.offsets.Hour",
        "pandas._libs.tslibs.offsets.LastWeekOfMonth",
        "pandas._libs.tslibs.offsets.Micro",
        "pandas._libs.tslibs.offsets.Milli",
        "pandas._libs.tslibs.offsets.Minute",
        "pandas._libs.tslibs.offsets.MonthBegin",
        "pandas._libs.tslibs.offsets.MonthEnd",
        "pandas._libs.tslibs.offsets.Nano",
        "pandas._libs.tslibs.offsets.QuarterBegin",
        "pandas._libs.tslibs.offsets.QuarterEnd",
        "pandas._libs.tslibs.offsets.Second",
        "pandas._libs.tslibs.offsets.SemiMonthBegin",
        "pandas._libs.tslibs.offsets.SemiMonthEnd",
        "pandas._libs.tslibs.offsets.Week",
        "pandas._libs.tslibs.offsets.WeekOfMonth",
        "pandas._libs.tslibs.offsets.YearBegin",
        "pandas._libs.tslibs.offsets.YearEnd",
        "pandas._libs.tslibs.period.Period",
        "pandas.core.arrays.boolean.BooleanDtype",
        "pandas.core.arrays.floating.Float32Dtype",
        "pandas.core.arrays.floating.Float64Dtype",
        "pandas.core.arrays.integer.Int16Dtype",
        "pandas.core.arrays.integer.Int32Dtype",
        "pandas.core.arrays.integer.Int64Dtype",
        "pandas.core.arrays.integer.Int8Dtype",
        "pandas.core.arrays.integer.UInt16Dtype",
        "pandas.core.arrays.integer.UInt32Dtype",
        "pandas.core.arrays.integer.UInt64Dtype",
        "pandas.core.arrays.integer.UInt8Dtype",
        "pandas.core.arrays.string_.StringDtype",
        "pandas.core.dtypes.dtypes.ArrowDtype",
        "pandas.core.dtypes.dtypes.CategoricalDtype",
        "pandas.core.dtypes.dtypes.DatetimeTZDtype",
        "pandas.core.dtypes.dtypes.IntervalDtype",
        "pandas.core.dtypes.dtypes.PeriodDtype",
        "pandas.core.dtypes.dtypes.SparseDtype",
        "scipy.stats._stats_py.LinregressResult",
        "scipy.stats._stats_py.PearsonRResult",
        "scipy.stats._stats_py.PearsonRResultBase",
        "sklearn.impute._iterative._ImputerTriplet",
        "statsmodels.tsa.deterministic.TimeTrend",
        "torch.ScriptObject",
        "torch.Size",
        "torch.ao.quantization.qconfig.QConfig",
        "torch.distributed._mesh_layout._FlatLayout",
        "torch.distributed._mesh_layout._MeshLayout",
        "torch.distributed.device_mesh.DeviceMesh",
        "torch.distributed.tensor.DTensor",
        "torch.distributed.tensor._api.DTensor",
        "torch.distributed.tensor._dtensor_spec.DTensorSpec",
        "torch.distributed.tensor._dtensor_spec.ShardOrderEntry",
        "torch.distributed.tensor._dtensor_spec.TensorMeta",
        "torch.distributed.tensor.placement_types.Partial",
        "torch.distributed.tensor.placement_types.Replicate",
        "torch.distributed.tensor.placement_types.Shard",
        "torch.distributed.tensor.placement_types._StridedShard",
        "torch.nn.modules.module._IncompatibleKeys",
        "torch.nn.utils.rnn.PackedSequence",
        "torch.return_types.max",
        "torch.return_types.sort",
        "torch.return_types.topk",
        "torch.torch_version.TorchVersion",
        "transformers.generation.configuration_utils.GenerationConfig",
        "uuid.UUID",
    }
)
# fp22: every torchmetrics class (Metric.__hash__ hashes the values of each default state,
# lists of tensors included, and Metric.__eq__ builds a CompositionalMetric)
HASH_CODE_PREFIXES = ("torchmetrics.",)
PATHS = frozenset(
    {
        "pathlib.Path",
        "pathlib.PosixPath",
        "pathlib.PurePosixPath",
        "pathlib.PureWindowsPath",
        "pathlib.WindowsPath",
        "pathlib._local.Path",
        "pathlib._local.PosixPath",
        "pathlib._local.PurePosixPath",
        "pathlib._local.PureWindowsPath",
        "pathlib._local.WindowsPath",
    }
)
# dataclasses whose generated __hash__ hashes fields their BUILD state sets (DCP's .metadata
# keys every entry by a MetadataIndex(fqn, offset: torch.Size, index)): judged by that state
HASH_FIELDS = frozenset({"torch.distributed.checkpoint.metadata.MetadataIndex"})
SIZE = "torch.Size"
_MAX_ITEMS = 1 << 22  # items walked per key (more: judged as running code)
# Tuples nested deeper than this in a key: CPython hashes a tuple by recursing in C with no depth
# guard, so a key ~100,000 tuples deep crashes the loader (SIGSEGV at pickle.load); honest keys
# are a few levels deep.
_MAX_DEPTH = 32


def state_problem(state: Any, built: dict[int, Any]) -> str | None:
    """Why a ``HASH_FIELDS`` object given ``state`` may run code when hashed: a field value
    that would (its dict or slot part's values are hashed as a tuple)."""
    parts = state if type(state) is tuple and len(state) == 2 else (state,)
    for part in parts:
        if part is None:
            continue
        if type(part) is not PDict:
            return "a state that is not a dict of the pickle"
        why = key_problem(tuple(v for _, v in part.items), built, {})
        if why is not None:
            return why
    return None


def key_problem(key: Any, built: dict[int, Any], unsafe: dict[int, Any]) -> str | None:
    """Why hashing ``key`` at load may run code the pickle chose (None: it cannot).
    ``built``: ids of the symbols a BUILD gave a state; ``unsafe``: ids of ``HASH_FIELDS``
    objects given a state whose fields may (:func:`state_problem`)."""
    todo = [(key, 0)]
    left = _MAX_ITEMS
    while todo:
        v, depth = todo.pop()
        t = type(v)
        if t is tuple or (t is PSet and v.frozen):
            if depth >= _MAX_DEPTH:
                return (f"a key nested more than {_MAX_DEPTH} tuples deep (hashing it recurses"
                        " in C: deep enough, the loader crashes)")  # fmt: skip
            items = v if t is tuple else v.items
            left -= len(items) + 1
            if left < 0:
                return f"a key holding more than {_MAX_ITEMS:,} items"
            todo.extend((x, depth + 1) for x in items)
        elif t is Sym and v.kind == K_OBJ and v.name is not None:
            name = v.name
            if name == SIZE and type(v.meta) is tuple and v.meta[:1] == ("size",):
                continue  # torch.Size of integers the pickle shows
            if name in HASH_FIELDS:
                if id(v) in unsafe:
                    return f"a {name} whose state's fields run code when hashed"
            elif name in PATHS:
                if id(v) in built:
                    return f"a {name} given a state by BUILD (its hash reads that state)"
            elif name in HASH_CODE or name.startswith(HASH_CODE_PREFIXES):
                return f"a {name} (its __hash__/__eq__ run Python code over its state)"
        elif t is PDict or t is list or (t is PSet and not v.frozen):
            continue  # unhashable: TypeError before anything runs
    return None
