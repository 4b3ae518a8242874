"""Tests push: every operation type replayed gives the same bytes and changes nothing, batches, and what each
operation does to programs, modules, groups, schedules and contracts.

The push reply is built from the answers the server stored, so a replay is compared byte for byte; "nothing
changed" is checked on every table of the database, not on a sample.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from desktop_app.domain.pricing import monthly_schedule
from desktop_app.sync.payloads import OPERATION_PAYLOADS
from server.clock import FixedClock
from server.db.engine import ServerDatabase
from server.db.models import (
    AuditEntry,
    Base,
    CertificateBalance,
    ChangeLogEntry,
    ContractRow,
    GroupRow,
    LedgerEntry,
    Period,
    ProcessedOperation,
    ProgramRow,
)
from tests.server.world import (
    World,
    contract_request,
    expected_split,
    login,
    operation,
    push,
)

TODAY = date(2026, 9, 10)
"""The region's date at the fixed clock (10:30 in Kemerovo)."""

SENT_BACK = "Программа изменена после сертификации и снова стала черновиком: отправьте её на сертификацию."
UNDER_REVIEW = "Программа на сертификации: изменения сохранены, оператор увидит их при рассмотрении."
REUSED = "Операция с этим идентификатором уже была принята с другим содержанием; повтор отклонён."

Operation = dict[str, Any]


# ---------------------------------------------------------------- payloads


def program_payload(program_id: uuid.UUID | None = None, **changes: Any) -> dict[str, Any]:
    """A complete program that passes the domain's validation."""
    payload: dict[str, Any] = {
        "id": str(program_id or uuid.uuid4()),
        "full_name": "Дополнительная общеразвивающая программа «Юный конструктор»",
        "short_name": "Юный конструктор",
        "direction": "technical",
        "kind": "general_developmental",
        "form": "full_time",
        "level": "basic",
        "distance_technologies": False,
        "age_from_months": 84,
        "age_to_months": 144,
        "duration_months": 9,
        "annotation": "Конструирование и программирование моделей.",
        "goals": "Развитие инженерного мышления.",
        "expected_results": "Ребёнок собирает и программирует модель.",
        "medical_certificate_required": False,
        "accessible_for_disabled": True,
        "final_document": "Свидетельство об обучении",
        "addresses": ["г. Кемерово, ул. Весенняя, 5"],
    }
    payload.update(changes)
    return payload


def module_payload(program_id: uuid.UUID | str, module_id: uuid.UUID | None = None, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(module_id or uuid.uuid4()),
        "program_id": str(program_id),
        "position": 0,
        "name": "Первый год обучения",
        "months": 9,
        "hours": 72,
        "min_group_size": 5,
        "max_group_size": 15,
        "teacher_qualification": "Педагог дополнительного образования",
        "price": 900_000,
    }
    payload.update(changes)
    return payload


def group_payload(module_id: uuid.UUID | str, group_id: uuid.UUID | None = None, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(group_id or uuid.uuid4()),
        "module_id": str(module_id),
        "name": "Группа 1",
        "teacher": "Иванова И. И.",
        "start_date": "2026-09-01",
        "end_date": "2027-05-31",
        "capacity": 10,
    }
    payload.update(changes)
    return payload


def schedule_payload(group_id: uuid.UUID | str, entry_id: uuid.UUID | None = None, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(entry_id or uuid.uuid4()),
        "group_id": str(group_id),
        "weekday": 2,
        "starts_at": "15:00:00",
        "ends_at": "16:30:00",
        "room": "Кабинет 12",
        "address": "г. Кемерово, ул. Весенняя, 5",
    }
    payload.update(changes)
    return payload


# ---------------------------------------------------------------- a clerk at the desk


@dataclass
class Desk:
    """Organization «a»'s clerk, signed in, with the database and the clock behind the server."""

    client: TestClient
    headers: dict[str, str]
    world: World
    database: ServerDatabase
    clock: FixedClock

    def post(self, *operations: Operation) -> httpx2.Response:
        response = self.client.post("/api/v1/sync/push", headers=self.headers, json={"operations": list(operations)})
        assert response.status_code == 200, response.text
        return response

    def push(self, *operations: Operation) -> list[dict[str, Any]]:
        return push(self.client, self.headers, *operations)

    def apply(self, *operations: Operation) -> list[dict[str, Any]]:
        """Push operations that must all be applied (set-up steps)."""
        results = self.push(*operations)
        for result in results:
            assert result["status"] == "applied", result
        return results

    def reject(self, op: Operation, code: str) -> dict[str, Any]:
        (result,) = self.push(op)
        assert result["status"] == "rejected", result
        assert result["code"] == code, result
        payload = op["payload"]
        target = payload.get("id") or payload.get("contract_id") or payload.get("program_id")
        if result["record"] is not None:
            # A refused change comes with the server's current view of that record, to restore it.
            assert result["record"]["id"] == target, result
        return result

    def sign_in_again(self, username: str = "clerk_a") -> None:
        """After the clock moved past the access token's life."""
        self.headers = login(self.client, username)

    def new_program(self, **changes: Any) -> tuple[str, str, str]:
        """A draft program with a module and a group; returns their ids."""
        program = program_payload(**changes)
        module = module_payload(program["id"])
        group = group_payload(module["id"])
        self.apply(
            operation("program.create", program), operation("module.create", module), operation("group.create", group)
        )
        return program["id"], module["id"], group["id"]

    def new_contract(self, certificate: str = "c1", *, small: bool = False, start: date = date(2026, 10, 1)) -> str:
        organization = self.world.a
        group_id = organization.small_group_id if small else organization.group_id
        op = contract_request(self.world, organization, certificate, group_id=group_id, start=start)
        self.apply(op)
        contract_id: str = op["payload"]["id"]
        return contract_id


@pytest.fixture
def desk(client: TestClient, world: World, database: ServerDatabase, clock: FixedClock) -> Desk:
    return Desk(client, login(client, world.a.clerk), world, database, clock)


def raw_results(response: httpx2.Response) -> list[str]:
    """The exact text of each element of ``results`` in a push reply, as the server sent it."""
    text = response.text
    prefix = '{"results":['
    assert text.startswith(prefix), text
    decoder = json.JSONDecoder()
    elements = []
    index = len(prefix)
    while text[index] != "]":
        _, end = decoder.raw_decode(text, index)
        elements.append(text[index:end])
        index = end + 1 if text[end] == "," else end
    return elements


def database_state(database: ServerDatabase) -> dict[str, Any]:
    """Every row of every table, plus the figures a reader would look at first."""
    with database.transaction() as session:
        state: dict[str, Any] = {
            table.name: sorted((tuple(row) for row in session.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }
        state["change_log max seq"] = session.scalar(select(func.max(ChangeLogEntry.seq)))
        state["audit_log count"] = session.scalar(select(func.count()).select_from(AuditEntry))
        state["balances"] = sorted(
            (str(row.id), row.nominal, row.balance, row.reserve) for row in session.scalars(select(CertificateBalance))
        )
    return state


def changed_parts(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def _contract_row(database: ServerDatabase, contract_id: str) -> ContractRow:
    with database.transaction() as session:
        row = session.get(ContractRow, uuid.UUID(contract_id))
        assert row is not None
        return row


def _group_taken(database: ServerDatabase, group_id: uuid.UUID | str) -> int:
    with database.transaction() as session:
        group = session.get(GroupRow, uuid.UUID(str(group_id)))
        assert group is not None
        return group.taken


def _balance(database: ServerDatabase, certificate_id: uuid.UUID) -> tuple[int, int, int]:
    """(nominal, balance, reserve) of the certificate in the current period (2026/27)."""
    with database.transaction() as session:
        row = session.scalars(
            select(CertificateBalance)
            .join(Period, Period.id == CertificateBalance.period_id)
            .where(CertificateBalance.certificate_id == certificate_id, Period.code == "2026/27")
        ).one()
        return row.nominal, row.balance, row.reserve


def _ledger(database: ServerDatabase, contract_id: str) -> dict[str, int]:
    with database.transaction() as session:
        return {
            entry.kind: entry.amount
            for entry in session.scalars(select(LedgerEntry).where(LedgerEntry.contract_id == uuid.UUID(contract_id)))
        }


# ---------------------------------------------------------------- idempotency: one case per operation type


def _case_program_create(desk: Desk) -> Operation:
    return operation("program.create", program_payload())


def _case_program_update(desk: Desk) -> Operation:
    program_id, _, _ = desk.new_program()
    return operation("program.update", program_payload(uuid.UUID(program_id), short_name="Конструктор-2"))


def _case_program_archive(desk: Desk) -> Operation:
    program_id, _, _ = desk.new_program()
    return operation("program.archive", {"id": program_id})


def _case_program_submit(desk: Desk) -> Operation:
    program_id, _, _ = desk.new_program()
    return operation("program.submit", {"program_id": program_id})


def _case_module_create(desk: Desk) -> Operation:
    program_id, _, _ = desk.new_program()
    return operation("module.create", module_payload(program_id, position=1, name="Второй год обучения"))


def _case_module_update(desk: Desk) -> Operation:
    program_id, module_id, _ = desk.new_program()
    return operation("module.update", module_payload(program_id, uuid.UUID(module_id), price=950_000))


def _case_module_archive(desk: Desk) -> Operation:
    _, module_id, _ = desk.new_program()
    return operation("module.archive", {"id": module_id})


def _case_group_create(desk: Desk) -> Operation:
    return operation("group.create", group_payload(desk.world.a.module_id, name="Вечерняя группа", capacity=12))


def _case_group_update(desk: Desk) -> Operation:
    group = group_payload(desk.world.a.module_id)
    desk.apply(operation("group.create", group))
    return operation("group.update", {**group, "teacher": "Петрова П. П.", "capacity": 14})


def _case_group_archive(desk: Desk) -> Operation:
    group = group_payload(desk.world.a.module_id)
    desk.apply(operation("group.create", group))
    return operation("group.archive", {"id": group["id"]})


def _case_schedule_create(desk: Desk) -> Operation:
    return operation("schedule.create", schedule_payload(desk.world.a.group_id))


def _case_schedule_update(desk: Desk) -> Operation:
    entry = schedule_payload(desk.world.a.group_id)
    desk.apply(operation("schedule.create", entry))
    return operation("schedule.update", {**entry, "room": "Кабинет 14", "ends_at": "17:00:00"})


def _case_schedule_archive(desk: Desk) -> Operation:
    entry = schedule_payload(desk.world.a.group_id)
    desk.apply(operation("schedule.create", entry))
    return operation("schedule.archive", {"id": entry["id"]})


def _case_contract_request(desk: Desk) -> Operation:
    return contract_request(desk.world, desk.world.a, "c1")


def _case_contract_confirm(desk: Desk) -> Operation:
    return operation("contract.confirm", {"contract_id": desk.new_contract()})


def _case_contract_activate(desk: Desk) -> Operation:
    contract_id = desk.new_contract()
    desk.apply(operation("contract.confirm", {"contract_id": contract_id}))
    return operation("contract.activate", {"contract_id": contract_id, "signed_on": TODAY.isoformat()})


def _case_contract_terminate(desk: Desk) -> Operation:
    contract_id = desk.new_contract(start=TODAY)
    desk.apply(
        operation("contract.confirm", {"contract_id": contract_id}),
        operation("contract.activate", {"contract_id": contract_id, "signed_on": TODAY.isoformat()}),
    )
    return operation("contract.terminate", {"contract_id": contract_id, "reason": "Семья переезжает"})


def _case_contract_refuse(desk: Desk) -> Operation:
    return operation("contract.refuse", {"contract_id": desk.new_contract(), "reason": "Родитель передумал"})


def _case_contract_complete(desk: Desk) -> Operation:
    details = {
        "contract_id": desk.new_contract(),
        "parent": {
            "full_name": "Смирнова Анна Петровна",
            "phone": "+7 900 000-00-00",
            "email": "anna@example.ru",
            "address": "г. Кемерово, ул. Весенняя, 1",
            "identity_document": "паспорт 3200 123456",
        },
        "child": {"full_name": "Смирнов Пётр Иванович", "address": "г. Кемерово, ул. Весенняя, 1"},
    }
    return operation("contract.complete", details)


def _case_teacher_create(desk: Desk) -> Operation:
    return operation("teacher.create", {"id": str(uuid.uuid4()), "full_name": "Иванова И. И.", "category": "высшая"})


def _case_teacher_update(desk: Desk) -> Operation:
    teacher = {"id": str(uuid.uuid4()), "full_name": "Иванова И. И.", "category": "первая"}
    desk.apply(operation("teacher.create", teacher))
    return operation("teacher.update", {**teacher, "category": "высшая"})


def _case_teacher_archive(desk: Desk) -> Operation:
    teacher = {"id": str(uuid.uuid4()), "full_name": "Иванова И. И.", "category": "первая"}
    desk.apply(operation("teacher.create", teacher))
    return operation("teacher.archive", {"id": teacher["id"]})


def _case_address_create(desk: Desk) -> Operation:
    return operation("address.create", {"id": str(uuid.uuid4()), "text": "г. Кемерово, ул. Весенняя, 5"})


def _case_address_update(desk: Desk) -> Operation:
    address = {"id": str(uuid.uuid4()), "text": "г. Кемерово, ул. Весенняя, 5", "note": ""}
    desk.apply(operation("address.create", address))
    return operation("address.update", {**address, "note": "вход со двора"})


def _case_address_archive(desk: Desk) -> Operation:
    address = {"id": str(uuid.uuid4()), "text": "г. Кемерово, ул. Весенняя, 5", "note": ""}
    desk.apply(operation("address.create", address))
    return operation("address.archive", {"id": address["id"]})


def _case_organization_requisites(desk: Desk) -> Operation:
    desk.sign_in_again(desk.world.a.admin)  # only the organization's admin changes its requisites
    requisites = {
        "full_name": "МБУ ДО «Дом детского творчества № 2»",
        "short_name": "ДДТ № 2",
        "inn": "4205012340",
        "kpp": "420501001",
        "bik": "043207612",
        "settlement_account": "40703810926000012345",
    }
    return operation("organization.requisites", requisites)


IDEMPOTENCY_CASES: dict[tuple[str, int], Callable[[Desk], Operation]] = {
    ("program.create", 1): _case_program_create,
    ("program.update", 1): _case_program_update,
    ("program.archive", 1): _case_program_archive,
    ("program.submit", 1): _case_program_submit,
    ("module.create", 1): _case_module_create,
    ("module.update", 1): _case_module_update,
    ("module.archive", 1): _case_module_archive,
    ("group.create", 1): _case_group_create,
    ("group.update", 1): _case_group_update,
    ("group.archive", 1): _case_group_archive,
    ("schedule.create", 1): _case_schedule_create,
    ("schedule.update", 1): _case_schedule_update,
    ("schedule.archive", 1): _case_schedule_archive,
    ("contract.request", 1): _case_contract_request,
    ("contract.confirm", 1): _case_contract_confirm,
    ("contract.activate", 1): _case_contract_activate,
    ("contract.terminate", 1): _case_contract_terminate,
    ("contract.refuse", 1): _case_contract_refuse,
    ("contract.complete", 1): _case_contract_complete,
    ("teacher.create", 1): _case_teacher_create,
    ("teacher.update", 1): _case_teacher_update,
    ("teacher.archive", 1): _case_teacher_archive,
    ("address.create", 1): _case_address_create,
    ("address.update", 1): _case_address_update,
    ("address.archive", 1): _case_address_archive,
    ("organization.requisites", 1): _case_organization_requisites,
}

TEXT_FIELDS = ("short_name", "name", "teacher", "room", "reason", "provisional_number")


def another_body(payload: dict[str, Any]) -> dict[str, Any]:
    """The same operation with a different (still well-formed) payload."""
    for name in TEXT_FIELDS:
        if name in payload:
            return {**payload, name: payload[name] + " (другое)"}
    for name in ("id", "program_id", "contract_id"):
        if name in payload:
            return {**payload, name: str(uuid.uuid4())}
    raise AssertionError(f"no field to change in {sorted(payload)}")


def test_every_operation_type_has_an_idempotency_case() -> None:
    assert set(IDEMPOTENCY_CASES) == set(OPERATION_PAYLOADS)


@pytest.mark.parametrize("kind", sorted(OPERATION_PAYLOADS), ids=lambda kind: f"{kind[0]}-v{kind[1]}")
def test_a_replayed_operation_gets_the_same_bytes_and_changes_nothing(desk: Desk, kind: tuple[str, int]) -> None:
    build = IDEMPOTENCY_CASES.get(kind)
    assert build is not None, f"operation {kind} has no idempotency case: add one to IDEMPOTENCY_CASES"
    op = build(desk)
    assert (op["type"], op["version"]) == kind
    before = database_state(desk.database)

    first = desk.post(op)
    (answer,) = first.json()["results"]
    assert answer["status"] == "applied", answer
    assert answer["op_id"] == op["op_id"]
    after_first = database_state(desk.database)
    assert "processed_operations" in changed_parts(before, after_first)
    assert len(changed_parts(before, after_first)) > 1, "the operation itself changed nothing: a useless case"

    replay = desk.post(op)
    assert raw_results(replay) == raw_results(first)
    assert replay.content == first.content
    assert changed_parts(after_first, database_state(desk.database)) == []

    reused = desk.post({**op, "payload": another_body(op["payload"])})
    (refusal,) = reused.json()["results"]
    assert (refusal["status"], refusal["code"], refusal["message"]) == ("rejected", "op_id_reused", REUSED)
    assert refusal["op_id"] == op["op_id"]
    assert refusal["record"] is None
    assert changed_parts(after_first, database_state(desk.database)) == []

    assert desk.post(op).content == first.content, "the refused reuse must not replace the stored answer"


def test_a_rejected_operation_of_every_type_is_stored_and_replayed(desk: Desk) -> None:
    batch = [
        {"op_id": str(uuid.uuid4()), "type": op_type, "version": version, "payload": {}}
        for op_type, version in sorted(OPERATION_PAYLOADS)
    ]
    before = database_state(desk.database)
    first = desk.post(*batch)
    answers = first.json()["results"]
    assert [(answer["op_id"], answer["status"], answer["code"]) for answer in answers] == [
        (op["op_id"], "rejected", "invalid_payload") for op in batch
    ]
    for answer in answers:
        assert answer["message"].startswith("Неверные данные операции, поля: "), answer
    after_first = database_state(desk.database)
    assert changed_parts(before, after_first) == ["processed_operations"]
    assert len(after_first["processed_operations"]) == len(before["processed_operations"]) + len(batch)

    replay = desk.post(*batch)
    assert replay.content == first.content
    assert changed_parts(after_first, database_state(desk.database)) == []
    (single,) = raw_results(desk.post(batch[3]))
    assert single == raw_results(first)[3]


def test_a_rejection_stays_the_answer_after_the_reason_went_away(desk: Desk) -> None:
    world = desk.world
    taken_by = desk.new_contract("c1", small=True)
    late = contract_request(world, world.a, "c2", group_id=world.a.small_group_id)
    first = desk.post(late)
    (answer,) = first.json()["results"]
    assert (answer["status"], answer["code"]) == ("rejected", "no_places")

    desk.apply(operation("contract.refuse", {"contract_id": taken_by, "reason": "Ошибка записи"}))
    assert _group_taken(desk.database, world.a.small_group_id) == 0
    before = database_state(desk.database)

    replay = desk.post(late)
    assert replay.content == first.content
    assert changed_parts(before, database_state(desk.database)) == []
    with desk.database.transaction() as session:
        assert session.get(ContractRow, uuid.UUID(late["payload"]["id"])) is None


def test_unknown_operations_are_rejected_and_stored(desk: Desk) -> None:
    unknown_type = {"op_id": str(uuid.uuid4()), "type": "program.delete", "version": 1, "payload": {"id": "x"}}
    newer_version = {**operation("program.create", program_payload()), "version": 2}
    results = desk.push(unknown_type, newer_version)
    assert [(result["status"], result["code"]) for result in results] == [
        ("rejected", "unknown_operation"),
        ("rejected", "unknown_operation"),
    ]
    assert results[0]["message"] == (
        "Сервер не знает операцию «program.delete» версии 1. Обновите сервер или программу."
    )
    assert results[1]["message"] == (
        "Сервер не знает операцию «program.create» версии 2. Обновите сервер или программу."
    )
    with desk.database.transaction() as session:
        stored = session.scalar(select(func.count()).select_from(ProcessedOperation))
    assert stored == 2
    assert desk.push(unknown_type, newer_version) == results


# ---------------------------------------------------------------- batches


def test_a_batch_applies_in_order_and_a_rejection_does_not_block_the_rest(desk: Desk) -> None:
    program = program_payload()
    module = module_payload(program["id"])
    too_big = group_payload(module["id"], capacity=16)
    group = group_payload(module["id"])
    orphan_entry = schedule_payload(too_big["id"])
    entry = schedule_payload(group["id"])
    batch = [
        operation("program.create", program),
        operation("module.create", module),
        operation("group.create", too_big),
        operation("group.create", group),
        operation("schedule.create", orphan_entry),
        operation("schedule.create", entry),
    ]
    results = desk.push(*batch)
    assert [result["op_id"] for result in results] == [op["op_id"] for op in batch]
    assert [(result["status"], result["code"]) for result in results] == [
        ("applied", None),
        ("applied", None),
        ("rejected", "invalid_capacity"),
        ("applied", None),
        ("rejected", "not_found"),
        ("applied", None),
    ]
    assert results[2]["message"] == "Мест в группе может быть от 1 до 15."
    assert results[4]["message"] == "Группа занятия не найдена на сервере."
    assert results[5]["record"]["group_id"] == group["id"]


def test_a_batch_in_the_wrong_order_rejects_the_early_dependent(desk: Desk) -> None:
    program = program_payload()
    module = module_payload(program["id"])
    results = desk.push(operation("module.create", module), operation("program.create", program))
    assert [(result["status"], result["code"]) for result in results] == [
        ("rejected", "not_found"),
        ("applied", None),
    ]
    assert results[0]["message"] == "Программа не найдена на сервере."


# ---------------------------------------------------------------- programs


def test_program_create_update_and_archive(desk: Desk) -> None:
    program = program_payload()
    (created,) = desk.apply(operation("program.create", program))
    record = created["record"]
    assert (record["id"], record["status"], record["archived"]) == (program["id"], "draft", False)
    assert record["short_name"] == "Юный конструктор"
    assert record["addresses"] == ["г. Кемерово, ул. Весенняя, 5"]
    assert record["decisions"] == []

    again = desk.reject(operation("program.create", program), "already_exists")
    assert again["message"] == "Запись с таким идентификатором уже есть на сервере."

    (updated,) = desk.apply(operation("program.update", {**program, "short_name": "Конструктор"}))
    assert updated["record"]["short_name"] == "Конструктор"
    assert updated["message"] is None

    (archived,) = desk.apply(operation("program.archive", {"id": program["id"]}))
    assert archived["record"]["archived"] is True
    late = desk.reject(operation("program.update", program), "archived")
    assert late["message"] == "Программа «Конструктор» в архиве: изменения не приняты."


def test_editing_a_certified_program_sends_it_back_to_draft(desk: Desk) -> None:
    world = desk.world
    payload = program_payload(world.a.program_id, short_name="Робототехника", age_from_months=60, age_to_months=216)
    (result,) = desk.push(operation("program.update", payload))
    assert (result["status"], result["message"]) == ("applied", SENT_BACK)
    assert result["record"]["status"] == "draft"
    refused = desk.reject(contract_request(world, world.a, "c1"), "program_not_certified")
    assert refused["message"] == "Программа «Робототехника» не сертифицирована: запись по сертификату невозможна."


def test_editing_a_program_under_certification_needs_review(desk: Desk) -> None:
    program_id, _, _ = desk.new_program()
    desk.apply(operation("program.submit", {"program_id": program_id}))
    (result,) = desk.push(operation("program.update", program_payload(uuid.UUID(program_id), goals="Новые цели.")))
    assert (result["status"], result["code"], result["message"]) == ("needs_review", None, UNDER_REVIEW)
    assert (result["record"]["status"], result["record"]["goals"]) == ("submitted", "Новые цели.")


def test_another_organizations_program_is_not_found(desk: Desk) -> None:
    desk.sign_in_again("clerk_b")
    result = desk.reject(operation("program.update", program_payload(desk.world.a.program_id)), "not_found")
    assert result["message"] == "Программа не найдена на сервере."
    result = desk.reject(operation("program.archive", {"id": str(desk.world.a.program_id)}), "not_found")
    assert result["message"] == "Программа не найдена на сервере."


def test_a_program_with_open_contracts_cannot_be_archived(desk: Desk) -> None:
    desk.new_contract()
    result = desk.reject(operation("program.archive", {"id": str(desk.world.a.program_id)}), "has_contracts")
    assert result["message"] == "По программе «Робототехника» есть действующие договоры: в архив нельзя."


def test_program_submit_lists_what_is_missing(desk: Desk) -> None:
    sketch = program_payload(direction=None, kind=None, form=None, level=None, addresses=[])
    desk.apply(operation("program.create", sketch))
    result = desk.reject(operation("program.submit", {"program_id": sketch["id"]}), "validation_failed")
    assert result["message"] == (
        "Программа заполнена не полностью: Выберите направленность программы. Выберите вид программы. "
        "Выберите форму обучения. Выберите уровень программы. Добавьте хотя бы один модуль."
    )
    assert result["figures"] == {"errors": 5}

    desk.apply(operation("program.update", {**sketch, "direction": "technical", "kind": "general_developmental"}))
    incomplete_module = module_payload(sketch["id"], hours=0, min_group_size=0)
    desk.apply(operation("module.create", incomplete_module))
    result = desk.reject(operation("program.submit", {"program_id": sketch["id"]}), "validation_failed")
    assert result["message"] == (
        "Программа заполнена не полностью: Выберите форму обучения. Выберите уровень программы. "
        "Укажите число часов модуля: хотя бы один час. Минимальный размер группы — хотя бы 1 человек."
    )
    assert result["figures"] == {"errors": 4}


def test_program_submit_of_a_complete_program(desk: Desk) -> None:
    program_id, _, _ = desk.new_program()
    (result,) = desk.apply(operation("program.submit", {"program_id": program_id}))
    record = result["record"]
    assert record["status"] == "submitted"
    assert [(item["decision"], item["author"]) for item in record["decisions"]] == [("submitted", "организация")]
    again = desk.reject(operation("program.submit", {"program_id": program_id}), "already_submitted")
    assert again["message"] == "Программа «Юный конструктор» уже на сертификации или сертифицирована."


# ---------------------------------------------------------------- modules


def test_module_create_update_and_archive(desk: Desk) -> None:
    program_id, module_id, _ = desk.new_program()
    extra = module_payload(program_id, position=1, name="Второй год обучения", price=1_000_000)
    (created,) = desk.apply(operation("module.create", extra))
    assert (created["record"]["name"], created["record"]["price"], created["record"]["normative"]) == (
        "Второй год обучения",
        1_000_000,
        None,
    )
    (updated,) = desk.apply(operation("module.update", {**extra, "price": 1_100_000, "hours": 80}))
    assert (updated["record"]["price"], updated["record"]["hours"]) == (1_100_000, 80)

    (archived,) = desk.apply(operation("module.archive", {"id": extra["id"]}))
    assert archived["record"]["archived"] is True
    late = desk.reject(operation("module.update", extra), "archived")
    assert late["message"] == "Модуль «Второй год обучения» в архиве: изменения не приняты."
    moved = desk.reject(
        operation("module.update", module_payload(str(uuid.uuid4()), uuid.UUID(module_id))), "not_found"
    )
    assert moved["message"] == "Программа не найдена на сервере."


def test_a_module_price_above_the_normative_is_refused(desk: Desk) -> None:
    world = desk.world
    payload = module_payload(world.a.program_id, world.a.module_id, name="Первый год", max_group_size=30)
    result = desk.reject(operation("module.update", {**payload, "price": 1_500_001}), "price_above_normative")
    assert result["message"] == (
        "Цена модуля 15 000,01 ₽ выше допустимой: не более 100 % нормативной стоимости (15 000,00 ₽)."
    )
    assert result["figures"] == {"price": 1_500_001, "normative": 1_500_000, "percent": 100}
    with desk.database.transaction() as session:
        program = session.get(ProgramRow, world.a.program_id)
        assert program is not None
        assert program.status == "certified", "a refused edit must not send the program back to draft"

    (result,) = desk.push(operation("module.update", {**payload, "price": 1_500_000}))
    assert (result["status"], result["message"]) == ("applied", SENT_BACK)
    assert result["record"]["normative"] == 1_500_000


def test_a_module_with_open_contracts_cannot_be_archived(desk: Desk) -> None:
    desk.new_contract()
    result = desk.reject(operation("module.archive", {"id": str(desk.world.a.module_id)}), "has_contracts")
    assert result["message"] == "По модулю «Первый год» есть действующие договоры: в архив нельзя."


# ---------------------------------------------------------------- groups


def test_group_capacity_limits(desk: Desk) -> None:
    world = desk.world
    module_id = world.a.module_id
    for capacity in (0, 31):
        result = desk.reject(operation("group.create", group_payload(module_id, capacity=capacity)), "invalid_capacity")
        assert result["message"] == "Мест в группе может быть от 1 до 30."
    backwards = group_payload(module_id, start_date="2027-05-31", end_date="2026-09-01")
    result = desk.reject(operation("group.create", backwards), "invalid_dates")
    assert result["message"] == "Дата окончания занятий группы раньше даты начала."

    desk.new_contract("c1")
    desk.new_contract("c2")
    big = group_payload(module_id, world.a.group_id, name="Большая группа", teacher="Сидоров С. С.", capacity=30)
    result = desk.reject(operation("group.update", {**big, "capacity": 1}), "capacity_below_taken")
    assert result["message"] == "Нельзя оставить в группе 1 место: по договорам уже занято 2."
    assert result["figures"] == {"capacity": 1, "taken": 2}
    result = desk.reject(operation("group.update", {**big, "capacity": 31}), "invalid_capacity")
    assert result["message"] == "Мест в группе может быть от 1 до 30."

    (shrunk,) = desk.apply(operation("group.update", {**big, "capacity": 2}))
    assert (shrunk["record"]["capacity"], shrunk["record"]["taken"]) == (2, 2)
    result = desk.reject(operation("group.archive", {"id": str(world.a.group_id)}), "has_contracts")
    assert result["message"] == "В группе «Большая группа» есть договоры: в архив нельзя."


def test_group_create_update_and_archive(desk: Desk) -> None:
    group = group_payload(desk.world.a.module_id)
    (created,) = desk.apply(operation("group.create", group))
    assert created["record"] == {
        "id": group["id"],
        "module_id": str(desk.world.a.module_id),
        "name": "Группа 1",
        "teacher": "Иванова И. И.",
        "start_date": "2026-09-01",
        "end_date": "2027-05-31",
        "capacity": 10,
        "taken": 0,
        "archived": False,
    }
    (updated,) = desk.apply(operation("group.update", {**group, "teacher": "Петрова П. П."}))
    assert updated["record"]["teacher"] == "Петрова П. П."
    (archived,) = desk.apply(operation("group.archive", {"id": group["id"]}))
    assert archived["record"]["archived"] is True
    late = desk.reject(operation("group.update", group), "archived")
    assert late["message"] == "Группа «Группа 1» в архиве: изменения не приняты."
    with desk.database.transaction() as session:
        program = session.get(ProgramRow, desk.world.a.program_id)
        assert program is not None
        assert program.status == "certified", "groups are the organization's business, not certification's"


# ---------------------------------------------------------------- schedules


def test_schedule_operations(desk: Desk) -> None:
    group_id = desk.world.a.group_id
    for ends_at in ("14:59:00", "15:00:00"):
        result = desk.reject(operation("schedule.create", schedule_payload(group_id, ends_at=ends_at)), "invalid_time")
        assert result["message"] == "Занятие должно заканчиваться позже, чем начинается."

    entry = schedule_payload(group_id)
    (created,) = desk.apply(operation("schedule.create", entry))
    assert (created["record"]["weekday"], created["record"]["starts_at"], created["record"]["ends_at"]) == (
        2,
        "15:00:00",
        "16:30:00",
    )
    (updated,) = desk.apply(operation("schedule.update", {**entry, "weekday": 4, "room": "Актовый зал"}))
    assert (updated["record"]["weekday"], updated["record"]["room"]) == (4, "Актовый зал")
    result = desk.reject(operation("schedule.update", {**entry, "starts_at": "17:00:00"}), "invalid_time")
    (archived,) = desk.apply(operation("schedule.archive", {"id": entry["id"]}))
    assert archived["record"]["archived"] is True

    desk.sign_in_again("clerk_b")
    result = desk.reject(operation("schedule.create", schedule_payload(group_id)), "not_found")
    assert result["message"] == "Группа занятия не найдена на сервере."
    result = desk.reject(operation("schedule.archive", {"id": entry["id"]}), "not_found")
    assert result["message"] == "Занятие не найдено на сервере."


# ---------------------------------------------------------------- contracts


def test_contract_request_confirm_and_activate(desk: Desk) -> None:
    world = desk.world
    op = contract_request(world, world.a, "c1")
    (requested,) = desk.apply(op)
    record = requested["record"]
    split = expected_split(date(2026, 10, 1), world.certificates["c1"].balance)
    assert (record["number"], record["status"], record["source"]) == ("1-ПФ", "requested", "desk")
    assert record["provisional_number"] == op["payload"]["provisional_number"]
    assert (record["price"], record["from_certificate"], record["co_payment"]) == (
        split.price,
        split.from_certificate,
        split.co_payment,
    )
    contract_id = op["payload"]["id"]

    early = desk.reject(
        operation("contract.activate", {"contract_id": contract_id, "signed_on": TODAY.isoformat()}),
        "transition_not_allowed",
    )
    assert early["message"] == "Договор в статусе «заявка» нельзя отметить как подписанный."

    (confirmed,) = desk.apply(operation("contract.confirm", {"contract_id": contract_id}))
    assert confirmed["record"]["status"] == "confirmed"

    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    future = desk.reject(
        operation("contract.activate", {"contract_id": contract_id, "signed_on": tomorrow}), "signed_in_future"
    )
    assert future["message"] == "Дата подписания не может быть позже сегодняшнего дня."
    assert _contract_row(desk.database, contract_id).status == "confirmed"

    (active,) = desk.apply(operation("contract.activate", {"contract_id": contract_id, "signed_on": TODAY.isoformat()}))
    assert (active["record"]["status"], active["record"]["signed_on"]) == ("active", "2026-09-10")

    for action, message in (
        ("contract.confirm", "Договор в статусе «действует» нельзя подтвердить."),
        ("contract.refuse", "Договор в статусе «действует» нельзя отклонить."),
    ):
        payload: dict[str, Any] = {"contract_id": contract_id}
        if action == "contract.refuse":
            payload["reason"] = "Поздно"
        result = desk.reject(operation(action, payload), "transition_not_allowed")
        assert result["message"] == message

    desk.sign_in_again("clerk_b")
    result = desk.reject(operation("contract.confirm", {"contract_id": contract_id}), "not_found")
    assert result["message"] == "Договор не найден на сервере."


def test_signed_today_is_the_regions_today(desk: Desk) -> None:
    """At 20:00 UTC on 10 September it is already 11 September in Kemerovo: that day is not in the future."""
    contract_id = desk.new_contract()
    desk.apply(operation("contract.confirm", {"contract_id": contract_id}))
    desk.clock.advance(timedelta(hours=16, minutes=30))
    assert desk.clock.now() == datetime(2026, 9, 10, 20, 0, tzinfo=UTC)
    desk.sign_in_again()
    desk.reject(
        operation("contract.activate", {"contract_id": contract_id, "signed_on": "2026-09-12"}), "signed_in_future"
    )
    (active,) = desk.apply(operation("contract.activate", {"contract_id": contract_id, "signed_on": "2026-09-11"}))
    assert active["record"]["signed_on"] == "2026-09-11"


def _active_contract(desk: Desk, certificate: str, *, small: bool, start: date) -> str:
    contract_id = desk.new_contract(certificate, small=small, start=start)
    desk.apply(
        operation("contract.confirm", {"contract_id": contract_id}),
        operation("contract.activate", {"contract_id": contract_id, "signed_on": TODAY.isoformat()}),
    )
    return contract_id


def test_terminate_returns_the_unspent_months_and_closes_at_month_end(desk: Desk) -> None:
    world = desk.world
    certificate = world.certificates["c1"]
    contract_id = _active_contract(desk, "c1", small=True, start=TODAY)
    split = expected_split(TODAY, certificate.balance)
    schedule = monthly_schedule(split)
    assert [payment.month for payment in schedule][:2] == [date(2026, 9, 1), date(2026, 10, 1)]
    unspent = sum(payment.from_certificate for payment in schedule[1:])
    spent = schedule[0].from_certificate
    assert spent + unspent == split.from_certificate
    assert _balance(desk.database, certificate.id) == (
        certificate.balance,
        certificate.balance - split.from_certificate,
        split.from_certificate,
    )

    (result,) = desk.apply(operation("contract.terminate", {"contract_id": contract_id, "reason": "Переезд"}))
    assert (result["record"]["status"], result["record"]["terminates_on"], result["record"]["reason"]) == (
        "terminating",
        "2026-09-30",
        "Переезд",
    )
    assert _balance(desk.database, certificate.id) == (certificate.balance, certificate.balance - spent, spent)
    assert _ledger(desk.database, contract_id) == {"reserve": split.from_certificate, "release": unspent}
    again = desk.reject(
        operation("contract.terminate", {"contract_id": contract_id, "reason": "Ещё раз"}), "transition_not_allowed"
    )
    assert again["message"] == "Договор в статусе «ожидает расторжения» нельзя расторгнуть."

    # On the last day of the month the contract still runs and holds its place.
    desk.clock.advance(timedelta(days=20))
    desk.sign_in_again()
    desk.client.get("/api/v1/sync/pull", headers=desk.headers, params={"cursor": 0}).raise_for_status()
    assert _contract_row(desk.database, contract_id).status == "terminating"
    assert _group_taken(desk.database, world.a.small_group_id) == 1

    # The next day it closes on the organization's next sync, and the place is free again.
    desk.clock.advance(timedelta(days=1))
    desk.sign_in_again()
    response = desk.client.get("/api/v1/sync/pull", headers=desk.headers, params={"cursor": 0})
    assert response.status_code == 200, response.text
    contracts = [change["data"] for change in response.json()["changes"] if change["entity"] == "contract"]
    assert [(item["id"], item["status"]) for item in contracts] == [(contract_id, "closed")]
    groups = {change["id"]: change["data"] for change in response.json()["changes"] if change["entity"] == "group"}
    assert groups[str(world.a.small_group_id)]["taken"] == 0
    assert _balance(desk.database, certificate.id) == (certificate.balance, certificate.balance - spent, spent)
    desk.new_contract("c2", small=True)


def test_terminate_takes_the_month_of_the_region_not_of_utc(desk: Desk) -> None:
    """18:00 UTC on 30 September is 01:00 on 1 October in Kemerovo: the contract runs to 31 October."""
    certificate = desk.world.certificates["c1"]
    contract_id = _active_contract(desk, "c1", small=False, start=TODAY)
    desk.clock.advance(datetime(2026, 9, 30, 18, 0, tzinfo=UTC) - desk.clock.now())
    desk.sign_in_again()
    (result,) = desk.apply(operation("contract.terminate", {"contract_id": contract_id, "reason": "Переезд"}))
    assert result["record"]["terminates_on"] == "2026-10-31"
    schedule = monthly_schedule(expected_split(TODAY, certificate.balance))
    unspent = sum(payment.from_certificate for payment in schedule if payment.month > date(2026, 10, 1))
    assert _ledger(desk.database, contract_id)["release"] == unspent


def test_refuse_returns_the_whole_reservation_and_frees_the_place(desk: Desk) -> None:
    world = desk.world
    certificate = world.certificates["c2"]
    split = expected_split(date(2026, 10, 1), certificate.balance)
    assert split.from_certificate == certificate.balance < split.price
    contract_id = desk.new_contract("c2", small=True)
    assert _balance(desk.database, certificate.id) == (certificate.balance, 0, certificate.balance)
    assert _group_taken(desk.database, world.a.small_group_id) == 1

    (result,) = desk.apply(operation("contract.refuse", {"contract_id": contract_id, "reason": "Нет справки"}))
    assert (result["record"]["status"], result["record"]["reason"]) == ("refused", "Нет справки")
    assert _balance(desk.database, certificate.id) == (certificate.balance, certificate.balance, 0)
    assert _ledger(desk.database, contract_id) == {"reserve": certificate.balance, "release": certificate.balance}
    assert _group_taken(desk.database, world.a.small_group_id) == 0
    again = desk.reject(
        operation("contract.refuse", {"contract_id": contract_id, "reason": "Ещё раз"}), "transition_not_allowed"
    )
    assert again["message"] == "Договор в статусе «отклонён» нельзя отклонить."
    for action, message in (
        ("contract.confirm", "Договор в статусе «отклонён» нельзя подтвердить."),
        ("contract.terminate", "Договор в статусе «отклонён» нельзя расторгнуть."),
    ):
        payload: dict[str, Any] = {"contract_id": contract_id}
        if action == "contract.terminate":
            payload["reason"] = "Поздно"
        assert desk.reject(operation(action, payload), "transition_not_allowed")["message"] == message

    confirmed = desk.new_contract("c1", small=True)
    desk.apply(operation("contract.confirm", {"contract_id": confirmed}))
    (result,) = desk.apply(operation("contract.refuse", {"contract_id": confirmed, "reason": "Не пришли"}))
    assert result["record"]["status"] == "refused"
    assert _group_taken(desk.database, world.a.small_group_id) == 0


def test_a_rejected_request_does_not_use_up_a_contract_number(desk: Desk) -> None:
    world = desk.world
    desk.new_contract("c1", small=True)
    desk.reject(contract_request(world, world.a, "c2", group_id=world.a.small_group_id), "no_places")
    (second,) = desk.apply(contract_request(world, world.a, "c2"))
    assert second["record"]["number"] == "2-ПФ"
