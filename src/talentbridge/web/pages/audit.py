"""Pages: audit (issue 9). Filled in by its owner."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
