"""Tests certification through HTTP: a clerk builds and submits a program, the operator refuses and then
certifies it, and the decisions, remarks and normatives reach the clerk through pull."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.clock import FixedClock
from tests.server.conftest import TEST_NOW
from tests.server.world import GROUP_DATES, World, login, operation, push

OPERATOR = "/api/v1/operator/programs"
CYRILLIC = re.compile("[А-Яа-яЁё]")
SENT_BACK = "Программа изменена после сертификации и снова стала черновиком: отправьте её на сертификацию."
UNDER_REVIEW = "Программа на сертификации: изменения сохранены, оператор увидит их при рассмотрении."
PRICE = 1_000_000
NORMATIVE = 1_100_000
REMARK = "Уточните ожидаемые результаты по годам обучения."


def program_payload(program_id: uuid.UUID, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(program_id),
        "full_name": "Шахматы: от первых ходов до турниров",
        "short_name": "Шахматы",
        "direction": "sports",
        "kind": "general_developmental",
        "form": "full_time",
        "level": "starting",
        "age_from_months": 72,
        "age_to_months": 168,
        "duration_months": 9,
        "annotation": "Шахматы для начинающих.",
        "goals": "Научить играть.",
        "expected_results": "Разряд.",
        "addresses": ["ул. Весенняя, 5"],
    }
    payload.update(changes)
    return payload


def module_payload(module_id: uuid.UUID, program_id: uuid.UUID, price: int = PRICE) -> dict[str, Any]:
    return {
        "id": str(module_id),
        "program_id": str(program_id),
        "position": 0,
        "name": "Первый год",
        "months": 9,
        "hours": 72,
        "min_group_size": 5,
        "max_group_size": 15,
        "teacher_qualification": "Первый разряд",
        "price": price,
    }


@dataclass
class Draft:
    program_id: uuid.UUID
    module_id: uuid.UUID
    group_id: uuid.UUID
    schedule_id: uuid.UUID


@dataclass
class Desk:
    """The clerk's side: signed in, with a pull cursor like a workstation keeps."""

    client: TestClient
    headers: dict[str, str]
    cursor: int = 0

    def push(self, *operations: dict[str, Any]) -> list[dict[str, Any]]:
        return push(self.client, self.headers, *operations)

    def pull(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The changes since the last pull, by (entity, id)."""
        found: dict[tuple[str, str], dict[str, Any]] = {}
        while True:
            response = self.client.get("/api/v1/sync/pull", headers=self.headers, params={"cursor": self.cursor})
            assert response.status_code == 200, response.text
            page = response.json()
            for change in page["changes"]:
                found[(change["entity"], change["id"])] = change["data"]
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return found

    def program(self, program_id: uuid.UUID) -> dict[str, Any]:
        return self.pull()[("program", str(program_id))]


@pytest.fixture
def desk(client: TestClient, world: World) -> Desk:
    return Desk(client, login(client, world.a.clerk))


@pytest.fixture
def operator(client: TestClient, world: World) -> dict[str, str]:
    return login(client, world.operator)


def build_program(desk: Desk) -> Draft:
    draft = Draft(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
    results = desk.push(
        operation("program.create", program_payload(draft.program_id)),
        operation("module.create", module_payload(draft.module_id, draft.program_id)),
        operation(
            "group.create",
            {
                "id": str(draft.group_id),
                "module_id": str(draft.module_id),
                "name": "Шахматы-1",
                "teacher": "Карпов А. Е.",
                "start_date": GROUP_DATES[0].isoformat(),
                "end_date": GROUP_DATES[1].isoformat(),
                "capacity": 12,
            },
        ),
        operation(
            "schedule.create",
            {
                "id": str(draft.schedule_id),
                "group_id": str(draft.group_id),
                "weekday": 3,
                "starts_at": "16:00:00",
                "ends_at": "17:30:00",
                "room": "Шахматный клуб",
            },
        ),
    )
    assert [result["status"] for result in results] == ["applied"] * 4, results
    assert results[0]["record"]["status"] == "draft"
    return draft


def submit(desk: Desk, program_id: uuid.UUID) -> dict[str, Any]:
    return desk.push(operation("program.submit", {"program_id": str(program_id)}))[0]


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def assert_error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert CYRILLIC.search(body["message"]), body
    message: str = body["message"]
    return message


# ---------------------------------------------------------------- the whole round


def test_refuse_edit_resubmit_certify(
    client: TestClient, world: World, desk: Desk, operator: dict[str, str], clock: FixedClock
) -> None:
    # Steps a few minutes apart, all within the access tokens' quarter of an hour.
    draft = build_program(desk)
    clock.advance(timedelta(minutes=1))
    submitted_at = clock.now()

    submitted = submit(desk, draft.program_id)

    assert submitted["status"] == "applied", submitted
    assert submitted["record"]["status"] == "submitted"
    assert desk.program(draft.program_id)["status"] == "submitted"

    # The operator sees it waiting, with its organization.
    waiting = client.get(OPERATOR, headers=operator)
    assert waiting.status_code == 200, waiting.text
    assert [(item["id"], item["organization_name"], item["status"]) for item in waiting.json()] == [
        (str(draft.program_id), "Орг A", "submitted")
    ]
    details = client.get(f"{OPERATOR}/{draft.program_id}", headers=operator)
    assert details.status_code == 200, details.text
    assert details.json()["program"]["short_name"] == "Шахматы"
    assert [(module["id"], module["price"], module["normative"]) for module in details.json()["modules"]] == [
        (str(draft.module_id), PRICE, None)
    ]

    # Refused with a remark, which the clerk reads in the program's decisions, newest first.
    clock.advance(timedelta(minutes=2))
    refused_at = clock.now()
    refusal = client.post(f"{OPERATOR}/{draft.program_id}/refuse", headers=operator, json={"remark": REMARK})
    assert refusal.status_code == 200, refusal.text
    assert refusal.json()["program"]["status"] == "refused"
    assert client.get(OPERATOR, headers=operator).json() == []

    program = desk.program(draft.program_id)
    assert program["status"] == "refused"
    assert [
        (decision["decision"], decision["remark"], decision["author"], at(decision["decided_at"]))
        for decision in program["decisions"]
    ] == [
        ("refused", REMARK, "Оператор Региона", refused_at),
        ("submitted", "", "организация", submitted_at),
    ]

    # The clerk edits what the remark asked for and sends it again.
    clock.advance(timedelta(minutes=3))
    edited = desk.push(
        operation("program.update", program_payload(draft.program_id, expected_results="Разряд; участие в турнирах."))
    )[0]
    assert (edited["status"], edited["message"], edited["record"]["status"]) == ("applied", None, "refused")
    clock.advance(timedelta(minutes=1))
    resubmitted_at = clock.now()
    resubmitted = submit(desk, draft.program_id)
    assert resubmitted["record"]["status"] == "submitted", resubmitted
    assert [item["id"] for item in client.get(OPERATOR, headers=operator).json()] == [str(draft.program_id)]

    # Certification needs every module's normative, at least the module's price.
    certify = f"{OPERATOR}/{draft.program_id}/certify"
    below = client.post(certify, headers=operator, json={"normatives": {str(draft.module_id): PRICE - 1}})
    message = assert_error(below, 422, "price_above_normative")
    assert message == (
        "Цена модуля «Первый год» 10 000,00 ₽ выше 100 % нормативной стоимости 9 999,99 ₽: сертифицировать нельзя."
    )
    missing = client.post(certify, headers=operator, json={"normatives": {str(uuid.uuid4()): NORMATIVE}})
    assert assert_error(missing, 422, "normative_missing") == "Не указана нормативная стоимость модулей: Первый год."
    assert desk.program(draft.program_id)["status"] == "submitted"

    clock.advance(timedelta(minutes=4))
    certified_at = clock.now()
    certified = client.post(
        certify, headers=operator, json={"normatives": {str(draft.module_id): NORMATIVE}, "remark": "Замечаний нет."}
    )

    assert certified.status_code == 200, certified.text
    assert certified.json()["program"]["status"] == "certified"
    assert [module["normative"] for module in certified.json()["modules"]] == [NORMATIVE]
    assert_error(client.post(certify, headers=operator, json={"normatives": {}}), 409, "not_submitted")
    changes = desk.pull()
    program = changes[("program", str(draft.program_id))]
    assert program["status"] == "certified"
    assert [(decision["decision"], at(decision["decided_at"])) for decision in program["decisions"]] == [
        ("certified", certified_at),
        ("submitted", resubmitted_at),
        ("refused", refused_at),
        ("submitted", submitted_at),
    ]
    assert program["decisions"][0]["remark"] == "Замечаний нет."
    assert program["decisions"][0]["author"] == "Оператор Региона"
    module = changes[("module", str(draft.module_id))]
    assert (module["price"], module["normative"]) == (PRICE, NORMATIVE)


def test_editing_a_certified_module_price_sends_the_program_back_to_draft(
    client: TestClient, desk: Desk, operator: dict[str, str]
) -> None:
    draft = build_program(desk)
    submit(desk, draft.program_id)
    certified = client.post(
        f"{OPERATOR}/{draft.program_id}/certify",
        headers=operator,
        json={"normatives": {str(draft.module_id): NORMATIVE}},
    )
    assert certified.status_code == 200, certified.text
    assert desk.program(draft.program_id)["status"] == "certified"

    above = desk.push(operation("module.update", module_payload(draft.module_id, draft.program_id, NORMATIVE + 1)))[0]
    assert (above["status"], above["code"]) == ("rejected", "price_above_normative"), above
    assert CYRILLIC.search(above["message"])
    assert above["figures"] == {"price": NORMATIVE + 1, "normative": NORMATIVE, "percent": 100}
    assert ("program", str(draft.program_id)) not in desk.pull()

    cheaper = desk.push(operation("module.update", module_payload(draft.module_id, draft.program_id, PRICE - 50_000)))

    assert (cheaper[0]["status"], cheaper[0]["message"]) == ("applied", SENT_BACK), cheaper
    assert cheaper[0]["record"]["price"] == PRICE - 50_000
    changes = desk.pull()
    assert changes[("program", str(draft.program_id))]["status"] == "draft"
    assert changes[("module", str(draft.module_id))]["normative"] == NORMATIVE
    assert client.get(OPERATOR, headers=operator).json() == []


def test_editing_certified_program_fields_sends_it_back_to_draft(client: TestClient, world: World, desk: Desk) -> None:
    """The world's program is certified; renaming it needs certification again."""
    result = desk.push(operation("program.update", program_payload(world.a.program_id, short_name="Роботы")))[0]

    assert (result["status"], result["message"], result["record"]["status"]) == ("applied", SENT_BACK, "draft")


def test_editing_while_submitted_needs_review(client: TestClient, desk: Desk, operator: dict[str, str]) -> None:
    draft = build_program(desk)
    submit(desk, draft.program_id)

    edited = desk.push(operation("program.update", program_payload(draft.program_id, goals="Другие цели.")))[0]
    price = desk.push(operation("module.update", module_payload(draft.module_id, draft.program_id, PRICE + 1)))[0]

    for result in (edited, price):
        assert (result["status"], result["code"], result["message"]) == ("needs_review", None, UNDER_REVIEW), result
    assert edited["record"]["goals"] == "Другие цели."
    assert edited["record"]["status"] == "submitted"
    assert desk.program(draft.program_id)["status"] == "submitted"
    details = client.get(f"{OPERATOR}/{draft.program_id}", headers=operator).json()
    assert details["program"]["goals"] == "Другие цели."
    assert details["modules"][0]["price"] == PRICE + 1


def test_groups_and_schedules_do_not_touch_certification(desk: Desk, world: World) -> None:
    result = desk.push(
        operation(
            "schedule.create",
            {
                "id": str(uuid.uuid4()),
                "group_id": str(world.a.group_id),
                "weekday": 6,
                "starts_at": "10:00:00",
                "ends_at": "11:00:00",
            },
        )
    )[0]

    assert (result["status"], result["message"]) == ("applied", None)
    assert ("program", str(world.a.program_id)) not in desk.pull()


# ---------------------------------------------------------------- refusals


def test_invalid_program_submit_is_rejected_with_russian_messages(
    client: TestClient, desk: Desk, operator: dict[str, str]
) -> None:
    program_id = uuid.uuid4()
    created = desk.push(
        operation(
            "program.create",
            program_payload(program_id, short_name="  ", direction=None, age_from_months=200, addresses=[]),
        )
    )[0]
    assert created["status"] == "applied", created

    result = submit(desk, program_id)

    assert (result["status"], result["code"]) == ("rejected", "validation_failed"), result
    assert result["message"] == (
        "Программа заполнена не полностью: Укажите краткое название программы. "
        "Выберите направленность программы. Возраст «до» должен быть больше возраста «от». "
        "Укажите хотя бы один адрес, где проходят занятия. Добавьте хотя бы один модуль."
    )
    assert result["figures"] == {"errors": 5}
    assert desk.program(program_id)["status"] == "draft"
    assert client.get(OPERATOR, headers=operator).json() == []


def test_submit_twice_is_rejected(desk: Desk) -> None:
    draft = build_program(desk)
    assert submit(desk, draft.program_id)["status"] == "applied"

    again = submit(desk, draft.program_id)

    assert (again["status"], again["code"]) == ("rejected", "already_submitted")
    assert again["message"] == "Программа «Шахматы» уже на сертификации или сертифицирована."


def test_refuse_needs_a_remark(client: TestClient, desk: Desk, operator: dict[str, str]) -> None:
    draft = build_program(desk)
    submit(desk, draft.program_id)
    refuse = f"{OPERATOR}/{draft.program_id}/refuse"

    blank = assert_error(client.post(refuse, headers=operator, json={"remark": "   "}), 422, "remark_required")
    assert blank == "Укажите замечание: организация должна знать, что исправить."
    empty = assert_error(client.post(refuse, headers=operator, json={"remark": ""}), 422, "invalid_request")
    assert "body.remark" in empty
    assert desk.program(draft.program_id)["status"] == "submitted"


def test_decisions_only_on_submitted_programs(client: TestClient, world: World, operator: dict[str, str]) -> None:
    certified = world.a.program_id
    normatives = {"normatives": {str(world.a.module_id): 2_000_000}}

    refused = client.post(f"{OPERATOR}/{certified}/refuse", headers=operator, json={"remark": "Нет"})
    assert assert_error(refused, 409, "not_submitted") == "Программа «Робототехника» не ждёт решения оператора."
    assert_error(
        client.post(f"{OPERATOR}/{certified}/certify", headers=operator, json=normatives), 409, "not_submitted"
    )
    unknown = uuid.uuid4()
    for response in (
        client.get(f"{OPERATOR}/{unknown}", headers=operator),
        client.post(f"{OPERATOR}/{unknown}/refuse", headers=operator, json={"remark": "Нет"}),
        client.post(f"{OPERATOR}/{unknown}/certify", headers=operator, json={"normatives": {}}),
    ):
        assert assert_error(response, 404, "not_found") == "Программа не найдена."


def test_operator_lists_programs_by_status(
    client: TestClient, world: World, desk: Desk, operator: dict[str, str]
) -> None:
    draft = build_program(desk)

    def listed(status: str) -> set[str]:
        response = client.get(OPERATOR, headers=operator, params={"status": status})
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()}

    assert listed("draft") == {str(draft.program_id)}
    assert listed("certified") == {str(world.a.program_id), str(world.b.program_id)}
    assert listed("submitted") == set()
    assert listed("refused") == set()
    assert_error(client.get(OPERATOR, headers=operator, params={"status": "всё"}), 422, "invalid_request")


def test_certify_refuses_malformed_normatives(client: TestClient, desk: Desk, operator: dict[str, str]) -> None:
    draft = build_program(desk)
    submit(desk, draft.program_id)
    certify = f"{OPERATOR}/{draft.program_id}/certify"

    for normatives in ({"не-идентификатор": NORMATIVE}, {str(draft.module_id): -1}, {str(draft.module_id): "много"}):
        assert_error(client.post(certify, headers=operator, json={"normatives": normatives}), 422, "invalid_request")
    assert desk.program(draft.program_id)["status"] == "submitted"


def test_decision_times_are_the_servers(client: TestClient, desk: Desk, operator: dict[str, str]) -> None:
    """The decision carries the server's clock, not anything the client said."""
    draft = build_program(desk)
    submit(desk, draft.program_id)

    client.post(f"{OPERATOR}/{draft.program_id}/refuse", headers=operator, json={"remark": REMARK})

    decisions = desk.program(draft.program_id)["decisions"]
    assert {at(decision["decided_at"]) for decision in decisions} == {TEST_NOW}
