"""Checks of the organization's requisites (реквизиты): ИНН, КПП, ОГРН, БИК and bank accounts.

Each ``*_error`` function returns a Russian message for the organization admin, or ``None`` when the value
is valid. Check digits follow the published algorithms: ИНН and ОГРН/ОГРНИП of the Federal Tax Service, the
control key of a bank account of the Bank of Russia (Порядок расчёта контрольного ключа, № 515 of
8.09.1997). ``validate_requisites`` checks a whole profile as the contract needs it.
"""

from __future__ import annotations

import dataclasses
import re

from desktop_app.domain.organization import OrganizationProfile
from desktop_app.domain.validation import FieldError

ORGANIZATION_INN_LENGTH = 10
PERSON_INN_LENGTH = 12
OGRN_LENGTH = 13
OGRNIP_LENGTH = 15
BIK_LENGTH = 9
ACCOUNT_LENGTH = 20

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_ACCOUNT_WEIGHTS = ((7, 1, 3) * 8)[:23]  # 3 digits of the bank number + 20 of the account
# КПП: tax office code (4 digits), reason code (2 digits or capital Latin letters since 2013), number (3 digits).
_KPP = re.compile(r"\d{4}[\dA-Z]{2}\d{3}")
# Divisions of the Bank of Russia (РКЦ) have БИКs ending in 000–002; their accounts take the РКЦ's number.
_BANK_OF_RUSSIA_DIVISION_ENDINGS = frozenset({"000", "001", "002"})
_TREASURY_ACCOUNT_PREFIX = "03"


def _digits_problem(value: str, what: str, lengths: tuple[int, ...]) -> str | None:
    """A message when the value is empty, has other characters than digits, or has a wrong length."""
    if not value:
        return f"Укажите {what}."
    if not (value.isascii() and value.isdigit()):
        return f"{_capitalized(what)} состоит только из цифр, без пробелов и других знаков."
    if len(value) not in lengths:
        expected = " или ".join(str(length) for length in lengths)
        return f"{_capitalized(what)} — {expected} цифр, а введено знаков: {len(value)}."
    return None


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _weighted_check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=False)) % 11 % 10


def inn_error(inn: str) -> str | None:
    """ИНН: 10 digits for an organization, 12 for an individual entrepreneur, with valid check digits."""
    problem = _digits_problem(inn, "ИНН", (ORGANIZATION_INN_LENGTH, PERSON_INN_LENGTH))
    if problem:
        return problem
    if len(inn) == ORGANIZATION_INN_LENGTH:
        valid = _weighted_check_digit(inn, _INN10_WEIGHTS) == int(inn[9])
    else:
        valid = _weighted_check_digit(inn, _INN12_WEIGHTS_11) == int(inn[10]) and _weighted_check_digit(
            inn, _INN12_WEIGHTS_12
        ) == int(inn[11])
    return None if valid else "ИНН введён с ошибкой: не сходится контрольная цифра. Сверьте его со свидетельством."


def ogrn_error(ogrn: str) -> str | None:
    """ОГРН (13 digits, of an organization) or ОГРНИП (15 digits, of an individual entrepreneur)."""
    problem = _digits_problem(ogrn, "ОГРН", (OGRN_LENGTH, OGRNIP_LENGTH))
    if problem:
        return problem
    divisor = 11 if len(ogrn) == OGRN_LENGTH else 13
    if int(ogrn[:-1]) % divisor % 10 != int(ogrn[-1]):
        what = "ОГРН" if len(ogrn) == OGRN_LENGTH else "ОГРНИП"
        return f"{what} введён с ошибкой: не сходится контрольная цифра. Сверьте его с выпиской из ЕГРЮЛ."
    return None


def kpp_error(kpp: str) -> str | None:
    """КПП: 9 characters — 4 digits, 2 digits or capital Latin letters, 3 digits."""
    if not kpp:
        return "Укажите КПП."
    if len(kpp) != 9:
        return f"КПП — 9 знаков, а введено знаков: {len(kpp)}."
    if not _KPP.fullmatch(kpp):
        return "КПП введён с ошибкой: 9 знаков — 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры."
    return None


def bik_error(bik: str) -> str | None:
    """БИК: 9 digits."""
    return _digits_problem(bik, "БИК", (BIK_LENGTH,))


def _control_key_ok(prefix: str, account: str) -> bool:
    digits = prefix + account
    return sum(int(digit) * weight for digit, weight in zip(digits, _ACCOUNT_WEIGHTS, strict=True)) % 10 == 0


def _bank_of_russia_number(bik: str) -> str:
    """The conditional number of a Bank of Russia division: «0» and digits 5–6 of the БИК."""
    return "0" + bik[4:6]


def settlement_account_error(account: str, bik: str) -> str | None:
    """The settlement account (расчётный счёт): 20 digits whose control key matches the bank's БИК.

    The key is computed over the last three digits of the БИК followed by the account. An account in a
    division of the Bank of Russia takes «0» and digits 5–6 of the БИК instead; for a treasury account
    (казначейский счёт, «03…») either form is accepted, since treasury БИКs are numbered either way.
    """
    problem = _digits_problem(account, "расчётный счёт", (ACCOUNT_LENGTH,))
    if problem:
        return problem
    if bik_error(bik):
        return None  # the БИК's own message says what to fix first
    prefixes = [bik[-3:]]
    if bik[-3:] in _BANK_OF_RUSSIA_DIVISION_ENDINGS:
        prefixes = [_bank_of_russia_number(bik)]
    if account.startswith(_TREASURY_ACCOUNT_PREFIX):
        prefixes = [bik[-3:], _bank_of_russia_number(bik)]
    if any(_control_key_ok(prefix, account) for prefix in prefixes):
        return None
    return "Расчётный счёт не соответствует БИК: не сходится контрольный ключ. Проверьте счёт и БИК банка."


def correspondent_account_error(account: str, bik: str) -> str | None:
    """The bank's correspondent account: 20 digits whose key matches «0» and digits 5–6 of the БИК."""
    problem = _digits_problem(account, "корреспондентский счёт", (ACCOUNT_LENGTH,))
    if problem:
        return problem
    if bik_error(bik):
        return None
    if _control_key_ok(_bank_of_russia_number(bik), account):
        return None
    return "Корреспондентский счёт не соответствует БИК: не сходится контрольный ключ. Проверьте счёт и БИК банка."


_REQUIRED_TEXT = (
    ("full_name", "полное наименование организации"),
    ("short_name", "сокращённое наименование организации"),
    ("license_number", "номер лицензии на образовательную деятельность"),
    ("license_issuer", "орган, выдавший лицензию"),
    ("legal_address", "юридический адрес"),
    ("actual_address", "фактический адрес"),
    ("bank_name", "наименование банка"),
    ("signatory_name", "ФИО подписанта договоров"),
    ("signatory_position", "должность подписанта"),
    ("signatory_basis", "документ, на основании которого действует подписант (например, «Устава»)"),
)


def validate_requisites(profile: OrganizationProfile) -> list[FieldError]:
    """Every problem of the requisites a contract needs, in the order of the fields; empty when valid.

    An individual entrepreneur (12-digit ИНН) has no КПП and has a 15-digit ОГРНИП; an organization
    (10-digit ИНН) has a КПП and a 13-digit ОГРН.
    """
    problems: dict[str, str | None] = {
        name: f"Укажите {what}." for name, what in _REQUIRED_TEXT if not getattr(profile, name).strip()
    }
    if profile.license_date is None:
        problems["license_date"] = "Укажите дату выдачи лицензии."
    problems["inn"] = inn_error(profile.inn)
    problems["kpp"] = _kpp_for(profile)
    problems["ogrn"] = ogrn_error(profile.ogrn) or _ogrn_matches_inn(profile)
    problems["bik"] = bik_error(profile.bik)
    problems["settlement_account"] = settlement_account_error(profile.settlement_account, profile.bik)
    problems["correspondent_account"] = correspondent_account_error(profile.correspondent_account, profile.bik)
    errors = [FieldError(name, message) for name in _FIELD_ORDER if (message := problems.get(name))]
    for index, agreement in enumerate(profile.payment_agreements):
        path = f"payment_agreements[{index}]"
        if not agreement.payer_name.strip():
            errors.append(FieldError(f"{path}.payer_name", "Укажите уполномоченную организацию (плательщика)."))
        if not agreement.number.strip():
            errors.append(FieldError(f"{path}.number", "Укажите номер соглашения с уполномоченной организацией."))
    return errors


def entry_errors(profile: OrganizationProfile) -> list[FieldError]:
    """Problems of what is filled in: a value typed wrong is an error, a field left empty is not (yet).

    The admin may save the requisites in several sittings; ``validate_requisites`` says what a contract
    still needs.
    """
    return [error for error in validate_requisites(profile) if _filled(profile, error.field)]


def _filled(profile: OrganizationProfile, field: str) -> bool:
    value = getattr(profile, field, None)
    return bool(value.strip()) if isinstance(value, str) else value is not None


_FIELD_ORDER = tuple(
    field.name for field in dataclasses.fields(OrganizationProfile) if field.name != "payment_agreements"
)
"""The requisites in the order of the profile (and of the form): problems are listed in it."""


def _is_entrepreneur(profile: OrganizationProfile) -> bool:
    return len(profile.inn) == PERSON_INN_LENGTH


def _kpp_for(profile: OrganizationProfile) -> str | None:
    if _is_entrepreneur(profile):
        return "У индивидуального предпринимателя нет КПП: оставьте поле пустым." if profile.kpp else None
    return kpp_error(profile.kpp)


def _ogrn_matches_inn(profile: OrganizationProfile) -> str | None:
    if inn_error(profile.inn):
        return None
    if _is_entrepreneur(profile) and len(profile.ogrn) != OGRNIP_LENGTH:
        return "У индивидуального предпринимателя ОГРНИП — 15 цифр."
    if not _is_entrepreneur(profile) and len(profile.ogrn) != OGRN_LENGTH:
        return "У организации ОГРН — 13 цифр (15 цифр — у индивидуального предпринимателя)."
    return None
