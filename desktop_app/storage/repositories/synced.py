"""Records as the server sent them (push results and pull), written into the local tables.

The server's view wins for what the server owns (certification status and decisions, normative costs,
places taken, contract numbers and statuses). For the organization's own fields it wins too, unless the
record has changes still waiting in the outbox: those local edits are newer than what the server has seen,
so only the server-owned fields are taken then.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from desktop_app.storage.models import (
    ContractRow,
    GroupRow,
    ModuleRow,
    ProgramDecisionRow,
    ProgramRow,
    ScheduleEntryRow,
)
from desktop_app.sync.server_records import (
    ContractRecord,
    GroupRecord,
    ModuleRecord,
    ProgramRecord,
    ScheduleEntryRecord,
)

ARCHIVED = "archived"


class SyncedRecordsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def apply_program(self, record: ProgramRecord, now: datetime, *, local_edits_pending: bool) -> None:
        row = self._session.get(ProgramRow, record.id)
        if row is None:
            row = ProgramRow(id=record.id, created_at=now)
            self._session.add(row)
            local_edits_pending = False
        if not local_edits_pending:
            for name in (
                "full_name", "short_name", "direction", "kind", "form", "level", "distance_technologies",
                "age_from_months", "age_to_months", "duration_months", "annotation", "goals", "expected_results",
                "medical_certificate_required", "accessible_for_disabled", "final_document",
            ):  # fmt: skip
                setattr(row, name, getattr(record, name))
            row.addresses_json = json.dumps(record.addresses, ensure_ascii=False)
        row.status = ARCHIVED if record.archived else record.status
        row.updated_at = now
        self._session.flush()
        self._session.execute(delete(ProgramDecisionRow).where(ProgramDecisionRow.program_id == record.id))
        self._session.add_all(
            ProgramDecisionRow(
                program_id=record.id,
                decision=decision.decision,
                remark=decision.remark,
                author=decision.author,
                decided_at=decision.decided_at,
            )
            for decision in record.decisions
        )
        self._session.flush()

    def apply_module(self, record: ModuleRecord, *, local_edits_pending: bool) -> None:
        row = self._session.get(ModuleRow, record.id)
        if row is None:
            row = ModuleRow(id=record.id, program_id=record.program_id)
            self._session.add(row)
            local_edits_pending = False
        if not local_edits_pending:
            for name in ("position", "name", "months", "hours", "min_group_size", "max_group_size", "price"):
                setattr(row, name, getattr(record, name))
            row.teacher_qualification = record.teacher_qualification
        row.normative = record.normative
        row.archived = record.archived
        self._session.flush()

    def apply_group(self, record: GroupRecord, *, local_edits_pending: bool) -> None:
        row = self._session.get(GroupRow, record.id)
        if row is None:
            row = GroupRow(id=record.id, module_id=record.module_id, position=0)
            self._session.add(row)
            local_edits_pending = False
        if not local_edits_pending:
            for name in ("name", "teacher", "start_date", "end_date", "capacity"):
                setattr(row, name, getattr(record, name))
        row.taken = record.taken
        row.archived = record.archived
        self._session.flush()

    def apply_schedule_entry(self, record: ScheduleEntryRecord, *, local_edits_pending: bool) -> None:
        row = self._session.get(ScheduleEntryRow, record.id)
        if row is None:
            row = ScheduleEntryRow(id=record.id, group_id=record.group_id, position=record.weekday)
            self._session.add(row)
            local_edits_pending = False
        if not local_edits_pending:
            for name in ("weekday", "starts_at", "ends_at", "room", "address"):
                setattr(row, name, getattr(record, name))
        row.archived = record.archived
        self._session.flush()

    def apply_contract(self, record: ContractRecord, now: datetime, *, local_edits_pending: bool) -> None:
        row = self._session.get(ContractRow, record.id)
        if row is None:
            row = ContractRow(
                id=record.id, provisional_number=record.provisional_number or record.number, created_at=now
            )
            self._session.add(row)
            local_edits_pending = False
        row.number = record.number
        for name in (
            "certificate_number", "child_birth_date", "program_id", "module_id", "group_id",
            "start_date", "end_date", "price", "normative", "from_certificate", "co_payment", "source",
            "signed_on", "terminates_on",
        ):  # fmt: skip
            setattr(row, name, getattr(record, name))
        if not local_edits_pending or not row.child_full_name:
            # Details completed here and not sent yet (contract.complete) stay until the server has them.
            row.child_full_name = record.child_full_name
            if record.parent is not None:
                row.parent_full_name = record.parent.full_name
                row.parent_phone = record.parent.phone
                row.parent_email = record.parent.email
                row.parent_address = record.parent.address
                row.parent_document = record.parent.identity_document
        if row.parent_full_name is None:
            row.parent_full_name = ""
        if not local_edits_pending:
            row.status = record.status
            row.reason = record.reason or ""
        row.updated_at = now
        self._session.flush()

    def mark_contract_rejected(self, contract_id: uuid.UUID, reason: str, now: datetime) -> None:
        """The server refused a contract made here: it stays, marked, with the server's reason."""
        row = self._session.get(ContractRow, contract_id)
        if row is not None:
            row.status = "rejected"
            row.reason = reason
            row.updated_at = now
            self._session.flush()
