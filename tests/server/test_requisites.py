"""Tests the organization's requisites on the server: the admin saves them through push, a clerk may not,
wrong check digits and another organization's ИНН are refused in Russian with the current record, empty
optional fields are fine; the record (with the payment agreements) is pulled by its organization only and is
published anew when an agreement is added; the demo region's requisites are complete; the audit names fields.

Replaying ``organization.requisites`` is covered with every other type in test_sync_push.py.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from desktop_app.domain.organization import OrganizationProfile, PaymentAgreement
from desktop_app.domain.requisites import validate_requisites
from desktop_app.sync.server_records import OrganizationRecord
from server.auth.passwords import Passwords
from server.cli import main
from server.clock import FixedClock
from server.db.engine import ServerDatabase
from server.db.models import Agreement, AuditEntry, ChangeLogEntry, Organization, Payer
from server.services import accounts
from server.services.demo import init_demo
from server.services.requisites_ops import organization_record
from tests.server.world import World, login, operation, push

Headers = dict[str, str]

INN_A = "4205012340"
INN_B = "4205012357"
FORBIDDEN = "Реквизиты организации меняет администратор организации."


def requisites(**changes: Any) -> dict[str, Any]:
    """Complete, valid requisites (Sberbank's Kemerovo branch, an organization with a 10-digit ИНН)."""
    payload: dict[str, Any] = {
        "full_name": "МБУ ДО «Дом детского творчества № 2»",
        "short_name": "ДДТ № 2",
        "inn": INN_A,
        "kpp": "420501001",
        "ogrn": "1024205123458",
        "license_number": "Л035-01234-42/00567890",
        "license_date": "2016-03-14",
        "license_issuer": "Министерство образования Кузбасса",
        "legal_address": "650000, г. Кемерово, ул. Весенняя, д. 17",
        "actual_address": "650000, г. Кемерово, ул. Весенняя, д. 17, корп. 2",
        "bank_name": "Кемеровское отделение № 8615 ПАО Сбербанк",
        "bik": "043207612",
        "settlement_account": "40703810926000012345",
        "correspondent_account": "30101810200000000612",
        "signatory_name": "Ершова Татьяна Викторовна",
        "signatory_position": "директор",
        "signatory_basis": "Устава",
    }
    payload.update(changes)
    return payload


def agreement(number: str, code: str, name: str) -> dict[str, Any]:
    return {
        "payer_code": code,
        "payer_name": name,
        "number": number,
        "signed_on": "2026-01-10",
        "starts_on": "2026-01-10",
        "ends_on": "2027-12-31",
        "status": "active",
    }


KEMEROVO = "Управление образования Кемерово"
NOVOKUZNETSK = "Управление образования Новокузнецка"


def save(client: TestClient, headers: Headers, payload: dict[str, Any]) -> dict[str, Any]:
    (result,) = push(client, headers, operation("organization.requisites", payload))
    return result


def applied(client: TestClient, headers: Headers, payload: dict[str, Any]) -> dict[str, Any]:
    result = save(client, headers, payload)
    assert (result["status"], result["code"], result["message"]) == ("applied", None, None), result
    record: dict[str, Any] = result["record"]
    return record


def current(database: ServerDatabase, organization_id: uuid.UUID) -> dict[str, Any]:
    with database.transaction() as session:
        organization = session.get(Organization, organization_id)
        assert organization is not None
        return organization_record(session, organization)


def rejected(
    client: TestClient, database: ServerDatabase, headers: Headers, organization_id: uuid.UUID, payload: dict[str, Any]
) -> tuple[str, str]:
    """Push a refused save: it changes nothing and carries the organization's record as it stands."""
    before = current(database, organization_id)
    result = save(client, headers, payload)
    assert result["status"] == "rejected", result
    assert result["record"] == before
    assert current(database, organization_id) == before
    return result["code"], result["message"]


def pulled(client: TestClient, headers: Headers, cursor: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The organization changes pulled after the cursor, and the new cursor."""
    changes: list[dict[str, Any]] = []
    more = True
    while more:
        response = client.get("/api/v1/sync/pull", headers=headers, params={"cursor": cursor, "limit": 1000})
        assert response.status_code == 200, response.text
        page = response.json()
        changes += [change for change in page["changes"] if change["entity"] == "organization"]
        cursor, more = page["cursor"], page["has_more"]
    return changes, cursor


def audit_details(database: ServerDatabase, organization_id: uuid.UUID) -> list[dict[str, Any]]:
    with database.transaction() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "organization.requisites", AuditEntry.entity_id == str(organization_id))
            .order_by(AuditEntry.id)
        )
        return [json.loads(row.details_json) for row in rows]


@pytest.fixture
def admin_a(client: TestClient, world: World) -> Headers:
    return login(client, world.a.admin)


@pytest.fixture
def admin_b(client: TestClient, world: World) -> Headers:
    return login(client, world.b.admin)


@pytest.fixture
def clerk_a(client: TestClient, world: World) -> Headers:
    return login(client, world.a.clerk)


# ---------------------------------------------------------------- saving


def test_the_admin_saves_the_requisites_and_gets_the_record_with_the_agreements(
    client: TestClient, world: World, database: ServerDatabase, admin_a: Headers
) -> None:
    payload = requisites()
    record = applied(client, admin_a, payload)
    assert record == {
        "id": str(world.a.id),
        **payload,
        "agreements": [agreement("a-12", "12", KEMEROVO), agreement("a-13", "13", NOVOKUZNETSK)],
    }
    assert current(database, world.a.id) == record
    with database.transaction() as session:
        row = session.get(Organization, world.a.id)
        assert row is not None
        assert (row.name, row.short_name, row.inn, row.license_date) == (
            payload["full_name"],
            "ДДТ № 2",
            INN_A,
            date(2016, 3, 14),
        )

    # Spaces around values are not kept; saving the same again changes no field.
    texts = ("full_name", "short_name", "legal_address", "bank_name", "signatory_name", "signatory_basis")
    padded = {name: f"  {payload[name]} " for name in texts}
    assert applied(client, admin_a, {**payload, **padded}) == record
    assert audit_details(database, world.a.id)[-1] == {"fields": []}


def test_a_clerk_may_not_change_the_requisites(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Headers
) -> None:
    assert rejected(client, database, clerk_a, world.a.id, requisites()) == ("forbidden", FORBIDDEN)
    assert audit_details(database, world.a.id) == []


WRONG_VALUES = [
    ("inn", "4205012341", "ИНН введён с ошибкой: не сходится контрольная цифра. Сверьте его со свидетельством."),
    ("inn", "42050123", "ИНН — 10 или 12 цифр, а введено знаков: 8."),
    ("kpp", "42050100", "КПП — 9 знаков, а введено знаков: 8."),
    ("ogrn", "1024205123459", "ОГРН введён с ошибкой: не сходится контрольная цифра. Сверьте его с выпиской из ЕГРЮЛ."),
    ("bik", "04320761", "БИК — 9 цифр, а введено знаков: 8."),
    ("bik", "04320761Х", "БИК состоит только из цифр, без пробелов и других знаков."),
    (
        "settlement_account",
        "40703810926000012346",
        "Расчётный счёт не соответствует БИК: не сходится контрольный ключ. Проверьте счёт и БИК банка.",
    ),
    (
        "correspondent_account",
        "30101810200000000613",
        "Корреспондентский счёт не соответствует БИК: не сходится контрольный ключ. Проверьте счёт и БИК банка.",
    ),
]


@pytest.mark.parametrize(("field", "value", "message"), WRONG_VALUES, ids=[f"{f}-{v}" for f, v, _ in WRONG_VALUES])
def test_a_wrong_value_is_refused_in_russian(
    client: TestClient, world: World, database: ServerDatabase, admin_a: Headers, field: str, value: str, message: str
) -> None:
    assert rejected(client, database, admin_a, world.a.id, requisites(**{field: value})) == (
        "invalid_requisites",
        message,
    )


def test_every_wrong_value_is_named_and_a_refusal_restores_what_was_saved(
    client: TestClient, world: World, database: ServerDatabase, admin_a: Headers
) -> None:
    saved = applied(client, admin_a, requisites())
    wrong = requisites(inn="4205012341", kpp="42050100")
    code, message = rejected(client, database, admin_a, world.a.id, wrong)
    assert code == "invalid_requisites"
    assert message == (
        "ИНН введён с ошибкой: не сходится контрольная цифра. Сверьте его со свидетельством. "
        "КПП — 9 знаков, а введено знаков: 8."
    )
    assert current(database, world.a.id) == saved


@pytest.mark.parametrize("missing", ["full_name", "inn"])
def test_the_name_and_the_inn_are_required(
    client: TestClient, world: World, database: ServerDatabase, admin_a: Headers, missing: str
) -> None:
    assert rejected(client, database, admin_a, world.a.id, requisites(**{missing: "  "})) == (
        "invalid_requisites",
        "Укажите полное наименование и ИНН организации.",
    )


def test_empty_optional_fields_are_accepted(
    client: TestClient, world: World, database: ServerDatabase, admin_a: Headers
) -> None:
    applied(client, admin_a, requisites())
    short = {"full_name": "ДДТ № 2", "short_name": "", "inn": INN_A}
    record = applied(client, admin_a, short)
    empty = {name: "" for name in requisites() if name not in short} | {"license_date": None}
    assert {name: record[name] for name in empty} == empty
    assert record["agreements"] and record["full_name"] == "ДДТ № 2"
    assert applied(client, admin_a, {**requisites(), "kpp": "", "bank_name": "", "license_date": None})["kpp"] == ""

    # An individual entrepreneur: a 12-digit ИНН, a 15-digit ОГРНИП, no КПП.
    entrepreneur = requisites(inn="420512345675", ogrn="318420500012345", kpp="")
    assert applied(client, admin_a, entrepreneur)["ogrn"] == "318420500012345"


def test_the_inn_of_another_organization_is_refused(
    client: TestClient, world: World, database: ServerDatabase, admin_a: Headers, admin_b: Headers
) -> None:
    applied(client, admin_b, requisites(inn=INN_B, full_name="Организация Б"))
    assert rejected(client, database, admin_a, world.a.id, requisites(inn=INN_B)) == (
        "inn_taken",
        f"ИНН {INN_B} принадлежит другой организации региона.",
    )
    applied(client, admin_a, requisites())
    assert applied(client, admin_a, requisites(short_name="ДДТ-2"))["inn"] == INN_A, "its own ИНН again is fine"


# ---------------------------------------------------------------- pull and agreements


def test_pull_brings_the_record_to_its_organization_only(
    client: TestClient, world: World, admin_a: Headers, clerk_a: Headers
) -> None:
    clerk_b = login(client, world.b.clerk)
    _, cursor_b = pulled(client, clerk_b)
    first, cursor_a = pulled(client, clerk_a)
    assert [change["id"] for change in first] == [str(world.a.id)], "the record arrives with the first pull"

    record = applied(client, admin_a, requisites())
    changes, _ = pulled(client, clerk_a, cursor_a)
    assert [(change["id"], change["deleted"], change["data"]) for change in changes] == [
        (str(world.a.id), False, record)
    ]
    assert pulled(client, clerk_b, cursor_b)[0] == [], "b learns nothing of a's requisites"
    (own,) = pulled(client, clerk_b)[0]
    assert own["id"] == str(world.b.id)
    assert own["data"]["inn"] == world.b.inn
    assert own["data"]["agreements"] == [agreement("b-12", "12", KEMEROVO)]
    assert INN_A not in json.dumps(own, ensure_ascii=False)


def test_a_new_agreement_publishes_the_organization_record(
    client: TestClient, world: World, database: ServerDatabase, database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    clerk_a, clerk_b = login(client, world.a.clerk), login(client, world.b.clerk)
    _, cursor_a = pulled(client, clerk_a)
    _, cursor_b = pulled(client, clerk_b)
    with database.transaction() as session:
        organization = session.get(Organization, world.b.id)
        payer = session.scalar(select(Payer).where(Payer.code == "13"))
        assert organization is not None and payer is not None
        accounts.create_agreement(
            session,
            organization=organization,
            payer=payer,
            number="b-13",
            signed_on=date(2026, 1, 10),
            starts_on=date(2026, 1, 10),
            ends_on=date(2027, 12, 31),
        )
    (change,), cursor_b = pulled(client, clerk_b, cursor_b)
    assert change["id"] == str(world.b.id)
    assert change["data"]["agreements"] == [agreement("b-12", "12", KEMEROVO), agreement("b-13", "13", NOVOKUZNETSK)]

    # The operator's command line does the same.
    arguments = ["add-agreement", "--organization", str(world.b.id), "--payer", "12", "--number", "b-12/2"]
    dates = ["--signed", "2026-09-01", "--starts", "2026-09-01", "--ends", "2027-08-31"]
    assert main([*arguments, *dates, "--db", database_url, "--data-dir", str(tmp_path / "data")]) == 0
    (change,), _ = pulled(client, clerk_b, cursor_b)
    numbers = [(item["number"], item["signed_on"]) for item in change["data"]["agreements"]]
    assert numbers == [("b-12", "2026-01-10"), ("b-13", "2026-01-10"), ("b-12/2", "2026-09-01")]
    assert pulled(client, clerk_a, cursor_a)[0] == [], "a's workstations are not told of b's agreements"


def test_the_record_shows_agreements_the_operator_suspended(
    client: TestClient, world: World, database: ServerDatabase, admin_a: Headers
) -> None:
    with database.transaction() as session:
        row = session.scalar(select(Agreement).where(Agreement.number == "a-13"))
        assert row is not None
        row.status = "suspended"
    record = applied(client, admin_a, requisites())
    assert [(item["number"], item["status"]) for item in record["agreements"]] == [
        ("a-12", "active"),
        ("a-13", "suspended"),
    ]


# ---------------------------------------------------------------- demo region and audit


def test_the_demo_organizations_have_complete_valid_requisites(database: ServerDatabase, clock: FixedClock) -> None:
    with database.transaction() as session:
        init_demo(session, Passwords(fast=True), clock.now(), 42, certificates=50)
    with database.transaction() as session:
        organizations = list(session.scalars(select(Organization).order_by(Organization.inn)))
        records = [OrganizationRecord.model_validate(organization_record(session, row)) for row in organizations]
        logged = {
            entry.entity_id
            for entry in session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.entity == "organization"))
        }
    assert len(records) == 3
    assert logged == {str(record.id) for record in records}
    for record in records:
        profile = OrganizationProfile(
            **{
                name: getattr(record, name)
                for name in OrganizationRecord.model_fields
                if name not in ("id", "agreements")
            },
            payment_agreements=tuple(
                PaymentAgreement(item.payer_name, item.number, item.signed_on, item.payer_code)
                for item in record.agreements
            ),
        )
        assert validate_requisites(profile) == [], record.short_name
        assert record.agreements
        for item in record.agreements:
            assert profile.agreement_with(item.payer_code) is not None
    for name in ("inn", "ogrn", "settlement_account", "license_number"):
        assert len({getattr(record, name) for record in records}) == 3, name


def test_the_audit_names_the_changed_fields_never_their_values(
    client: TestClient, world: World, database: ServerDatabase, admin_a: Headers
) -> None:
    applied(client, admin_a, requisites())
    applied(client, admin_a, requisites(signatory_name="Петрова Анна Сергеевна", settlement_account=""))
    first, second = audit_details(database, world.a.id)
    assert first == {"fields": sorted(requisites())}
    assert second == {"fields": ["settlement_account", "signatory_name"]}
    with database.transaction() as session:
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "organization.requisites")))
    assert {(row.user_id is not None, row.organization_id, row.entity) for row in rows} == {
        (True, world.a.id, "organization")
    }
    text = " ".join(row.details_json for row in rows)
    for value in (*requisites().values(), "Петрова"):
        if len(str(value)) > 3:
            assert str(value) not in text
