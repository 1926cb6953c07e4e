"""The pickle reading from offset 0 of a remote object (``formats.ranged``).

``pickle.load`` would unpickle any file from its first byte, so the engine analyses every object
that starts with an opcode as a pickle too. For a remote object the analyser reads the bytes in
place through the object's block cache (``formats.ranged.Paged``): the same positions, the same
bytes, the same limits as on a local file's mapping, so the same analysis (joblib's re-reading
included), in the cache's bounded memory whatever the object's size. Only the blocks the
analysis touches are fetched for it; nothing is guessed from a prefix.
"""

from __future__ import annotations

from typing import Any

from airlock.formats.ranged import LazyBytes
from airlock.formats.source import Limits


def analyze_remote_pickle(
    view: LazyBytes, location: str, member: str | None, limits: Limits
) -> Any:
    """``analyze_pickle(view)`` over the remote bytes, read where the analyser reads."""
    from airlock.scan.pickle_vm import analyze_pickle

    return analyze_pickle(view, location=location, member=member, limits=limits)  # type: ignore[arg-type]
