from __future__ import annotations

import datetime as dt

from talentbridge.domain.education import Education
from talentbridge.pipeline.normalize import MEMO_CHARS, PostingDraft, Rejection, normalize_posting

TODAY = dt.date(2025, 5, 20)
FIELDS = {
    "title": "報關員（進出口）",
    "company": "示例·成都蓉欧冷链物流有限公司",
    "salary": "6-8K",
    "location": "成都-武侯区",
    "education": "大专及以上",
    "experience": "1-3年",
    "openings": "招2人",
    "posted": "3天前",
    "description": "岗位职责：\n1、负责报关；\n福利待遇：五险一金。",
}


def test_memoized_texts_give_the_same_draft_every_time() -> None:
    first = normalize_posting(FIELDS, reference=TODAY, attributes={"tags": "急招"})
    second = normalize_posting(FIELDS, reference=TODAY, attributes={"tags": "急招"})
    assert isinstance(first, PostingDraft) and first == second
    assert first.title == "报关员(进出口)"
    assert (first.openings, first.posted_on, first.education_level) == (
        2,
        dt.date(2025, 5, 17),
        Education.ASSOCIATE,
    )
    first.attributes["tags"] = "changed"  # each draft owns its attributes
    assert second.attributes == {"tags": "急招"}
    later = normalize_posting(FIELDS, reference=dt.date(2025, 6, 1))
    assert isinstance(later, PostingDraft) and later.posted_on == dt.date(2025, 5, 29)


def test_long_texts_skip_the_memo_and_come_out_the_same() -> None:
    pad = " " * (MEMO_CHARS + 1)
    padded = {key: f"{pad}{value}{pad}" for key, value in FIELDS.items() if key != "description"}
    plain = normalize_posting(FIELDS, reference=TODAY)
    long = normalize_posting({**padded, "description": FIELDS["description"]}, reference=TODAY)
    assert isinstance(plain, PostingDraft) and isinstance(long, PostingDraft)
    assert (long.title, long.employer_name, long.openings, long.posted_on) == (
        plain.title,
        plain.employer_name,
        plain.openings,
        plain.posted_on,
    )
    assert (long.education_level, long.experience_min) == (
        plain.education_level,
        plain.experience_min,
    )
    too_long = normalize_posting({**FIELDS, "title": "报关员" * 100}, reference=TODAY)
    assert too_long == Rejection("title", "title is 300 characters long (limit 200)")
