"""The registry's interactive API docs at ``/docs``, served entirely from this origin.

FastAPI's stock page loads Swagger UI from a CDN: blank on an air-gapped network, and a
third-party script on a page where admins paste bearer tokens. Here the Swagger UI files come
from the ``fastapi-offline`` package (MIT; Swagger UI itself is Apache-2.0), installed with the
``registry`` extra; only its static files are used, never its code. The page carries no inline
script and a Content-Security-Policy that allows scripts, styles and requests from this origin
only. Without the package ``/docs`` says how to get it; ``/openapi.json`` is always served.
"""

from __future__ import annotations

import html
import importlib.util
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

ASSETS_PACKAGE = "fastapi_offline"
#: The files served under /docs/assets/, with their exact content types (nothing else is).
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "A registry token (alk_...) from `airlock registry token create`.",
}
# No persistAuthorization: a pasted token lives in the page's memory only, never localStorage.
# validatorUrl null: Swagger UI would otherwise fetch a badge from swagger.io.
INIT_JS = """\
"use strict";
(function () {
  var script = document.currentScript;
  window.ui = SwaggerUIBundle({
    url: script.dataset.openapi,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    deepLinking: true,
    validatorUrl: null
  });
})();
"""
PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - API docs</title>
<link rel="stylesheet" href="{base}/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="{base}/docs/assets/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{base}/docs/assets/swagger-ui-bundle.js"></script>
<script src="{base}/docs/init.js" data-openapi="{base}{openapi}"></script>
</body>
</html>
"""
MISSING = (
    "The interactive API docs need the Swagger UI files of the 'fastapi-offline' package, "
    "which is not installed: pip install 'model-airlock[registry]'. "
    "The OpenAPI document is served at {base}{openapi}.\n"
)


def assets_dir() -> Path | None:
    """Where the installed package keeps the Swagger UI files (found without importing it)."""
    spec = importlib.util.find_spec(ASSETS_PACKAGE)
    for location in (spec.submodule_search_locations or []) if spec else []:
        static = Path(location) / "static"
        if all((static / name).is_file() for name in ASSETS):
            return static
    return None


def _declare_bearer(app: FastAPI) -> None:
    """Say in the OpenAPI document that routes take a bearer token (the scopes check it in code,
    not through FastAPI's security classes), so the docs page's "Authorize" can send one."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = plain()
            schema.setdefault("components", {})["securitySchemes"] = {"token": BEARER}
            schema["security"] = [{"token": []}]
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def mount(app: FastAPI) -> None:
    """Add ``/docs``, ``/docs/init.js`` and ``/docs/assets/*`` to ``app`` (created with
    ``docs_url=None`` so FastAPI's CDN page is not there)."""
    _declare_bearer(app)
    static = assets_dir()
    openapi = app.openapi_url or "/openapi.json"

    def base(request: Request) -> str:
        return html.escape(str(request.scope.get("root_path", "")).rstrip("/"), quote=True)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        if static is None:
            text = MISSING.format(base=base(request), openapi=openapi)
            return PlainTextResponse(text, status_code=404, headers=PAGE_HEADERS)
        page = PAGE.format(title=html.escape(app.title), base=base(request), openapi=openapi)
        return HTMLResponse(page, headers=PAGE_HEADERS)

    @app.get("/docs/init.js", include_in_schema=False)
    def init_js() -> Response:
        return Response(INIT_JS, media_type=ASSETS["swagger-ui-bundle.js"],
                        headers={"X-Content-Type-Options": "nosniff"})  # fmt: skip

    @app.get("/docs/assets/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        if static is None or name not in ASSETS:
            raise HTTPException(404, f"no docs asset {name!r}")
        return FileResponse(static / name, media_type=ASSETS[name],
                            headers={"X-Content-Type-Options": "nosniff",
                                     "Cache-Control": "public, max-age=3600"})  # fmt: skip
