"""What the arbitration benchmark sends: contract requests that the server should accept, read from its database.

Each of the 16 clients is the clerk of one organization; its requests are for that organization's groups
with free places, for children of its payer, each child once, with the split the domain computes (as a
workstation promises it to the parent).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import create_engine, select

from desktop_app.domain.age import AgeRange
from desktop_app.domain.pricing import ContractTerms, split_price
from server.db.models import (
    Agreement,
    Certificate,
    CertificateBalance,
    GroupRow,
    ModuleRow,
    Period,
    ProgramRow,
    User,
)


@dataclass(frozen=True)
class Request:
    payload: dict[str, Any]
    group_id: uuid.UUID
    balance_id: uuid.UUID
    amount: int


@dataclass(frozen=True)
class ClientPlan:
    username: str
    requests: tuple[Request, ...]


def plan_requests(url: str, clients: int, total: int, seed: int) -> list[ClientPlan]:
    rng = random.Random(seed)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            users = connection.execute(
                select(User.username, User.organization_id)
                .where(User.role == "clerk", User.username != "org0001-clerk")
                .order_by(User.username)
                .limit(clients)
            ).all()
            return [
                ClientPlan(username, tuple(_requests(connection, rng, organization_id, total // clients)))
                for username, organization_id in users
                if organization_id is not None
            ]
    finally:
        engine.dispose()


def _requests(connection: Any, rng: random.Random, organization_id: uuid.UUID, count: int) -> list[Request]:
    payer_id = connection.execute(
        select(Agreement.payer_id).where(Agreement.organization_id == organization_id)
    ).scalar_one()
    places = connection.execute(
        select(
            GroupRow.id,
            GroupRow.capacity,
            GroupRow.taken,
            GroupRow.start_date,
            GroupRow.end_date,
            ModuleRow.price,
            ModuleRow.normative,
            ProgramRow.age_from_months,
            ProgramRow.age_to_months,
        )
        .join(ModuleRow, ModuleRow.id == GroupRow.module_id)
        .join(ProgramRow, ProgramRow.id == ModuleRow.program_id)
        .where(GroupRow.organization_id == organization_id, GroupRow.taken < GroupRow.capacity)
    ).all()
    free = {place.id: place.capacity - place.taken for place in places}
    start = places[0].start_date
    period = connection.execute(select(Period).where(Period.starts_on <= start, Period.ends_on >= start)).one()
    children = connection.execute(
        select(
            Certificate.number,
            Certificate.surname,
            Certificate.birth_date,
            CertificateBalance.id,
            CertificateBalance.balance,
        )
        .join(CertificateBalance, CertificateBalance.certificate_id == Certificate.id)
        .where(
            Certificate.payer_id == payer_id,
            Certificate.kind == "financing",
            Certificate.frozen.is_(False),
            CertificateBalance.period_id == period.id,
            CertificateBalance.balance == CertificateBalance.nominal,
        )
    ).all()
    rng.shuffle(children)
    requests: list[Request] = []
    for child in children:
        open_places = [place for place in places if free[place.id] > 0]
        if len(requests) >= count or not open_places:
            break
        place = rng.choice(open_places)
        if not AgeRange(place.age_from_months, place.age_to_months).admits(child.birth_date, start):
            continue
        free[place.id] -= 1
        requests.append(_request(place, child, period.ends_on))
    return requests


def _request(place: Any, child: Any, period_end: date) -> Request:
    split = split_price(
        ContractTerms(
            place.price, place.normative, place.start_date, place.end_date, place.start_date, period_end, child.balance
        )
    )
    payload = {
        "id": str(uuid.uuid4()),
        "provisional_number": f"П-{uuid.uuid4().hex[:8]}",
        "certificate_number": child.number,
        "child_surname": child.surname,
        "group_id": str(place.id),
        "start_date": place.start_date.isoformat(),
        "price": split.price,
        "from_certificate": split.from_certificate,
        "parent": {"full_name": "Родитель для замера", "phone": "+7 900 000-00-00"},
        "child": {"full_name": f"{child.surname} Ребёнок"},
    }
    return Request(payload, place.id, child.id, max(split.from_certificate, 1))
