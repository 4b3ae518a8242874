"""Programs of a region-scale demo: certified programs with modules, groups and weekly schedules.

The texts come from the demo region's programs, numbered so that every name in the region is distinct.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table

from desktop_app.domain.age import AgeRange
from server.db.models import CertificationDecision, GroupRow, ModuleRow, ProgramRow, ScheduleEntryRow
from server.services.demo import LESSON_MINUTES, LESSON_STARTS, WEEKLY_PATTERNS
from server.services.demo_data import ORGANIZATIONS, TEACHERS, ProgramPlan

PLANS: tuple[ProgramPlan, ...] = tuple(plan for organization in ORGANIZATIONS for plan in organization.programs)


@dataclass(frozen=True, slots=True)
class Place:
    """A group open for enrolment, with what a contract on it needs."""

    group_id: uuid.UUID
    module_id: uuid.UUID
    program_id: uuid.UUID
    ages: AgeRange
    price: int
    normative: int
    start: date
    end: date
    capacity: int


@dataclass
class ProgramsBuilt:
    programs: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    modules: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    places: dict[uuid.UUID, list[Place]] = field(default_factory=dict)
    """Groups of each organization."""
    taken: dict[uuid.UUID, int] = field(default_factory=dict)
    """Places each group has given to contracts so far."""

    def tables(self) -> Iterator[tuple[Table | Any, list[dict[str, Any]]]]:
        """Each table with its rows, parents before children."""
        yield ProgramRow.__table__, self.programs
        yield CertificationDecision.__table__, self.decisions
        yield ModuleRow.__table__, self.modules
        yield GroupRow.__table__, self.groups
        yield ScheduleEntryRow.__table__, self.schedules


def build_programs(
    rng: random.Random, organization_ids: list[uuid.UUID], count: int, group_year: date, now: datetime
) -> ProgramsBuilt:
    """``count`` programs spread evenly over the organizations."""
    built = ProgramsBuilt()
    group_end = date(group_year.year + 1, 5, 31)
    for number in range(count):
        owner = organization_ids[number % len(organization_ids)]
        plan = PLANS[number % len(PLANS)]
        program_id = _uuid(rng)
        address = f"г. Кемерово, ул. Учебная, д. {number % 200 + 1}"
        built.programs.append(_program_row(program_id, owner, plan, number, address, now))
        for decision, days in (("submitted", 14), ("certified", 7)):
            built.decisions.append(
                {
                    "id": _uuid(rng),
                    "program_id": program_id,
                    "decision": decision,
                    "remark": "Программа соответствует требованиям." if decision == "certified" else "",
                    "author_id": None,
                    "author_name": "Оператор региона",
                    "decided_at": now - timedelta(days=days),
                }
            )
        for position, module in enumerate(plan.modules):
            module_id = _uuid(rng)
            built.modules.append(
                {
                    "id": module_id,
                    "program_id": program_id,
                    "organization_id": owner,
                    "position": position,
                    "name": module.name,
                    "months": module.months,
                    "hours": module.hours,
                    "min_group_size": module.min_group_size,
                    "max_group_size": module.max_group_size,
                    "teacher_qualification": module.teacher_qualification,
                    "price": module.price_roubles * 100,
                    "normative": module.normative_roubles * 100,
                    "archived": False,
                }
            )
            for group_number in range(1, rng.randint(1, 3) + 1):
                group_id = _uuid(rng)
                capacity = rng.randint(module.min_group_size, module.max_group_size)
                built.groups.append(
                    {
                        "id": group_id,
                        "module_id": module_id,
                        "organization_id": owner,
                        "name": f"Группа {position + 1}.{group_number}",
                        "teacher": rng.choice(TEACHERS),
                        "start_date": group_year,
                        "end_date": group_end,
                        "capacity": capacity,
                        "taken": 0,
                        "archived": False,
                    }
                )
                built.places.setdefault(owner, []).append(
                    Place(
                        group_id,
                        module_id,
                        program_id,
                        AgeRange(plan.ages[0] * 12, plan.ages[1] * 12),
                        module.price_roubles * 100,
                        module.normative_roubles * 100,
                        group_year,
                        group_end,
                        capacity,
                    )
                )
                built.taken[group_id] = 0
                built.schedules.extend(_schedule(rng, group_id, owner, address))
    return built


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _program_row(
    program_id: uuid.UUID, owner: uuid.UUID, plan: ProgramPlan, number: int, address: str, now: datetime
) -> dict[str, Any]:
    edition = number // len(PLANS) + 1
    return {
        "id": program_id,
        "organization_id": owner,
        "full_name": f"{plan.full_name}, редакция {edition}",
        "short_name": f"{plan.short_name} — {edition}",
        "direction": plan.direction,
        "kind": plan.kind,
        "form": "full_time",
        "level": plan.level,
        "distance_technologies": False,
        "age_from_months": plan.ages[0] * 12,
        "age_to_months": plan.ages[1] * 12,
        "duration_months": sum(module.months for module in plan.modules),
        "annotation": plan.annotation,
        "goals": plan.goals,
        "expected_results": plan.expected_results,
        "medical_certificate_required": plan.medical_certificate_required,
        "accessible_for_disabled": plan.accessible_for_disabled,
        "final_document": plan.final_document,
        "addresses_json": json.dumps([address], ensure_ascii=False),
        "status": "certified",
        "archived": False,
        "created_at": now - timedelta(days=30),
        "updated_at": now - timedelta(days=7),
    }


def _schedule(rng: random.Random, group_id: uuid.UUID, owner: uuid.UUID, address: str) -> list[dict[str, Any]]:
    starts = rng.choice(LESSON_STARTS)
    ends = (datetime.combine(date.min, starts) + timedelta(minutes=LESSON_MINUTES)).time()
    room = f"каб. {rng.randint(1, 40)}"
    return [
        {
            "id": _uuid(rng),
            "group_id": group_id,
            "organization_id": owner,
            "weekday": weekday,
            "starts_at": starts,
            "ends_at": ends,
            "room": room,
            "address": address,
            "archived": False,
        }
        for weekday in rng.choice(WEEKLY_PATTERNS)
    ]
