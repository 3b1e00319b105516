"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc), as FastAPI
makes them, with a Content-Security-Policy: their scripts and styles come from
FastAPI's CDN (SCRIPTS), their one inline script is allowed by its hash, and
nothing else runs. ReDoc goes without Google Fonts (no request to a third party
for a font)."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse

SCRIPTS = "https://cdn.jsdelivr.net"  # FastAPI's swagger_js_url, swagger_css_url, redoc_js_url
FAVICON = "https://fastapi.tiangolo.com"  # FastAPI's swagger_favicon_url, redoc_favicon_url
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def with_csp(page: HTMLResponse) -> HTMLResponse:
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'"
                      for s in _INLINE_SCRIPT.findall(page.body))
    page.headers["Content-Security-Policy"] = "; ".join((
        "default-src 'none'",
        f"script-src {SCRIPTS} {hashes}".strip(),
        f"style-src {SCRIPTS} 'unsafe-inline'",  # both set element styles
        f"img-src 'self' data: {FAVICON} https://cdn.redoc.ly",  # ReDoc's logo
        "font-src 'self' data:",
        "connect-src 'self'",  # the OpenAPI document
        "worker-src blob:",  # ReDoc's search index
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ))
    return page


def install(app: FastAPI, docs: str = "/docs", redoc: str = "/redoc") -> None:
    """Serve the pages at `docs` and `redoc`; the app is made with docs_url=redoc_url=None."""
    oauth2_redirect = app.swagger_ui_oauth2_redirect_url

    def openapi_url(request: Request) -> str:
        return request.scope.get("root_path", "").rstrip("/") + app.openapi_url

    async def swagger_ui(request: Request) -> HTMLResponse:
        redirect = request.scope.get("root_path", "").rstrip("/") + oauth2_redirect if oauth2_redirect else None
        return with_csp(get_swagger_ui_html(openapi_url=openapi_url(request), title=f"{app.title} - Swagger UI",
                                            oauth2_redirect_url=redirect, init_oauth=app.swagger_ui_init_oauth,
                                            swagger_ui_parameters=app.swagger_ui_parameters))

    async def swagger_ui_redirect(request: Request) -> HTMLResponse:
        return with_csp(get_swagger_ui_oauth2_redirect_html())

    async def redoc_page(request: Request) -> HTMLResponse:
        return with_csp(get_redoc_html(openapi_url=openapi_url(request), title=f"{app.title} - ReDoc",
                                       with_google_fonts=False))

    app.add_route(docs, swagger_ui, include_in_schema=False)
    if oauth2_redirect:
        app.add_route(oauth2_redirect, swagger_ui_redirect, include_in_schema=False)
    app.add_route(redoc, redoc_page, include_in_schema=False)
