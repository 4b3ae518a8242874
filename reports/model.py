"""What the contract, the enrollment application and the consent are printed from: ``ContractDocument``.

``build_contract_document`` gathers it from domain objects (the organization's profile, the contract, its
program, module and group) and refuses, with a message for the clerk, when something a contract must state
is missing. Nothing here reads a database or the clock: the caller passes the date of the document.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.organization import OrganizationProfile, PaymentAgreement
from desktop_app.domain.pricing import MonthlyPayment, PriceSplit, days_inclusive, monthly_schedule
from desktop_app.domain.program import Group, Module, Program
from desktop_app.domain.requisites import validate_requisites
from desktop_app.errors import ExpectedError

DEFAULT_PLACE = "г. Кемерово"
DEFAULT_PAYMENT_DUE_DAY = 10
"""The parent pays by this day of the month after the one paid for (DOMAIN.md)."""
DEFAULT_RETENTION_YEARS = 5
"""How long personal data are kept after the contract ends (an assumption; a setting of the caller)."""
_MAX_LISTED_PROBLEMS = 3


class DocumentDataError(ExpectedError):
    """Something the documents must state is missing or inconsistent; the message says what to fill in."""


@dataclass(frozen=True, slots=True)
class ProgramInfo:
    """The program, module and group as the documents state them, with Russian labels."""

    full_name: str
    kind: str
    direction: str
    level: str
    form: str
    duration_months: int
    final_document: str
    module_name: str
    module_hours: int
    group_name: str
    teacher: str
    schedule_lines: tuple[str, ...]
    addresses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ContractDocument:
    """Everything the three documents need. Money in kopecks."""

    organization: OrganizationProfile
    contract: Contract
    program: ProgramInfo
    split: PriceSplit
    schedule: tuple[MonthlyPayment, ...]
    payment_agreement: PaymentAgreement | None
    place: str
    document_date: date
    """The date the documents carry; also the PDF's creation date, so the same input gives the same bytes."""
    verification_code: str
    payment_due_day: int = DEFAULT_PAYMENT_DUE_DAY
    retention_years: int = DEFAULT_RETENTION_YEARS

    @property
    def is_draft(self) -> bool:
        """Not yet accepted by the server: it carries a provisional number and the «ПРОЕКТ» marking."""
        return self.contract.number is None or self.contract.status in (ContractStatus.PENDING, ContractStatus.REJECTED)

    @property
    def number(self) -> str:
        """The final number once the server accepted the contract, the provisional one before."""
        if self.is_draft:
            return self.contract.provisional_number
        return self.contract.number or self.contract.provisional_number

    @property
    def author(self) -> str:
        return self.organization.short_name or self.organization.full_name

    @property
    def qr_payload(self) -> str:
        """What the QR code on the contract says: the number and the verification code."""
        kind = "Проект договора" if self.is_draft else "Договор"
        return f"{kind} № {self.number}\nКод проверки: {self.verification_code}"


def verification_code(contract: Contract) -> str:
    """A short code that ties a printed contract to its record: ``7KQ2-M9XD``.

    It is a hash of the contract's identity, number and amounts, so a copy with altered figures does not
    match the code the organization can recompute from its records.
    """
    fields = (
        str(contract.id),
        contract.display_number,
        contract.certificate_number,
        contract.start_date.isoformat(),
        contract.end_date.isoformat(),
        str(contract.price),
        str(contract.from_certificate),
        str(contract.co_payment),
    )
    digest = hashlib.sha256("|".join(fields).encode()).digest()
    code = base64.b32encode(digest).decode()[:8]
    return f"{code[:4]}-{code[4:]}"


def build_contract_document(
    organization: OrganizationProfile,
    contract: Contract,
    program: Program,
    module: Module,
    group: Group,
    *,
    document_date: date,
    place: str | None = None,
    payment_agreement: PaymentAgreement | None = None,
    payment_due_day: int = DEFAULT_PAYMENT_DUE_DAY,
    retention_years: int = DEFAULT_RETENTION_YEARS,
) -> ContractDocument:
    """Gather the documents' data from domain objects.

    The payment agreement, when not given, is the organization's agreement with the certificate's payer
    (digits 3–4 of the certificate number). The place, when not given, is the settlement of the
    organization's address.

    Raises:
        DocumentDataError: the requisites, the program or the payment agreement lack something a contract
            must state, or the contract's amounts do not add up.
    """
    _check_requisites(organization)
    agreement = payment_agreement or organization.agreement_with(contract.certificate_number[2:4], contract.start_date)
    if agreement is None and contract.from_certificate > 0:
        raise DocumentDataError(
            "Не найдено соглашение с уполномоченной организацией — плательщиком по сертификату "
            f"№ {contract.certificate_number}, действующее на {contract.start_date:%d.%m.%Y}. Соглашения регистрирует "
            "оператор; после синхронизации они видны в разделе «Реквизиты организации»."
        )
    if contract.from_certificate + contract.co_payment != contract.price:
        raise DocumentDataError(
            f"В договоре № {contract.display_number} части оплаты не сходятся с полной стоимостью: "
            "пересчитайте стоимость договора."
        )
    split = PriceSplit(
        contract_start=contract.start_date,
        contract_end=contract.end_date,
        period_days=days_inclusive(contract.start_date, contract.end_date),
        group_days=days_inclusive(group.start_date, group.end_date),
        price=contract.price,
        normative=contract.normative,
        from_certificate=contract.from_certificate,
        co_payment=contract.co_payment,
    )
    return ContractDocument(
        organization=organization,
        contract=contract,
        program=_program_info(program, module, group),
        split=split,
        schedule=tuple(monthly_schedule(split)),
        payment_agreement=agreement,
        place=place or organization.locality or DEFAULT_PLACE,
        document_date=document_date,
        verification_code=verification_code(contract),
        payment_due_day=payment_due_day,
        retention_years=retention_years,
    )


def _check_requisites(organization: OrganizationProfile) -> None:
    problems = validate_requisites(organization)
    if not problems:
        return
    listed = " ".join(problem.message for problem in problems[:_MAX_LISTED_PROBLEMS])
    more = len(problems) - _MAX_LISTED_PROBLEMS
    tail = f" И ещё замечаний: {more}." if more > 0 else ""
    raise DocumentDataError(f"Заполните реквизиты организации, прежде чем печатать договор. {listed}{tail}")


def _program_info(program: Program, module: Module, group: Group) -> ProgramInfo:
    if program.direction is None or program.kind is None or program.form is None or program.level is None:
        raise DocumentDataError(
            f"В программе «{program.short_name or program.full_name}» не указаны направленность, вид, "
            "форма обучения или уровень: заполните их, прежде чем печатать договор."
        )
    form = program.form.label
    if program.distance_technologies:
        form += " с применением дистанционных образовательных технологий"
    entries = sorted(group.schedule, key=lambda entry: (entry.weekday, entry.starts_at))
    schedule_lines = tuple(
        f"{entry.weekday.label}, {entry.starts_at:%H:%M}–{entry.ends_at:%H:%M}"
        + (f", {entry.room}" if entry.room else "")
        for entry in entries
    )
    addresses = tuple(dict.fromkeys(entry.address for entry in entries if entry.address.strip()))
    return ProgramInfo(
        full_name=program.full_name,
        kind=program.kind.label,
        direction=program.direction.label,
        level=program.level.label,
        form=form,
        duration_months=program.duration_months,
        final_document=program.final_document,
        module_name=module.name,
        module_hours=module.hours,
        group_name=group.name,
        teacher=group.teacher,
        schedule_lines=schedule_lines,
        addresses=addresses or program.addresses,
    )
