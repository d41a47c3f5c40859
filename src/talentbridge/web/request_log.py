"""Structured request logs: one line per request, and every log line of a request
tagged with its request id.

Each request gets an id (a well-formed ``X-Request-ID`` from the reverse proxy is kept,
otherwise a new one), sent back in the ``X-Request-ID`` response header. When it ends,
the ``talentbridge.request`` logger writes one line: time, request id, method, path
(never the query string: it may carry names, phone numbers or search words), status,
duration in ms, the signed-in user's id (never a name) and the worker's pid (at DEBUG
for the ``/health`` and ``/ready`` probes, which a load balancer sends every few seconds). An
unhandled error is logged with the request id and its traceback.

``TALENTBRIDGE_LOG_FORMAT`` (``json``: one JSON object per line, or ``text``) and
``TALENTBRIDGE_LOG_LEVEL`` (``DEBUG``, ``INFO``, ``WARNING``, ``ERROR``) configure the
``talentbridge`` loggers; ``talentbridge serve`` sets JSON at INFO by default.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import os
import re
import sys
import time
import uuid
from typing import IO, Any

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from talentbridge.config import Settings, SettingsError

REQUEST_ID_HEADER = "X-Request-ID"
PROBES = ("/health", "/ready")  # logged at DEBUG: a load balancer asks every few seconds
LOG_FORMATS = ("json", "text")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_ID_OK = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_HANDLER_MARK = "_talentbridge_handler"
_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id", "pid")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "talentbridge_request_id", default=None
)
log = logging.getLogger("talentbridge.request")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request's fields and,
    for an error, its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": os.getpid(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for name in _FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get() or "-"
        return super().format(record)


def log_options(settings: Settings) -> tuple[str, str] | None:
    """(format, level) from TALENTBRIDGE_LOG_FORMAT / _LOG_LEVEL, or None if neither is set."""
    fmt = settings.extra.get("TALENTBRIDGE_LOG_FORMAT")
    level = settings.extra.get("TALENTBRIDGE_LOG_LEVEL")
    if not fmt and not level:
        return None
    fmt = (fmt or "json").strip().lower()
    level = (level or "INFO").strip().upper()
    if fmt not in LOG_FORMATS:
        raise SettingsError(f"TALENTBRIDGE_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
    if level not in LOG_LEVELS:
        raise SettingsError(f"TALENTBRIDGE_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    return fmt, level


def configure_logging(
    fmt: str = "json", level: str = "INFO", stream: IO[str] | None = None
) -> None:
    """Send the ``talentbridge`` loggers to ``stream`` (stderr) as ``fmt``, at ``level``.

    Calling it again replaces the handler it installed before (one line per record)."""
    logger = logging.getLogger("talentbridge")
    for handler in list(logger.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    setattr(handler, _HANDLER_MARK, True)
    logger.addHandler(handler)
    logger.setLevel(level)


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate = bytes(value).decode("latin-1")
            if _ID_OK.match(candidate):
                return candidate
    return uuid.uuid4().hex


def _user_id(scope: Scope) -> int | None:
    viewer = scope.get("state", {}).get("viewer")
    user_id = getattr(viewer, "id", None)
    return user_id if isinstance(user_id, int) else None


class RequestLogMiddleware:
    """Pure ASGI middleware (outermost of ours): ids, the response header, the line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        failed = False
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # The app's error handler (web/errors.py, outside this middleware) logs the
            # traceback and answers 500; the request id stays set for that line.
            failed = True
            status = 500
            raise
        finally:
            log.log(
                logging.DEBUG if scope.get("path") in PROBES else logging.INFO,
                "%s %s %s",
                scope.get("method"),
                scope.get("path"),
                status,
                extra={
                    "request_id": request_id,
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(scope),
                    "pid": os.getpid(),
                },
            )
            if not failed:
                request_id_var.reset(token)


def install_request_logging(app: FastAPI, settings: Settings) -> None:
    """Log one structured line per request; configure the log format and level when
    TALENTBRIDGE_LOG_FORMAT or TALENTBRIDGE_LOG_LEVEL is set (as ``serve`` does)."""
    options = log_options(settings)
    if options is not None:
        configure_logging(*options)
    app.add_middleware(RequestLogMiddleware)
