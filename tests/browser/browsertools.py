"""Helpers for browser tests: a live uvicorn server in a thread, screenshot paths."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """Serve an ASGI app with uvicorn in a background thread."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def screenshot_path(name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT / f"{name}.png"


def login_page(page: Any, base: str, username: str, password: str, lang: str) -> None:
    """Log in through the login form in ``lang``."""
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _console(msg: Any, errors: list[str]) -> None:
    url = (msg.location or {}).get("url", "")
    if msg.type == "error" and not url.endswith("/favicon.ico"):
        errors.append(f"{msg.text} {url}")


def demo_session(
    chromium: Any, demo: tuple[str, Any], role: str, *, phone: bool = False
) -> tuple[Any, Any, list[str]]:
    """A browser context signed in (in Chinese) as the demo login of ``role``, on a
    desktop or a touch phone; page errors and console errors (a CSP violation is one)
    collect in the returned list."""
    base, summary = demo
    user = next(login for login in summary.logins if login.role == role)
    options: dict[str, Any] = {"viewport": PHONE if phone else DESKTOP}
    if phone:
        options |= {"has_touch": True, "is_mobile": True, "device_scale_factor": 2}
    context = chromium.new_context(**options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: _console(msg, errors))
    login_page(page, base, user.username, user.password, "zh")
    assert "/login" not in page.url
    return context, page, errors


def assert_fits(page: Any, name: str) -> None:
    """Nothing on the page overflows sideways."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, (name, overflow)
