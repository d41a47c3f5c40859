from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.pipeline import clean
from talentbridge.pipeline.clean import (
    clean_text,
    collapse_whitespace,
    split_sections,
    strip_html,
    to_half_width,
    to_simplified,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＷＭＳ　系统", "WMS 系统"),
        ("ＣＥＴ－４", "CET-4"),
        ("８－１２Ｋ", "8-12K"),
        ("熟悉Excel，", "熟悉Excel,"),
    ],
)
def test_full_width_forms_become_half_width(text: str, expected: str) -> None:
    assert to_half_width(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("報關員", "报关员"),
        ("倉儲管理", "仓储管理"),
        ("國際貨運代理", "国际货运代理"),
        ("Excel", "Excel"),
    ],
)
def test_traditional_characters_become_simplified(text: str, expected: str) -> None:
    assert to_simplified(text) == expected


def test_html_is_stripped_and_blocks_become_lines() -> None:
    text = "<p>岗位职责：</p><ul><li>负责报关&amp;报检</li><li>熟悉<b>WMS</b></li></ul><script>x()</script>"
    assert clean_text(text) == "岗位职责:\n负责报关&报检\n熟悉WMS"
    assert strip_html("no tags here < 5") == "no tags here < 5"


def test_clean_text_handles_empty_input() -> None:
    assert clean_text(None) == ""
    assert clean_text("   \n\t ") == ""


def test_boilerplate_is_separated_from_requirements() -> None:
    text = (
        "岗位职责：1、负责进出口货物的报关报检工作；2、熟悉HS归类和单一窗口操作。"
        "任职要求：大专及以上学历，持有1+X物流管理证书者优先。"
        "福利待遇：五险一金，带薪年假，节日福利。"
        "公司简介：我们是一家成立于2008年的国际货运代理公司，总部位于成都。"
    )
    sections = split_sections(clean_text(text))
    assert "报关报检" in sections.requirements
    assert "单一窗口" in sections.requirements
    assert "1+X物流管理" in sections.requirements
    assert "五险一金" in sections.benefits and "五险一金" not in sections.requirements
    assert "成立于2008年" in sections.company and "成立于" not in sections.requirements


@given(st.text(max_size=200))
def test_cleaning_never_raises_and_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once or "<" in text or "&" in text
    split_sections(once)


# --- fast paths against the plain definitions ---------------------------------------
#
# ``split_sections``, ``strip_html``, ``collapse_whitespace`` and ``to_half_width`` take
# shortcuts (pieces in C, only pieces with a cue looked at, tags without the parser,
# replacements without a search). Each is checked here against the plain definition it
# must equal, on texts made of the things the shortcuts depend on.


def _reference_sections(text: str) -> tuple[str, str, str]:
    """``split_sections`` as defined: every piece of ``_SENTENCE_SPLIT`` looked at."""
    buckets: dict[str, list[str]] = {"requirements": [], "company": [], "benefits": []}
    heading: str | None = None
    for piece in clean._SENTENCE_SPLIT.split(text):
        sentence = piece.strip()
        if not sentence:
            continue
        bare = sentence.rstrip(":：")
        head = bare.lower() if len(bare) <= 8 else bare
        if len(head) <= 8:
            if any(cue in head for cue in clean._COMPANY_HEADINGS):
                heading = "company"
                continue
            if any(cue in head for cue in clean._BENEFIT_HEADINGS):
                heading = "benefits"
                continue
            if any(cue in head for cue in clean._REQUIREMENT_HEADINGS):
                heading = None
        kind = clean._kind(sentence)
        if (
            heading is not None
            and kind == "requirements"
            and not any(cue in sentence for cue in clean._STAY_REQUIREMENTS)
        ):
            kind = heading
        buckets[kind].append(sentence)
    return (
        "".join(buckets["requirements"]),
        "".join(buckets["company"]),
        "".join(buckets["benefits"]),
    )


_SECTION_ATOMS = st.sampled_from(
    [
        *"。；;!！?？\n、.)）:： 1290abXİΣ熟",
        *clean._BENEFIT_CUES,
        *clean._COMPANY_CUES,
        *clean._REQUIREMENT_CUES,
        *clean._COMPANY_HEADINGS,
        *clean._BENEFIT_HEADINGS,
        *clean._REQUIREMENT_HEADINGS,
        "ABOUT US",
        "Benefits",
        "福利待遇:\n",
        "\n公司简介\n",
        "任职要求:\n",
        "\n1、",
        " 2. ",
        "3)",
        "1.5",
        "12、",
        "负责报关单证",
        "٣、",  # other decimal digits, also beyond U+FFFF
        "３.",
        "𝟑)",
        "𑁦）",
    ]
)


@given(st.lists(_SECTION_ATOMS | st.characters(), max_size=60).map("".join))
def test_split_sections_equals_its_sentence_by_sentence_definition(text: str) -> None:
    sections = split_sections(text)
    assert (sections.requirements, sections.company, sections.benefits) == (
        _reference_sections(text)
    )
    pieces = (piece.strip() for piece in clean._SENTENCE_SPLIT.split(text))
    assert clean._sentences(text) == [piece for piece in pieces if piece]


def test_enumerators_with_any_decimal_digit_start_a_sentence() -> None:
    text = "职责:𝟑)报关٣、订舱१.仓储1.5吨"
    assert clean._sentences(text) == ["职责:", "𝟑)报关", "٣、订舱", "१.仓储1.5吨"]
    assert clean._sentences(text) == [p.strip() for p in clean._SENTENCE_SPLIT.split(text)]


def test_split_sections_headings_switch_and_reset_the_section() -> None:
    text = "岗位职责:\n负责订舱;\n福利待遇:\n双休\n免费班车\n熟悉报关者优先\n任职要求:\n大专"
    sections = split_sections(text)
    assert sections.benefits == "双休免费班车"
    assert sections.requirements == "岗位职责:负责订舱;熟悉报关者优先任职要求:大专"
    assert (sections.requirements, sections.company, sections.benefits) == (
        _reference_sections(text)
    )


_HTML_ATOMS = st.sampled_from(
    [
        "<p>", "</p>", "<P>", "</Li>", "<br>", "<ul>", "<b>", "</span>", "<x>", "</x>",
        "<script>", "</script>", "<style>", "<title>", "<br/>", "<br />", "< p>", "</ p>",
        "<p class=a>", "<!-- c -->", "<!x>", "<?pi>", "<", ">", "</", "<1>",
        "&amp;", "&lt;", "&#60;", "&#x3c;", "&amp;lt;", "&", ";", "&nbsp;", "&copy",
        "报关", "a b", "\n", "　", "，",
    ]
)  # fmt: skip


@given(st.lists(_HTML_ATOMS | st.characters(), max_size=30).map("".join))
def test_plain_tags_are_stripped_as_the_parser_strips_them(text: str) -> None:
    plain = clean._strip_plain_html(text)
    if plain is not None:
        assert plain == clean._strip_html_parsed(text)
    if "<" not in text and "&" not in text:
        assert strip_html(text) == text


def test_only_plain_tags_of_known_elements_skip_the_parser() -> None:
    assert (
        clean._strip_plain_html("<p>报关&amp;报检</p><LI>熟悉WMS</LI>")
        == "\n报关&报检\n\n熟悉WMS\n"
    )
    assert clean._strip_plain_html("<p>a</p><script>x()</script>") is None
    assert clean._strip_plain_html('<p class="x">a</p>') is None
    assert clean._strip_plain_html("<p>1 < 2</p>") is None


_SPACE_ATOMS = st.sampled_from(
    [" ", "  ", "\t", "\r", "\f", "\v", "\u00a0", "\u3000", "\n", "a", "报"]
)


@given(st.lists(_SPACE_ATOMS | st.characters(), max_size=40).map("".join))
def test_collapse_whitespace_equals_its_definition(text: str) -> None:
    lines = (line.strip() for line in clean._SPACES.sub(" ", text).split("\n"))
    assert collapse_whitespace(text) == "\n".join(line for line in lines if line)


@given(st.text(alphabet=st.sampled_from("，；：（）ＷＭＳ　１２！～a报 ") | st.characters()))
def test_half_width_replaces_every_full_width_form(text: str) -> None:
    assert to_half_width(text) == text.translate(clean._FULL_TO_HALF)


class _RecordingConverter:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self._opencc = clean._t2s()

    def convert(self, text: str) -> str:
        self.texts.append(text)
        return self._opencc.convert(text)


def test_only_texts_with_a_traditional_trigger_go_through_opencc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder = _RecordingConverter()
    monkeypatch.setattr(clean, "_t2s", lambda: recorder)
    assert to_simplified("熟悉报关与HS归类，沈阳仓储") == "熟悉报关与HS归类，沈阳仓储"
    assert to_simplified("熟悉报关与HS归类") == "熟悉报关与HS归类"
    assert recorder.texts == ["熟悉报关与HS归类，沈阳仓储"]  # 沈 may be part of 深沈
    assert to_simplified("報關員") == "报关员"
    assert to_simplified("及時回覆客戶") == "及时回复客户"
    assert to_simplified("深沈") == "深沉"  # no character changes on its own
    assert to_simplified("覆盖") == "覆盖"
    assert recorder.texts[1:] == ["報關員", "及時回覆客戶", "深沈", "覆盖"]


def test_without_a_list_for_the_installed_opencc_every_text_is_converted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder = _RecordingConverter()
    monkeypatch.setattr(clean, "_t2s", lambda: recorder)
    monkeypatch.setattr(clean, "_t2s_triggers", lambda: None)
    assert to_simplified("熟悉报关") == "熟悉报关"
    assert to_simplified("報關") == "报关"
    assert recorder.texts == ["熟悉报关", "報關"]
