"""Helpers for web tests: the test password, CSRF extraction, signing in."""

from __future__ import annotations

from dataclasses import dataclass

from signin import CSRF_RE, PASSWORD, csrf_from, login  # noqa: F401  (re-exported)
from talentbridge.store.tables import Organization, Profile, User


@dataclass
class World:
    orgs: dict[str, Organization]
    users: dict[str, User]
    profiles: dict[str, Profile]
