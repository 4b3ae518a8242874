"""Tests of the offline certificate mirror: upserts, look-ups by keyed hash, removals and large pages."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

from desktop_app.domain.certificate import CertificateKind, CertificateRecord
from desktop_app.storage.database import Database
from tests.storage.builders import make_certificate, row_count


def _key(number: int) -> str:
    return hashlib.sha256(f"сертификат {number}".encode()).hexdigest()


def test_upsert_inserts_new_entries(database: Database) -> None:
    records = [make_certificate(_key(number), balance=number * 1000) for number in range(3)]

    with database.write() as work:
        work.certificates.upsert_many(records)

    with database.read() as work:
        assert work.certificates.count() == 3
        for record in records:
            assert work.certificates.find(record.lookup_key) == record


def test_upsert_refreshes_existing_entries_and_adds_new_ones(database: Database) -> None:
    first, second = make_certificate(_key(1)), make_certificate(_key(2))
    with database.write() as work:
        work.certificates.upsert_many([first, second])
    refreshed = CertificateRecord(
        lookup_key=first.lookup_key,
        kind=CertificateKind.ACCOUNTING,
        birth_date=date(2015, 1, 31),
        frozen=True,
        balance_current=0,
        balance_next=7,
        payer_code="60",
    )
    third = make_certificate(_key(3))

    with database.write() as work:
        work.certificates.upsert_many(iter([refreshed, third]))

    with database.read() as work:
        assert work.certificates.find(first.lookup_key) == refreshed
        assert work.certificates.find(second.lookup_key) == second
        assert work.certificates.find(third.lookup_key) == third
        assert work.certificates.count() == 3


def test_find_of_an_unknown_key_is_none(database: Database) -> None:
    with database.write() as work:
        work.certificates.upsert_many([make_certificate(_key(1))])

    with database.read() as work:
        assert work.certificates.find(_key(2)) is None


def test_remove_drops_only_the_given_entries(database: Database) -> None:
    records = [make_certificate(_key(number)) for number in range(4)]
    with database.write() as work:
        work.certificates.upsert_many(records)

    with database.write() as work:
        work.certificates.remove(iter([records[0].lookup_key, records[2].lookup_key, _key(99)]))
        work.certificates.remove([])

    with database.read() as work:
        assert work.certificates.count() == 2
        assert work.certificates.find(records[0].lookup_key) is None
        assert work.certificates.find(records[2].lookup_key) is None
        assert work.certificates.find(records[1].lookup_key) == records[1]
        assert work.certificates.find(records[3].lookup_key) == records[3]


def test_an_empty_page_changes_nothing(database: Database) -> None:
    with database.write() as work:
        work.certificates.upsert_many([])

    with database.read() as work:
        assert work.certificates.count() == 0


def test_ten_thousand_entries_in_one_call(database: Database) -> None:
    records = [make_certificate(_key(number), balance=number) for number in range(10_000)]

    with database.write() as work:
        work.certificates.upsert_many(records)
    with database.write() as work:  # the same page again, with new balances: all updates, no new rows
        work.certificates.upsert_many(dataclasses.replace(record, balance_current=-1) for record in records)

    with database.read() as work:
        assert work.certificates.count() == 10_000
        assert work.certificates.find(records[0].lookup_key) == dataclasses.replace(records[0], balance_current=-1)
        assert work.certificates.find(records[9_999].lookup_key) == dataclasses.replace(
            records[9_999], balance_current=-1
        )
    assert row_count(database.path, "certificate_mirror") == 10_000
