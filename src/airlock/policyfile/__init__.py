"""The organisation's scan policy as a file: ``[tool.airlock]`` in ``pyproject.toml`` or an
``airlock.toml``, found from the working directory upward, named with ``--policy FILE`` or
fetched from a registry (``--policy https://registry/v1/policy``).

It holds ``fail-on``, extra allowed globals (each with a reason), suppressions of a rule for a
path or digest (reason, optional expiry; an expired one is an error), and ignore paths. The
policy in force (source and sha256) is recorded in every scan and check report.

``model`` parses and validates (pure), ``discover`` finds and reads it, ``apply`` applies it to
a scan report.
"""

from __future__ import annotations

from airlock.policyfile.apply import apply_policy
from airlock.policyfile.discover import find_policy, load_policy
from airlock.policyfile.model import (
    AllowedGlobal,
    PolicyFile,
    PolicyFileError,
    Suppression,
    parse_policy,
)

__all__ = [
    "AllowedGlobal",
    "PolicyFile",
    "PolicyFileError",
    "Suppression",
    "apply_policy",
    "find_policy",
    "load_policy",
    "parse_policy",
]
