"""Password hashing (argon2id via argon2-cffi) and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10

# Reason codes returned by ``password_problems``; the web and CLI translate them.
TOO_SHORT = "too_short"
ALL_DIGITS = "all_digits"
SAME_AS_USERNAME = "same_as_username"

_hasher = PasswordHasher()


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


def password_problems(password: str, *, username: str = "") -> list[str]:
    """Reason codes for every rule ``password`` breaks (empty when acceptable).

    Rules: at least ``MIN_LENGTH`` characters, not only digits, not the username.
    """
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(TOO_SHORT)
    if password.isdigit():
        problems.append(ALL_DIGITS)
    if username and password.strip().casefold() == username.strip().casefold():
        problems.append(SAME_AS_USERNAME)
    return problems


_REASON_TEXT = {
    TOO_SHORT: f"shorter than {MIN_LENGTH} characters",
    ALL_DIGITS: "only digits",
    SAME_AS_USERNAME: "the same as the username",
}


def describe_problems(problems: list[str]) -> str:
    """A one-line English description of reason codes, for errors raised to the edge."""
    return "password is " + "; ".join(_REASON_TEXT.get(p, p) for p in problems)
