"""Tests of the contract repository and of the rules the database itself enforces on contracts."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.program import Program
from desktop_app.storage.database import Database
from tests.storage.builders import NOW, make_contract, row_count


def _save(database: Database, *contracts: Contract) -> None:
    with database.write() as work:
        for contract in contracts:
            work.contracts.save(contract, NOW)


def test_a_saved_contract_comes_back_equal(database: Database, saved_program: Program) -> None:
    contract = dataclasses.replace(make_contract(saved_program, module_index=1), number="17-ПФ")

    _save(database, contract)

    with database.read() as work:
        assert work.contracts.get(contract.id) == contract
        assert work.contracts.get(uuid.uuid4()) is None


def test_status_update_overwrites_the_stored_contract(database: Database, saved_program: Program) -> None:
    contract = make_contract(saved_program)
    _save(database, contract)
    accepted = dataclasses.replace(contract, status=ContractStatus.REQUESTED, number="17-ПФ")

    with database.write() as work:
        work.contracts.save(accepted, NOW + timedelta(minutes=5))

    with database.read() as work:
        assert work.contracts.get(contract.id) == accepted
        assert work.contracts.list_all() == [accepted]
    assert row_count(database.path, "contracts") == 1


def test_open_on_module_returns_only_open_contracts_of_that_certificate_and_module(
    database: Database, saved_program: Program
) -> None:
    certificate, other_certificate = "5900123456", "5900654321"
    module_id = saved_program.modules[0].id
    by_status = {
        status: make_contract(saved_program, status=status, certificate_number=certificate) for status in ContractStatus
    }
    on_other_module = make_contract(saved_program, module_index=1, certificate_number=certificate)
    of_other_certificate = make_contract(saved_program, certificate_number=other_certificate)
    _save(database, *by_status.values(), on_other_module, of_other_certificate)
    open_statuses = {status for status in ContractStatus if status.is_open}
    assert ContractStatus.PENDING in open_statuses
    assert ContractStatus.CLOSED not in open_statuses

    with database.read() as work:
        found = work.contracts.open_on_module(certificate, module_id)
        assert work.contracts.open_on_module("5900000000", module_id) == []

    assert {contract.id for contract in found} == {by_status[status].id for status in open_statuses}
    assert all(contract == by_status[contract.status] for contract in found)


def test_list_all_is_newest_first(database: Database, saved_program: Program) -> None:
    oldest, middle, newest = (make_contract(saved_program) for _ in range(3))
    with database.write() as work:
        work.contracts.save(middle, NOW + timedelta(days=1))
        work.contracts.save(newest, NOW + timedelta(days=2))
        work.contracts.save(oldest, NOW)
    with database.write() as work:  # an update keeps the contract where it was made
        work.contracts.save(dataclasses.replace(oldest, status=ContractStatus.REQUESTED), NOW + timedelta(days=3))

    with database.read() as work:
        listed = work.contracts.list_all()

    assert [contract.id for contract in listed] == [newest.id, middle.id, oldest.id]


@pytest.mark.parametrize(
    ("split", "constraint"),
    [
        ((1_000_000, 900_000, 99_999), "ck_contracts_split_sums_to_price"),
        ((1_000_000, 1_100_000, -100_000), "ck_contracts_amounts_not_negative"),
        ((-100, -100, 0), "ck_contracts_amounts_not_negative"),
    ],
    ids=["split-does-not-add-up", "negative-co-payment", "negative-price"],
)
def test_the_database_refuses_a_wrong_price_split(
    database: Database, saved_program: Program, split: tuple[int, int, int], constraint: str
) -> None:
    price, from_certificate, co_payment = split
    contract = make_contract(saved_program, price=price, from_certificate=from_certificate, co_payment=co_payment)

    with pytest.raises(IntegrityError, match=constraint), database.write() as work:
        work.contracts.save(contract, NOW)

    assert row_count(database.path, "contracts") == 0


def test_the_database_refuses_a_contract_that_ends_before_it_starts(database: Database, saved_program: Program) -> None:
    contract = make_contract(saved_program, start_date=date(2027, 1, 1), end_date=date(2026, 12, 31))

    with pytest.raises(IntegrityError, match="ck_contracts_dates"), database.write() as work:
        work.contracts.save(contract, NOW)

    assert row_count(database.path, "contracts") == 0


@pytest.mark.parametrize("reference", ["group_id", "module_id", "program_id"])
def test_the_database_refuses_a_contract_on_something_that_does_not_exist(
    database: Database, saved_program: Program, reference: str
) -> None:
    contract = dataclasses.replace(make_contract(saved_program), **{reference: uuid.uuid4()})

    with pytest.raises(IntegrityError, match="FOREIGN KEY"), database.write() as work:
        work.contracts.save(contract, NOW)

    assert row_count(database.path, "contracts") == 0


@pytest.mark.parametrize("field", ["provisional_number", "number"])
def test_the_database_refuses_a_second_contract_with_the_same_number(
    database: Database, saved_program: Program, field: str
) -> None:
    first, second = (
        dataclasses.replace(make_contract(saved_program), provisional_number=f"Л-{index}", number=f"{index}-ПФ")
        for index in (1, 2)
    )
    _save(database, first)

    with pytest.raises(IntegrityError, match="UNIQUE"), database.write() as work:
        work.contracts.save(dataclasses.replace(second, **{field: getattr(first, field)}), NOW)

    with database.read() as work:
        assert work.contracts.list_all() == [first]


def test_many_contracts_may_wait_for_their_number(database: Database, saved_program: Program) -> None:
    unnumbered = [make_contract(saved_program) for _ in range(3)]
    assert all(contract.number is None for contract in unnumbered)

    _save(database, *unnumbered)

    assert row_count(database.path, "contracts") == 3
