"""Errors as RFC 9457 problem details (application/problem+json).

Routes raise `Problem`; request validation errors become 422 naming the
parameter; unknown paths and methods keep their status. An engine error
(api.engine.EngineError, raised wherever a route asks the engine) becomes its
status, with Retry-After when a later try may succeed, by `engine_problem`:
the one mapping, which /sparql uses too. No handler turns an unexpected
exception into a 400: a bug stays a 500 and is fixed.
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .engine import EngineError

MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    def __init__(self, status: int, detail: str, title: str | None = None, headers: dict[str, str] | None = None,
                 **extra) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers
        self.title = title or HTTPStatus(status).phrase
        self.extra = extra


def engine_problem(e: EngineError) -> Problem:
    """What an engine error answers, on every route: its status, its message, and
    Retry-After where a later try may succeed (the 503s and the 429)."""
    return Problem(e.status, str(e), headers={"Retry-After": str(e.retry_after)} if e.retry_after is not None else None)


def invalid_parameters(*errors: tuple[str, str], detail: str | None = None) -> Problem:
    """A 422 naming each query parameter that is wrong, and what is wrong with it."""
    detail = detail or "; ".join(f"query parameter {name!r}: {message}" for name, message in errors)
    listed = [{"in": "query", "name": name, "message": message} for name, message in errors]
    return Problem(422, detail, "Invalid parameter", errors=listed)


def problem(status: int, detail: str, instance: str | None = None, title: str | None = None,
            headers: dict[str, str] | None = None, **extra) -> JSONResponse:
    """A problem document; `instance`: the path asked for, if known."""
    body = {"type": "about:blank", "title": title or HTTPStatus(status).phrase, "status": status,
            "detail": detail, **({"instance": instance} if instance is not None else {}), **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def problem_response(request: Request, status: int, detail: str, title: str | None = None,
                     headers: dict[str, str] | None = None, **extra) -> JSONResponse:
    return problem(status, detail, request.url.path, title, headers, **extra)


def _validation_detail(exc: RequestValidationError) -> tuple[str, list[dict]]:
    errors = []
    for e in exc.errors():
        loc = [str(p) for p in e.get("loc", ())]
        where, name = (loc[0], ".".join(loc[1:])) if len(loc) > 1 else ("request", ".".join(loc))
        errors.append({"in": where, "name": name, "message": e.get("msg", "invalid")})
    detail = "; ".join(f"{e['in']} parameter {e['name']!r}: {e['message']}" for e in errors)
    return detail or "the request is invalid", errors


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(request, exc.status, exc.detail, exc.title, exc.headers, **exc.extra)

    @app.exception_handler(EngineError)
    async def _engine(request: Request, exc: EngineError) -> JSONResponse:
        return await _problem(request, engine_problem(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail, errors = _validation_detail(exc)
        return problem_response(request, 422, detail, "Invalid parameter", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405 and headers and "GET" in headers.get("Allow", "").split(", "):
            headers = {**headers, "Allow": headers["Allow"] + ", HEAD"}  # api.app.App answers HEAD as GET
        return problem_response(request, exc.status_code, detail, headers=headers)
