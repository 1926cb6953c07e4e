"""The review console's routes under ``/ui``: server-rendered pages over the registry store.

Every page needs a session (a token login, see ``session``) with the API scope its API twin
needs: ``read`` to look, ``approve`` to decide or publish advisories. Every state change is a
POST that must carry the session's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``)
and come from this origin. Decisions are statements signed by the reviewer's own key (in the
browser with WebCrypto, or pasted from ``airlock registry approve --sign-only``); the console
passes them to ``Store.decide`` exactly as the API does, so one verification path decides.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import StreamingResponse

from airlock.registry.auth import Principal
from airlock.registry.errors import RegistryError
from airlock.registry.store import Store
from airlock.registry.store.base import MAX_INT
from airlock.registry.ui import charts, queries, review
from airlock.registry.ui.session import COOKIE, LOGIN_COOKIE, SESSION_SECONDS, Sealer, same_secret

PREFIX = "/ui"
PAGE_SIZE = 50
MAX_PAGE = 100_000  # ?page= beyond this is a 422 (as is any out-of-range integer parameter)
AUTO_WALK_EVENTS = 3000  # chains up to this long are walked on the first audit view
MAX_FORM_BYTES = 256 * 1024
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # no-referrer would make forms send Origin: null
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_STATIC = re.compile(r"^[a-z]+\.(js|css)$")


@dataclass(frozen=True)
class Viewer:
    """A logged-in reviewer: the token's principal and the session's CSRF token."""

    principal: Principal
    csrf: str

    def can(self, scope: str) -> bool:
        return self.principal.has(scope)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("airlock.registry.ui", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["short"] = lambda d: str(d)[:12]
    env.filters["size"] = _human_size
    env.filters["when"] = lambda t: str(t)[:19].replace("T", " ") if t else ""
    env.filters["pretty"] = lambda v: json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False)
    return env


def _human_size(n: Any) -> str:
    try:
        value = float(n)
    except (TypeError, ValueError):
        return ""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return ""


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _same_origin(request: Request) -> bool:
    """The request comes from this site: ``Origin`` (or ``Sec-Fetch-Site``) says so when sent."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # SameSite=Strict and the token still apply
    host = request.headers.get("host", "")
    return origin in (f"{request.url.scheme}://{host}",)


def _safe_next(value: str | None) -> str:
    if value and value.startswith(PREFIX + "/") and "\\" not in value:
        return value
    return PREFIX + "/"


async def _form(request: Request) -> dict[str, str]:
    """A urlencoded form body (first value of each field), capped."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise _Refused(413, "form larger than 256 KiB")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise _Refused(415, "expected a form (application/x-www-form-urlencoded)")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=64)
    except (UnicodeDecodeError, ValueError):
        raise _Refused(400, "malformed form") from None
    return {k: v[0] for k, v in fields.items() if v}


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def build_router(store: Store, sealer: Sealer) -> APIRouter:
    """The ``/ui`` routes over ``store``; sessions sealed by ``sealer``."""
    env = _environment()
    router = APIRouter(prefix=PREFIX, include_in_schema=False)

    def render(
        name: str, request: Request, viewer: Viewer | None, status: int = 200, **ctx: Any
    ) -> HTMLResponse:
        html = env.get_template(name).render(viewer=viewer, prefix=PREFIX, path=request.url.path,
                                             **ctx)  # fmt: skip
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def viewer_of(request: Request) -> Viewer | None:
        data = sealer.open(request.cookies.get(COOKIE))
        if data is None:
            return None
        principal = store.authenticate(data.token)
        if principal is None:
            return None
        return Viewer(principal, data.csrf)

    def refuse(request: Request, viewer: Viewer | None, status: int, message: str) -> Response:
        if request.headers.get("accept", "").startswith("application/json"):
            return JSONResponse({"error": {"code": str(status), "message": message}}, status,
                                headers=SECURITY_HEADERS)  # fmt: skip
        return render("error.html", request, viewer, status=status, status_code=status,
                      message=message)  # fmt: skip

    def need(request: Request, scope: str) -> Viewer | Response:
        """The viewer with ``scope``; else a redirect to the login page or a 403 page."""
        viewer = viewer_of(request)
        if viewer is None:
            if request.method == "GET":
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"{PREFIX}/login?next={quote(target)}", 303,
                                        headers=SECURITY_HEADERS)  # fmt: skip
            return refuse(request, None, 401, "not logged in (or the session expired)")
        if not viewer.can(scope):
            return refuse(request, viewer, 403, f"this token lacks the {scope!r} scope")
        return viewer

    def csrf_ok(request: Request, viewer: Viewer, given: str | None) -> bool:
        return _same_origin(request) and same_secret(given, viewer.csrf)

    # -- static assets ----------------------------------------------------------------------

    @router.get("/static/{name}")
    def static(name: str) -> Response:
        if not _STATIC.match(name):
            return Response("not found", 404, headers=SECURITY_HEADERS)
        try:
            data = resources.files("airlock.registry.ui").joinpath("static", name).read_bytes()
        except (FileNotFoundError, OSError):
            return Response("not found", 404, headers=SECURITY_HEADERS)
        headers = dict(SECURITY_HEADERS)
        headers["Cache-Control"] = "no-cache"
        return Response(data, media_type=STATIC_TYPES["." + name.rsplit(".", 1)[1]],
                        headers=headers)  # fmt: skip

    # -- login ------------------------------------------------------------------------------

    @router.get("/login")
    def login_page(request: Request, next: str = "") -> Response:
        nonce = secrets.token_urlsafe(24)
        resp = render("login.html", request, None, login_csrf=nonce, next=_safe_next(next),
                      error="")  # fmt: skip
        resp.set_cookie(LOGIN_COOKIE, nonce, max_age=900, httponly=True, samesite="strict",
                        secure=_secure(request), path=PREFIX)  # fmt: skip
        return resp

    @router.post("/login")
    async def login(request: Request) -> Response:
        try:
            form = await _form(request)
        except _Refused as exc:
            return refuse(request, None, exc.status, exc.message)
        expected = request.cookies.get(LOGIN_COOKIE, "")
        if not _same_origin(request) or not expected or not same_secret(form.get("csrf"), expected):
            return refuse(request, None, 403, "login form expired or sent from another site: "
                          "reload the login page")  # fmt: skip
        token = form.get("token", "").strip()
        principal = store.authenticate(token) if token else None
        if principal is None:
            nonce = secrets.token_urlsafe(24)
            resp = render("login.html", request, None, status=401, login_csrf=nonce,
                          next=_safe_next(form.get("next")),
                          error="invalid or revoked token")  # fmt: skip
            resp.set_cookie(LOGIN_COOKIE, nonce, max_age=900, httponly=True, samesite="strict",
                            secure=_secure(request), path=PREFIX)  # fmt: skip
            return resp
        if not principal.has("read"):
            return refuse(request, None, 403, "this token lacks the 'read' scope")
        cookie, _data = sealer.seal(token)
        done = RedirectResponse(_safe_next(form.get("next")), 303, headers=SECURITY_HEADERS)
        done.set_cookie(COOKIE, cookie, max_age=SESSION_SECONDS, httponly=True,
                        samesite="strict", secure=_secure(request), path=PREFIX)  # fmt: skip
        done.delete_cookie(LOGIN_COOKIE, path=PREFIX, httponly=True, samesite="strict",
                           secure=_secure(request))  # fmt: skip
        return done

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        viewer = viewer_of(request)
        try:
            form = await _form(request)
        except _Refused as exc:
            return refuse(request, viewer, exc.status, exc.message)
        if viewer is not None and not csrf_ok(request, viewer, form.get("csrf")):
            return refuse(request, viewer, 403, "missing or wrong CSRF token")
        resp = RedirectResponse(f"{PREFIX}/login?bye=1", 303, headers=SECURITY_HEADERS)
        resp.delete_cookie(COOKIE, path=PREFIX, httponly=True, samesite="strict",
                           secure=_secure(request))  # fmt: skip
        return resp

    # -- catalogue --------------------------------------------------------------------------

    @router.get("/")
    def catalogue(
        request: Request,
        q: str = "",
        state: str = "",
        model: str = "",
        page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    ) -> Response:
        who = need(request, "read")
        if not isinstance(who, Viewer):
            return who
        st = state if state in queries.STATES else None
        cat = queries.catalogue(store.read_engine, query=q[:200], state=st,
                                model=model[:200] or None, offset=(page - 1) * PAGE_SIZE,
                                limit=PAGE_SIZE)  # fmt: skip
        per_day = queries.decisions_per_day(store.read_engine)
        decisions_chart = charts.stacked(
            [(d[5:], [("approve", a), ("other", r)]) for d, a, r in per_day],
            title="Decisions per day (approvals; rejections and revocations)",
        )
        pages = max(1, (cat.total + PAGE_SIZE - 1) // PAGE_SIZE)
        return render("catalogue.html", request, who, cat=cat, q=q[:200], state=st or "",
                      model=model[:200], page=page, pages=pages,
                      decisions_chart=decisions_chart)  # fmt: skip

    @router.get("/queue")
    def queue() -> Response:
        return RedirectResponse(f"{PREFIX}/?state=submitted", 303, headers=SECURITY_HEADERS)

    # -- version review ---------------------------------------------------------------------

    @router.get("/versions/{digest}")
    def version(request: Request, digest: str, against: str = "") -> Response:
        who = need(request, "read")
        if not isinstance(who, Viewer):
            return who
        if not _DIGEST.match(digest):
            return refuse(request, who, 404, "not a version digest")
        try:
            v = store.get_version(digest)
            manifest = store.get_manifest(digest)
            policy = store.evaluate_policy(digest)
        except RegistryError as exc:
            return refuse(request, who, exc.status, str(exc))
        docs = queries.documents(store.read_engine, digest)
        scans = [d for d in docs if d.kind == "scan"]
        newest_scan = scans[-1].data if scans else None
        scan = review.scan_view(newest_scan) if scans else None
        unreadable = bool(scans) and newest_scan is None
        checks = [
            {"doc": d, "statement": review.check_statement(d.data)}
            for d in docs
            if d.kind == "check"
        ]
        signatures = [d for d in docs if d.kind == "oms"]
        base = against if _DIGEST.match(against) and against != digest else None
        base = base or queries.baseline(store.read_engine, v.model, digest)
        diff = None
        if base is not None:
            try:
                old_manifest = store.get_manifest(base)
            except RegistryError:
                old_manifest = None
            if old_manifest is not None:
                old_report = queries.newest_scan_reports(store.read_engine, [base]).get(base)
                diff = review.version_diff(base, old_manifest, manifest, old_report, newest_scan)
        history = queries.model_versions(store.read_engine, v.model)
        reports = queries.newest_scan_reports(store.read_engine, [d for d, _ in history])
        findings_chart = charts.stacked(
            [
                (d[:8], list(review.severity_counts(reports.get(d)).items()))
                for d, _ in reversed(history)
            ],
            title=f"Findings by severity, newest {len(history)} versions of this model",
        )
        advisories = [a for a in store.list_advisories() if digest in a.versions]
        return render("version.html", request, who, v=v, manifest=manifest, policy=policy,
                      scan=scan, unreadable=unreadable, checks=checks, signatures=signatures,
                      diff=diff, history=history, findings_chart=findings_chart,
                      advisories=advisories, severities=review.SEVERITY_ORDER)  # fmt: skip

    @router.post("/versions/{digest}/decisions")
    async def decide(request: Request, digest: str) -> Response:
        """Apply a signed decision: JSON ``{"envelope": ...}`` from the page's script (header
        ``X-CSRF-Token``), or a pasted envelope from the form (field ``csrf``)."""
        who = need(request, "approve")
        if not isinstance(who, Viewer):
            return who
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        as_json = ctype == "application/json"
        try:
            if as_json:
                given = request.headers.get("x-csrf-token")
                body = await request.body()
                if len(body) > MAX_FORM_BYTES:
                    raise _Refused(413, "statement larger than 256 KiB")
                try:
                    envelope = json.loads(body).get("envelope")
                except (ValueError, AttributeError, RecursionError):
                    raise _Refused(400, "body must be {\"envelope\": {...}}") from None
            else:
                form = await _form(request)
                given = form.get("csrf")
                try:
                    envelope = json.loads(form.get("envelope", ""))
                except (ValueError, RecursionError):
                    raise _Refused(400, "the pasted statement is not JSON (paste the whole "
                                   "DSSE envelope that --sign-only printed)") from None  # fmt: skip
            if not csrf_ok(request, who, given):
                raise _Refused(403, "missing or wrong CSRF token")
            if not isinstance(envelope, dict):
                raise _Refused(400, "the statement must be a DSSE envelope (a JSON object)")
            if not _DIGEST.match(digest):
                raise _Refused(404, "not a version digest")
            subject = _envelope_subject(envelope)
            if subject is not None and subject != digest:
                raise _Refused(400, f"the statement is for version {subject[:16]}, not this one")
            result = store.decide(envelope, actor=who.principal.name)
        except _Refused as exc:
            if as_json:
                return JSONResponse({"error": {"code": str(exc.status), "message": exc.message}},
                                    exc.status, headers=SECURITY_HEADERS)  # fmt: skip
            return refuse(request, who, exc.status, exc.message)
        except RegistryError as exc:
            if as_json:
                return JSONResponse({"error": {"code": exc.code, "message": str(exc)}},
                                    exc.status, headers=SECURITY_HEADERS)  # fmt: skip
            return refuse(request, who, exc.status, str(exc))
        if as_json:
            return JSONResponse(result.to_json(), 201, headers=SECURITY_HEADERS)
        return RedirectResponse(f"{PREFIX}/versions/{digest}", 303, headers=SECURITY_HEADERS)

    # -- advisories, revocations, deployments -----------------------------------------------

    @router.get("/advisories")
    def advisories(request: Request) -> Response:
        who = need(request, "read")
        if not isinstance(who, Viewer):
            return who
        revoked = queries.catalogue(store.read_engine, state="revoked", limit=200)
        return render("advisories.html", request, who, advisories=store.list_advisories(),
                      affected=store.affected(), deployments=store.list_deployments(),
                      revoked=revoked, notice="")  # fmt: skip

    @router.post("/advisories")
    async def advise(request: Request) -> Response:
        who = need(request, "approve")
        if not isinstance(who, Viewer):
            return who
        try:
            form = await _form(request)
            if not csrf_ok(request, who, form.get("csrf")):
                raise _Refused(403, "missing or wrong CSRF token")
            versions = [d for d in re.split(r"[\s,]+", form.get("versions", "")) if d]
            store.advise(
                form.get("id", ""),
                severity=form.get("severity", ""),
                description=form.get("description", ""),
                versions=versions,
                mitigation=None,
                actor=who.principal.name,
            )
        except _Refused as exc:
            return refuse(request, who, exc.status, exc.message)
        except RegistryError as exc:
            return refuse(request, who, exc.status, str(exc))
        return RedirectResponse(f"{PREFIX}/advisories", 303, headers=SECURITY_HEADERS)

    # -- audit ------------------------------------------------------------------------------

    walks: list[tuple[float, Any]] = []  # this process's last whole-chain walk: (when, result)

    @router.get("/audit")
    def audit_page(
        request: Request,
        before: Annotated[int | None, Query(ge=0, le=MAX_INT)] = None,
        action: str = "",
        verify: Annotated[int, Query(ge=0, le=1)] = 0,
    ) -> Response:
        """The timeline, newest first, with the chain's status: the last whole-chain walk by
        this process (``?verify=1`` walks it now; small chains are walked on first view) and a
        check, on every view, of each event appended since that walk."""
        who = need(request, "read")
        if not isinstance(who, Viewer):
            return who
        page = queries.audit_page(store.read_engine, before=before, action=action[:64])
        walk_ms = None
        if verify or (not walks and page.newest <= AUTO_WALK_EVENTS):
            started = time.perf_counter()
            # the API's turn-taking for whole-registry requests (api.HEAVY_AT_ONCE)
            with getattr(request.app.state, "heavy", None) or contextlib.nullcontext():
                walks[:] = [(time.time(), store.audit_verify())]
            walk_ms = (time.perf_counter() - started) * 1000
        walked = walks[0] if walks else None
        tail = None
        if walked is not None and walked[1].ok:
            tail = queries.chain_tail(store.read_engine, walked[1].head_seq, walked[1].head_hash)
        walked_at = (
            time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(walked[0])) if walked else ""
        )
        return render("audit.html", request, who, page=page, action=action[:64],
                      walked=walked, walk_ms=walk_ms, tail=tail, walked_at=walked_at)  # fmt: skip

    @router.get("/audit/export")
    def audit_export(request: Request) -> Response:
        """The whole chain as JSON Lines (one event per line, then the verification)."""
        who = need(request, "read")
        if not isinstance(who, Viewer):
            return who

        def lines() -> Iterator[bytes]:
            after = 0
            while True:
                events = store.audit_events(after=after, limit=1000)
                if not events:
                    break
                for e in events:
                    yield (json.dumps(e.to_json(), ensure_ascii=False) + "\n").encode("utf-8")
                after = events[-1].seq
            with getattr(request.app.state, "heavy", None) or contextlib.nullcontext():
                check = store.audit_verify().to_json()
            yield (json.dumps({"verification": check}) + "\n").encode("utf-8")

        headers = dict(SECURITY_HEADERS)
        headers["Content-Disposition"] = 'attachment; filename="airlock-audit.jsonl"'
        return StreamingResponse(lines(), media_type="application/x-ndjson", headers=headers)

    return router


def _envelope_subject(envelope: dict[str, Any]) -> str | None:
    """The digest an (unverified) envelope's statement names, to refuse a mix-up early."""
    import base64
    import binascii

    try:
        payload = json.loads(base64.b64decode(str(envelope.get("payload", "")), validate=True))
        digest = payload["subject"][0]["digest"]["sha256"]
    except (ValueError, binascii.Error, KeyError, IndexError, TypeError, RecursionError):
        return None
    return digest if isinstance(digest, str) else None
