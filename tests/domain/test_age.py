"""Tests of desktop_app.domain.age: completed months and years (ГК РФ ст. 192), month arithmetic, age ranges."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.age import (
    MAX_PROGRAM_AGE_MONTHS,
    MIN_PROGRAM_AGE_MONTHS,
    AgeRange,
    add_months,
    age_in_months,
    age_in_years,
    anniversary,
    last_day_of_month,
    years_phrase,
)

MODERATE = settings(max_examples=150, deadline=None)

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))
month_offsets = st.integers(min_value=-600, max_value=600)


def test_program_age_bounds() -> None:
    assert MIN_PROGRAM_AGE_MONTHS == 60
    assert MAX_PROGRAM_AGE_MONTHS == 216


# ---------------------------------------------------------------- last_day_of_month


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2025, 1, 1), date(2025, 1, 31), id="january"),
        pytest.param(date(2025, 2, 10), date(2025, 2, 28), id="february-common"),
        pytest.param(date(2024, 2, 10), date(2024, 2, 29), id="february-leap"),
        pytest.param(date(2000, 2, 1), date(2000, 2, 29), id="february-2000-leap"),
        pytest.param(date(2100, 2, 1), date(2100, 2, 28), id="february-2100-common"),
        pytest.param(date(2025, 4, 30), date(2025, 4, 30), id="already-last"),
        pytest.param(date(2025, 12, 15), date(2025, 12, 31), id="december"),
    ],
)
def test_last_day_of_month(day: date, expected: date) -> None:
    assert last_day_of_month(day) == expected


# ---------------------------------------------------------------- add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2025, 1, 15), 0, date(2025, 1, 15), id="zero"),
        pytest.param(date(2025, 1, 15), 1, date(2025, 2, 15), id="one"),
        pytest.param(date(2025, 1, 31), 1, date(2025, 2, 28), id="clamp-feb-common"),
        pytest.param(date(2024, 1, 31), 1, date(2024, 2, 29), id="clamp-feb-leap"),
        pytest.param(date(2025, 3, 31), 1, date(2025, 4, 30), id="clamp-30-day-month"),
        pytest.param(date(2025, 11, 30), 2, date(2026, 1, 30), id="year-boundary"),
        pytest.param(date(2025, 12, 31), 1, date(2026, 1, 31), id="december-to-january"),
        pytest.param(date(2025, 3, 31), -1, date(2025, 2, 28), id="negative-clamp"),
        pytest.param(date(2025, 1, 15), -1, date(2024, 12, 15), id="negative-year-boundary"),
        pytest.param(date(2024, 2, 29), 12, date(2025, 2, 28), id="leap-day-plus-year"),
        pytest.param(date(2024, 2, 29), 48, date(2028, 2, 29), id="leap-day-plus-four-years"),
        pytest.param(date(2008, 2, 29), 216, date(2026, 2, 28), id="leap-day-plus-18-years"),
    ],
)
def test_add_months_table(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@MODERATE
@given(day=dates, months=month_offsets)
def test_add_months_lands_in_the_right_month_clamped(day: date, months: int) -> None:
    result = add_months(day, months)
    month_index = day.year * 12 + day.month - 1 + months
    assert (result.year, result.month - 1) == divmod(month_index, 12)
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)


@MODERATE
@given(first=dates, second=dates, months=month_offsets)
def test_add_months_is_monotonic_in_the_day(first: date, second: date, months: int) -> None:
    earlier, later = sorted((first, second))
    assert add_months(earlier, months) <= add_months(later, months)


@MODERATE
@given(day=dates, fewer=st.integers(min_value=0, max_value=300), more=st.integers(min_value=0, max_value=300))
def test_add_months_is_monotonic_in_the_months(day: date, fewer: int, more: int) -> None:
    fewer, more = sorted((fewer, more))
    assert add_months(day, fewer) <= add_months(day, more)
    if fewer < more:
        assert add_months(day, fewer) < add_months(day, more)


@MODERATE
@given(day=dates.filter(lambda day: day.day <= 28), months=month_offsets)
def test_add_months_round_trips_without_clamping(day: date, months: int) -> None:
    assert add_months(add_months(day, months), -months) == day


def test_anniversary() -> None:
    assert anniversary(date(2010, 3, 31), 7) == date(2017, 3, 31)
    assert anniversary(date(2012, 2, 29), 1) == date(2013, 2, 28)
    assert anniversary(date(2012, 2, 29), 4) == date(2016, 2, 29)


# ---------------------------------------------------------------- age_in_months / age_in_years


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        pytest.param(date(2015, 5, 15), date(2015, 5, 15), 0, id="birth-day"),
        pytest.param(date(2015, 5, 15), date(2015, 6, 14), 0, id="day-before-one-month"),
        pytest.param(date(2015, 5, 15), date(2015, 6, 15), 1, id="one-month"),
        pytest.param(date(2015, 5, 15), date(2016, 5, 14), 11, id="day-before-one-year"),
        pytest.param(date(2015, 5, 15), date(2016, 5, 15), 12, id="one-year"),
        pytest.param(date(2015, 1, 31), date(2015, 2, 27), 0, id="31st-feb-27"),
        pytest.param(date(2015, 1, 31), date(2015, 2, 28), 1, id="31st-feb-28-last-day"),
        pytest.param(date(2016, 1, 31), date(2016, 2, 28), 0, id="31st-feb-28-leap"),
        pytest.param(date(2016, 1, 31), date(2016, 2, 29), 1, id="31st-feb-29-leap"),
        pytest.param(date(2015, 3, 31), date(2015, 4, 29), 0, id="31st-april-29"),
        pytest.param(date(2015, 3, 31), date(2015, 4, 30), 1, id="31st-april-30"),
        pytest.param(date(2015, 3, 31), date(2015, 5, 30), 1, id="31st-may-30"),
        pytest.param(date(2015, 3, 31), date(2015, 5, 31), 2, id="31st-may-31"),
        pytest.param(date(2015, 8, 31), date(2015, 9, 30), 1, id="31st-september-30"),
        pytest.param(date(2015, 12, 31), date(2016, 1, 30), 0, id="year-boundary-before"),
        pytest.param(date(2015, 12, 31), date(2016, 1, 31), 1, id="year-boundary"),
        pytest.param(date(2012, 2, 29), date(2013, 2, 27), 11, id="leap-birth-feb-27"),
        pytest.param(date(2012, 2, 29), date(2013, 2, 28), 12, id="leap-birth-feb-28-common"),
        pytest.param(date(2012, 2, 29), date(2016, 2, 28), 47, id="leap-birth-feb-28-leap"),
        pytest.param(date(2012, 2, 29), date(2016, 2, 29), 48, id="leap-birth-feb-29-leap"),
    ],
)
def test_age_in_months_table(birth: date, on: date, months: int) -> None:
    assert age_in_months(birth, on) == months


@pytest.mark.parametrize(
    ("birth", "on", "years"),
    [
        pytest.param(date(2015, 5, 15), date(2020, 5, 14), 4, id="day-before-5th"),
        pytest.param(date(2015, 5, 15), date(2020, 5, 15), 5, id="5th-birthday"),
        pytest.param(date(2015, 5, 15), date(2020, 5, 16), 5, id="day-after-5th"),
        pytest.param(date(2012, 2, 29), date(2013, 2, 27), 0, id="leap-birth-day-before"),
        pytest.param(date(2012, 2, 29), date(2013, 2, 28), 1, id="leap-birth-turns-one-feb-28"),
        pytest.param(date(2012, 2, 29), date(2013, 3, 1), 1, id="leap-birth-mar-1"),
        pytest.param(date(2012, 2, 29), date(2016, 2, 28), 3, id="leap-birth-leap-year-feb-28"),
        pytest.param(date(2012, 2, 29), date(2016, 2, 29), 4, id="leap-birth-leap-year-feb-29"),
        pytest.param(date(2007, 12, 31), date(2025, 12, 30), 17, id="day-before-18th"),
        pytest.param(date(2007, 12, 31), date(2025, 12, 31), 18, id="18th"),
        pytest.param(date(2010, 1, 1), date(2010, 12, 31), 0, id="first-year"),
    ],
)
def test_age_in_years_table(birth: date, on: date, years: int) -> None:
    assert age_in_years(birth, on) == years


@pytest.mark.parametrize("function", [age_in_months, age_in_years], ids=["months", "years"])
def test_age_before_birth_raises(function: Callable[[date, date], int]) -> None:
    with pytest.raises(ValueError, match="before the birth date"):
        function(date(2015, 5, 15), date(2015, 5, 14))


@MODERATE
@given(birth=dates, months=st.integers(min_value=0, max_value=300))
def test_age_on_the_monthly_anniversary_is_exact(birth: date, months: int) -> None:
    on = add_months(birth, months)
    assert age_in_months(birth, on) == months
    assert age_in_years(birth, on) == months // 12


@MODERATE
@given(birth=dates, days=st.integers(min_value=0, max_value=30_000))
def test_age_in_months_is_bracketed_by_anniversaries(birth: date, days: int) -> None:
    on = birth + timedelta(days=days)
    months = age_in_months(birth, on)
    assert months >= 0
    assert add_months(birth, months) <= on < add_months(birth, months + 1)
    assert age_in_years(birth, on) == months // 12


@MODERATE
@given(birth=dates, first=st.integers(min_value=0, max_value=30_000), second=st.integers(min_value=0, max_value=30_000))
def test_age_is_monotonic_in_the_day(birth: date, first: int, second: int) -> None:
    earlier, later = sorted((first, second))
    assert age_in_months(birth, birth + timedelta(days=earlier)) <= age_in_months(birth, birth + timedelta(days=later))


# ---------------------------------------------------------------- years_phrase


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        pytest.param(0, "0 лет", id="0"),
        pytest.param(1, "1 год", id="1"),
        pytest.param(2, "2 года", id="2"),
        pytest.param(3, "3 года", id="3"),
        pytest.param(4, "4 года", id="4"),
        pytest.param(5, "5 лет", id="5"),
        pytest.param(10, "10 лет", id="10"),
        pytest.param(11, "11 лет", id="11"),
        pytest.param(12, "12 лет", id="12"),
        pytest.param(14, "14 лет", id="14"),
        pytest.param(18, "18 лет", id="18"),
        pytest.param(21, "21 год", id="21"),
        pytest.param(22, "22 года", id="22"),
        pytest.param(25, "25 лет", id="25"),
        pytest.param(101, "101 год", id="101"),
        pytest.param(111, "111 лет", id="111"),
    ],
)
def test_years_phrase(years: int, expected: str) -> None:
    assert years_phrase(years) == expected


# ---------------------------------------------------------------- AgeRange


def test_from_years() -> None:
    assert AgeRange.from_years(5, 18) == AgeRange(60, 216)
    assert AgeRange.from_years(7, 11) == AgeRange(from_months=84, to_months=132)


@pytest.mark.parametrize(
    ("age_months", "expected"),
    [
        pytest.param(83, False, id="month-before-lower"),
        pytest.param(84, True, id="lower-bound-included"),
        pytest.param(100, True, id="inside"),
        pytest.param(131, True, id="last-month-inside"),
        pytest.param(132, False, id="upper-bound-excluded"),
        pytest.param(200, False, id="far-above"),
        pytest.param(0, False, id="newborn"),
    ],
)
def test_contains_has_exclusive_upper_bound(age_months: int, expected: bool) -> None:
    assert AgeRange.from_years(7, 11).contains(age_months) is expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(date(2017, 9, 1), False, id="day-before-7th-birthday"),
        pytest.param(date(2017, 9, 2), True, id="7th-birthday"),
        pytest.param(date(2021, 9, 1), True, id="day-before-11th-birthday"),
        pytest.param(date(2021, 9, 2), False, id="11th-birthday"),
        pytest.param(date(2010, 9, 1), False, id="before-birth"),
    ],
)
def test_admits_a_child_from_the_7th_birthday_to_the_day_before_the_11th(on: date, expected: bool) -> None:
    assert AgeRange.from_years(7, 11).admits(date(2010, 9, 2), on) is expected


def test_admits_a_leap_day_child_on_feb_28() -> None:
    age_range = AgeRange.from_years(5, 18)
    assert not age_range.admits(date(2016, 2, 29), date(2021, 2, 27))
    assert age_range.admits(date(2016, 2, 29), date(2021, 2, 28))
    assert age_range.admits(date(2016, 2, 29), date(2034, 2, 27))
    assert not age_range.admits(date(2016, 2, 29), date(2034, 2, 28))


@MODERATE
@given(
    from_months=st.integers(min_value=0, max_value=240),
    length=st.integers(min_value=1, max_value=240),
    birth=dates,
    days=st.integers(min_value=-400, max_value=30_000),
)
def test_admits_agrees_with_contains(from_months: int, length: int, birth: date, days: int) -> None:
    age_range = AgeRange(from_months, from_months + length)
    on = birth + timedelta(days=days)
    if on < birth:
        assert not age_range.admits(birth, on)
    else:
        assert age_range.admits(birth, on) is age_range.contains(age_in_months(birth, on))
        assert age_range.admits(birth, on) is (
            add_months(birth, from_months) <= on < add_months(birth, from_months + length)
        )


@pytest.mark.parametrize(
    ("age_range", "expected"),
    [
        pytest.param(AgeRange.from_years(5, 18), "от 5 до 18 лет", id="whole-years"),
        pytest.param(AgeRange.from_years(7, 11), "от 7 до 11 лет", id="7-11"),
        pytest.param(AgeRange(66, 216), "от 5 лет 6 мес. до 18 лет", id="months-in-lower"),
        pytest.param(AgeRange(60, 126), "от 5 до 10 лет 6 мес.", id="months-in-upper"),
        pytest.param(AgeRange(61, 215), "от 5 лет 1 мес. до 17 лет 11 мес.", id="months-in-both"),
        pytest.param(AgeRange(12, 24), "от 1 до 2 лет", id="genitive-2"),
        pytest.param(AgeRange(18, 36), "от 1 года 6 мес. до 3 лет", id="genitive-1-with-months"),
        pytest.param(AgeRange(60, 252), "от 5 до 21 года", id="genitive-21"),
        pytest.param(AgeRange(132, 144), "от 11 до 12 лет", id="genitive-12"),
    ],
)
def test_describe(age_range: AgeRange, expected: str) -> None:
    assert age_range.describe() == expected
