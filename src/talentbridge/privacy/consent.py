"""Consent records (PIPL art. 14-16): what a person agreed to, when, and to which notice.

Two purposes are recorded:

* ``employer_visibility``: employers may find the profile and read it (the current state
  is ``Profile.visible_to_employers``);
* ``automated_ranking``: the matching algorithm may score the person (PIPL art. 24; the
  current state is the inverse of ``Profile.ranking_opt_out``).

Résumé text extraction is not a purpose here: it happens only when the person (or
their college) uploads a résumé, which is the act the upload form explains, and the
profile has no column to hold a standing consent for it (no schema change in issue 9).

``set_purpose`` appends a ``ConsentRecord`` (purpose, granted, the notice version, the
acting user, the channel: ``web``, ``api``, ``import``, ``cli`` or ``demo``) and changes
the profile's current state in the same transaction, then bumps the matching version
(``matching.version.mark_changed``; the version's fingerprint covers both columns too),
so a withdrawal takes effect with the commit: the next match list, recruiter candidate
list, employer profile view (``accounts.policy.can_view_profile``) and employer-facing
export reads the new state. Access checks belong to the callers
(``matching.profile_edit.set_consent`` / ``set_ranking_opt_out``, ``grant`` and
``withdraw`` below); this module only records and applies.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.matching.profile_access import audit_change, editable_profile
from talentbridge.matching.version import mark_changed
from talentbridge.store.tables import Profile
from talentbridge.store.trust_tables import ConsentRecord

PURPOSES = ("employer_visibility", "automated_ranking")
CHANNELS = ("web", "api", "import", "cli", "demo")
# the audit action when someone other than the owner changes a consent
AUDIT_ACTIONS = {
    "employer_visibility": "profile.consent",
    "automated_ranking": "profile.ranking_opt_out",
}
NOTICE_FILE = Path(__file__).parent / "data" / "notice.toml"


class ConsentError(ValueError):
    """An unknown purpose or channel."""


@dataclass(frozen=True)
class Notice:
    """The privacy notice shown before consenting: its version and its texts by language."""

    version: str
    title: dict[str, str]
    body: dict[str, str]
    purposes: dict[str, dict[str, str]]  # lang -> purpose -> text

    def text(self, lang: str) -> tuple[str, str]:
        key = lang if lang in self.title else "zh"
        return self.title[key], self.body[key].strip()


@lru_cache(maxsize=1)
def notice() -> Notice:
    data = tomllib.loads(NOTICE_FILE.read_text(encoding="utf-8"))
    langs = [k for k in data if isinstance(data[k], dict)]
    return Notice(
        version=str(data["version"]),
        title={lang: data[lang]["title"] for lang in langs},
        body={lang: data[lang]["body"] for lang in langs},
        purposes={lang: dict(data[lang]["purposes"]) for lang in langs},
    )


def current_state(profile: Profile) -> dict[str, bool]:
    """The consent in force for each purpose, read from the profile's columns."""
    return {
        "employer_visibility": bool(profile.visible_to_employers),
        "automated_ranking": not bool(profile.ranking_opt_out),
    }


def _apply(profile: Profile, purpose: str, granted: bool) -> bool:
    """Set the profile's column for ``purpose``; whether it changed."""
    before = current_state(profile)[purpose]
    if purpose == "employer_visibility":
        profile.visible_to_employers = granted
    else:
        profile.ranking_opt_out = not granted
    return before != granted


def set_purpose(
    session: Session,
    profile: Profile,
    purpose: str,
    granted: bool,
    *,
    actor_user_id: int | None,
    channel: str,
    at: dt.datetime | None = None,
) -> ConsentRecord:
    """Record a grant or withdrawal and apply it to the profile (flushes; caller commits)."""
    if purpose not in PURPOSES:
        raise ConsentError(f"unknown purpose {purpose!r}; one of {', '.join(PURPOSES)}")
    if channel not in CHANNELS:
        raise ConsentError(f"unknown channel {channel!r}; one of {', '.join(CHANNELS)}")
    _apply(profile, purpose, bool(granted))
    record = ConsentRecord(
        profile_id=profile.id,
        purpose=purpose,
        granted=bool(granted),
        notice_version=notice().version,
        actor_user_id=actor_user_id,
        channel=channel,
    )
    if at is not None:
        record.at = at
    session.add(record)
    session.flush()
    mark_changed(session, "profiles")  # the match index re-reads profiles
    return record


def record_state(
    session: Session,
    profile: Profile,
    *,
    actor_user_id: int | None,
    channel: str,
    purposes: tuple[str, ...] = PURPOSES,
) -> list[ConsentRecord]:
    """Record the profile's current state as consent records (a bulk import or the demo
    sets the columns directly; this keeps the evidence of what was recorded)."""
    state = current_state(profile)
    return [
        set_purpose(session, profile, p, state[p], actor_user_id=actor_user_id, channel=channel)
        for p in purposes
    ]


def _column_text(profile: Profile, purpose: str) -> str:
    if purpose == "employer_visibility":
        return f"visible_to_employers={profile.visible_to_employers}"
    return f"ranking_opt_out={profile.ranking_opt_out}"


def change(
    session: Session,
    principal: Principal,
    *,
    profile_id: int,
    purpose: str,
    granted: bool,
    channel: str = "web",
) -> ConsentRecord:
    """Grant or withdraw one purpose for a profile the principal may change (the owner,
    their college admin, the platform admin: ``accounts.policy.can_edit_profile``;
    ``NotFound``/``Forbidden`` otherwise). Someone other than the owner is audited."""
    profile = editable_profile(session, principal, profile_id)
    record = set_purpose(
        session, profile, purpose, granted, actor_user_id=principal.user_id, channel=channel
    )
    audit_change(session, principal, profile, AUDIT_ACTIONS[purpose],
                 f"{_column_text(profile, purpose)} ({purpose} {'granted' if granted else 'withdrawn'}"
                 f" via {channel})")  # fmt: skip
    return record


def grant(
    session: Session, principal: Principal, *, profile_id: int, purpose: str, channel: str = "web"
) -> ConsentRecord:
    return change(session, principal, profile_id=profile_id, purpose=purpose, granted=True,
                  channel=channel)  # fmt: skip


def withdraw(
    session: Session, principal: Principal, *, profile_id: int, purpose: str, channel: str = "web"
) -> ConsentRecord:
    return change(session, principal, profile_id=profile_id, purpose=purpose, granted=False,
                  channel=channel)  # fmt: skip


@dataclass(frozen=True)
class ConsentView:
    purpose: str
    granted: bool
    notice_version: str
    at: dt.datetime
    actor_user_id: int | None
    channel: str
    by_self: bool


def history(session: Session, profile: Profile) -> list[ConsentView]:
    """Every consent record of the profile, newest first."""
    rows = session.scalars(
        select(ConsentRecord)
        .where(ConsentRecord.profile_id == profile.id)
        .order_by(ConsentRecord.at.desc(), ConsentRecord.id.desc())
    )
    return [
        ConsentView(
            purpose=r.purpose,
            granted=r.granted,
            notice_version=r.notice_version,
            at=r.at,
            actor_user_id=r.actor_user_id,
            channel=r.channel,
            by_self=r.actor_user_id is not None and r.actor_user_id == profile.user_id,
        )
        for r in rows
    ]
