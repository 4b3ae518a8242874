"""Tests ``contract.complete`` v1: the parent's and the child's details filled in when the parent comes to sign.

Completed on a requested or confirmed contract (a desk request or a portal application); refused once the
contract is signed, closed or refused, or when a name is blank; another organization's contract is not found;
the audit log names the fields changed and never their values; the change is pulled by its owner only.

Replaying the operation is covered with every other type in test_sync_push.py.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from desktop_app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from server.clock import FixedClock
from server.db.engine import ServerDatabase
from server.db.models import AuditEntry, ChangeLogEntry, ContractRow
from tests.server.world import World, contract_request, login, operation, push

Headers = dict[str, str]

PARENT = {
    "full_name": "Смирнова Анна Петровна",
    "phone": "+7 900 111-22-33",
    "email": "anna.smirnova@example.ru",
    "address": "г. Кемерово, ул. Весенняя, д. 1, кв. 7",
    "identity_document": "паспорт 3200 123456",
}
CHILD = {"full_name": "Петров Пётр Иванович", "address": "г. Кемерово, ул. Весенняя, д. 1, кв. 7"}
DETAIL_COLUMNS = (
    "parent_full_name",
    "parent_phone",
    "parent_email",
    "parent_address",
    "parent_document",
    "child_full_name",
    "child_address",
)
MISSING = "Укажите ФИО родителя и ребёнка."
NOT_FOUND = "Договор не найден на сервере."


@pytest.fixture
def clerk_a(client: TestClient, world: World) -> Headers:
    return login(client, world.a.clerk)


@pytest.fixture
def clerk_b(client: TestClient, world: World) -> Headers:
    return login(client, world.b.clerk)


def complete_op(contract_id: str, parent: dict[str, str] | None = None, child: dict[str, str] | None = None) -> Any:
    return operation(
        "contract.complete", {"contract_id": contract_id, "parent": parent or PARENT, "child": child or CHILD}
    )


def applied(client: TestClient, headers: Headers, *ops: dict[str, Any]) -> dict[str, Any]:
    """Push operations that must all be applied; the last one's record."""
    results = push(client, headers, *ops)
    for result in results:
        assert result["status"] == "applied", result
    record: dict[str, Any] = results[-1]["record"]
    return record


def rejected(client: TestClient, headers: Headers, op: dict[str, Any], code: str) -> dict[str, Any]:
    (result,) = push(client, headers, op)
    assert (result["status"], result["code"]) == ("rejected", code), result
    return result


def desk_contract(client: TestClient, headers: Headers, world: World, certificate: str = "c1") -> str:
    """A contract requested at organization «a»'s desk (with the details typed at the desk)."""
    request = contract_request(world, world.a, certificate)
    applied(client, headers, request)
    contract_id: str = request["payload"]["id"]
    return contract_id


def details(database: ServerDatabase, contract_id: str) -> dict[str, str]:
    with database.transaction() as session:
        row = session.get(ContractRow, uuid.UUID(contract_id))
        assert row is not None
        return {column: getattr(row, column) for column in DETAIL_COLUMNS}


def audit_of(database: ServerDatabase, contract_id: str) -> list[tuple[str, str]]:
    """(action, details as stored) of every audit entry about the contract, oldest first."""
    with database.transaction() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == contract_id).order_by(AuditEntry.id))
        return [(row.action, row.details_json) for row in rows]


def change_log(database: ServerDatabase, contract_id: str) -> list[uuid.UUID | None]:
    """The organization each change-log entry of the contract is published to."""
    with database.transaction() as session:
        rows = session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.entity_id == contract_id).order_by(ChangeLogEntry.seq)
        )
        return [row.organization_id for row in rows]


def pulled_contracts(client: TestClient, headers: Headers) -> dict[str, dict[str, Any]]:
    response = client.get("/api/v1/sync/pull", headers=headers, params={"cursor": 0, "limit": 1000})
    assert response.status_code == 200, response.text
    page = response.json()
    assert not page["has_more"]
    return {change["id"]: change["data"] for change in page["changes"] if change["entity"] == "contract"}


# ---------------------------------------------------------------- completing


def test_an_online_application_is_completed_and_the_owner_pulls_it(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Headers, clerk_b: Headers
) -> None:
    filed = client.post(
        "/api/v1/portal/applications",
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        json={
            "certificate_number": world.certificates["c1"].number,
            "surname": "петров",
            "group_id": str(world.a.group_id),
            "start_date": "2026-10-01",
        },
    )
    assert filed.status_code == 201, filed.text
    contract_id: str = filed.json()["contract"]["id"]
    assert filed.json()["contract"]["parent"] is None, "an application arrives without the parent's details"

    record = applied(client, clerk_a, complete_op(contract_id))
    assert (record["id"], record["status"], record["source"]) == (contract_id, "requested", "portal")
    assert record["parent"] == PARENT
    assert record["child_full_name"] == CHILD["full_name"]
    assert details(database, contract_id) == {
        "parent_full_name": PARENT["full_name"],
        "parent_phone": PARENT["phone"],
        "parent_email": PARENT["email"],
        "parent_address": PARENT["address"],
        "parent_document": PARENT["identity_document"],
        "child_full_name": CHILD["full_name"],
        "child_address": CHILD["address"],
    }

    assert pulled_contracts(client, clerk_a)[contract_id] == record
    assert contract_id not in pulled_contracts(client, clerk_b)
    assert change_log(database, contract_id) == [world.a.id, world.a.id]


def test_a_confirmed_contract_is_completed_with_trimmed_values(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Headers
) -> None:
    contract_id = desk_contract(client, clerk_a, world)
    applied(client, clerk_a, operation("contract.confirm", {"contract_id": contract_id}))
    padded_parent = {name: f"  {value}\t" for name, value in PARENT.items()}
    padded_child = {name: f" {value} " for name, value in CHILD.items()}
    record = applied(client, clerk_a, complete_op(contract_id, padded_parent, padded_child))
    assert record["status"] == "confirmed"
    assert record["parent"] == PARENT
    assert details(database, contract_id)["child_address"] == CHILD["address"]

    # Then the parent signs; the completed details stay.
    signed = applied(
        client, clerk_a, operation("contract.activate", {"contract_id": contract_id, "signed_on": "2026-09-10"})
    )
    assert (signed["status"], signed["parent"]) == ("active", PARENT)


def test_the_audit_names_the_fields_never_their_values(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Headers
) -> None:
    contract_id = desk_contract(client, clerk_a, world)
    same_name = {**PARENT, "full_name": "Родитель Тестовый"}  # as typed at the desk (tests/server/world.py)
    applied(client, clerk_a, complete_op(contract_id, same_name))

    actions = audit_of(database, contract_id)
    assert [action for action, _details in actions] == ["contract.request", "contract.complete"]
    _action, stored = actions[-1]
    assert json.loads(stored) == {
        "fields": [
            "child_address",
            "child_full_name",
            "parent_address",
            "parent_document",
            "parent_email",
            "parent_phone",
        ]
    }, "only what changed, by name"
    for value in (*same_name.values(), *CHILD.values(), "Петров", "3200", "anna.smirnova"):
        assert value not in stored, f"personal data in the audit log: {value!r}"

    # Completing again with the same details changes nothing and says so.
    applied(client, clerk_a, complete_op(contract_id, same_name))
    assert json.loads(audit_of(database, contract_id)[-1][1]) == {"fields": []}


# ---------------------------------------------------------------- refusals


def _active(client: TestClient, headers: Headers, contract_id: str) -> None:
    applied(
        client,
        headers,
        operation("contract.confirm", {"contract_id": contract_id}),
        operation("contract.activate", {"contract_id": contract_id, "signed_on": "2026-09-10"}),
    )


def _terminating(client: TestClient, headers: Headers, contract_id: str) -> None:
    _active(client, headers, contract_id)
    applied(client, headers, operation("contract.terminate", {"contract_id": contract_id, "reason": "Переезд"}))


def _refused(client: TestClient, headers: Headers, contract_id: str) -> None:
    applied(client, headers, operation("contract.refuse", {"contract_id": contract_id, "reason": "Не пришли"}))


STATES = {
    "active": (_active, "действует"),
    "terminating": (_terminating, "ожидает расторжения"),
    "refused": (_refused, "отклонён"),
}


@pytest.mark.parametrize("status", sorted(STATES))
def test_refused_once_signed_or_refused(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Headers, status: str
) -> None:
    contract_id = desk_contract(client, clerk_a, world)
    move, label = STATES[status]
    move(client, clerk_a, contract_id)
    before = details(database, contract_id)
    result = rejected(client, clerk_a, complete_op(contract_id), "transition_not_allowed")
    assert result["message"] == (
        f"Данные родителя и ребёнка дополняются до подписания договора; договор в статусе «{label}»."
    )
    assert (result["record"]["id"], result["record"]["status"]) == (contract_id, status)
    assert details(database, contract_id) == before
    assert [action for action, _details in audit_of(database, contract_id)][-1] != "contract.complete"


def test_refused_once_closed(
    client: TestClient, world: World, database: ServerDatabase, clock: FixedClock, clerk_a: Headers
) -> None:
    contract_id = desk_contract(client, clerk_a, world)
    _terminating(client, clerk_a, contract_id)
    clock.advance(timedelta(days=21))  # 1 October: the termination took effect on 30 September
    headers = login(client, world.a.clerk)
    result = rejected(client, headers, complete_op(contract_id), "transition_not_allowed")
    assert result["message"].endswith("договор в статусе «расторгнут».")
    assert result["record"]["status"] == "closed"
    assert details(database, contract_id)["parent_full_name"] == "Родитель Тестовый"


@pytest.mark.parametrize(
    ("parent_name", "child_name"),
    [("", CHILD["full_name"]), ("   ", CHILD["full_name"]), (PARENT["full_name"], ""), (PARENT["full_name"], "\t")],
)
def test_refused_without_both_names(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Headers, parent_name: str, child_name: str
) -> None:
    contract_id = desk_contract(client, clerk_a, world)
    before = details(database, contract_id)
    op = complete_op(contract_id, {**PARENT, "full_name": parent_name}, {**CHILD, "full_name": child_name})
    result = rejected(client, clerk_a, op, "details_missing")
    assert result["message"] == MISSING
    assert details(database, contract_id) == before
    assert [action for action, _details in audit_of(database, contract_id)] == ["contract.request"]


def test_another_organizations_contract_is_not_found(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Headers, clerk_b: Headers
) -> None:
    contract_id = desk_contract(client, clerk_a, world)
    before = details(database, contract_id)
    result = rejected(client, clerk_b, complete_op(contract_id), "not_found")
    assert (result["message"], result["record"]) == (NOT_FOUND, None), "nothing of «a»'s contract is shown to «b»"
    assert details(database, contract_id) == before
    assert change_log(database, contract_id) == [world.a.id]

    unknown = rejected(client, clerk_a, complete_op(str(uuid.uuid4())), "not_found")
    assert (unknown["message"], unknown["record"]) == (NOT_FOUND, None)
