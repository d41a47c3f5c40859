"""Compliance check at intake: discriminatory requirements stated in a posting.

``check_posting(text)`` returns one ``ComplianceFlag`` per phrase found, with its span
in ``text`` (``text[flag.start:flag.end] == flag.phrase``), the rule it conflicts with
and the law. Postings are flagged, never dropped.

Rules (``RULES`` holds the labels and law text for reports):

- ``gender``: 限男性, 仅限女性, 男性优先, 女士优先, 只招男生, 女生勿扰, male only …
- ``age``: 年龄35岁以下, 18-30岁, 年龄不超过40, under 35 … (a bare minimum age of
  16–18, 年满18周岁, is the lawful working age and is not flagged)
- ``marriage_childbirth``: 已婚已育优先, 未婚, 已育, 婚育, 近两年无生育计划 …
- ``hukou``: 本地户口, 限本地户籍, 本市户口, 非农户口, 成都户口 …
- ``native_place``: 限河南籍, 不招东北人, 四川籍优先, 只招本地人 …
- ``ethnicity``: 限汉族, 汉族优先, 不招少数民族, 民族限制 …
- ``health``: 乙肝, 乙肝携带者勿扰, 需体检无乙肝, 病毒携带者, HIV … A 健康证 (health
  certificate, lawfully required for food and cold-chain work), 身体健康 and 体检合格
  are not flagged.

Not flagged: 男女不限, 性别不限, 年龄不限, 不限户籍, 户籍不限, 解决户口/落户 (a benefit),
欢迎应届, 健康证, 有驾照.

Speed: every rule has cheap keyword triggers, tested before its regexes run, and all
regexes are compiled once at import; a posting with no trigger at all costs one search of
one combined trigger regex (and the 人 test of ``native_place``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

EPL = "《中华人民共和国就业促进法》"
EPL_EN = "Employment Promotion Law of the PRC"
WRPL = "《中华人民共和国妇女权益保障法》(2022)"
WRPL_EN = "Law on the Protection of Women's Rights and Interests (2022)"


@dataclass(frozen=True)
class ComplianceFlag:
    rule: str
    phrase: str
    start: int
    end: int
    law: str
    explanation_zh: str
    explanation_en: str


@dataclass(frozen=True)
class RuleInfo:
    """What a rule is about and which law it rests on, for reports and the UI."""

    code: str
    label_zh: str
    label_en: str
    law_zh: str
    law_en: str
    explanation_zh: str
    explanation_en: str

    @property
    def law(self) -> str:
        return f"{self.law_zh} / {self.law_en}"


RULES: dict[str, RuleInfo] = {
    info.code: info
    for info in (
        RuleInfo(
            "gender",
            "性别歧视",
            "Gender",
            f"{EPL}第三条、第二十七条；{WRPL}第四十三条",
            f"{EPL_EN}, arts. 3 and 27; {WRPL_EN}, art. 43",
            "招聘不得以性别为由拒绝录用或提高录用标准（国家规定不适合妇女的工种或岗位除外）。",
            "Employers may not refuse or raise the bar for a candidate because of sex, "
            "except for jobs the state rules unsuitable for women.",
        ),
        RuleInfo(
            "age",
            "年龄限制",
            "Age",
            f"{EPL}第三条、第二十六条",
            f"{EPL_EN}, arts. 3 and 26",
            "用人单位应当提供平等的就业机会和公平的就业条件；与岗位无关的年龄上限属于就业歧视。",
            "Employers must offer equal opportunity and fair conditions; an age limit "
            "unrelated to the job is employment discrimination.",
        ),
        RuleInfo(
            "marriage_childbirth",
            "婚育限制",
            "Marriage or childbirth",
            f"{WRPL}第四十三条；{EPL}第二十七条",
            f"{WRPL_EN}, art. 43; {EPL_EN}, art. 27",
            "招聘不得询问或调查女性求职者的婚育情况，不得将限制结婚、生育或婚姻、生育状况作为录用条件。",
            "Employers may not ask about marriage or childbirth, nor make marital or "
            "childbearing status, or a promise not to marry or have children, a hiring condition.",
        ),
        RuleInfo(
            "hukou",
            "户籍限制",
            "Hukou (household registration)",
            f"{EPL}第三条、第二十六条、第三十一条",
            f"{EPL_EN}, arts. 3, 26 and 31",
            "劳动者依法享有平等就业权，不得对户籍（包括农村户口）设置歧视性限制。",
            "Workers have an equal right to employment; hukou, including rural hukou, may "
            "not be made a discriminatory condition.",
        ),
        RuleInfo(
            "native_place",
            "地域歧视",
            "Native place",
            f"{EPL}第三条、第二十六条",
            f"{EPL_EN}, arts. 3 and 26",
            "以籍贯、出生地限制或排除求职者属于就业歧视。",
            "Restricting or excluding candidates by native place or origin is employment "
            "discrimination.",
        ),
        RuleInfo(
            "ethnicity",
            "民族歧视",
            "Ethnicity",
            f"{EPL}第三条、第二十八条",
            f"{EPL_EN}, arts. 3 and 28",
            "各民族劳动者享有平等的劳动权利，招聘不得因民族不同而歧视。",
            "Workers of every ethnic group have equal rights; employers may not "
            "discriminate by ethnicity.",
        ),
        RuleInfo(
            "health",
            "健康状况歧视",
            "Health condition",
            f"{EPL}第三条、第三十条",
            f"{EPL_EN}, arts. 3 and 30",
            "不得以传染病病原携带者（如乙肝表面抗原携带者）为由拒绝录用，"
            "法律、行政法规和国务院卫生行政部门规定禁止从事的工作除外；健康证要求不在此列。",
            "Carriers of infectious-disease pathogens such as hepatitis B may not be "
            "refused, except for work the law bars them from; a health certificate "
            "(健康证) requirement is not affected.",
        ),
    )
}

# --- patterns -------------------------------------------------------------------

_CJK = "\u4e00-\u9fff"
_PROVINCES = (
    "北京|天津|河北|山西|内蒙古?|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|"
    "湖北|湖南|广东|广西|海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门|台湾|"
    "东北|潮汕|温州|外地|外省|本地|当地|本省|本市|农村"
)
# The last characters of the places above: "X人" is a cheap trigger for native place.
_PLACE_LAST = frozenset(name.rstrip("?")[-1] for name in _PROVINCES.split("|"))


def _place_person(text: str) -> bool:
    """Whether a place name's last character stands right before 人 (河南人, 本地人)."""
    at = text.find("人", 1)
    while at > 0:
        if text[at - 1] in _PLACE_LAST:
            return True
        at = text.find("人", at + 1)
    return False


def _never(_: str) -> bool:
    return False


_ETHNIC = (
    "少数民族|维吾尔族?|维族|藏族|回族|彝族|蒙古族|蒙族|壮族|苗族|土家族|羌族|满族|朝鲜族|"
    "哈萨克族|傣族|侗族|瑶族|白族|布依族|黎族|傈僳族|佤族|畲族"
)
_REFUSE = "不招|不要|不收|不录用|不予录用|不接受|谢绝|拒绝|拒收|排除"
_DETER = "勿扰|免谈|慎投|请勿投递|勿投|不要|不予?录用|不考虑|除外|谢绝|不收"
_ONLY = "仅限|只限|限于|只招|仅招|只要|只收|要求|须为|需为|必须是|必须为|必须|限"
_DIGITS = r"[0-9０-９]{2}"
_DASH = r"\s*(?:-|－|~|～|—|–|一|至|到)\s*"
_OR_EQUAL = r"及|或|\(含\)|（含）"
_YEARS = r"周?岁"
_NOT_CHILDREN = r"(?!\s*(?:的)?(?:儿童|孩子|幼儿|少儿|青少年|学生|学员|小朋友|宝宝))"

_NOT_BOTH = r"(?![\s,，、/和或及]*(?:[女男]|不限|均可|皆可|无要求))"
_NO_BENEFIT = r"(?<!解决)(?<!办理)(?<!协助)(?<!可落)(?<!帮助)(?<!提供)"
_Validator = Callable[[str], bool]


def _always(_: str) -> bool:
    return True


_NUMBER = re.compile(r"[0-9０-９]+")


def _age_is_a_limit(phrase: str) -> bool:
    """A bare minimum age of 16–18 (the lawful working age) is not a limit; ages of
    children (3-6岁) are not about the candidate."""
    numbers = [int(n) for n in _NUMBER.findall(phrase)]
    if not numbers:
        return False
    if any(n < 16 or n > 70 for n in numbers):
        return False
    upper = ("以下", "以内", "不超过", "不大于", "不高于", "小于", "低于", "不超", "under", "below")
    # 年满18周岁, 18岁以上: the lawful minimum working age is not a limit
    return not (
        len(numbers) == 1 and numbers[0] <= 18 and not any(w in phrase.lower() for w in upper)
    )


@dataclass(frozen=True)
class _Rule:
    code: str
    triggers: tuple[str, ...]  # lower-case substrings; the regexes run only if one occurs
    patterns: tuple[re.Pattern[str], ...]
    valid: _Validator = _always
    also_triggered: _Validator = _never  # a further, cheaper-than-substrings trigger


def _compile(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


_RULES: tuple[_Rule, ...] = (
    _Rule(
        "gender",
        ("男", "女", "male", "women", "men only", "only men", "gender", "a man"),
        _compile(
            rf"(?<![不无有])(?:{_ONLY})(?:招聘?|招收|录用)?(?:男|女)(?:性|生|士|的)?{_NOT_BOTH}",
            r"(?<![男女子儿妇])(?:男|女)(?:性|生|士)?(?:者|员工|同事)?(?:优先|为主|更佳|更好)",
            rf"(?:{_REFUSE})(?:男|女)(?:性|生|士|的)?{_NOT_BOTH}",
            rf"(?<![男女子儿])(?:男|女)(?:性|生|士)?(?:{_DETER})",
            rf"性别\s*(?:要求)?\s*[:：]?\s*(?:要求\s*[:：]?\s*)?(?:限)?(?:男|女)(?:性|生)?{_NOT_BOTH}",
            r"\b(?:male|female|men|women)\s+only\b",
            r"\bonly\s+(?:male|female|men|women)\b",
            r"\b(?:male|female|men|women)\s+(?:candidates?|applicants?)?\s*(?:preferred|prioriti[sz]ed|first)\b",
            r"\bmust\s+be\s+(?:a\s+)?(?:male|female|man|woman)\b",
            r"\bgender\s*:\s*(?:male|female)\b(?!\s*(?:or|/|and)\b)",
        ),
    ),
    _Rule(
        "age",
        ("岁", "年龄", "aged", "age ", "age:", "under ", "below ", "younger", "older", "years old"),
        _compile(
            rf"(?<!平均)(?<!员工)(?<!团队)年龄\s*(?:要求)?\s*[:：]?\s*(?:要求)?\s*(?:在|为)?\s*(?:不超过|不大于|不高于|小于|低于|不超|≤|<|=<)?\s*{_DIGITS}\s*(?:{_YEARS})?(?:{_DASH}{_DIGITS}\s*(?:{_YEARS})?)?\s*(?:{_OR_EQUAL})?(?:以下|以内|以上|之间|左右|内)?",
            rf"{_DIGITS}{_DASH}{_DIGITS}\s*{_YEARS}(?:之间|以内)?{_NOT_CHILDREN}",
            rf"(?:不超过|不大于|不高于|小于|低于|未满|不满|不超)\s*{_DIGITS}\s*{_YEARS}",
            rf"{_DIGITS}\s*{_YEARS}\s*(?:{_OR_EQUAL})?(?:以下|以内|以上|之前|前)(?:的)?(?!儿童|孩子|幼儿|少儿|青少年|学生|学员|小朋友)",
            r"\b(?:aged?)\s*(?:between\s*)?\d{2}\s*(?:-|–|to|and)\s*\d{2}\b",
            r"\b(?:under|below|younger\s+than|no\s+older\s+than|not\s+older\s+than|not\s+over)\s+(?:the\s+age\s+of\s+)?\d{2}\b(?!\s*(?:hours?|minutes?|days?|months?|%|k\b|km|kg|people|persons|employees|staff|units?|orders?|rmb|yuan|cny|usd|per\s+cent|percent))",
            r"\bage\s*(?:limit|requirement|range)?\s*[:：]?\s*(?:under|below|<|≤|up\s+to|max(?:imum)?)?\s*\d{2}(?:\s*(?:-|–|to)\s*\d{2})?\b",
            r"\b\d{2}\s*(?:-|–|to)\s*\d{2}\s*years?\s*old\b",
        ),
        _age_is_a_limit,
    ),
    _Rule(
        "marriage_childbirth",
        (
            "婚",
            "孕",
            "生育",
            "要孩子",
            "生孩子",
            "小孩",
            "哺乳",
            "已育",
            "未育",
            "married",
            "pregnan",
            "children",
            "kids",
            "baby",
            "marital",
        ),
        _compile(
            r"已婚(?:已育|未育)?(?:优先|者优先)?",
            r"未婚(?:未育)?(?:优先|者优先)?",
            r"(?<!婚)(?:已育|未育)(?:优先|者优先)?",
            r"婚育(?:情况|状况|状态|要求)?(?!假|礼金|补贴|福利|津贴|奖励|慰问)",
            r"婚姻状况",
            r"(?:[一二两三四五\d]年内|近期|暂时?|短期内)?(?:无|没有|不考虑|不打算|不准备|不计划)(?:生育|怀孕|生孩子|要孩子|生小孩|要小孩)(?:计划|打算)?",
            rf"(?:{_REFUSE})(?:孕妇|孕期|哺乳期)(?:女性|人员|妇女)?",
            r"(?:孕妇|孕期|哺乳期)(?:女性|人员)?(?:勿扰|免谈|慎投|不要|除外)",
            r"\b(?:married|unmarried|single)\s+(?:only|preferred|candidates?\s+(?:only|preferred))\b",
            r"\bno\s+(?:plans?\s+(?:for|to\s+have)\s+)(?:children|kids|a\s+baby|pregnancy)\b",
            r"\bnot\s+(?:be\s+)?pregnant\b",
            r"\bmarital\s+status\b",
        ),
    ),
    _Rule(
        "hukou",
        ("户口", "户籍", "hukou", "household registration", "residence permit", "residents only"),
        _compile(
            rf"(?<!不限)(?<!无需)(?<!不需)(?<!不要求){_NO_BENEFIT}(?:本地|本市|本省|本区|当地|城镇|非农业?|农业|农村|城市)(?:常住)?(?:户口|户籍)(?!\s*不限|\s*均可|不作要求)",
            rf"(?<![不无有])(?:{_ONLY})(?:为|是|具有|具备|持有|有)?(?:(?!解决|办理|协助|落|迁|可|不)[{_CJK}]){{2,4}}?(?:户口|户籍)(?!\s*不限|\s*均可|不作要求)",
            r"(?:户口|户籍)\s*(?:要求)?\s*[:：]\s*(?:要求\s*)?(?:限|仅限|须为|需为)?(?!不限|均可|不作)[\u4e00-\u9fff]{2,4}",
            rf"{_NO_BENEFIT}(?<![落迁入])(?:成都|重庆|四川|北京|上海|天津|广州|深圳)(?:市|省)?(?:户口|户籍)(?!\s*不限|\s*均可|不作要求)(?:优先)?",
            r"\blocal\s+hukou\b",
            r"\b(?:local|urban)\s+(?:household\s+registration|residence\s+permit|residents?\s+only)\b",
            r"\bhukou\s+(?:required|only)\b",
        ),
    ),
    _Rule(
        "native_place",
        ("籍", "natives", "locals", "local candidates", "local people"),
        _compile(
            rf"(?<![不无有])(?:仅限|只限|只招|仅招|只要|限)[{_CJK}]{{1,3}}(?<![户国学党])籍(?:人员|人士)?",
            rf"(?:{_PROVINCES})籍(?:人员|人士)?优先",
            rf"(?:{_REFUSE})(?:{_PROVINCES})(?:籍)?(?:人士|人员|的人|求职者|人)",
            rf"(?<![不无有])(?:仅限|只限|只招|仅招|只要|限)(?:{_PROVINCES})(?:人士|人员|人)(?!员|事|才)",
            rf"(?:{_PROVINCES})(?:籍)?(?:人士|人)(?:优先|{_DETER})",
            r"籍贯\s*(?:要求|限制|[:：]\s*限)",
            r"\b(?:locals|local\s+(?:candidates|people|natives))\s+only\b",
            r"\bnatives?\s+of\s+\w+\s+(?:only|preferred)\b",
        ),
        also_triggered=_place_person,
    ),
    _Rule(
        "ethnicity",
        ("族", "维吾尔", "han ", "ethnic", "minorit"),
        _compile(
            rf"(?<![不无])(?:{_ONLY})汉族(?:人|人员)?",
            r"汉族(?:人|人员|员工)?(?:优先)",
            rf"(?:{_REFUSE})(?:{_ETHNIC})(?:人士|人员|员工|同胞|人)?",
            rf"(?:{_ETHNIC})(?:人士|人员|同胞|人)?(?:{_DETER})",
            r"民族\s*(?:要求|限制)(?!\s*[:：]?\s*(?:无|不限))",
            r"民族\s*[:：]\s*(?:限|仅限)?汉族?",
            r"非少数民族",
            r"\bhan\s+(?:chinese\s+)?(?:only|preferred)\b",
            r"\bno\s+(?:ethnic\s+)?minorit(?:y|ies)\b",
            r"\bethnicity\s*:\s*han\b",
        ),
    ),
    _Rule(
        "health",
        (
            "乙肝",
            "乙型肝炎",
            "三阳",
            "两对半",
            "hbv",
            "hbsag",
            "携带",
            "艾滋",
            "hepatitis",
            " hiv",
            "hiv ",
            "hiv阳",
            "hiv阴",
            "hiv携",
            "hiv感",
            "hiv病",
            "无hiv",
            "非hiv",
        ),  # not "archive"
        _compile(
            rf"(?:无|非|{_REFUSE})?(?:乙肝|乙型肝炎|大三阳|小三阳|两对半|HBsAg|HBV)(?!疫苗|防治|治疗|免疫|科)(?:五项)?(?:表面抗原)?(?:病毒)?(?:携带者?|患者|阳性|检查|检测)?(?:者)?(?:{_DETER})?",
            rf"(?:病毒|病原|传染病)(?:病原)?携带者?(?:{_DETER})?",
            rf"(?:无|非|{_REFUSE})(?:艾滋病|HIV)(?:病毒)?(?:携带者?|感染者|患者|阳性|阴性)?(?:{_DETER})?",
            rf"(?:艾滋病|HIV)(?:病毒)?(?:携带者?|感染者|患者|阳性|阴性)(?:{_DETER})?",
            r"\bno\s+(?:hepatitis[\s-]*b|hbv|hbsag|hiv)(?:\s+(?:carriers?|positive))?\b",
            r"\b(?:hepatitis[\s-]*b|hbv|hbsag|hiv)(?:\s+(?:carriers?|positive|negative|tests?|testing|screening))(?:\s+(?:not\s+accepted|need\s+not\s+apply|excluded|required))?\b",
        ),
    ),
)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping matches of one rule become one span (the union)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _any_literal(literals: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(literal) for literal in literals))


# One search over the lowered text tells whether any rule's trigger occurs at all (in
# generated postings, about 2% have one); only then is each rule's trigger tested.
_ANY_TRIGGER = _any_literal(tuple(trigger for rule in _RULES for trigger in rule.triggers))
_RULE_TRIGGERS = tuple(_any_literal(rule.triggers) for rule in _RULES)
_OTHER_TRIGGERS = tuple(rule.also_triggered for rule in _RULES if rule.also_triggered is not _never)


def check_posting(text: str) -> list[ComplianceFlag]:
    """Every discriminatory phrase in ``text``, in reading order."""
    if not text:
        return []
    lowered = text.lower()
    if _ANY_TRIGGER.search(lowered) is None and not any(
        triggered(text) for triggered in _OTHER_TRIGGERS
    ):
        return []
    flags: list[ComplianceFlag] = []
    for rule, triggers in zip(_RULES, _RULE_TRIGGERS, strict=True):
        if triggers.search(lowered) is None and not rule.also_triggered(text):
            continue
        spans = [
            match.span()
            for pattern in rule.patterns
            for match in pattern.finditer(text)
            if match.end() > match.start() and rule.valid(match.group())
        ]
        info = RULES[rule.code]
        for start, end in _merge(spans):
            phrase = text[start:end].strip()
            if not phrase:
                continue
            offset = text.index(phrase, start)
            flags.append(
                ComplianceFlag(
                    rule=rule.code,
                    phrase=phrase,
                    start=offset,
                    end=offset + len(phrase),
                    law=info.law,
                    explanation_zh=info.explanation_zh,
                    explanation_en=info.explanation_en,
                )
            )
    flags.sort(key=lambda f: (f.start, f.end, f.rule))
    return flags
