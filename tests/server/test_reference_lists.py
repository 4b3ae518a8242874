"""Tests the organizations' reference lists on the server: teachers and addresses created, updated and
archived through push, refused when empty or archived, audited, and pulled by their owner only.

Replaying each of these operations is covered with every other type in test_sync_push.py.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.db.engine import ServerDatabase
from server.db.models import AddressRow, AuditEntry, ChangeLogEntry, TeacherRow
from tests.server.world import World, login, operation, push

Headers = dict[str, str]


def teacher_payload(teacher_id: uuid.UUID | None = None, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(teacher_id or uuid.uuid4()),
        "full_name": "Иванова И. И.",
        "category": "первая",
    }
    payload.update(changes)
    return payload


def address_payload(address_id: uuid.UUID | None = None, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(address_id or uuid.uuid4()),
        "text": "г. Кемерово, ул. Весенняя, 5",
        "note": "вход со двора, каб. 12",
    }
    payload.update(changes)
    return payload


def applied(client: TestClient, headers: Headers, op: dict[str, Any]) -> dict[str, Any]:
    (result,) = push(client, headers, op)
    assert result["status"] == "applied", result
    assert result["code"] is None and result["message"] is None
    record: dict[str, Any] = result["record"]
    return record


def rejected(
    client: TestClient, headers: Headers, op: dict[str, Any], code: str, current: dict[str, Any] | None = None
) -> str:
    """Push a refused operation; `current` is the server's record the refusal carries, if the record exists."""
    (result,) = push(client, headers, op)
    assert (result["status"], result["code"], result["record"]) == ("rejected", code, current), result
    message: str = result["message"]
    return message


def pulled(client: TestClient, headers: Headers, entity: str) -> dict[str, dict[str, Any]]:
    """The current state of every record of this kind the user's organization pulls, by id."""
    response = client.get("/api/v1/sync/pull", headers=headers, params={"cursor": 0, "limit": 1000})
    assert response.status_code == 200, response.text
    page = response.json()
    assert not page["has_more"]
    return {change["id"]: change["data"] for change in page["changes"] if change["entity"] == entity}


def audited(database: ServerDatabase, entity_id: str) -> list[tuple[str, str]]:
    with database.transaction() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == entity_id).order_by(AuditEntry.id))
        return [(row.action, row.entity) for row in rows]


def logged(database: ServerDatabase, entity_id: str) -> list[tuple[str, uuid.UUID | None]]:
    with database.transaction() as session:
        rows = session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.entity_id == entity_id).order_by(ChangeLogEntry.seq)
        )
        return [(row.entity, row.organization_id) for row in rows]


@pytest.fixture
def clerk_a(client: TestClient, world: World) -> Headers:
    return login(client, world.a.clerk)


@pytest.fixture
def clerk_b(client: TestClient, world: World) -> Headers:
    return login(client, world.b.clerk)


# ---------------------------------------------------------------- teachers


def test_teacher_create_update_and_archive(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Headers
) -> None:
    teacher = teacher_payload(full_name="Ёлкина Мария Петровна", category="высшая")
    created = applied(client, clerk_a, operation("teacher.create", teacher))
    assert created == {**teacher, "archived": False}

    updated = applied(client, clerk_a, operation("teacher.update", {**teacher, "category": "без категории"}))
    assert updated == {**teacher, "category": "без категории", "archived": False}

    archived = applied(client, clerk_a, operation("teacher.archive", {"id": teacher["id"]}))
    assert archived == {**teacher, "category": "без категории", "archived": True}
    again = applied(client, clerk_a, operation("teacher.archive", {"id": teacher["id"]}))
    assert again == archived

    with database.transaction() as session:
        row = session.get(TeacherRow, uuid.UUID(teacher["id"]))
        assert row is not None
        assert (row.organization_id, row.full_name, row.category, row.archived) == (
            world.a.id,
            "Ёлкина Мария Петровна",
            "без категории",
            True,
        )
    assert audited(database, teacher["id"]) == [
        ("teacher.save", "teacher"),
        ("teacher.save", "teacher"),
        ("teacher.archive", "teacher"),
        ("teacher.archive", "teacher"),
    ]
    assert logged(database, teacher["id"]) == [("teacher", world.a.id)] * 4


def test_an_archived_teacher_refuses_edits(client: TestClient, clerk_a: Headers) -> None:
    teacher = teacher_payload()
    applied(client, clerk_a, operation("teacher.create", teacher))
    applied(client, clerk_a, operation("teacher.archive", {"id": teacher["id"]}))
    archived = {**teacher, "archived": True}
    edit = operation("teacher.update", {**teacher, "category": "высшая"})
    message = rejected(client, clerk_a, edit, "archived", current=archived)
    assert message == "Педагог «Иванова И. И.» в архиве: изменения не приняты."


@pytest.mark.parametrize("name", ["", "   "])
def test_a_teacher_without_a_name_is_refused(
    client: TestClient, database: ServerDatabase, clerk_a: Headers, name: str
) -> None:
    teacher = teacher_payload(full_name=name)
    assert rejected(client, clerk_a, operation("teacher.create", teacher), "invalid_name") == "Укажите ФИО педагога."
    with database.transaction() as session:
        assert session.get(TeacherRow, uuid.UUID(teacher["id"])) is None
    assert logged(database, teacher["id"]) == []


def test_a_category_longer_than_100_characters_is_refused(client: TestClient, clerk_a: Headers) -> None:
    applied(client, clerk_a, operation("teacher.create", teacher_payload(category="к" * 100)))
    message = rejected(
        client, clerk_a, operation("teacher.create", teacher_payload(category="к" * 101)), "invalid_payload"
    )
    assert message == "Неверные данные операции, поля: category."


# ---------------------------------------------------------------- addresses


def test_address_create_update_and_archive(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Headers
) -> None:
    address = address_payload()
    assert applied(client, clerk_a, operation("address.create", address)) == {**address, "archived": False}
    moved = {**address, "text": "г. Кемерово, пр. Ленина, 10", "note": ""}
    assert applied(client, clerk_a, operation("address.update", moved)) == {**moved, "archived": False}
    assert applied(client, clerk_a, operation("address.archive", {"id": address["id"]})) == {**moved, "archived": True}
    message = rejected(client, clerk_a, operation("address.update", address), "archived", {**moved, "archived": True})
    assert message == "Адрес «г. Кемерово, пр. Ленина, 10» в архиве: изменения не приняты."

    without_note = address_payload()
    del without_note["note"]
    assert applied(client, clerk_a, operation("address.create", without_note))["note"] == ""

    with database.transaction() as session:
        row = session.get(AddressRow, uuid.UUID(address["id"]))
        assert row is not None
        assert (row.organization_id, row.text, row.note, row.archived) == (world.a.id, moved["text"], "", True)
    assert audited(database, address["id"]) == [
        ("address.save", "address"),
        ("address.save", "address"),
        ("address.archive", "address"),
    ]
    assert logged(database, address["id"]) == [("address", world.a.id)] * 3


@pytest.mark.parametrize("text", ["", " \t "])
def test_an_address_without_text_is_refused(client: TestClient, clerk_a: Headers, text: str) -> None:
    message = rejected(client, clerk_a, operation("address.create", address_payload(text=text)), "invalid_address")
    assert message == "Укажите адрес проведения занятий."


# ---------------------------------------------------------------- isolation and pull


def test_another_organization_can_neither_see_nor_change_them(
    client: TestClient, database: ServerDatabase, clerk_a: Headers, clerk_b: Headers
) -> None:
    teacher = teacher_payload()
    address = address_payload()
    applied(client, clerk_a, operation("teacher.create", teacher))
    applied(client, clerk_a, operation("address.create", address))

    attempts = [
        (operation("teacher.update", {**teacher, "full_name": "Чужой"}), "Педагог не найден на сервере."),
        (operation("teacher.create", {**teacher, "full_name": "Чужой"}), "Педагог не найден на сервере."),
        (operation("teacher.archive", {"id": teacher["id"]}), "Педагог не найден на сервере."),
        (operation("address.update", {**address, "text": "Чужой"}), "Адрес не найден на сервере."),
        (operation("address.create", {**address, "text": "Чужой"}), "Адрес не найден на сервере."),
        (operation("address.archive", {"id": address["id"]}), "Адрес не найден на сервере."),
    ]
    for attempt, message in attempts:
        assert rejected(client, clerk_b, attempt, "not_found") == message

    assert pulled(client, clerk_a, "teacher") == {teacher["id"]: {**teacher, "archived": False}}
    assert pulled(client, clerk_a, "address") == {address["id"]: {**address, "archived": False}}
    assert pulled(client, clerk_b, "teacher") == {}
    assert pulled(client, clerk_b, "address") == {}


def test_pull_carries_the_current_state(client: TestClient, clerk_a: Headers, clerk_b: Headers) -> None:
    teacher = teacher_payload()
    applied(client, clerk_a, operation("teacher.create", teacher))
    applied(client, clerk_a, operation("teacher.update", {**teacher, "category": "высшая"}))
    applied(client, clerk_a, operation("teacher.archive", {"id": teacher["id"]}))
    own = teacher_payload(full_name="Петров П. П.")
    applied(client, clerk_b, operation("teacher.create", own))

    assert pulled(client, clerk_a, "teacher") == {teacher["id"]: {**teacher, "category": "высшая", "archived": True}}
    assert pulled(client, clerk_b, "teacher") == {own["id"]: {**own, "archived": False}}
