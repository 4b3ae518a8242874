"""A small region for server tests: an operator, two payers, two organizations, certificates, programs.

Built directly in the database through the server's own services, so tests start from a known state and
talk to the server only through HTTP.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fastapi.testclient import TestClient

from desktop_app.domain.pricing import ContractTerms, PriceSplit, split_price
from desktop_app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, Role
from server.auth.passwords import Passwords
from server.db.engine import ServerDatabase
from server.db.models import (
    Certificate,
    CertificateBalance,
    CertificationDecision,
    GroupRow,
    ModuleRow,
    Organization,
    Payer,
    ProgramRow,
)
from server.services import accounts

PASSWORD = "пароль-для-тестов"
PROTOCOL = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
SCHOOL_YEAR = (date(2026, 9, 1), date(2027, 8, 31))
NEXT_YEAR = (date(2027, 9, 1), date(2028, 8, 31))
GROUP_DATES = (date(2026, 9, 1), date(2027, 5, 31))
MODULE_PRICE = 1_200_000
MODULE_NORMATIVE = 1_500_000


@dataclass
class OrganizationFixture:
    id: uuid.UUID
    inn: str
    mirror_key: str
    clerk: str
    admin: str
    program_id: uuid.UUID
    module_id: uuid.UUID
    group_id: uuid.UUID
    """A group of the certified program with plenty of places."""
    small_group_id: uuid.UUID
    """A group of the same module with a single place."""


@dataclass
class CertificateFixture:
    id: uuid.UUID
    number: str
    surname: str
    birth_date: date
    balance: int
    payer_code: str


@dataclass
class World:
    operator: str
    payer_ids: dict[str, uuid.UUID]
    organizations: dict[str, OrganizationFixture] = field(default_factory=dict)
    certificates: dict[str, CertificateFixture] = field(default_factory=dict)

    @property
    def a(self) -> OrganizationFixture:
        return self.organizations["a"]

    @property
    def b(self) -> OrganizationFixture:
        return self.organizations["b"]


def build_world(database: ServerDatabase, passwords: Passwords, now: datetime) -> World:
    """Operator; payers 12 and 13; organizations «a» (agreements with both) and «b» (with payer 12)."""
    with database.transaction() as session:
        accounts.create_user(
            session,
            passwords,
            username="operator",
            full_name="Оператор Региона",
            password=PASSWORD,
            role=Role.OPERATOR,
            organization_id=None,
            now=now,
        )
        payers = {
            "12": accounts.create_payer(session, code="12", name="Управление образования Кемерово"),
            "13": accounts.create_payer(session, code="13", name="Управление образования Новокузнецка"),
        }
        current = accounts.create_period(session, code="2026/27", starts_on=SCHOOL_YEAR[0], ends_on=SCHOOL_YEAR[1])
        following = accounts.create_period(session, code="2027/28", starts_on=NEXT_YEAR[0], ends_on=NEXT_YEAR[1])
        world = World(operator="operator", payer_ids={code: payer.id for code, payer in payers.items()})
        for key, inn, payer_codes in (("a", "4205000001", ("12", "13")), ("b", "4205000002", ("12",))):
            world.organizations[key] = _organization(
                session, passwords, now, key, inn, [payers[c] for c in payer_codes]
            )
        people = [
            ("c1", "4212000001", "Петров", date(2016, 3, 1), 2_000_000, "12"),
            ("c2", "4212000002", "Соколова-Ёлкина", date(2015, 11, 20), 500_000, "12"),
            ("c3", "4213000003", "Иванов", date(2017, 1, 15), 2_000_000, "13"),
            ("poor", "4212000004", "Смирнов", date(2014, 6, 30), 0, "12"),
        ]
        for key, number, surname, birth, balance, payer_code in people:
            certificate = Certificate(
                number=number,
                surname=surname,
                first_name="Тест",
                patronymic="",
                birth_date=birth,
                kind="financing",
                payer_id=payers[payer_code].id,
                frozen=False,
                created_at=now,
                updated_at=now,
            )
            session.add(certificate)
            session.flush()
            session.add(
                CertificateBalance(
                    certificate_id=certificate.id, period_id=current.id, nominal=balance, balance=balance, reserve=0
                )
            )
            session.add(
                CertificateBalance(
                    certificate_id=certificate.id,
                    period_id=following.id,
                    nominal=3_000_000,
                    balance=3_000_000,
                    reserve=0,
                )
            )
            world.certificates[key] = CertificateFixture(certificate.id, number, surname, birth, balance, payer_code)
    return world


def _organization(
    session: Any, passwords: Passwords, now: datetime, key: str, inn: str, payers: list[Payer]
) -> OrganizationFixture:
    organization: Organization = accounts.create_organization(
        session, name=f"Организация {key.upper()}", short_name=f"Орг {key.upper()}", inn=inn, now=now
    )
    for role, username in ((Role.CLERK, f"clerk_{key}"), (Role.ORG_ADMIN, f"admin_{key}")):
        accounts.create_user(
            session,
            passwords,
            username=username,
            full_name=f"Сотрудник {key}",
            password=PASSWORD,
            role=role,
            organization_id=organization.id,
            now=now,
        )
    for payer in payers:
        accounts.create_agreement(
            session,
            organization=organization,
            payer=payer,
            number=f"{key}-{payer.code}",
            signed_on=date(2026, 1, 10),
            starts_on=date(2026, 1, 10),
            ends_on=date(2027, 12, 31),
        )
    program = ProgramRow(
        id=uuid.uuid4(),
        organization_id=organization.id,
        full_name=f"Робототехника ({key})",
        short_name="Робототехника",
        direction="technical",
        kind="general_developmental",
        form="full_time",
        level="basic",
        distance_technologies=False,
        age_from_months=60,
        age_to_months=216,
        duration_months=9,
        annotation="",
        goals="",
        expected_results="",
        medical_certificate_required=False,
        accessible_for_disabled=False,
        final_document="",
        addresses_json='["ул. Ленина, 1"]',
        status="certified",
        archived=False,
        created_at=now,
        updated_at=now,
    )
    session.add(program)
    session.flush()
    module = ModuleRow(
        id=uuid.uuid4(),
        program_id=program.id,
        organization_id=organization.id,
        position=0,
        name="Первый год",
        months=9,
        hours=72,
        min_group_size=1,
        max_group_size=30,
        teacher_qualification="",
        price=MODULE_PRICE,
        normative=MODULE_NORMATIVE,
        archived=False,
    )
    session.add(module)
    session.flush()
    groups = []
    for name, capacity in (("Большая группа", 30), ("Малая группа", 1)):
        group = GroupRow(
            id=uuid.uuid4(),
            module_id=module.id,
            organization_id=organization.id,
            name=name,
            teacher="Сидоров С. С.",
            start_date=GROUP_DATES[0],
            end_date=GROUP_DATES[1],
            capacity=capacity,
            taken=0,
            archived=False,
        )
        session.add(group)
        groups.append(group)
    session.add(
        CertificationDecision(
            program_id=program.id, decision="certified", remark="", author_name="Оператор Региона", decided_at=now
        )
    )
    session.flush()
    return OrganizationFixture(
        id=organization.id,
        inn=inn,
        mirror_key=organization.mirror_key,
        clerk=f"clerk_{key}",
        admin=f"admin_{key}",
        program_id=program.id,
        module_id=module.id,
        group_id=groups[0].id,
        small_group_id=groups[1].id,
    )


def expected_split(start: date, balance: int) -> PriceSplit:
    """The split the domain computes for the world's module from ``start`` with that balance."""
    return split_price(
        ContractTerms(MODULE_PRICE, MODULE_NORMATIVE, GROUP_DATES[0], GROUP_DATES[1], start, SCHOOL_YEAR[1], balance)
    )


def login(client: TestClient, username: str, device_id: uuid.UUID | None = None) -> dict[str, str]:
    """Headers of a signed-in user (protocol version and bearer token)."""
    response = client.post(
        "/api/v1/auth/login",
        headers=PROTOCOL,
        json={"username": username, "password": PASSWORD, "device_id": str(device_id or uuid.uuid4())},
    )
    assert response.status_code == 200, response.text
    return {**PROTOCOL, "Authorization": f"Bearer {response.json()['access_token']}"}


def operation(op_type: str, payload: dict[str, Any], op_id: uuid.UUID | None = None) -> dict[str, Any]:
    return {"op_id": str(op_id or uuid.uuid4()), "type": op_type, "version": 1, "payload": payload}


def contract_request(
    world: World,
    organization: OrganizationFixture,
    certificate_key: str,
    *,
    group_id: uuid.UUID | None = None,
    start: date = date(2026, 10, 1),
    balance: int | None = None,
) -> dict[str, Any]:
    """A ``contract.request`` operation whose promised split matches what the server will compute."""
    certificate = world.certificates[certificate_key]
    split = expected_split(start, certificate.balance if balance is None else balance)
    return operation(
        "contract.request",
        {
            "id": str(uuid.uuid4()),
            "provisional_number": f"П-{uuid.uuid4().hex[:8]}",
            "certificate_number": certificate.number,
            "child_surname": certificate.surname,
            "group_id": str(group_id or organization.group_id),
            "start_date": start.isoformat(),
            "price": split.price,
            "from_certificate": split.from_certificate,
            "parent": {"full_name": "Родитель Тестовый", "phone": "+7 900 000-00-00"},
            "child": {"full_name": f"{certificate.surname} Тест"},
        },
    )


def push(client: TestClient, headers: dict[str, str], *operations: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/api/v1/sync/push", headers=headers, json={"operations": list(operations)})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results
