"""Memory that code run inside ``torch.jit.load`` may allocate, over the whole archive.

Each ``__setstate__`` runs once per object data.pkl rebuilds, on that object's state: 300
submodules whose ``__setstate__`` clones ONE shared 4 MiB tensor took 1.4 GiB at load from a
4 MiB archive, and one object whose ``__setstate__`` has 20 statements ``st[0].to(float64)``
over an 8 MiB bool tensor took 1.5 GiB (session 17, rt18ts; every op there is on the
per-statement allowlist of ``torchscript_load``). So the bound is counted per object: the
copies one call of the class's load code may make (``torchscript_load.setstate_costs``: how many
allocating calls, weighted by how much wider than its input each result can be) times the bytes
of the tensors that object's state holds, summed over every object, plus the TorchBind packed
parameters torch rebuilds (a prepacked copy each). The total must stay within a floor plus twice
the archive's own size: honest quantized archives copy each weight once (prepack)."""

from __future__ import annotations

import math
from typing import Any

from airlock.scan import sparse_proof as sp
from airlock.scan.pickle_values import K_OBJ, PDict, PSet, Span, Sym

# storage type -> bytes per element (unknown: the widest)
_ELEMENT = {
    "Double": 8, "Float": 4, "Half": 2, "BFloat16": 2, "Long": 8, "Int": 4, "Short": 2,
    "Char": 1, "Byte": 1, "Bool": 1, "ComplexFloat": 8, "ComplexDouble": 16, "QInt8": 1,
    "QUInt8": 1, "QInt32": 4, "QUInt4x2": 1, "QUInt2x4": 1, "Float8_e5m2": 1,
    "Float8_e4m3fn": 1,
}  # fmt: skip
WIDEST = 16
# a state reaching an object of the archive (whose own tensors load code could copy) or more
# values than this: counted as every tensor of the archive (``ANY``)
MAX_STATE_VALUES = 10_000
ANY = -1
# a BUILD of torch.ScriptObject (quantized packed parameters): the C++ __setstate__ prepacks a
# copy of its tensors (fp16 packing of a float32 weight is smaller; 2 leaves room)
TORCHBIND_FACTOR = 2.0
FLOOR_BYTES = 64 << 20
MAX_BUILDS = 200_000  # recorded per pickle; more: counted as unbounded
MAX_WALKED = 500_000  # state values walked per pickle; more: the rest count as ANY


def torchbind(name: str) -> bool:
    """A TorchBind object (packed parameters) whose C++ ``__setstate__`` torch runs."""
    return name == "torch.ScriptObject" or name.startswith("__torch__.torch.classes.")


def element_bytes(storage_type: str) -> int:
    name = storage_type.rsplit(".", 1)[-1].removesuffix("Storage")
    return _ELEMENT.get(name, WIDEST)


def tensor_bytes(t: sp.Tensor) -> int:
    """Bytes of the view (what a copy of it makes), its elements counted from its size."""
    n = math.prod(max(d, 0) for d in t.size) if t.size else 1
    return n * element_bytes(t.storage)


def state_bytes(state: Any, qbytes: dict[int, int], left: list[int]) -> int:
    """Bytes of the distinct tensors and strings a BUILD state holds (``ANY``: it reaches an
    object of the archive, or too much to walk). ``qbytes``: quantized tensors' bytes by symbol
    id; ``left``: values still to be walked in this pickle (200,000 BUILDs sharing one large
    memoized state must not cost their product)."""
    seen: set[int] = set()
    todo = [state]
    total = 0
    steps = 0
    while todo:
        v = todo.pop()
        steps += 1
        left[0] -= 1
        if steps > MAX_STATE_VALUES or left[0] < 0:
            return ANY
        t = type(v)
        if t is tuple or t is list:
            todo.extend(v)
        elif t is PDict:
            for k, x in v.items:
                todo.append(k)
                todo.append(x)
        elif t is PSet:
            todo.extend(v.items)
        elif t is str or t is bytes or t is bytearray:
            total += len(v)  # a string op at load copies it (``s + "x"``)
        elif t is Span:
            total += v.length
        elif t is Sym:
            if id(v) in seen:
                continue
            seen.add(id(v))
            if type(v.meta) is sp.Tensor:
                total += tensor_bytes(v.meta)
            elif id(v) in qbytes:
                q = qbytes[id(v)]
                if q == ANY:  # a quantized tensor whose size could not be read
                    return ANY
                total += q
            elif v.kind == K_OBJ and str(v.name).startswith("__torch__."):
                return ANY
            elif v.attrs:
                todo.extend(v.attrs.values())
    return total
