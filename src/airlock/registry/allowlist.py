"""Signed offline allowlist: the registry's approved versions in a DSSE envelope.

``airlock registry export --key PRIV`` writes it; ``airlock registry allowlist check FILE --key
PUB DIGEST|PATH`` verifies it with no server and no database (:func:`load_allowlist`, then
:meth:`Allowlist.check`).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airlock.errors import FormatError, InputError
from airlock.provenance.dsse import sign_envelope, verify_json_envelope
from airlock.provenance.keys import PrivateKey, PublicKey, key_hint
from airlock.registry.records import AllowedVersions, GateDecision

if TYPE_CHECKING:
    from airlock.provenance.manifest import Manifest

PAYLOAD_TYPE = "application/vnd.airlock.allowlist+json"
SCHEMA = "airlock.allowlist/v1"
MAX_ALLOWLIST_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 1_000_000
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
MAX_FUTURE_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Allowlist:
    generated_at: str
    versions: dict[str, str]  # digest -> model name

    def check(
        self,
        target: str | Manifest,
        *,
        max_age: timedelta | None = None,
        now: datetime | None = None,
    ) -> GateDecision:
        """Allow only a version on the list; with ``max_age``, only from a list signed that
        recently (an older signed list still names every version revoked since)."""
        digest = target if isinstance(target, str) else target.root_digest
        model = self.versions.get(digest)
        if model is None:
            return GateDecision(False, digest, None, None, ("version is not on the allowlist",))
        if max_age is not None:
            stale = self.staleness(max_age, now)
            if stale:
                return GateDecision(False, digest, None, model, (stale,))
        return GateDecision(True, digest, "approved", model)

    def staleness(self, max_age: timedelta, now: datetime | None = None) -> str | None:
        """Why this list is too old (or not dated) to answer for ``max_age``; ``None`` if not."""
        try:
            when = datetime.fromisoformat(self.generated_at)
        except ValueError:
            return f"allowlist generated_at {self.generated_at[:40]!r} is not an ISO 8601 time"
        if when.tzinfo is None:
            return "allowlist generated_at has no time zone"
        current = now or datetime.now(UTC)
        if when > current + MAX_FUTURE_SKEW:
            return f"allowlist is dated in the future ({self.generated_at})"
        if current - when > max_age:
            hours = max_age.total_seconds() / 3600
            return (
                f"allowlist of {self.generated_at} is older than {hours:g} hours: versions "
                "revoked since would still be on it (export a fresh one)"
            )
        return None


def sign_allowlist(allowlist: AllowedVersions, private_key: PrivateKey) -> dict[str, Any]:
    """Envelope over ``{"versions": [{"digest", "model"}...]}`` (from ``allowlist()`` of a
    registry backend)."""
    payload = {
        "schema": SCHEMA,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": allowlist.to_json()["versions"],
    }
    data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    envelope = sign_envelope(data, PAYLOAD_TYPE, private_key)
    envelope["signatures"][0]["keyid"] = key_hint(private_key.public_key())
    return envelope


def verify_allowlist(envelope: Any, public_key: PublicKey, source: str = "allowlist") -> Allowlist:
    """Verify and parse; ``SignatureError`` (exit 1) if the signature fails."""
    data = verify_json_envelope(
        envelope, public_key, source, PAYLOAD_TYPE, SCHEMA, "an Airlock allowlist"
    )
    items = data.get("versions")
    if not isinstance(items, list) or len(items) > MAX_ENTRIES:
        raise FormatError(f"{source}: 'versions' must be a list of at most {MAX_ENTRIES}")
    versions: dict[str, str] = {}
    for i, item in enumerate(items):
        digest = item.get("digest") if isinstance(item, dict) else None
        model = item.get("model", "") if isinstance(item, dict) else None
        if not isinstance(digest, str) or not _DIGEST.match(digest) or not isinstance(model, str):
            raise FormatError(f"{source}: versions[{i}] needs a hex 'digest' and a 'model'")
        versions[digest] = model
    return Allowlist(str(data.get("generated_at", "")), versions)


def load_allowlist(
    path: str | os.PathLike[str], public_key: PublicKey | str | os.PathLike[str]
) -> Allowlist:
    """Read an allowlist file and verify it with ``public_key`` (a key, or a PEM/DER key file)."""
    if isinstance(public_key, str | os.PathLike):
        from airlock.provenance.keys import load_public_key

        public_key = load_public_key(public_key)
    p = Path(path)
    from airlock.errors import FormatError as TooBig
    from airlock.fileio import read_capped

    try:
        text = read_capped(p, MAX_ALLOWLIST_BYTES, "allowlist").decode("utf-8")
    except TooBig:
        raise InputError(f"{p}: larger than {MAX_ALLOWLIST_BYTES} bytes") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: cannot read allowlist ({exc})") from None
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError):
        raise FormatError(f"{p}: not valid JSON") from None
    return verify_allowlist(envelope, public_key, str(p))
