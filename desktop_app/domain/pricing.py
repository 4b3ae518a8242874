"""The cost of a contract, its split between the certificate and the parent, and the monthly schedule.

The formulas are those of DOMAIN.md; every amount is integer kopecks. Days are counted inclusive of both
ends. The server recomputes the same split when it arbitrates a contract, from this same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.domain.age import add_months
from desktop_app.domain.money import prorate, split_evenly


class PricingError(ValueError):
    """Dates or amounts that cannot make a contract; ``message`` is for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def days_inclusive(start: date, end: date) -> int:
    """Number of days from ``start`` to ``end``, both included."""
    return (end - start).days + 1


@dataclass(frozen=True, slots=True)
class FinancingPeriod:
    """A period certificate money belongs to (usually the school year); unused money does not carry over."""

    code: str
    starts_on: date
    ends_on: date


def period_containing(periods: list[FinancingPeriod], day: date) -> FinancingPeriod | None:
    return next((period for period in periods if period.starts_on <= day <= period.ends_on), None)


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """What the split of one contract is computed from."""

    module_price: int
    """Price of the whole module for the whole group period, kopecks (цена модуля)."""
    module_normative: int
    """Normative cost of the module set on certification, kopecks (нормативная стоимость)."""
    group_start: date
    group_end: date
    contract_start: date
    period_end: date
    """End of the certificate's financing period the contract is paid from."""
    certificate_balance: int
    """Money free to spend on the certificate in that period, kopecks (остаток)."""


@dataclass(frozen=True, slots=True)
class PriceSplit:
    """The cost of a contract and who pays what, kopecks."""

    contract_start: date
    contract_end: date
    period_days: int
    group_days: int
    price: int
    normative: int
    from_certificate: int
    co_payment: int


def contract_end(terms: ContractTerms) -> date:
    """A contract runs to the group's end or the financing period's end, whichever is first."""
    return min(terms.group_end, terms.period_end)


def split_price(terms: ContractTerms) -> PriceSplit:
    """Compute price, normative, the part from the certificate and the co-payment (DOMAIN.md).

    Raises:
        PricingError: the dates or amounts cannot make a contract.
    """
    _check_terms(terms)
    end = contract_end(terms)
    period_days = days_inclusive(terms.contract_start, end)
    group_days = days_inclusive(terms.group_start, terms.group_end)
    price = prorate(terms.module_price, period_days, group_days)
    normative = prorate(terms.module_normative, period_days, group_days)
    from_certificate = min(price, normative, max(terms.certificate_balance, 0))
    return PriceSplit(
        contract_start=terms.contract_start,
        contract_end=end,
        period_days=period_days,
        group_days=group_days,
        price=price,
        normative=normative,
        from_certificate=from_certificate,
        co_payment=price - from_certificate,
    )


def _check_terms(terms: ContractTerms) -> None:
    if terms.module_price < 0 or terms.module_normative < 0:
        raise PricingError("Цена и нормативная стоимость модуля не могут быть отрицательными.")
    if terms.group_end < terms.group_start:
        raise PricingError("Дата окончания занятий группы раньше даты начала.")
    if not terms.group_start <= terms.contract_start <= terms.group_end:
        raise PricingError("Дата начала договора должна быть в пределах дат занятий группы.")
    if terms.period_end < terms.contract_start:
        raise PricingError("Период финансирования сертификата заканчивается раньше начала договора.")


@dataclass(frozen=True, slots=True)
class MonthlyPayment:
    """One month of the payment schedule, kopecks."""

    month: date
    """The first day of the month."""
    from_certificate: int
    co_payment: int

    @property
    def total(self) -> int:
        return self.from_certificate + self.co_payment


def contract_months(start: date, end: date) -> list[date]:
    """First days of the calendar months a contract touches, in order."""
    if end < start:
        raise ValueError("the end is before the start")
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def monthly_schedule(split: PriceSplit) -> list[MonthlyPayment]:
    """Spread the certificate's part and the co-payment over the contract's months.

    Each part is split on its own: every month but the first gets the floor share, the first absorbs the
    remainder, so each column — and the totals — sum exactly to the split.
    """
    months = contract_months(split.contract_start, split.contract_end)
    certificate_shares = split_evenly(split.from_certificate, len(months))
    parent_shares = split_evenly(split.co_payment, len(months))
    return [
        MonthlyPayment(month=month, from_certificate=certificate, co_payment=parent)
        for month, certificate, parent in zip(months, certificate_shares, parent_shares, strict=True)
    ]
