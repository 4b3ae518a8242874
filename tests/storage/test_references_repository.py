"""Tests of the reference lists' repository: teachers and addresses saved, listed with or without the archive,
and the server's view applied over them (local edits still waiting keep their fields).
"""

from __future__ import annotations

import uuid

from desktop_app.domain.references import Address, Teacher
from desktop_app.storage.database import Database
from desktop_app.sync.server_records import AddressRecord, TeacherRecord


def _teacher(name: str, category: str = "первая", *, archived: bool = False) -> Teacher:
    return Teacher(id=uuid.uuid4(), full_name=name, category=category, archived=archived)


def _address(text: str, note: str = "", *, archived: bool = False) -> Address:
    return Address(id=uuid.uuid4(), text=text, note=note, archived=archived)


def _save(database: Database, *records: Teacher | Address) -> None:
    with database.write() as work:
        for record in records:
            if isinstance(record, Teacher):
                work.references.save_teacher(record)
            else:
                work.references.save_address(record)


# ---------------------------------------------------------------- teachers


def test_teachers_are_listed_alphabetically_without_the_archive(database: Database) -> None:
    ivanova = _teacher("иванова Ирина Ивановна", "высшая")
    yolkina = _teacher("Ёлкина Мария Петровна", "без категории")
    abramov = _teacher("Абрамов Олег", "")
    elena = _teacher("Егорова Елена")
    archived = _teacher("Архипов Архип", archived=True)
    _save(database, ivanova, yolkina, abramov, elena, archived)

    with database.read() as work:
        active = work.references.teachers()
        everyone = work.references.teachers(include_archived=True)
    assert active == [abramov, elena, yolkina, ivanova]  # «ё» sorts with «е», case does not matter
    assert everyone == [abramov, archived, elena, yolkina, ivanova]


def test_a_teacher_round_trips_and_is_replaced_by_a_later_save(database: Database) -> None:
    teacher = _teacher("Иванова И. И.", "к" * 100)
    _save(database, teacher)
    with database.read() as work:
        assert work.references.get_teacher(teacher.id) == teacher
        assert work.references.get_teacher(uuid.uuid4()) is None

    changed = Teacher(teacher.id, "Иванова Ирина Ивановна", "высшая", archived=True)
    _save(database, changed)
    with database.read() as work:
        assert work.references.get_teacher(teacher.id) == changed
        assert work.references.teachers() == []
        assert work.references.teachers(include_archived=True) == [changed]


def test_a_read_never_persists(database: Database) -> None:
    with database.read() as work:
        work.references.save_teacher(_teacher("Иванова И. И."))
        work.references.save_address(_address("ул. Ленина, 1"))
    with database.read() as work:
        assert work.references.teachers(include_archived=True) == []
        assert work.references.addresses(include_archived=True) == []


def test_the_servers_teacher_is_inserted_and_wins_when_nothing_waits(database: Database) -> None:
    record = TeacherRecord(id=uuid.uuid4(), full_name="Петров П. П.", category="первая", archived=False)
    with database.write() as work:
        work.references.apply_teacher(record, local_edits_pending=True)  # new here: nothing local to keep
    with database.read() as work:
        assert work.references.get_teacher(record.id) == Teacher(record.id, "Петров П. П.", "первая")

    newer = record.model_copy(update={"category": "высшая", "archived": True})
    with database.write() as work:
        work.references.apply_teacher(newer, local_edits_pending=False)
    with database.read() as work:
        assert work.references.get_teacher(record.id) == Teacher(record.id, "Петров П. П.", "высшая", archived=True)


def test_local_teacher_edits_still_waiting_keep_their_fields(database: Database) -> None:
    local = _teacher("Иванова Ирина Ивановна", "высшая")
    _save(database, local)
    older = TeacherRecord(id=local.id, full_name="Иванова И. И.", category="первая", archived=False)
    with database.write() as work:
        work.references.apply_teacher(older, local_edits_pending=True)
    with database.read() as work:
        assert work.references.get_teacher(local.id) == local

    archived_there = older.model_copy(update={"archived": True})
    with database.write() as work:
        work.references.apply_teacher(archived_there, local_edits_pending=True)
    with database.read() as work:
        assert work.references.get_teacher(local.id) == Teacher(local.id, local.full_name, "высшая", archived=True)


def test_an_archive_waiting_here_is_not_undone_by_an_older_view(database: Database) -> None:
    teacher = _teacher("Иванова И. И.", archived=True)
    address = _address("ул. Ленина, 1", archived=True)
    _save(database, teacher, address)
    with database.write() as work:
        work.references.apply_teacher(
            TeacherRecord(id=teacher.id, full_name=teacher.full_name, category="первая", archived=False),
            local_edits_pending=True,
        )
        work.references.apply_address(
            AddressRecord(id=address.id, text=address.text, note="", archived=False), local_edits_pending=True
        )
    with database.read() as work:
        assert work.references.get_teacher(teacher.id) == teacher
        assert work.references.get_address(address.id) == address

    with database.write() as work:  # once nothing waits, the server decides
        work.references.apply_address(
            AddressRecord(id=address.id, text=address.text, note="", archived=False), local_edits_pending=False
        )
    with database.read() as work:
        assert work.references.get_address(address.id) == Address(address.id, address.text)


# ---------------------------------------------------------------- addresses


def test_addresses_are_listed_alphabetically_without_the_archive(database: Database) -> None:
    lenina = _address("г. Кемерово, пр. Ленина, 10", "каб. 12")
    vesennyaya = _address("г. Кемерово, ул. Весенняя, 5", "вход со двора")
    gone = _address("г. Кемерово, ул. Арочная, 1", archived=True)
    _save(database, vesennyaya, lenina, gone)

    with database.read() as work:
        assert work.references.addresses() == [lenina, vesennyaya]
        assert work.references.addresses(include_archived=True) == [lenina, gone, vesennyaya]
        assert work.references.get_address(lenina.id) == lenina
        assert work.references.get_address(uuid.uuid4()) is None


def test_the_servers_address_is_applied_unless_local_edits_wait(database: Database) -> None:
    record = AddressRecord(id=uuid.uuid4(), text="ул. Весенняя, 5", note="", archived=False)
    with database.write() as work:
        work.references.apply_address(record, local_edits_pending=False)
    local = Address(record.id, "ул. Весенняя, 5", "вход со двора")
    _save(database, local)

    with database.write() as work:
        work.references.apply_address(record, local_edits_pending=True)
    with database.read() as work:
        assert work.references.get_address(record.id) == local

    with database.write() as work:
        work.references.apply_address(record.model_copy(update={"note": "каб. 3"}), local_edits_pending=False)
    with database.read() as work:
        assert work.references.get_address(record.id) == Address(record.id, "ул. Весенняя, 5", "каб. 3")
