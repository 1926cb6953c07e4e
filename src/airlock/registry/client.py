"""HTTP client for the registry service (used by the CLI and by ``airlock check --registry``).

It implements :class:`~airlock.registry.backend.RegistryBackend` like the local
:class:`~airlock.registry.store.Store` and returns the same records, parsed strictly from the
server's JSON. Server errors come back as the matching ``RegistryError`` subclass carrying the
server's message.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx

from airlock.registry.errors import (
    Conflict,
    DatabaseError,
    Forbidden,
    InvalidRequest,
    NotFound,
    RegistryError,
    RemoteError,
    SignatureInvalid,
    Unauthorized,
)
from airlock.registry.records import (
    AdmissionBatch,
    Advisory,
    AffectedDeployment,
    AllowedVersions,
    Attachment,
    AuditEvent,
    AuditHead,
    AuditVerification,
    DecisionOutcome,
    Deployment,
    ExportRecord,
    GateDecision,
    IssuedToken,
    Key,
    Location,
    ModelSummary,
    Policy,
    PolicyEvaluation,
    RevokedToken,
    Token,
    Version,
    VersionDetail,
)

if TYPE_CHECKING:
    from airlock.provenance.manifest import Manifest
    from airlock.report import Severity

ENV_REGISTRY_URL = "AIRLOCK_REGISTRY_URL"
ENV_REGISTRY_TOKEN = "AIRLOCK_REGISTRY_TOKEN"  # noqa: S105 - the variable's name
MAX_RESPONSE_BYTES = 256 * 1024 * 1024
#: The whole exchange (connect, send, every byte of the answer) must end within this many
#: times the per-operation ``timeout``: httpx's timeout bounds each read, so a server dripping
#: a byte a second held ``airlock check --registry`` for ever.
DEADLINE_FACTOR = 4
_clock = time.monotonic  # the deadline's clock (tests advance their own)
_BY_STATUS: dict[int, type[RegistryError]] = {
    400: InvalidRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: InvalidRequest,
    422: SignatureInvalid,
    503: DatabaseError,
}


class RegistryClient:
    """A connection to ``url`` authenticated with ``token`` (``None``: the environment's)."""

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        base = url or os.environ.get(ENV_REGISTRY_URL, "")
        if not base:
            raise InvalidRequest(f"no registry URL given (--registry or ${ENV_REGISTRY_URL})")
        if not base.startswith(("http://", "https://")):
            raise InvalidRequest(f"{base!r}: registry URL must start with http:// or https://")
        self.url = base.rstrip("/")
        self._timeout = timeout
        tok = token or os.environ.get(ENV_REGISTRY_TOKEN) or os.environ.get("AIRLOCK_TOKEN", "")
        if tok and (not tok.isascii() or not tok.isprintable() or " " in tok):
            # an HTTP header holds ASCII only: a pasted token with a typographic character or
            # a line break was an internal UnicodeEncodeError, not a usage error
            raise InvalidRequest("registry token must be printable ASCII without spaces (as"
                                 " `airlock registry token create` prints it)")  # fmt: skip
        headers = {"Authorization": f"Bearer {tok}"} if tok else {}
        # answers are read undecoded (see _fetch): ask for none
        headers["Accept-Encoding"] = "identity"
        self._http = httpx.Client(
            base_url=self.url,
            headers=headers,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            # one connection per call: the deadline's watchdog knows each call's socket
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _fetch(self, method: str, path: str, body: Any, params: Any) -> tuple[int, bytes]:
        """Status and body, read as a stream: at most ``MAX_RESPONSE_BYTES`` are kept (an
        endless answer was buffered whole before its size was looked at), and the exchange
        ends by its deadline: httpx bounds each read, so a server dripping a byte a second (in
        the body, or in the head, where a watchdog shuts the socket) held the gate for ever."""
        limit = DEADLINE_FACTOR * self._timeout
        deadline = _clock() + limit
        late = RemoteError(f"{self.url}{path}: no complete answer within {limit:g} s")
        sockets: list[Any] = []
        expired = threading.Event()

        def trace(event: str, info: dict[str, Any]) -> None:
            if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
                stream = info.get("return_value")
                sock = stream.get_extra_info("socket") if stream is not None else None
                if sock is not None:
                    sockets.append(sock)

        def expire() -> None:
            expired.set()
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(limit, expire)
        watchdog.daemon = True
        watchdog.start()
        chunks: list[bytes] = []
        size = 0
        try:
            with self._http.stream(
                method, path, json=body, params=params, extensions={"trace": trace}
            ) as resp:
                # review27: httpx decodes a whole received chunk at once, before the size cap
                # sees it: 3.5 KB of "Content-Encoding: gzip, gzip" became 4 GB in memory. Only
                # unencoded answers are read (iter_bytes then decodes nothing).
                coding = resp.headers.get("content-encoding", "").strip().lower()
                if coding not in ("", "identity"):
                    raise RemoteError(
                        f"{self.url}{path}: answer is {coding[:40]!r}-encoded; the client asks"
                        " for none (a proxy that compresses must respect Accept-Encoding)"
                    )
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > MAX_RESPONSE_BYTES:
                        raise RemoteError(
                            f"{self.url}{path}: response larger than {MAX_RESPONSE_BYTES} bytes"
                        )
                    if _clock() > deadline or expired.is_set():
                        raise late
                    chunks.append(chunk)
                if expired.is_set():
                    raise late
                return resp.status_code, b"".join(chunks)
        except httpx.HTTPError as exc:
            if expired.is_set():
                raise late from None
            raise RemoteError(f"{self.url}: cannot reach the registry ({exc})") from None
        finally:
            watchdog.cancel()

    def _call(self, method: str, path: str, body: Any = None, params: Any = None) -> Any:
        status, content = self._fetch(method, path, body, params)
        try:
            data = json.loads(content) if content else None
        except (ValueError, RecursionError):
            data = None
        if 300 <= status < 400:
            # follow_redirects is off: a redirect is no answer, whatever its body says
            raise RemoteError(
                f"{self.url}{path}: HTTP {status} (a redirect): give the registry's own URL"
            )
        if status >= 400 or status < 200:
            message = f"HTTP {status}"
            error = data.get("error") if isinstance(data, dict) else None
            if isinstance(error, dict):
                message = str(error.get("message", message))[:500]
            if status == 404 and not (
                isinstance(error, dict) and error.get("code") == "not_found"
            ):
                # no such route (not: no such record): the URL is not the registry's root
                raise RemoteError(
                    f"{self.url}{path}: HTTP 404 ({message}): is {self.url} the registry "
                    "server's base URL (e.g. http://HOST:8470, without /v1)?"
                )
            cls = _BY_STATUS.get(status, RemoteError)
            raise cls(f"registry: {message}")
        if data is None and content:
            raise RemoteError(f"{self.url}{path}: answer is not JSON")
        return data

    # -- the operations of RegistryBackend (see airlock.registry.backend) ----------------------

    def submit(
        self,
        manifest: Manifest | dict[str, Any],
        *,
        model: str,
        source: str,
        source_revision: str = "",
        base_model: str = "",
        license: str = "",
        base_digest: str = "",
        adapter_config: str | None = None,
        adapter_configs: dict[str, str] | None = None,
        actor: str = "",
    ) -> Version:
        mjson = manifest if isinstance(manifest, dict) else manifest.to_json()
        body = {
            "model": model,
            "source": source,
            "manifest": mjson,
            "source_revision": source_revision,
            "base_model": base_model,
            "license": license,
        }
        if base_digest:  # only when set: a server without the field still takes the rest
            body["base_digest"] = base_digest
        if adapter_config is not None:
            body["adapter_config"] = adapter_config
        if adapter_configs:
            body["adapter_configs"] = adapter_configs
        return Version.from_json(self._call("POST", "/v1/versions", body))

    def get_version(self, digest: str) -> VersionDetail:
        return VersionDetail.from_json(self._call("GET", f"/v1/versions/{_segment(digest)}"))

    def get_manifest(self, digest: str) -> dict[str, Any]:
        data = self._call("GET", f"/v1/versions/{_segment(digest)}/manifest")
        if not isinstance(data, dict):
            raise RemoteError("registry answered a manifest with something other than an object")
        return data

    def list_versions(
        self,
        *,
        model: str | None = None,
        state: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Version]:
        params = {"model": model, "state": state, "limit": limit, "offset": offset}
        data = self._call("GET", "/v1/versions", params=_present(params))
        return Version.list_from_json(data)

    def list_models(self) -> list[ModelSummary]:
        return ModelSummary.list_from_json(self._call("GET", "/v1/models"))

    def attach_scan_report(
        self, digest: str, report: dict[str, Any], *, actor: str = ""
    ) -> Attachment:
        path = f"/v1/versions/{_segment(digest)}/scan-reports"
        return Attachment.from_json(self._call("POST", path, report))

    def attach_signature(
        self, digest: str, bundle: dict[str, Any], *, actor: str = ""
    ) -> Attachment:
        path = f"/v1/versions/{_segment(digest)}/signatures"
        return Attachment.from_json(self._call("POST", path, bundle))

    def attach_check_attestation(
        self, digest: str, bundle: dict[str, Any], *, actor: str = ""
    ) -> Attachment:
        path = f"/v1/versions/{_segment(digest)}/check-attestations"
        return Attachment.from_json(self._call("POST", path, bundle))

    def add_key(self, identity: str, public_key_pem: str, *, actor: str = "") -> Key:
        body = {"identity": identity, "public_key": public_key_pem}
        return Key.from_json(self._call("POST", "/v1/keys", body))

    def revoke_key(self, key_id: str, *, actor: str = "") -> Key:
        return Key.from_json(self._call("POST", f"/v1/keys/{_segment(key_id)}/revoke"))

    def list_keys(self) -> list[Key]:
        return Key.list_from_json(self._call("GET", "/v1/keys"))

    def set_policy(self, scope: str, document: Any, *, actor: str = "") -> Policy:
        body = {"scope": scope, "policy": document}
        return Policy.from_json(self._call("PUT", "/v1/policies", body))

    def list_policies(self) -> list[Policy]:
        return Policy.list_from_json(self._call("GET", "/v1/policies"))

    def evaluate_policy(self, digest: str) -> PolicyEvaluation:
        data = self._call("GET", f"/v1/versions/{_segment(digest)}/policy")
        return PolicyEvaluation.from_json(data)

    def decide(self, envelope: dict[str, Any], *, actor: str = "") -> DecisionOutcome:
        return DecisionOutcome.from_json(self._call("POST", "/v1/decisions", envelope))

    def advise(
        self,
        advisory_id: str,
        *,
        severity: str,
        description: str,
        versions: Sequence[str],
        mitigation: dict[str, Any] | None = None,
        actor: str = "",
    ) -> Advisory:
        body = {
            "id": advisory_id,
            "severity": severity,
            "description": description,
            "versions": list(versions),
            "mitigation": mitigation or {},
        }
        return Advisory.from_json(self._call("POST", "/v1/advisories", body))

    def list_advisories(self) -> list[Advisory]:
        return Advisory.list_from_json(self._call("GET", "/v1/advisories"))

    def deploy(self, name: str, environment: str, digest: str, *, actor: str = "") -> Deployment:
        body = {"name": name, "environment": environment, "digest": digest}
        return Deployment.from_json(self._call("POST", "/v1/deployments", body))

    def list_deployments(self) -> list[Deployment]:
        return Deployment.list_from_json(self._call("GET", "/v1/deployments"))

    def affected(self) -> list[AffectedDeployment]:
        return AffectedDeployment.list_from_json(self._call("GET", "/v1/affected"))

    def create_token(self, name: str, scopes: Sequence[str], *, actor: str = "") -> IssuedToken:
        body = {"name": name, "scopes": list(scopes)}
        return IssuedToken.from_json(self._call("POST", "/v1/tokens", body))

    def revoke_token(self, token_id: str, *, actor: str = "") -> RevokedToken:
        path = f"/v1/tokens/{_segment(token_id)}/revoke"
        return RevokedToken.from_json(self._call("POST", path))

    def list_tokens(self) -> list[Token]:
        return Token.list_from_json(self._call("GET", "/v1/tokens"))

    def audit_events(
        self, *, after: int = 0, limit: int = 100, exclude: str | None = None
    ) -> list[AuditEvent]:
        params = _present({"after": after, "limit": limit, "exclude": exclude})
        return AuditEvent.list_from_json(self._call("GET", "/v1/audit", params=params))

    def audit_head(self) -> AuditHead:
        return AuditHead.from_json(self._call("GET", "/v1/audit/head"))

    def audit_verify(self) -> AuditVerification:
        return AuditVerification.from_json(self._call("GET", "/v1/audit/verify"))

    def set_location(self, uri: str, digest: str, *, actor: str = "") -> Location:
        body = {"uri": uri, "digest": digest}
        return Location.from_json(self._call("PUT", "/v1/locations", body))

    def resolve_location(self, uri: str) -> Location:
        return Location.from_json(self._call("GET", "/v1/locations", params={"uri": uri}))

    def record_admissions(
        self, events: Sequence[dict[str, Any]], *, actor: str = ""
    ) -> AdmissionBatch:
        body = {"events": list(events)}
        return AdmissionBatch.from_json(self._call("POST", "/v1/admission/events", body))

    def export_records(self, model: str | None = None) -> list[ExportRecord]:
        params = {"model": model} if model else None
        return ExportRecord.list_from_json(self._call("GET", "/v1/export", params=params))

    def allowlist(self) -> AllowedVersions:
        return AllowedVersions.from_json(self._call("GET", "/v1/allowlist"))

    def check(
        self,
        target: str | Manifest | dict[str, Any],
        *,
        advisory_fail_on: Severity | None = None,
    ) -> GateDecision:
        from airlock.provenance.manifest import parse_manifest_json

        body: dict[str, Any] = {"advisory_fail_on": str(advisory_fail_on or "low")}
        if isinstance(target, str):
            body["digest"] = asked = target
        else:
            manifest = (
                parse_manifest_json(json.dumps(target), "manifest")
                if isinstance(target, dict)
                else target
            )
            body["manifest"] = manifest.to_json()
            asked = manifest.root_digest
        decision = GateDecision.from_json(self._call("POST", "/v1/check", body))
        if decision.digest != asked:
            # an answer about another version (a proxy's cached answer, a mixed-up
            # deployment) says nothing about this one
            raise RemoteError(
                f"registry answered /v1/check about {decision.digest[:64]!r}, not the version "
                f"asked about ({asked})"
            )
        return decision


def _present(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


def _segment(value: str) -> str:
    """``value`` as one URL path segment (an id can never reach another route)."""
    from urllib.parse import quote

    return quote(value, safe="")


def check_gate(
    url: str | None,
    token: str | None,
    target: str | Manifest,
    *,
    advisory_fail_on: Severity | None = None,
    timeout: float = 30.0,
) -> GateDecision:
    """Ask the registry at ``url`` whether ``target`` (root digest or ``Manifest``) may run.

    ``url``/``token`` default to ``$AIRLOCK_REGISTRY_URL`` / ``$AIRLOCK_REGISTRY_TOKEN``. Raises a
    ``RegistryError`` (``RemoteError``, ``Unauthorized``...) when no decision could be obtained.
    """
    with RegistryClient(url, token, timeout=timeout) as client:
        return client.check(target, advisory_fail_on=advisory_fail_on)
