"""Deferred acceptance and interview scheduling: hand-checked cases and random instances
(stability, student optimality against brute force, no clash, nothing left unscheduled
while slots remain)."""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.matching.fair_match import (
    Preferences,
    blocking_pairs,
    deferred_acceptance,
    has_clash,
    interview_requests,
    is_valid_assignment,
    schedule_interviews,
)


def _prefs(
    students: dict[int, list[int]], openings: dict[int, list[int]], seats: dict[int, int]
) -> Preferences:
    return Preferences(students=students, openings=openings, seats=seats)


# --- hand-checked allocations ---------------------------------------------------------


def test_students_get_their_first_choice_when_seats_allow() -> None:
    p = _prefs({1: [10, 20], 2: [10, 20], 3: [20]}, {10: [3, 2, 1], 20: [1, 2, 3]}, {10: 2, 20: 1})
    assert deferred_acceptance(p) == {1: 10, 2: 10, 3: 20}


def test_a_full_opening_keeps_the_students_it_prefers() -> None:
    # Both want 10 (one seat); 10 prefers 2. Student 1 falls back to 20.
    p = _prefs({1: [10, 20], 2: [10, 20]}, {10: [2, 1], 20: [1, 2]}, {10: 1, 20: 1})
    assert deferred_acceptance(p) == {1: 20, 2: 10}


def test_the_classic_instance_gives_the_student_optimal_matching() -> None:
    # Three students, three one-seat openings with cyclic preferences: several stable
    # matchings exist; student-proposing gives every student their first choice.
    p = _prefs(
        {1: [10, 20, 30], 2: [20, 30, 10], 3: [30, 10, 20]},
        {10: [2, 3, 1], 20: [3, 1, 2], 30: [1, 2, 3]},
        {10: 1, 20: 1, 30: 1},
    )
    assert deferred_acceptance(p) == {1: 10, 2: 20, 3: 30}
    assert blocking_pairs(p, {1: 30, 2: 10, 3: 20}) == []  # the employer-optimal one
    # 2 would rather have 30, and 30 would rather have 2 than 3.
    assert blocking_pairs(p, {1: 20, 2: 10, 3: 30}) == [(2, 30)]


def test_a_chain_of_displacements() -> None:
    # 3 arrives last at 10 and displaces 1, who displaces 2 at 20, who ends at 30.
    p = _prefs(
        {1: [10, 20], 2: [20, 30], 3: [10]},
        {10: [3, 1], 20: [1, 2], 30: [2]},
        {10: 1, 20: 1, 30: 1},
    )
    assert deferred_acceptance(p) == {1: 20, 2: 30, 3: 10}


def test_unacceptable_pairs_are_never_assigned() -> None:
    # 20 does not rank student 1; 10 does not rank student 2; 30 is on nobody's list.
    p = _prefs({1: [20, 10], 2: [10, 20]}, {10: [1], 20: [2], 30: [1, 2]}, {10: 1, 20: 1, 30: 5})
    assert deferred_acceptance(p) == {1: 10, 2: 20}
    only_one_side = _prefs({1: [10]}, {10: [2]}, {10: 3})
    assert deferred_acceptance(only_one_side) == {}


def test_more_seats_than_applicants_and_zero_seats() -> None:
    p = _prefs({1: [10], 2: [10], 3: [20, 10]}, {10: [1, 2, 3], 20: [3]}, {10: 10, 20: 0})
    assert deferred_acceptance(p) == {1: 10, 2: 10, 3: 10}
    assert blocking_pairs(p, deferred_acceptance(p)) == []


def test_empty_lists_and_empty_instances() -> None:
    assert deferred_acceptance(_prefs({}, {}, {})) == {}
    p = _prefs({1: [], 2: [10]}, {10: []}, {10: 1})
    assert deferred_acceptance(p) == {}
    assert blocking_pairs(p, {}) == []
    # An empty assignment is blocked wherever a mutually acceptable pair has a seat.
    assert blocking_pairs(_prefs({1: [10]}, {10: [1]}, {10: 1}), {}) == [(1, 10)]


def test_repeated_entries_count_once() -> None:
    p = _prefs({1: [10, 10, 20], 2: [10]}, {10: [2, 2, 1], 20: [1]}, {10: 1, 20: 1})
    assert deferred_acceptance(p) == {1: 20, 2: 10}


# --- random instances -------------------------------------------------------------------


@st.composite
def instances(draw: st.DrawFn, max_students: int = 8, max_openings: int = 5) -> Preferences:
    n = draw(st.integers(0, max_students))
    m = draw(st.integers(0, max_openings))
    students = list(range(1, n + 1))
    openings = list(range(100, 100 + m))
    seats = {o: draw(st.integers(0, 3)) for o in openings}
    s_lists = {
        s: draw(
            st.permutations(openings).flatmap(
                lambda p: st.integers(0, len(p)).map(lambda k, p=p: p[:k])
            )
        )
        for s in students
    }
    o_lists = {
        o: draw(
            st.permutations(students).flatmap(
                lambda p: st.integers(0, len(p)).map(lambda k, p=p: p[:k])
            )
        )
        for o in openings
    }
    return _prefs(s_lists, o_lists, seats)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_deferred_acceptance_is_valid_and_stable(prefs: Preferences) -> None:
    result = deferred_acceptance(prefs)
    assert is_valid_assignment(prefs, result)
    assert blocking_pairs(prefs, result) == []
    assert deferred_acceptance(prefs) == result  # deterministic


def _all_stable(prefs: Preferences) -> list[dict[int, int]]:
    students = sorted(prefs.students)
    options = [[None, *prefs.students[s]] for s in students]
    found = []
    for combo in itertools.product(*options):
        assignment = {s: o for s, o in zip(students, combo, strict=True) if o is not None}
        if is_valid_assignment(prefs, assignment) and not blocking_pairs(prefs, assignment):
            found.append(assignment)
    return found


@settings(max_examples=150, deadline=None)
@given(instances(max_students=5, max_openings=3))
def test_every_student_does_at_least_as_well_as_in_any_stable_assignment(
    prefs: Preferences,
) -> None:
    result = deferred_acceptance(prefs)
    stable = _all_stable(prefs)
    assert result in stable

    def rank(s: int, assignment: dict[int, int]) -> int:
        o = assignment.get(s)
        return 10**6 if o is None else prefs.students[s].index(o)

    for other in stable:
        for s in prefs.students:
            assert rank(s, result) <= rank(s, other)
    # The same students are assigned in every stable assignment (rural hospitals theorem).
    assert all(set(other) == set(result) for other in stable)


# --- interviews -------------------------------------------------------------------------


def test_interviews_start_with_the_assigned_opening_then_the_list_round_by_round() -> None:
    p = _prefs(
        {1: [10, 20, 30, 40], 2: [30, 20], 3: [40]},
        {10: [2, 1], 20: [1, 2], 30: [2, 1], 40: [1]},
        {10: 1, 20: 1, 30: 1, 40: 1},
    )
    assignment = deferred_acceptance(p)
    assert assignment == {1: 10, 2: 30}
    # Student 3 lists 40, which does not rank them: no interview for 3.
    assert interview_requests(p, assignment, cap=3) == [
        (1, 10),
        (2, 30),
        (1, 20),
        (2, 20),
        (1, 30),
    ]
    assert interview_requests(p, assignment, cap=1) == [(1, 10), (2, 30)]
    assert interview_requests(p, assignment, cap=0) == []


def test_a_schedule_without_clashes_and_what_does_not_fit() -> None:
    requests = [(1, 10), (2, 10), (3, 10), (1, 20), (2, 20)]
    two = schedule_interviews(requests, slots=2)
    assert not has_clash(two.slot_of)
    assert two.unscheduled == [(3, 10)]  # opening 10 is busy in both slots
    three = schedule_interviews(requests, slots=3)
    assert three.unscheduled == [] and len(three.slot_of) == 5 and not has_clash(three.slot_of)
    assert schedule_interviews(requests, slots=0).unscheduled == requests
    assert schedule_interviews([(1, 10), (1, 10)], slots=1).slot_of == {(1, 10): 0}


def test_swapping_along_a_path_fits_what_a_plain_greedy_would_not() -> None:
    # Greedy first-free colouring of this order needs 3 slots; the degree is 2.
    requests = [(1, 10), (2, 20), (2, 10), (1, 20)]
    result = schedule_interviews(requests, slots=2)
    assert result.unscheduled == [] and not has_clash(result.slot_of)


@st.composite
def request_lists(draw: st.DrawFn) -> list[tuple[int, int]]:
    pairs = st.tuples(st.integers(1, 12), st.integers(100, 108))
    return draw(st.lists(pairs, max_size=60))


@settings(max_examples=300, deadline=None)
@given(request_lists(), st.integers(0, 8))
def test_schedules_never_clash_and_fill_every_slot_before_leaving_anything_out(
    requests: list[tuple[int, int]], slots: int
) -> None:
    result = schedule_interviews(requests, slots=slots)
    assert not has_clash(result.slot_of)
    assert all(0 <= slot < slots for slot in result.slot_of.values())
    unique = set(requests)
    assert set(result.slot_of) | set(result.unscheduled) == unique
    assert not set(result.slot_of) & set(result.unscheduled)
    per_student = Counter(s for s, _ in result.slot_of)
    per_opening = Counter(o for _, o in result.slot_of)
    for s, o in result.unscheduled:
        assert per_student[s] == slots or per_opening[o] == slots
    degree = max(
        [*Counter(s for s, _ in unique).values(), *Counter(o for _, o in unique).values(), 0]
    )
    if degree <= slots:
        assert result.unscheduled == []  # König: Δ slots are enough


@settings(max_examples=200, deadline=None)
@given(instances(), st.integers(0, 4), st.integers(0, 6))
def test_fair_requests_are_acceptable_capped_and_scheduled_without_clash(
    prefs: Preferences, cap: int, slots: int
) -> None:
    assignment = deferred_acceptance(prefs)
    requests = interview_requests(prefs, assignment, cap=cap)
    assert all(prefs.acceptable(s, o) for s, o in requests)
    assert len(requests) == len(set(requests))
    assert all(n <= cap for n in Counter(s for s, _ in requests).values())
    if cap:
        assert {(s, o) for s, o in assignment.items()} <= set(requests)
    assert not has_clash(schedule_interviews(requests, slots=slots).slot_of)
