"""Server rows seen as domain objects, so the domain's rules (validation, pricing) run on them unchanged."""

from __future__ import annotations

import enum
import json
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

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
from server.db.models import GroupRow, ModuleRow, ProgramRow, ScheduleEntryRow

E = TypeVar("E", bound=enum.StrEnum)


def _enum_or_none(kind: type[E], value: str | None) -> E | None:
    """An enumeration member, or None for an empty or unknown value (validation then names the field)."""
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def program_tree(session: Session, row: ProgramRow) -> Program:
    """The program with its modules, groups and schedules that are not archived."""
    modules = session.scalars(
        select(ModuleRow).where(ModuleRow.program_id == row.id, ~ModuleRow.archived).order_by(ModuleRow.position)
    )
    return Program(
        id=row.id,
        full_name=row.full_name,
        short_name=row.short_name,
        direction=_enum_or_none(Direction, row.direction),
        kind=_enum_or_none(ProgramKind, row.kind),
        form=_enum_or_none(StudyForm, row.form),
        level=_enum_or_none(Level, row.level),
        age_range=AgeRange(row.age_from_months, row.age_to_months),
        duration_months=row.duration_months,
        distance_technologies=row.distance_technologies,
        annotation=row.annotation,
        goals=row.goals,
        expected_results=row.expected_results,
        medical_certificate_required=row.medical_certificate_required,
        accessible_for_disabled=row.accessible_for_disabled,
        final_document=row.final_document,
        addresses=tuple(json.loads(row.addresses_json)),
        status=CertificationStatus(row.status),
        modules=tuple(_module(session, module) for module in modules),
    )


def _module(session: Session, row: ModuleRow) -> Module:
    groups = session.scalars(
        select(GroupRow).where(GroupRow.module_id == row.id, ~GroupRow.archived).order_by(GroupRow.start_date)
    )
    return Module(
        id=row.id,
        name=row.name,
        months=row.months,
        hours=row.hours,
        min_group_size=row.min_group_size,
        max_group_size=row.max_group_size,
        price=row.price,
        teacher_qualification=row.teacher_qualification,
        normative=row.normative,
        groups=tuple(_group(session, group) for group in groups),
    )


def _group(session: Session, row: GroupRow) -> Group:
    entries = session.scalars(
        select(ScheduleEntryRow)
        .where(ScheduleEntryRow.group_id == row.id, ~ScheduleEntryRow.archived)
        .order_by(ScheduleEntryRow.weekday, ScheduleEntryRow.starts_at)
    )
    return Group(
        id=row.id,
        name=row.name,
        teacher=row.teacher,
        start_date=row.start_date,
        end_date=row.end_date,
        capacity=row.capacity,
        schedule=tuple(
            ScheduleEntry(
                id=entry.id,
                weekday=Weekday(entry.weekday),
                starts_at=entry.starts_at,
                ends_at=entry.ends_at,
                room=entry.room,
                address=entry.address,
            )
            for entry in entries
        ),
    )
