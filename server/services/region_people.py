"""Children's certificates of a region-scale demo, and organizations' ИНН with valid check digits."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from desktop_app.domain.age import add_months
from server.services.demo import FINANCING_SHARE_PERCENT, FROZEN_PER_THOUSAND, REGION_CODE
from server.services.demo_data import FATHERS, FEMALE_NAMES, MALE_NAMES, SURNAMES, female_surname

INN_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
SERIALS = 1_000_000


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """One generated certificate: its table row and what contracts and balances need of it."""

    row: dict[str, Any]
    payer_id: uuid.UUID
    kind: str
    frozen: bool
    birth_date: date
    nominal: int
    full_name: str


def organization_inn(number: int) -> str:
    """A ten-digit ИНН of a Kemerovo-region legal entity (42…) with a valid check digit."""
    body = f"42{number:07d}"
    control = sum(int(digit) * weight for digit, weight in zip(body, INN_WEIGHTS, strict=True)) % 11 % 10
    return f"{body}{control}"


def certificate_rows(
    rng: random.Random, payer_ids: list[uuid.UUID], count: int, today: date, now: datetime
) -> list[CertificateFacts]:
    """Certificates of children aged 5–17, shared evenly among the payers (numbers region + payer + serial)."""
    youngest = add_months(today, -5 * 12)
    oldest = add_months(today, -18 * 12) + timedelta(days=1)
    span = (youngest - oldest).days
    facts: list[CertificateFacts] = []
    for index, payer_id in enumerate(payer_ids):
        share = count // len(payer_ids) + (1 if index < count % len(payer_ids) else 0)
        code = f"{10 + index:02d}"
        for serial in rng.sample(range(SERIALS), share):
            male = rng.random() < 0.5
            surname = rng.choice(SURNAMES)
            father = rng.choice(FATHERS)
            financing = rng.randrange(100) < FINANCING_SHARE_PERCENT
            frozen = rng.randrange(1000) < FROZEN_PER_THOUSAND
            birth_date = oldest + timedelta(days=rng.randint(0, span))
            row: dict[str, Any] = {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "number": f"{REGION_CODE}{code}{serial:06d}",
                "surname": surname if male else female_surname(surname),
                "first_name": rng.choice(MALE_NAMES if male else FEMALE_NAMES),
                "patronymic": father[0] if male else father[1],
                "birth_date": birth_date,
                "kind": "financing" if financing else "accounting",
                "payer_id": payer_id,
                "frozen": frozen,
                "created_at": now,
                "updated_at": now,
            }
            facts.append(
                CertificateFacts(
                    row=row,
                    payer_id=payer_id,
                    kind=row["kind"],
                    frozen=frozen,
                    birth_date=birth_date,
                    nominal=rng.randrange(20, 61) * 50_000 if financing else 0,
                    full_name=f"{row['surname']} {row['first_name']} {row['patronymic']}",
                )
            )
    return facts


def balance_rows(
    rng: random.Random, facts: list[CertificateFacts], period_ids: list[uuid.UUID], reserved: dict[int, int]
) -> tuple[list[dict[str, Any]], dict[tuple[int, uuid.UUID], uuid.UUID]]:
    """Balances of every certificate in every period (the first period less what contracts reserved).

    Returns the rows and the balance id of each (certificate index, period id), for the ledger.
    """
    rows: list[dict[str, Any]] = []
    ids: dict[tuple[int, uuid.UUID], uuid.UUID] = {}
    for index, fact in enumerate(facts):
        for period_id in period_ids:
            taken = reserved.get(index, 0) if period_id == period_ids[0] else 0
            balance_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            ids[(index, period_id)] = balance_id
            rows.append(
                {
                    "id": balance_id,
                    "certificate_id": fact.row["id"],
                    "period_id": period_id,
                    "nominal": fact.nominal,
                    "balance": fact.nominal - taken,
                    "reserve": taken,
                }
            )
    return rows, ids
