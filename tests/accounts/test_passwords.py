from __future__ import annotations

from argon2 import PasswordHasher

from talentbridge.accounts.passwords import (
    ALL_DIGITS,
    SAME_AS_USERNAME,
    TOO_SHORT,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)


def test_hash_verifies_only_the_right_password() -> None:
    hashed = hash_password("a-long-password")
    assert hashed.startswith("$argon2id$")
    assert "a-long-password" not in hashed
    assert verify_password(hashed, "a-long-password")
    assert not verify_password(hashed, "a-long-passwore")


def test_same_password_hashes_differently_each_time() -> None:
    assert hash_password("a-long-password") != hash_password("a-long-password")


def test_malformed_hash_never_verifies() -> None:
    assert not verify_password("not-a-hash", "anything")
    assert needs_rehash("not-a-hash")


def test_weaker_hash_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("a-long-password")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("a-long-password"))


def test_password_rules() -> None:
    assert password_problems("short") == [TOO_SHORT]
    assert password_problems("12345678901") == [ALL_DIGITS]
    assert password_problems("teacher_wang", username="Teacher_Wang") == [SAME_AS_USERNAME]
    assert password_problems("123") == [TOO_SHORT, ALL_DIGITS]
    assert password_problems("logistics-2024", username="wang") == []
