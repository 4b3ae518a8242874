"""Programs made at a workstation reach the operator, and the decision comes back with the next sync."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, time

from fastapi.testclient import TestClient

from desktop_app.domain.age import AgeRange
from desktop_app.domain.program import (
    CertificationStatus,
    Direction,
    Group,
    Level,
    Module,
    Program,
    ProgramKind,
    ScheduleEntry,
    StudyForm,
    Weekday,
)
from desktop_app.progress import TaskControl
from tests.server.world import World, login
from tests.sync.conftest import Workstation


def lessons() -> tuple[ScheduleEntry, ...]:
    return tuple(
        ScheduleEntry(uuid.uuid4(), weekday, time(15), time(16, 30), "каб. 12", "ул. Ленина, 1")
        for weekday in (Weekday.MONDAY, Weekday.THURSDAY)
    )


def new_program() -> Program:
    groups = tuple(
        Group(uuid.uuid4(), f"Группа {letter}", "Иванова И. И.", date(2026, 9, 1), date(2027, 5, 31), 12, lessons())
        for letter in "АБ"
    )
    modules = tuple(
        Module(uuid.uuid4(), f"{year}-й год обучения", 9, 72, 5, 15, 900_000, groups=groups if year == 1 else ())
        for year in (1, 2)
    )
    return Program(
        id=uuid.uuid4(),
        full_name="Шахматы для начинающих",
        short_name="Шахматы",
        direction=Direction.SOCIAL,
        kind=ProgramKind.GENERAL_DEVELOPMENTAL,
        form=StudyForm.FULL_TIME,
        level=Level.STARTING,
        age_range=AgeRange.from_years(6, 12),
        duration_months=18,
        addresses=("ул. Ленина, 1",),
        modules=modules,
    )


def test_a_program_made_offline_is_certified_and_the_decision_comes_back(
    workstation: Workstation, world: World, client: TestClient
) -> None:
    clerk = workstation(world.a.clerk)
    program = clerk.programs.save(new_program())
    clerk.programs.submit(program.id)
    summaries = {summary.program.id: summary for summary in clerk.programs.summaries()}
    assert summaries[program.id].status_label == "ждёт отправки"

    report = clerk.sync.sync(TaskControl())
    assert report.rejected == 0
    assert clerk.programs.get(program.id).status is CertificationStatus.SUBMITTED  # type: ignore[union-attr]

    operator = login(client, world.operator)
    normatives = {str(module.id): 1_000_000 for module in program.modules}
    response = client.post(
        f"/api/v1/operator/programs/{program.id}/certify", headers=operator, json={"normatives": normatives}
    )
    assert response.status_code == 200, response.text

    clerk.sync.sync(TaskControl())
    certified = clerk.programs.get(program.id)
    assert certified is not None
    assert certified.status is CertificationStatus.CERTIFIED
    assert [module.normative for module in certified.modules] == [1_000_000, 1_000_000]
    assert certified.decisions[0].decision is CertificationStatus.CERTIFIED


def test_a_refusal_with_a_remark_then_an_edit_and_a_resubmission(
    workstation: Workstation, world: World, client: TestClient
) -> None:
    clerk = workstation(world.a.clerk)
    program = clerk.programs.save(new_program())
    clerk.programs.submit(program.id)
    clerk.sync.sync(TaskControl())
    operator = login(client, world.operator)
    remark = "Уточните ожидаемые результаты второго года."
    assert (
        client.post(
            f"/api/v1/operator/programs/{program.id}/refuse", headers=operator, json={"remark": remark}
        ).status_code
        == 200
    )
    clerk.sync.sync(TaskControl())
    refused = clerk.programs.get(program.id)
    assert refused is not None
    assert refused.status is CertificationStatus.REFUSED
    assert refused.decisions[0].remark == remark

    edited = clerk.programs.save(dataclasses.replace(refused, expected_results="Разряд по шахматам."))
    clerk.programs.submit(edited.id)
    report = clerk.sync.sync(TaskControl())
    assert report.rejected == 0
    assert clerk.programs.get(program.id).status is CertificationStatus.SUBMITTED  # type: ignore[union-attr]
