"""Gathering the documents' data: refusals with a message for the clerk, the number, the verification code."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest

from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.organization import OrganizationProfile
from desktop_app.domain.program import Group, Module, Program
from desktop_app.errors import ExpectedError
from reports.formatting import amount_with_words, capitalize_first, hours_phrase, initials, long_date, markup
from reports.model import DocumentDataError, build_contract_document, verification_code
from tests.reports.builders import (
    DOCUMENT_DATE,
    make_contract,
    make_group,
    make_module,
    make_organization,
    make_program,
)


def _parts() -> tuple[OrganizationProfile, Contract, Program, Module, Group]:
    group = make_group()
    module = make_module(group)
    return make_organization(), make_contract(module, group), make_program(module), module, group


def test_the_document_takes_the_agreement_of_the_certificates_payer() -> None:
    organization, contract, program, module, group = _parts()
    document = build_contract_document(organization, contract, program, module, group, document_date=DOCUMENT_DATE)
    assert document.payment_agreement == organization.payment_agreements[0]
    assert document.place == "г. Кемерово"
    assert document.payment_due_day == 10
    assert sum(payment.total for payment in document.schedule) == contract.price
    assert document.program.schedule_lines == ("понедельник, 16:00–17:30, каб. 12", "четверг, 16:00–17:30, каб. 12")


def test_invalid_requisites_refuse_with_the_problems() -> None:
    organization, contract, program, module, group = _parts()
    broken = dataclasses.replace(organization, inn="4205012341", signatory_name="")
    with pytest.raises(DocumentDataError) as caught:
        build_contract_document(broken, contract, program, module, group, document_date=DOCUMENT_DATE)
    assert isinstance(caught.value, ExpectedError)
    assert caught.value.user_message == (
        "Заполните реквизиты организации, прежде чем печатать договор. ИНН введён с ошибкой: не сходится "
        "контрольная цифра. Сверьте его со свидетельством. Укажите ФИО подписанта договоров."
    )


def test_many_problems_are_summarised() -> None:
    organization, contract, program, module, group = _parts()
    empty = dataclasses.replace(organization, inn="", kpp="", ogrn="", bik="", bank_name="")
    with pytest.raises(DocumentDataError, match=r"И ещё замечаний: \d+\.$"):
        build_contract_document(empty, contract, program, module, group, document_date=DOCUMENT_DATE)


def test_the_place_is_the_settlement_of_the_organizations_address() -> None:
    organization, contract, program, module, group = _parts()
    elsewhere = dataclasses.replace(
        organization, actual_address="654000, Кемеровская обл., г. Новокузнецк, ул. Кирова, 5"
    )
    nowhere = dataclasses.replace(organization, actual_address="ул. Кирова, 5", legal_address="ул. Кирова, 5")
    parts = (contract, program, module, group)
    assert build_contract_document(elsewhere, *parts, document_date=DOCUMENT_DATE).place == "г. Новокузнецк"
    assert build_contract_document(nowhere, *parts, document_date=DOCUMENT_DATE).place == "г. Кемерово"
    given = build_contract_document(elsewhere, *parts, document_date=DOCUMENT_DATE, place="г. Белово")
    assert given.place == "г. Белово"


def test_money_from_the_certificate_needs_an_agreement_with_its_payer() -> None:
    organization, contract, program, module, group = _parts()
    other_payer = dataclasses.replace(contract, certificate_number="4202123456")
    with pytest.raises(DocumentDataError, match="Не найдено соглашение с уполномоченной организацией"):
        build_contract_document(organization, other_payer, program, module, group, document_date=DOCUMENT_DATE)


def test_amounts_that_do_not_add_up_are_refused() -> None:
    organization, contract, program, module, group = _parts()
    wrong = dataclasses.replace(contract, co_payment=contract.co_payment + 1)
    with pytest.raises(DocumentDataError, match="части оплаты не сходятся"):
        build_contract_document(organization, wrong, program, module, group, document_date=DOCUMENT_DATE)


def test_a_program_without_a_direction_is_refused() -> None:
    organization, contract, program, module, group = _parts()
    draft_program = dataclasses.replace(program, direction=None)
    with pytest.raises(DocumentDataError, match="не указаны направленность"):
        build_contract_document(organization, contract, draft_program, module, group, document_date=DOCUMENT_DATE)


@pytest.mark.parametrize(
    ("status", "number", "expected", "draft"),
    [
        (ContractStatus.PENDING, None, "Л-0007", True),
        (ContractStatus.REJECTED, None, "Л-0007", True),
        (ContractStatus.REQUESTED, "17-ПФ", "17-ПФ", False),
        (ContractStatus.ACTIVE, "17-ПФ", "17-ПФ", False),
    ],
)
def test_the_number_printed(status: ContractStatus, number: str | None, expected: str, draft: bool) -> None:
    organization, contract, program, module, group = _parts()
    contract = dataclasses.replace(contract, status=status, number=number)
    document = build_contract_document(organization, contract, program, module, group, document_date=DOCUMENT_DATE)
    assert (document.number, document.is_draft) == (expected, draft)
    assert document.number in document.qr_payload


def test_the_verification_code_is_short_stable_and_tied_to_the_figures() -> None:
    _, contract, *_ = _parts()
    code = verification_code(contract)
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    assert verification_code(contract) == code
    assert verification_code(dataclasses.replace(contract, price=contract.price + 100)) != code
    assert verification_code(dataclasses.replace(contract, number="18-ПФ")) != code


def test_formatting_helpers() -> None:
    assert long_date(date(2026, 9, 1)) == "«01»\u00a0сентября 2026\u00a0г."
    assert initials("Соколова-Ёлкина Анна Петровна") == "Соколова-Ёлкина А.\u00a0П."
    assert initials("Хан") == "Хан"
    assert hours_phrase(1) == "1\u00a0академический час"
    assert hours_phrase(72) == "72\u00a0академических часа"
    assert hours_phrase(144) == "144\u00a0академических часа"
    assert hours_phrase(36) == "36\u00a0академических часов"
    assert amount_with_words(120_000) == "1\u00a0200,00\u00a0₽ (одна тысяча двести рублей 00 копеек)"
    assert capitalize_first("одна тысяча двести рублей 00 копеек") == "Одна тысяча двести рублей 00 копеек"
    assert markup("ООО «Рога & Копыта» <b>") == "ООО «Рога &amp; Копыта» &lt;b&gt;"
    assert markup("№ 5") == "№\u00a05"
