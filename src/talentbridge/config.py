"""Settings, read once from an environment mapping and passed in.

Nothing is built at import time: callers do ``load_settings(os.environ)`` and hand
the result to ``create_engine_for``, ``create_app`` and the CLI.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

DEFAULT_SECRET = "insecure-demo-secret-change-me"
LOCALES = ("zh", "en")
MATCH_RANKERS = ("weights", "learned")  # matching.ltr: hand-set weights or the active model


class SettingsError(ValueError):
    """A setting is missing or invalid; the message says which and how to fix it."""


@dataclass(frozen=True)
class AdviceSettings:
    """Weights and thresholds of major-direction advice (see ``docs/advice.md``).

    From the environment: ``TALENTBRIDGE_ADVICE_WEIGHTS`` (``level=0.3,trend=0.35,
    gap=0.25,salary=0.1``), ``TALENTBRIDGE_ADVICE_THRESHOLDS`` (``open=0.25,expand=0.2,
    shrink=-0.2``), ``TALENTBRIDGE_ADVICE_MIN_POSTINGS``, ``TALENTBRIDGE_ADVICE_RELATED_WEIGHT``
    and ``TALENTBRIDGE_ADVICE_GRADUATE_YEARS``; anything not given keeps its default.
    """

    weight_level: float = 0.30  # demand level against the average major
    weight_trend: float = 0.35  # year-on-year growth (and forecast) of demand
    weight_gap: float = 0.25  # postings per graduate against the average
    weight_salary: float = 0.10  # median pay against the region's median
    open_threshold: float = 0.25  # score at or above which a major not offered is "open"
    expand_threshold: float = 0.20  # score at or above which an offered major is "expand"
    shrink_threshold: float = -0.20  # score at or below which an offered major is "shrink"
    min_postings: int = 30  # fewer postings in the period: too little evidence to move
    related_weight: float = 0.5  # weight of "related" (not "primary") 对口 occupations
    graduate_years: int = 3  # graduate counts averaged over the last N years with data


_ADVICE_WEIGHTS = {"level": "weight_level", "trend": "weight_trend", "gap": "weight_gap",
                   "salary": "weight_salary"}  # fmt: skip
_ADVICE_THRESHOLDS = {"open": "open_threshold", "expand": "expand_threshold",
                      "shrink": "shrink_threshold"}  # fmt: skip


def _pairs(name: str, value: str | None, names: Mapping[str, str]) -> dict[str, float]:
    """``a=1,b=2`` as {field: float}, naming the variable when a part is wrong."""
    out: dict[str, float] = {}
    for part in (value or "").split(","):
        if not part.strip():
            continue
        key, sep, number = part.partition("=")
        field_name = names.get(key.strip().lower())
        if not sep or field_name is None:
            raise SettingsError(f"{name}: expected {', '.join(f'{n}=NUMBER' for n in names)}")
        try:
            out[field_name] = float(number)
        except ValueError as exc:
            raise SettingsError(f"{name}: {number.strip()!r} is not a number") from exc
    return out


def load_advice_settings(env: Mapping[str, str]) -> AdviceSettings:
    values: dict[str, float | int] = {}
    values |= _pairs(
        "TALENTBRIDGE_ADVICE_WEIGHTS", env.get("TALENTBRIDGE_ADVICE_WEIGHTS"), _ADVICE_WEIGHTS
    )
    values |= _pairs(
        "TALENTBRIDGE_ADVICE_THRESHOLDS",
        env.get("TALENTBRIDGE_ADVICE_THRESHOLDS"),
        _ADVICE_THRESHOLDS,
    )
    defaults = AdviceSettings()
    for variable, attribute in (
        ("TALENTBRIDGE_ADVICE_MIN_POSTINGS", "min_postings"),
        ("TALENTBRIDGE_ADVICE_GRADUATE_YEARS", "graduate_years"),
    ):
        values[attribute] = _int(variable, env.get(variable), getattr(defaults, attribute))
    related = env.get("TALENTBRIDGE_ADVICE_RELATED_WEIGHT")
    if related:
        values["related_weight"] = _pairs(
            "TALENTBRIDGE_ADVICE_RELATED_WEIGHT", f"w={related}", {"w": "related_weight"}
        )["related_weight"]
    advice = replace(defaults, **values)  # type: ignore[arg-type]
    if min(advice.weight_level, advice.weight_trend, advice.weight_gap, advice.weight_salary) < 0:
        raise SettingsError("TALENTBRIDGE_ADVICE_WEIGHTS: weights must not be negative")
    if not advice.shrink_threshold < advice.expand_threshold:
        raise SettingsError("TALENTBRIDGE_ADVICE_THRESHOLDS: shrink must be below expand")
    return advice


@dataclass(frozen=True)
class LoginLimits:
    """Sign-in limits (``docs/security.md`` section 7); only failed attempts count.

    ``TALENTBRIDGE_LOGIN_MAX_FAILURES`` failures for one username within
    ``TALENTBRIDGE_LOGIN_WINDOW_MINUTES`` lock the account for
    ``TALENTBRIDGE_LOGIN_LOCK_MINUTES``; ``TALENTBRIDGE_LOGIN_IP_MAX_FAILURES`` failures
    from one address within ``TALENTBRIDGE_LOGIN_IP_WINDOW_MINUTES`` make that address
    wait (429) until the oldest of them leaves the window.
    """

    max_failures: int = 5
    window_minutes: int = 15
    lock_minutes: int = 15
    ip_max_failures: int = 20
    ip_window_minutes: int = 10


_LOGIN_LIMITS = {
    "TALENTBRIDGE_LOGIN_MAX_FAILURES": "max_failures",
    "TALENTBRIDGE_LOGIN_WINDOW_MINUTES": "window_minutes",
    "TALENTBRIDGE_LOGIN_LOCK_MINUTES": "lock_minutes",
    "TALENTBRIDGE_LOGIN_IP_MAX_FAILURES": "ip_max_failures",
    "TALENTBRIDGE_LOGIN_IP_WINDOW_MINUTES": "ip_window_minutes",
}


def load_login_limits(env: Mapping[str, str]) -> LoginLimits:
    defaults = LoginLimits()
    values = {}
    for variable, attribute in _LOGIN_LIMITS.items():
        value = _int(variable, env.get(variable), getattr(defaults, attribute))
        if value < 1:
            raise SettingsError(f"{variable} must be at least 1")
        values[attribute] = value
    return LoginLimits(**values)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str = DEFAULT_SECRET
    demo_mode: bool = False
    default_locale: str = "zh"
    https_only: bool = False
    session_max_age_seconds: int = 8 * 3600
    session_idle_minutes: int = 60
    login: LoginLimits = field(default_factory=LoginLimits)
    max_form_bytes: int = 1024 * 1024
    small_cell_threshold: int = 5
    max_upload_bytes: int = 50 * 1024 * 1024
    advice: AdviceSettings = field(default_factory=AdviceSettings)
    match_ranker: str = "weights"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def rejects_dir(self) -> Path:
        return self.data_dir / "rejects"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"expected a boolean (true/false), got {value!r}")


def _int(name: str, value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, got {value!r}") from exc


def _positive(name: str, value: str | None, default: int) -> int:
    number = _int(name, value, default)
    if number < 1:
        raise SettingsError(f"{name} must be at least 1, got {number}")
    return number


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def load_settings(env: Mapping[str, str]) -> Settings:
    """Build settings from an environment mapping (usually ``os.environ``).

    ``TALENTBRIDGE_DATA_DIR`` (default: the per-user data folder) holds the embedded
    SQLite store, uploads and rejects files. ``TALENTBRIDGE_DATABASE_URL`` switches to
    any SQLAlchemy URL (PostgreSQL 15 is tested).
    """
    raw_dir = env.get("TALENTBRIDGE_DATA_DIR")
    data_dir = Path(raw_dir) if raw_dir else Path(platformdirs.user_data_dir("talentbridge"))
    database_url = env.get("TALENTBRIDGE_DATABASE_URL") or sqlite_url(data_dir / "talentbridge.db")
    locale = env.get("TALENTBRIDGE_LOCALE", "zh")
    if locale not in LOCALES:
        raise SettingsError(f"TALENTBRIDGE_LOCALE must be one of {', '.join(LOCALES)}")
    match_ranker = env.get("TALENTBRIDGE_MATCH_RANKER") or "weights"
    if match_ranker not in MATCH_RANKERS:
        raise SettingsError(f"TALENTBRIDGE_MATCH_RANKER must be one of {', '.join(MATCH_RANKERS)}")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=env.get("TALENTBRIDGE_SECRET_KEY") or DEFAULT_SECRET,
        demo_mode=_bool(env.get("TALENTBRIDGE_DEMO")),
        default_locale=locale,
        https_only=_bool(env.get("TALENTBRIDGE_HTTPS_ONLY")),
        session_max_age_seconds=_int(
            "TALENTBRIDGE_SESSION_MAX_AGE", env.get("TALENTBRIDGE_SESSION_MAX_AGE"), 8 * 3600
        ),
        session_idle_minutes=_positive(
            "TALENTBRIDGE_SESSION_IDLE_MINUTES", env.get("TALENTBRIDGE_SESSION_IDLE_MINUTES"), 60
        ),
        login=load_login_limits(env),
        max_form_bytes=_positive(
            "TALENTBRIDGE_MAX_FORM_BYTES", env.get("TALENTBRIDGE_MAX_FORM_BYTES"), 1024 * 1024
        ),
        small_cell_threshold=_int("TALENTBRIDGE_SMALL_CELL", env.get("TALENTBRIDGE_SMALL_CELL"), 5),
        advice=load_advice_settings(env),
        match_ranker=match_ranker,
        extra={k: v for k, v in env.items() if k.startswith("TALENTBRIDGE_")},
    )


def check_secret(settings: Settings) -> None:
    """Refuse to serve outside demo mode with the default or a short secret key."""
    if settings.demo_mode:
        return
    if settings.secret_key == DEFAULT_SECRET or len(settings.secret_key) < 32:
        raise SettingsError(
            "TALENTBRIDGE_SECRET_KEY is missing or too short (need 32+ characters). "
            f"Generate one, e.g. TALENTBRIDGE_SECRET_KEY={secrets.token_urlsafe(32)}"
        )
