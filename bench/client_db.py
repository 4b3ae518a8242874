"""A workstation's database at region scale: the real schema (the client's own migrations), filled in bulk.

The programs and the children come from the server's region generator (same seed, same kind of data), laid
out as the client keeps them: 8,000 programs with modules, groups and schedules, the offline mirror of
400,000 certificates (keyed hashes, no names) and 100,000 contracts, as if the workstation had synced.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench.common import SEED, Scale
from desktop_app.domain.certificate import certificate_lookup_key
from desktop_app.domain.organization import OrganizationProfile, PaymentAgreement
from desktop_app.domain.pricing import ContractTerms, split_price
from desktop_app.storage import models
from desktop_app.storage.database import Database
from desktop_app.sync.records import SyncState
from server.services.demo import school_year_start
from server.services.region_people import certificate_rows
from server.services.region_programs import build_programs

NOW = datetime(2026, 9, 10, 3, 30, tzinfo=UTC)
PROBES = 10_000
CHUNK = 20_000
PAYERS = 4
STATUSES = ("active", "active", "active", "confirmed", "requested", "pending", "closed")


@dataclass(frozen=True)
class ClientRegion:
    path: Path
    mirror_key: bytes
    organization_id: uuid.UUID
    probes: tuple[tuple[str, str], ...]
    """(number, surname) of certificates in the mirror, to look up."""


def organization_profile() -> OrganizationProfile:
    return OrganizationProfile(
        full_name="Муниципальное бюджетное учреждение дополнительного образования «Центр творчества № 1»",
        short_name="МБУ ДО «ЦТ № 1»",
        inn="4205012340",
        kpp="420501001",
        ogrn="1024205123458",
        license_number="Л035-01234-42/00567890",
        license_date=date(2016, 3, 14),
        license_issuer="Министерство образования Кузбасса",
        legal_address="650000, Кемеровская область — Кузбасс, г. Кемерово, ул. Весенняя, д. 17",
        actual_address="650000, Кемеровская область — Кузбасс, г. Кемерово, ул. Весенняя, д. 17",
        bank_name="Кемеровское отделение № 8615 ПАО Сбербанк",
        bik="043207612",
        settlement_account="40703810926000012345",
        correspondent_account="30101810200000000612",
        signatory_name="Ершова Татьяна Викторовна",
        signatory_position="директор",
        signatory_basis="Устава",
        payment_agreements=tuple(
            PaymentAgreement(
                payer_name=f"Управление образования округа № {index + 1}",
                number=f"ПФ-42/{index + 1:03d}",
                signed_on=date(2026, 1, 20),
                payer_code=f"{10 + index:02d}",
            )
            for index in range(PAYERS)
        ),
    )


def client_database(work: Path, scale: Scale, seed: int = SEED) -> ClientRegion:
    """The filled database of this scale and seed, made once and kept in ``work``."""
    path = work / f"client-{scale.name}-{seed}" / "pfdo.sqlite3"
    marker = path.with_suffix(".ready")
    if not marker.exists():
        for stale in path.parent.glob("pfdo.sqlite3*"):
            stale.unlink()
        region = fill_client_database(path, scale, seed)
        marker.write_text("\n".join(f"{number} {surname}" for number, surname in region.probes), encoding="utf-8")
        return region
    return _region(path, seed, marker.read_text(encoding="utf-8"))


def _region(path: Path, seed: int, probes_text: str) -> ClientRegion:
    rng = random.Random(seed)
    mirror_key = rng.getrandbits(256).to_bytes(32, "big")
    organization_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    probes = tuple((line.split()[0], line.split()[1]) for line in probes_text.splitlines())
    return ClientRegion(path, mirror_key, organization_id, probes)


def fill_client_database(path: Path, scale: Scale, seed: int = SEED) -> ClientRegion:
    """Create the database at ``path`` (migrated to the newest schema) and fill it; ``path`` must not exist."""
    region = _region(path, seed, "")
    rng = random.Random(seed + 1)
    database = Database.open(path)
    try:
        with database.write() as work:
            work.organization.save(organization_profile(), NOW)
            work.sync_state.save(SyncState(cursor=1, last_synced_at=NOW, organization_id=region.organization_id))
        today = NOW.date()
        year = school_year_start(today)
        built = build_programs(rng, [region.organization_id], scale.programs, year, NOW)
        facts = certificate_rows(
            rng, [uuid.UUID(int=index + 1) for index in range(PAYERS)], scale.certificates, today, NOW
        )
        codes = {uuid.UUID(int=index + 1): f"{10 + index:02d}" for index in range(PAYERS)}
        positions: dict[uuid.UUID, int] = {}
        tables: list[tuple[Any, list[dict[str, Any]]]] = [
            (models.PeriodRow, [_period(year), _period(date(year.year + 1, 9, 1))]),
            (models.ProgramRow, [_without(row, "organization_id", "archived") for row in built.programs]),
            (models.ProgramDecisionRow, [_decision(row) for row in built.decisions]),
            (models.ModuleRow, [_without(row, "organization_id") for row in built.modules]),
            (models.GroupRow, [_positioned(row, "module_id", positions) for row in built.groups]),
            (models.ScheduleEntryRow, [_positioned(row, "group_id", positions) for row in built.schedules]),
        ]
        with database.engine.begin() as connection:
            for model, rows in tables:
                connection.execute(insert(model), rows)
            mirror = (
                {
                    "lookup_key": certificate_lookup_key(region.mirror_key, fact.row["number"], fact.row["surname"]),
                    "kind": fact.kind,
                    "birth_date": fact.birth_date,
                    "frozen": fact.frozen,
                    "balance_current": fact.nominal,
                    "balance_next": fact.nominal,
                    "payer_code": codes[fact.payer_id],
                }
                for fact in facts
            )
            _chunked(connection, models.CertificateRow, mirror)
            _chunked(connection, models.ContractRow, _contracts(rng, built, facts, scale.contracts, year))
    finally:
        database.close()
    sample = rng.sample(facts, min(PROBES, len(facts)))
    probes = tuple((fact.row["number"], fact.row["surname"]) for fact in sample)
    return ClientRegion(path, region.mirror_key, region.organization_id, probes)


def _chunked(connection: Any, model: Any, rows: Any) -> None:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            connection.execute(insert(model), chunk)
            chunk = []
    if chunk:
        connection.execute(insert(model), chunk)


def _period(start: date) -> dict[str, Any]:
    return {"code": f"{start.year}/{start.year + 1}", "starts_on": start, "ends_on": date(start.year + 1, 8, 31)}


def _without(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key not in names}


def _decision(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "program_id": row["program_id"],
        "decision": row["decision"],
        "remark": row["remark"],
        "author": row["author_name"],
        "decided_at": row["decided_at"],
    }


def _positioned(row: dict[str, Any], parent: str, positions: dict[uuid.UUID, int]) -> dict[str, Any]:
    """The client's row: no organization, a position among the parent's children."""
    position = positions.get(row[parent], 0)
    positions[row[parent]] = position + 1
    return {**_without(row, "organization_id"), "position": position}


def _contracts(rng: random.Random, built: Any, facts: list[Any], count: int, year: date) -> Any:
    groups = built.places[next(iter(built.places))]
    financing = [fact for fact in facts if fact.kind == "financing"]
    for number in range(1, count + 1):
        place = rng.choice(groups)
        fact = rng.choice(financing)
        split = split_price(
            ContractTerms(place.price, place.normative, place.start, place.end, place.start, place.end, fact.nominal)
        )
        status = rng.choice(STATUSES)
        yield {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "provisional_number": f"П-{number:06d}",
            "number": None if status == "pending" else f"{number}-ПФ",
            "status": status,
            "certificate_number": fact.row["number"],
            "child_full_name": fact.full_name,
            "child_surname": fact.row["surname"],
            "child_birth_date": fact.birth_date,
            "parent_full_name": f"{fact.row['surname']} (законный представитель)",
            "program_id": place.program_id,
            "module_id": place.module_id,
            "group_id": place.group_id,
            "start_date": split.contract_start,
            "end_date": split.contract_end,
            "price": split.price,
            "normative": split.normative,
            "from_certificate": split.from_certificate,
            "co_payment": split.co_payment,
            "signed_on": NOW.date() if status in {"active", "closed"} else None,
            "created_at": NOW,
            "updated_at": NOW,
        }
