"""HTTP client for the registry service (used by the CLI and by ``airlock check --registry``).

Methods mirror :class:`~airlock.registry.store.Store` and return the same JSON shapes. Server
errors come back as the matching ``RegistryError`` subclass carrying the server's message.
"""

from __future__ import annotations

import os
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
from airlock.registry.gate import GateDecision

if TYPE_CHECKING:
    from airlock.provenance.manifest import Manifest
    from airlock.report import Severity

ENV_REGISTRY_URL = "AIRLOCK_REGISTRY_URL"
ENV_REGISTRY_TOKEN = "AIRLOCK_REGISTRY_TOKEN"  # noqa: S105 - the variable's name
MAX_RESPONSE_BYTES = 256 * 1024 * 1024
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
        tok = token or os.environ.get(ENV_REGISTRY_TOKEN) or os.environ.get("AIRLOCK_TOKEN", "")
        headers = {"Authorization": f"Bearer {tok}"} if tok else {}
        self._http = httpx.Client(
            base_url=self.url,
            headers=headers,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, body: Any = None, params: Any = None) -> Any:
        try:
            resp = self._http.request(method, path, json=body, params=params)
        except httpx.HTTPError as exc:
            raise RemoteError(f"{self.url}: cannot reach the registry ({exc})") from None
        if len(resp.content) > MAX_RESPONSE_BYTES:
            raise RemoteError(f"{self.url}{path}: response larger than {MAX_RESPONSE_BYTES} bytes")
        try:
            data = resp.json() if resp.content else None
        except (ValueError, RecursionError):
            data = None
        if resp.status_code >= 400:
            message = f"HTTP {resp.status_code}"
            if isinstance(data, dict) and isinstance(data.get("error"), dict):
                message = str(data["error"].get("message", message))[:500]
            cls = _BY_STATUS.get(resp.status_code, RemoteError)
            raise cls(f"registry: {message}")
        if data is None and resp.content:
            raise RemoteError(f"{self.url}{path}: answer is not JSON")
        return data

    # -- the same operations as Store ---------------------------------------------------------

    def submit(
        self,
        manifest: Manifest | dict[str, Any],
        *,
        model: str,
        source: str,
        source_revision: str = "",
        base_model: str = "",
        license: str = "",
        actor: str = "",
    ) -> dict[str, Any]:
        mjson = manifest if isinstance(manifest, dict) else manifest.to_json()
        body = {
            "model": model,
            "source": source,
            "manifest": mjson,
            "source_revision": source_revision,
            "base_model": base_model,
            "license": license,
        }
        result: dict[str, Any] = self._call("POST", "/v1/versions", body)
        return result

    def get_version(self, digest: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/v1/versions/{digest}")
        return result

    def list_versions(self, **params: Any) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call(
            "GET", "/v1/versions", params={k: v for k, v in params.items() if v is not None}
        )
        return result

    def attach_scan_report(
        self, digest: str, report: dict[str, Any], *, actor: str = ""
    ) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", f"/v1/versions/{digest}/scan-reports", report)
        return result

    def attach_signature(
        self, digest: str, bundle: dict[str, Any], *, actor: str = ""
    ) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", f"/v1/versions/{digest}/signatures", bundle)
        return result

    def attach_check_attestation(
        self, digest: str, bundle: dict[str, Any], *, actor: str = ""
    ) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "POST", f"/v1/versions/{digest}/check-attestations", bundle
        )
        return result

    def set_location(self, uri: str, digest: str, *, actor: str = "") -> dict[str, Any]:
        result: dict[str, Any] = self._call("PUT", "/v1/locations", {"uri": uri, "digest": digest})
        return result

    def resolve_location(self, uri: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/v1/locations", params={"uri": uri})
        return result

    def decide(self, envelope: dict[str, Any], *, actor: str = "") -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/v1/decisions", envelope)
        return result

    def add_key(self, identity: str, public_key_pem: str, *, actor: str = "") -> dict[str, Any]:
        body = {"identity": identity, "public_key": public_key_pem}
        result: dict[str, Any] = self._call("POST", "/v1/keys", body)
        return result

    def set_policy(self, scope: str, document: Any, *, actor: str = "") -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "PUT", "/v1/policies", {"scope": scope, "policy": document}
        )
        return result

    def advise(
        self,
        advisory_id: str,
        *,
        severity: str,
        description: str,
        versions: list[str],
        mitigation: dict[str, Any] | None = None,
        actor: str = "",
    ) -> dict[str, Any]:
        body = {
            "id": advisory_id,
            "severity": severity,
            "description": description,
            "versions": versions,
            "mitigation": mitigation or {},
        }
        result: dict[str, Any] = self._call("POST", "/v1/advisories", body)
        return result

    def deploy(
        self, name: str, environment: str, digest: str, *, actor: str = ""
    ) -> dict[str, Any]:
        body = {"name": name, "environment": environment, "digest": digest}
        result: dict[str, Any] = self._call("POST", "/v1/deployments", body)
        return result

    def advisories(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/v1/advisories")
        return result

    def affected(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/v1/affected")
        return result

    def create_token(self, name: str, scopes: list[str], *, actor: str = "") -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/v1/tokens", {"name": name, "scopes": scopes})
        return result

    def revoke_token(self, token_id: str, *, actor: str = "") -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", f"/v1/tokens/{_segment(token_id)}/revoke")
        return result

    def list_tokens(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/v1/tokens")
        return result

    def list_keys(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/v1/keys")
        return result

    def revoke_key(self, key_id: str, *, actor: str = "") -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", f"/v1/keys/{_segment(key_id)}/revoke")
        return result

    def list_policies(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/v1/policies")
        return result

    def audit_events(self, *, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call(
            "GET", "/v1/audit", params={"after": after, "limit": limit}
        )
        return result

    def audit_verify(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/v1/audit/verify")
        return result

    def export_records(self, model: str | None = None) -> list[dict[str, Any]]:
        params = {"model": model} if model else None
        result: list[dict[str, Any]] = self._call("GET", "/v1/export", params=params)
        return result

    def allowlist(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/v1/allowlist")
        return result

    def check(
        self, target: str | Manifest | dict[str, Any], *, advisory_fail_on: str = "low"
    ) -> GateDecision:
        body: dict[str, Any] = {"advisory_fail_on": advisory_fail_on}
        if isinstance(target, str):
            body["digest"] = target
        else:
            body["manifest"] = target if isinstance(target, dict) else target.to_json()
        return GateDecision.from_json(self._call("POST", "/v1/check", body))


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
        return client.check(
            target, advisory_fail_on=str(advisory_fail_on) if advisory_fail_on else "low"
        )
