"""Tests that an organization can neither read nor change another organization's records, route by route.

The routes come from the app itself; every (method, path) must have an isolation case in ``ISOLATION_CASES``,
so a new route without one fails ``test_every_route_has_an_isolation_case``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select

from desktop_app import __version__
from desktop_app.domain.certificate import certificate_lookup_key
from server.db.engine import ServerDatabase
from server.db.models import Base, ContractRow
from tests.server.world import GROUP_DATES, PASSWORD, PROTOCOL, World, contract_request, login, operation, push

Key = tuple[str, str]
DOCUMENTATION_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
REFERENCE_ENTITIES = {"period"}
"""What every organization receives alike (reference data): never another organization's records."""
LOG_TABLES = {"audit_log", "processed_operations", "refresh_tokens", "login_throttle"}
"""Tables that B's refused attempts may legitimately write to (its own audit trail, answers, sessions)."""


@dataclass
class Scene:
    """The world, plus records of organization A that only A pushed: a schedule entry and two contracts."""

    client: TestClient
    world: World
    database: ServerDatabase
    headers_a: dict[str, str]
    headers_b: dict[str, str]
    schedule_a: uuid.UUID
    contract_a: uuid.UUID
    contract_a_other_payer: uuid.UUID

    def a_ids(self) -> set[str]:
        """Identifiers of every record A owns."""
        a = self.world.a
        ids = {a.program_id, a.module_id, a.group_id, a.small_group_id, self.schedule_a}
        ids |= {self.contract_a, self.contract_a_other_payer}
        return {str(value) for value in ids}


def schedule_payload(entry_id: uuid.UUID, group_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(entry_id),
        "group_id": str(group_id),
        "weekday": 2,
        "starts_at": "15:00:00",
        "ends_at": "16:30:00",
        "room": "Кабинет 12",
        "address": "ул. Ленина, 1",
    }


def program_payload(program_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(program_id),
        "full_name": "Захваченная программа",
        "short_name": "Чужая",
        "direction": "technical",
        "kind": "general_developmental",
        "form": "full_time",
        "level": "basic",
        "age_from_months": 60,
        "age_to_months": 200,
        "duration_months": 9,
        "addresses": ["ул. Чужая, 13"],
    }


def module_payload(module_id: uuid.UUID, program_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(module_id),
        "program_id": str(program_id),
        "position": 0,
        "name": "Чужой модуль",
        "months": 9,
        "hours": 72,
        "min_group_size": 1,
        "max_group_size": 30,
        "price": 1,
    }


def group_payload(group_id: uuid.UUID, module_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(group_id),
        "module_id": str(module_id),
        "name": "Чужая группа",
        "teacher": "Чужой педагог",
        "start_date": GROUP_DATES[0].isoformat(),
        "end_date": GROUP_DATES[1].isoformat(),
        "capacity": 1,
    }


@pytest.fixture
def scene(client: TestClient, world: World, database: ServerDatabase) -> Scene:
    headers_a = login(client, world.a.clerk)
    schedule_a = uuid.uuid4()
    contract_a = contract_request(world, world.a, "c1")
    contract_a_other_payer = contract_request(world, world.a, "c3")
    results = push(
        client,
        headers_a,
        operation("schedule.create", schedule_payload(schedule_a, world.a.group_id)),
        contract_a,
        contract_a_other_payer,
    )
    assert [result["status"] for result in results] == ["applied"] * 3, results
    return Scene(
        client=client,
        world=world,
        database=database,
        headers_a=headers_a,
        headers_b=login(client, world.b.clerk),
        schedule_a=schedule_a,
        contract_a=uuid.UUID(contract_a["payload"]["id"]),
        contract_a_other_payer=uuid.UUID(contract_a_other_payer["payload"]["id"]),
    )


# ---------------------------------------------------------------- helpers


def snapshot(database: ServerDatabase) -> dict[str, list[str]]:
    """Every row of every table except the logs, as text, in a stable order."""
    with database.transaction() as session:
        return {
            table.name: sorted(repr(tuple(row)) for row in session.execute(table.select()).all())
            for table in Base.metadata.sorted_tables
            if table.name not in LOG_TABLES
        }


def pull_all(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    cursor = 0
    for _ in range(100):
        response = client.get("/api/v1/sync/pull", headers=headers, params={"cursor": cursor, "limit": 7})
        assert response.status_code == 200, response.text
        page = response.json()
        changes.extend(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes
    raise AssertionError("pull never finished")


def mirror_keys(key_hex: str, world: World, certificate_keys: list[str]) -> set[str]:
    return {
        certificate_lookup_key(bytes.fromhex(key_hex), world.certificates[key].number, world.certificates[key].surname)
        for key in certificate_keys
    }


def assert_free_of(text: str, ids: set[str]) -> None:
    leaked = {value for value in ids if value in text}
    assert not leaked, f"another organization's records leaked: {leaked}"


def attempts_on_a(scene: Scene) -> list[tuple[dict[str, Any], str]]:
    """B's operations aimed at A's records, with the refusal code each must get."""
    a, b, world = scene.world.a, scene.world.b, scene.world
    new = uuid.uuid4
    c2 = world.certificates["c2"]
    foreign_contract_request = contract_request(world, b, "c2")
    foreign_contract_request["payload"]["group_id"] = str(a.group_id)
    reused_contract_id = contract_request(world, b, "c2")
    reused_contract_id["payload"]["id"] = str(scene.contract_a)
    assert c2.payer_code == "12"  # B has an agreement with this payer: only the group is foreign
    contract = {"contract_id": str(scene.contract_a)}
    return [
        (operation("program.update", program_payload(a.program_id)), "not_found"),
        (operation("program.archive", {"id": str(a.program_id)}), "not_found"),
        (operation("program.submit", {"program_id": str(a.program_id)}), "not_found"),
        (operation("program.create", program_payload(a.program_id)), "already_exists"),
        (operation("module.update", module_payload(a.module_id, a.program_id)), "not_found"),
        (operation("module.update", module_payload(a.module_id, b.program_id)), "not_found"),
        (operation("module.create", module_payload(a.module_id, b.program_id)), "not_found"),
        (operation("module.create", module_payload(new(), a.program_id)), "not_found"),
        (operation("module.archive", {"id": str(a.module_id)}), "not_found"),
        (operation("group.update", group_payload(a.group_id, a.module_id)), "not_found"),
        (operation("group.update", group_payload(a.group_id, b.module_id)), "not_found"),
        (operation("group.create", group_payload(a.small_group_id, b.module_id)), "not_found"),
        (operation("group.create", group_payload(new(), a.module_id)), "not_found"),
        (operation("group.archive", {"id": str(a.small_group_id)}), "not_found"),
        (operation("schedule.update", schedule_payload(scene.schedule_a, a.group_id)), "not_found"),
        (operation("schedule.update", schedule_payload(scene.schedule_a, b.group_id)), "not_found"),
        (operation("schedule.create", schedule_payload(new(), a.group_id)), "not_found"),
        (operation("schedule.archive", {"id": str(scene.schedule_a)}), "not_found"),
        (foreign_contract_request, "not_found"),
        (reused_contract_id, "already_exists"),
        (operation("contract.confirm", contract), "not_found"),
        (operation("contract.activate", {**contract, "signed_on": date(2026, 9, 9).isoformat()}), "not_found"),
        (operation("contract.terminate", {**contract, "reason": "Чужой договор"}), "not_found"),
        (operation("contract.refuse", {**contract, "reason": "Чужой договор"}), "not_found"),
    ]


def assert_operator_routes_refused(scene: Scene, method: str, path: str, body: dict[str, Any] | None) -> None:
    before = snapshot(scene.database)
    for who in ("clerk_a", "admin_a", "clerk_b", "admin_b"):
        headers = login(scene.client, who)
        for program_id in (scene.world.a.program_id, scene.world.b.program_id):
            response = scene.client.request(
                method, path.replace("{program_id}", str(program_id)), headers=headers, json=body
            )
            assert response.status_code == 403, (who, response.text)
            assert response.json()["code"] == "forbidden"
            assert_free_of(response.text, scene.a_ids() | {str(scene.world.b.program_id)})
    assert snapshot(scene.database) == before


# ---------------------------------------------------------------- isolation cases, one per route


def health_case(scene: Scene) -> None:
    response = scene.client.get("/health", headers=scene.headers_b)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


def login_case(scene: Scene) -> None:
    """B's sign-in gives B's user and B's mirror key, never A's."""
    response = scene.client.post(
        "/api/v1/auth/login",
        headers=PROTOCOL,
        json={"username": scene.world.b.clerk, "password": PASSWORD, "device_id": str(uuid.uuid4())},
    )

    assert response.status_code == 200, response.text
    pair = response.json()
    assert pair["user"]["organization_id"] == str(scene.world.b.id)
    assert pair["mirror_key"] == scene.world.b.mirror_key
    assert scene.world.a.mirror_key not in response.text
    assert str(scene.world.a.id) not in response.text


def refresh_case(scene: Scene) -> None:
    """B's refresh token works on B's device only and always gives B's user."""
    device = uuid.uuid4()
    pair = scene.client.post(
        "/api/v1/auth/login",
        headers=PROTOCOL,
        json={"username": scene.world.b.clerk, "password": PASSWORD, "device_id": str(device)},
    ).json()

    elsewhere = scene.client.post(
        "/api/v1/auth/refresh",
        headers=PROTOCOL,
        json={"refresh_token": pair["refresh_token"], "device_id": str(uuid.uuid4())},
    )
    assert elsewhere.status_code == 401
    assert elsewhere.json()["code"] == "refresh_invalid"
    rotated = scene.client.post(
        "/api/v1/auth/refresh",
        headers=PROTOCOL,
        json={"refresh_token": pair["refresh_token"], "device_id": str(device)},
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["user"]["organization_id"] == str(scene.world.b.id)
    assert rotated.json()["mirror_key"] == scene.world.b.mirror_key


def logout_case(scene: Scene) -> None:
    """B signing out, or sending a token it does not own, never ends A's session."""
    device_a = uuid.uuid4()
    pair_a = scene.client.post(
        "/api/v1/auth/login",
        headers=PROTOCOL,
        json={"username": scene.world.a.clerk, "password": PASSWORD, "device_id": str(device_a)},
    ).json()
    pair_b = scene.client.post(
        "/api/v1/auth/login",
        headers=PROTOCOL,
        json={"username": scene.world.b.clerk, "password": PASSWORD, "device_id": str(uuid.uuid4())},
    ).json()

    for token in (pair_b["refresh_token"], pair_a["refresh_token"][::-1], "x"):
        response = scene.client.post("/api/v1/auth/logout", headers=scene.headers_b, json={"refresh_token": token})
        assert response.status_code == 204

    still = scene.client.post(
        "/api/v1/auth/refresh",
        headers=PROTOCOL,
        json={"refresh_token": pair_a["refresh_token"], "device_id": str(device_a)},
    )
    assert still.status_code == 200, still.text


def me_case(scene: Scene) -> None:
    response = scene.client.get("/api/v1/auth/me", headers=scene.headers_b)

    assert response.status_code == 200
    me = response.json()
    assert me["username"] == scene.world.b.clerk
    assert me["organization_id"] == str(scene.world.b.id)
    assert_free_of(response.text, {str(scene.world.a.id), scene.world.a.clerk})


def certificate_check_case(scene: Scene) -> None:
    """The same child's certificate: each organization sees only its own contracts of that child."""
    certificate = scene.world.certificates["c1"]
    body = {"number": certificate.number, "surname": certificate.surname}

    before = scene.client.post("/api/v1/certificates/check", headers=scene.headers_b, json=body)
    assert before.status_code == 200, before.text
    assert before.json()["contracts"] == []
    assert_free_of(before.text, scene.a_ids())

    own = contract_request(scene.world, scene.world.b, "c1", balance=before.json()["current_period"]["available"])
    assert push(scene.client, scene.headers_b, own)[0]["status"] == "applied"
    seen_by_b = scene.client.post("/api/v1/certificates/check", headers=scene.headers_b, json=body).json()
    seen_by_a = scene.client.post("/api/v1/certificates/check", headers=scene.headers_a, json=body).json()

    assert [contract["id"] for contract in seen_by_b["contracts"]] == [own["payload"]["id"]]
    assert [contract["id"] for contract in seen_by_a["contracts"]] == [str(scene.contract_a)]
    assert_free_of(json.dumps(seen_by_b), scene.a_ids())


def push_case(scene: Scene) -> None:
    """B's operations on A's records are refused as «not found» and A's data stays as it was."""
    attempts = attempts_on_a(scene)
    before = snapshot(scene.database)

    results = push(scene.client, scene.headers_b, *(attempt for attempt, _code in attempts))

    assert len(results) == len(attempts)
    for (attempt, code), result in zip(attempts, results, strict=True):
        assert result["op_id"] == attempt["op_id"]
        assert (result["status"], result["code"]) == ("rejected", code), (attempt["type"], result)
        assert result["record"] is None
        assert result["figures"] is None
    assert_free_of(json.dumps(results), scene.a_ids())
    assert snapshot(scene.database) == before


def pull_case(scene: Scene) -> None:
    """B's pull holds B's own records and its mirror of payer 12, keyed with B's key; nothing of A's."""
    own = contract_request(scene.world, scene.world.b, "c2")
    assert push(scene.client, scene.headers_b, own)[0]["status"] == "applied"

    changes = pull_all(scene.client, scene.headers_b)

    assert_free_of(json.dumps(changes), scene.a_ids())
    by_entity: dict[str, set[str]] = {}
    for change in changes:
        by_entity.setdefault(change["entity"], set()).add(change["id"])
    b = scene.world.b
    assert by_entity["contract"] == {own["payload"]["id"]}
    assert by_entity["group"] == {str(b.group_id)}
    # c1 changed through A's contract, c2 through B's; c3 is of payer 13, with whom B has no agreement.
    payer_12 = [key for key, certificate in scene.world.certificates.items() if certificate.payer_code == "12"]
    assert mirror_keys(b.mirror_key, scene.world, ["c1", "c2"]) <= by_entity["certificate"]
    assert by_entity["certificate"] <= mirror_keys(b.mirror_key, scene.world, payer_12)
    assert not by_entity["certificate"] & mirror_keys(scene.world.a.mirror_key, scene.world, ["c1", "c2", "c3"])
    assert by_entity["organization"] == {str(b.id)}, "its own organization's record only"
    assert set(by_entity) - {"contract", "group", "certificate", "organization"} <= REFERENCE_ENTITIES, by_entity.keys()
    for change in changes:
        if change["entity"] == "certificate":
            assert set(change["data"]) == {
                "lookup_key",
                "kind",
                "birth_date",
                "frozen",
                "balance_current",
                "balance_next",
                "payer_code",
            }
    a_changes = pull_all(scene.client, scene.headers_a)
    assert str(own["payload"]["id"]) not in json.dumps(a_changes)


def operator_list_case(scene: Scene) -> None:
    assert_operator_routes_refused(scene, "GET", "/api/v1/operator/programs", None)


def operator_details_case(scene: Scene) -> None:
    assert_operator_routes_refused(scene, "GET", "/api/v1/operator/programs/{program_id}", None)


def operator_certify_case(scene: Scene) -> None:
    normatives = {str(scene.world.a.module_id): 2_000_000, str(scene.world.b.module_id): 2_000_000}
    assert_operator_routes_refused(
        scene, "POST", "/api/v1/operator/programs/{program_id}/certify", {"normatives": normatives, "remark": ""}
    )


def operator_refuse_case(scene: Scene) -> None:
    assert_operator_routes_refused(
        scene, "POST", "/api/v1/operator/programs/{program_id}/refuse", {"remark": "Отказать чужим"}
    )


def portal_case(scene: Scene) -> None:
    """A parent's application lands in the group's organization and nowhere else, whoever's token rides along."""
    a, b = scene.world.a, scene.world.b
    certificate = scene.world.certificates["c2"]
    application = {
        "certificate_number": certificate.number,
        "surname": certificate.surname,
        "group_id": str(a.group_id),
        "start_date": "2026-10-01",
    }

    steered = scene.client.post(
        "/api/v1/portal/applications", headers=PROTOCOL, json={**application, "organization_id": str(b.id)}
    )
    assert steered.status_code == 422, steered.text
    assert steered.json()["code"] == "invalid_request"
    unknown = scene.client.post(
        "/api/v1/portal/applications", headers=PROTOCOL, json={**application, "group_id": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404, unknown.text

    response = scene.client.post("/api/v1/portal/applications", headers=scene.headers_b, json=application)

    assert response.status_code == 201, response.text
    contract = response.json()["contract"]
    assert (contract["group_id"], contract["module_id"], contract["program_id"]) == (
        str(a.group_id),
        str(a.module_id),
        str(a.program_id),
    )
    assert contract["source"] == "portal"
    assert contract["status"] == "requested"
    with scene.database.transaction() as session:
        row = session.scalar(select(ContractRow).where(ContractRow.id == uuid.UUID(contract["id"])))
        assert row is not None
        assert row.organization_id == a.id
    assert contract["id"] in json.dumps(pull_all(scene.client, scene.headers_a))
    assert contract["id"] not in json.dumps(pull_all(scene.client, scene.headers_b))


ISOLATION_CASES: dict[Key, Callable[[Scene], None]] = {
    ("GET", "/health"): health_case,
    ("POST", "/api/v1/auth/login"): login_case,
    ("POST", "/api/v1/auth/refresh"): refresh_case,
    ("POST", "/api/v1/auth/logout"): logout_case,
    ("GET", "/api/v1/auth/me"): me_case,
    ("POST", "/api/v1/certificates/check"): certificate_check_case,
    ("POST", "/api/v1/sync/push"): push_case,
    ("GET", "/api/v1/sync/pull"): pull_case,
    ("GET", "/api/v1/operator/programs"): operator_list_case,
    ("GET", "/api/v1/operator/programs/{program_id}"): operator_details_case,
    ("POST", "/api/v1/operator/programs/{program_id}/certify"): operator_certify_case,
    ("POST", "/api/v1/operator/programs/{program_id}/refuse"): operator_refuse_case,
    ("POST", "/api/v1/portal/applications"): portal_case,
}
"""Every route of the app, by (method, path), and how organization B tries to reach organization A's records."""


def app_routes(app: FastAPI) -> tuple[set[Key], set[str]]:
    """(method, path) of every API route, and the paths of every other route."""
    api: set[Key] = set()
    other: set[str] = set()
    for context in iter_route_contexts(app.routes):
        path = context.path or ""
        if isinstance(context.original_route, APIRoute):
            api |= {(method, path) for method in context.methods or ()}
        else:
            other.add(path)
    return api, other


def test_every_route_has_an_isolation_case(app: FastAPI) -> None:
    api, other = app_routes(app)

    assert api == set(ISOLATION_CASES), (
        f"routes without an isolation case: {sorted(api - set(ISOLATION_CASES))}; "
        f"cases of routes that are gone: {sorted(set(ISOLATION_CASES) - api)}"
    )
    assert other == DOCUMENTATION_ROUTES, f"routes that are not API routes: {sorted(other - DOCUMENTATION_ROUTES)}"


@pytest.mark.parametrize("route", sorted(ISOLATION_CASES), ids=lambda route: f"{route[0]} {route[1]}")
def test_route_is_isolated(scene: Scene, route: Key) -> None:
    ISOLATION_CASES[route](scene)
