"""A region at the scale of Kuzbass in an empty database, for benchmarks and load tests.

``pfdo-server init-demo --scale region`` builds 1,500 organizations with 8,000 certified programs, 400,000
certificates of 34 payers and 100,000 contracts, deterministic by seed (and the day, as the demo region).
Rows go in with bulk inserts (``executemany``), in an order the foreign keys accept; every record a
workstation mirrors gets a change-log entry, parents first, so a first pull downloads it all. Every user's
password is the demo one; the first organization (the regional centre) has agreements with every payer,
so its workstation mirrors all certificates.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert, update
from sqlalchemy.orm import Session

from desktop_app.domain.pricing import ContractTerms, split_price
from desktop_app.sync.protocol import ChangeEntity, Role
from server.auth.passwords import Passwords
from server.config import DEFAULT_TIMEZONE
from server.db.models import (
    Agreement,
    AuditEntry,
    Certificate,
    CertificateBalance,
    ChangeLogEntry,
    ContractRow,
    ContractStatusChange,
    GroupRow,
    LedgerEntry,
    Organization,
    Payer,
    Period,
    User,
)
from server.errors import ApiError
from server.services import accounts
from server.services.demo import NOT_EMPTY, is_empty, school_year_start
from server.services.demo_data import DEMO_PASSWORD, OPERATOR
from server.services.region_people import CertificateFacts, balance_rows, certificate_rows, organization_inn
from server.services.region_programs import ProgramsBuilt, build_programs

CHUNK = 20_000
CONTRACT_ATTEMPTS = 20
ACTIVE_PER_HUNDRED = 70


@dataclass(frozen=True)
class RegionScale:
    organizations: int
    programs: int
    certificates: int
    contracts: int
    payers: int


SCALES = {
    "tiny": RegionScale(organizations=6, programs=30, certificates=2_000, contracts=300, payers=3),
    "region": RegionScale(organizations=1_500, programs=8_000, certificates=400_000, contracts=100_000, payers=34),
}


@dataclass(frozen=True)
class RegionSummary:
    organizations: int
    programs: int
    certificates: int
    contracts: int
    hub_username: str
    """The clerk of the regional centre, whose workstation mirrors every certificate."""
    hub_mirror_key: str


def organization_key(number: int) -> str:
    return f"org{number:04d}"


def build_region(
    session: Session,
    passwords: Passwords,
    now: datetime,
    scale: RegionScale,
    seed: int,
    *,
    timezone: str = DEFAULT_TIMEZONE,
) -> RegionSummary:
    """Fill an empty database with a region of this scale, in the session's transaction.

    Raises:
        ApiError: the database is not empty (409).
    """
    if not is_empty(session):
        raise ApiError(409, "not_empty", NOT_EMPTY)
    rng = random.Random(seed)
    today = now.astimezone(ZoneInfo(timezone)).date()
    this_year = school_year_start(today)
    periods = [
        accounts.create_period(
            session,
            code=f"{start.year}/{start.year + 1}",
            starts_on=start,
            ends_on=date(start.year + 1, 8, 31),
            now=now,
        )
        for start in (this_year, date(this_year.year + 1, 9, 1))
    ]
    group_year = this_year if today < date(this_year.year + 1, 6, 1) else periods[1].starts_on
    contract_period = periods[0] if group_year == this_year else periods[1]
    payer_ids = [_uuid(rng) for _ in range(scale.payers)]
    _insert(
        session,
        Payer.__table__,
        (
            {"id": payer_id, "code": f"{10 + index:02d}", "name": f"Управление образования округа № {index + 1}"}
            for index, payer_id in enumerate(payer_ids)
        ),
    )
    organizations = _organizations(session, rng, passwords, now, scale, payer_ids, this_year, periods[-1].ends_on)
    programs = build_programs(rng, [row["id"] for row in organizations], scale.programs, group_year, now)
    for table, rows in programs.tables():
        _insert(session, table, rows)
    facts = certificate_rows(rng, payer_ids, scale.certificates, today, now)
    _insert(session, Certificate.__table__, (fact.row for fact in facts))
    made = _contracts(rng, organizations, programs, facts, scale.contracts, contract_period, now, today)
    other_period = periods[1] if contract_period is periods[0] else periods[0]
    balances, balance_ids = balance_rows(rng, facts, [contract_period.id, other_period.id], made.money)
    _insert(session, CertificateBalance.__table__, balances)
    _insert(session, ContractRow.__table__, made.contracts)
    _insert(session, ContractStatusChange.__table__, made.history)
    _insert(
        session,
        LedgerEntry.__table__,
        (
            {
                "balance_id": balance_ids[(index, contract_period.id)],
                "contract_id": contract["id"],
                "kind": "reserve",
                "amount": contract["from_certificate"],
                "created_at": now,
            }
            for index, contract in zip(made.certificate_of, made.contracts, strict=True)
            if contract["from_certificate"]
        ),
    )
    # ORM bulk updates by primary key: one executemany each.
    session.execute(
        update(GroupRow), [{"id": group_id, "taken": taken} for group_id, taken in programs.taken.items() if taken]
    )
    session.execute(
        update(Organization), [{"id": row["id"], "contract_counter": row["contract_counter"]} for row in organizations]
    )
    _insert(session, ChangeLogEntry.__table__, _change_log(programs, facts, made.contracts, now))
    session.execute(
        insert(AuditEntry),
        {"at": now, "action": "demo.init", "entity": "region", "entity_id": "region", "details_json": "{}"},
    )
    return RegionSummary(
        organizations=scale.organizations,
        programs=scale.programs,
        certificates=len(facts),
        contracts=len(made.contracts),
        hub_username=f"{organization_key(1)}-clerk",
        hub_mirror_key=organizations[0]["mirror_key"],
    )


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _insert(session: Session, table: Table | Any, rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows in chunks with one ``executemany`` each."""
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            session.execute(insert(table), chunk)
            chunk = []
    if chunk:
        session.execute(insert(table), chunk)


def _organizations(
    session: Session,
    rng: random.Random,
    passwords: Passwords,
    now: datetime,
    scale: RegionScale,
    payer_ids: list[uuid.UUID],
    starts_on: date,
    ends_on: date,
) -> list[dict[str, Any]]:
    """Organizations, their admins and clerks (one password hash for all: the demo password) and agreements."""
    organizations: list[dict[str, Any]] = [
        {
            "id": _uuid(rng),
            "name": f"Муниципальное бюджетное учреждение дополнительного образования «Центр творчества № {number}»",
            "short_name": f"МБУ ДО «ЦТ № {number}»",
            "inn": organization_inn(number),
            "mirror_key": f"{rng.getrandbits(256):064x}",
            "contract_counter": 0,
            "created_at": now,
            "payers": payer_ids if number == 1 else [payer_ids[(number - 1) % len(payer_ids)]],
        }
        for number in range(1, scale.organizations + 1)
    ]
    _insert(session, Organization.__table__, ({k: v for k, v in row.items() if k != "payers"} for row in organizations))
    password_hash = passwords.hash(DEMO_PASSWORD)
    users = [_user(rng, OPERATOR[0], OPERATOR[1], Role.OPERATOR, None, password_hash, now)]
    for number, row in enumerate(organizations, start=1):
        key = organization_key(number)
        users.append(_user(rng, f"{key}-admin", f"Администратор {key}", Role.ORG_ADMIN, row["id"], password_hash, now))
        users.append(_user(rng, f"{key}-clerk", f"Сотрудник {key}", Role.CLERK, row["id"], password_hash, now))
    _insert(session, User.__table__, users)
    _insert(
        session,
        Agreement.__table__,
        (
            {
                "id": _uuid(rng),
                "organization_id": row["id"],
                "payer_id": payer_id,
                "number": f"{starts_on.year}-{number}-{index}",
                "signed_on": starts_on,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "status": "active",
            }
            for number, row in enumerate(organizations, start=1)
            for index, payer_id in enumerate(row["payers"], start=1)
        ),
    )
    return organizations


def _user(
    rng: random.Random,
    username: str,
    full_name: str,
    role: Role,
    organization_id: uuid.UUID | None,
    password_hash: str,
    now: datetime,
) -> dict[str, Any]:
    return {
        "id": _uuid(rng),
        "username": username,
        "password_hash": password_hash,
        "full_name": full_name,
        "role": role.value,
        "organization_id": organization_id,
        "active": True,
        "created_at": now,
    }


@dataclass
class ContractsMade:
    contracts: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    certificate_of: list[int] = field(default_factory=list)
    """The certificate (index into the facts) of each contract."""
    money: dict[int, int] = field(default_factory=dict)
    """Money reserved in the contracts' period, per certificate index."""


def _contracts(
    rng: random.Random,
    organizations: list[dict[str, Any]],
    programs: ProgramsBuilt,
    facts: list[CertificateFacts],
    count: int,
    period: Period,
    now: datetime,
    today: date,
) -> ContractsMade:
    """Contracts on free places for children of the organization's payers, priced by the domain's split."""
    by_payer: dict[uuid.UUID, list[int]] = {}
    for position, fact in enumerate(facts):
        if fact.kind == "financing" and not fact.frozen:
            by_payer.setdefault(fact.payer_id, []).append(position)
    made = ContractsMade()
    open_pairs: set[tuple[int, uuid.UUID]] = set()
    while len(made.contracts) < count:
        organization = rng.choice(organizations)
        place = rng.choice(programs.places[organization["id"]])
        if programs.taken[place.group_id] >= place.capacity:
            continue
        candidates = by_payer.get(rng.choice(organization["payers"]), [])
        index = next(
            (
                candidate
                for candidate in (rng.choice(candidates) for _ in range(CONTRACT_ATTEMPTS if candidates else 0))
                if (candidate, place.module_id) not in open_pairs
                and place.ages.admits(facts[candidate].birth_date, place.start)
            ),
            None,
        )
        if index is None:
            continue
        fact = facts[index]
        split = split_price(
            ContractTerms(
                module_price=place.price,
                module_normative=place.normative,
                group_start=place.start,
                group_end=place.end,
                contract_start=place.start,
                period_end=period.ends_on,
                certificate_balance=fact.nominal - made.money.get(index, 0),
            )
        )
        open_pairs.add((index, place.module_id))
        programs.taken[place.group_id] += 1
        organization["contract_counter"] += 1
        if split.from_certificate:
            made.money[index] = made.money.get(index, 0) + split.from_certificate
        active = rng.randrange(100) < ACTIVE_PER_HUNDRED
        contract_id = _uuid(rng)
        made.certificate_of.append(index)
        made.history.append(
            {"contract_id": contract_id, "status": "active" if active else "requested", "changed_at": now, "reason": ""}
        )
        made.contracts.append(
            {
                "id": contract_id,
                "organization_id": organization["id"],
                "number": f"{organization['contract_counter']}-ПФ",
                "provisional_number": None,
                "source": "desk",
                "status": "active" if active else "requested",
                "certificate_id": fact.row["id"],
                "program_id": place.program_id,
                "module_id": place.module_id,
                "group_id": place.group_id,
                "period_id": period.id,
                "start_date": split.contract_start,
                "end_date": split.contract_end,
                "price": split.price,
                "normative": split.normative,
                "from_certificate": split.from_certificate,
                "co_payment": split.co_payment,
                "child_full_name": fact.full_name,
                "parent_full_name": f"{fact.row['surname']} (законный представитель)",
                "requested_at": now,
                "signed_on": today if active else None,
                "terminates_on": None,
                "reason": None,
                "updated_at": now,
            }
        )
    return made


def _change_log(
    programs: ProgramsBuilt, facts: list[CertificateFacts], contracts: list[dict[str, Any]], now: datetime
) -> Iterator[dict[str, Any]]:
    """Change-log entries of everything workstations mirror, parents before children."""
    for entity, rows in (
        (ChangeEntity.PROGRAM, programs.programs),
        (ChangeEntity.MODULE, programs.modules),
        (ChangeEntity.GROUP, programs.groups),
        (ChangeEntity.SCHEDULE_ENTRY, programs.schedules),
    ):
        for row in rows:
            yield _entry(entity, row["id"], row["organization_id"], None, now)
    for fact in facts:
        yield _entry(ChangeEntity.CERTIFICATE, fact.row["id"], None, fact.payer_id, now)
    for contract in contracts:
        yield _entry(ChangeEntity.CONTRACT, contract["id"], contract["organization_id"], None, now)


def _entry(
    entity: ChangeEntity,
    entity_id: uuid.UUID,
    organization_id: uuid.UUID | None,
    payer_id: uuid.UUID | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "organization_id": organization_id,
        "payer_id": payer_id,
        "entity": entity.value,
        "entity_id": str(entity_id),
        "deleted": False,
        "created_at": now,
    }
