"""Console sessions: the API token sealed in an ``HttpOnly`` cookie, plus a CSRF secret.

The cookie holds ``{token, csrf, expiry}`` encrypted and authenticated with AES-256-GCM under
the server's console key, so the browser can neither read nor forge it; every request re-runs
the API's own token check (``Store.authenticate``), so a revoked token ends its sessions at once
and the console has exactly the API's scopes. No server-side session table is needed.

The key comes from ``$AIRLOCK_CONSOLE_SECRET`` (``airlock registry serve`` sets one shared by its
workers when it is unset); without it each process draws a random key, and sessions last as
long as that process.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENV_SECRET = "AIRLOCK_CONSOLE_SECRET"  # noqa: S105 - the variable's name, not a secret
COOKIE = "airlock_session"
LOGIN_COOKIE = "airlock_login"
SESSION_SECONDS = 8 * 3600
_AAD = b"airlock-console-session-v1"
MAX_COOKIE_CHARS = 1024


@dataclass(frozen=True)
class SessionData:
    token: str
    csrf: str
    expires: int


def console_key(secret: str | None = None) -> bytes:
    """The 32-byte sealing key: from ``secret``, ``$AIRLOCK_CONSOLE_SECRET``, else random."""
    text = secret if secret is not None else os.environ.get(ENV_SECRET)
    if not text:
        return secrets.token_bytes(32)
    return hashlib.sha256(b"airlock-console\0" + text.encode("utf-8")).digest()


class Sealer:
    """Seal and open session cookies under one key."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, token: str, *, now: float | None = None) -> tuple[str, SessionData]:
        data = SessionData(
            token=token,
            csrf=secrets.token_urlsafe(32),
            expires=int((now if now is not None else time.time()) + SESSION_SECONDS),
        )
        plain = json.dumps({"t": data.token, "c": data.csrf, "e": data.expires}).encode()
        nonce = secrets.token_bytes(12)
        sealed = nonce + self._aead.encrypt(nonce, plain, _AAD)
        return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("="), data

    def open(self, cookie: str | None, *, now: float | None = None) -> SessionData | None:
        """The session in ``cookie``, or ``None`` if it is missing, forged or expired."""
        if not cookie or len(cookie) > MAX_COOKIE_CHARS:
            return None
        try:
            raw = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
            plain = self._aead.decrypt(raw[:12], raw[12:], _AAD)
            fields = json.loads(plain)
            data = SessionData(str(fields["t"]), str(fields["c"]), int(fields["e"]))
        except (ValueError, InvalidTag, KeyError, TypeError, binascii.Error):
            return None
        if data.expires < (now if now is not None else time.time()):
            return None
        return data


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a submitted CSRF token with the session's."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())
