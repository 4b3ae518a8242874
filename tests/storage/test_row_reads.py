"""Tests of ``Database.read_rows``, the desk's look-up on the driver's cursor: the same values as the ORM's
units of work, the mirror entry and the sync time in one statement, one snapshot for the whole block.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, timedelta

from desktop_app.domain.contract import ContractStatus
from desktop_app.domain.program import Program
from desktop_app.storage.database import Database
from desktop_app.sync.records import SyncState
from tests.storage.builders import NOW, make_certificate, make_contract

CERTIFICATE = "5900123456"


def _key(number: int) -> str:
    return hashlib.sha256(f"сертификат {number}".encode()).hexdigest()


def test_contracts_come_back_as_the_repository_gives_them(database: Database, saved_program: Program) -> None:
    signed = dataclasses.replace(
        make_contract(saved_program, status=ContractStatus.TERMINATING, start_date=date(2026, 10, 1)),
        number="17-ПФ",
        signed_on=date(2026, 9, 20),
        terminates_on=date(2026, 12, 31),
        reason="Семья переезжает",
        parent_email="petrova@example.ru",
    )
    pending = [make_contract(saved_program, module_index=1, provisional_number=f"Л-{n}") for n in (2, 1)]
    other_child = make_contract(saved_program, certificate_number="5900654321")
    with database.write() as work:
        for contract in (signed, *pending, other_child):
            work.contracts.save(contract, NOW)

    with database.read() as work:
        expected = work.contracts.of_certificate(CERTIFICATE)
    with database.read_rows() as reads:
        found = reads.contracts_of_certificate(CERTIFICATE)
        nobody = reads.contracts_of_certificate("5900000000")

    assert found == expected == [signed, *sorted(pending, key=lambda contract: contract.provisional_number)]
    assert nobody == []


def test_the_mirror_entry_comes_with_the_time_of_the_last_sync(database: Database) -> None:
    record = make_certificate(_key(1), frozen=True)
    with database.write() as work:
        work.certificates.upsert_many([record])
    with database.read_rows() as reads:
        never_synced = reads.certificate(record.lookup_key)
    with database.write() as work:
        work.sync_state.save(SyncState(cursor=7, last_synced_at=NOW))

    with database.read_rows() as reads:
        found = reads.certificate(record.lookup_key)
        unknown = reads.certificate(_key(2))

    assert (never_synced.last_synced_at, never_synced.record) == (None, None)
    assert (found.last_synced_at, found.record) == (NOW, record)
    assert found.last_synced_at.tzinfo is not None  # type: ignore[union-attr]
    assert (unknown.last_synced_at, unknown.record) == (NOW, None)


def test_the_block_reads_one_snapshot(database: Database) -> None:
    record = make_certificate(_key(1), balance=100_000)
    with database.write() as work:
        work.certificates.upsert_many([record])
        work.sync_state.save(SyncState(cursor=1, last_synced_at=NOW))

    with database.read_rows() as reads:
        before = reads.certificate(record.lookup_key)
        with database.write() as work:  # a sync commits in the middle of the check
            work.certificates.upsert_many([dataclasses.replace(record, balance_current=0)])
            work.sync_state.save(SyncState(cursor=2, last_synced_at=NOW + timedelta(minutes=1)))
        during = reads.certificate(record.lookup_key)
    with database.read_rows() as reads:
        after = reads.certificate(record.lookup_key)

    assert during == before
    assert after.last_synced_at == NOW + timedelta(minutes=1)
    assert after.record is not None and after.record.balance_current == 0
