"""From an ``airlock check`` result to the check statement (``--attest``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airlock.attest import statement as st

if TYPE_CHECKING:
    from airlock.gate import CheckOptions, CheckResult
    from airlock.provenance.keys import PrivateKey


def gate_options(options: CheckOptions) -> dict[str, Any]:
    """The options that decide a verdict (the policy in force when no policy file is used)."""
    from airlock.registry.backend import is_service_url

    expectation = (
        "manifest"
        if options.manifest is not None
        else "sha256sums"
        if options.sha256sums is not None
        else "digest"
        if options.digest is not None
        else None
    )
    return {
        "expectation": expectation,
        "allow_extra": options.allow_extra,
        "scan": options.scan,
        "fail_on": str(options.fail_on),
        "allow_unscanned": options.allow_unscanned,
        "signature": options.signature is not None,
        "ignore_unsigned_files": options.ignore_unsigned_files,
        "registry": is_service_url(options.registry),
        "trojan": options.base is not None,
        "ignore_paths": list(options.hashing.walk.ignore_paths),
    }


def allowlist_record() -> dict[str, Any]:
    """Version and sha256 of the pickle allowlist the scanner used."""
    from importlib.resources import files

    from airlock.scan.allowlist import default_policy

    data = files("airlock.scan").joinpath("data/pickle_allowlist.json").read_bytes()
    return {"version": default_policy().version, "sha256": hashlib.sha256(data).hexdigest()}


def check_statement(
    result: CheckResult,
    options: CheckOptions,
    *,
    name: str | None = None,
    policy_file: Path | None = None,
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """The unsigned statement for a finished check.

    ``policy_file``: the policy document the check ran under, recorded by path and sha256 (the
    hook for a repository policy file; without one the gate options are the policy).
    """
    from airlock import __version__
    from airlock.fileio import read_capped

    hashed = result.steps[0]
    if hashed.name != "hash":
        raise ValueError("a check result starts with its hash step")
    files = [(f["path"], f["digest"]) for f in hashed.data.get("files", [])]
    pfile = None
    if policy_file is None:
        # The hook for the gate's policy file: once ``CheckOptions`` carries one (its path), the
        # verdict records it without a change here.
        found = getattr(options, "policy_file", None) or getattr(options, "policy_path", None)
        policy_file = Path(found) if isinstance(found, str | Path) else None
    if policy_file is not None:
        pfile = (str(policy_file), read_capped(policy_file, 16 * 1024 * 1024, "policy file"))
    return st.build(
        name=name or Path(result.path).resolve().name or "model",
        root_digest=result.root_digest,
        files=files,
        verdict="allow" if result.allowed else "deny",
        steps=[{"name": s.name, "ok": s.ok, "summary": s.summary} for s in result.steps],
        checker_version=__version__,
        allowlist=allowlist_record(),
        policy=st.policy_record(gate_options(options), pfile),
        timestamp=timestamp,
    )


def attest_check(
    result: CheckResult,
    options: CheckOptions,
    private_key: PrivateKey,
    *,
    name: str | None = None,
    certificate_chain: Sequence[bytes] = (),
    policy_file: Path | None = None,
) -> dict[str, Any]:
    """Build and sign the attestation for a finished check (what ``check --attest`` writes)."""
    from airlock.attest.bundle import sign

    stmt = check_statement(result, options, name=name, policy_file=policy_file)
    return sign(stmt, private_key, certificate_chain=certificate_chain)
