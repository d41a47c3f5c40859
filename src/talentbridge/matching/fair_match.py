"""Job-fair (双选会) allocation and interview scheduling as pure functions (no I/O).

Allocation is student-proposing deferred acceptance with capacities (the college
admissions problem; Gale and Shapley 1962, Roth 1985): every free student proposes to
the best opening on their list that has not yet refused them; an opening holds the best
students up to its seats among those proposing and refuses the rest. The result is
stable (no student and opening would both rather have each other than what they got)
and the best stable result for every student. A pair is acceptable only when each side
lists the other; students are processed in ascending id order, so the same input always
gives the same result.

Interview scheduling is an edge colouring of the bipartite graph of (student, opening)
interviews with ``slots`` colours: no student and no opening has two interviews in the
same slot. Each interview is coloured on arrival with a colour free at both ends, after
swapping the two colours along an alternating path when needed (König's theorem: a
bipartite graph of maximum degree Δ needs only Δ colours). An interview stays
unscheduled only when its student or its opening already fills every slot.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Preferences:
    """Ranked lists, best first; an entity not on a list is unacceptable to its owner.

    ``students``: student id → opening ids; ``openings``: opening id → student ids;
    ``seats``: opening id → seats (missing: 0).
    """

    students: Mapping[int, Sequence[int]]
    openings: Mapping[int, Sequence[int]]
    seats: Mapping[int, int]

    def student_rank(self, student: int, opening: int) -> int | None:
        """1-based position of ``opening`` on the student's list (``None``: not listed)."""
        return _position(self.students.get(student, ()), opening)

    def opening_rank(self, opening: int, student: int) -> int | None:
        return _position(self.openings.get(opening, ()), student)

    def acceptable(self, student: int, opening: int) -> bool:
        return (
            self.student_rank(student, opening) is not None
            and self.opening_rank(opening, student) is not None
        )


def _position(items: Sequence[int], item: int) -> int | None:
    for i, x in enumerate(items, start=1):
        if x == item:
            return i
    return None


def _dedup(items: Sequence[int]) -> list[int]:
    seen: set[int] = set()
    out = []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def deferred_acceptance(prefs: Preferences) -> dict[int, int]:
    """Student-proposing deferred acceptance with capacities: student → opening for
    every assigned student (unassigned students are absent)."""
    student_lists = {s: _dedup(prefs.students[s]) for s in sorted(prefs.students)}
    ranks = _opening_ranks(prefs)
    held: dict[int, list[int]] = defaultdict(list)  # opening -> held students
    next_choice: dict[int, int] = dict.fromkeys(student_lists, 0)
    free = deque(sorted(student_lists))
    while free:
        student = free.popleft()
        choices = student_lists[student]
        while next_choice[student] < len(choices):
            opening = choices[next_choice[student]]
            next_choice[student] += 1
            rank = ranks.get(opening, {})
            seats = prefs.seats.get(opening, 0)
            if student not in rank or seats <= 0:
                continue  # unacceptable to the opening, or no seats: refused at once
            holding = held[opening]
            holding.append(student)
            holding.sort(key=lambda s: rank[s])
            if len(holding) <= seats:
                break  # held
            refused = holding.pop()  # the opening's least preferred of those it holds
            if refused != student:
                free.append(refused)
                break
            # the student was refused at once: go on to the next choice
    return {s: o for o, students in held.items() for s in students}


def blocking_pairs(prefs: Preferences, assignment: Mapping[int, int]) -> list[tuple[int, int]]:
    """The (student, opening) pairs that block ``assignment``: mutually acceptable, the
    student prefers the opening to what they got (or got nothing), and the opening has a
    free seat or prefers the student to one it got. Empty for a stable assignment."""
    ranks = _opening_ranks(prefs)
    assigned: dict[int, list[int]] = defaultdict(list)
    for s, o in assignment.items():
        assigned[o].append(s)
    out = []
    for s in sorted(prefs.students):
        current = assignment.get(s)
        for o in _dedup(prefs.students[s]):
            if o == current:
                break  # the rest of the list is worse than what the student got
            rank = ranks.get(o, {})
            seats = prefs.seats.get(o, 0)
            if s not in rank or seats <= 0:
                continue
            holders = assigned.get(o, [])
            if len(holders) < seats or rank[s] < max(rank.get(h, 10**9) for h in holders):
                out.append((s, o))
    return out


def _opening_ranks(prefs: Preferences) -> dict[int, dict[int, int]]:
    return {o: {s: i for i, s in enumerate(_dedup(lst))} for o, lst in prefs.openings.items()}


def is_valid_assignment(prefs: Preferences, assignment: Mapping[int, int]) -> bool:
    """Every assigned pair is mutually acceptable and no opening exceeds its seats."""
    load: dict[int, int] = defaultdict(int)
    for s, o in assignment.items():
        if not prefs.acceptable(s, o):
            return False
        load[o] += 1
    return all(n <= prefs.seats.get(o, 0) for o, n in load.items())


# --- interviews -------------------------------------------------------------------------


def interview_requests(
    prefs: Preferences, assignment: Mapping[int, int], *, cap: int
) -> list[tuple[int, int]]:
    """The interviews to schedule, in priority order: every student's assigned opening
    first, then the further mutually acceptable openings on their list in their order,
    round by round (every student's second interview before anyone's third), up to
    ``cap`` interviews per student."""
    if cap <= 0:
        return []
    per_student: dict[int, list[int]] = {}
    for s in sorted(prefs.students):
        wanted = [assignment[s]] if s in assignment else []
        for o in _dedup(prefs.students[s]):
            if len(wanted) >= cap:
                break
            if o not in wanted and prefs.acceptable(s, o):
                wanted.append(o)
        per_student[s] = wanted
    out = []
    for round_ in range(cap):
        for s, wanted in per_student.items():
            if round_ < len(wanted):
                out.append((s, wanted[round_]))
    return out


@dataclass(frozen=True)
class Schedule:
    """``slot_of``: (student, opening) → slot index (0-based); ``unscheduled``: requests
    that found no slot free for both, in request order."""

    slot_of: dict[tuple[int, int], int]
    unscheduled: list[tuple[int, int]]


def schedule_interviews(requests: Sequence[tuple[int, int]], *, slots: int) -> Schedule:
    """Give each (student, opening) request a slot in ``range(slots)`` so that no student
    and no opening has two interviews in one slot (see the module docstring). Repeated
    requests are scheduled once."""
    by_student: dict[int, dict[int, int]] = defaultdict(dict)  # student -> slot -> opening
    by_opening: dict[int, dict[int, int]] = defaultdict(dict)  # opening -> slot -> student
    unscheduled: list[tuple[int, int]] = []
    done: set[tuple[int, int]] = set()
    for s, o in requests:
        if (s, o) in done:
            continue
        done.add((s, o))
        if slots <= 0 or len(by_student[s]) >= slots or len(by_opening[o]) >= slots:
            unscheduled.append((s, o))
            continue
        a = _free(by_student[s], slots)
        b = _free(by_opening[o], slots)
        if a in by_opening[o]:
            _swap_path(by_student, by_opening, o, a, b)
        by_student[s][a] = o
        by_opening[o][a] = s
    slot_of = {(s, o): slot for s, taken in by_student.items() for slot, o in taken.items()}
    return Schedule(slot_of=slot_of, unscheduled=unscheduled)


def _free(taken: Mapping[int, int], slots: int) -> int:
    return next(c for c in range(slots) if c not in taken)


def _swap_path(
    by_student: dict[int, dict[int, int]],
    by_opening: dict[int, dict[int, int]],
    opening: int,
    a: int,
    b: int,
) -> None:
    """Swap slots ``a`` and ``b`` along the path that starts at ``opening`` with its
    ``a`` interview and alternates a, b, a, … (``b`` is free at ``opening`` and ``a`` at
    the requesting student, so the path never reaches that student)."""
    path: list[tuple[int, int, int]] = []  # (student, opening, slot) edges on the path
    node_is_opening, node, colour = True, opening, a
    while True:
        table = by_opening if node_is_opening else by_student
        other = table[node].get(colour)
        if other is None:
            break
        s, o = (other, node) if node_is_opening else (node, other)
        path.append((s, o, colour))
        node_is_opening, node = not node_is_opening, other
        colour = b if colour == a else a
    for s, o, colour in path:
        del by_student[s][colour]
        del by_opening[o][colour]
    for s, o, colour in path:
        swapped = b if colour == a else a
        by_student[s][swapped] = o
        by_opening[o][swapped] = s


def has_clash(slot_of: Mapping[tuple[int, int], int]) -> bool:
    """Whether a student or an opening has two interviews in one slot."""
    students = [(s, slot) for (s, _), slot in slot_of.items()]
    openings = [(o, slot) for (_, o), slot in slot_of.items()]
    return len(set(students)) < len(students) or len(set(openings)) < len(openings)
