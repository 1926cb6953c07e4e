"""Signed audit checkpoints: the anchor a rewritten audit tail cannot get past.

Anyone who can write the registry's database can rebuild the hash chain from any event on
(every later hash recomputed, ``audit_head`` moved): ``audit verify`` then finds a consistent
chain. A checkpoint is the head -- sequence number, hash, time -- signed with a private key the
database never holds (DSSE, the allowlist's machinery: ECDSA P-256/384/521 or Ed25519 through
``cryptography``). Kept elsewhere (published, in CI artifacts, in the checkpoint log), it pins
the chain's prefix: ``airlock registry audit verify --checkpoint FILE --key PUB`` fails (exit 1)
unless the log still holds the checkpointed hash at that sequence number, which -- with the
chain's links verified -- means every event up to it is what it was when it was signed.

The checkpoint log (``serve --checkpoint-log FILE``, default beside a SQLite database) is a
JSON-lines file the server appends one signed checkpoint to whenever ``GET
/v1/audit/checkpoint`` finds the head moved. ``serve`` verifies it against the database before
it listens and each worker starts its verified prefix (``audit.VerifiedPrefix``) at its last
entry. What that protects against: a writer with database access only (SQL credentials, an
injection, a restored or swapped database) -- the lines are signed, so they cannot be forged
without the key, and a rewritten tail below the last one stops the server. What it does not:
anyone who can also write the file (on SQLite, usually the same account as the database) can
truncate it or delete it, and no log tells of events after its last line; publish checkpoints
somewhere the registry's host cannot write (a CI artifact, a transparency log, a ticket) for
that.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from airlock.errors import AirlockError, FormatError, InputError
from airlock.provenance.dsse import sign_envelope, verify_json_envelope
from airlock.provenance.keys import PrivateKey, PublicKey, key_hint

PAYLOAD_TYPE = "application/vnd.airlock.audit-checkpoint+json"
SCHEMA = "airlock.audit-checkpoint/v1"
MAX_CHECKPOINT_FILE = 64 * 1024 * 1024
MAX_CHECKPOINTS = 100_000
_HEX = re.compile(r"^[0-9a-f]{64}$")


class CheckpointFailure(AirlockError):
    """The log no longer holds a checkpointed head (exit 1)."""

    exit_code = 1


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    time: str
    key: str  # the signing key's hint

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "time": self.time, "key": self.key}


def sign_checkpoint(seq: int, head_hash: str, private_key: PrivateKey) -> dict[str, Any]:
    """A DSSE envelope over ``{"schema", "seq", "hash", "time"}`` (the audit head now)."""
    payload = {
        "schema": SCHEMA,
        "seq": int(seq),
        "hash": head_hash,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    envelope = sign_envelope(data, PAYLOAD_TYPE, private_key)
    envelope["signatures"][0]["keyid"] = key_hint(private_key.public_key())
    return envelope


def verify_checkpoint(envelope: Any, public_key: PublicKey, source: str) -> Checkpoint:
    """Verify and parse; ``SignatureError`` (exit 1) when it was not signed by ``public_key``."""
    data = verify_json_envelope(
        envelope, public_key, source, PAYLOAD_TYPE, SCHEMA, "an Airlock audit checkpoint"
    )
    seq, digest = data.get("seq"), data.get("hash")
    if type(seq) is not int or seq < 0 or not isinstance(digest, str) or not _HEX.match(digest):
        raise FormatError(f"{source}: a checkpoint needs a sequence number and a 64-hex hash")
    return Checkpoint(seq, digest, str(data.get("time", ""))[:40], key_hint(public_key))


def read_checkpoints(path: Path, public_key: PublicKey) -> list[Checkpoint]:
    """Every checkpoint in ``path``: one envelope (``audit checkpoint -o``) or a checkpoint log
    (one envelope a line). Each must verify; an empty file holds none."""
    from airlock.fileio import read_capped

    try:
        text = read_capped(path, MAX_CHECKPOINT_FILE, "checkpoint file").decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    try:
        items = [json.loads(text)]  # one envelope, as `audit checkpoint -o` writes it
    except (ValueError, RecursionError):
        items = []
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(lines) > MAX_CHECKPOINTS:
            raise FormatError(f"{path}: more than {MAX_CHECKPOINTS} checkpoints") from None
        for n, line in enumerate(lines, 1):
            try:
                items.append(json.loads(line))
            except (ValueError, RecursionError):
                raise FormatError(f"{path}: line {n} is not a JSON checkpoint") from None
    return [verify_checkpoint(e, public_key, f"{path}:{n}") for n, e in enumerate(items, 1)]


#: What ``serve`` and its workers read of a checkpoint log: its end (the log grows by one line
#: per head a reader asks for; reading it all would make a busy registry's start slower and
#: slower, and then fail on the file cap).
LOG_TAIL_BYTES = 1024 * 1024
LOG_TAIL_LINES = 1000


def read_log_tail(path: Path, public_key: PublicKey) -> list[Checkpoint]:
    """The last :data:`LOG_TAIL_LINES` checkpoints of a checkpoint log (within its last
    :data:`LOG_TAIL_BYTES`), each verified."""
    try:
        with path.open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            start = max(0, size - LOG_TAIL_BYTES)
            f.seek(start)
            data = f.read(LOG_TAIL_BYTES)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    lines = data.split(b"\n")
    if start > 0:
        lines = lines[1:]  # a partial first line
    items = [ln for ln in lines if ln.strip()][-LOG_TAIL_LINES:]
    found = []
    for n, line in enumerate(items, 1):
        try:
            envelope = json.loads(line)
        except (ValueError, RecursionError, UnicodeDecodeError):
            raise FormatError(f"{path}: line {n} from the end is not a JSON checkpoint") from None
        found.append(verify_checkpoint(envelope, public_key, f"{path} (tail line {n})"))
    return found


def append_checkpoint(path: Path, envelope: dict[str, Any]) -> None:
    """One line at the end of the checkpoint log (O_APPEND, fsync'd; created 0600)."""
    line = (json.dumps(envelope, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def default_log(database_url: str) -> Path | None:
    """``<database>.checkpoints`` beside a SQLite file (``None`` for other databases)."""
    from airlock.registry.db import make_engine, sqlite_file

    engine = make_engine(database_url)
    try:
        path = sqlite_file(engine)
    finally:
        engine.dispose()
    return None if path is None else path.with_name(path.name + ".checkpoints")


def backend_problems(backend: Any, checkpoints: list[Checkpoint], head_seq: int) -> list[str]:
    """:func:`problems` through a registry backend (a local store or a server)."""

    def event_hash_at(seq: int) -> str | None:
        events = backend.audit_events(after=seq - 1, limit=1)
        return events[0].hash if events and events[0].seq == seq else None

    return problems(checkpoints, event_hash_at, head_seq)


def problems(checkpoints: list[Checkpoint], event_hash_at: Any, head_seq: int) -> list[str]:
    """What no longer holds: ``event_hash_at(seq)`` is the log's hash of event ``seq`` (or
    ``None``). Together with an intact chain, a checkpoint that holds pins every event up to
    its sequence number."""
    found: list[str] = []
    for cp in checkpoints:
        if cp.seq > head_seq:
            found.append(
                f"checkpoint at event {cp.seq} ({cp.time}): the log ends at event {head_seq} "
                "(events were cut)"
            )
            continue
        have = audit_genesis() if cp.seq == 0 else event_hash_at(cp.seq)
        if have is None:
            found.append(f"checkpoint at event {cp.seq} ({cp.time}): the log has no event {cp.seq}")
        elif have != cp.hash:
            found.append(
                f"checkpoint at event {cp.seq} ({cp.time}): the log's event {cp.seq} has hash "
                f"{have[:16]}…, the checkpoint signed {cp.hash[:16]}… (the log was rewritten)"
            )
    return found


def audit_genesis() -> str:
    from airlock.registry.audit import GENESIS_HASH

    return GENESIS_HASH
