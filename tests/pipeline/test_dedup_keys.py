"""The dedup keys are stored with every posting, so they are pinned here, bit for bit.

``PINNED`` was computed with the implementation before the table-driven rewrite of
``dedup_text`` (dedup.py at commit bb8333c); ``_reference_normalize`` and
``_reference_fingerprint`` below are that implementation (the regular expressions and
the original numpy MinHash), and the fast paths must agree with them on every text.
A change that alters a key is a migration of stored postings, never a side effect.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.pipeline.clean import strip_html
from talentbridge.pipeline.dedup import (
    block_key,
    content_hash,
    fingerprint,
    normalize_for_hash,
    posting_keys,
    simhash,
)

LONG_ZH = (
    "岗位职责：1、负责仓库货物的入库、出库、盘点及库位管理，确保账实相符；"
    "2、使用WMS系统完成收货、上架、拣货、复核和发货的全流程操作；"
    "3、协调运输车辆与承运商，跟踪在途货物并及时处理异常。"
    "任职要求：大专及以上学历，物流管理、供应链管理等相关专业；"
    "持有叉车证或1+X物流管理职业技能等级证书者优先。薪资6000-8000元/月，五险一金。"
)
LONG_TITLE = (
    "高级国际物流与供应链管理解决方案架构师兼跨境电商海外仓运营总监（成渝地区双城经济圈重点项目）"
)
CASES: dict[str, dict[str, str]] = {
    "chinese": {
        "title": "仓库管理员",
        "company": "示例·成都物流有限公司",
        "location": "510100",
        "description": LONG_ZH,
    },
    "english": {
        "title": "Warehouse Supervisor",
        "company": "Costco Co., Ltd.",
        "location": "Chengdu",
        "description": "Responsibilities: manage inbound/outbound flows; run cycle counts & WMS "
        "reports. Requirements: 3+ years in 3PL warehousing, English (CET-6), forklift "
        "licence preferred.",
    },
    "mixed": {
        "title": "跨境电商运营（Amazon）",
        "company": "示例·重庆和信跨境电子商务有限公司",
        "location": "500000",
        "description": "负责Amazon、Shopee店铺运营，熟练使用Excel（VLOOKUP/数据透视表），"
        "CET-4以上；月薪8-12K·13薪。",
    },
    "empty description": {
        "title": "司机",
        "company": "顺丰速运有限公司成都分公司",
        "location": "510100",
        "description": "",
    },
    "full width": {
        "title": "ＷＭＳ操作员【双休】３名",
        "company": "ＡＢＣ物流（成都）有限公司",
        "location": "",
        "description": "熟练使用ＷＭＳ系统　１、收货；２、上架。Ｅｘｃｅｌ＿函数，薪资８０００元／月！",
    },
    "html": {
        "title": "<b>报关员</b>",
        "company": "示例国际货运代理有限公司",
        "location": "510100",
        "description": "<p>岗位职责：</p><ul><li>报关单申报&amp;HS归类</li>"
        "<li>单一窗口&nbsp;操作</li></ul>",
    },
    "short": {
        "title": "理货员",
        "company": "京东物流",
        "location": "500112",
        "description": "理货。",
    },
    "five chars": {
        "title": "叉车工",
        "company": "京东物流",
        "location": "500112",
        "description": "叉车 操作员",
    },
    "emoji and extension B": {
        "title": "快递员😊",
        "company": "𠀀物流",
        "location": "510100",
        "description": "快递派送😊，多劳多得𠀀𠀁；日结💰工资",
    },
    "greek sigma": {
        "title": "ΟΔΗΓΟΣ",
        "company": "ΣΑΣ Logistics",
        "location": "",
        "description": "ΟΔΟΣ ΣΑΣ Σ σ ς ΣΑΣ. ΟΔΗΓΟΣ φορτηγού",
    },
    "dotted capital i and sharp s": {
        "title": "İstanbul Straße",
        "company": "İKEA",
        "location": "",
        "description": "İSTANBUL Straße ǅ ﬁ Ⅻ ① ² KELVIN",
    },
    "punctuation only": {
        "title": "-",
        "company": "-",
        "location": "-",
        "description": "—— ！！！ ……  ＿＿ __",
    },
    "long names": {
        "title": LONG_TITLE * 3,
        "company": "示例·四川省成都市天府新区国际多式联运与冷链物流供应链管理服务股份有限公司成都双流分公司",
        "location": "510116",
        "description": "负责项目整体规划。",
    },
}
PINNED = [  # (case, content_hash, block_key, fingerprint)
    ("chinese", "b5521b66a2e4ae37b5eb0b14ac3fe81e", "示例成都物流|仓库管理员|510100", 0xF3F6366AD5D548A2),
    ("english", "a0e44ac974400e3f546c65faba0168af", "costco|warehousesupervisor|chengdu", 0x2E87E0E53492B8E1),
    ("mixed", "875dfc5efb2a145993e400431be99cf3", "示例重庆和信跨境电子商务|跨境电商运营|500000", 0x0286286690461D6F),
    ("empty description", "92a9c07e3b12b7b78c0c7132cd22a962", "顺丰速运|司机|510100", 0),
    ("full width", "e53a26a5aebcc6d3b159acaa3fe317f2", "abc物流|wms操作员", 0x7D00056BCED71D2A),
    ("html", "f0808ba734c3d766a13753092ed41ee3", "示例国际货运代理|报关员|510100", 0x8E371A98E854B028),
    ("short", "ebe48a97ee6373793c13570622b944d9", "京东物流|理货员|500112", 0x4C8949FF75C19BA9),
    ("five chars", "f7dcb3669bc6b6691a6731d5842d1d35", "京东物流|叉车工|500112", 0x50D240FE477963F6),
    ("emoji and extension B", "936bd43c141755c09a70e4e4a195615a", "𠀀物流|快递员|510100", 0x62651B2D9F41923F),
    ("greek sigma", "9ded172324a8ee6c86a69c16c5c41f06", "σαςlogistics|οδηγος", 0x991CF5FB0A9E2816),
    ("dotted capital i and sharp s", "e5c10e8582d39bd414e41a14c322dee1", "ikea|istanbulstraße", 0xDD42222CE58FC517),
    ("punctuation only", "e786acca5fb91cb03278ed182c3df502", "||", 0),
    (
        "long names",
        "dee43614e454270db00f2f77e79ccf34",
        "示例四川省成都市天府新区国际多式联运与冷链物流供应链管理服务|"
        "高级国际物流与供应链管理解决方案架构师兼跨境电商海外仓运营总监"
        "高级国际物流与供应链管理解决方案架构师兼跨~58a709abc3d2e7df",
        0x5A5E533C66F46EB3,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("case", "digest", "block", "print_"), PINNED, ids=[p[0] for p in PINNED])
def test_posting_keys_are_pinned(case: str, digest: str, block: str, print_: int) -> None:
    fields = CASES[case]
    keys = posting_keys(**fields)
    assert (keys.content_hash, keys.block_key, keys.fingerprint) == (digest, block, print_)
    # The one-key functions give the same keys.
    assert content_hash(**fields) == digest
    assert (
        block_key(company=fields["company"], title=fields["title"], location=fields["location"])
        == block
    )
    assert fingerprint(fields["description"]) == print_


@pytest.mark.parametrize(
    ("case", "normalized"),
    [
        ("full width", "熟练使用wms系统1收货2上架excel函数薪资8000元月"),
        ("greek sigma", "οδοςσαςσσςσαςοδηγοςφορτηγού"),  # Σ lowercased by its neighbours
        ("dotted capital i and sharp s", "istanbulstraßeǆﬁⅻ①²kelvin"),
        ("emoji and extension B", "快递派送多劳多得𠀀𠀁日结工资"),
        ("punctuation only", ""),
    ],
)
def test_normalize_for_hash_is_pinned(case: str, normalized: str) -> None:
    assert normalize_for_hash(CASES[case]["description"]) == normalized


def test_simhash_is_pinned() -> None:
    assert simhash(LONG_ZH) == 0xF49020D06680AFAF
    assert simhash(CASES["english"]["description"], bits=32) == 0x114EA33D


# --- the implementation the keys were defined with ----------------------------------

_REF_NOT_WORD = re.compile(r"[\W_]+")
_REF_WIDE_ALNUM = re.compile(r"[\uff10-\uff19\uff41-\uff5a]")
_U64 = np.uint64


def _reference_normalize(text: str) -> str:
    if not text:
        return ""
    kept = _REF_NOT_WORD.sub("", strip_html(text).lower())
    return _REF_WIDE_ALNUM.sub(lambda m: chr(ord(m.group()) - 0xFEE0), kept)


def _reference_shingles(normalized: str, size: int) -> npt.NDArray[np.uint64]:
    codes = np.frombuffer(normalized.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    width = min(size, codes.shape[0])
    count = codes.shape[0] - width + 1
    z = codes[:count].copy()
    for offset in range(1, width):
        z *= _U64(0x100000001B3)
        z ^= codes[offset : count + offset]
    z += _U64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _U64(27))) * _U64(0x94D049BB133111EB)
    return z ^ (z >> _U64(31))


def _reference_fingerprint(text: str) -> int:
    normalized = _reference_normalize(text)
    if not normalized:
        return 0
    bin_index = np.arange(64, dtype=np.int64)
    hashes = np.sort(_reference_shingles(normalized, 6))
    starts = np.searchsorted(hashes, bin_index.astype(np.uint64) << _U64(58))
    ends = np.append(starts[1:], hashes.shape[0])
    filled = np.flatnonzero(starts < ends)
    source = filled[np.searchsorted(filled, bin_index) % filled.shape[0]]
    offset = ((source - bin_index) % 64).astype(np.uint64)
    minima = (hashes[starts[source]] ^ (offset * _U64(0x94D049BB133111EB))) * _U64(
        0xBF58476D1CE4E5B9
    )
    bits = (minima >> _U64(63)).astype(np.uint8)
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def _reference_content_hash(fields: dict[str, str]) -> str:
    parts = (fields[name] for name in ("title", "company", "location", "description"))
    joined = "\x1f".join(map(_reference_normalize, parts))
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=16).hexdigest()


def test_the_reference_computes_the_pinned_keys() -> None:
    for case, digest, _block, print_ in PINNED:
        assert _reference_content_hash(CASES[case]) == digest, case
        assert _reference_fingerprint(CASES[case]["description"]) == print_, case


# --- the fast paths agree with the reference ---------------------------------------------

_EVERY_BMP = "".join(map(chr, range(0x10000)))

INTERESTING = (
    "仓库管理员负责入库出库盘点叉车证报关单一窗口熟悉",
    "，。；：！？、（）【】《》“”‘’——……·　",
    "０１２３４５６７８９ＡＢＣＸＹＺａｂｃｘｙｚ＿－／％＆＠＋",
    "abcXYZ019_-/ .,;:!?&<>#%\t\n\r\x00",
    "ΣσςΑΩİıßǅǄﬁⅫⅻ①²³½ÀàÉé\u0307\u00a0\u2028",
    "😊💰𠀀𠀁𝐀𝟘",
    "&amp;&lt;&#20013;<p><br/>",
)


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(st.sampled_from("".join(INTERESTING)), st.characters()),
        max_size=120,
    )
)
def test_normalization_and_fingerprint_agree_with_the_reference(text: str) -> None:
    assert normalize_for_hash(text) == _reference_normalize(text)
    assert fingerprint(text) == _reference_fingerprint(text)


@pytest.mark.parametrize("length", [1, 2, 5, 6, 7, 8, 20, 63, 64, 65, 69, 70, 100, 300, 2000])
def test_fingerprints_of_every_length_agree_with_the_reference(length: int) -> None:
    # Few shingles leave most of the 64 bins empty: densification borrows across the end.
    text = _EVERY_BMP[0x4E00 : 0x4E00 + length]
    assert fingerprint(text) == _reference_fingerprint(text)
    assert fingerprint(text * 3) == _reference_fingerprint(text * 3)


def test_every_bmp_character_normalizes_as_the_reference() -> None:
    every = _EVERY_BMP.replace("Σ", "")  # Σ alone would send the text down the fallback
    assert normalize_for_hash(every) == _reference_normalize(every)
    one_by_one = [normalize_for_hash(ch) for ch in _EVERY_BMP]
    assert one_by_one == [_reference_normalize(ch) for ch in _EVERY_BMP]


def test_lone_surrogates_are_dropped_as_before() -> None:
    text = "仓库\ud800管理\udfff员"
    assert normalize_for_hash(text) == _reference_normalize(text) == "仓库管理员"
    assert fingerprint(text) == _reference_fingerprint(text)


def test_lowercase_depends_on_neighbours_only_for_capital_sigma() -> None:
    # The table lowercases one character at a time; str.lower() is context-free except Σ.
    every = _EVERY_BMP.replace("Σ", "")
    for before, after in (("A", "a"), ("a", "A"), ("\u0307", " "), ("1", "")):
        assert (before + every + after).lower() == "".join(
            ch.lower() for ch in before + every + after
        )
