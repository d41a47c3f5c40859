"""Request size limits: a body over the limit answers 413 before the app reads it all.

Upload routes (any route taking a file, and the postings API, whose JSON body is a batch
of postings) allow ``Settings.max_upload_bytes`` plus ``Settings.max_form_bytes`` for the
other fields and the multipart framing (so a file of exactly the upload limit goes
through, and the route's own check answers a slightly larger one in its form); every
other request allows ``Settings.max_form_bytes`` (1 MiB by default). A declared ``Content-Length`` over the
limit is refused at once; a chunked body is counted while it streams and refused as
soon as it passes the limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fastapi import params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Routes that take a large body without a file field (path, method).
LARGE_BODY_ROUTES = frozenset({("/api/v1/postings", "POST")})

_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>413</title></head>
<body><h1>413</h1><p>提交的内容过大（上限 {limit}）。</p>
<p>The request is too large (limit {limit}).</p><p><a href="/">返回首页 · Home</a></p>
</body></html>"""


class _TooLarge(Exception):
    """The streamed body passed the limit."""


def describe_bytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MiB"
    if size >= 1024:
        return f"{size / 1024:g} KiB"
    return f"{size} bytes"


def too_large_response(path: str, limit: int) -> Response:
    message = f"request body too large (limit {describe_bytes(limit)})"
    if path.startswith("/api/"):
        return JSONResponse({"error": {"code": "too_large", "message": message}}, status_code=413)
    return HTMLResponse(_PAGE.format(limit=describe_bytes(limit)), status_code=413)


def _takes_file(dependant: Dependant) -> bool:
    if any(isinstance(field.field_info, params.File) for field in dependant.body_params):
        return True
    return any(_takes_file(inner) for inner in dependant.dependencies)


def _flat_routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """(full path, route) of every API route, through nested included routers."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _flat_routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def upload_routes(routes: Iterable[BaseRoute]) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """(path pattern, methods) of every route allowed an upload-sized body."""
    found: list[tuple[re.Pattern[str], frozenset[str]]] = []
    for path, route in _flat_routes(routes):
        methods = frozenset(route.methods or ())
        explicit = any((path, m) in LARGE_BODY_ROUTES for m in methods)
        if explicit or _takes_file(route.dependant):
            found.append((compile_path(path)[0], methods))
    return found


class RequestSizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, small_limit: int, upload_limit: int) -> None:
        self.app = app
        self.small_limit = small_limit
        self.upload_limit = upload_limit
        self._uploads: list[tuple[re.Pattern[str], frozenset[str]]] | None = None

    def limit_for(self, scope: Scope) -> tuple[int, int]:
        """(bytes allowed, limit named in the message) for this request."""
        if self._uploads is None:
            owner = scope.get("app")
            self._uploads = upload_routes(getattr(owner, "routes", []))
        path, method = scope["path"], scope["method"]
        for pattern, methods in self._uploads:
            if method in methods and pattern.match(path):
                return self.upload_limit + self.small_limit, self.upload_limit
        return self.small_limit, self.small_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit, named = self.limit_for(scope)
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            # answered without reading the body; the server then closes the connection
            await too_large_response(scope["path"], named)(scope, receive, send)
            return
        received = 0
        refused = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    raise _TooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the app's own answer to the broken body is replaced below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _TooLarge:
            refused = True
        if refused and not started:
            await too_large_response(scope["path"], named)(scope, receive, send)
