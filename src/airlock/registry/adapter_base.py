"""Which base an adapter version really loads, and whether it is the base version it records.

peft fetches the repository named in ``adapter_config.json`` (``base_model_name_or_path``) when
it loads an adapter, whatever digest the registry recorded as its base. The registry reads that
name from the config's own bytes (checked against the manifest's digest, so the submitter
cannot state another) and the gate compares it with the base version's repository: its hub
``source``, or, for a base registered from elsewhere, its registered name.
"""

from __future__ import annotations

import hashlib

from airlock.formats import peft
from airlock.provenance.manifest import Manifest
from airlock.registry.errors import InvalidRequest

MAX_CONFIG_CHARS = peft.MAX_CONFIG_BYTES


def config_claim(manifest: Manifest, config: str | None, stated: str) -> str:
    """The base an adapter's config names, read from ``config`` (the text of its root
    ``adapter_config.json``, which must be the file the manifest lists). ``stated`` (the
    submitter's ``base_model``) must agree with it when given."""
    entry = next((f for f in manifest.files if f.path == peft.CONFIG), None)
    if entry is None:
        raise InvalidRequest(f"manifest: an adapter lists a root {peft.CONFIG}")
    if config is None:
        raise InvalidRequest(
            f"an adapter submission carries its {peft.CONFIG} (adapter_config): the registry "
            "reads the base peft loads from it"
        )
    raw = config.encode("utf-8")
    if hashlib.sha256(raw).hexdigest() != entry.digest.lower() or len(raw) != entry.size:
        raise InvalidRequest(f"adapter_config: not the {peft.CONFIG} the manifest lists")
    cfg = peft.config_from_bytes(raw)
    if cfg is None:
        raise InvalidRequest(f"adapter_config: {peft.CONFIG} is not a readable JSON object")
    if stated and not peft.same_base(stated, cfg.base):
        raise InvalidRequest(
            f"base_model {stated[:200]!r} is not the base the adapter loads ({cfg.base[:200]!r})"
        )
    # recorded as NAME[@REVISION] (peft loads the base at that revision); a base name that
    # itself holds "@" gets a trailing "@" so that no part of it can pass for a revision
    if cfg.revision or "@" in cfg.base:
        return f"{cfg.base}@{cfg.revision}" + ("@" if "@" in cfg.base else "")
    return cfg.base


def base_identity(model: str, source: str) -> str | None:
    """The hub repository a registered base version is: its source when that names a hub
    repository (``hf:``, ``hf://``, a hub URL), else its registered name when that is shaped
    like a repo id; None when it is neither."""
    return peft.repo_id(source, bare=False) or peft.repo_id(model)


def name_problem(
    claim: str, base_model: str, base_source: str, base_revision: str = ""
) -> tuple[str, bool] | None:
    """Why ``claim`` (what the adapter loads: ``NAME[@REVISION]``) is not shown to be the base
    version registered as ``base_model`` from ``base_source`` at ``base_revision``, and whether
    that is a mismatch (True) or a name that cannot be compared (False); None when they are the
    same repository at the same commit (:func:`airlock.formats.peft.revision_problem`: a base
    version registered at a commit needs the config to pin exactly that commit)."""
    name, _, rev = claim.partition("@")
    want = peft.repo_id(name) if name and "@" not in rev else None
    got = base_identity(base_model, base_source)
    said = repr(claim[:200]) if claim else "no base"
    if want is None:
        return (
            f"adapter loads {said}: not a hub repository, not comparable with {base_model}",
            False,
        )
    if got is None:
        why = f"adapter loads {said}; its base version {base_model} names no hub repository"
        return why, False
    if want != got:
        return f"adapter loads {said}, not its base version's repository {got!r}", True
    problem = peft.revision_problem(rev, base_revision)
    if problem is not None:
        return f"adapter loads {said}: {problem[0]}", problem[1]
    return None
