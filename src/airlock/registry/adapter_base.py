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
MAX_CONFIGS = 64  # adapter configs in one version (root and subfolders)
MAX_CONFIGS_CHARS = 2 * peft.MAX_CONFIG_BYTES  # all of them together


def config_paths(manifest: Manifest) -> list[str]:
    """Every ``adapter_config.json`` the manifest lists, root first: each is an adapter peft
    loads (a subfolder one with ``subfolder=NAME``)."""
    paths = sorted(f.path for f in manifest.files if peft.is_config_path(f.path))
    return sorted(paths, key=lambda p: p != peft.CONFIG)


def config_claim(manifest: Manifest, configs: dict[str, str], stated: str) -> str:
    """The base the adapter configs name (``NAME[@REVISION]``), read from ``configs`` (path ->
    text of every ``adapter_config.json`` the manifest lists, each checked against its
    digest). Every config must name the same base at the same revision: a version whose
    adapters load different bases is refused (the registry records one base per version).
    ``stated`` (the submitter's ``base_model``) must agree with it when given."""
    paths = config_paths(manifest)
    if not paths:
        raise InvalidRequest(f"manifest: an adapter lists an {peft.CONFIG}")
    if len(paths) > MAX_CONFIGS:
        raise InvalidRequest(f"manifest: more than {MAX_CONFIGS} adapter configs")
    missing = [p for p in paths if p not in configs]
    if missing:
        raise InvalidRequest(
            f"an adapter submission carries the text of every {peft.CONFIG} its manifest lists "
            f"(adapter_config for the root one, adapter_configs by path): the registry reads "
            f"the base peft loads from each; missing: {', '.join(missing[:5])}"
        )
    extra = sorted(set(configs) - set(paths))
    if extra:
        raise InvalidRequest(
            f"adapter_configs: {extra[0][:200]!r} is not a config the manifest lists"
        )
    if sum(len(configs[p]) for p in paths) > MAX_CONFIGS_CHARS:
        raise InvalidRequest(f"adapter_configs: more than {MAX_CONFIGS_CHARS:,} characters")
    entries = {f.path: f for f in manifest.files}
    claims: dict[str, tuple[str, str]] = {}
    for path in paths:
        raw = configs[path].encode("utf-8")
        entry = entries[path]
        if hashlib.sha256(raw).hexdigest() != entry.digest.lower() or len(raw) != entry.size:
            raise InvalidRequest(f"adapter_config: not the {path} the manifest lists")
        fields = peft.config_base_fields(raw)
        if fields is None:
            raise InvalidRequest(f"adapter_config: {path} is not a readable JSON object")
        claims[path] = fields
    base, revision = claims[paths[0]]
    for path, (b, r) in claims.items():
        if not peft.same_base(b, base) or r.lower() != revision.lower():
            raise InvalidRequest(
                f"{paths[0]} loads {base[:200]!r} at {revision[:80] or 'no revision'!r} but "
                f"{path} loads {b[:200]!r} at {r[:80] or 'no revision'!r}: the adapters of one "
                "version must share their base"
            )
    if stated and not peft.same_base(stated, base):
        raise InvalidRequest(
            f"base_model {stated[:200]!r} is not the base the adapter loads ({base[:200]!r})"
        )
    # recorded as NAME[@REVISION] (peft loads the base at that revision); a base name that
    # itself holds "@" gets a trailing "@" so that no part of it can pass for a revision
    if revision or "@" in base:
        return f"{base}@{revision}" + ("@" if "@" in base else "")
    return base


def base_identity(model: str, source: str) -> str | None:
    """The hub repository a registered base version is: its source when that names a hub
    repository (``hf:``, ``hf://``, a hub URL), else its registered name when that is shaped
    like a repo id; None when it is neither."""
    return peft.source_repo_id(source) or peft.repo_id(model)


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
