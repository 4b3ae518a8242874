"""Tests of desktop_app.domain.schedule: which lessons of a program overlap, and what the clerk reads."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, time

import pytest

from desktop_app.domain.program import Group, ScheduleEntry, Weekday
from desktop_app.domain.schedule import OverlapKind, find_overlaps

NBSP = "\u00a0"


def lesson(
    weekday: Weekday = Weekday.MONDAY,
    starts: tuple[int, int] = (15, 0),
    ends: tuple[int, int] = (16, 30),
    room: str = "каб. 12",
    address: str = "ул. Ленина, 1",
) -> ScheduleEntry:
    return ScheduleEntry(uuid.uuid4(), weekday, time(*starts), time(*ends), room, address)


def group(name: str, teacher: str, *lessons: ScheduleEntry, start: date = date(2026, 9, 1)) -> Group:
    return Group(uuid.uuid4(), name, teacher, start, date(2027, 5, 31), 12, tuple(lessons))


def test_lessons_at_different_times_do_not_overlap() -> None:
    first = group("А", "Иванова И. И.", lesson(starts=(15, 0), ends=(16, 0)))
    second = group("Б", "Иванова И. И.", lesson(starts=(16, 0), ends=(17, 0)))
    third = group("В", "Иванова И. И.", lesson(weekday=Weekday.TUESDAY))
    assert find_overlaps([first, second, third]) == {}


def test_one_teacher_in_two_rooms_at_once_is_flagged_on_both_lessons() -> None:
    monday = lesson(room="каб. 12")
    clash = lesson(starts=(16, 0), ends=(17, 0), room="каб. 14")
    found = find_overlaps([group("Группа А", "Иванова И. И.", monday), group("Группа Б", "иванова  и. и.", clash)])
    assert set(found) == {monday.id, clash.id}
    (overlap,) = found[monday.id]
    assert overlap.kinds == (OverlapKind.TEACHER,)
    assert overlap.other == clash
    assert overlap.message == "Пересекается с занятием группы «Группа Б» (пн 16:00–17:00): тот же педагог."
    assert found[clash.id][0].other_group == "Группа А"


def test_two_teachers_in_one_room_is_flagged() -> None:
    first = lesson(room="Каб. 12")
    second = lesson(room="каб.  12")
    found = find_overlaps([group("А", "Иванова И. И.", first), group("Б", "Петров П. П.", second)])
    assert found[first.id][0].kinds == (OverlapKind.ROOM,)
    assert found[first.id][0].message.endswith("тот же кабинет.")


def test_same_teacher_and_room_says_both() -> None:
    first, second = lesson(), lesson()
    found = find_overlaps([group("А", "Иванова И. И.", first), group("Б", "Иванова И. И.", second)])
    assert found[first.id][0].kinds == (OverlapKind.TEACHER, OverlapKind.ROOM)
    assert found[first.id][0].message.endswith("тот же педагог и тот же кабинет.")


def test_rooms_with_one_name_at_different_addresses_are_different_rooms() -> None:
    first = lesson(address="ул. Ленина, 1")
    second = lesson(address="ул. Мира, 7")
    assert find_overlaps([group("А", "Иванова И. И.", first), group("Б", "Петров П. П.", second)]) == {}


def test_a_room_without_an_address_is_taken_to_be_at_the_other_address() -> None:
    first = lesson(address="")
    second = lesson(address="ул. Мира, 7")
    found = find_overlaps([group("А", "Иванова И. И.", first), group("Б", "Петров П. П.", second)])
    assert set(found) == {first.id, second.id}


def test_empty_teacher_and_room_never_match() -> None:
    first = lesson(room="")
    second = lesson(room="")
    assert find_overlaps([group("А", "", first), group("Б", "", second)]) == {}


def test_ye_and_yo_are_the_same_letter_in_names() -> None:
    first, second = lesson(room="каб. 1"), lesson(room="каб. 2")
    found = find_overlaps([group("А", "Семёнова А. А.", first), group("Б", "Семенова А. А.", second)])
    assert set(found) == {first.id, second.id}


def test_groups_whose_periods_do_not_meet_do_not_overlap() -> None:
    autumn = replace(group("Осень", "Иванова И. И.", lesson()), end_date=date(2026, 12, 31))
    spring = group("Весна", "Иванова И. И.", lesson(), start=date(2027, 1, 1))
    assert find_overlaps([autumn, spring]) == {}


def test_two_lessons_of_one_group_at_once_overlap() -> None:
    first, second = lesson(room="каб. 1"), lesson(starts=(16, 0), ends=(16, 45), room="каб. 2")
    found = find_overlaps([group("Группа А", "Иванова И. И.", first, second)])
    assert found[second.id][0].other_group == "Группа А"


def test_an_impossible_lesson_is_left_to_validation() -> None:
    broken = lesson(starts=(17, 0), ends=(16, 0))
    assert find_overlaps([group("А", "Иванова И. И.", broken), group("Б", "Иванова И. И.", lesson())]) == {}


@pytest.mark.parametrize("count", [3, 4])
def test_every_pair_is_reported(count: int) -> None:
    lessons = [lesson(room=f"каб. {number}") for number in range(count)]
    groups = [group(f"Группа {number}", "Иванова И. И.", item) for number, item in enumerate(lessons)]
    found = find_overlaps(groups)
    assert all(len(found[item.id]) == count - 1 for item in lessons)
    assert all(NBSP not in overlap.message for overlaps in found.values() for overlap in overlaps)
