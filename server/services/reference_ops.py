"""Operations on an organization's reference lists: teachers (педагоги) and addresses where lessons take place.

They are the organization's own business, like schedules: they never touch certification. A record is
created and updated by one handler (the payload carries the whole record); an archived record keeps its
place in the list for history but refuses further edits. Another organization's record is «not found».
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from desktop_app.sync.payloads import AddressPayload, ArchivePayload, TeacherPayload
from desktop_app.sync.protocol import ChangeEntity
from server.db.models import AddressRow, TeacherRow
from server.services.audit import audit
from server.services.changes import record_change
from server.services.operations import HANDLERS, OperationContext, Outcome, Rejection
from server.services.records import address_record, teacher_record

Row = TypeVar("Row", TeacherRow, AddressRow)

TEACHER_MISSING = "Педагог не найден на сервере."
ADDRESS_MISSING = "Адрес не найден на сервере."


def _own(context: OperationContext, model: type[Row], row_id: uuid.UUID, missing: str) -> Row:
    """The organization's own row, or a refusal (another organization's row is «not found» too)."""
    row = context.session.get(model, row_id)
    if row is None or row.organization_id != context.organization.id:
        raise Rejection("not_found", missing)
    return row


def _saved(
    context: OperationContext, model: type[Row], row_id: uuid.UUID, missing: str, archived: Callable[[Row], str]
) -> Row:
    """The row a create or update writes into: the organization's own, or a new one when the id is unknown."""
    row = context.session.get(model, row_id)
    if row is None:
        row = model(id=row_id, organization_id=context.organization.id, archived=False)
        context.session.add(row)
    elif row.organization_id != context.organization.id:
        raise Rejection("not_found", missing)
    elif row.archived:
        raise Rejection("archived", archived(row))
    return row


def _changed(context: OperationContext, entity: ChangeEntity, row_id: uuid.UUID) -> None:
    record_change(
        context.session,
        now=context.now,
        entity=entity,
        entity_id=row_id,
        organization_id=context.organization.id,
    )


def _audit(context: OperationContext, action: str, entity: ChangeEntity, row_id: uuid.UUID) -> None:
    audit(
        context.session,
        at=context.now,
        action=action,
        entity=entity.value,
        entity_id=row_id,
        user_id=context.user_id,
        organization_id=context.organization.id,
    )


# ---------------------------------------------------------------- teachers


@HANDLERS.register("teacher.create", "teacher.update")
def save_teacher(context: OperationContext, payload: TeacherPayload) -> Outcome:
    if not payload.full_name.strip():
        raise Rejection("invalid_name", "Укажите ФИО педагога.")
    row = _saved(
        context,
        TeacherRow,
        payload.id,
        TEACHER_MISSING,
        lambda archived: f"Педагог «{archived.full_name}» в архиве: изменения не приняты.",
    )
    row.full_name = payload.full_name
    row.category = payload.category
    context.session.flush()
    _changed(context, ChangeEntity.TEACHER, row.id)
    _audit(context, "teacher.save", ChangeEntity.TEACHER, row.id)
    return Outcome(teacher_record(row))


@HANDLERS.register("teacher.archive")
def archive_teacher(context: OperationContext, payload: ArchivePayload) -> Outcome:
    row = _own(context, TeacherRow, payload.id, TEACHER_MISSING)
    row.archived = True
    _changed(context, ChangeEntity.TEACHER, row.id)
    _audit(context, "teacher.archive", ChangeEntity.TEACHER, row.id)
    return Outcome(teacher_record(row))


# ---------------------------------------------------------------- addresses


@HANDLERS.register("address.create", "address.update")
def save_address(context: OperationContext, payload: AddressPayload) -> Outcome:
    if not payload.text.strip():
        raise Rejection("invalid_address", "Укажите адрес проведения занятий.")
    row = _saved(
        context,
        AddressRow,
        payload.id,
        ADDRESS_MISSING,
        lambda archived: f"Адрес «{archived.text}» в архиве: изменения не приняты.",
    )
    row.text = payload.text
    row.note = payload.note
    context.session.flush()
    _changed(context, ChangeEntity.ADDRESS, row.id)
    _audit(context, "address.save", ChangeEntity.ADDRESS, row.id)
    return Outcome(address_record(row))


@HANDLERS.register("address.archive")
def archive_address(context: OperationContext, payload: ArchivePayload) -> Outcome:
    row = _own(context, AddressRow, payload.id, ADDRESS_MISSING)
    row.archived = True
    _changed(context, ChangeEntity.ADDRESS, row.id)
    _audit(context, "address.archive", ChangeEntity.ADDRESS, row.id)
    return Outcome(address_record(row))
