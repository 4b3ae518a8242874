"""The organization's reference lists: teachers and addresses, saved here and applied from the server.

The server's view of a record wins, unless the record has changes still waiting in the outbox: those local
edits are newer than what the server has seen, so the local fields stay then (the same rule as for programs
and their trees). The archived flag is the server's too, except that an archive still waiting here is not
undone by an older view: nothing brings a record back from the archive.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.references import Address, Teacher
from desktop_app.domain.text import collation_key
from desktop_app.storage.models import AddressRow, TeacherRow
from desktop_app.sync.server_records import AddressRecord, TeacherRecord


class ReferenceRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # ------------------------------------------------------------ teachers

    def teachers(self, *, include_archived: bool = False) -> list[Teacher]:
        """Teachers in Russian alphabetical order of the name; archived ones only when asked."""
        query = select(TeacherRow)
        if not include_archived:
            query = query.where(TeacherRow.archived.is_(False))
        teachers = (_teacher(row) for row in self._session.scalars(query))
        return sorted(teachers, key=lambda teacher: (collation_key(teacher.full_name), str(teacher.id)))

    def get_teacher(self, teacher_id: uuid.UUID) -> Teacher | None:
        row = self._session.get(TeacherRow, teacher_id)
        return None if row is None else _teacher(row)

    def save_teacher(self, teacher: Teacher) -> None:
        """Insert a teacher or replace the stored one."""
        row = self._session.get(TeacherRow, teacher.id)
        if row is None:
            row = TeacherRow(id=teacher.id)
            self._session.add(row)
        row.full_name = teacher.full_name
        row.category = teacher.category
        row.archived = teacher.archived
        self._session.flush()

    def apply_teacher(self, record: TeacherRecord, *, local_edits_pending: bool) -> None:
        """Write the server's view of a teacher (from pull or a push result)."""
        row = self._session.get(TeacherRow, record.id)
        if row is None:
            row = TeacherRow(id=record.id)
            self._session.add(row)
            local_edits_pending = False
        if not local_edits_pending:
            row.full_name = record.full_name
            row.category = record.category
        row.archived = record.archived or (local_edits_pending and row.archived)
        self._session.flush()

    # ------------------------------------------------------------ addresses

    def addresses(self, *, include_archived: bool = False) -> list[Address]:
        """Addresses in Russian alphabetical order; archived ones only when asked."""
        query = select(AddressRow)
        if not include_archived:
            query = query.where(AddressRow.archived.is_(False))
        addresses = (_address(row) for row in self._session.scalars(query))
        return sorted(addresses, key=lambda address: (collation_key(address.text), str(address.id)))

    def get_address(self, address_id: uuid.UUID) -> Address | None:
        row = self._session.get(AddressRow, address_id)
        return None if row is None else _address(row)

    def save_address(self, address: Address) -> None:
        """Insert an address or replace the stored one."""
        row = self._session.get(AddressRow, address.id)
        if row is None:
            row = AddressRow(id=address.id)
            self._session.add(row)
        row.text = address.text
        row.note = address.note
        row.archived = address.archived
        self._session.flush()

    def apply_address(self, record: AddressRecord, *, local_edits_pending: bool) -> None:
        """Write the server's view of an address (from pull or a push result)."""
        row = self._session.get(AddressRow, record.id)
        if row is None:
            row = AddressRow(id=record.id)
            self._session.add(row)
            local_edits_pending = False
        if not local_edits_pending:
            row.text = record.text
            row.note = record.note
        row.archived = record.archived or (local_edits_pending and row.archived)
        self._session.flush()


def _teacher(row: TeacherRow) -> Teacher:
    return Teacher(id=row.id, full_name=row.full_name, category=row.category, archived=row.archived)


def _address(row: AddressRow) -> Address:
    return Address(id=row.id, text=row.text, note=row.note, archived=row.archived)
