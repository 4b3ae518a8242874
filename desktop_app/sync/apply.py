"""Writing what the server said into the local database: pulled changes and records in push results."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from desktop_app.domain.certificate import CertificateKind, CertificateRecord
from desktop_app.domain.pricing import FinancingPeriod
from desktop_app.storage.database import UnitOfWork
from desktop_app.sync.protocol import Change, ChangeEntity
from desktop_app.sync.server_records import (
    AddressRecord,
    CertificateMirrorRecord,
    ContractRecord,
    GroupRecord,
    ModuleRecord,
    OrganizationRecord,
    PeriodRecord,
    ProgramRecord,
    ScheduleEntryRecord,
    TeacherRecord,
)

# Parents before children, so a page never inserts a module before its program; the reference lists that
# groups and schedules name come first.
ENTITY_ORDER = {
    ChangeEntity.TEACHER: 0,
    ChangeEntity.ADDRESS: 1,
    ChangeEntity.PROGRAM: 2,
    ChangeEntity.MODULE: 3,
    ChangeEntity.GROUP: 4,
    ChangeEntity.SCHEDULE_ENTRY: 5,
    ChangeEntity.CONTRACT: 6,
    ChangeEntity.CERTIFICATE: 7,
    ChangeEntity.PERIOD: 8,
    ChangeEntity.ORGANIZATION: 9,
}

# Which record an operation's result carries, by the operation type's first word.
RESULT_ENTITIES = {
    "program": ChangeEntity.PROGRAM,
    "module": ChangeEntity.MODULE,
    "group": ChangeEntity.GROUP,
    "schedule": ChangeEntity.SCHEDULE_ENTRY,
    "contract": ChangeEntity.CONTRACT,
    "teacher": ChangeEntity.TEACHER,
    "address": ChangeEntity.ADDRESS,
    "organization": ChangeEntity.ORGANIZATION,
}


def apply_page(work: UnitOfWork, changes: list[Change], now: datetime) -> None:
    """Apply one pulled page (in the caller's transaction), parents first."""
    pending = work.outbox.pending_entity_ids()
    mirror: list[CertificateRecord] = []
    gone: list[str] = []
    for change in sorted(changes, key=lambda change: (ENTITY_ORDER[change.entity], change.seq)):
        if change.entity is ChangeEntity.PERIOD and change.data is not None:
            record = PeriodRecord.model_validate(change.data)
            work.periods.save(FinancingPeriod(record.code, record.starts_on, record.ends_on))
        elif change.entity is ChangeEntity.CERTIFICATE:
            if change.deleted or change.data is None:
                gone.append(change.id)
            else:
                mirror.append(_mirror_record(CertificateMirrorRecord.model_validate(change.data)))
        elif not change.deleted and change.data is not None:
            apply_record(work, change.entity, change.data, now, pending)
    work.certificates.upsert_many(mirror)
    work.certificates.remove(gone)


def apply_record(
    work: UnitOfWork, entity: ChangeEntity, data: dict[str, Any], now: datetime, pending: set[uuid.UUID]
) -> None:
    """Apply the server's view of one record; local edits still waiting keep their fields."""
    record_id = uuid.UUID(str(data["id"]))
    edits_pending = record_id in pending
    if entity is ChangeEntity.PROGRAM:
        work.synced.apply_program(ProgramRecord.model_validate(data), now, local_edits_pending=edits_pending)
    elif entity is ChangeEntity.MODULE:
        work.synced.apply_module(ModuleRecord.model_validate(data), local_edits_pending=edits_pending)
    elif entity is ChangeEntity.GROUP:
        work.synced.apply_group(GroupRecord.model_validate(data), local_edits_pending=edits_pending)
    elif entity is ChangeEntity.SCHEDULE_ENTRY:
        work.synced.apply_schedule_entry(ScheduleEntryRecord.model_validate(data), local_edits_pending=edits_pending)
    elif entity is ChangeEntity.CONTRACT:
        work.synced.apply_contract(ContractRecord.model_validate(data), now, local_edits_pending=edits_pending)
    elif entity is ChangeEntity.TEACHER:
        work.references.apply_teacher(TeacherRecord.model_validate(data), local_edits_pending=edits_pending)
    elif entity is ChangeEntity.ADDRESS:
        work.references.apply_address(AddressRecord.model_validate(data), local_edits_pending=edits_pending)
    elif entity is ChangeEntity.ORGANIZATION:
        work.organization.apply_record(OrganizationRecord.model_validate(data), now, local_edits_pending=edits_pending)


def result_entity(op_type: str) -> ChangeEntity | None:
    return RESULT_ENTITIES.get(op_type.split(".", 1)[0])


def _mirror_record(record: CertificateMirrorRecord) -> CertificateRecord:
    return CertificateRecord(
        lookup_key=record.lookup_key,
        kind=CertificateKind(record.kind),
        birth_date=record.birth_date,
        frozen=record.frozen,
        balance_current=record.balance_current,
        balance_next=record.balance_next,
        payer_code=record.payer_code,
    )
