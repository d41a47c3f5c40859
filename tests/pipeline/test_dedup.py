"""Deduplication keys, fingerprints, the near-duplicate index and the batch step, checked
on hand-made tables, on the generated demo postings (whose re-posts are known) and on
the real 51job export."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support import shared_file
from talentbridge.demo import postings as pg
from talentbridge.demo import wording as w
from talentbridge.demo.generator import generate_demo_files
from talentbridge.pipeline.clean import clean_text
from talentbridge.pipeline.dedup import (
    BLOCK_KEY_MAX,
    NEAR_DUPLICATE_MAX_DISTANCE,
    NO_TEXT,
    DedupInput,
    NearDuplicateIndex,
    PostingKeys,
    block_key,
    content_hash,
    dedup_batch,
    fingerprint,
    from_signed64,
    hamming,
    normalize_for_hash,
    posting_keys,
    simhash,
    to_signed64,
)
from talentbridge.pipeline.readers import read_table

DUTIES = (
    "负责仓库货物的入库、出库、盘点及库位管理，确保账实相符",
    "使用WMS系统完成收货、上架、拣货、复核和发货的全流程操作",
    "协调运输车辆与承运商，跟踪在途货物并及时处理异常",
    "编制每日库存报表和周转分析，向主管汇报库存风险",
    "执行5S现场管理和安全检查，维护叉车等仓储设备",
    "配合财务完成月末盘点和差异分析，整理单据归档",
    "对接跨境电商平台订单，完成海外仓备货计划和补货",
    "参与中欧班列货物的装箱方案制定和报关资料准备",
    "熟悉报关单申报流程和HS归类，能独立使用单一窗口",
    "具备良好的沟通能力和团队合作精神，能适应倒班",
    "持有叉车证或1+X物流管理职业技能等级证书者优先",
    "熟练使用Excel函数和数据透视表，能做基础数据分析",
    "大专及以上学历，物流管理、供应链管理等相关专业",
    "有两年以上第三方物流仓库管理经验，熟悉快消品仓储",
    "公司提供五险一金、带薪年假、节日福利和免费工作餐",
    "示例物流是一家专注于成渝地区的综合物流服务企业",
)
LONG_TEXT = "。".join(DUTIES) + "。"
UNRELATED = (
    "本店诚聘面包烘焙师傅，负责欧式面包和法式甜点的制作与研发；要求热爱烘焙，"
    "能吃苦耐劳，工作时间早班六点开始，月休四天，有西点房工作经历者优先录用，"
    "提供员工宿舍和工作餐，节假日三倍工资，表现优秀者可升任店长并参与门店分红。"
    "另招收银员两名，熟悉收银系统，形象气质佳，有良好的服务意识和亲和力。"
)


# --- normalization and the exact key ------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("仓库 管理员", "仓库管理员"),
        ("仓库管理员（急招）！", "仓库管理员急招"),
        ("ＷＭＳ系统　熟练", "wms系统熟练"),
        ("<p>岗位职责：</p><p>1、收货；</p>", "岗位职责1收货"),
        ("Excel, Word & PPT.", "excelwordppt"),
        ("  \n\t ", ""),
        ("", ""),
        ("8-12K·13薪", "812k13薪"),
    ],
)
def test_normalize_for_hash_keeps_only_letters_digits_and_cjk(raw: str, expected: str) -> None:
    assert normalize_for_hash(raw) == expected


BASE = {
    "title": "仓库管理员",
    "company": "示例·成都物流有限公司",
    "location": "成都",
    "description": "岗位职责：1、负责入库；2、负责盘点。薪资8000元/月。",
}


@pytest.mark.parametrize(
    "variant",
    [
        {"description": "岗位职责:\n1. 负责入库;\n2. 负责盘点.\n薪资8000元/月."},
        {"description": "<p>岗位职责：</p><p>1、负责入库；</p><p>2、负责盘点。</p>薪资8000元/月。"},
        {"description": "岗位职责：１、负责入库；２、负责盘点。薪资８０００元／月。"},
        {"title": " 仓库管理员 ", "company": "示例·成都物流有限公司\u3000"},
        {"description": "岗位职责 1 负责入库 2 负责盘点 薪资 8000 元 月"},
    ],
)
def test_content_hash_ignores_layout_punctuation_width_and_html(variant: dict[str, str]) -> None:
    assert content_hash(**(BASE | variant)) == content_hash(**BASE)


@pytest.mark.parametrize(
    "variant",
    [
        {"description": "岗位职责：1、负责入库；2、负责盘点。薪资9000元/月。"},
        {"title": "仓库主管"},
        {"company": "示例·重庆物流有限公司"},
        {"location": "重庆"},
    ],
)
def test_content_hash_changes_with_content(variant: dict[str, str]) -> None:
    assert content_hash(**(BASE | variant)) != content_hash(**BASE)


def test_content_hash_keeps_fields_apart() -> None:
    one = content_hash(title="仓库管理", company="员示例", location="", description="")
    other = content_hash(title="仓库管理员", company="示例", location="", description="")
    assert one != other


def test_content_hash_is_32_hex_digits() -> None:
    digest = content_hash(**BASE)
    assert len(digest) == 32
    assert int(digest, 16) >= 0


# --- the blocking key ----------------------------------------------------------------


@pytest.mark.parametrize(
    "company",
    [
        "顺丰速运有限公司",
        "顺丰速运股份有限公司",
        "顺丰速运有限责任公司",
        "顺丰速运集团有限公司",
        "顺丰速运（成都）有限公司",
        "顺丰速运有限公司成都分公司",
        "成都顺丰速运有限公司",
        "顺丰速运",
        "顺丰速运 有限公司",
    ],
)
def test_block_key_ignores_legal_form_branch_and_region(company: str) -> None:
    assert block_key(company=company, title="仓管员") == "顺丰速运|仓管员"


@pytest.mark.parametrize(
    "title",
    [
        "仓管员",
        "仓管员（急招）",
        "【双休】仓管员",
        "急聘仓管员",
        "直招仓管员",
        "仓管员 3名",
        "仓管员招5人",
        "仓管员若干名",
        "[五险一金]仓管员(包住)",
    ],
)
def test_block_key_ignores_recruiting_notes_in_titles(title: str) -> None:
    assert block_key(company="顺丰速运有限公司", title=title) == "顺丰速运|仓管员"


@pytest.mark.parametrize(
    ("company", "title", "key"),
    [
        ("Costco Co., Ltd.", "Buyer", "costco|buyer"),
        ("四川航空股份有限公司", "地勤", "四川航空|地勤"),  # too short to drop the region
        ("有限公司", "司机", "有限公司|司机"),  # nothing but a legal form: kept
        ("示例·成都物流有限公司", "机器人工程师", "示例成都物流|机器人工程师"),
        ("京东物流", "5G工程师", "京东物流|5g工程师"),
    ],
)
def test_block_key_stays_conservative(company: str, title: str, key: str) -> None:
    assert block_key(company=company, title=title) == key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("顺丰速运有限公司", "仓管员"), ("中通快递有限公司", "仓管员")),
        (("顺丰速运有限公司", "仓管员"), ("顺丰速运有限公司", "仓库主管")),
        (("成都顺丰速运有限公司", "仓管员"), ("成都顺达速运有限公司", "仓管员")),
    ],
)
def test_block_key_separates_employers_and_titles(
    one: tuple[str, str], other: tuple[str, str]
) -> None:
    assert block_key(company=one[0], title=one[1]) != block_key(company=other[0], title=other[1])


def test_block_key_with_location_separates_cities() -> None:
    chengdu = block_key(company="顺丰速运有限公司", title="仓管员", location="510100")
    chongqing = block_key(company="顺丰速运有限公司", title="仓管员", location="500000")
    assert chengdu != chongqing
    assert chengdu == block_key(
        company="顺丰速运（成都）有限公司", title="仓管员", location="510100"
    )


def test_block_key_of_a_huge_name_is_bounded_and_still_distinct() -> None:
    one = block_key(company="长" * 300 + "甲", title="仓管员")
    other = block_key(company="长" * 300 + "乙", title="仓管员")
    assert len(one) == len(other) == BLOCK_KEY_MAX
    assert one != other


# --- fingerprints -------------------------------------------------------------------


def _changed_sentence(text: str) -> str:
    return text.replace(DUTIES[5], "负责与海关、商检部门沟通，办理进出口货物的查验放行手续")


def test_identical_texts_have_distance_zero() -> None:
    assert hamming(simhash(LONG_TEXT), simhash(LONG_TEXT)) == 0
    assert hamming(fingerprint(LONG_TEXT), fingerprint(" " + LONG_TEXT + "！")) == 0


def test_one_changed_sentence_is_a_near_duplicate() -> None:
    changed = _changed_sentence(LONG_TEXT)
    assert changed != LONG_TEXT
    assert 0 < hamming(fingerprint(LONG_TEXT), fingerprint(changed)) <= NEAR_DUPLICATE_MAX_DISTANCE
    assert 0 < hamming(simhash(LONG_TEXT), simhash(changed)) <= 12


def test_unrelated_texts_are_far_apart() -> None:
    assert 20 <= hamming(fingerprint(LONG_TEXT), fingerprint(UNRELATED)) <= 44
    assert 20 <= hamming(simhash(LONG_TEXT), simhash(UNRELATED)) <= 44


def test_empty_text_has_fingerprint_zero() -> None:
    assert simhash("") == fingerprint("") == NO_TEXT == 0
    assert simhash(" ，。\n") == fingerprint("<br/>") == NO_TEXT


def test_short_texts_still_get_a_fingerprint() -> None:
    assert fingerprint("仓管") != fingerprint("叉车")
    assert simhash("ab") != simhash("ba")


def test_simhash_with_fewer_bits_stays_in_range() -> None:
    assert 0 <= simhash(LONG_TEXT, bits=32) < 2**32
    with pytest.raises(ValueError, match="multiple of 8"):
        simhash(LONG_TEXT, bits=12)


GOLDEN_SCRIPT = (
    "from talentbridge.pipeline.dedup import fingerprint, simhash, content_hash\n"
    "text = '负责仓库货物的入库、出库、盘点及库位管理，确保账实相符。'\n"
    "print(fingerprint(text), simhash(text),"
    " content_hash(title='仓管员', company='顺丰', location='成都', description=text))\n"
)


def test_fingerprints_are_the_same_in_every_process() -> None:
    outputs = {
        subprocess.run(
            [sys.executable, "-c", GOLDEN_SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    fp, sh, digest = outputs.pop().split()
    text = "负责仓库货物的入库、出库、盘点及库位管理，确保账实相符。"
    assert int(fp) == fingerprint(text)
    assert int(sh) == simhash(text)
    assert digest == content_hash(title="仓管员", company="顺丰", location="成都", description=text)


def test_stored_keys_are_pinned() -> None:
    """Fingerprints and hashes are stored: changing the algorithm needs a data migration."""
    text = "负责仓库货物的入库、出库、盘点及库位管理，确保账实相符。"
    assert fingerprint(text) == 11510344090601875362
    assert simhash(text) == 5914150130966102276
    assert (
        content_hash(title="仓管员", company="顺丰", location="成都", description=text)
        == "0f8acb65dbc63f3ce53d2bb1edd2768c"
    )


@pytest.mark.parametrize("value", [0, 1, 2**63 - 1, 2**63, 2**64 - 1])
def test_signed64_round_trips_and_fits_bigint(value: int) -> None:
    signed = to_signed64(value)
    assert -(2**63) <= signed < 2**63
    assert from_signed64(signed) == value


def test_signed64_rejects_out_of_range_values() -> None:
    with pytest.raises(ValueError):
        to_signed64(2**64)
    with pytest.raises(ValueError):
        to_signed64(-1)
    with pytest.raises(ValueError):
        from_signed64(2**63)


def test_posting_keys_match_the_single_functions() -> None:
    keys = posting_keys(
        title="仓管员（急招）", company="顺丰速运有限公司", location="成都", description=LONG_TEXT
    )
    assert keys == PostingKeys(
        content_hash=content_hash(
            title="仓管员（急招）",
            company="顺丰速运有限公司",
            location="成都",
            description=LONG_TEXT,
        ),
        block_key=block_key(company="顺丰速运有限公司", title="仓管员", location="成都"),
        fingerprint=fingerprint(LONG_TEXT),
    )


# --- the index and the batch step ---------------------------------------------------


def test_index_finds_the_nearest_posting_in_the_block() -> None:
    index = NearDuplicateIndex(max_distance=3)
    index.add("a|x", 0b0000, 10)
    index.add("a|x", 0b1111, 11)
    index.add("a|x", 0b0001, 12)
    assert index.find("a|x", 0b0011) == 12  # distances 2, 2, 1
    assert index.find("a|x", 0b1110) == 11  # distances 3, 1, 4
    assert index.find("a|x", 0b1111_0000_0000) is None  # nearest is 4 away
    assert len(index) == 3


def test_index_breaks_ties_by_the_lowest_id_whatever_the_order() -> None:
    for order in ((7, 3, 5), (3, 5, 7), (5, 7, 3)):
        index = NearDuplicateIndex()
        for posting_id in order:
            index.add("a|x", 1 << posting_id, posting_id)
        assert index.find("a|x", 0) == 3  # all three are at distance 1


def test_index_blocks_are_isolated() -> None:
    index = NearDuplicateIndex()
    index.add("a|x", 42, 1)
    assert index.find("a|x", 42) == 1
    assert index.find("b|x", 42) is None
    assert index.nearest("a|x", 43) == (1, 1)
    assert index.block_count == 1


def test_index_rejects_a_nonsense_distance() -> None:
    with pytest.raises(ValueError):
        NearDuplicateIndex(max_distance=65)


def _input(keys: PostingKeys, posting_id: int) -> DedupInput:
    return DedupInput(keys.content_hash, keys.block_key, keys.fingerprint, posting_id)


def test_dedup_batch_catches_duplicates_inside_one_batch() -> None:
    original = posting_keys(title="仓管员", company="顺丰", location="成都", description=LONG_TEXT)
    reposted = posting_keys(
        title="仓管员（急招）", company="顺丰", location="成都", description=LONG_TEXT + "！"
    )
    edited = posting_keys(
        title="仓管员", company="顺丰", location="成都", description=_changed_sentence(LONG_TEXT)
    )
    copy_of_edited = posting_keys(
        title="仓管员", company="顺丰", location="成都", description=_changed_sentence(LONG_TEXT)
    )
    other_city = posting_keys(
        title="仓管员", company="顺丰", location="重庆", description=LONG_TEXT
    )
    unrelated = posting_keys(title="仓管员", company="顺丰", location="成都", description=UNRELATED)
    exact: dict[str, int] = {}
    near = NearDuplicateIndex()
    records = [original, reposted, edited, copy_of_edited, other_city, unrelated]
    decisions = dedup_batch([_input(k, i) for i, k in enumerate(records, 100)], exact, near)
    assert [d.kind for d in decisions] == ["new", "near", "near", "exact", "new", "new"]
    assert [d.duplicate_of for d in decisions] == [None, 100, 100, 100, None, None]
    assert decisions[2].distance is not None and decisions[2].distance > 0
    assert [d.posting_id for d in decisions] == list(range(100, 106))
    assert len(near) == 3  # kept postings only
    assert exact[edited.content_hash] == 100


def test_dedup_batch_uses_preloaded_indexes_and_matches_short_texts_only_to_themselves() -> None:
    stored = posting_keys(title="仓管员", company="顺丰", location="成都", description=LONG_TEXT)
    exact = {stored.content_hash: 7}
    near = NearDuplicateIndex()
    near.add(stored.block_key, stored.fingerprint, 7)
    edited = posting_keys(
        title="仓管员", company="顺丰", location="成都", description=_changed_sentence(LONG_TEXT)
    )
    short_a = posting_keys(title="司机（急招）", company="顺丰", location="成都", description="")
    empty = posting_keys(title="司机", company="顺丰", location="成都", description="")
    short_b = posting_keys(title="司机", company="顺丰", location="成都", description="急招")
    short_c = posting_keys(title="司机", company="顺丰", location="成都", description="急招！")
    decisions = dedup_batch(
        [
            _input(stored, 1),
            _input(edited, 2),
            _input(short_a, 3),
            _input(short_b, 4),
            _input(short_c, 5),
            _input(empty, 6),
        ],
        exact,
        near,
    )
    assert [(d.kind, d.duplicate_of) for d in decisions] == [
        ("exact", 7),
        ("near", 7),
        ("new", None),
        ("new", None),
        ("exact", 4),
        ("new", None),  # same block as 3, both without text: not merged
    ]
    assert [d.target_id for d in decisions] == [7, 7, 3, 4, 4, 6]
    assert len(near) == 2  # 7 and 4; postings without text are not indexed
    assert decisions[2].is_new and not decisions[1].is_new


# --- properties ---------------------------------------------------------------------


@given(st.text(max_size=400))
def test_fingerprints_never_raise_and_stay_in_64_bits(text: str) -> None:
    assert 0 <= simhash(text) < 2**64
    assert 0 <= fingerprint(text) < 2**64
    assert normalize_for_hash(normalize_for_hash(text)) == normalize_for_hash(text)
    block_key(company=text, title=text)


@given(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1))
def test_hamming_is_a_metric(a: int, b: int, c: int) -> None:
    assert hamming(a, b) == hamming(b, a)
    assert (hamming(a, b) == 0) == (a == b)
    assert hamming(a, c) <= hamming(a, b) + hamming(b, c)
    assert 0 <= hamming(a, b) <= 64


# --- the demo postings: re-posts are known --------------------------------------------

DEMO_COLUMNS = {  # file: (title, company, place, description)
    pg.BOARD_A: ("职位名称", "公司", "工作地点", "职位描述"),
    pg.BOARD_B: ("title", "company", "city", "description"),
    pg.PARTNER: ("title", "employer", "location", "description"),
}
CITIES = (
    "成都",
    "重庆",
    *(c for c, _ in w.OTHER_CIRCLE_PLACES),
    *(c for c, _ in w.ELSEWHERE_PLACES),
)
DISTRICT_CITY = (
    {d: "成都" for d, _ in w.CHENGDU_DISTRICTS}
    | {d: "重庆" for d, _ in w.CHONGQING_DISTRICTS}
    | {d: c for c, d in (*w.OTHER_CIRCLE_PLACES, *w.ELSEWHERE_PLACES)}
)


def _city(place: str) -> str:
    """Stand-in for the place normalizer: the city of a demo place text."""
    place = place.removeprefix("四川省")
    for city in CITIES:
        if place.startswith(city):
            return city
    return DISTRICT_CITY.get(place, place)


class _Clusters:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.root(i)] = self.root(j)


def test_demo_reposts_are_found_and_distinct_postings_kept(tmp_path: Path) -> None:
    manifest = generate_demo_files(tmp_path, seed=7, scale=0.05, today=dt.date(2025, 5, 20))
    rows: list[tuple[str, str, str, str]] = []
    for name, (title, company, place, description) in DEMO_COLUMNS.items():
        with read_table(tmp_path / name) as table:
            rows += [
                (r.get(title), r.get(company), _city(r.get(place)), r.values.get(description, ""))
                for r in table
            ]
    assert len(rows) == manifest.counts["postings"]

    # Ground truth, independent of the code under test: the generator re-posts a job
    # with the same title, employer and city and the same description lines, less one
    # line at most (the last line's punctuation may change).
    lines = [
        frozenset(n for n in (normalize_for_hash(x) for x in clean_text(d).split("\n")) if n)
        for *_, d in rows
    ]
    clusters = _Clusters(len(rows))
    by_job: dict[tuple[str, str, str], list[int]] = {}
    for i, (title, company, city, _) in enumerate(rows):
        by_job.setdefault((title, company, city), []).append(i)
    distinct_neighbours = 0
    for members in by_job.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if len(lines[i] ^ lines[j]) <= 1:
                    clusters.join(i, j)
                else:
                    distinct_neighbours += 1
    roots = [clusters.root(i) for i in range(len(rows))]
    expected_exact = manifest.counts["posting_exact_duplicates"]
    expected_near = manifest.counts["posting_near_duplicates"]
    assert len(rows) - len(set(roots)) == expected_exact + expected_near  # the truth holds
    assert distinct_neighbours > 50  # same employer and title, different postings: a real test

    keys = [
        posting_keys(title=t, company=c, location=city, description=d) for t, c, city, d in rows
    ]
    decisions = dedup_batch([_input(k, i) for i, k in enumerate(keys)], {}, NearDuplicateIndex())
    kinds = Counter(d.kind for d in decisions)
    wrong = [
        d
        for d in decisions
        if d.duplicate_of is not None and roots[d.duplicate_of] != roots[d.posting_id]
    ]
    # (a) every exact re-post, on the same board or another one, is found as exact
    assert kinds["exact"] == expected_exact
    # (b) nearly all edited re-posts are found (as near duplicates)
    assert kinds["near"] - len(wrong) >= 0.9 * expected_near
    # (c) distinct postings of the same employer and title are not merged
    assert len(wrong) <= 0.01 * len(rows)
    assert all(
        d.distance is not None and d.distance <= NEAR_DUPLICATE_MAX_DISTANCE
        for d in decisions
        if d.kind == "near"
    )


# --- the real 51job export ----------------------------------------------------------


def _cell(value: str) -> str:
    value = value.strip()
    if value.startswith("['") and value.endswith("']"):
        value = value[2:-2]
    return value.strip()


@pytest.mark.shared_data
def test_51job_duplicates_are_real_and_blocked_together() -> None:
    path = shared_file("postings/51job-bigdata-2019.csv")
    rows: list[tuple[str, str, str, str]] = []
    with read_table(path) as table:
        for r in table:
            rows.append(
                (
                    _cell(r.values["职位"]),
                    _cell(r.values["公司"]),
                    _cell(r.values["地区"]).split("-")[0],  # the city part of 成都-武侯区
                    _cell(r.values["岗位信息"]),
                )
            )
    keys = [
        posting_keys(title=t, company=c, location=city, description=d) for t, c, city, d in rows
    ]
    decisions = dedup_batch([_input(k, i) for i, k in enumerate(keys)], {}, NearDuplicateIndex())
    kinds = Counter(d.kind for d in decisions)
    assert sum(kinds.values()) == len(rows) == 4950
    assert kinds["exact"] >= 25  # 34 today: the same job listed again
    for d in decisions:
        if d.duplicate_of is None:
            continue
        this, kept = d.posting_id, d.duplicate_of
        assert kept < this
        assert keys[this].block_key == keys[kept].block_key
        assert rows[this][2] == rows[kept][2]  # never merged across cities
        if d.kind == "exact":
            assert normalize_for_hash(rows[this][3]) == normalize_for_hash(rows[kept][3])
        else:
            assert d.distance is not None and d.distance <= NEAR_DUPLICATE_MAX_DISTANCE
    # The file does hold near-identical texts of one employer and title for two cities
    # (数据工程师（南京） / （广州）): they are kept apart.
    by_employer_title: dict[str, list[int]] = {}
    for i, (title, company, _city, _text) in enumerate(rows):
        by_employer_title.setdefault(block_key(company=company, title=title), []).append(i)
    assert any(
        rows[i][2] != rows[j][2]
        and keys[i].fingerprint != NO_TEXT
        and hamming(keys[i].fingerprint, keys[j].fingerprint) <= NEAR_DUPLICATE_MAX_DISTANCE
        and decisions[i].is_new
        and decisions[j].is_new
        for members in by_employer_title.values()
        for i in members
        for j in members
    )


@given(
    fingerprint=st.integers(min_value=1, max_value=2**64 - 1),
    flips=st.sets(st.integers(min_value=0, max_value=63), max_size=NEAR_DUPLICATE_MAX_DISTANCE),
)
def test_fingerprints_within_the_distance_share_a_band(fingerprint: int, flips: set[int]) -> None:
    from talentbridge.pipeline.dedup import band_keys

    other = fingerprint
    for bit in flips:
        other ^= 1 << bit
    if other == 0:
        return
    assert set(band_keys("k", fingerprint)) & set(band_keys("k", other))
    assert not set(band_keys("k", fingerprint)) & set(band_keys("other block", fingerprint))
