"""Programs and their parts as operation payloads (the shapes of ``desktop_app.sync.protocol``)."""

from __future__ import annotations

import uuid
from typing import Any

from desktop_app.domain.program import Group, Module, Program, ScheduleEntry


def program_payload(program: Program) -> dict[str, Any]:
    return {
        "id": str(program.id),
        "full_name": program.full_name,
        "short_name": program.short_name,
        "direction": program.direction.value if program.direction else None,
        "kind": program.kind.value if program.kind else None,
        "form": program.form.value if program.form else None,
        "level": program.level.value if program.level else None,
        "distance_technologies": program.distance_technologies,
        "age_from_months": program.age_range.from_months,
        "age_to_months": program.age_range.to_months,
        "duration_months": program.duration_months,
        "annotation": program.annotation,
        "goals": program.goals,
        "expected_results": program.expected_results,
        "medical_certificate_required": program.medical_certificate_required,
        "accessible_for_disabled": program.accessible_for_disabled,
        "final_document": program.final_document,
        "addresses": list(program.addresses),
    }


def module_payload(module: Module, program_id: uuid.UUID, position: int) -> dict[str, Any]:
    return {
        "id": str(module.id),
        "program_id": str(program_id),
        "position": position,
        "name": module.name,
        "months": module.months,
        "hours": module.hours,
        "min_group_size": module.min_group_size,
        "max_group_size": module.max_group_size,
        "teacher_qualification": module.teacher_qualification,
        "price": module.price,
    }


def group_payload(group: Group, module_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(group.id),
        "module_id": str(module_id),
        "name": group.name,
        "teacher": group.teacher,
        "start_date": group.start_date.isoformat(),
        "end_date": group.end_date.isoformat(),
        "capacity": group.capacity,
    }


def schedule_payload(entry: ScheduleEntry, group_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(entry.id),
        "group_id": str(group_id),
        "weekday": int(entry.weekday),
        "starts_at": entry.starts_at.isoformat(timespec="minutes"),
        "ends_at": entry.ends_at.isoformat(timespec="minutes"),
        "room": entry.room,
        "address": entry.address,
    }
