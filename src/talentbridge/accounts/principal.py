"""Who is asking (``Principal``) and which profiles they may see (``Scope``): the facts
every rule in ``accounts.policy`` and its companions decides over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from talentbridge.accounts.roles import Role

if TYPE_CHECKING:
    from talentbridge.store.tables import User


@dataclass(frozen=True)
class Principal:
    """Who is asking: enough to decide, nothing more."""

    user_id: int
    role: Role
    organization_id: int | None

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(user_id=user.id, role=Role(user.role), organization_id=user.organization_id)


@dataclass(frozen=True)
class Scope:
    """Which profiles a principal may see, as facts the query layer turns into SQL.

    ``everything`` and ``nothing`` are exclusive shortcuts; otherwise a profile is in
    scope when ANY of the set conditions holds.
    """

    everything: bool = False
    nothing: bool = False
    organization_id: int | None = None  # profiles of this organization
    user_id: int | None = None  # the profile belonging to this user
    consented: bool = False  # profiles with visible_to_employers
    applied_to_organization_id: int | None = None  # candidates who applied here


def same_org(principal: Principal, org_id: int | None) -> bool:
    """Whether the principal belongs to organization ``org_id`` (never for ``None``)."""
    return principal.organization_id is not None and principal.organization_id == org_id
