"""States of allowlisted classes whose ordinary methods run code on what the state holds.

Session 18 (rt19b), red team of the fp19 allowlist additions with the real loaders:

- transformers quantization configs (``QuantizationConfigMixin``): ``__iter__`` (``dict(cfg)``,
  ``list(cfg)``, any allowlisted constructor iterating its argument) and ``__repr__`` run
  ``copy.deepcopy(self.__dict__)``. Deepcopy re-runs what unpickling ran, in its own order:
  every reduce, ``__deepcopy__`` looked up on the instance, a list subclass's ``append`` after
  its ``__dict__`` was restored (a LogitsProcessorList whose instance ``append`` is
  ``bytearray`` and item 1.5e9: 1.7 GB at pickle.load from 250 bytes, ALLOW). Savers' configs
  hold plain values, torch dtypes, the configs' enums and nested configs: anything else is
  AIR-PKL-009.
- transformers ``BatchFeature`` / ``BatchEncoding``: ``__getattr__`` answers any missing
  attribute with ``self.data[name]``; numpy looks ``__array_interface__`` up on the instance
  (``Polynomial(bf)`` read a stride-0 view of 2e8 doubles: 1.6 GB, 28 s), deepcopy looks up
  ``__deepcopy__``. Savers write ``{'data': dict}`` keyed by model input names: ``data`` must
  be a dict whose keys are not dunder names.

Checked when the pickle ends (a state's containers may gain items after the BUILD).
"""

from __future__ import annotations

from typing import Any

from airlock.scan.pickle_values import K_GLOBAL, K_OBJ, PDict, PSet, Span, Sym, describe

QUANT_PREFIX = "transformers.utils.quantization_config."
GETATTR_DATA = frozenset(
    {
        "transformers.feature_extraction_utils.BatchFeature",
        "transformers.tokenization_utils_base.BatchEncoding",
    }
)
# plain values deepcopy rebuilds without running code of the pickle's choosing
_PLAIN_OBJS = frozenset(
    {
        "builtins.set",
        "builtins.frozenset",
        "builtins.bytes",
        "builtins.bytearray",
        "builtins.complex",
        "builtins.slice",
        "_codecs.encode",
        "collections.OrderedDict",
    }
)
_PLAIN = (type(None), bool, int, float, str, bytes, Span)
MAX_ITEMS = 1 << 17  # values walked over all of a pickle's watched states


def watched(name: str) -> bool:
    return name.startswith(QUANT_PREFIX) or name in GETATTR_DATA


def problem(name: str, state: Any, budget: list[int]) -> str | None:
    """Why ``state`` given to an instance of ``name`` is not what savers write (None if it is).
    ``budget[0]``: values the walks of one pickle may still visit."""
    if name in GETATTR_DATA:
        data = state.get("data") if type(state) is PDict else None
        if type(data) is not PDict:
            return (
                f"state {describe(state)} whose 'data' is not a dict ({name}.__getattr__ "
                "answers every missing attribute from it)"
            )
        for k, _ in data.items:
            if type(k) is not str or k.startswith("__"):
                return (
                    f"data key {describe(k)}: {name}.__getattr__ hands it to whatever looks "
                    "that attribute up (numpy's __array_interface__, deepcopy's __deepcopy__)"
                )
        return None
    todo: list[Any] = [state]
    seen: set[int] = set()
    while todo:
        v = todo.pop()
        t = type(v)
        if t in _PLAIN:
            continue
        budget[0] -= 1
        if budget[0] < 0:
            return f"states of more than {MAX_ITEMS:,} values (not walked)"
        if t is tuple or t is list or t is PDict or t is PSet:
            if id(v) in seen:
                continue
            seen.add(id(v))
            items = v if t is tuple or t is list else v.items
            for x in items:
                if t is PDict:
                    todo.extend(x)
                else:
                    todo.append(x)
            continue
        if t is Sym:
            if v.kind == K_GLOBAL:
                continue  # a reference: deepcopy returns it as is
            if v.kind == K_OBJ and v.name is not None:
                vname = str(v.name)
                if vname.startswith(QUANT_PREFIX) or vname in _PLAIN_OBJS:
                    continue  # a nested config is checked at its own BUILD
        return (
            f"state holding {describe(v)}: {name}.__iter__ / __repr__ deep-copy the "
            "attributes, re-running that object's reduce, __deepcopy__ or append"
        )
    return None
