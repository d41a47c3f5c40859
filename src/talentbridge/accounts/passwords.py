"""Password hashing (argon2id via argon2-cffi) and the password rules."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10

# Reason codes returned by ``password_problems``; the web and CLI translate them.
TOO_SHORT = "too_short"
ALL_DIGITS = "all_digits"
SAME_AS_USERNAME = "same_as_username"
TOO_COMMON = "too_common"
TOO_SIMPLE = "too_simple"  # fewer than two kinds of character

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

# argon2id with OWASP's recommended setting (19 MiB, 2 passes, 1 lane). argon2-cffi's
# default (RFC 9106's second setting: 64 MiB, 3 passes, 4 lanes) cost about 195 ms of CPU
# per sign-in, and the sign-ins of the load test's ramp-up alone took both CPUs for 10 s;
# this costs about an eighth of it. Older hashes are re-made at the next sign-in.
ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19_456
ARGON2_LANES = 1
_hasher = PasswordHasher(
    time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES
)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; encodes its own parameters)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; a malformed hash never matches."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords, case-folded."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def character_classes(password: str) -> int:
    """How many of lower-case, upper-case, digits and other characters it uses (a
    Chinese character counts as "other")."""
    kinds = set()
    for char in password:
        if char.isdigit():
            kinds.add("digit")
        elif char.isalpha() and char.isascii():
            kinds.add("upper" if char.isupper() else "lower")
        elif not unicodedata.category(char).startswith("Z"):
            kinds.add("other")
    return len(kinds)


def password_problems(password: str, *, username: str = "") -> list[str]:
    """Reason codes for every rule ``password`` breaks (empty when acceptable).

    Rules: at least ``MIN_LENGTH`` characters, not only digits, not the username, not
    in the bundled list of common passwords, at least two kinds of character (lower
    case, upper case, digits, others).
    """
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(TOO_SHORT)
    if password.isdigit():
        problems.append(ALL_DIGITS)
    if username and password.strip().casefold() == username.strip().casefold():
        problems.append(SAME_AS_USERNAME)
    if password.strip().casefold() in common_passwords():
        problems.append(TOO_COMMON)
    if not password.isdigit() and character_classes(password) < 2:
        problems.append(TOO_SIMPLE)
    return problems


_REASON_TEXT = {
    TOO_SHORT: f"shorter than {MIN_LENGTH} characters",
    ALL_DIGITS: "only digits",
    SAME_AS_USERNAME: "the same as the username",
    TOO_COMMON: "too common (on the list of common passwords)",
    TOO_SIMPLE: "only one kind of character (mix letters, digits or symbols)",
}


def describe_problems(problems: list[str]) -> str:
    """A one-line English description of reason codes, for errors raised to the edge."""
    return "password is " + "; ".join(_REASON_TEXT.get(p, p) for p in problems)
