"""A cheap "version" of what the matching index reads, to know when to rebuild it.

Three parts, a few statements of scalar sub-queries:

* **reference**: concepts, majors, occupations, the 对口 relation, course concepts
  (counts and largest ids);
* **postings**: postings and flags (counts and largest ids: index-only reads, no scan of
  the wide posting table), the largest posting-concept id (re-tagging writes new rows;
  no count over the store's largest table), the newest import run;
* **profiles**: profiles (count, largest id, and the id-weighted sum of consent and
  ranking opt-out, so that either changing in place shows at once: one scan of the
  profile table, about 20 ms at 100,000 profiles on SQLite), profile concepts, courses
  and experiences (counts and largest ids), wishes (count, newest ``updated_at``), the
  newest import run (a college's import changes majors and years in place).

Edits that none of these see (a concept confirmed or a course marked passed in place, an
experience's description rewritten) are announced with ``mark_changed(session,
"profiles")``, which bumps a counter in ``store_setting``; ``matching.profile_edit``
should call it after every change. Scanning the large child tables on every request to
see such edits would cost more than the rest of a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Integer, ScalarSelect, cast, func, select
from sqlalchemy.orm import Session

from talentbridge.store.matching_tables import (
    ProfileConcept,
    ProfileCourse,
    ProfileExperience,
    ProfileWish,
)
from talentbridge.store.tables import (
    Concept,
    ImportRun,
    Major,
    MajorOccupation,
    Occupation,
    Posting,
    PostingConcept,
    PostingFlag,
    Profile,
    Setting,
    utcnow,
)
from talentbridge.store.teaching_tables import CourseConcept

Part = Literal["postings", "profiles"]
SETTING_KEYS: dict[Part, str] = {
    "postings": "matching.postings_version",
    "profiles": "matching.profiles_version",
}


@dataclass(frozen=True)
class StoreVersion:
    url: str
    reference: tuple[Any, ...]
    postings: tuple[Any, ...]
    profiles: tuple[Any, ...]


def _count_max(table: Any) -> list[ScalarSelect[Any]]:
    return [
        select(func.count()).select_from(table).scalar_subquery(),
        select(func.max(table.__table__.c.id)).scalar_subquery(),
    ]


def _setting(part: Part) -> ScalarSelect[Any]:
    return select(Setting.value).where(Setting.key == SETTING_KEYS[part]).scalar_subquery()


def store_version(session: Session) -> StoreVersion:
    reference = session.execute(
        select(
            *_count_max(Concept),
            *_count_max(Major),
            *_count_max(Occupation),
            select(func.count()).select_from(MajorOccupation).scalar_subquery(),
            select(func.count()).select_from(CourseConcept).scalar_subquery(),
        )
    ).one()
    postings = session.execute(
        select(
            *_count_max(Posting),
            # re-tagging replaces a posting's concept rows (new ids); a deleted posting
            # takes its rows along and shows in the posting count: no count over the
            # largest table of the store
            select(func.max(PostingConcept.id)).scalar_subquery(),
            *_count_max(PostingFlag),
            select(func.max(ImportRun.id)).scalar_subquery(),
            _setting("postings"),
        )
    ).one()
    flags = cast(Profile.visible_to_employers, Integer) + 2 * cast(Profile.ranking_opt_out, Integer)
    core = session.execute(  # one scan of the profile table
        select(func.count(), func.max(Profile.id), func.coalesce(func.sum(Profile.id * flags), 0))
    ).one()
    profiles = session.execute(
        select(
            *_count_max(ProfileConcept),
            *_count_max(ProfileCourse),
            *_count_max(ProfileExperience),
            select(func.count()).select_from(ProfileWish).scalar_subquery(),
            select(func.max(ProfileWish.updated_at)).scalar_subquery(),
            select(func.max(ImportRun.id)).scalar_subquery(),
            _setting("profiles"),
        )
    ).one()
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    return StoreVersion(
        url,
        tuple(reference),
        tuple(postings),
        tuple(core)
        + tuple(str(v) if v is not None and not isinstance(v, int) else v for v in profiles),
    )


def mark_changed(session: Session, part: Part = "profiles") -> None:
    """Announce a change the version cannot see (call inside the changing transaction)."""
    key = SETTING_KEYS[part]
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value="1", updated_on=utcnow().date()))
    else:
        row.value = str(int(row.value or "0") + 1)
        row.updated_on = utcnow().date()
    session.flush()
