"""Generated job postings: a structured model, three board styles, and their writers.

Postings are drawn month by month over 36 months with seasonal bumps and family
trends (cross-border e-commerce, customs and smart logistics rising, plain delivery
falling), then rendered in the style of three different sources. A share of them are
re-posted exactly or nearly, a small share state discriminatory requirements, and a
few rows are deliberately broken so that every ingestion path has work to do.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import random
import re
import zipfile
from bisect import bisect
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path

from talentbridge.demo import families as fm
from talentbridge.demo import wording as w

MONTHS = 36
SEASON = {1: 0.9, 2: 0.6, 3: 1.35, 4: 1.2, 5: 1.0, 6: 0.95, 7: 1.0, 8: 0.95, 9: 1.1, 10: 1.05,
          11: 1.15, 12: 0.85}  # fmt: skip
DUPLICATE_SHARE = 0.05
DISCRIMINATORY_SHARE = 0.02
BAD_ROW_SHARE = 0.003

BOARD_A = "postings_board_a.csv"
BOARD_B = "postings_board_b.xlsx"
PARTNER = "postings_partner.jsonl"
BOARDS = (BOARD_A, BOARD_B, PARTNER)
BOARD_SHARES = (0.45, 0.30, 0.25)

BOARD_A_HEADERS = ("职位名称", "薪资", "公司", "工作地点", "工作经验", "学历", "招聘人数", "发布时间",
                   "职位描述", "来源")  # fmt: skip
BOARD_B_HEADERS = ("title", "salary", "company", "city", "experience", "education", "openings",
                   "posted", "description", "source")  # fmt: skip


@dataclass(frozen=True)
class Employer:
    name: str
    kind: str  # key of wording.ENTERPRISE_TYPES
    city: str  # 成都, 重庆 or another city without 市
    blurb: str
    weight: float


@dataclass
class Posting:
    family: str
    title: str
    employer: str
    city: str
    district: str
    pay_lo: int
    pay_hi: int
    months_paid: int
    negotiable: bool
    daily: bool
    experience: str
    education: str
    openings: int | None
    posted: dt.date
    lines: list[str]
    tags: tuple[str, ...]
    discriminatory: bool = False
    bad: str = ""  # "" or the kind of breakage
    seq: int = 0
    ref: str = ""  # stable id of the posting (duplicates share it)


@dataclass
class PostingStats:
    by_file: dict[str, int] = field(default_factory=dict)
    base: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    discriminatory: int = 0
    bad_rows: int = 0
    first_month: str = ""
    last_month: str = ""


def month_starts(today: dt.date) -> list[dt.date]:
    """The first days of the 36 months ending with ``today``'s month, oldest first."""
    index = today.year * 12 + today.month - 1 - (MONTHS - 1)
    return [dt.date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(MONTHS)]


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


class PostingFactory:
    """Draws structured postings; all randomness comes from the one ``rng``."""

    def __init__(self, rng: random.Random, employers: list[Employer], today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.months = month_starts(today)
        self.employers_by_family: dict[str, tuple[list[Employer], list[float]]] = {}
        for family in fm.FAMILIES:
            pool = [e for e in employers if family.key in w.ENTERPRISE_TYPES[e.kind][2]]
            self.employers_by_family[family.key] = (pool, list(accumulate(e.weight for e in pool)))
        month_weights = []
        self.family_cum: list[list[float]] = []
        for i, start in enumerate(self.months):
            t = i / (MONTHS - 1)
            days = calendar.monthrange(start.year, start.month)[1]
            part = today.day / days if i == MONTHS - 1 else 1.0
            month_weights.append(SEASON[start.month] * (1 + 0.25 * t) * part)
            fam_w = [
                f.weight * (1 + f.trend * t) * (1.4 if start.month in f.peak_months else 1.0)
                for f in fm.FAMILIES
            ]
            self.family_cum.append(list(accumulate(fam_w)))
        self.month_cum = list(accumulate(month_weights))
        self.cd_cum = list(accumulate(d[1] for d in w.CHENGDU_DISTRICTS))
        self.cq_cum = list(accumulate(d[1] for d in w.CHONGQING_DISTRICTS))

    def _choose(self, cum: list[float]) -> int:
        return bisect(cum, self.rng.random() * cum[-1])

    def _place(self, employer: Employer) -> tuple[str, str]:
        rng = self.rng
        home = 0.75 if employer.city in ("成都", "重庆") else 0.6
        if rng.random() < home:
            city = employer.city
        else:
            r = rng.random()
            city = "成都" if r < 0.47 else "重庆" if r < 0.90 else "other"
        if city == "成都":
            return city, w.CHENGDU_DISTRICTS[self._choose(self.cd_cum)][0]
        if city == "重庆":
            return city, w.CHONGQING_DISTRICTS[self._choose(self.cq_cum)][0]
        if city != "other":
            for name, district in w.OTHER_CIRCLE_PLACES:
                if name == city:
                    return name, district
        pool = w.OTHER_CIRCLE_PLACES if rng.random() < 0.35 else w.ELSEWHERE_PLACES
        return rng.choice(pool)

    def draw(self, seq: int) -> Posting:
        rng = self.rng
        mi = min(self._choose(self.month_cum), MONTHS - 1)
        start = self.months[mi]
        t = mi / (MONTHS - 1)
        last_day = (
            self.today.day if mi == MONTHS - 1 else calendar.monthrange(start.year, start.month)[1]
        )
        posted = start.replace(day=rng.randint(1, last_day))
        family = fm.FAMILIES[min(self._choose(self.family_cum[mi]), len(fm.FAMILIES) - 1)]
        title, lo, hi = rng.choice(family.titles)
        pool, cum = self.employers_by_family[family.key]
        employer = pool[bisect(cum, rng.random() * cum[-1])]
        city, district = self._place(employer)
        growth = (1 + 0.06 * t) * rng.uniform(0.9, 1.15)
        pay_lo = max(3000, round(lo * growth / 500) * 500)
        pay_hi = max(pay_lo + 500, round(hi * growth / 500) * 500)
        r = rng.random()
        months_paid = 14 if r < 0.03 else 13 if r < 0.18 else 12
        education = _pick(rng, family.education)
        experience = _pick(rng, family.experience)
        lo_open, hi_open = family.openings
        openings = None if rng.random() < 0.1 else rng.randint(lo_open, hi_open)
        posting = Posting(
            family=family.key,
            title=title,
            employer=employer.name,
            city=city,
            district=district,
            pay_lo=pay_lo,
            pay_hi=pay_hi,
            months_paid=months_paid,
            negotiable=rng.random() < 0.05,
            daily=family.key in ("delivery", "warehouse") and rng.random() < 0.08,
            experience=experience,
            education=education,
            openings=openings,
            posted=posted,
            lines=[],
            tags=family.tags,
            seq=seq,
            ref=f"P{seq:06d}",
        )
        posting.discriminatory = rng.random() < DISCRIMINATORY_SHARE
        posting.lines = self._description(family, posting, employer, t)
        return posting

    def _description(
        self, family: fm.JobFamily, p: Posting, employer: Employer, t: float
    ) -> list[str]:
        rng = self.rng
        target = rng.randint(400, 800)
        numbering = rng.choice(("{n}、", "{n}.", "（{n}）"))
        duties = rng.sample(family.duties, k=min(len(family.duties), rng.randint(3, 5)))
        reqs = [fm.EDUCATION_SENTENCES[p.education], fm.EXPERIENCE_SENTENCES[p.experience]]
        reqs += rng.sample(family.requirements, k=min(len(family.requirements), rng.randint(2, 4)))
        reqs += [s for s in family.emerging if rng.random() < 0.08 + 0.6 * t]
        reqs += rng.sample(family.preferred, k=rng.randint(1, len(family.preferred)))
        if family.negations and rng.random() < 0.15:
            reqs.append(rng.choice(family.negations))
        if p.discriminatory:
            reqs.insert(rng.randint(1, len(reqs)), rng.choice(w.DISCRIMINATORY))
        heads = rng.choice(
            (
                ("岗位职责：", "任职要求："),
                ("【岗位职责】", "【任职资格】"),
                ("工作内容：", "岗位要求："),
            )
        )
        lines = [heads[0]]
        lines += [numbering.format(n=i + 1) + s + "；" for i, s in enumerate(duties)]
        lines.append(heads[1])
        lines += [numbering.format(n=i + 1) + s + "；" for i, s in enumerate(reqs)]
        benefits = rng.sample(w.BENEFITS, k=rng.randint(4, 8))
        lines.append(rng.choice(w.BENEFIT_LEADS) + "、".join(benefits) + "。")
        extras = [*fm.GENERAL_SENTENCES, *fm.GENERAL_SENTENCES_MORE]
        rng.shuffle(extras)
        size = sum(len(x) for x in lines) + len(employer.blurb)
        for sentence in extras:
            if size >= target:
                break
            lines.append(sentence + "。")
            size += len(sentence) + 1
        blurb = "公司简介：" + employer.blurb
        if rng.random() < 0.3:
            lines.insert(0, blurb)
        else:
            lines.append(blurb)
        return lines


# --- rendering ----------------------------------------------------------------------------


def _num(value: float) -> str:
    return format(round(value, 2), "g")


def _salary(rng: random.Random, p: Posting, board: str) -> str:
    if p.bad == "salary":
        return rng.choice(("薪资：？？", "abc", "8-K", "-", "#N/A", "电话详谈$$"))
    if p.negotiable:
        return rng.choice(("面议", "薪资面议")) if board != BOARD_B else "Negotiable/面议"
    lo, hi = p.pay_lo, p.pay_hi
    if p.daily:
        day = round(lo / 26 / 10) * 10
        return f"{day}元/天" if rng.random() < 0.6 else f"{day}-{day + 50}元/天"
    bonus = f"·{p.months_paid}薪" if p.months_paid > 12 else ""
    r = rng.random()
    if board == BOARD_A:
        if r < 0.45:
            return f"{_num(lo / 1000)}-{_num(hi / 1000)}K{bonus}"
        if r < 0.65:
            high = f"{_num(hi / 1000)}千" if hi < 10000 else f"{_num(hi / 10000)}万"
            return f"{_num(lo / 1000)}千-{high}"
        if r < 0.85:
            return f"{_num(lo / 10000)}-{_num(hi / 10000)}万/月"
        return f"{round(lo * p.months_paid / 10000)}-{round(hi * p.months_paid / 10000)}万/年"
    if board == BOARD_B:
        if r < 0.4:
            return f"{lo}-{hi}"
        if r < 0.6:
            return f"{_num(lo / 1000)}k-{_num(hi / 1000)}k"
        if r < 0.8:
            return f"RMB {lo:,}–{hi:,}/month"
        return f"{_num(lo / 1000)}-{_num(hi / 1000)}K{bonus}"
    if r < 0.4:
        return f"{lo}-{hi}元/月"
    if r < 0.6:
        return f"{_num(lo / 10000)}-{_num(hi / 10000)}万/月"
    return f"{_num(lo / 1000)}-{_num(hi / 1000)}K{bonus}"


def _short(district: str) -> str:
    if district.endswith("新区") or len(district) <= 2 or not district.endswith("区"):
        return district
    return district[:-1]


def _place(rng: random.Random, p: Posting, board: str) -> str:
    city, district = p.city, p.district
    province = (
        "四川省" if any(city == c for c, _ in w.OTHER_CIRCLE_PLACES) or city == "成都" else ""
    )
    r = rng.random()
    if board == BOARD_A:
        return f"{city}-{district}" if r < 0.85 and district else city
    if board == BOARD_B:
        if r < 0.6:
            return f"{city}市{district}"
        if r < 0.85:
            return f"{city}{_short(district)}"
        return f"{city}市"
    if r < 0.5:
        return f"{province}{city}市{district}"
    if r < 0.6 and district.endswith("新区"):
        return district
    if r < 0.8:
        return f"{city}{_short(district)}"
    return f"{city}·{district}"


def _experience(rng: random.Random, p: Posting, board: str) -> str:
    if board == PARTNER and p.experience[0].isdigit():
        return p.experience + "工作经验"
    if p.experience == "经验不限" and rng.random() < 0.3:
        return "无需经验" if board == BOARD_A else "不限"
    return p.experience


def _education(rng: random.Random, p: Posting, board: str) -> str:
    if p.education == "不限":
        return "学历不限" if board != BOARD_A else "不限"
    if board == BOARD_B and rng.random() < 0.5:
        return p.education + "及以上"
    return p.education


def _date_a(rng: random.Random, posted: dt.date, today: dt.date) -> str:
    age = (today - posted).days
    r = rng.random()
    if age <= 6 and r < 0.5:
        return "今天发布" if age == 0 else "昨天" if age == 1 else f"{age}天前"
    if posted.year == today.year and r < 0.15:
        return f"{posted.month:02d}-{posted.day:02d}发布"
    if r < 0.7:
        return posted.isoformat()
    if r < 0.85:
        return f"{posted.year}/{posted.month}/{posted.day}"
    return f"{posted.year}年{posted.month}月{posted.day}日"


def render(rng: random.Random, p: Posting, board: str, today: dt.date) -> dict[str, object]:
    """One posting as a row of ``board``: a dict keyed by that board's headers."""
    title = "" if p.bad == "title" else p.title
    salary = _salary(rng, p, board)
    place = _place(rng, p, board)
    experience = _experience(rng, p, board)
    education = _education(rng, p, board)
    hour, minute = rng.randint(8, 20), rng.randint(0, 59)
    if board == BOARD_A:
        opening = "若干" if p.openings is None else f"招{p.openings}人"
        return dict(zip(BOARD_A_HEADERS, (
            title, salary, p.employer, place, experience, education, opening,
            _date_a(rng, p.posted, today), "\n".join(p.lines), w.SAMPLE_SOURCE,
        ), strict=True))  # fmt: skip
    if board == BOARD_B:
        posted: object = (
            dt.datetime(p.posted.year, p.posted.month, p.posted.day, hour, minute)
            if rng.random() < 0.8
            else f"{p.posted.isoformat()} {hour:02d}:{minute:02d}"
        )
        return dict(zip(BOARD_B_HEADERS, (
            title, salary, p.employer, place, experience, education, p.openings, posted,
            "\n".join(p.lines), w.SAMPLE_SOURCE,
        ), strict=True))  # fmt: skip
    if rng.random() < 0.3:
        description = "".join(f"<p>{line}</p>" for line in p.lines)
    else:
        description = "\n".join(p.lines)
    return {
        "job_id": f"PX-{p.ref}-{p.posted:%y%m%d}",
        "title": title,
        "salary_text": salary,
        "employer": p.employer,
        "location": place,
        "experience": experience,
        "education": education,
        "headcount": p.openings if p.openings is not None else "若干",
        "posted_at": (
            f"{p.posted.isoformat()}T{hour:02d}:{minute:02d}:00+08:00"
            if rng.random() < 0.85
            else p.posted.isoformat()
        ),
        "description": description,
        "tags": list(p.tags),
        "source": w.SAMPLE_SOURCE,
    }


# --- assembling the three files ----------------------------------------------------------------


def _near_copy(rng: random.Random, p: Posting, today: dt.date) -> Posting:
    lines = list(p.lines)
    if len(lines) > 6:
        del lines[rng.randrange(2, len(lines) - 1)]
    lines[-1] = lines[-1].replace("。", "！", 1) if rng.random() < 0.5 else lines[-1] + " "
    shift = dt.timedelta(days=rng.randint(3, 20))
    posted = min(today, p.posted + shift)
    return replace(p, lines=lines, posted=posted, openings=rng.randint(1, 5))


def generate_postings(
    rng: random.Random, employers: list[Employer], today: dt.date, total: int
) -> tuple[dict[str, list[dict[str, object]]], PostingStats]:
    """Draw ``total`` posting rows and split them over the three boards."""
    factory = PostingFactory(rng, employers, today)
    stats = PostingStats()
    n_dups = round(total * DUPLICATE_SHARE)
    n_base = total - n_dups
    base = [factory.draw(i) for i in range(n_base)]
    n_bad = max(1, round(total * BAD_ROW_SHARE))
    for p in rng.sample(base, k=n_bad):
        p.bad = "title" if rng.random() < 0.5 else "salary"
    boards_cum = list(accumulate(BOARD_SHARES))
    assigned: list[tuple[dt.date, int, str, dict[str, object]]] = []
    board_of: list[str] = []
    for p in base:
        board = BOARDS[bisect(boards_cum, rng.random() * boards_cum[-1])]
        board_of.append(board)
        assigned.append((p.posted, p.seq, board, render(rng, p, board, today)))
    good = [i for i, p in enumerate(base) if not p.bad]
    for k, i in enumerate(rng.sample(good, k=min(n_dups, len(good)))):
        p, board = base[i], board_of[i]
        seq = n_base + k
        r = rng.random()
        if r < 0.4:  # the same row again on the same board
            row = assigned[i][3]
            assigned.append((p.posted, seq, board, dict(row)))
            stats.exact_duplicates += 1
        elif r < 0.7:  # the same job on another board
            other = rng.choice([b for b in BOARDS if b != board])
            assigned.append((p.posted, seq, other, render(rng, p, other, today)))
            stats.exact_duplicates += 1
        else:  # re-posted a little later with small edits
            near = _near_copy(rng, p, today)
            other = rng.choice(BOARDS)
            assigned.append((near.posted, seq, other, render(rng, near, other, today)))
            stats.near_duplicates += 1
    rows: dict[str, list[dict[str, object]]] = {b: [] for b in BOARDS}
    for _posted, _seq, board, row in sorted(assigned, key=lambda a: (-a[0].toordinal(), a[1])):
        rows[board].append(row)
    stats.base = n_base
    stats.by_file = {b: len(rows[b]) for b in BOARDS}
    stats.discriminatory = sum(1 for p in base if p.discriminatory)
    stats.bad_rows = n_bad
    stats.first_month = factory.months[0].strftime("%Y-%m")
    stats.last_month = factory.months[-1].strftime("%Y-%m")
    return rows, stats


def write_board_a(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=BOARD_A_HEADERS)
        writer.writeheader()
        writer.writerows(rows)


def write_board_b(path: Path, rows: list[dict[str, object]], stamp: dt.datetime) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("职位列表 jobs")
    ws.append(list(BOARD_B_HEADERS))
    for row in rows:
        ws.append([row[h] for h in BOARD_B_HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_normalize_xlsx(buffer.getvalue(), stamp))


def _normalize_xlsx(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite an XLSX so it is byte-identical for the same content (fixed times)."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms)", rf"\g<1>{iso}\2", text
                )
                content = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, content)
    return out.getvalue()


def write_partner(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
