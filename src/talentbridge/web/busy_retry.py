"""Run a request again when SQLite answered "database is locked" (SQLite stores only).

SQLite has one writer at a time. A writer waits for the lock up to the busy timeout,
but a transaction that has already read and then wants to write fails at once when
another process committed in between (SQLITE_BUSY_SNAPSHOT: waiting cannot help, its
snapshot is stale). The request's store session rolled back, so nothing of the failed
attempt was stored, and running the whole request again from the start is safe for
requests without side effects outside the store: GET and HEAD, and form or JSON posts
(their body is replayed). Uploads (multipart bodies, which may have written files) are
never re-run. At most ``attempts`` tries, with a short random pause between them.
"""

from __future__ import annotations

import asyncio
import random

from sqlalchemy.exc import OperationalError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

RETRYABLE_BODIES = (b"application/x-www-form-urlencoded", b"application/json")


def is_sqlite_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked" (or "busy")."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


def _retryable(scope: Scope) -> bool:
    method = scope.get("method", "GET")
    if method in ("GET", "HEAD"):
        return True
    headers = dict(scope.get("headers", []))
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind in RETRYABLE_BODIES


class SqliteBusyRetryMiddleware:
    def __init__(self, app: ASGIApp, *, attempts: int = 3) -> None:
        self.app = app
        self.attempts = attempts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _retryable(scope):
            await self.app(scope, receive, send)
            return
        body: list[Message] = []
        while True:  # the body is small here (the size limit sits outside)
            message = await receive()
            body.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break

        session = scope.get("session")
        saved = dict(session) if isinstance(session, dict) else None
        for attempt in range(1, self.attempts + 1):
            if (
                isinstance(session, dict) and saved is not None and attempt > 1
            ):  # undo what the failed attempt signed in
                session.clear()
                session.update(saved)
            replay = iter(body)
            started = False

            async def replay_receive() -> Message:
                try:
                    return next(replay)  # noqa: B023 (this attempt's iterator)
                except StopIteration:
                    return await receive()

            async def tracking_send(message: Message) -> None:
                nonlocal started
                started = True
                await send(message)

            try:
                await self.app(dict(scope), replay_receive, tracking_send)
                return
            except Exception as exc:
                if started or attempt == self.attempts or not is_sqlite_busy(exc):
                    raise
            await asyncio.sleep(random.uniform(0.02, 0.1) * attempt)
