"""The server's view of records, as workstations receive them (in push results and in pull)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.certificate import certificate_lookup_key
from desktop_app.sync.payloads import PersonPayload
from desktop_app.sync.protocol import ChangeEntity
from desktop_app.sync.server_records import (
    AddressRecord,
    CertificateMirrorRecord,
    ContractRecord,
    DecisionRecord,
    GroupRecord,
    ModuleRecord,
    ProgramRecord,
    ScheduleEntryRecord,
    TeacherRecord,
)
from server.db.models import (
    AddressRow,
    Certificate,
    CertificationDecision,
    ContractRow,
    GroupRow,
    ModuleRow,
    Payer,
    ProgramRow,
    ScheduleEntryRow,
    TeacherRow,
)


def program_record(session: Session, row: ProgramRow) -> dict[str, Any]:
    decisions = session.scalars(
        select(CertificationDecision)
        .where(CertificationDecision.program_id == row.id)
        # At the same moment a decision comes after the submission it answers.
        .order_by(CertificationDecision.decided_at.desc(), (CertificationDecision.decision == "submitted"))
    )
    return ProgramRecord(
        id=row.id,
        full_name=row.full_name,
        short_name=row.short_name,
        direction=row.direction,
        kind=row.kind,
        form=row.form,
        level=row.level,
        distance_technologies=row.distance_technologies,
        age_from_months=row.age_from_months,
        age_to_months=row.age_to_months,
        duration_months=row.duration_months,
        annotation=row.annotation,
        goals=row.goals,
        expected_results=row.expected_results,
        medical_certificate_required=row.medical_certificate_required,
        accessible_for_disabled=row.accessible_for_disabled,
        final_document=row.final_document,
        addresses=json.loads(row.addresses_json),
        status=row.status,
        archived=row.archived,
        decisions=[
            DecisionRecord(
                decision=decision.decision,
                remark=decision.remark,
                author=decision.author_name,
                decided_at=decision.decided_at,
            )
            for decision in decisions
        ],
    ).model_dump(mode="json")


def module_record(row: ModuleRow) -> dict[str, Any]:
    return ModuleRecord(
        id=row.id,
        program_id=row.program_id,
        position=row.position,
        name=row.name,
        months=row.months,
        hours=row.hours,
        min_group_size=row.min_group_size,
        max_group_size=row.max_group_size,
        teacher_qualification=row.teacher_qualification,
        price=row.price,
        normative=row.normative,
        archived=row.archived,
    ).model_dump(mode="json")


def group_record(row: GroupRow) -> dict[str, Any]:
    return GroupRecord(
        id=row.id,
        module_id=row.module_id,
        name=row.name,
        teacher=row.teacher,
        start_date=row.start_date,
        end_date=row.end_date,
        capacity=row.capacity,
        taken=row.taken,
        archived=row.archived,
    ).model_dump(mode="json")


def schedule_record(row: ScheduleEntryRow) -> dict[str, Any]:
    return ScheduleEntryRecord(
        id=row.id,
        group_id=row.group_id,
        weekday=row.weekday,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        room=row.room,
        address=row.address,
        archived=row.archived,
    ).model_dump(mode="json")


def teacher_record(row: TeacherRow) -> dict[str, Any]:
    return TeacherRecord(id=row.id, full_name=row.full_name, category=row.category, archived=row.archived).model_dump(
        mode="json"
    )


def address_record(row: AddressRow) -> dict[str, Any]:
    return AddressRecord(id=row.id, text=row.text, note=row.note, archived=row.archived).model_dump(mode="json")


def contract_record(session: Session, row: ContractRow) -> dict[str, Any]:
    certificate = session.get(Certificate, row.certificate_id)
    assert certificate is not None
    parent = (
        PersonPayload(
            full_name=row.parent_full_name,
            phone=row.parent_phone,
            email=row.parent_email,
            address=row.parent_address,
            identity_document=row.parent_document,
        )
        if row.parent_full_name
        else None
    )
    return ContractRecord(
        id=row.id,
        number=row.number,
        provisional_number=row.provisional_number,
        status=row.status,
        source=row.source,
        certificate_number=certificate.number,
        child_full_name=row.child_full_name,
        child_birth_date=certificate.birth_date,
        parent=parent,
        program_id=row.program_id,
        module_id=row.module_id,
        group_id=row.group_id,
        start_date=row.start_date,
        end_date=row.end_date,
        price=row.price,
        normative=row.normative,
        from_certificate=row.from_certificate,
        co_payment=row.co_payment,
        requested_at=row.requested_at,
        signed_on=row.signed_on,
        terminates_on=row.terminates_on,
        reason=row.reason,
    ).model_dump(mode="json")


def mirror_record(
    certificate: Certificate, payer: Payer, mirror_key: str, balance_current: int, balance_next: int
) -> dict[str, Any]:
    """A certificate as an organization's offline mirror holds it: no names, a keyed hash instead."""
    return CertificateMirrorRecord(
        lookup_key=certificate_lookup_key(bytes.fromhex(mirror_key), certificate.number, certificate.surname),
        kind=certificate.kind,
        birth_date=certificate.birth_date,
        frozen=certificate.frozen,
        balance_current=balance_current,
        balance_next=balance_next,
        payer_code=payer.code,
    ).model_dump(mode="json")


ORGANIZATION_ENTITIES: dict[str, tuple[type[Any], ChangeEntity]] = {
    "program": (ProgramRow, ChangeEntity.PROGRAM),
    "module": (ModuleRow, ChangeEntity.MODULE),
    "group": (GroupRow, ChangeEntity.GROUP),
    "schedule_entry": (ScheduleEntryRow, ChangeEntity.SCHEDULE_ENTRY),
    "contract": (ContractRow, ChangeEntity.CONTRACT),
    "teacher": (TeacherRow, ChangeEntity.TEACHER),
    "address": (AddressRow, ChangeEntity.ADDRESS),
}
"""The organization's own records, by change-log entity name."""

_PLAIN_RECORDS: dict[type[Any], Callable[[Any], dict[str, Any]]] = {
    ModuleRow: module_record,
    GroupRow: group_record,
    ScheduleEntryRow: schedule_record,
    TeacherRow: teacher_record,
    AddressRow: address_record,
}
"""Records whose view needs nothing but the row itself."""


def record_of(session: Session, row: Any) -> dict[str, Any]:
    """The server's view of one of the organization's records."""
    if isinstance(row, ProgramRow):
        return program_record(session, row)
    if isinstance(row, ContractRow):
        return contract_record(session, row)
    return _PLAIN_RECORDS[type(row)](row)


def owned_record(
    session: Session, organization_id: uuid.UUID, entity: str, record_id: uuid.UUID
) -> dict[str, Any] | None:
    """The current view of an organization's record, or None when it is not there (or not theirs)."""
    model, _entity = ORGANIZATION_ENTITIES[entity]
    row = session.get(model, record_id)
    if row is None or row.organization_id != organization_id:
        return None
    return record_of(session, row)
