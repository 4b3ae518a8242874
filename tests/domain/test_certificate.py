"""Tests of desktop_app.domain.certificate: typed numbers, surnames, kinds and the 18th-birthday expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.age import add_months
from desktop_app.domain.certificate import (
    CertificateKind,
    CertificateNumberError,
    CertificateNumberProblem,
    certificate_expires_on,
    is_certificate_expired,
    normalize_certificate_number,
    normalize_surname,
)

MODERATE = settings(max_examples=150, deadline=None)

NUMBER = "4212345678"

# ---------------------------------------------------------------- certificate numbers: accepted


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("4212345678", id="plain"),
        pytest.param(" 42 12 345678 ", id="spaces"),
        pytest.param("42-12-345678", id="hyphens"),
        pytest.param("4212345678\n", id="scanner-enter"),
        pytest.param("4212345678\r\n", id="scanner-crlf"),
        pytest.param("42 12\n345678", id="pasted-newline"),
        pytest.param("42–12–345678", id="en-dash"),
        pytest.param("42—12—345678", id="em-dash"),
        pytest.param("42‑12‑345678", id="non-breaking-hyphen"),
        pytest.param("42−12−345678", id="minus-sign"),
        pytest.param("42\t12\t345678", id="tabs"),
        pytest.param("42\u00a012\u00a0345678", id="no-break-spaces"),
        pytest.param("42.12.345678", id="dots"),
        pytest.param("42_12_345678", id="underscores"),
        pytest.param("42 - 12 - 345678", id="spaced-dashes"),
        pytest.param("\t\n 4 2 1 2 3 4 5 6 7 8 \n", id="every-digit-spaced"),
    ],
)
def test_normalize_accepts_typed_forms(typed: str) -> None:
    assert normalize_certificate_number(typed) == NUMBER


def test_normalize_keeps_leading_zeros() -> None:
    assert normalize_certificate_number("00 00 000001") == "0000000001"


# ---------------------------------------------------------------- certificate numbers: rejected


def _problem(typed: str) -> CertificateNumberError:
    with pytest.raises(CertificateNumberError) as caught:
        normalize_certificate_number(typed)
    return caught.value


@pytest.mark.parametrize(
    ("typed", "problem", "message"),
    [
        pytest.param(
            "421234567",
            CertificateNumberProblem.TOO_SHORT,
            "В номере сертификата 9 цифр, а нужно 10: проверьте, не пропущена ли цифра.",
            id="9-digits",
        ),
        pytest.param(
            "42123456789",
            CertificateNumberProblem.TOO_LONG,
            "В номере сертификата 11 цифр, а нужно 10: проверьте, нет ли лишней цифры.",
            id="11-digits",
        ),
        pytest.param(
            "4",
            CertificateNumberProblem.TOO_SHORT,
            "В номере сертификата 1 цифра, а нужно 10: проверьте, не пропущена ли цифра.",
            id="1-digit",
        ),
        pytest.param(
            "42",
            CertificateNumberProblem.TOO_SHORT,
            "В номере сертификата 2 цифры, а нужно 10: проверьте, не пропущена ли цифра.",
            id="2-digits",
        ),
        pytest.param(
            "4212",
            CertificateNumberProblem.TOO_SHORT,
            "В номере сертификата 4 цифры, а нужно 10: проверьте, не пропущена ли цифра.",
            id="4-digits",
        ),
        pytest.param(
            "42123",
            CertificateNumberProblem.TOO_SHORT,
            "В номере сертификата 5 цифр, а нужно 10: проверьте, не пропущена ли цифра.",
            id="5-digits",
        ),
        pytest.param(
            "421234567890",
            CertificateNumberProblem.TOO_LONG,
            "В номере сертификата 12 цифр, а нужно 10: проверьте, нет ли лишней цифры.",
            id="12-digits",
        ),
        pytest.param(
            "42123456789012345678",
            CertificateNumberProblem.TOO_LONG,
            "В номере сертификата 20 цифр, а нужно 10: проверьте, нет ли лишней цифры.",
            id="20-digits",
        ),
        pytest.param(
            "421234567890123456789",
            CertificateNumberProblem.TOO_LONG,
            "В номере сертификата 21 цифра, а нужно 10: проверьте, нет ли лишней цифры.",
            id="21-digits",
        ),
        pytest.param(
            "4212345678901234567890",
            CertificateNumberProblem.TOO_LONG,
            "В номере сертификата 22 цифры, а нужно 10: проверьте, нет ли лишней цифры.",
            id="22-digits",
        ),
        pytest.param(
            "42 12 34567\n",
            CertificateNumberProblem.TOO_SHORT,
            "В номере сертификата 9 цифр, а нужно 10: проверьте, не пропущена ли цифра.",
            id="9-digits-with-separators",
        ),
    ],
)
def test_wrong_digit_count(typed: str, problem: CertificateNumberProblem, message: str) -> None:
    error = _problem(typed)
    assert error.problem is problem
    assert error.message == message
    assert str(error) == message
    assert isinstance(error, ValueError)


LETTER_O_MESSAGE = "В номере сертификата буква «О» вместо нуля: номер состоит только из цифр."


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("42123456О8", id="cyrillic-capital-o"),
        pytest.param("42123456о8", id="cyrillic-small-o"),
        pytest.param("42123456O8", id="latin-capital-o"),
        pytest.param("42123456o8", id="latin-small-o"),
        pytest.param("42 12 3О5678", id="cyrillic-o-with-spaces"),
        pytest.param("O2O2O2O2O2", id="several-latin-o"),
        pytest.param("42123456О", id="o-and-too-short"),
    ],
)
def test_letter_o_for_zero(typed: str) -> None:
    error = _problem(typed)
    assert error.problem is CertificateNumberProblem.LETTER_O_FOR_ZERO
    assert error.message == LETTER_O_MESSAGE


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        pytest.param("42123456A8", "A", id="latin-a"),
        pytest.param("42123456Б8", "Б", id="cyrillic-be"),
        pytest.param("42l2345678", "l", id="latin-l-for-one"),
        pytest.param("AB12345678", "AB", id="two-letters"),
        pytest.param("AA12345678", "A", id="repeated-letter-once"),
        pytest.param("42О2345678x", "Оx", id="o-with-other-letter"),
        pytest.param("сертификат", "сертифка", id="a-word"),
    ],
)
def test_other_letters(typed: str, shown: str) -> None:
    error = _problem(typed)
    assert error.problem is CertificateNumberProblem.LETTERS
    assert error.message == f"Номер сертификата состоит только из цифр, а в нём есть буквы: {shown}."


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        pytest.param("#4212345678", "#", id="hash"),
        pytest.param("+4212345678", "+", id="plus"),
        pytest.param("42/12/345678", "/", id="slash"),
        pytest.param("42,12,345678", ",", id="comma"),
        pytest.param("４２１２３４５６７８", "４", id="full-width-digits"),
        pytest.param("٤٢١٢٣٤٥٦٧٨", "٤", id="arabic-indic-digits"),
        pytest.param("४२१२३४५६७८", "४", id="devanagari-digits"),
        pytest.param("42¹2345678", "¹", id="superscript-one"),
        pytest.param("4212345678\x00", "U+0000", id="control-character"),
        pytest.param("4212\u200b345678", "U+200B", id="zero-width-space"),
    ],
)
def test_bad_characters(typed: str, shown: str) -> None:
    error = _problem(typed)
    assert error.problem is CertificateNumberProblem.BAD_CHARACTER
    assert error.message == (f"В номере сертификата недопустимый символ «{shown}»: номер состоит только из цифр.")


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="spaces"),
        pytest.param("\n", id="enter-only"),
        pytest.param("\t \r\n", id="mixed-whitespace"),
        pytest.param("- - -", id="separators-only"),
    ],
)
def test_empty(typed: str) -> None:
    error = _problem(typed)
    assert error.problem is CertificateNumberProblem.EMPTY
    assert error.message == "Введите номер сертификата."


separators = st.sampled_from([" ", "-", "\n", "\t", "\u00a0", "–", "—", "  ", " - ", "\r\n"])


@MODERATE
@given(
    digits=st.text(alphabet="0123456789", min_size=10, max_size=10),
    data=st.data(),
)
def test_any_ten_digits_with_separators_normalize_back(digits: str, data: st.DataObject) -> None:
    before = data.draw(st.lists(separators, max_size=2))
    gaps = data.draw(st.lists(st.lists(separators, max_size=2), min_size=9, max_size=9))
    after = data.draw(st.lists(separators, max_size=2))
    typed = "".join(before) + digits[0]
    for gap, digit in zip(gaps, digits[1:], strict=True):
        typed += "".join(gap) + digit
    typed += "".join(after)
    assert normalize_certificate_number(typed) == digits


@MODERATE
@given(digits=st.text(alphabet="0123456789", min_size=1, max_size=30).filter(lambda text: len(text) != 10))
def test_any_wrong_count_of_digits_is_reported_with_its_count(digits: str) -> None:
    error = _problem(digits)
    expected = CertificateNumberProblem.TOO_SHORT if len(digits) < 10 else CertificateNumberProblem.TOO_LONG
    assert error.problem is expected
    assert error.message.startswith(f"В номере сертификата {len(digits)} цифр")


# ---------------------------------------------------------------- surnames


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("Иванов", "иванов", id="capitalized"),
        pytest.param("ИВАНОВ", "иванов", id="upper-case"),
        pytest.param("  Иванов \n", "иванов", id="surrounding-spaces"),
        pytest.param("Ёлкин", "елкин", id="capital-yo"),
        pytest.param("Алёшина", "алешина", id="small-yo"),
        pytest.param("Е\u0308лкин", "елкин", id="decomposed-yo"),
        pytest.param("Иванова-Петрова", "иванова-петрова", id="double"),
        pytest.param("Иванова - Петрова", "иванова-петрова", id="spaces-around-hyphen"),
        pytest.param("Иванова -Петрова", "иванова-петрова", id="space-before-hyphen"),
        pytest.param("Иванова–Петрова", "иванова-петрова", id="en-dash"),
        pytest.param("Иванова — Петрова", "иванова-петрова", id="spaced-em-dash"),
        pytest.param("Иванова‐Петрова", "иванова-петрова", id="unicode-hyphen"),
        pytest.param("Иванова‑Петрова", "иванова-петрова", id="non-breaking-hyphen"),
        pytest.param("Иванова‒Петрова", "иванова-петрова", id="figure-dash"),
        pytest.param("Иванова―Петрова", "иванова-петрова", id="horizontal-bar"),
        pytest.param("Иванова−Петрова", "иванова-петрова", id="minus-sign"),
        pytest.param("Иванова\u00a0-\u00a0Петрова", "иванова-петрова", id="no-break-spaces"),
        pytest.param("Ван  дер   Берг", "ван дер берг", id="inner-spaces-collapse"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalize_surname(typed: str, expected: str) -> None:
    assert normalize_surname(typed) == expected


def test_normalize_surname_distinguishes_different_surnames() -> None:
    assert normalize_surname("Иванова") != normalize_surname("Иванов")
    assert normalize_surname("Иванова-Петрова") != normalize_surname("Иванова Петрова")


# ---------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        pytest.param(CertificateKind.ACCOUNTING, "сертификат учёта", id="accounting"),
        pytest.param(CertificateKind.FINANCING, "сертификат ПФ", id="financing"),
    ],
)
def test_kind_labels(kind: CertificateKind, label: str) -> None:
    assert kind.label == label


# ---------------------------------------------------------------- expiry at 18


@pytest.mark.parametrize(
    ("birth", "expires"),
    [
        pytest.param(date(2008, 5, 15), date(2026, 5, 15), id="ordinary"),
        pytest.param(date(2008, 2, 29), date(2026, 2, 28), id="leap-birth-common-year"),
        pytest.param(date(2006, 2, 28), date(2024, 2, 28), id="feb-28-into-leap-year"),
        pytest.param(date(2010, 12, 31), date(2028, 12, 31), id="new-years-eve"),
        pytest.param(date(2010, 1, 1), date(2028, 1, 1), id="new-year"),
    ],
)
def test_certificate_expires_on_18th_birthday(birth: date, expires: date) -> None:
    assert certificate_expires_on(birth) == expires
    assert not is_certificate_expired(birth, expires - timedelta(days=1))
    assert is_certificate_expired(birth, expires)
    assert is_certificate_expired(birth, expires + timedelta(days=1))


@pytest.mark.parametrize(
    ("birth", "on", "expired"),
    [
        pytest.param(date(2008, 2, 29), date(2026, 2, 27), False, id="leap-day-before"),
        pytest.param(date(2008, 2, 29), date(2026, 2, 28), True, id="leap-feb-28"),
        pytest.param(date(2008, 2, 29), date(2026, 3, 1), True, id="leap-mar-1"),
        pytest.param(date(2012, 2, 29), date(2030, 2, 28), True, id="leap-2012"),
        pytest.param(date(2015, 6, 1), date(2015, 6, 1), False, id="newborn"),
        pytest.param(date(2007, 9, 1), date(2025, 8, 31), False, id="day-before-school-year"),
        pytest.param(date(2007, 9, 1), date(2025, 9, 1), True, id="first-of-september"),
    ],
)
def test_is_certificate_expired(birth: date, on: date, expired: bool) -> None:
    assert is_certificate_expired(birth, on) is expired


@MODERATE
@given(birth=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
def test_expiry_agrees_with_is_expired(birth: date) -> None:
    expires = certificate_expires_on(birth)
    assert expires == add_months(birth, 18 * 12)
    assert not is_certificate_expired(birth, expires - timedelta(days=1))
    assert is_certificate_expired(birth, expires)
