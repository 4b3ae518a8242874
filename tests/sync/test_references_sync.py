"""Teachers and addresses made at one workstation, offline, reach the server and the organization's other
workstations; archiving travels the same way; a conflicting edit comes back as a clear refusal.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.bootstrap import AppContext, build_context
from desktop_app.credentials import MemorySecretStore
from desktop_app.domain.references import Address, Teacher
from desktop_app.errors import ExpectedError
from desktop_app.progress import TaskControl
from desktop_app.storage.repositories.outbox import OutboxRepository
from server.db.engine import ServerDatabase
from server.db.models import AddressRow, TeacherRow
from tests.server.world import World
from tests.sync.conftest import Workstation


def queued(context: AppContext) -> list[tuple[str, str]]:
    """(operation type, summary) of what waits in the outbox, oldest first."""
    with context.database.read() as work:
        return [(operation.op_type, operation.summary) for operation in work.outbox.pending()]


Row = tuple[object, ...]


def on_server(database: ServerDatabase, teacher_id: uuid.UUID, address_id: uuid.UUID) -> tuple[Row, Row]:
    """The server's rows of a teacher and an address: (organization, fields..., archived)."""
    with database.transaction() as session:
        teacher = session.get(TeacherRow, teacher_id)
        address = session.get(AddressRow, address_id)
        assert teacher is not None and address is not None
        return (
            (teacher.organization_id, teacher.full_name, teacher.category, teacher.archived),
            (address.organization_id, address.text, address.note, address.archived),
        )


def sync(context: AppContext, *, pushed: int = 0, rejected: int = 0) -> None:
    report = context.sync.sync(TaskControl())
    assert (report.pushed, report.rejected) == (pushed, rejected)


def test_made_offline_synced_seen_by_the_other_workstation_then_archived(
    workstation: Workstation, world: World, database: ServerDatabase
) -> None:
    first = workstation(world.a.clerk)
    teacher = first.references.save_teacher("  Иванова Ирина Ивановна ", "высшая")
    address = first.references.save_address("г. Кемерово, ул. Весенняя, 5", "вход со двора")
    assert teacher == Teacher(teacher.id, "Иванова Ирина Ивановна", "высшая")
    assert first.references.teachers() == [teacher]
    assert first.references.addresses() == [address]
    assert queued(first) == [
        ("teacher.create", "Педагог «Иванова Ирина Ивановна»: добавление"),
        ("address.create", "Адрес «г. Кемерово, ул. Весенняя, 5»: добавление"),
    ]

    sync(first, pushed=2)
    assert queued(first) == []
    assert on_server(database, teacher.id, address.id) == (
        (world.a.id, "Иванова Ирина Ивановна", "высшая", False),
        (world.a.id, "г. Кемерово, ул. Весенняя, 5", "вход со двора", False),
    )

    second = workstation(world.a.admin)
    sync(second)
    assert second.references.teachers() == [teacher]
    assert second.references.addresses() == [address]
    stranger = workstation(world.b.clerk)
    sync(stranger)
    assert stranger.references.teachers(include_archived=True) == []
    assert stranger.references.addresses(include_archived=True) == []

    edited = second.references.save_teacher("Иванова Ирина Ивановна", "первая", teacher.id)
    assert queued(second) == [("teacher.update", "Педагог «Иванова Ирина Ивановна»: изменения")]
    sync(second, pushed=1)
    sync(first)
    assert first.references.teachers() == [edited]

    first.references.archive_teacher(teacher.id)
    first.references.archive_address(address.id)
    assert first.references.teachers() == []
    assert first.references.addresses() == []
    assert queued(first) == [
        ("teacher.archive", "Педагог «Иванова Ирина Ивановна»: в архив"),
        ("address.archive", "Адрес «г. Кемерово, ул. Весенняя, 5»: в архив"),
    ]
    sync(first, pushed=2)
    assert on_server(database, teacher.id, address.id) == (
        (world.a.id, "Иванова Ирина Ивановна", "первая", True),
        (world.a.id, "г. Кемерово, ул. Весенняя, 5", "вход со двора", True),
    )
    sync(second)
    assert second.references.teachers() == []
    assert second.references.teachers(include_archived=True) == [Teacher(teacher.id, edited.full_name, "первая", True)]
    assert second.references.addresses(include_archived=True) == [
        Address(address.id, address.text, address.note, archived=True)
    ]


def test_an_edit_of_what_another_workstation_archived_is_refused_clearly(
    workstation: Workstation, world: World
) -> None:
    first = workstation(world.a.clerk)
    teacher = first.references.save_teacher("Петров Пётр Петрович", "первая")
    sync(first, pushed=1)
    second = workstation(world.a.admin)
    sync(second)

    second.references.archive_teacher(teacher.id)
    sync(second, pushed=1)
    first.references.save_teacher(teacher.full_name, "высшая", teacher.id)  # offline: it does not know yet
    sync(first, pushed=1, rejected=1)

    (refusal,) = first.sync.inbox()
    assert (refusal.op_type, refusal.code) == ("teacher.update", "archived")
    assert refusal.summary == "Педагог «Петров Пётр Петрович»: изменения"
    assert refusal.message == "Педагог «Петров Пётр Петрович» в архиве: изменения не приняты."
    assert first.references.teachers() == []
    (archived,) = first.references.teachers(include_archived=True)
    assert archived == Teacher(teacher.id, teacher.full_name, "первая", archived=True)


# ---------------------------------------------------------------- the service alone, with no server


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[AppContext]:
    """A workstation that never signed in: everything stays local."""
    context = build_context(tmp_path / "offline", secrets=MemorySecretStore())
    yield context
    context.close()


def test_bad_input_is_refused_in_russian_and_nothing_is_queued(desk: AppContext) -> None:
    for name, category, message in (
        ("", "высшая", "Укажите ФИО педагога."),
        ("  \t", "", "Укажите ФИО педагога."),
        ("Иванова И. И.", "к" * 101, "Квалификационная категория длиннее 100 символов."),
    ):
        with pytest.raises(ExpectedError) as refused:
            desk.references.save_teacher(name, category)
        assert refused.value.user_message == message
    for text, note, message in (
        (" ", "", "Укажите адрес проведения занятий."),
        ("ул. Ленина, 1", "п" * 501, "Примечание к адресу длиннее 500 символов."),
    ):
        with pytest.raises(ExpectedError) as refused:
            desk.references.save_address(text, note)
        assert refused.value.user_message == message
    with pytest.raises(ExpectedError, match="Педагог не найден"):
        desk.references.archive_teacher(uuid.uuid4())
    with pytest.raises(ExpectedError, match="Адрес не найден"):
        desk.references.archive_address(uuid.uuid4())
    assert desk.references.teachers(include_archived=True) == []
    assert desk.references.addresses(include_archived=True) == []
    assert queued(desk) == []


def test_nothing_is_queued_for_no_change_and_an_archived_record_stays_as_it_is(desk: AppContext) -> None:
    teacher = desk.references.save_teacher("Иванова И. И.", "первая")
    assert desk.references.save_teacher(" Иванова И. И. ", "первая ", teacher.id) == teacher
    address = desk.references.save_address("ул. Ленина, 1")
    desk.references.archive_address(address.id)
    assert desk.references.archive_address(address.id) == Address(address.id, "ул. Ленина, 1", archived=True)
    with pytest.raises(ExpectedError) as refused:
        desk.references.save_address("ул. Ленина, 3", "", address.id)
    assert refused.value.user_message == "Адрес «ул. Ленина, 1» в архиве: изменения не сохранены."
    assert [op_type for op_type, _summary in queued(desk)] == ["teacher.create", "address.create", "address.archive"]


def test_the_local_change_and_its_operation_commit_together(desk: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    teacher = desk.references.save_teacher("Иванова И. И.", "первая")

    def broken_enqueue(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(OutboxRepository, "enqueue", broken_enqueue)
    with pytest.raises(OSError):
        desk.references.save_teacher("Петров П. П.")
    with pytest.raises(OSError):
        desk.references.save_teacher("Иванова Ирина Ивановна", "высшая", teacher.id)
    with pytest.raises(OSError):
        desk.references.archive_teacher(teacher.id)
    monkeypatch.undo()

    assert desk.references.teachers(include_archived=True) == [teacher]
    assert [op_type for op_type, _summary in queued(desk)] == ["teacher.create"]
