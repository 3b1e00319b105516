"""The API documentation pages, /docs (Swagger UI) and /redoc (ReDoc), served with their
assets from this server: the builds of Swagger UI and ReDoc that the PyPI package
fastapi-offline ships (npm's redoc 3 depends on a package the registry does not serve).
FastAPI's own pages load them from a CDN, so they were blank on a machine without
internet access.

Neither page has an inline script: each loads its start-up script from /ui/static/, which
reads the OpenAPI document's address from the page, so the Content-Security-Policy can
keep every script on this origin.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from .templates import environment
from .ui import STATIC_PATH

# swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js
ASSETS = Path(str(files("fastapi_offline") / "static"))
ASSETS_PATH = "/ui/apidocs"

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    # Swagger UI and ReDoc set element styles; ReDoc loads its web worker from a blob
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
))

# path -> (the tool, the element it starts in, its script and stylesheet among ASSETS)
PAGES = {"docs": ("Swagger UI", "swagger-ui", "swagger-ui-bundle.js", "swagger-ui.css"),
         "redoc": ("ReDoc", "redoc", "redoc.standalone.js", None)}


def install(app: FastAPI) -> None:
    """Mount the assets and add GET /docs and /redoc (the app is made with docs_url and
    redoc_url None). The pages address everything relative to themselves, so they work
    behind any host or path prefix."""
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="apidocs")
    template = environment().get_template("apidocs.html")

    for name, (tool, root, script, css) in PAGES.items():
        html = template.render(
            title=f"{app.title} API – {tool}", root=root, script=script, css=css,
            openapi=app.openapi_url.lstrip("/"), assets=ASSETS_PATH.lstrip("/"), static=STATIC_PATH.lstrip("/"))

        def page(html: str = html) -> HTMLResponse:
            return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"})
        app.add_api_route(f"/{name}", page, methods=["GET"], include_in_schema=False)

