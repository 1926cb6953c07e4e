"""The registry's HTTP service: a thin FastAPI edge over a registry backend (the
:class:`~airlock.registry.store.Store`); every answer is a record's ``to_json()``.

Every route needs a bearer token with the route's scope (``/v1/health`` and the OpenAPI
document excepted). Errors are JSON: ``{"error": {"code": ..., "message": ...}}``. Request
bodies are capped (``max_body_bytes``) before they are parsed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airlock.accesslog import REQUEST_ID, AccessLog, log_json
from airlock.errors import AirlockError
from airlock.registry.auth import Principal
from airlock.registry.errors import Forbidden, RegistryError, Unauthorized
from airlock.registry.store import Store
from airlock.registry.store.base import MAX_INT

if TYPE_CHECKING:
    from pathlib import Path

    from airlock.provenance.keys import PrivateKey

DEFAULT_MAX_BODY = 64 * 1024 * 1024
#: Worker threads only the gate (``POST /v1/check``) uses: every other route shares the
#: default pool (40), which a read token's slow requests could fill, leaving the gate waiting.
GATE_THREADS = 16
#: Whole-registry requests (allowlist, export, audit verify: each walks every version or every
#: event) running at once per process; more wait their turn. 45 concurrent ``/v1/allowlist``
#: held every worker thread and the CPU, and the gate with them.
HEAVY_AT_ONCE = 2
log = logging.getLogger("airlock.registry")

JsonObject = dict[str, Any]


class BodyLimit:
    """ASGI middleware: refuse bodies over ``limit`` bytes (declared or streamed) with 413."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_error(send, 400, "invalid", "invalid Content-Length header")
                    return
                if declared > self.limit:
                    await _send_error(
                        send, 413, "too_large", f"request body larger than {self.limit} bytes"
                    )
                    return
        seen = 0
        started = False
        refused = False

        async def limited_receive() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # Answer now; the app then sees a disconnected client and its reply is dropped.
                    refused = True
                    if not started:
                        await _send_error(
                            send, 413, "too_large", f"request body larger than {self.limit} bytes"
                        )
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception:
            if not refused:
                raise


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    import json

    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class InternalErrors:
    """ASGI middleware inside the access log: an unexpected exception becomes a 500 JSON answer
    *and* one ``error`` JSON line with the request id and traceback. (Starlette's handler for
    ``Exception`` runs outside every middleware: the access line said status 0, the answer had
    no ``X-Request-Id``, and the traceback was a plain text block matching no request.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            import traceback

            log_json(log, "error", request_id=scope.get(REQUEST_ID), method=scope.get("method"),
                     path=scope.get("path"), status=500, error=type(exc).__name__,
                     traceback=traceback.format_exc())  # fmt: skip
            if started:  # the answer is under way: nothing else can be sent
                raise
            await _send_error(send, 500, "internal", f"internal error: {type(exc).__name__}")


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


class SubmitBody(BaseModel):
    model: str = Field(max_length=200)
    source: str = Field(default="", max_length=500)
    manifest: JsonObject
    source_revision: str = Field(default="", max_length=200)
    base_model: str = Field(default="", max_length=500)
    license: str = Field(default="", max_length=200)
    base_digest: str = Field(default="", max_length=64)
    # an adapter's adapter_config.json text (checked against the manifest's digest)
    adapter_config: str | None = Field(default=None, max_length=4 * 1024 * 1024)
    # every adapter_config.json the manifest lists, by path (subfolder adapters)
    adapter_configs: dict[str, str] | None = Field(default=None, max_length=64)


class KeyBody(BaseModel):
    identity: str = Field(max_length=200)
    public_key: str = Field(max_length=16384)


class PolicyBody(BaseModel):
    scope: str = Field(default="*", max_length=200)
    policy: JsonObject


class AdvisoryBody(BaseModel):
    id: str = Field(max_length=64)
    severity: str = Field(max_length=16)
    description: str = Field(max_length=4000)
    versions: list[str] = Field(max_length=1000)
    mitigation: JsonObject = Field(default_factory=dict)


class DeploymentBody(BaseModel):
    name: str = Field(max_length=200)
    environment: str = Field(max_length=100)
    digest: str = Field(max_length=64)


class TokenBody(BaseModel):
    name: str = Field(max_length=200)
    scopes: list[str] = Field(max_length=4)


class LocationBody(BaseModel):
    uri: str = Field(max_length=1000)
    digest: str = Field(max_length=64)


class AdmissionBody(BaseModel):
    events: list[JsonObject] = Field(max_length=1000)


class CheckBody(BaseModel):
    digest: str | None = Field(default=None, max_length=64)
    manifest: JsonObject | None = None
    advisory_fail_on: str = Field(default="low", max_length=16)


def _principal(request: Request) -> Principal:
    store: Store = request.app.state.store
    header = request.headers.get("authorization", "")
    if not header:
        raise Unauthorized("missing bearer token (Authorization: Bearer alk_...)")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization header must be 'Bearer <token>'")
    found = store.authenticate(token.strip())
    if found is None:
        raise Unauthorized("invalid or revoked token")
    return found


def _scope(name: str) -> Callable[[Request], Principal]:
    def dependency(request: Request) -> Principal:
        who = _principal(request)
        if not who.has(name):
            raise Forbidden(f"this token lacks the {name!r} scope")
        return who

    return dependency


Read = Annotated[Principal, Depends(_scope("read"))]
Publish = Annotated[Principal, Depends(_scope("publish"))]
Approve = Annotated[Principal, Depends(_scope("approve"))]
Admin = Annotated[Principal, Depends(_scope("admin"))]


def create_app(
    store: Store,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    scan_policy: bytes | None = None,
    checkpoint_key: PrivateKey | None = None,
    checkpoint_log: Path | None = None,
) -> FastAPI:
    """The ASGI application serving ``store`` (and the organisation's scan policy file, so
    every CI job and gate runs ``airlock scan/check --policy URL/v1/scan-policy`` alike).
    ``checkpoint_key``: signs audit checkpoints at ``/v1/audit/checkpoint``, each new one also
    appended to ``checkpoint_log`` (``airlock.registry.checkpoint``)."""
    app = FastAPI(
        title="Airlock registry",
        version="1",
        description="Approved model versions, attestations, advisories, deployments, audit.",
        docs_url=None,  # apidocs serves /docs from this origin (no CDN)
        redoc_url=None,
    )
    app.state.store = store
    import threading

    from anyio import CapacityLimiter

    gate_threads = CapacityLimiter(GATE_THREADS)
    heavy = threading.BoundedSemaphore(HEAVY_AT_ONCE)
    app.state.heavy = heavy  # the console's chain walk takes its turn here too

    def one_of_few(fn: Callable[[], Any]) -> Any:
        """Run a whole-registry request when fewer than ``HEAVY_AT_ONCE`` others are running."""
        with heavy:
            return fn()

    @app.exception_handler(RegistryError)
    async def _registry_error(req: Request, exc: RegistryError) -> JSONResponse:
        if exc.status >= 500:  # the operator must see why (the database, mostly), not only 503
            rid = req.scope.get(REQUEST_ID)
            log_json(log, "error", request_id=rid, method=req.method, path=req.url.path,
                     status=exc.status, code=exc.code, message=str(exc))  # fmt: skip
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return _error(exc.status, exc.code, str(exc), headers)

    @app.exception_handler(AirlockError)
    async def _airlock_error(_req: Request, exc: AirlockError) -> JSONResponse:
        return _error(400, "invalid", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return _error(400, "malformed_json", "request body is not valid JSON")
        parts = []
        for e in errors[:5]:
            loc = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
            parts.append(f"{loc or 'body'}: {e.get('msg', 'invalid')}")
        return _error(422, "validation", "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_req: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, "http", str(exc.detail))

    @app.exception_handler(Exception)
    async def _internal(_req: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error")
        return _error(500, "internal", f"internal error: {type(exc).__name__}")

    # The gate first: routes are matched in order and this is the hot one.
    @app.post("/v1/check", response_class=JSONResponse, response_model=None)
    async def check(body: CheckBody, request: Request) -> JSONResponse:
        """The gate. Needs the 'read' scope; authentication and the lookup share one worker
        thread hop (this is the hot path)."""
        import anyio.to_thread

        from airlock.registry.errors import InvalidRequest
        from airlock.report import Severity

        def run() -> JsonObject:
            _scope("read")(request)
            try:
                fail_on = Severity.parse(body.advisory_fail_on)
            except ValueError as exc:
                raise InvalidRequest(f"advisory_fail_on: {exc}") from None
            if (body.digest is None) == (body.manifest is None):
                raise InvalidRequest("give exactly one of 'digest' or 'manifest'")
            target: str | JsonObject = (
                body.digest if body.digest is not None else body.manifest or {}
            )
            return store.check(target, advisory_fail_on=fail_on).to_json()

        return JSONResponse(await anyio.to_thread.run_sync(run, limiter=gate_threads))

    @app.get("/v1/health")
    def health() -> JsonObject:
        return {"status": "ok"}

    @app.get("/", include_in_schema=False)
    def index() -> JsonObject:
        return {"service": "airlock registry", "docs": "/docs", "openapi": "/openapi.json",
                "health": "/healthz", "ready": "/readyz", "console": "/ui/"}  # fmt: skip

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JsonObject:
        """Alive: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        """Ready: the database answers a query."""
        try:
            store.ping()
        except Exception as exc:  # any driver error means: do not send traffic here
            return JSONResponse({"status": "not ready", "reason": type(exc).__name__}, 503)
        return JSONResponse({"status": "ready"})

    @app.get("/v1/models")
    def models(_who: Read) -> list[JsonObject]:
        return [r.to_json() for r in store.list_models()]

    @app.get("/v1/versions")
    def versions(
        _who: Read,
        model: str | None = None,
        state: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    ) -> list[JsonObject]:
        rows = store.list_versions(model=model, state=state, limit=limit, offset=offset)
        return [r.to_json() for r in rows]

    @app.post("/v1/versions", status_code=201)
    def submit(body: SubmitBody, who: Publish) -> JsonObject:
        return store.submit(
            body.manifest,
            model=body.model,
            source=body.source,
            source_revision=body.source_revision,
            base_model=body.base_model,
            license=body.license,
            base_digest=body.base_digest,
            adapter_config=body.adapter_config,
            adapter_configs=body.adapter_configs,
            actor=who.name,
        ).to_json()

    @app.get("/v1/versions/{digest}")
    def version(digest: str, _who: Read) -> JsonObject:
        return store.get_version(digest).to_json()

    @app.get("/v1/versions/{digest}/manifest")
    def manifest(digest: str, _who: Read) -> JsonObject:
        return store.get_manifest(digest)

    @app.get("/v1/versions/{digest}/policy")
    def version_policy(digest: str, _who: Read) -> JsonObject:
        return store.evaluate_policy(digest).to_json()

    @app.post("/v1/versions/{digest}/scan-reports", status_code=201)
    def scan_report(digest: str, body: JsonObject, who: Publish) -> JsonObject:
        return store.attach_scan_report(digest, body, actor=who.name).to_json()

    @app.post("/v1/versions/{digest}/signatures", status_code=201)
    def signature(digest: str, body: JsonObject, who: Publish) -> JsonObject:
        return store.attach_signature(digest, body, actor=who.name).to_json()

    @app.post("/v1/versions/{digest}/check-attestations", status_code=201)
    def check_attestation(digest: str, body: JsonObject, who: Publish) -> JsonObject:
        return store.attach_check_attestation(digest, body, actor=who.name).to_json()

    @app.put("/v1/locations")
    def set_location(body: LocationBody, who: Publish) -> JsonObject:
        return store.set_location(body.uri, body.digest, actor=who.name).to_json()

    @app.get("/v1/locations")
    def resolve_location(_who: Read, uri: Annotated[str, Query(max_length=1000)]) -> JsonObject:
        return store.resolve_location(uri).to_json()

    @app.post("/v1/admission/events", status_code=201)
    def admission_events(body: AdmissionBody, who: Publish) -> JsonObject:
        return store.record_admissions(body.events, actor=who.name).to_json()

    @app.post("/v1/decisions", status_code=201)
    def decide(body: JsonObject, who: Approve) -> JsonObject:
        return store.decide(body, actor=who.name).to_json()

    @app.get("/v1/keys")
    def keys(_who: Read) -> list[JsonObject]:
        return [r.to_json() for r in store.list_keys()]

    @app.post("/v1/keys", status_code=201)
    def add_key(body: KeyBody, who: Admin) -> JsonObject:
        return store.add_key(body.identity, body.public_key, actor=who.name).to_json()

    @app.post("/v1/keys/{key_id}/revoke")
    def revoke_key(key_id: str, who: Admin) -> JsonObject:
        return store.revoke_key(key_id, actor=who.name).to_json()

    @app.get("/v1/policies")
    def policies(_who: Read) -> list[JsonObject]:
        return [r.to_json() for r in store.list_policies()]

    @app.put("/v1/policies")
    def set_policy(body: PolicyBody, who: Admin) -> JsonObject:
        return store.set_policy(body.scope, body.policy, actor=who.name).to_json()

    @app.get("/v1/advisories")
    def advisories(_who: Read) -> list[JsonObject]:
        return [r.to_json() for r in store.list_advisories()]

    @app.post("/v1/advisories", status_code=201)
    def advise(body: AdvisoryBody, who: Approve) -> JsonObject:
        return store.advise(
            body.id,
            severity=body.severity,
            description=body.description,
            versions=body.versions,
            mitigation=body.mitigation,
            actor=who.name,
        ).to_json()

    @app.get("/v1/deployments")
    def deployments(_who: Read) -> list[JsonObject]:
        return [r.to_json() for r in store.list_deployments()]

    @app.post("/v1/deployments")
    def deploy(body: DeploymentBody, who: Publish) -> JsonObject:
        out = store.deploy(body.name, body.environment, body.digest, actor=who.name)
        return out.to_json()

    @app.get("/v1/affected")
    def affected(_who: Read) -> list[JsonObject]:
        return [r.to_json() for r in store.affected()]

    @app.get("/v1/tokens")
    def tokens(_who: Admin) -> list[JsonObject]:
        return [r.to_json() for r in store.list_tokens()]

    @app.post("/v1/tokens", status_code=201)
    def create_token(body: TokenBody, who: Admin) -> JsonObject:
        return store.create_token(body.name, body.scopes, actor=who.name).to_json()

    @app.post("/v1/tokens/{token_id}/revoke")
    def revoke_token(token_id: str, who: Admin) -> JsonObject:
        return store.revoke_token(token_id, actor=who.name).to_json()

    @app.get("/v1/audit")
    def audit_events(
        _who: Read,
        after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        exclude: Annotated[str | None, Query(max_length=64)] = None,
    ) -> list[JsonObject]:
        rows = store.audit_events(after=after, limit=limit, exclude=exclude)
        return [r.to_json() for r in rows]

    @app.get("/v1/audit/head")
    def audit_head(_who: Read) -> JsonObject:
        return store.audit_head().to_json()

    @app.get("/v1/audit/verify")
    def audit_verify(_who: Read) -> JsonObject:
        return one_of_few(lambda: store.audit_verify().to_json())  # type: ignore[no-any-return]

    logged = {"seq": store.verified.seq if checkpoint_log is not None else -1}

    @app.get("/v1/audit/checkpoint")
    def audit_checkpoint(_who: Read) -> JsonObject:
        """The audit head signed with the server's checkpoint key (a DSSE envelope): keep it
        where the database's writers cannot, and pass it to ``audit verify --checkpoint``."""
        from airlock.registry.checkpoint import append_checkpoint
        from airlock.registry.errors import NotFound

        if checkpoint_key is None:
            raise NotFound("this registry signs no checkpoints (serve --checkpoint-key FILE)")
        envelope = store.signed_checkpoint(checkpoint_key)
        if checkpoint_log is not None:
            seq = store.verified.seq
            if seq > logged["seq"]:  # one line per head (read tokens cannot grow the file)
                append_checkpoint(checkpoint_log, envelope)
                logged["seq"] = seq
        return envelope

    @app.get("/v1/export")
    def export(_who: Read, model: str | None = None) -> list[JsonObject]:
        return [r.to_json() for r in one_of_few(lambda: store.export_records(model))]

    @app.get("/v1/allowlist")
    def allowlist(_who: Read) -> JsonObject:
        return one_of_few(lambda: store.allowlist().to_json())  # type: ignore[no-any-return]

    @app.get("/v1/scan-policy", response_model=None)
    def scan_policy_file(_who: Read) -> Response:
        """The scan policy file (TOML) as served; its sha256 is what reports record."""
        from airlock.registry.errors import NotFound

        if scan_policy is None:
            raise NotFound("this registry serves no scan policy (serve --scan-policy FILE)")
        digest = hashlib.sha256(scan_policy).hexdigest()
        return Response(
            scan_policy,
            media_type="application/toml",
            headers={"ETag": f'"{digest}"', "X-Airlock-Policy-Sha256": digest},
        )

    from airlock.registry import apidocs
    from airlock.registry.ui import mount as mount_console

    apidocs.mount(app)

    mount_console(app, store)  # the review console under /ui (same store, same tokens)
    app.add_middleware(InternalErrors)
    app.add_middleware(BodyLimit, limit=max_body_bytes)
    app.add_middleware(AccessLog, logger=logging.getLogger("airlock.registry.access"))
    return app


ENV_MAX_BODY = "AIRLOCK_REGISTRY_MAX_BODY"


ENV_SERVE_PARENT = "AIRLOCK_REGISTRY_SERVE_PID"


def _end_with_supervisor() -> None:
    """A worker of ``serve --workers N`` stops when its supervisor dies (``kill -9`` of
    ``airlock registry serve``): uvicorn's workers would otherwise live on unsupervised,
    holding the port, and the restarted server could not listen."""
    import os
    import signal

    parent = os.environ.get(ENV_SERVE_PARENT, "")
    if not parent.isdigit() or int(parent) == os.getpid():  # one process: nothing to follow
        return
    if os.getppid() != int(parent):  # already orphaned before we could ask
        os.kill(os.getpid(), signal.SIGTERM)
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG: SIGTERM when the parent ends
    except (OSError, AttributeError):  # not Linux: uvicorn's own supervision only
        return
    if os.getppid() != int(parent):  # the parent ended between the two checks
        os.kill(os.getpid(), signal.SIGTERM)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (one per worker): the database from the environment."""
    import os

    _end_with_supervisor()

    if not log.handlers:  # each uvicorn worker process: access and error lines on stderr
        import sys

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    store = Store.open(os.environ.get("AIRLOCK_DATABASE_URL") or None)
    limit = int(os.environ.get(ENV_MAX_BODY, str(DEFAULT_MAX_BODY)))
    policy_path = os.environ.get(ENV_SCAN_POLICY)
    policy = read_scan_policy(policy_path) if policy_path else None
    key, log_path = checkpoint_settings(store)
    return create_app(
        store,
        max_body_bytes=limit,
        scan_policy=policy,
        checkpoint_key=key,
        checkpoint_log=log_path,
    )


ENV_CHECKPOINT_KEY = "AIRLOCK_CHECKPOINT_KEY"
ENV_CHECKPOINT_LOG = "AIRLOCK_CHECKPOINT_LOG"


def checkpoint_settings(store: Store) -> tuple[PrivateKey | None, Path | None]:
    """A worker's checkpoint key and log (set by ``serve``); the verified prefix of ``store``
    starts at the log's last checkpoint (``serve`` checked the log before it started us)."""
    import os
    from pathlib import Path

    from airlock.provenance.keys import (
        load_private_key,
        passphrase_from_env,
        private_key_is_encrypted,
    )
    from airlock.registry.checkpoint import read_log_tail

    key_path = os.environ.get(ENV_CHECKPOINT_KEY)
    if not key_path:
        return None, None
    encrypted = private_key_is_encrypted(key_path)
    key = load_private_key(key_path, passphrase_from_env() if encrypted else None)
    log_text = os.environ.get(ENV_CHECKPOINT_LOG)
    log_path = Path(log_text) if log_text else None
    if log_path is not None and log_path.exists():
        logged = read_log_tail(log_path, key.public_key())
        if logged:
            last = max(logged, key=lambda c: c.seq)
            store.verified.start_at(last.seq, last.hash, f"checkpoint {last.time} in {log_path}")
    return key, log_path


ENV_SCAN_POLICY = "AIRLOCK_REGISTRY_SCAN_POLICY"


def read_scan_policy(path: str) -> bytes:
    """The policy file's bytes, validated before they are served (a broken policy must fail
    the server's start, not every client's gate)."""
    from pathlib import Path

    from airlock.policyfile.model import MAX_BYTES, PolicyFileError, parse_policy

    p = Path(path)
    from airlock.errors import FormatError, InputError
    from airlock.fileio import read_capped

    try:
        data = read_capped(p, MAX_BYTES, "scan policy")
    except (InputError, FormatError) as exc:
        raise PolicyFileError(str(exc)) from None
    if parse_policy(data, path, pyproject=p.name == "pyproject.toml") is None:
        raise PolicyFileError(f"{path}: no [tool.airlock] table")
    return data
