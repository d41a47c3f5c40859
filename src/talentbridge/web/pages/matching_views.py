"""What the matching pages show of a match: the posting's display fields, the flag
rules, a short "why" and the score parts as a small bar chart, in the page language.

Nothing here decides access or ranks anything: the engine ranks
(``matching.engine``), ``matching.explain`` explains and ``accounts.policy`` decides;
this module turns their results into lines a person reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from talentbridge.domain.divisions import division
from talentbridge.domain.education import LABELS_ZH, Education
from talentbridge.matching.engine import Match, ScoreParts
from talentbridge.matching.explain import Explanation, SkillItem
from talentbridge.pipeline import posting_queries as pq
from talentbridge.store.tables import Posting
from talentbridge.web.i18n import Translator
from talentbridge.web.pages.posting_views import flag_views, posting_view

WHY_SKILLS = 3  # matched skills named in the short why
PART_NAMES: tuple[str, ...] = ("skills", "major", "education", "text", "wishes")
SIDE_NAMES: tuple[str, ...] = ("employer_side", "student_side", "total")
EDUCATION_EN = {
    Education.ANY: "Any",
    Education.JUNIOR_HIGH: "Junior high",
    Education.SECONDARY_VOCATIONAL: "Secondary vocational",
    Education.HIGH_SCHOOL: "High school",
    Education.ASSOCIATE: "Associate (大专)",
    Education.BACHELOR: "Bachelor",
    Education.MASTER: "Master",
    Education.DOCTOR: "Doctor",
}


@dataclass(frozen=True)
class PostingCard:
    id: int
    title: str
    employer: str
    place: str
    salary: str
    education: str
    posted: str
    organization_id: int | None


@dataclass(frozen=True)
class MatchRow:
    """One line of a ranked list: the match, its posting and why (in the page language)."""

    match: Match
    posting: PostingCard
    flag_rules: list[str]
    why: list[str]


def education_label(level: int | None, lang: str) -> str:
    if level is None:
        return "—"
    try:
        value = Education(level)
    except ValueError:
        return str(level)
    return EDUCATION_EN[value] if lang == "en" else LABELS_ZH[value]


def education_choices(lang: str) -> list[tuple[int, str]]:
    return [(int(e), education_label(int(e), lang)) for e in Education if e is not Education.ANY]


def posting_card(posting: Posting, lang: str) -> PostingCard:
    view = posting_view(posting, lang)
    return PostingCard(
        id=posting.id,
        title=posting.title,
        employer=posting.employer_name,
        place=view.place,
        salary=view.salary,
        education=view.education,
        posted=posting.posted_on.isoformat() if posting.posted_on else "—",
        organization_id=posting.organization_id,
    )


def flag_rules_by_posting(
    session: Session, posting_ids: Sequence[int], lang: str
) -> dict[int, list[str]]:
    """The names of the rules each flagged posting was flagged for (deduplicated)."""
    found = pq.flags_by_posting(session, posting_ids)
    return {
        pid: list(dict.fromkeys(v.label for v in flag_views(flags, lang)))
        for pid, flags in found.items()
    }


def skill_label(item: SkillItem, lang: str) -> str:
    if lang == "en" and item.label_en:
        return item.label_en
    return item.label_zh or item.label_en or item.key


def _named(zh: str | None, en: str | None, lang: str) -> str:
    return (en if lang == "en" and en else zh) or "—"


def place_name(code: str | None, lang: str) -> str:
    found = division(code) if code else None
    if found is None:
        return code or "—"
    return _named(found.name_zh, found.name_en, lang)


def short_why(explanation: Explanation | None, t: Translator, lang: str) -> list[str]:
    """Up to four reasons, the strongest first; the opt-out note when not scored."""
    if explanation is None or not explanation.scored:
        return [t("matching.why.unscored")]
    e = explanation
    lines: list[str] = []
    if e.matched_skills:
        names = ("、" if lang == "zh" else ", ").join(
            skill_label(s, lang) for s in e.matched_skills[:WHY_SKILLS]
        )
        lines.append(
            t("matching.why.skills", skills=names, n=len(e.matched_skills),
              of=len(e.matched_skills) + len(e.missing_skills))
        )  # fmt: skip
    if e.major.relation in ("primary", "related"):
        lines.append(
            t(
                f"matching.why.major_{e.major.relation}",
                major=_named(e.major.major_name_zh, e.major.major_name_en, lang),
            )
        )
    if e.wishes.city.status == "fits":
        lines.append(t("matching.why.city", city=place_name(e.wishes.city.offered, lang)))
    if e.wishes.salary.status == "fits":
        lines.append(t("matching.why.salary"))
    required_missing = sum(1 for s in e.missing_skills if s.required)
    if required_missing:
        lines.append(t("matching.why.missing", n=required_missing))
    return lines or [t("matching.why.text")]


def match_rows(
    session: Session,
    matches: Sequence[Match],
    explanations: dict[int, Explanation],
    t: Translator,
    lang: str,
) -> list[MatchRow]:
    """Rows for a "jobs for me" list (``explanations`` by posting id)."""
    ids = [m.posting_id for m in matches]
    rules = flag_rules_by_posting(session, ids, lang)
    return [
        MatchRow(
            match=m,
            posting=posting_card(pq.get_posting(session, m.posting_id), lang),
            flag_rules=rules.get(m.posting_id, []) if m.flagged else [],
            why=short_why(explanations.get(m.posting_id), t, lang),
        )
        for m in matches
    ]


def percent(value: float) -> int:
    return round(100 * value)


def parts_figure(parts: ScoreParts, t: Translator) -> str:
    """The score's parts and sides as horizontal bars (0–100), plotly JSON for
    ``static/charts.js``; built as plain JSON (no plotly import on the request path)."""
    names = [*PART_NAMES, *SIDE_NAMES]
    values = [percent(getattr(parts, n)) for n in names]
    labels = [t(f"matching.part.{n}") for n in names]
    colors = ["#0b5cad"] * len(PART_NAMES) + ["#6b8fb8", "#6b8fb8", "#14532d"]
    figure = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": values[::-1],
                "y": labels[::-1],
                "text": [str(v) for v in values[::-1]],
                "textposition": "auto",
                "marker": {"color": colors[::-1]},
                "hoverinfo": "x+y",
            }
        ],
        "layout": {
            "margin": {"l": 110, "r": 12, "t": 8, "b": 28},
            "height": 260,
            "xaxis": {"range": [0, 100], "fixedrange": True},
            "yaxis": {"fixedrange": True, "automargin": True},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "font": {"size": 12},
        },
    }
    return json.dumps(figure, ensure_ascii=False)
