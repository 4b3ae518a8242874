"""Realistic Russian data for the documents: an organization in Kemerovo, a parent, a child, a program."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, time

from desktop_app.domain.age import AgeRange
from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.organization import OrganizationProfile, PaymentAgreement
from desktop_app.domain.pricing import ContractTerms, split_price
from desktop_app.domain.program import (
    CertificationStatus,
    Direction,
    Group,
    Level,
    Module,
    Program,
    ProgramKind,
    ScheduleEntry,
    StudyForm,
    Weekday,
)
from reports.model import ContractDocument, build_contract_document

DOCUMENT_DATE = date(2026, 8, 25)
CERTIFICATE_NUMBER = "4201123456"  # region 42, payer 01

LONG_PROGRAM_NAME = (
    "Дополнительная общеобразовательная общеразвивающая программа художественной направленности "
    "«Мастерская юного художника-иллюстратора: от карандашного наброска и акварельного этюда "
    "до книжной графики, плаката и цифровой иллюстрации для детей 10–12 лет»"
)
assert len(LONG_PROGRAM_NAME) == 250, len(LONG_PROGRAM_NAME)

LONG_ADDRESS = (
    "650066, Российская Федерация, Кемеровская область — Кузбасс, Кемеровский городской округ, город "
    "Кемерово, Заводский район, улица Патриотов, дом 38, корпус 2, строение 1, подъезд 3, этаж 4, "
    "квартира 117 (вход со стороны двора, код домофона 117В)"
)


def make_organization() -> OrganizationProfile:
    return OrganizationProfile(
        full_name="Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества № 2»",
        short_name="МБУ ДО «Дом детского творчества № 2»",
        inn="4205012340",
        kpp="420501001",
        ogrn="1024205123458",
        license_number="Л035-01234-42/00567890",
        license_date=date(2016, 3, 14),
        license_issuer="Министерство образования Кузбасса",
        legal_address="650000, Кемеровская область — Кузбасс, г. Кемерово, ул. Весенняя, д. 17",
        actual_address="650000, Кемеровская область — Кузбасс, г. Кемерово, ул. Весенняя, д. 17, корп. 2",
        bank_name="Кемеровское отделение № 8615 ПАО Сбербанк",
        bik="043207612",
        settlement_account="40703810926000012345",
        correspondent_account="30101810200000000612",
        signatory_name="Ершова Татьяна Викторовна",
        signatory_position="директор",
        signatory_basis="Устава",
        payment_agreements=(
            PaymentAgreement(
                payer_name="Управление образования администрации города Кемерово",
                number="ПФ-42/017",
                signed_on=date(2026, 1, 20),
                payer_code="01",
            ),
        ),
    )


def make_group(start: date = date(2026, 9, 1), end: date = date(2027, 5, 31)) -> Group:
    address = "г. Кемерово, ул. Весенняя, д. 17, корп. 2"
    return Group(
        id=uuid.UUID(int=3),
        name="Акварель-1 (младшая)",
        teacher="Иванова Мария Петровна",
        start_date=start,
        end_date=end,
        capacity=12,
        schedule=(
            ScheduleEntry(uuid.UUID(int=5), Weekday.THURSDAY, time(16, 0), time(17, 30), "каб. 12", address),
            ScheduleEntry(uuid.UUID(int=4), Weekday.MONDAY, time(16, 0), time(17, 30), "каб. 12", address),
        ),
    )


def make_module(group: Group) -> Module:
    return Module(
        id=uuid.UUID(int=2),
        name="Первый год обучения",
        months=9,
        hours=144,
        min_group_size=5,
        max_group_size=15,
        price=1_296_000,
        normative=1_080_000,
        groups=(group,),
    )


def make_program(module: Module, full_name: str = "Мастерская юного художника") -> Program:
    return Program(
        id=uuid.UUID(int=1),
        full_name=full_name,
        short_name="Мастерская юного художника",
        direction=Direction.ARTS,
        kind=ProgramKind.GENERAL_DEVELOPMENTAL,
        form=StudyForm.FULL_TIME,
        level=Level.BASIC,
        age_range=AgeRange(7 * 12, 13 * 12),
        duration_months=9,
        final_document="свидетельство об обучении",
        addresses=("г. Кемерово, ул. Весенняя, д. 17, корп. 2",),
        status=CertificationStatus.CERTIFIED,
        modules=(module,),
    )


def make_contract(
    module: Module,
    group: Group,
    *,
    accepted: bool = True,
    period_end: date = date(2027, 5, 31),
    balance: int = 900_000,
) -> Contract:
    split = split_price(
        ContractTerms(
            module_price=module.price,
            module_normative=module.normative or 0,
            group_start=group.start_date,
            group_end=group.end_date,
            contract_start=group.start_date,
            period_end=period_end,
            certificate_balance=balance,
        )
    )
    return Contract(
        id=uuid.UUID(int=7),
        provisional_number="Л-0007",
        number="17-ПФ" if accepted else None,
        status=ContractStatus.CONFIRMED if accepted else ContractStatus.PENDING,
        certificate_number=CERTIFICATE_NUMBER,
        child_full_name="Соколов-Ёлкин Фёдор Игоревич",
        child_birth_date=date(2016, 4, 12),
        parent_full_name="Соколова-Ёлкина Анна Петровна",
        program_id=uuid.UUID(int=1),
        module_id=module.id,
        group_id=group.id,
        start_date=split.contract_start,
        end_date=split.contract_end,
        price=split.price,
        from_certificate=split.from_certificate,
        co_payment=split.co_payment,
        normative=split.normative,
        child_surname="Соколов-Ёлкин",
        child_address="650021, г. Кемерово, ул. Волгоградская, д. 5, кв. 48",
        parent_phone="+7 913 123-45-67",
        parent_email="sokolova-elkina@example.ru",
        parent_address="650021, г. Кемерово, ул. Волгоградская, д. 5, кв. 48",
        parent_document="паспорт 32 15 № 654321, выдан ГУ МВД России по Кемеровской области 12.05.2015",
    )


def make_document(
    *,
    accepted: bool = True,
    program_name: str = "Мастерская юного художника",
    group_end: date = date(2027, 5, 31),
    long_texts: bool = False,
) -> ContractDocument:
    group = make_group(end=group_end)
    module = make_module(group)
    program = make_program(module, program_name)
    contract = make_contract(module, group, accepted=accepted, period_end=group_end)
    organization = make_organization()
    if long_texts:
        organization = dataclasses.replace(organization, legal_address=LONG_ADDRESS, actual_address=LONG_ADDRESS)
        contract = dataclasses.replace(contract, parent_address=LONG_ADDRESS, child_address=LONG_ADDRESS)
    return build_contract_document(organization, contract, program, module, group, document_date=DOCUMENT_DATE)
