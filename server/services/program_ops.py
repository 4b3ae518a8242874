"""Operations on an organization's programs, modules, groups and schedules, and sending for certification.

Editing what the operator certified (program fields, modules) sends the program back to draft: it must
be certified again. Editing a program under certification is kept and flagged for the operator. Groups
and schedules are the organization's business and never touch certification.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, TypeVar

from sqlalchemy import func, select

from desktop_app.domain.money import plural_form
from desktop_app.domain.validation import ValidationPolicy, validate_program
from desktop_app.sync.payloads import (
    ArchivePayload,
    GroupPayload,
    ModulePayload,
    ProgramPayload,
    ScheduleEntryPayload,
    SubmitPayload,
)
from desktop_app.sync.protocol import ChangeEntity, OperationStatus
from server.db.models import CertificationDecision, ContractRow, GroupRow, ModuleRow, ProgramRow, ScheduleEntryRow
from server.db.models.contracts import OPEN_STATUSES
from server.services.audit import audit
from server.services.changes import record_change
from server.services.domain_views import program_tree
from server.services.operations import HANDLERS, OperationContext, Outcome, Rejection, money
from server.services.records import group_record, module_record, program_record, schedule_record

Row = TypeVar("Row", ProgramRow, ModuleRow, GroupRow, ScheduleEntryRow)

PROGRAM_FIELDS = (
    "full_name",
    "short_name",
    "direction",
    "kind",
    "form",
    "level",
    "distance_technologies",
    "age_from_months",
    "age_to_months",
    "duration_months",
    "annotation",
    "goals",
    "expected_results",
    "medical_certificate_required",
    "accessible_for_disabled",
    "final_document",
)
MODULE_FIELDS = (
    "position",
    "name",
    "months",
    "hours",
    "min_group_size",
    "max_group_size",
    "teacher_qualification",
    "price",
)
CHOICE_FIELDS = ("direction", "kind", "form", "level")
CHOICE_MAX_LENGTH = 32
GROUP_FIELDS = ("name", "teacher", "start_date", "end_date", "capacity")
SCHEDULE_FIELDS = ("weekday", "starts_at", "ends_at", "room", "address")

SENT_BACK = "Программа изменена после сертификации и снова стала черновиком: отправьте её на сертификацию."
UNDER_REVIEW = "Программа на сертификации: изменения сохранены, оператор увидит их при рассмотрении."


def _own(context: OperationContext, model: type[Row], row_id: uuid.UUID, missing: str) -> Row:
    """The organization's own row, or a refusal (another organization's row is «not found» too)."""
    row = context.session.get(model, row_id)
    if row is None or row.organization_id != context.organization.id:
        raise Rejection("not_found", missing)
    return row


def _fresh_id(context: OperationContext, model: type[Row], row_id: uuid.UUID) -> None:
    if context.session.get(model, row_id) is not None:
        raise Rejection("already_exists", "Запись с таким идентификатором уже есть на сервере.")


def _editable_program(context: OperationContext, program_id: uuid.UUID) -> ProgramRow:
    program = _own(context, ProgramRow, program_id, "Программа не найдена на сервере.")
    if program.archived:
        raise Rejection("archived", f"Программа «{program.short_name}» в архиве: изменения не приняты.")
    return program


def _changed(context: OperationContext, entity: ChangeEntity, row_id: uuid.UUID, *, deleted: bool = False) -> None:
    record_change(
        context.session,
        now=context.now,
        entity=entity,
        entity_id=row_id,
        organization_id=context.organization.id,
        deleted=deleted,
    )


def _audit(context: OperationContext, action: str, entity: str, row_id: uuid.UUID, details: Any = None) -> None:
    audit(
        context.session,
        at=context.now,
        action=action,
        entity=entity,
        entity_id=row_id,
        user_id=context.user_id,
        organization_id=context.organization.id,
        details=details,
    )


def _certification_touched(context: OperationContext, program: ProgramRow) -> Outcome | None:
    """After an edit of what certification covers: back to draft, or flagged while under review."""
    if program.status == "certified":
        program.status = "draft"
        program.updated_at = context.now
        _changed(context, ChangeEntity.PROGRAM, program.id)
        return Outcome({}, OperationStatus.APPLIED, SENT_BACK)
    if program.status == "submitted":
        return Outcome({}, OperationStatus.NEEDS_REVIEW, UNDER_REVIEW)
    return None


def _with_record(outcome: Outcome | None, record: dict[str, Any]) -> Outcome:
    if outcome is None:
        return Outcome(record)
    return Outcome(record, outcome.status, outcome.message)


def _has_open_contracts(context: OperationContext, column: Any, row_id: uuid.UUID) -> bool:
    count = context.session.scalar(
        select(func.count()).select_from(ContractRow).where(column == row_id, ContractRow.status.in_(OPEN_STATUSES))
    )
    return bool(count)


# ---------------------------------------------------------------- programs


@HANDLERS.register("program.create")
def create_program(context: OperationContext, payload: ProgramPayload) -> Outcome:
    _fresh_id(context, ProgramRow, payload.id)
    row = ProgramRow(
        id=payload.id,
        organization_id=context.organization.id,
        status="draft",
        archived=False,
        created_at=context.now,
    )
    _fill_program(row, payload, context)
    context.session.add(row)
    context.session.flush()
    _changed(context, ChangeEntity.PROGRAM, row.id)
    _audit(context, "program.create", "program", row.id, {"name": row.full_name})
    return Outcome(program_record(context.session, row))


@HANDLERS.register("program.update")
def update_program(context: OperationContext, payload: ProgramPayload) -> Outcome:
    row = _editable_program(context, payload.id)
    _fill_program(row, payload, context)
    _changed(context, ChangeEntity.PROGRAM, row.id)
    outcome = _certification_touched(context, row)
    _audit(context, "program.update", "program", row.id)
    return _with_record(outcome, program_record(context.session, row))


def _fill_program(row: ProgramRow, payload: ProgramPayload, context: OperationContext) -> None:
    # The choices are stored in 32-character columns: PostgreSQL would refuse a longer value with an error.
    too_long = [name for name in CHOICE_FIELDS if len(getattr(payload, name) or "") > CHOICE_MAX_LENGTH]
    if too_long:
        raise Rejection("invalid_payload", f"Неверные данные операции, поля: {', '.join(too_long)}.")
    for name in PROGRAM_FIELDS:
        setattr(row, name, getattr(payload, name))
    row.addresses_json = json.dumps(payload.addresses, ensure_ascii=False)
    row.updated_at = context.now


@HANDLERS.register("program.archive")
def archive_program(context: OperationContext, payload: ArchivePayload) -> Outcome:
    row = _own(context, ProgramRow, payload.id, "Программа не найдена на сервере.")
    if _has_open_contracts(context, ContractRow.program_id, row.id):
        raise Rejection("has_contracts", f"По программе «{row.short_name}» есть действующие договоры: в архив нельзя.")
    row.archived = True
    row.updated_at = context.now
    _changed(context, ChangeEntity.PROGRAM, row.id)
    _audit(context, "program.archive", "program", row.id)
    return Outcome(program_record(context.session, row))


@HANDLERS.register("program.submit")
def submit_program(context: OperationContext, payload: SubmitPayload) -> Outcome:
    row = _editable_program(context, payload.program_id)
    if row.status in ("submitted", "certified"):
        raise Rejection("already_submitted", f"Программа «{row.short_name}» уже на сертификации или сертифицирована.")
    policy = ValidationPolicy(max_price_percent_of_normative=context.config.max_price_percent_of_normative)
    errors = validate_program(program_tree(context.session, row), policy)
    if errors:
        listed = " ".join(error.message for error in errors[:5])
        more = f" (и ещё {len(errors) - 5})" if len(errors) > 5 else ""
        raise Rejection(
            "validation_failed", f"Программа заполнена не полностью: {listed}{more}", {"errors": len(errors)}
        )
    row.status = "submitted"
    row.updated_at = context.now
    context.session.add(
        CertificationDecision(
            program_id=row.id, decision="submitted", remark="", author_name="организация", decided_at=context.now
        )
    )
    context.session.flush()
    _changed(context, ChangeEntity.PROGRAM, row.id)
    _audit(context, "program.submit", "program", row.id)
    return Outcome(program_record(context.session, row))


# ---------------------------------------------------------------- modules


@HANDLERS.register("module.create", "module.update")
def save_module(context: OperationContext, payload: ModulePayload) -> Outcome:
    program = _editable_program(context, payload.program_id)
    row = context.session.get(ModuleRow, payload.id)
    if row is None:
        row = ModuleRow(id=payload.id, organization_id=context.organization.id, archived=False)
        context.session.add(row)
    elif row.organization_id != context.organization.id or row.program_id != payload.program_id:
        raise Rejection("not_found", "Модуль не найден на сервере.")
    elif row.archived:
        raise Rejection("archived", f"Модуль «{row.name}» в архиве: изменения не приняты.")
    _check_price(context, row.normative, payload.price)
    row.program_id = payload.program_id
    for name in MODULE_FIELDS:
        setattr(row, name, getattr(payload, name))
    context.session.flush()
    _changed(context, ChangeEntity.MODULE, row.id)
    outcome = _certification_touched(context, program)
    _audit(context, "module.save", "module", row.id)
    return _with_record(outcome, module_record(row))


def _check_price(context: OperationContext, normative: int | None, price: int) -> None:
    percent = context.config.max_price_percent_of_normative
    if normative is not None and price * 100 > normative * percent:
        raise Rejection(
            "price_above_normative",
            f"Цена модуля {money(price)} выше допустимой: не более {percent} % нормативной стоимости "
            f"({money(normative * percent // 100)}).",
            {"price": price, "normative": normative, "percent": percent},
        )


@HANDLERS.register("module.archive")
def archive_module(context: OperationContext, payload: ArchivePayload) -> Outcome:
    row = _own(context, ModuleRow, payload.id, "Модуль не найден на сервере.")
    if _has_open_contracts(context, ContractRow.module_id, row.id):
        raise Rejection("has_contracts", f"По модулю «{row.name}» есть действующие договоры: в архив нельзя.")
    row.archived = True
    _changed(context, ChangeEntity.MODULE, row.id)
    _audit(context, "module.archive", "module", row.id)
    return Outcome(module_record(row))


# ---------------------------------------------------------------- groups


@HANDLERS.register("group.create", "group.update")
def save_group(context: OperationContext, payload: GroupPayload) -> Outcome:
    module = _own(context, ModuleRow, payload.module_id, "Модуль группы не найден на сервере.")
    _editable_program(context, module.program_id)
    row = context.session.get(GroupRow, payload.id)
    if row is None:
        row = GroupRow(id=payload.id, organization_id=context.organization.id, taken=0, archived=False)
        context.session.add(row)
    elif row.organization_id != context.organization.id or row.module_id != payload.module_id:
        raise Rejection("not_found", "Группа не найдена на сервере.")
    elif row.archived:
        raise Rejection("archived", f"Группа «{row.name}» в архиве: изменения не приняты.")
    if payload.end_date < payload.start_date:
        raise Rejection("invalid_dates", "Дата окончания занятий группы раньше даты начала.")
    if not 1 <= payload.capacity <= module.max_group_size:
        raise Rejection("invalid_capacity", f"Мест в группе может быть от 1 до {module.max_group_size}.")
    if payload.capacity < row.taken:
        raise Rejection(
            "capacity_below_taken",
            f"Нельзя оставить в группе {payload.capacity} "
            f"{plural_form(payload.capacity, 'место', 'места', 'мест')}: по договорам уже занято {row.taken}.",
            {"capacity": payload.capacity, "taken": row.taken},
        )
    row.module_id = payload.module_id
    for name in GROUP_FIELDS:
        setattr(row, name, getattr(payload, name))
    context.session.flush()
    _changed(context, ChangeEntity.GROUP, row.id)
    _audit(context, "group.save", "group", row.id)
    return Outcome(group_record(row))


@HANDLERS.register("group.archive")
def archive_group(context: OperationContext, payload: ArchivePayload) -> Outcome:
    row = _own(context, GroupRow, payload.id, "Группа не найдена на сервере.")
    if row.taken:
        raise Rejection("has_contracts", f"В группе «{row.name}» есть договоры: в архив нельзя.")
    row.archived = True
    _changed(context, ChangeEntity.GROUP, row.id)
    _audit(context, "group.archive", "group", row.id)
    return Outcome(group_record(row))


# ---------------------------------------------------------------- schedule


@HANDLERS.register("schedule.create", "schedule.update")
def save_schedule_entry(context: OperationContext, payload: ScheduleEntryPayload) -> Outcome:
    _own(context, GroupRow, payload.group_id, "Группа занятия не найдена на сервере.")
    if payload.ends_at <= payload.starts_at:
        raise Rejection("invalid_time", "Занятие должно заканчиваться позже, чем начинается.")
    row = context.session.get(ScheduleEntryRow, payload.id)
    if row is None:
        row = ScheduleEntryRow(id=payload.id, organization_id=context.organization.id, archived=False)
        context.session.add(row)
    elif row.organization_id != context.organization.id or row.group_id != payload.group_id:
        raise Rejection("not_found", "Занятие не найдено на сервере.")
    row.group_id = payload.group_id
    for name in SCHEDULE_FIELDS:
        setattr(row, name, getattr(payload, name))
    context.session.flush()
    _changed(context, ChangeEntity.SCHEDULE_ENTRY, row.id)
    _audit(context, "schedule.save", "schedule_entry", row.id)
    return Outcome(schedule_record(row))


@HANDLERS.register("schedule.archive")
def archive_schedule_entry(context: OperationContext, payload: ArchivePayload) -> Outcome:
    row = _own(context, ScheduleEntryRow, payload.id, "Занятие не найдено на сервере.")
    row.archived = True
    _changed(context, ChangeEntity.SCHEDULE_ENTRY, row.id)
    _audit(context, "schedule.archive", "schedule_entry", row.id)
    return Outcome(schedule_record(row))
