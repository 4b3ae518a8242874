"""Tests of the notices about certification decisions that arrive by sync (services.programs.decisions_between)."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from desktop_app.domain.age import AgeRange
from desktop_app.domain.program import CertificationStatus, Program
from desktop_app.domain.program_summary import ProgramHeader, ProgramSummary
from desktop_app.services.programs import decisions_between, recertification_needed
from tests.core.russian import assert_russian

Status = CertificationStatus


def summary(name: str, status: Status, *, waiting: bool = False, program_id: uuid.UUID | None = None) -> ProgramSummary:
    program = ProgramHeader(
        id=program_id or uuid.uuid4(),
        full_name=f"{name}: полное название",
        short_name=name,
        direction=None,
        kind=None,
        age_range=AgeRange.from_years(5, 18),
        status=status,
    )
    return ProgramSummary(program, module_count=0, group_count=0, taken=0, capacity=0, waiting=waiting)


def moved(item: ProgramSummary, status: Status, *, waiting: bool = False) -> ProgramSummary:
    return dataclasses.replace(item, program=dataclasses.replace(item.program, status=status), waiting=waiting)


def test_certified_and_refused_programs_are_announced_in_the_order_of_the_new_list() -> None:
    chess = summary("Шахматы", Status.SUBMITTED)
    dance = summary("Танцы", Status.SUBMITTED)
    robots = summary("Роботы", Status.SUBMITTED)
    notices = decisions_between(
        [chess, dance, robots], [moved(chess, Status.CERTIFIED), moved(dance, Status.REFUSED), robots]
    )
    assert notices == ["Программа „Шахматы“ сертифицирована", "Программа „Танцы“: отказ, см. замечание"]
    for notice in notices:
        assert_russian(notice)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Status.DRAFT, Status.SUBMITTED),
        (Status.CERTIFIED, Status.CERTIFIED),
        (Status.REFUSED, Status.REFUSED),
        (Status.CERTIFIED, Status.DRAFT),
        (Status.CERTIFIED, Status.ARCHIVED),
    ],
)
def test_other_changes_are_not_news(before: Status, after: Status) -> None:
    item = summary("Шахматы", before)
    assert decisions_between([item], [moved(item, after)]) == []


@pytest.mark.parametrize("before", [Status.DRAFT, Status.SUBMITTED, Status.REFUSED])
def test_a_certification_after_any_other_status_is_news(before: Status) -> None:
    item = summary("Шахматы", before)
    assert decisions_between([item], [moved(item, Status.CERTIFIED)]) == ["Программа „Шахматы“ сертифицирована"]


def test_a_program_seen_for_the_first_time_is_not_news() -> None:
    assert decisions_between([], [summary("Шахматы", Status.CERTIFIED)]) == []


def test_the_full_name_stands_in_for_an_empty_short_name() -> None:
    item = summary("", Status.SUBMITTED)
    assert decisions_between([item], [moved(item, Status.CERTIFIED)]) == [
        "Программа „: полное название“ сертифицирована"
    ]


def test_a_certified_program_needs_recertification_only_when_certified_content_changes() -> None:
    certified = Program(
        id=uuid.uuid4(),
        full_name="Шахматы: полное название",
        short_name="Шахматы",
        direction=None,
        kind=None,
        form=None,
        level=None,
        age_range=AgeRange.from_years(5, 18),
        duration_months=9,
        status=Status.CERTIFIED,
    )
    assert not recertification_needed(certified, certified)
    assert recertification_needed(certified, dataclasses.replace(certified, goals="Новые цели"))
    draft = dataclasses.replace(certified, status=Status.DRAFT)
    assert not recertification_needed(draft, dataclasses.replace(draft, goals="Новые цели"))
