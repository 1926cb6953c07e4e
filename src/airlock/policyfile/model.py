"""The policy file's content, parsed and validated strictly (unknown keys and wrong types are
errors: a typo must never silently weaken the gate)."""

import datetime as dt
import re
from typing import Any, NamedTuple

from airlock.errors import UsageError
from airlock.report import Severity

MAX_BYTES = 1024 * 1024
MAX_ENTRIES = 10_000
# patterns compiled (and cached) by ``re`` on first use: only a policy file with entries needs them
_RULE = r"AIR-[A-Z0-9]+(-[A-Z0-9]+)*"
_NAME = r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+"
_DIGEST = r"(sha256:)?[0-9a-f]{64}"
_TOP_KEYS = {"fail-on", "allow", "suppress", "ignore"}


class PolicyFileError(UsageError):
    """The policy file is unreadable, malformed or no longer valid (an expired suppression)."""


class AllowedGlobal(NamedTuple):
    """A pickle global the organisation reviewed and allows beyond Airlock's allowlist."""

    name: str
    reason: str


class Suppression(NamedTuple):
    """``rule`` is not reported for files matching ``path`` (a glob) or with ``digest``."""

    rule: str
    reason: str
    path: str | None = None
    digest: str | None = None
    expires: dt.date | None = None


class PolicyFile(NamedTuple):
    """A parsed policy. ``source`` is the file path or URL; ``sha256`` hashes its bytes (for
    a pyproject.toml, the whole file)."""

    source: str
    sha256: str
    fail_on: Severity | None = None
    allow: tuple[AllowedGlobal, ...] = ()
    suppress: tuple[Suppression, ...] = ()
    ignore: tuple[str, ...] = ()
    base_dir: str | None = None  # where relative suppression/ignore paths start

    def record(self) -> dict[str, Any]:
        """What reports record about the policy in force."""
        return {"source": self.source, "sha256": self.sha256}

    def allowed(self, name: str) -> AllowedGlobal | None:
        return next((a for a in self.allow if a.name == name), None)


BUILTIN = PolicyFile(source="builtin", sha256="")


def _err(source: str, msg: str) -> PolicyFileError:
    return PolicyFileError(f"{source}: {msg}")


def _str(source: str, where: str, value: Any, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if type(value) is not str or not value.strip() or len(value) > 4096:
        raise _err(source, f"{where} must be a non-empty string")
    return value


def _date(source: str, where: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if type(value) is dt.date:
        return value
    if type(value) is str:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _err(source, f"{where} must be a date (YYYY-MM-DD)")


def _table(source: str, where: str, value: Any, keys: set[str]) -> dict[str, Any]:
    if type(value) is not dict:
        raise _err(source, f"{where} must be a table")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise _err(source, f"{where}: unknown key(s) {', '.join(unknown)}")
    return value


def _list(source: str, where: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if type(value) is not list or len(value) > MAX_ENTRIES:
        raise _err(source, f"{where} must be a list (at most {MAX_ENTRIES} entries)")
    return value


def parse_policy(
    data: bytes, source: str, *, pyproject: bool = False, today: dt.date | None = None
) -> PolicyFile | None:
    """Parse policy bytes. ``pyproject``: the policy is ``[tool.airlock]`` (None when absent).
    An expired suppression is an error: it must be renewed or removed, never silently kept."""
    import hashlib  # here, not at the top: `airlock scan` without a policy file never needs them
    import tomllib

    if len(data) > MAX_BYTES:
        raise _err(source, f"larger than {MAX_BYTES} bytes")
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _err(source, f"not valid TOML ({exc})") from None
    if pyproject:
        section = doc.get("tool", {}).get("airlock") if type(doc.get("tool")) is dict else None
        if section is None:
            return None
        where = "[tool.airlock]"
    else:
        section, where = doc, "policy"
    body = _table(source, where, section, _TOP_KEYS)
    fail_on = None
    if "fail-on" in body:
        text = _str(source, "fail-on", body["fail-on"])
        try:
            fail_on = Severity.parse(str(text))
        except ValueError as exc:
            raise _err(source, f"fail-on: {exc}") from None
    allow = []
    for i, item in enumerate(_list(source, "allow", body.get("allow"))):
        entry = _table(source, f"allow[{i}]", item, {"name", "reason"})
        name = str(_str(source, f"allow[{i}].name", entry.get("name")))
        if not re.fullmatch(_NAME, name):
            raise _err(source, f"allow[{i}].name {name!r} is not a dotted module.name")
        _refuse_dangerous(source, i, name)
        reason = str(_str(source, f"allow[{i}].reason", entry.get("reason")))
        allow.append(AllowedGlobal(name, reason))
    today = today or dt.datetime.now(dt.UTC).date()
    suppress = []
    for i, item in enumerate(_list(source, "suppress", body.get("suppress"))):
        where_i = f"suppress[{i}]"
        entry = _table(source, where_i, item, {"rule", "path", "digest", "reason", "expires"})
        rule = str(_str(source, f"{where_i}.rule", entry.get("rule")))
        if not re.fullmatch(_RULE, rule):
            raise _err(source, f"{where_i}.rule {rule!r} is not a rule id (AIR-...)")
        path = _str(source, f"{where_i}.path", entry.get("path"), required=False)
        digest = _str(source, f"{where_i}.digest", entry.get("digest"), required=False)
        if (path is None) == (digest is None):
            raise _err(source, f"{where_i} needs exactly one of path or digest")
        if digest is not None:
            digest = digest.lower()
            if not re.fullmatch(_DIGEST, digest):
                raise _err(source, f"{where_i}.digest must be a sha256 hex digest")
            digest = digest.removeprefix("sha256:")
        expires = _date(source, f"{where_i}.expires", entry.get("expires"))
        if expires is not None and expires < today:
            raise _err(
                source,
                f"{where_i} ({rule} for {path or digest}) expired on {expires.isoformat()}: "
                "renew it after a new review, or remove it",
            )
        reason = str(_str(source, f"{where_i}.reason", entry.get("reason")))
        suppress.append(Suppression(rule, reason, path, digest, expires))
    ignore = []
    for i, pat in enumerate(_list(source, "ignore", body.get("ignore"))):
        ignore.append(str(_str(source, f"ignore[{i}]", pat)))
    return PolicyFile(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        fail_on=fail_on,
        allow=tuple(allow),
        suppress=tuple(suppress),
        ignore=tuple(ignore),
    )


def _refuse_dangerous(source: str, i: int, name: str) -> None:
    """A policy may allow unknown names only: never what Airlock knows to be dangerous."""
    from airlock.scan.allowlist import ALLOW, UNKNOWN, default_policy

    module, _, qual = name.rpartition(".")
    verdict = default_policy().classify(module, qual)
    if verdict.status not in (ALLOW, UNKNOWN):
        raise _err(
            source,
            f"allow[{i}]: {name} is {verdict.status} ({verdict.category or verdict.status}); "
            "a policy file can allow unknown names only",
        )
