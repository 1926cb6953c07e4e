"""Pillow ``Image.Image`` pickles: the BUILD state ``__getstate__`` writes, proven bounded.

``Image.__setstate__([info, mode, size, palette, data])`` runs ``core.new(mode, size)``, which
allocates the whole image from the state's size before ``frombytes(data)`` checks that the data
is long enough: a 148-byte pickle of size (60000, 60000) in RGBA drove the real loader to 3.3 GB
resident before a MemoryError (session 22, fp23). A state is accepted only when it is exactly
what ``__getstate__`` writes and the raw data in the pickle covers the image, so the allocation
is at most a few times the pickle's own bytes: a 5-item list (info a dict, mode one of Pillow's
plain modes, size a pair of ints, palette None or a byte string / list, data a byte string)
with ``len(data) == row_bytes(mode, width) * height``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airlock.scan.pickle_values import PDict

IMAGE = "PIL.Image.Image"
# bytes per pixel of tobytes() for each mode core.new accepts ('1' packs 8 pixels a byte)
_BYTES_PER_PIXEL = {
    "L": 1,
    "P": 1,
    "LA": 2,
    "La": 2,
    "PA": 2,
    "I;16": 2,
    "I;16L": 2,
    "I;16B": 2,
    "I;16N": 2,
    "RGB": 3,
    "YCbCr": 3,
    "LAB": 3,
    "HSV": 3,
    "I": 4,
    "F": 4,
    "RGBA": 4,
    "RGBX": 4,
    "RGBa": 4,
    "CMYK": 4,
}
_MAX_SIDE = 1 << 24


def row_bytes(mode: str, width: int) -> int:
    """Bytes of one row of ``tobytes()`` in ``mode``."""
    if mode == "1":
        return (width + 7) // 8
    return _BYTES_PER_PIXEL[mode] * width


def image_state_problem(state: Any, length_of: Callable[[Any], int | None]) -> str | None:
    """Why an ``Image.Image`` BUILD state is not one ``__getstate__`` writes with its pixels in
    the pickle (None: it is). ``length_of`` gives the length of a byte string of the pickle
    (None when the value is not one)."""
    if type(state) is not list or len(state) != 5:
        return "a state that is not the 5-item list Image.__getstate__ writes"
    info, mode, size, palette, data = state
    if type(info) is not PDict:
        return "an info that is not a dict"
    if type(mode) is not str or (mode != "1" and mode not in _BYTES_PER_PIXEL):
        return "a mode that is not one of Pillow's plain modes"
    if type(size) is not tuple or len(size) != 2 or any(type(v) is not int for v in size):
        return "a size that is not a pair of ints"
    width, height = size
    if not (0 <= width < _MAX_SIDE and 0 <= height < _MAX_SIDE):
        return f"a size {size!r:.40} out of range"
    if palette is not None and type(palette) is not list and length_of(palette) is None:
        return "a palette that is not None, a list or a byte string"
    have = length_of(data)
    if have is None:
        return "data that is not a byte string of the pickle"
    need = row_bytes(mode, width) * height
    if have != need:
        return f"{have:,} bytes of data for a {width} x {height} {mode} image ({need:,})"
    return None
