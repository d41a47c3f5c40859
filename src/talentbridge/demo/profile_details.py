"""Sample profile details for the students file: skills, certificates, wished cities,
expected pay and a short self-description (the optional columns of
``talentbridge import students``, see ``matching.profile_extras``), and synthetic
protected attributes (gender, birth year, for some students ethnicity) so that the
fairness audit has groups to show (``matching.protected``; never used for ranking).

A student's skills come from the bundled taxonomy's concepts of their major (its
``majors`` column), preferring those the sample postings' wording names, so that the
demo's matches have something true to find; certificates likewise. Everything is drawn
from its own ``random.Random`` so adding these columns changed no other generated
value. The self-description says it is sample data.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

from talentbridge.demo.families import FAMILIES

DETAIL_HEADERS = ("skills", "certificates", "wish_cities", "expected_salary", "summary")
PROTECTED_HEADERS = ("gender", "birth_year", "ethnicity")
FEMALE_SHARE = 0.5
ETHNICITY_RECORDED = 0.6  # share of students whose college recorded an ethnicity
# Sichuan and Chongqing: mostly Han, with the region's larger minorities.
ETHNICITIES = (("汉族", 0.86), ("彝族", 0.05), ("藏族", 0.04), ("土家族", 0.03), ("羌族", 0.02))
SKILL_KINDS = frozenset({"skill", "tool", "knowledge"})
CITIES = ("成都市", "重庆市")
OTHER_CITIES = ("绵阳市", "德阳市", "宜宾市", "泸州市")
SKILLS_PER_STUDENT = (3, 7)
CERTIFICATES_PER_STUDENT = (0, 2)
SUMMARIES = (
    "示例：{major}专业{year}届毕业生，{skill}基础扎实，希望在{city}从事相关工作。",
    "示例：熟悉{skill}，有校内实训经历，踏实肯学，期望在{city}发展。",
    "示例：{major}专业学生，擅长{skill}，愿意从基层做起。",
)


@dataclass(frozen=True)
class Pool:
    skills: tuple[str, ...]  # preferred labels (Chinese), the postings' wording first
    certificates: tuple[str, ...]
    named: int = 0  # how many of ``skills`` the postings' wording names


def _posting_text() -> str:
    parts: list[str] = []
    for family in FAMILIES:
        parts += [*family.duties, *family.requirements, *family.preferred, *family.emerging]
    return "\n".join(parts).lower()


@cache
def pools() -> dict[str, Pool]:
    """``level:code`` → the skills and certificates a student of that major may hold."""
    text = _posting_text()
    source = resources.files("talentbridge.taxonomy") / "data" / "skills.csv"
    named: dict[str, list[str]] = {}
    other: dict[str, list[str]] = {}
    certificates: dict[str, list[str]] = {}
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kind, label = row["kind"], row["label_zh"].strip()
            if not label or kind not in SKILL_KINDS | {"certificate"}:
                continue
            surfaces = [label, *row["aliases_zh"].split("|"), *row["abbreviations"].split("|")]
            mentioned = any(s and s.lower() in text for s in surfaces)
            for major in filter(None, row["majors"].split("|")):
                if kind == "certificate":
                    certificates.setdefault(major, []).append(label)
                else:
                    (named if mentioned else other).setdefault(major, []).append(label)
    majors = set(named) | set(other) | set(certificates)
    return {
        m: Pool(
            tuple(named.get(m, [])) + tuple(other.get(m, [])),
            tuple(certificates.get(m, [])),
            len(named.get(m, [])),
        )
        for m in sorted(majors)
    }


def _pick(rng: random.Random, items: tuple[str, ...], low: int, high: int, named: int) -> list[str]:
    """``low``–``high`` items, three in four from the first ``named`` (the postings')."""
    if not items:
        return []
    n = min(len(items), rng.randint(low, high))
    picked: list[str] = []
    while len(picked) < n:
        head = items[:named] if named and rng.random() < 0.75 else items
        choice = rng.choice(head)
        if choice not in picked:
            picked.append(choice)
    return picked


def student_details(
    rng: random.Random, *, level: str, major_code: str, major_name: str, year: int, home_city: str
) -> dict[str, str]:
    """The detail columns of one student row."""
    pool = pools().get(f"{level}:{major_code}", Pool((), ()))
    skills = _pick(rng, pool.skills, *SKILLS_PER_STUDENT, pool.named)
    certificates = _pick(rng, pool.certificates, *CERTIFICATES_PER_STUDENT, 0)
    r = rng.random()
    if r < 0.55:
        cities = [home_city]
    elif r < 0.85:
        cities = [home_city, next(c for c in CITIES if c != home_city)]
    else:
        cities = [home_city, rng.choice(OTHER_CITIES)]
    salary = rng.choice((4000, 4500, 5000, 5500, 6000, 6500, 7000))
    summary = rng.choice(SUMMARIES).format(
        major=major_name, year=year, skill=skills[0] if skills else "专业知识", city=cities[0]
    )
    return {
        "skills": "、".join(skills),
        "certificates": "、".join(certificates),
        "wish_cities": "、".join(dict.fromkeys(cities)),
        "expected_salary": str(salary),
        "summary": summary,
    }


def protected_details(rng: random.Random, *, level: str, graduation_year: int) -> dict[str, str]:
    """Synthetic protected columns of one student row: gender, a birth year about 18
    years before entry (give or take a year), and an ethnicity for some."""
    entry = graduation_year - (4 if level == "bachelor" else 3)
    ethnicity = ""
    if rng.random() < ETHNICITY_RECORDED:
        names = [name for name, _ in ETHNICITIES]
        ethnicity = rng.choices(names, weights=[share for _, share in ETHNICITIES])[0]
    return {
        "gender": "女" if rng.random() < FEMALE_SHARE else "男",
        "birth_year": str(entry - 18 + rng.choice((-1, 0, 0, 1))),
        "ethnicity": ethnicity,
    }
