"""A model config naming a Hub kernel as its attention (AIR-CFG-029).

transformers 5 reads ``attn_implementation`` from ``config.json`` as if the caller had passed
it; a value shaped like a Hub repository (``org/repo``, ``org/repo@rev``, ``org/repo:fn``,
``paged|org/repo``) makes ``from_pretrained`` call ``kernels.get_kernel`` on it: compiled code
fetched from another repository and loaded into the process (rt24tpl: reached with
``kernels`` 0.19 installed, refused offline only because the publisher check needs the
network). The built-in names (``eager``, ``sdpa``, ``flash_attention_2``...) load nothing.
"""

from __future__ import annotations

import re
from typing import Any

from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule

HUB_KERNEL = Rule(
    "AIR-CFG-029",
    Severity.HIGH,
    "Model config loads an attention kernel from another repository",
    "An attn_implementation naming a Hub repository makes transformers download and load that"
    " repository's compiled kernel when the model is loaded, without trust_remote_code.",
    "https://huggingface.co/docs/transformers/kernel_doc/overview",
)

KEYS = ("attn_implementation", "_attn_implementation", "_attn_implementation_internal")
# transformers.integrations.hub_kernels.is_kernel, after an optional "paged|" prefix
_KERNEL = re.compile(r"^[^/:]+/[^/:]+(?:@[^/:]+)?(?::[^/:]+)?$")
MAX_DEPTH = 4


def kernel_findings(doc: Any, location: str, member: str | None, name: str) -> list[Finding]:
    """AIR-CFG-029 for a ``*config.json`` whose attention (or a sub-config's) is a Hub kernel."""
    if not name.endswith("config.json") or not isinstance(doc, dict):
        return []
    out: list[str] = []
    _walk(doc, "", out, 0)
    return [HUB_KERNEL.finding(location, ev, member=member) for ev in out[:5]]


def _walk(node: dict[str, Any], path: str, out: list[str], depth: int) -> None:
    for key in KEYS:
        value = node.get(key)
        values = value.values() if isinstance(value, dict) else [value]  # per sub-config
        for v in values:
            if isinstance(v, str) and _KERNEL.match(v.split("|", 1)[-1].strip()):
                out.append(f"{path}{key}: {v[:200]!r} is a Hub kernel repository")
    if depth < MAX_DEPTH:
        for key, value in list(node.items())[:500]:
            if isinstance(value, dict):
                _walk(value, f"{path}{key}.", out, depth + 1)
