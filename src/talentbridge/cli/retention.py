"""CLI: retention (issue 9). Importing this module registers its commands."""

from __future__ import annotations
