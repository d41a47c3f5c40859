"""Background jobs of a serving process (issue 9: the scheduled retention purge)."""

from __future__ import annotations

from fastapi import FastAPI


def start_background_jobs(app: FastAPI) -> None:
    """Start the serving process's background jobs (none yet)."""
