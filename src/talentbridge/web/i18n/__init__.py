"""Message catalogs (``zh.toml``, ``en.toml``) and locale negotiation.

A locale's catalog may be split by area: ``zh.toml`` plus ``zh.<area>.toml`` files
(e.g. ``zh.library.toml``); a key defined in two files of one locale is an error.

Catalogs are nested TOML tables flattened to dotted keys (``login.title``). Messages
are ``str.format`` templates: ``t("home.welcome", name="李雷")``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Protocol

LOCALES: tuple[str, ...] = ("zh", "en")
CATALOG_DIR = Path(__file__).parent

Catalogs = Mapping[str, Mapping[str, str]]


class Translator(Protocol):
    def __call__(self, key: str, /, **params: object) -> str: ...


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = str(value)
    return flat


@cache
def load_catalogs(directory: Path = CATALOG_DIR) -> dict[str, dict[str, str]]:
    """Every locale's catalog, read once per process."""
    catalogs: dict[str, dict[str, str]] = {}
    for locale in LOCALES:
        merged: dict[str, str] = {}
        paths = [directory / f"{locale}.toml", *sorted(directory.glob(f"{locale}.*.toml"))]
        for path in paths:
            with path.open("rb") as handle:
                flat = _flatten(tomllib.load(handle))
            clash = sorted(set(flat) & set(merged))
            if clash:
                raise ValueError(f"{path.name}: keys already defined: {', '.join(clash[:5])}")
            merged.update(flat)
        catalogs[locale] = merged
    return catalogs


def translate(catalogs: Catalogs, locale: str, key: str, /, **params: object) -> str:
    """The message for ``key``; falls back to Chinese, then to the key itself."""
    message = catalogs.get(locale, {}).get(key) or catalogs.get("zh", {}).get(key)
    if message is None:
        return key
    if not params:
        return message
    try:
        return message.format(**params)
    except (KeyError, IndexError, ValueError):
        return message


def translator(catalogs: Catalogs, locale: str) -> Translator:
    def t(key: str, /, **params: object) -> str:
        return translate(catalogs, locale, key, **params)

    return t


def _accept_language_prefers(header: str | None) -> str | None:
    """The first supported language in an Accept-Language header, by quality."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        lang, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        primary = lang.strip().lower().split("-")[0]
        if primary in LOCALES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else None


def choose_locale(
    *,
    query: str | None,
    chosen: str | None,
    user_preference: str | None,
    accept_language: str | None,
    default: str,
) -> str:
    """``?lang=`` first, then the language chosen earlier in this session, then the
    user's preference, then the browser's Accept-Language, then the default."""
    for candidate in (query, chosen, user_preference):
        if candidate is not None and candidate in LOCALES:
            return candidate
    return _accept_language_prefers(accept_language) or (default if default in LOCALES else "zh")
