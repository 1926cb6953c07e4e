"""Airlock: let open-weight models in safely.

The public API, imported lazily so that ``import airlock`` (and the CLI's start-up) stays cheap::

    import airlock
    manifest = airlock.hash_model("path/to/model")
    result = airlock.verify_manifest("path/to/model", manifest)
    verdict = airlock.check("path/to/model")
"""

from __future__ import annotations

import importlib

# typing is not imported here: the console entry imports it (through typer) with the garbage
# collector paused, which saves the collections an import of typing would trigger here
TYPE_CHECKING = False

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "hash_model": "airlock.provenance.hashing",
    "HashOptions": "airlock.provenance.hashing",
    "WalkOptions": "airlock.provenance.walk",
    "Manifest": "airlock.provenance.manifest",
    "parse_manifest_json": "airlock.provenance.manifest",
    "parse_sha256sums": "airlock.provenance.manifest",
    "verify_manifest": "airlock.provenance.verify",
    "verify_digests": "airlock.provenance.verify",
    "verify_root_digest": "airlock.provenance.verify",
    "VerifyResult": "airlock.provenance.verify",
    "verify_hf_repo": "airlock.provenance.hf_cache",
    "RepoSpec": "airlock.provenance.hf_cache",
    "check": "airlock.gate",
    "CheckOptions": "airlock.gate",
    "CheckResult": "airlock.gate",
    "Finding": "airlock.report",
    "Severity": "airlock.report",
    "AirlockError": "airlock.errors",
    "scan_paths": "airlock.scan.engine",
    "ScanOptions": "airlock.scan.engine",
    "ScanReport": "airlock.scan.result",
    "sign": "airlock.provenance.signing",
    "verify_signature": "airlock.provenance.signing",
    "SignatureVerification": "airlock.provenance.signing",
}

__all__ = [
    "AirlockError",
    "CheckOptions",
    "CheckResult",
    "Finding",
    "HashOptions",
    "Manifest",
    "RepoSpec",
    "ScanOptions",
    "ScanReport",
    "Severity",
    "SignatureVerification",
    "VerifyResult",
    "WalkOptions",
    "check",
    "hash_model",
    "parse_manifest_json",
    "parse_sha256sums",
    "scan",
    "scan_paths",
    "sign",
    "verify_digests",
    "verify_hf_repo",
    "verify_manifest",
    "verify_root_digest",
    "verify_signature",
]

if TYPE_CHECKING:
    from typing import Any

    from airlock.errors import AirlockError
    from airlock.gate import CheckOptions, CheckResult, check
    from airlock.provenance.hashing import HashOptions, hash_model
    from airlock.provenance.hf_cache import RepoSpec, verify_hf_repo
    from airlock.provenance.manifest import Manifest, parse_manifest_json, parse_sha256sums
    from airlock.provenance.signing import SignatureVerification, sign, verify_signature
    from airlock.provenance.verify import (
        VerifyResult,
        verify_digests,
        verify_manifest,
        verify_root_digest,
    )
    from airlock.provenance.walk import WalkOptions
    from airlock.report import Finding, Severity
    from airlock.scan.engine import ScanOptions, scan_paths
    from airlock.scan.result import ScanReport


def __getattr__(name: str) -> Any:
    if name == "scan":  # the callable package: airlock.scan(path) -> ScanReport
        return importlib.import_module("airlock.scan")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'airlock' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
