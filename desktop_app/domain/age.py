"""A child's age on a date, and whether it fits a program's age range.

Ages count completed months and years as Russian civil law counts terms (ГК РФ, ст. 192): a term counted
in months ends on the same day of the last month, or on that month's last day when it has no such day. So a
child born on 29 February turns one year old on 28 February of a common year.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

MONTHS_PER_YEAR = 12
MIN_PROGRAM_AGE_MONTHS = 5 * MONTHS_PER_YEAR
MAX_PROGRAM_AGE_MONTHS = 18 * MONTHS_PER_YEAR


def last_day_of_month(day: date) -> date:
    """The last day of the month the given day falls in."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day when it has no such day."""
    month_index = day.year * MONTHS_PER_YEAR + (day.month - 1) + months
    year, month = divmod(month_index, MONTHS_PER_YEAR)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def anniversary(birth_date: date, years: int) -> date:
    """The day a child born on ``birth_date`` turns ``years`` old."""
    return add_months(birth_date, years * MONTHS_PER_YEAR)


def age_in_months(birth_date: date, on: date) -> int:
    """Completed months of age on the given day.

    Raises:
        ValueError: the day is before the birth date.
    """
    if on < birth_date:
        raise ValueError("the date is before the birth date")
    months = (on.year - birth_date.year) * MONTHS_PER_YEAR + (on.month - birth_date.month)
    if add_months(birth_date, months) > on:
        months -= 1
    return months


def age_in_years(birth_date: date, on: date) -> int:
    """Completed years of age on the given day."""
    return age_in_months(birth_date, on) // MONTHS_PER_YEAR


def years_phrase(years: int) -> str:
    """«1 год», «3 года», «11 лет»."""
    if years % 100 in range(11, 15) or years % 10 in (0, 5, 6, 7, 8, 9):
        noun = "лет"
    elif years % 10 == 1:
        noun = "год"
    else:
        noun = "года"
    return f"{years} {noun}"


@dataclass(frozen=True, slots=True)
class AgeRange:
    """The ages a program accepts, in completed months: ``from_months`` ≤ age < ``to_months``.

    The upper bound is exclusive, as the law says «от 5 до 18 лет» for children under 18: a program «от 7 до
    11 лет» takes a child from the 7th birthday until the day before the 11th.
    """

    from_months: int
    to_months: int

    @classmethod
    def from_years(cls, from_years: int, to_years: int) -> AgeRange:
        return cls(from_years * MONTHS_PER_YEAR, to_years * MONTHS_PER_YEAR)

    def contains(self, age_months: int) -> bool:
        return self.from_months <= age_months < self.to_months

    def admits(self, birth_date: date, on: date) -> bool:
        """Whether a child born on ``birth_date`` fits the range on the given day (e.g. a contract's start)."""
        return on >= birth_date and self.contains(age_in_months(birth_date, on))

    def describe(self) -> str:
        """«от 5 до 18 лет», or with months where the bounds are not whole years."""
        return f"от {_describe_months(self.from_months, bare=True)} до {_describe_months(self.to_months)}"


def _describe_months(months: int, *, bare: bool = False) -> str:
    """An age after «от» or «до», so in the genitive: «до 1 года», «до 2 лет», «от 21 года 6 мес.»."""
    years, rest = divmod(months, MONTHS_PER_YEAR)
    if rest == 0:
        return str(years) if bare else _years_genitive(years)
    return f"{_years_genitive(years)} {rest} мес."


def _years_genitive(years: int) -> str:
    noun = "года" if years % 10 == 1 and years % 100 != 11 else "лет"
    return f"{years} {noun}"
