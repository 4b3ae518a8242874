"""Check digits of ИНН, ОГРН, КПП, БИК and bank accounts, and the whole requisites profile."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from desktop_app.domain.organization import OrganizationProfile, PaymentAgreement
from desktop_app.domain.requisites import (
    bik_error,
    correspondent_account_error,
    inn_error,
    kpp_error,
    ogrn_error,
    settlement_account_error,
    validate_requisites,
)

# Reference implementations written from the published algorithms, independently of the module under test.
_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _weighted_remainder(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11


def _account_key(prefix: str, account: str) -> str:
    """The account with its control key (digit 9) set, per the Bank of Russia's procedure № 515."""
    zeroed = account[:8] + "0" + account[9:]
    weights = (7, 1, 3) * 8
    total = sum(int(d) * w % 10 for d, w in zip(prefix + zeroed, weights, strict=False))
    return zeroed[:8] + str(total % 10 * 3 % 10) + zeroed[9:]


VALID_ORGANIZATION_INN = "4205012340"
VALID_PERSON_INN = "420512345675"
VALID_OGRN = "1024205123458"
VALID_OGRNIP = "318420500012345"
SBERBANK_KEMEROVO_BIK = "043207612"
SBERBANK_KEMEROVO_CORRESPONDENT = "30101810200000000612"
SETTLEMENT = "40703810926000012345"


def test_the_fixture_numbers_follow_the_reference_algorithms() -> None:
    assert _weighted_remainder(VALID_ORGANIZATION_INN, _INN10) % 10 == 0
    assert int(VALID_OGRN[:12]) % 11 % 10 == 8
    assert _account_key(SBERBANK_KEMEROVO_BIK[-3:], SETTLEMENT) == SETTLEMENT
    assert _account_key("0" + SBERBANK_KEMEROVO_BIK[4:6], SBERBANK_KEMEROVO_CORRESPONDENT) == (
        SBERBANK_KEMEROVO_CORRESPONDENT
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (VALID_ORGANIZATION_INN, None),
        (VALID_PERSON_INN, None),
        ("7707083893", None),  # ПАО Сбербанк
        ("", "Укажите ИНН."),
        ("4205012341", "не сходится контрольная цифра"),
        ("420512345676", "не сходится контрольная цифра"),
        ("420512345665", "не сходится контрольная цифра"),
        ("42050", "10 или 12 цифр, а введено знаков: 5"),
        ("42050123400", "10 или 12 цифр"),
        ("4205 12340", "только из цифр"),
        ("42О5012340", "только из цифр"),  # a Cyrillic «О» for a zero
    ],
)
def test_inn(value: str, expected: str | None) -> None:
    message = inn_error(value)
    if expected is None:
        assert message is None
    else:
        assert message is not None
        assert expected in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (VALID_OGRN, None),
        (VALID_OGRNIP, None),
        ("1027700132195", None),  # ПАО Сбербанк
        ("", "Укажите ОГРН."),
        ("1024205123457", "ОГРН введён с ошибкой"),
        ("318420500012346", "ОГРНИП введён с ошибкой"),
        ("10242051234", "13 или 15 цифр"),
    ],
)
def test_ogrn(value: str, expected: str | None) -> None:
    message = ogrn_error(value)
    assert (message is None) if expected is None else (message is not None and expected in message)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("420501001", True), ("7736AB001", True), ("7736ab001", False), ("42050100", False), ("4205010011", False)],
)
def test_kpp(value: str, valid: bool) -> None:
    assert (kpp_error(value) is None) is valid


def test_bik() -> None:
    assert bik_error(SBERBANK_KEMEROVO_BIK) is None
    assert bik_error("04320761") == "БИК — 9 цифр, а введено знаков: 8."
    assert bik_error("") == "Укажите БИК."


@pytest.mark.parametrize(
    ("account", "bik", "valid"),
    [
        (SETTLEMENT, SBERBANK_KEMEROVO_BIK, True),
        ("40702810226000054321", SBERBANK_KEMEROVO_BIK, True),
        ("40602810700000000025", "049805746", True),  # the Bank of Russia's own worked example
        ("40702810326000054321", SBERBANK_KEMEROVO_BIK, False),
        (SETTLEMENT, "044525225", False),  # the right account with another bank's БИК
        ("4070381092600001234", SBERBANK_KEMEROVO_BIK, False),
    ],
)
def test_settlement_account(account: str, bik: str, valid: bool) -> None:
    assert (settlement_account_error(account, bik) is None) is valid


def test_a_settlement_account_message_names_the_bik() -> None:
    message = settlement_account_error("40702810326000054321", SBERBANK_KEMEROVO_BIK)
    assert message == "Расчётный счёт не соответствует БИК: не сходится контрольный ключ. Проверьте счёт и БИК банка."


@pytest.mark.parametrize(
    ("account", "bik", "valid"),
    [
        (SBERBANK_KEMEROVO_CORRESPONDENT, SBERBANK_KEMEROVO_BIK, True),
        ("30101810400000000225", "044525225", True),  # ПАО Сбербанк, Москва
        ("30101810800000000746", "049805000", True),  # the Bank of Russia's own worked example
        ("30101810300000000612", SBERBANK_KEMEROVO_BIK, False),
        (SBERBANK_KEMEROVO_CORRESPONDENT, "044525225", False),
    ],
)
def test_correspondent_account(account: str, bik: str, valid: bool) -> None:
    assert (correspondent_account_error(account, bik) is None) is valid


def test_an_account_is_not_blamed_for_a_broken_bik() -> None:
    assert settlement_account_error(SETTLEMENT, "04320") is None
    assert correspondent_account_error(SBERBANK_KEMEROVO_CORRESPONDENT, "04320") is None


# ---------------------------------------------------------------- any single changed digit is caught


def _change_digit(number: str, position: int, shift: int) -> str:
    digit = (int(number[position]) + shift) % 10
    return number[:position] + str(digit) + number[position + 1 :]


@given(st.text("0123456789", min_size=9, max_size=9), st.integers(0, 9), st.integers(1, 9))
def test_a_changed_digit_of_an_organization_inn_is_caught(body: str, position: int, shift: int) -> None:
    remainder = _weighted_remainder(body, _INN10)
    inn = body + str(remainder % 10)
    assert inn_error(inn) is None
    # The algorithm maps remainders 0 and 10 to the same check digit, so a change between them slips by.
    assume(remainder not in (0, 10) or position == 9)
    assert inn_error(_change_digit(inn, position, shift)) is not None


@given(st.text("0123456789", min_size=10, max_size=10), st.integers(0, 11), st.integers(1, 9))
def test_a_changed_digit_of_a_person_inn_is_caught(body: str, position: int, shift: int) -> None:
    first = _weighted_remainder(body, _INN11)
    second = _weighted_remainder(body + str(first % 10), _INN12)
    inn = body + str(first % 10) + str(second % 10)
    assert inn_error(inn) is None
    assume(position >= 10 or (first not in (0, 10) and second not in (0, 10)))
    assert inn_error(_change_digit(inn, position, shift)) is not None


@given(st.text("0123456789", min_size=12, max_size=12), st.integers(0, 12), st.integers(1, 9))
def test_a_changed_digit_of_an_ogrn_is_caught(body: str, position: int, shift: int) -> None:
    assume(body[0] != "0")
    remainder = int(body) % 11
    ogrn = body + str(remainder % 10)
    assert ogrn_error(ogrn) is None
    assume(remainder not in (0, 10) or position == 12)
    changed = _change_digit(ogrn, position, shift)
    assert ogrn_error(changed) is not None


@given(st.text("0123456789", min_size=20, max_size=20), st.integers(0, 19), st.integers(1, 9))
def test_a_changed_digit_of_a_settlement_account_is_caught(digits: str, position: int, shift: int) -> None:
    account = _account_key(SBERBANK_KEMEROVO_BIK[-3:], digits)
    assert settlement_account_error(account, SBERBANK_KEMEROVO_BIK) is None
    changed = _change_digit(account, position, shift)
    # A treasury account («03…») is checked against two bank numbers, so a changed digit may fit the other one.
    assume(not changed.startswith("03"))
    assert settlement_account_error(changed, SBERBANK_KEMEROVO_BIK) is not None


@given(st.text("0123456789", min_size=20, max_size=20), st.integers(0, 19), st.integers(1, 9))
def test_a_changed_digit_of_a_correspondent_account_is_caught(digits: str, position: int, shift: int) -> None:
    account = _account_key("0" + SBERBANK_KEMEROVO_BIK[4:6], digits)
    assert correspondent_account_error(account, SBERBANK_KEMEROVO_BIK) is None
    changed = _change_digit(account, position, shift)
    assert correspondent_account_error(changed, SBERBANK_KEMEROVO_BIK) is not None


def test_the_known_blind_spot_of_the_inn_algorithm() -> None:
    """Remainders 0 and 10 share the check digit 0: such a change passes, in our code as in the tax office's."""
    body = next(f"{n:09d}" for n in range(10**6) if _weighted_remainder(f"{n:09d}", _INN10) == 10)
    inn = body + "0"
    sibling = next(
        _change_digit(inn, position, shift)
        for position in range(9)
        for shift in range(1, 10)
        if _weighted_remainder(_change_digit(inn, position, shift)[:9], _INN10) == 0
    )
    assert inn_error(inn) is None
    assert inn_error(sibling) is None


# ---------------------------------------------------------------- the whole profile


def _valid_profile() -> OrganizationProfile:
    return OrganizationProfile(
        full_name="Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества № 2»",
        short_name="МБУ ДО «Дом детского творчества № 2»",
        inn=VALID_ORGANIZATION_INN,
        kpp="420501001",
        ogrn=VALID_OGRN,
        license_number="Л035-01234-42/00567890",
        license_date=date(2016, 3, 14),
        license_issuer="Министерство образования Кузбасса",
        legal_address="650000, г. Кемерово, ул. Весенняя, д. 17",
        actual_address="650000, г. Кемерово, ул. Весенняя, д. 17",
        bank_name="Кемеровское отделение № 8615 ПАО Сбербанк",
        bik=SBERBANK_KEMEROVO_BIK,
        settlement_account=SETTLEMENT,
        correspondent_account=SBERBANK_KEMEROVO_CORRESPONDENT,
        signatory_name="Ершова Татьяна Викторовна",
        signatory_position="директор",
        signatory_basis="Устава",
        payment_agreements=(PaymentAgreement("Управление образования г. Кемерово", "ПФ-42/017", date(2026, 1, 20)),),
    )


def test_a_valid_profile_has_no_problems() -> None:
    assert validate_requisites(_valid_profile()) == []


def test_an_empty_profile_lists_every_field_in_order() -> None:
    fields = [error.field for error in validate_requisites(OrganizationProfile())]
    assert fields == [
        "full_name",
        "short_name",
        "inn",
        "kpp",
        "ogrn",
        "license_number",
        "license_date",
        "license_issuer",
        "legal_address",
        "actual_address",
        "bank_name",
        "bik",
        "settlement_account",
        "correspondent_account",
        "signatory_name",
        "signatory_position",
        "signatory_basis",
    ]


def test_an_individual_entrepreneur_has_no_kpp_and_a_15_digit_ogrnip() -> None:
    entrepreneur = dataclasses.replace(_valid_profile(), inn=VALID_PERSON_INN, kpp="", ogrn=VALID_OGRNIP)
    assert validate_requisites(entrepreneur) == []
    with_kpp = dataclasses.replace(entrepreneur, kpp="420501001")
    assert [error.field for error in validate_requisites(with_kpp)] == ["kpp"]
    with_ogrn = dataclasses.replace(entrepreneur, ogrn=VALID_OGRN)
    assert [error.message for error in validate_requisites(with_ogrn)] == [
        "У индивидуального предпринимателя ОГРНИП — 15 цифр."
    ]


def test_an_organization_with_an_ogrnip_is_told() -> None:
    profile = dataclasses.replace(_valid_profile(), ogrn=VALID_OGRNIP)
    assert [error.field for error in validate_requisites(profile)] == ["ogrn"]


def test_a_payment_agreement_needs_a_payer_and_a_number() -> None:
    profile = dataclasses.replace(_valid_profile(), payment_agreements=(PaymentAgreement(" ", "", date(2026, 1, 1)),))
    assert [error.field for error in validate_requisites(profile)] == [
        "payment_agreements[0].payer_name",
        "payment_agreements[0].number",
    ]


def test_the_agreement_is_found_by_the_payer_code() -> None:
    first = PaymentAgreement("Управление образования г. Кемерово", "ПФ-1", date(2026, 1, 20), payer_code="01")
    second = PaymentAgreement("Управление образования г. Новокузнецка", "ПФ-2", date(2026, 2, 1), payer_code="02")
    profile = dataclasses.replace(_valid_profile(), payment_agreements=(first, second))
    assert profile.agreement_with("02") == second
    assert profile.agreement_with("03") is None
    lone = dataclasses.replace(_valid_profile(), payment_agreements=(PaymentAgreement("УО", "1", date(2026, 1, 1)),))
    assert lone.agreement_with("77") == lone.payment_agreements[0]
