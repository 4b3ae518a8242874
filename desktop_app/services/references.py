"""The organization's reference lists at the desk: teachers (педагоги) and addresses of lessons, offline-first.

Every change is written locally and queued for the server in one transaction (``teacher.create``,
``teacher.update``, ``teacher.archive`` and the same for addresses), with a summary in the clerk's words for
the sync page. Archiving hides a record from the lists the clerk picks from; it is kept for history.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from desktop_app.domain.references import Address, Teacher, address_problems, teacher_problems
from desktop_app.errors import ExpectedError
from desktop_app.storage.database import Database, UnitOfWork

OPERATION_VERSION = 1


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ReferenceService:
    def __init__(self, database: Database, now: Callable[[], datetime] = _utc_now) -> None:
        self._database = database
        self._now = now

    # ------------------------------------------------------------ reading

    def teachers(self, *, include_archived: bool = False) -> list[Teacher]:
        """Teachers in alphabetical order; archived ones only when asked (e.g. a «show archive» switch)."""
        with self._database.read() as work:
            return work.references.teachers(include_archived=include_archived)

    def addresses(self, *, include_archived: bool = False) -> list[Address]:
        """Addresses in alphabetical order; archived ones only when asked."""
        with self._database.read() as work:
            return work.references.addresses(include_archived=include_archived)

    # ------------------------------------------------------------ teachers

    def save_teacher(self, full_name: str, category: str = "", teacher_id: uuid.UUID | None = None) -> Teacher:
        """Add a teacher (no ``teacher_id``, or one not stored yet) or change a stored one; works offline.

        Raises:
            ExpectedError: the name is empty or a field is too long, the teacher is archived.
        """
        teacher = Teacher(id=teacher_id or uuid.uuid4(), full_name=full_name.strip(), category=category.strip())
        _refuse(teacher_problems(teacher))
        now = self._now()
        with self._database.write() as work:
            stored = work.references.get_teacher(teacher.id)
            if stored is not None and stored.archived:
                raise ExpectedError(f"Педагог «{stored.full_name}» в архиве: изменения не сохранены.")
            if stored == teacher:
                return stored
            work.references.save_teacher(teacher)
            _enqueue(
                work,
                "teacher",
                teacher.id,
                {"id": str(teacher.id), "full_name": teacher.full_name, "category": teacher.category},
                now,
                created=stored is None,
                summary=f"Педагог «{teacher.full_name}»: {'добавление' if stored is None else 'изменения'}",
            )
        return teacher

    def archive_teacher(self, teacher_id: uuid.UUID) -> Teacher:
        """Move a teacher to the archive (kept for history, no longer offered in lists); works offline.

        Raises:
            ExpectedError: no such teacher here.
        """
        now = self._now()
        with self._database.write() as work:
            stored = work.references.get_teacher(teacher_id)
            if stored is None:
                raise ExpectedError("Педагог не найден: возможно, его уже удалили. Синхронизируйтесь с сервером.")
            if stored.archived:
                return stored
            archived = dataclasses.replace(stored, archived=True)
            work.references.save_teacher(archived)
            _archive(work, "teacher", teacher_id, now, f"Педагог «{stored.full_name}»: в архив")
        return archived

    # ------------------------------------------------------------ addresses

    def save_address(self, text: str, note: str = "", address_id: uuid.UUID | None = None) -> Address:
        """Add an address (no ``address_id``, or one not stored yet) or change a stored one; works offline.

        Raises:
            ExpectedError: the address is empty or a field is too long, the address is archived.
        """
        address = Address(id=address_id or uuid.uuid4(), text=text.strip(), note=note.strip())
        _refuse(address_problems(address))
        now = self._now()
        with self._database.write() as work:
            stored = work.references.get_address(address.id)
            if stored is not None and stored.archived:
                raise ExpectedError(f"Адрес «{stored.text}» в архиве: изменения не сохранены.")
            if stored == address:
                return stored
            work.references.save_address(address)
            _enqueue(
                work,
                "address",
                address.id,
                {"id": str(address.id), "text": address.text, "note": address.note},
                now,
                created=stored is None,
                summary=f"Адрес «{address.text}»: {'добавление' if stored is None else 'изменения'}",
            )
        return address

    def archive_address(self, address_id: uuid.UUID) -> Address:
        """Move an address to the archive (kept for history, no longer offered in lists); works offline.

        Raises:
            ExpectedError: no such address here.
        """
        now = self._now()
        with self._database.write() as work:
            stored = work.references.get_address(address_id)
            if stored is None:
                raise ExpectedError("Адрес не найден: возможно, его уже удалили. Синхронизируйтесь с сервером.")
            if stored.archived:
                return stored
            archived = dataclasses.replace(stored, archived=True)
            work.references.save_address(archived)
            _archive(work, "address", address_id, now, f"Адрес «{stored.text}»: в архив")
        return archived


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ExpectedError(" ".join(problems))


def _enqueue(
    work: UnitOfWork,
    kind: str,
    record_id: uuid.UUID,
    payload: dict[str, Any],
    now: datetime,
    *,
    created: bool,
    summary: str,
) -> None:
    if created:
        work.outbox.enqueue(f"{kind}.create", OPERATION_VERSION, record_id, payload, now, summary=summary)
    else:
        work.outbox.enqueue(
            f"{kind}.update", OPERATION_VERSION, record_id, payload, now, refs=(record_id,), summary=summary
        )


def _archive(work: UnitOfWork, kind: str, record_id: uuid.UUID, now: datetime, summary: str) -> None:
    work.outbox.enqueue(
        f"{kind}.archive", OPERATION_VERSION, record_id, {"id": str(record_id)}, now, refs=(record_id,), summary=summary
    )
