"""Programs with their modules, groups and weekly schedules, stored and loaded as whole trees.

The list of programs reads summaries instead: the columns it shows and counts over each tree, in one query.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Row, Select, false, func, literal, select, union
from sqlalchemy.orm import Session, selectinload

from desktop_app.domain.age import AgeRange
from desktop_app.domain.contract import ContractStatus
from desktop_app.domain.program import (
    CertificationStatus,
    Decision,
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
from desktop_app.domain.program_summary import ProgramHeader, ProgramSummary
from desktop_app.domain.text import collation_key
from desktop_app.storage.models import ContractRow, GroupRow, ModuleRow, OutboxRow, ProgramRow, ScheduleEntryRow

_TREE = (
    selectinload(ProgramRow.modules).selectinload(ModuleRow.groups).selectinload(GroupRow.schedule),
    selectinload(ProgramRow.decisions),
)


class ProgramRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, program_id: uuid.UUID, *, with_archived: bool = False) -> Program | None:
        """The program's tree; archived modules and groups only ``with_archived`` (a contract made in a group
        archived since still prints). Lessons taken out of a group's timetable never show."""
        row = self._session.get(ProgramRow, program_id, options=_TREE)
        return None if row is None else _program(row, with_archived)

    def list_all(self, statuses: Collection[CertificationStatus] | None = None) -> list[Program]:
        """Every program (or those in one of ``statuses``), in Russian alphabetical order of the full name."""
        query = select(ProgramRow).options(*_TREE)
        if statuses is not None:
            query = query.where(ProgramRow.status.in_([status.value for status in statuses]))
        rows = self._session.scalars(query)
        return sorted((_program(row) for row in rows), key=lambda program: collation_key(program.full_name))

    def summaries(self) -> list[ProgramSummary]:
        """A summary of every program, in Russian alphabetical order of the full name (see ``_summaries_query``)."""
        rows = self._session.execute(_summaries_query())
        return sorted((_summary(row) for row in rows), key=lambda summary: collation_key(summary.program.full_name))

    def save(self, program: Program, now: datetime) -> None:
        """Insert a program or replace the stored one, with its whole tree of modules and groups.

        Modules, groups and lessons missing from the new tree are archived (kept, out of the tree).
        """
        row = self._session.get(ProgramRow, program.id, options=_TREE)
        if row is None:
            row = ProgramRow(id=program.id, created_at=now)
            self._session.add(row)
        _fill_program(row, program)
        row.updated_at = now
        row.modules = _module_rows(row.modules, program.modules)
        self._session.flush()


def _summaries_query() -> Select[*tuple[Any, ...]]:
    """Each program's own columns with counts over the modules and groups of its tree, in one statement.

    What ``get`` leaves out of a tree is left out of the counts: archived modules, archived groups and the
    groups of archived modules. ``pending`` counts this workstation's contract requests in those groups that
    the server has not counted yet; ``waiting`` says whether the outbox holds a change of the program or of a
    module, group or lesson of its tree.
    """
    live_module = ModuleRow.archived.is_(false())
    live_group = GroupRow.archived.is_(false())
    zero = literal(0)
    modules = (
        select(ModuleRow.program_id, func.count().label("count"))
        .where(live_module)
        .group_by(ModuleRow.program_id)
        .subquery()
    )
    pending_per_group = (
        select(ContractRow.group_id, func.count().label("count"))
        .where(ContractRow.status == ContractStatus.PENDING.value)
        .group_by(ContractRow.group_id)
        .subquery()
    )
    groups = (
        select(
            ModuleRow.program_id,
            func.count().label("count"),
            func.sum(GroupRow.taken).label("taken"),
            func.sum(GroupRow.capacity).label("capacity"),
            func.sum(func.coalesce(pending_per_group.c.count, zero)).label("pending"),
        )
        .join(GroupRow, GroupRow.module_id == ModuleRow.id)
        .outerjoin(pending_per_group, pending_per_group.c.group_id == GroupRow.id)
        .where(live_module, live_group)
        .group_by(ModuleRow.program_id)
        .subquery()
    )
    queued = select(OutboxRow.entity_id)
    waiting = union(
        select(ProgramRow.id).where(ProgramRow.id.in_(queued)),
        select(ModuleRow.program_id).where(live_module, ModuleRow.id.in_(queued)),
        select(ModuleRow.program_id)
        .join(GroupRow, GroupRow.module_id == ModuleRow.id)
        .where(live_module, live_group, GroupRow.id.in_(queued)),
        select(ModuleRow.program_id)
        .join(GroupRow, GroupRow.module_id == ModuleRow.id)
        .join(ScheduleEntryRow, ScheduleEntryRow.group_id == GroupRow.id)
        .where(live_module, live_group, ScheduleEntryRow.archived.is_(false()), ScheduleEntryRow.id.in_(queued)),
    )
    return (
        select(
            ProgramRow.id,
            ProgramRow.full_name,
            ProgramRow.short_name,
            ProgramRow.direction,
            ProgramRow.kind,
            ProgramRow.age_from_months,
            ProgramRow.age_to_months,
            ProgramRow.status,
            func.coalesce(modules.c.count, zero).label("module_count"),
            func.coalesce(groups.c.count, zero).label("group_count"),
            func.coalesce(groups.c.taken, zero).label("taken"),
            func.coalesce(groups.c.capacity, zero).label("capacity"),
            func.coalesce(groups.c.pending, zero).label("pending"),
            ProgramRow.id.in_(waiting).label("waiting"),
        )
        .outerjoin(modules, modules.c.program_id == ProgramRow.id)
        .outerjoin(groups, groups.c.program_id == ProgramRow.id)
    )


def _summary(row: Row[*tuple[Any, ...]]) -> ProgramSummary:
    program_id, full_name, short_name, direction, kind, age_from, age_to, status, *counts = row
    module_count, group_count, taken, capacity, pending, waiting = counts
    header = ProgramHeader(
        id=program_id,
        full_name=full_name,
        short_name=short_name,
        direction=Direction(direction) if direction else None,
        kind=ProgramKind(kind) if kind else None,
        age_range=AgeRange(age_from, age_to),
        status=CertificationStatus(status),
    )
    return ProgramSummary(header, module_count, group_count, taken, capacity, bool(waiting), pending)


def _fill_program(row: ProgramRow, program: Program) -> None:
    row.full_name = program.full_name
    row.short_name = program.short_name
    row.direction = program.direction.value if program.direction else None
    row.kind = program.kind.value if program.kind else None
    row.form = program.form.value if program.form else None
    row.level = program.level.value if program.level else None
    row.distance_technologies = program.distance_technologies
    row.age_from_months = program.age_range.from_months
    row.age_to_months = program.age_range.to_months
    row.duration_months = program.duration_months
    row.annotation = program.annotation
    row.goals = program.goals
    row.expected_results = program.expected_results
    row.medical_certificate_required = program.medical_certificate_required
    row.accessible_for_disabled = program.accessible_for_disabled
    row.final_document = program.final_document
    row.addresses_json = json.dumps(list(program.addresses), ensure_ascii=False)
    row.status = program.status.value


def _module_rows(existing: list[ModuleRow], modules: tuple[Module, ...]) -> list[ModuleRow]:
    """Rows for the modules: stored rows are updated in place (their identity is kept), new ones made."""
    by_id = {row.id: row for row in existing}
    rows = []
    for position, module in enumerate(modules):
        row = by_id.get(module.id) or ModuleRow(id=module.id)
        row.position = position
        row.name = module.name
        row.months = module.months
        row.hours = module.hours
        row.min_group_size = module.min_group_size
        row.max_group_size = module.max_group_size
        row.teacher_qualification = module.teacher_qualification
        row.price = module.price
        row.normative = module.normative
        row.groups = _group_rows(row.groups, module.groups)
        rows.append(row)
    return rows + _archived_left_out(existing, rows)


def _group_rows(existing: list[GroupRow], groups: tuple[Group, ...]) -> list[GroupRow]:
    by_id = {row.id: row for row in existing}
    rows = []
    for position, group in enumerate(groups):
        row = by_id.get(group.id) or GroupRow(id=group.id)
        row.position = position
        row.name = group.name
        row.teacher = group.teacher
        row.start_date = group.start_date
        row.end_date = group.end_date
        row.capacity = group.capacity
        row.schedule = _schedule_rows(row.schedule, group.schedule)
        rows.append(row)
    return rows + _archived_left_out(existing, rows)


def _schedule_rows(existing: list[ScheduleEntryRow], entries: tuple[ScheduleEntry, ...]) -> list[ScheduleEntryRow]:
    by_id = {row.id: row for row in existing}
    rows = []
    for position, entry in enumerate(entries):
        row = by_id.get(entry.id) or ScheduleEntryRow(id=entry.id)
        row.position = position
        row.weekday = int(entry.weekday)
        row.starts_at = entry.starts_at
        row.ends_at = entry.ends_at
        row.room = entry.room
        row.address = entry.address
        rows.append(row)
    return rows + _archived_left_out(existing, rows)


Child = TypeVar("Child", ModuleRow, GroupRow, ScheduleEntryRow)


def _archived_left_out(existing: list[Child], kept: list[Child]) -> list[Child]:
    """Children left out of the new tree are archived, not deleted: contracts and the server refer to them."""
    kept_ids = {row.id for row in kept}
    left_out = [row for row in existing if row.id not in kept_ids]
    for row in left_out:
        row.archived = True
    return left_out


def _program(row: ProgramRow, with_archived: bool = False) -> Program:
    return Program(
        id=row.id,
        full_name=row.full_name,
        short_name=row.short_name,
        direction=Direction(row.direction) if row.direction else None,
        kind=ProgramKind(row.kind) if row.kind else None,
        form=StudyForm(row.form) if row.form else None,
        level=Level(row.level) if row.level else None,
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
        modules=tuple(_module(module, with_archived) for module in row.modules if with_archived or not module.archived),
        decisions=tuple(
            Decision(
                decision=CertificationStatus(decision.decision),
                remark=decision.remark,
                author=decision.author,
                decided_at=decision.decided_at,
            )
            for decision in row.decisions
        ),
    )


def _module(row: ModuleRow, with_archived: bool = False) -> Module:
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
        groups=tuple(_group(group) for group in row.groups if with_archived or not group.archived),
    )


def _group(row: GroupRow) -> Group:
    return Group(
        id=row.id,
        name=row.name,
        teacher=row.teacher,
        start_date=row.start_date,
        end_date=row.end_date,
        capacity=row.capacity,
        taken=row.taken,
        schedule=tuple(
            ScheduleEntry(
                id=entry.id,
                weekday=Weekday(entry.weekday),
                starts_at=entry.starts_at,
                ends_at=entry.ends_at,
                room=entry.room,
                address=entry.address,
            )
            for entry in row.schedule
            if not entry.archived
        ),
    )
