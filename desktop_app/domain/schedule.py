"""Overlapping lessons in a program's weekly schedules: one teacher or one room in two places at once.

Two lessons overlap when they fall on the same weekday, their times intersect (a lesson ending at 16:00 and
another starting at 16:00 do not), the periods of their groups intersect, and they share a teacher or a
room. A room is the same when its name matches and the addresses match (a lesson with no address is taken
to be at the other's address). Names are compared ignoring case, «ё»/«е» and extra spaces. An overlap is a
warning for the clerk, not a validation error: the program can still be saved and submitted.
"""

from __future__ import annotations

import enum
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from itertools import combinations

from desktop_app.domain.program import Group, ScheduleEntry
from desktop_app.domain.text import collation_key


class OverlapKind(enum.Enum):
    TEACHER = "teacher"
    ROOM = "room"


@dataclass(frozen=True, slots=True)
class Overlap:
    """A lesson's overlap with another lesson of the program."""

    entry_id: uuid.UUID
    """The lesson this overlap is reported for."""
    other: ScheduleEntry
    other_group: str
    """The name of the other lesson's group (may be the lesson's own group)."""
    kinds: tuple[OverlapKind, ...]
    """What the two lessons share: the teacher, the room, or both."""

    @property
    def message(self) -> str:
        """«Пересекается с занятием группы «Группа Б» (пн 15:00–16:30): тот же педагог»."""
        labels: dict[tuple[OverlapKind, ...], str] = {
            (OverlapKind.TEACHER,): "тот же педагог",
            (OverlapKind.ROOM,): "тот же кабинет",
        }
        shared = labels.get(self.kinds, "тот же педагог и тот же кабинет")
        when = f"{self.other.weekday.short_label} {_hhmm(self.other.starts_at)}–{_hhmm(self.other.ends_at)}"
        return f"Пересекается с занятием группы «{self.other_group}» ({when}): {shared}."


def _hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


def _normalized(text: str) -> str:
    return " ".join(collation_key(text).split())


@dataclass(frozen=True, slots=True)
class _Lesson:
    entry: ScheduleEntry
    group: Group
    teacher: str
    room: str
    address: str


def _lessons(groups: Iterable[Group]) -> dict[int, list[_Lesson]]:
    by_weekday: dict[int, list[_Lesson]] = defaultdict(list)
    for group in groups:
        teacher = _normalized(group.teacher)
        for entry in group.schedule:
            if entry.ends_at <= entry.starts_at:
                continue  # an impossible lesson is a validation error, not an overlap
            lesson = _Lesson(entry, group, teacher, _normalized(entry.room), _normalized(entry.address))
            by_weekday[int(entry.weekday)].append(lesson)
    return by_weekday


def _shared(first: _Lesson, second: _Lesson) -> tuple[OverlapKind, ...]:
    kinds = []
    if first.teacher and first.teacher == second.teacher:
        kinds.append(OverlapKind.TEACHER)
    same_place = not first.address or not second.address or first.address == second.address
    if first.room and first.room == second.room and same_place:
        kinds.append(OverlapKind.ROOM)
    return tuple(kinds)


def _meet(first: _Lesson, second: _Lesson) -> bool:
    times_meet = first.entry.starts_at < second.entry.ends_at and second.entry.starts_at < first.entry.ends_at
    periods_meet = first.group.start_date <= second.group.end_date and second.group.start_date <= first.group.end_date
    return times_meet and periods_meet


def find_overlaps(groups: Iterable[Group]) -> dict[uuid.UUID, tuple[Overlap, ...]]:
    """Every lesson that overlaps with another, by the lesson's id, with what it overlaps with.

    Both lessons of an overlapping pair are reported, each pointing at the other; lessons with no overlap are
    absent from the result.
    """
    found: dict[uuid.UUID, list[Overlap]] = defaultdict(list)
    for lessons in _lessons(groups).values():
        for first, second in combinations(lessons, 2):
            if not _meet(first, second):
                continue
            kinds = _shared(first, second)
            if kinds:
                found[first.entry.id].append(Overlap(first.entry.id, second.entry, second.group.name, kinds))
                found[second.entry.id].append(Overlap(second.entry.id, first.entry, first.group.name, kinds))
    return {entry_id: tuple(overlaps) for entry_id, overlaps in found.items()}
