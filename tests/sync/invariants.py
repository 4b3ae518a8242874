"""Invariants of sync that must hold once faults have healed and every workstation has settled.

- every operation ever queued has exactly one outcome, on the server (``processed_operations``) and locally
  (``sync_results``), and both say the same; an operation refused locally because its parent was refused
  (``depends_on_rejected``) never reached the server;
- no contract is lost (each one made at a desk exists on the server, or is rejected locally with a reason)
  and none is charged twice (one reservation per contract, of its amount);
- no balance is negative, each balance's reserve equals its ledger (reservations minus releases), and no
  money appears or vanishes (balance + reserve = nominal); no group holds more contracts than places;
- every rejection is in the inbox until acknowledged;
- the workstation's mirror (programs, modules, groups, contracts, certificate balances) equals the server's
  view of its organization.

The server side is read straight from its database; the workstation side straight from its SQLite file.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.certificate import certificate_lookup_key
from desktop_app.storage import models as local
from desktop_app.storage.database import Database
from server.clock import Clock
from server.db.engine import ServerDatabase
from server.db.models import (
    Agreement,
    Certificate,
    CertificateBalance,
    ContractRow,
    GroupRow,
    LedgerEntry,
    ModuleRow,
    Organization,
    Payer,
    Period,
    ProcessedOperation,
    ProgramRow,
)
from server.db.models.contracts import OPEN_STATUSES
from tests.sync.stations import Queued, Station

DEPENDS_ON_REJECTED = "depends_on_rejected"


@dataclass(frozen=True)
class Workstation:
    """What the invariants need of a workstation: its database, organization, and everything it queued."""

    database: Database
    organization_id: uuid.UUID
    queued: dict[uuid.UUID, Queued]


def check_all(database: ServerDatabase, clock: Clock, stations: Iterable[Station | Workstation]) -> None:
    """Every invariant, for the server and for each workstation."""
    workstations = [
        Workstation(station.database, station.organization.id, station.queued)
        if isinstance(station, Station)
        else station
        for station in stations
    ]
    with database.transaction() as session:
        check_money(session)
        for organization_id, group in _by_organization(workstations).items():
            check_outcomes(session, organization_id, group)
        for workstation in workstations:
            check_contracts(session, workstation)
            check_inbox(workstation.database)
            check_mirror(session, clock, workstation)


def _by_organization(workstations: Sequence[Workstation]) -> dict[uuid.UUID, list[Workstation]]:
    grouped: dict[uuid.UUID, list[Workstation]] = defaultdict(list)
    for workstation in workstations:
        grouped[workstation.organization_id].append(workstation)
    return grouped


# ---------------------------------------------------------------- money


def check_money(session: Session) -> None:
    """No negative balance; reserve = ledger; nothing created or lost; one reservation per contract; places."""
    ledger: dict[uuid.UUID, int] = defaultdict(int)
    reservations: Counter[uuid.UUID] = Counter()
    reserved: dict[uuid.UUID, int] = {}
    released: dict[uuid.UUID, int] = defaultdict(int)
    for entry in session.scalars(select(LedgerEntry)):
        sign = 1 if entry.kind == "reserve" else -1
        ledger[entry.balance_id] += sign * entry.amount
        if entry.kind == "reserve":
            reservations[entry.contract_id] += 1
            reserved[entry.contract_id] = entry.amount
        else:
            released[entry.contract_id] += entry.amount
    for balance in session.scalars(select(CertificateBalance)):
        assert balance.balance >= 0, f"negative balance {balance.id}: {balance.balance}"
        assert balance.reserve >= 0, f"negative reserve {balance.id}: {balance.reserve}"
        assert balance.reserve == ledger[balance.id], (
            f"balance {balance.id}: reserve {balance.reserve} but the ledger says {ledger[balance.id]}"
        )
        assert balance.balance + balance.reserve == balance.nominal, f"money appeared or vanished on {balance.id}"
    for contract in session.scalars(select(ContractRow)):
        expected = 1 if contract.from_certificate > 0 else 0
        assert reservations[contract.id] == expected, (
            f"contract {contract.number}: {reservations[contract.id]} reservations, expected {expected}"
        )
        if expected:
            assert reserved[contract.id] == contract.from_certificate, f"contract {contract.number} reserved wrong"
        assert released[contract.id] <= contract.from_certificate, f"contract {contract.number} released too much"
    open_per_group = Counter(
        session.scalars(select(ContractRow.group_id).where(ContractRow.status.in_(OPEN_STATUSES))).all()
    )
    for group in session.scalars(select(GroupRow)):
        assert group.taken == open_per_group[group.id], f"group {group.name}: taken {group.taken}"
        assert group.taken <= group.capacity, f"group {group.name} oversold"


# ---------------------------------------------------------------- outcomes


def _local_results(database: Database) -> list[local.SyncResultRow]:
    with Session(database.engine) as session:
        return list(session.scalars(select(local.SyncResultRow)))


def _outbox_size(database: Database) -> int:
    with Session(database.engine) as session:
        return session.scalar(select(func.count()).select_from(local.OutboxRow)) or 0


def check_outcomes(session: Session, organization_id: uuid.UUID, workstations: Sequence[Workstation]) -> None:
    """Each queued operation: one outcome here and one on the server (none for a local cascade), the same."""
    processed = {
        row.op_id: json.loads(row.result_json)
        for row in session.scalars(
            select(ProcessedOperation).where(ProcessedOperation.organization_id == organization_id)
        )
    }
    queued: dict[uuid.UUID, Queued] = {}
    cascaded: set[uuid.UUID] = set()
    for workstation in workstations:
        assert _outbox_size(workstation.database) == 0, "the outbox is not empty: the workstation did not settle"
        results = _local_results(workstation.database)
        counts = Counter(result.op_id for result in results)
        twice = [op_id for op_id, count in counts.items() if count > 1]
        assert not twice, f"operations with more than one local outcome: {twice}"
        unknown = set(counts) - set(workstation.queued)
        assert not unknown, f"local outcomes of operations never queued: {unknown}"
        missing = set(workstation.queued) - set(counts)
        assert not missing, f"queued operations without a local outcome: {missing}"
        for result in results:
            if result.code == DEPENDS_ON_REJECTED:
                assert result.status == "rejected"
                assert result.op_id not in processed, f"{result.op_id} was refused locally but reached the server"
                cascaded.add(result.op_id)
                continue
            answer = processed.get(result.op_id)
            assert answer is not None, f"{result.op_type} {result.op_id} has a local outcome but none on the server"
            assert (answer["status"], answer.get("code"), answer.get("message")) == (
                result.status,
                result.code,
                result.message,
            ), f"{result.op_type} {result.op_id}: the server and the workstation disagree"
        queued.update(workstation.queued)
    sent = set(queued) - cascaded
    assert set(processed) == sent, (
        f"server outcomes differ from what was sent: extra {set(processed) - sent}, missing {sent - set(processed)}"
    )


# ---------------------------------------------------------------- contracts


_CONTRACT_FIELDS = (
    "number",
    "status",
    "price",
    "normative",
    "from_certificate",
    "co_payment",
    "group_id",
    "module_id",
    "program_id",
    "start_date",
    "end_date",
    "signed_on",
    "terminates_on",
)


def check_contracts(session: Session, workstation: Workstation) -> None:
    """No contract lost: each one is on the server, identical, or rejected here with the server's reason."""
    server = {
        row.id: row
        for row in session.scalars(
            select(ContractRow).where(ContractRow.organization_id == workstation.organization_id)
        )
    }
    with Session(workstation.database.engine) as mine:
        contracts = {row.id: row for row in mine.scalars(select(local.ContractRow))}
        rejections = {
            row.entity_id: row
            for row in mine.scalars(
                select(local.SyncResultRow).where(
                    local.SyncResultRow.op_type == "contract.request", local.SyncResultRow.status == "rejected"
                )
            )
        }
    for queued in workstation.queued.values():
        if queued.op_type == "contract.request":
            assert queued.entity_id in contracts, f"contract {queued.entity_id} was queued and then lost locally"
    for contract_id, row in contracts.items():
        if row.status == "rejected":
            assert contract_id not in server, f"contract {row.provisional_number} rejected here but on the server"
            assert row.reason, f"contract {row.provisional_number} rejected without a reason"
            assert contract_id in rejections, f"contract {row.provisional_number} rejected without a refusal"
            assert row.reason == rejections[contract_id].message
            continue
        assert contract_id in server, f"contract {row.provisional_number} ({row.status}) is not on the server"
        theirs = server[contract_id]
        for name in _CONTRACT_FIELDS:
            assert getattr(row, name) == getattr(theirs, name), (
                f"contract {row.provisional_number}: {name} is {getattr(row, name)!r} here, "
                f"{getattr(theirs, name)!r} on the server"
            )
        assert row.reason == (theirs.reason or "")
    missing = set(server) - set(contracts)
    assert not missing, f"contracts of the organization never pulled: {missing}"


# ---------------------------------------------------------------- inbox


def check_inbox(database: Database) -> None:
    """Every rejection (and result flagged for review) waits in the inbox until acknowledged."""
    with database.read() as work:
        inbox = {result.op_id for result in work.sync_results.inbox()}
    expected = {
        result.op_id
        for result in _local_results(database)
        if result.status in ("rejected", "needs_review") and result.acknowledged_at is None
    }
    assert inbox == expected, f"inbox {inbox} but unacknowledged rejections {expected}"


# ---------------------------------------------------------------- mirror


def check_mirror(session: Session, clock: Clock, workstation: Workstation) -> None:
    """The workstation's copy of the organization's records and certificates equals the server's."""
    organization_id = workstation.organization_id
    with Session(workstation.database.engine) as mine:
        programs = session.scalars(select(ProgramRow).where(ProgramRow.organization_id == organization_id))
        _same(
            "programs",
            {row.id: ("archived" if row.archived else row.status, row.short_name, row.full_name) for row in programs},
            {row.id: (row.status, row.short_name, row.full_name) for row in mine.scalars(select(local.ProgramRow))},
        )
        modules = session.scalars(select(ModuleRow).where(ModuleRow.organization_id == organization_id))
        _same("modules", _modules(modules), _modules(mine.scalars(select(local.ModuleRow))))
        groups = session.scalars(select(GroupRow).where(GroupRow.organization_id == organization_id))
        _same("groups", _groups(groups), _groups(mine.scalars(select(local.GroupRow))))
        _same(
            "certificate mirror",
            server_mirror(session, clock, organization_id),
            {
                row.lookup_key: (row.balance_current, row.balance_next, row.frozen, row.payer_code)
                for row in mine.scalars(select(local.CertificateRow))
            },
        )


def _modules(rows: Iterable[Any]) -> dict[uuid.UUID, tuple[Any, ...]]:
    """Modules by id, server's or workstation's rows alike (the fields have the same names)."""
    return {row.id: (row.program_id, row.name, row.price, row.normative, row.archived) for row in rows}


def _groups(rows: Iterable[Any]) -> dict[uuid.UUID, tuple[Any, ...]]:
    return {row.id: (row.module_id, row.name, row.capacity, row.taken, row.archived) for row in rows}


def server_mirror(session: Session, clock: Clock, organization_id: uuid.UUID) -> dict[str, tuple[Any, ...]]:
    """The certificates the organization should mirror, computed from the server's tables."""
    today = clock.local(clock.now()).date()
    organization = session.get(Organization, organization_id)
    assert organization is not None
    key = bytes.fromhex(organization.mirror_key)
    payers = set(
        session.scalars(
            select(Agreement.payer_id).where(
                Agreement.organization_id == organization_id, Agreement.status == "active", Agreement.ends_on >= today
            )
        )
    )
    periods = session.scalars(select(Period).where(Period.ends_on >= today).order_by(Period.starts_on)).all()
    current = next((period.id for period in periods if period.starts_on <= today), None)
    following = next((period.id for period in periods if period.starts_on > today), None)
    mirror: dict[str, tuple[Any, ...]] = {}
    for certificate in session.scalars(select(Certificate).where(Certificate.payer_id.in_(payers))):
        balances = {
            balance.period_id: balance.balance
            for balance in session.scalars(
                select(CertificateBalance).where(CertificateBalance.certificate_id == certificate.id)
            )
        }
        payer = session.get(Payer, certificate.payer_id)
        assert payer is not None
        lookup_key = certificate_lookup_key(key, certificate.number, certificate.surname)
        mirror[lookup_key] = (
            balances.get(current, 0) if current else 0,
            balances.get(following, 0) if following else 0,
            certificate.frozen,
            payer.code,
        )
    return mirror


def _same(what: str, server: dict[Any, Any], workstation: dict[Any, Any]) -> None:
    if server == workstation:
        return
    differences = {
        key: (server.get(key), workstation.get(key))
        for key in set(server) | set(workstation)
        if server.get(key) != workstation.get(key)
    }
    raise AssertionError(f"{what} differ (server, workstation): {differences}")
