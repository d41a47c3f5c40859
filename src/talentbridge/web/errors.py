"""Named errors to HTTP answers, mapped once: JSON under ``/api/``, pages elsewhere.

NotFound→404, Forbidden→403, Conflict→409, any other TalentBridgeError→400, a value
the store cannot take (a number too large, a NUL character)→422 (400 on pages),
anything unexpected→500. No stack trace ever reaches the user; 500s are logged.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from talentbridge.accounts.users import PasswordRejected
from talentbridge.errors import Conflict, Forbidden, NotFound, TalentBridgeError
from talentbridge.web.api.responses import document_errors
from talentbridge.web.rendering import render
from talentbridge.web.security import CsrfFailed, NotAuthenticated

log = logging.getLogger(__name__)

_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "too_many_requests",
    422: "invalid_request",
    500: "server_error",
}

# Statuses whose message may be shown as it is (it describes the caller's own input).
_SHOW_MESSAGE = frozenset({400, 409, 422})


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str, *, code: str = "") -> Response:
    code = code or _CODES.get(status, "error")
    if is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(
            {"error": {"code": code, "message": message}}, status_code=status, headers=headers
        )
    return render(
        request,
        "error.html",
        status_code=status,
        status=status,
        code=code,
        detail=message if status in _SHOW_MESSAGE else "",
    )


def _status_of(exc: TalentBridgeError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, Conflict):
        return 409
    return 400


async def _named_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TalentBridgeError)
    code = "password_rejected" if isinstance(exc, PasswordRejected) else ""
    return error_response(request, _status_of(exc), str(exc), code=code)


async def _not_authenticated(request: Request, exc: Exception) -> Response:
    if is_api(request):
        return error_response(request, 401, "sign in or send a valid bearer token")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = request.url_for("login_form").include_query_params(next=target)
    return RedirectResponse(f"{login.path}?{login.query}", status_code=303)


async def _csrf_failed(request: Request, exc: Exception) -> Response:
    return error_response(
        request, 403, "the form was out of date or not from this site; reload it", code="csrf"
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else _CODES.get(exc.status_code, "")
    response = error_response(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    status = 422 if is_api(request) else 400
    return error_response(request, status, "; ".join(parts) or "invalid request")


async def _bad_value(request: Request, exc: Exception) -> Response:
    """A value the store cannot take (a number beyond 64 bits, a NUL character in a
    text): the caller's input, not a fault of ours."""
    log.info("refused a value on %s %s: %s", request.method, request.url.path, exc)
    status = 422 if is_api(request) else 400
    message = "a value in the request is out of range or contains a character not allowed"
    return error_response(request, status, message)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    try:
        return error_response(request, 500, "internal error; it has been logged")
    except Exception:  # even the error page failed: plain text, still no trace
        log.exception("error page failed")
        return Response("500 Internal Server Error", status_code=500, media_type="text/plain")


def _document_errors(app: FastAPI) -> None:
    """The OpenAPI schema names every error status with its body (``web.api.responses``)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    _document_errors(app)
    app.add_exception_handler(TalentBridgeError, _named_error)
    app.add_exception_handler(NotAuthenticated, _not_authenticated)
    app.add_exception_handler(CsrfFailed, _csrf_failed)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(OverflowError, _bad_value)
    app.add_exception_handler(DataError, _bad_value)
    app.add_exception_handler(Exception, _unexpected)
