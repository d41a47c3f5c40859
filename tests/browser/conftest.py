"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against a
real server on 127.0.0.1. Playwright never downloads a browser here."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsertools import LiveServer

from talentbridge.config import load_settings
from talentbridge.demo.build import DemoSummary, build_demo
from talentbridge.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("/usr/bin/chromium is missing in CI (make test installs it)")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, DemoSummary]]:
    """A small demo store built by the real demo pipeline, served on 127.0.0.1."""
    data_dir: Path = tmp_path_factory.mktemp("demo")
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(data_dir), "TALENTBRIDGE_DEMO": "true"})
    summary = build_demo(settings, scale=0.03, today=dt.date(2026, 11, 29))
    with LiveServer(create_app(settings)) as server:
        yield server.url, summary
