"""Tests of desktop_app.domain.pricing: the DOMAIN.md price split and the monthly payment schedule."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.pricing import (
    ContractTerms,
    MonthlyPayment,
    PriceSplit,
    PricingError,
    contract_end,
    contract_months,
    days_inclusive,
    monthly_schedule,
    split_price,
)

MODERATE = settings(max_examples=150, deadline=None)

SCHOOL_YEAR_START = date(2025, 9, 1)
SCHOOL_YEAR_END = date(2026, 5, 31)


def make_terms(
    *,
    module_price: int = 1_000_000,
    module_normative: int = 1_200_000,
    group_start: date = SCHOOL_YEAR_START,
    group_end: date = SCHOOL_YEAR_END,
    contract_start: date = SCHOOL_YEAR_START,
    period_end: date = date(2026, 8, 31),
    certificate_balance: int = 10_000_000,
) -> ContractTerms:
    """Terms of a contract on a school-year group; every field can be overridden."""
    return ContractTerms(
        module_price=module_price,
        module_normative=module_normative,
        group_start=group_start,
        group_end=group_end,
        contract_start=contract_start,
        period_end=period_end,
        certificate_balance=certificate_balance,
    )


def half_up(value: Fraction) -> int:
    """Reference rounding of a non-negative fraction to the nearest integer, halves up."""
    return math.floor(value + Fraction(1, 2))


# ---------------------------------------------------------------- days and ends


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        pytest.param(date(2025, 9, 1), date(2025, 9, 1), 1, id="same-day"),
        pytest.param(date(2025, 9, 1), date(2025, 9, 30), 30, id="september"),
        pytest.param(date(2025, 9, 1), date(2026, 5, 31), 273, id="school-year"),
        pytest.param(date(2024, 1, 1), date(2024, 12, 31), 366, id="leap-year"),
        pytest.param(date(2025, 1, 1), date(2025, 12, 31), 365, id="common-year"),
        pytest.param(date(2025, 12, 31), date(2026, 1, 1), 2, id="new-year"),
    ],
)
def test_days_inclusive(start: date, end: date, days: int) -> None:
    assert days_inclusive(start, end) == days


@pytest.mark.parametrize(
    ("group_end", "period_end", "expected"),
    [
        pytest.param(date(2026, 5, 31), date(2026, 8, 31), date(2026, 5, 31), id="group-ends-first"),
        pytest.param(date(2026, 5, 31), date(2025, 12, 31), date(2025, 12, 31), id="period-ends-first"),
        pytest.param(date(2026, 5, 31), date(2026, 5, 31), date(2026, 5, 31), id="same-day"),
    ],
)
def test_contract_end_is_the_earlier_end(group_end: date, period_end: date, expected: date) -> None:
    terms = make_terms(group_end=group_end, period_end=period_end)
    assert contract_end(terms) == expected
    assert split_price(terms).contract_end == expected


# ---------------------------------------------------------------- split_price: worked examples


def test_split_whole_group_within_the_period() -> None:
    split = split_price(make_terms())
    assert split == PriceSplit(
        contract_start=date(2025, 9, 1),
        contract_end=date(2026, 5, 31),
        period_days=273,
        group_days=273,
        price=1_000_000,
        normative=1_200_000,
        from_certificate=1_000_000,
        co_payment=0,
    )


def test_split_cut_by_the_period_end() -> None:
    # 1 000 000 * 122 / 273 = 446 886.45 -> 446 886; 1 200 000 * 122 / 273 = 536 263.7 -> 536 264.
    split = split_price(make_terms(period_end=date(2025, 12, 31)))
    assert split == PriceSplit(
        contract_start=date(2025, 9, 1),
        contract_end=date(2025, 12, 31),
        period_days=122,
        group_days=273,
        price=446_886,
        normative=536_264,
        from_certificate=446_886,
        co_payment=0,
    )


def test_split_late_start_price_above_normative_small_balance() -> None:
    # 229 days of 273: price 1 006 593.4 -> 1 006 593, normative 838 827.8 -> 838 828.
    split = split_price(
        make_terms(
            module_price=1_200_000,
            module_normative=1_000_000,
            contract_start=date(2025, 10, 15),
            certificate_balance=300_000,
        )
    )
    assert (split.period_days, split.group_days) == (229, 273)
    assert (split.price, split.normative) == (1_006_593, 838_828)
    assert split.from_certificate == 300_000
    assert split.co_payment == 706_593


def test_split_rounds_exact_halves_up() -> None:
    # A two-day group, a one-day contract: 101 / 2 = 50.5 -> 51 and 99 / 2 = 49.5 -> 50.
    split = split_price(
        make_terms(
            module_price=101,
            module_normative=99,
            group_start=date(2025, 9, 1),
            group_end=date(2025, 9, 2),
            contract_start=date(2025, 9, 2),
        )
    )
    assert (split.period_days, split.group_days) == (1, 2)
    assert split.price == 51
    assert split.normative == 50
    assert split.from_certificate == 50
    assert split.co_payment == 1


@pytest.mark.parametrize(
    ("price", "normative", "balance", "from_certificate", "co_payment"),
    [
        pytest.param(1_000_000, 1_200_000, 5_000_000, 1_000_000, 0, id="price-smallest"),
        pytest.param(1_200_000, 1_000_000, 5_000_000, 1_000_000, 200_000, id="normative-smallest"),
        pytest.param(1_000_000, 1_200_000, 400_000, 400_000, 600_000, id="balance-smallest"),
        pytest.param(1_000_000, 1_000_000, 1_000_000, 1_000_000, 0, id="all-equal"),
        pytest.param(1_000_000, 1_200_000, 0, 0, 1_000_000, id="zero-balance"),
        pytest.param(1_000_000, 1_200_000, -50_000, 0, 1_000_000, id="negative-balance-as-zero"),
        pytest.param(1_000_000, 0, 5_000_000, 0, 1_000_000, id="zero-normative"),
        pytest.param(0, 1_200_000, 5_000_000, 0, 0, id="free-module"),
    ],
)
def test_split_who_pays_what(price: int, normative: int, balance: int, from_certificate: int, co_payment: int) -> None:
    split = split_price(make_terms(module_price=price, module_normative=normative, certificate_balance=balance))
    assert split.from_certificate == from_certificate
    assert split.co_payment == co_payment
    assert split.price == price


# ---------------------------------------------------------------- split_price: errors


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"contract_start": date(2025, 8, 31)},
            "Дата начала договора должна быть в пределах дат занятий группы.",
            id="start-before-group",
        ),
        pytest.param(
            {"contract_start": date(2026, 6, 1)},
            "Дата начала договора должна быть в пределах дат занятий группы.",
            id="start-after-group",
        ),
        pytest.param(
            {"group_end": date(2025, 8, 31), "contract_start": date(2025, 9, 1)},
            "Дата окончания занятий группы раньше даты начала.",
            id="group-end-before-start",
        ),
        pytest.param(
            {"contract_start": date(2025, 10, 1), "period_end": date(2025, 9, 30)},
            "Период финансирования сертификата заканчивается раньше начала договора.",
            id="period-end-before-start",
        ),
        pytest.param(
            {"module_price": -1},
            "Цена и нормативная стоимость модуля не могут быть отрицательными.",
            id="negative-price",
        ),
        pytest.param(
            {"module_normative": -1},
            "Цена и нормативная стоимость модуля не могут быть отрицательными.",
            id="negative-normative",
        ),
    ],
)
def test_split_rejects_impossible_terms(changes: dict[str, Any], message: str) -> None:
    terms = replace(make_terms(), **changes)
    with pytest.raises(PricingError) as caught:
        split_price(terms)
    assert caught.value.message == message
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "contract_start",
    [SCHOOL_YEAR_START, SCHOOL_YEAR_END],
    ids=["first-group-day", "last-group-day"],
)
def test_split_accepts_start_on_the_group_bounds(contract_start: date) -> None:
    split = split_price(make_terms(contract_start=contract_start))
    assert split.contract_start == contract_start


def test_split_accepts_period_ending_on_the_start_day() -> None:
    split = split_price(make_terms(contract_start=date(2025, 12, 31), period_end=date(2025, 12, 31)))
    assert split.period_days == 1
    assert split.price == half_up(Fraction(1_000_000, 273))


# ---------------------------------------------------------------- split_price: properties


@st.composite
def contract_terms(draw: st.DrawFn) -> ContractTerms:
    """Valid terms: a group of up to two years, a start inside it, a period ending on or after the start."""
    group_start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    group_end = group_start + timedelta(days=draw(st.integers(min_value=0, max_value=730)))
    contract_start = group_start + timedelta(
        days=draw(st.integers(min_value=0, max_value=(group_end - group_start).days))
    )
    period_end = contract_start + timedelta(days=draw(st.integers(min_value=0, max_value=800)))
    return ContractTerms(
        module_price=draw(st.integers(min_value=0, max_value=50_000_000)),
        module_normative=draw(st.integers(min_value=0, max_value=50_000_000)),
        group_start=group_start,
        group_end=group_end,
        contract_start=contract_start,
        period_end=period_end,
        certificate_balance=draw(st.integers(min_value=-1_000_000, max_value=60_000_000)),
    )


@MODERATE
@given(terms=contract_terms())
def test_split_follows_the_domain_formulas(terms: ContractTerms) -> None:
    split = split_price(terms)
    end = min(terms.group_end, terms.period_end)
    period_days = (end - terms.contract_start).days + 1
    group_days = (terms.group_end - terms.group_start).days + 1
    price = half_up(Fraction(terms.module_price * period_days, group_days))
    normative = half_up(Fraction(terms.module_normative * period_days, group_days))
    from_certificate = min(price, normative, max(terms.certificate_balance, 0))
    assert split == PriceSplit(
        contract_start=terms.contract_start,
        contract_end=end,
        period_days=period_days,
        group_days=group_days,
        price=price,
        normative=normative,
        from_certificate=from_certificate,
        co_payment=price - from_certificate,
    )
    assert 0 <= split.from_certificate <= split.price <= terms.module_price
    assert split.co_payment >= 0
    assert split.from_certificate + split.co_payment == split.price


# ---------------------------------------------------------------- contract_months


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        pytest.param(date(2025, 9, 15), date(2025, 9, 15), [date(2025, 9, 1)], id="one-day"),
        pytest.param(date(2025, 9, 30), date(2025, 10, 1), [date(2025, 9, 1), date(2025, 10, 1)], id="two-days"),
        pytest.param(
            date(2025, 11, 20),
            date(2026, 2, 3),
            [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)],
            id="across-new-year",
        ),
        pytest.param(
            date(2025, 1, 31),
            date(2025, 3, 1),
            [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)],
            id="through-february",
        ),
    ],
)
def test_contract_months(start: date, end: date, months: list[date]) -> None:
    assert contract_months(start, end) == months


def test_contract_months_rejects_end_before_start() -> None:
    with pytest.raises(ValueError, match="end is before the start"):
        contract_months(date(2025, 9, 2), date(2025, 9, 1))


# ---------------------------------------------------------------- monthly_schedule


def _split(start: date, end: date, from_certificate: int, co_payment: int) -> PriceSplit:
    days = days_inclusive(start, end)
    return PriceSplit(
        contract_start=start,
        contract_end=end,
        period_days=days,
        group_days=days,
        price=from_certificate + co_payment,
        normative=from_certificate,
        from_certificate=from_certificate,
        co_payment=co_payment,
    )


def test_schedule_of_a_twelve_month_contract() -> None:
    schedule = monthly_schedule(_split(date(2025, 9, 1), date(2026, 8, 31), 1_000_000, 200_005))
    assert [payment.month for payment in schedule] == [
        date(2025, 9, 1),
        date(2025, 10, 1),
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
        date(2026, 5, 1),
        date(2026, 6, 1),
        date(2026, 7, 1),
        date(2026, 8, 1),
    ]
    # 1 000 000 = 83 337 + 11 * 83 333; 200 005 = 16 668 + 11 * 16 667.
    assert schedule[0] == MonthlyPayment(month=date(2025, 9, 1), from_certificate=83_337, co_payment=16_668)
    assert all((payment.from_certificate, payment.co_payment) == (83_333, 16_667) for payment in schedule[1:])
    assert schedule[0].total == 100_005
    assert sum(payment.total for payment in schedule) == 1_200_005


def test_schedule_of_a_one_day_contract() -> None:
    schedule = monthly_schedule(_split(date(2025, 9, 15), date(2025, 9, 15), 3_663, 1))
    assert schedule == [MonthlyPayment(month=date(2025, 9, 1), from_certificate=3_663, co_payment=1)]
    assert schedule[0].total == 3_664


def test_schedule_of_the_worked_example() -> None:
    split = split_price(
        make_terms(
            module_price=1_200_000,
            module_normative=1_000_000,
            contract_start=date(2025, 10, 15),
            certificate_balance=300_000,
        )
    )
    schedule = monthly_schedule(split)
    assert len(schedule) == 8
    assert schedule[0] == MonthlyPayment(month=date(2025, 10, 1), from_certificate=37_500, co_payment=88_325)
    assert schedule[-1] == MonthlyPayment(month=date(2026, 5, 1), from_certificate=37_500, co_payment=88_324)


def test_schedule_of_a_free_contract_is_all_zeros() -> None:
    schedule = monthly_schedule(_split(date(2025, 9, 1), date(2025, 11, 30), 0, 0))
    assert [(payment.from_certificate, payment.co_payment) for payment in schedule] == [(0, 0)] * 3


@MODERATE
@given(terms=contract_terms())
def test_schedule_columns_sum_exactly(terms: ContractTerms) -> None:
    split = split_price(terms)
    schedule = monthly_schedule(split)
    months = contract_months(split.contract_start, split.contract_end)
    assert [payment.month for payment in schedule] == months
    assert months[0] == split.contract_start.replace(day=1)
    assert months[-1] == split.contract_end.replace(day=1)
    count = len(schedule)

    assert sum(payment.from_certificate for payment in schedule) == split.from_certificate
    assert sum(payment.co_payment for payment in schedule) == split.co_payment
    assert sum(payment.total for payment in schedule) == split.price

    certificate_floor = split.from_certificate // count
    parent_floor = split.co_payment // count
    assert all(payment.from_certificate == certificate_floor for payment in schedule[1:])
    assert all(payment.co_payment == parent_floor for payment in schedule[1:])
    assert schedule[0].from_certificate == certificate_floor + split.from_certificate % count
    assert schedule[0].co_payment == parent_floor + split.co_payment % count
    assert all(payment.total == payment.from_certificate + payment.co_payment for payment in schedule)


@MODERATE
@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=800),
)
def test_contract_months_are_the_calendar_months_touched(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    touched = sorted({(start + timedelta(days=offset)).replace(day=1) for offset in range(days + 1)})
    assert contract_months(start, end) == touched
