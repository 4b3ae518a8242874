"""Contracts as lists show them: with the names of their program, module and group, and how to filter them.

``ContractView`` is computed once per contract (names, search text), so a list of thousands filters as the
clerk types. ``ContractFilter`` is the one definition of the filters and of the search, used by
``ContractService.contracts`` and by the screens that filter a list already loaded.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.pricing import FinancingPeriod, MonthlyPayment, PriceSplit, monthly_schedule
from desktop_app.domain.text import collation_key

_DIGIT_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_.]+")
_NUMBER_PREFIX = re.compile(r"^(\d+)")

SOURCE_LABELS = {"desk": "в организации", "portal": "с портала"}


@dataclass(frozen=True, slots=True)
class ContractView:
    """One contract for a list: the contract, where it is (names), when it was made here."""

    contract: Contract
    program_name: str
    module_name: str
    group_name: str
    made_at: datetime
    search_text: str = field(default="", compare=False)
    """Numbers and names in collation form (lower case, «ё» as «е»); filled by ``make_view``."""

    @property
    def id(self) -> uuid.UUID:
        return self.contract.id

    @property
    def status(self) -> ContractStatus:
        return self.contract.status

    @property
    def placement_text(self) -> str:
        """«Робототехника · Первый год · Большая группа»."""
        return f"{self.program_name} · {self.module_name} · {self.group_name}"

    @property
    def child_surname(self) -> str:
        """The surname a certificate check needs: as typed at the desk, or the first word of the full name."""
        words = self.contract.child_full_name.split()
        return self.contract.child_surname or (words[0] if words else "")

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.contract.source, self.contract.source)

    @property
    def needs_details(self) -> bool:
        """An online application the parent has not yet come to complete (no parent's name)."""
        return not self.contract.parent_full_name.strip()

    def split(self) -> PriceSplit:
        """The contract's split as stored (what the server reserved, once it accepted the contract)."""
        contract = self.contract
        return PriceSplit(
            contract_start=contract.start_date,
            contract_end=contract.end_date,
            period_days=(contract.end_date - contract.start_date).days + 1,
            group_days=0,
            price=contract.price,
            normative=contract.normative,
            from_certificate=contract.from_certificate,
            co_payment=contract.co_payment,
        )

    def schedule(self) -> list[MonthlyPayment]:
        return monthly_schedule(self.split())


def make_view(
    contract: Contract, program_name: str, module_name: str, group_name: str, made_at: datetime
) -> ContractView:
    parts = (
        contract.number or "",
        contract.provisional_number,
        contract.certificate_number,
        contract.child_full_name,
        contract.parent_full_name,
    )
    search = collation_key("\n".join(parts))
    return ContractView(contract, program_name, module_name, group_name, made_at, search)


def number_order(contract: Contract) -> tuple[int, str]:
    """Server numbers («17-ПФ») are given in order of arrival: sort by their number, then by text."""
    match = _NUMBER_PREFIX.match(contract.number or "")
    return (int(match.group(1)) if match else 10**12, contract.display_number)


@dataclass(frozen=True, slots=True)
class ContractFilter:
    """What to show; every field left empty lets everything through."""

    status: ContractStatus | None = None
    program_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    period: FinancingPeriod | None = None
    """Contracts whose term overlaps the financing period."""
    search: str = ""
    """A certificate number (with or without spaces), a contract number, or part of the child's or parent's
    name; case and «ё»/«е» do not matter."""

    def matches(self, view: ContractView) -> bool:
        contract = view.contract
        if self.status is not None and contract.status is not self.status:
            return False
        if self.program_id is not None and contract.program_id != self.program_id:
            return False
        if self.group_id is not None and contract.group_id != self.group_id:
            return False
        if self.period is not None and not _overlaps(contract, self.period):
            return False
        return search_matches(self.search, view)


def search_matches(search: str, view: ContractView) -> bool:
    needle = collation_key(" ".join(search.split()))
    if not needle:
        return True
    digits = _DIGIT_SEPARATORS.sub("", needle)
    if digits.isdigit() and digits in view.contract.certificate_number:
        return True
    return needle in view.search_text


def _overlaps(contract: Contract, period: FinancingPeriod) -> bool:
    return contract.start_date <= period.ends_on and contract.end_date >= period.starts_on
