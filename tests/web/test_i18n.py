"""Message catalogs: same keys in both languages, every template key exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from talentbridge.accounts.passwords import ALL_DIGITS, SAME_AS_USERNAME, TOO_SHORT
from talentbridge.accounts.policy import AREAS
from talentbridge.accounts.roles import OrgKind, Role
from talentbridge.web.i18n import choose_locale, load_catalogs, translate
from talentbridge.web.rendering import TEMPLATE_DIR

KEY_IN_TEMPLATE = re.compile(r"""\bt\(\s*['"]([^'"]+)['"]""")


def test_both_catalogs_have_exactly_the_same_keys() -> None:
    catalogs = load_catalogs()
    assert set(catalogs["zh"]) == set(catalogs["en"])
    assert len(catalogs["zh"]) > 50


def test_every_key_used_in_templates_exists() -> None:
    keys = set(load_catalogs()["zh"])
    used: set[str] = set()
    for template in TEMPLATE_DIR.rglob("*.html"):
        used |= {
            k
            for k in KEY_IN_TEMPLATE.findall(template.read_text("utf-8"))
            if not k.endswith((".", "_"))
        }
    assert used, "no keys found: the pattern is wrong"
    assert used - keys == set()


def test_keys_built_from_names_exist() -> None:
    keys = set(load_catalogs()["en"])
    dynamic = (
        {f"role.{r.value}" for r in Role}
        | {f"org_kind.{k.value}" for k in OrgKind}
        | {f"area.{a}.{part}" for a in AREAS for part in ("title", "summary", "later")}
        | {f"level.{lv}" for lv in ("secondary", "associate", "bachelor")}
        | {f"password.{p}" for p in (TOO_SHORT, ALL_DIGITS, SAME_AS_USERNAME)}
        | {
            f"error.{kind}_{s}"
            for kind in ("title", "text")
            for s in (400, 401, 403, 404, 405, 409, 500)
        }
    )
    assert dynamic - keys == set()


def test_templates_hold_no_chinese_literals() -> None:
    han = re.compile(r"[\u4e00-\u9fff]")
    for template in TEMPLATE_DIR.rglob("*.html"):
        assert not han.search(template.read_text("utf-8")), template.name


def test_translate_formats_parameters_and_falls_back_to_the_key() -> None:
    catalogs = load_catalogs()
    assert translate(catalogs, "zh", "home.welcome", name="李雷") == "欢迎，李雷"
    assert translate(catalogs, "en", "home.welcome", name="Li Lei") == "Welcome, Li Lei"
    assert translate(catalogs, "en", "no.such.key") == "no.such.key"


@pytest.mark.parametrize(
    ("query", "chosen", "pref", "accept", "expected"),
    [
        ("en", "zh", "zh", None, "en"),
        (None, "en", "zh", "zh-CN", "en"),
        (None, None, "en", "zh-CN", "en"),
        (None, None, None, "en-GB,en;q=0.8", "en"),
        (None, None, None, "fr-FR, zh;q=0.4, en;q=0.2", "zh"),
        (None, None, None, None, "zh"),
        ("xx", None, None, "de", "zh"),
    ],
)
def test_locale_choice_order(
    query: str | None, chosen: str | None, pref: str | None, accept: str | None, expected: str
) -> None:
    assert (
        choose_locale(
            query=query, chosen=chosen, user_preference=pref, accept_language=accept, default="zh"
        )
        == expected
    )


def test_a_catalog_split_by_area_is_merged_and_a_repeated_key_refused(tmp_path: Path) -> None:
    for locale in ("zh", "en"):
        (tmp_path / f"{locale}.toml").write_text('[home]\ntitle = "x"\n', "utf-8")
        (tmp_path / f"{locale}.library.toml").write_text('[library]\ntitle = "y"\n', "utf-8")
    merged = load_catalogs.__wrapped__(tmp_path)
    assert merged["zh"] == {"home.title": "x", "library.title": "y"}
    (tmp_path / "en.more.toml").write_text('[library]\ntitle = "z"\n', "utf-8")
    with pytest.raises(ValueError, match=r"en\.more\.toml: keys already defined: library\.title"):
        load_catalogs.__wrapped__(tmp_path)
