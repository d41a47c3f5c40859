"""Structured request logs (issue 9). Filled in by its owner."""

from __future__ import annotations

from fastapi import FastAPI

from talentbridge.config import Settings


def install_request_logging(app: FastAPI, settings: Settings) -> None:
    """Log one structured line per request (not yet)."""
