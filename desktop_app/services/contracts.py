"""Enrolling a child and the life of a contract, at the desk, online or not.

Every change is written locally and queued for the server in one transaction. A contract made here is
«ждёт отправки» with a provisional number until the server accepts it (final number) or refuses it (the
reason is kept on the contract and in the sync inbox). The split shown to the parent is computed by the
domain from what this workstation knows; the server recomputes it and refuses if it disagrees.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from desktop_app.domain.certificate import CertificateKind
from desktop_app.domain.contract import (
    Contract,
    ContractAction,
    ContractStatus,
    TransitionNotAllowed,
    next_status,
    termination_effective_date,
)
from desktop_app.domain.money import format_kopecks
from desktop_app.domain.pricing import (
    ContractTerms,
    FinancingPeriod,
    MonthlyPayment,
    PriceSplit,
    PricingError,
    monthly_schedule,
    period_containing,
    split_price,
)
from desktop_app.domain.program import CertificationStatus, Group, Module, Program
from desktop_app.errors import ExpectedError
from desktop_app.services.certificates import CertificateCheck, CertificateState
from desktop_app.services.contract_payloads import complete_payload, request_payload
from desktop_app.services.contract_views import ContractView, make_view, number_order
from desktop_app.storage.database import Database, UnitOfWork

PENDING_STATUSES = (ContractStatus.PENDING,)
COMPLETABLE = (ContractStatus.REQUESTED, ContractStatus.CONFIRMED)
"""Statuses in which the parent's and the child's details can still be completed (before signing)."""


@dataclass(frozen=True, slots=True)
class Person:
    full_name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    identity_document: str = ""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a child can go: a group of a module of a certified program."""

    program: Program
    module: Module
    group: Group
    free_places: int = 0
    """Free places as this workstation knows them (its own requests not yet counted by the server taken off)."""


@dataclass(frozen=True, slots=True)
class Quote:
    """What the parent is shown before anything is saved."""

    placement: Placement
    period: FinancingPeriod
    split: PriceSplit
    schedule: tuple[MonthlyPayment, ...]
    queued_from_certificate: int
    """Certificate money of the same period already asked for by requests from here that the server has not
    decided yet."""
    warning: str | None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ContractService:
    def __init__(
        self,
        database: Database,
        workstation_code: Callable[[], str],
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._database = database
        self._workstation_code = workstation_code
        self._now = now

    # ------------------------------------------------------------ choosing a place

    def placements(self, check: CertificateCheck, start: date) -> list[Placement]:
        """Certified programs' groups with a free place, open on ``start``, whose age range fits the child.

        Places held by requests made here that the server has not counted yet are not free. A certificate
        of accounting (учёт) pays for nothing, so it is offered free modules only.
        """
        with self._database.read() as work:
            programs = work.programs.list_all()
            pending = work.contracts.pending_per_group()
        free_only = check.kind is CertificateKind.ACCOUNTING
        offered = [
            Placement(program, module, group, group.free_places - pending.get(group.id, 0))
            for program in programs
            if program.status is CertificationStatus.CERTIFIED and program.age_range.admits(check.birth_date, start)
            for module in program.modules
            if module.normative is not None and (module.price == 0 or not free_only)
            for group in module.groups
            if group.start_date <= start <= group.end_date
        ]
        return [placement for placement in offered if placement.free_places > 0]

    def quote(self, check: CertificateCheck, group_id: uuid.UUID, start: date) -> Quote:
        """Price, the certificate's part, the co-payment and the monthly schedule for this child here.

        Raises:
            ExpectedError: the certificate cannot pay, the group is not open on that date, no period is known.
        """
        _check_usable(check)
        with self._database.read() as work:
            placement = _placement(work, group_id)
            periods = work.periods.list_all()
            known = work.contracts.of_certificate(check.number)
        period = period_containing(periods, start)
        if period is None:
            raise ExpectedError(
                f"На {start:%d.%m.%Y} не известен период финансирования сертификатов: синхронизируйтесь с сервером."
            )
        queued = _queued_amount(known, period)
        balance = _balance_for(check, period, periods)
        module = placement.module
        assert module.normative is not None
        terms = ContractTerms(
            module_price=module.price,
            module_normative=module.normative,
            group_start=placement.group.start_date,
            group_end=placement.group.end_date,
            contract_start=start,
            period_end=period.ends_on,
            certificate_balance=max(balance - queued, 0),
        )
        try:
            split = split_price(terms)
        except PricingError as error:
            raise ExpectedError(error.message) from error
        warning = None
        if queued:
            warning = (
                f"С этого компьютера уже отправлены или ждут отправки заявки по этому сертификату на "
                f"{format_kopecks(queued)}; сумма рассчитана с их учётом. Если сервер решит иначе, "
                "заявка будет отклонена с пояснением."
            )
        return Quote(placement, period, split, tuple(monthly_schedule(split)), queued, warning)

    # ------------------------------------------------------------ the request

    def request(self, check: CertificateCheck, quote: Quote, parent: Person, child: Person) -> Contract:
        """Create the contract request here and queue it for the server (works offline).

        Raises:
            ExpectedError: the child already has an open contract on this module, or details are missing.
        """
        if not parent.full_name.strip() or not child.full_name.strip():
            raise ExpectedError("Укажите ФИО родителя и ребёнка.")
        placement = quote.placement
        now = self._now()
        with self._database.write() as work:
            if work.contracts.open_on_module(check.number, placement.module.id):
                raise ExpectedError("У ребёнка уже есть действующий договор по этому модулю.")
            prefix = f"П-{self._workstation_code()}-"
            contract = Contract(
                id=uuid.uuid4(),
                provisional_number=f"{prefix}{work.contracts.count_with_prefix(prefix) + 1}",
                number=None,
                status=ContractStatus.PENDING,
                certificate_number=check.number,
                child_full_name=child.full_name.strip(),
                child_surname=check.surname,
                child_birth_date=check.birth_date,
                child_address=child.address,
                parent_full_name=parent.full_name.strip(),
                parent_phone=parent.phone,
                parent_email=parent.email,
                parent_address=parent.address,
                parent_document=parent.identity_document,
                program_id=placement.program.id,
                module_id=placement.module.id,
                group_id=placement.group.id,
                start_date=quote.split.contract_start,
                end_date=quote.split.contract_end,
                price=quote.split.price,
                normative=quote.split.normative,
                from_certificate=quote.split.from_certificate,
                co_payment=quote.split.co_payment,
            )
            work.contracts.save(contract, now)
            work.outbox.enqueue(
                "contract.request",
                1,
                contract.id,
                request_payload(contract),
                now,
                refs=(placement.program.id, placement.module.id, placement.group.id),
                summary=f"Договор {contract.provisional_number}: заявка ({contract.child_full_name})",
            )
        return contract

    # ------------------------------------------------------------ lists

    def periods(self) -> list[FinancingPeriod]:
        """Financing periods of certificates, as the server published them, oldest first."""
        with self._database.read() as work:
            return work.periods.list_all()

    def contracts(self) -> list[ContractView]:
        """Contracts with the names of their program, module and group, newest first."""
        with self._database.read() as work:
            listing = work.contracts.listing()
        return [make_view(*item) for item in listing]

    def of_certificate(self, certificate_number: str) -> list[ContractView]:
        """The child's contracts with this organization, newest first (selected in SQL: read at every check)."""
        with self._database.read() as work:
            listing = work.contracts.listing(certificate_number=certificate_number)
        return [make_view(*item) for item in listing]

    def applications(self) -> list[ContractView]:
        """Parents' online applications waiting for the clerk's decision, oldest first.

        Selected in SQL: the queue is read after every change and sync, whatever the size of the register.
        """
        with self._database.read() as work:
            listing = work.contracts.listing(status=ContractStatus.REQUESTED, source="portal")
        return sorted((make_view(*item) for item in listing), key=lambda view: number_order(view.contract))

    def complete_details(self, contract_id: uuid.UUID, parent: Person, child: Person) -> Contract:
        """Fill in the parent's and the child's details (an online application has none) and queue them.

        Raises:
            ExpectedError: the names are missing, or the contract is already signed, refused or closed.
        """
        if not parent.full_name.strip() or not child.full_name.strip():
            raise ExpectedError("Укажите ФИО родителя и ребёнка.")
        now = self._now()
        with self._database.write() as work:
            contract = work.contracts.get(contract_id)
            if contract is None:
                raise ExpectedError("Договор не найден.")
            if contract.status not in COMPLETABLE:
                raise ExpectedError(
                    "Данные родителя и ребёнка дополняются до подписания договора; "
                    f"договор в статусе «{contract.status.label}»."
                )
            updated = dataclasses.replace(
                contract,
                parent_full_name=parent.full_name.strip(),
                parent_phone=parent.phone.strip(),
                parent_email=parent.email.strip(),
                parent_address=parent.address.strip(),
                parent_document=parent.identity_document.strip(),
                child_full_name=child.full_name.strip(),
                child_address=child.address.strip(),
            )
            work.contracts.save(updated, now)
            work.outbox.enqueue(
                "contract.complete",
                1,
                contract.id,
                complete_payload(updated),
                now,
                refs=(contract.id,),
                summary=f"Договор {contract.display_number}: данные родителя и ребёнка",
            )
        return updated

    # ------------------------------------------------------------ transitions

    def confirm(self, contract_id: uuid.UUID) -> Contract:
        return self._transition(contract_id, ContractAction.CONFIRM, "contract.confirm", {}, "подтверждение")

    def activate(self, contract_id: uuid.UUID, signed_on: date) -> Contract:
        return self._transition(
            contract_id,
            ContractAction.ACTIVATE,
            "contract.activate",
            {"signed_on": signed_on.isoformat()},
            "подписание",
            signed_on=signed_on,
        )

    def terminate(self, contract_id: uuid.UUID, reason: str, today: date) -> Contract:
        return self._transition(
            contract_id,
            ContractAction.TERMINATE,
            "contract.terminate",
            {"reason": _reason(reason)},
            "расторжение",
            terminates_on=termination_effective_date(today),
            reason=reason.strip(),
        )

    def refuse(self, contract_id: uuid.UUID, reason: str) -> Contract:
        return self._transition(
            contract_id,
            ContractAction.REFUSE,
            "contract.refuse",
            {"reason": _reason(reason)},
            "отказ",
            reason=reason.strip(),
        )

    def _transition(
        self,
        contract_id: uuid.UUID,
        action: ContractAction,
        op_type: str,
        payload: dict[str, str],
        what: str,
        **changes: object,
    ) -> Contract:
        now = self._now()
        with self._database.write() as work:
            contract = work.contracts.get(contract_id)
            if contract is None:
                raise ExpectedError("Договор не найден.")
            try:
                status = next_status(contract.status, action)
            except TransitionNotAllowed as error:
                raise ExpectedError(error.message) from error
            updated = dataclasses.replace(contract, status=status, **changes)  # type: ignore[arg-type]
            work.contracts.save(updated, now)
            work.outbox.enqueue(
                op_type,
                1,
                contract.id,
                {"contract_id": str(contract.id), **payload},
                now,
                refs=(contract.id,),
                summary=f"Договор {contract.display_number}: {what}",
            )
        return updated


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ExpectedError("Укажите причину.")
    return reason.strip()


def usability_problem(check: CertificateCheck) -> str | None:
    """Why a child cannot be enrolled on this certificate now, for the clerk; None when nothing stops it."""
    if check.state is CertificateState.FROZEN:
        return "Сертификат заморожен: записать по нему нельзя."
    if check.state is CertificateState.EXPIRED:
        return "Сертификат недействителен: ребёнку исполнилось 18 лет."
    if check.agreement_active is False:
        return "У организации нет действующего соглашения с плательщиком по этому сертификату."
    return None


def _check_usable(check: CertificateCheck) -> None:
    problem = usability_problem(check)
    if problem is not None:
        raise ExpectedError(problem)


def _placement(work: UnitOfWork, group_id: uuid.UUID) -> Placement:
    for program in work.programs.list_all():
        for module in program.modules:
            for group in module.groups:
                if group.id == group_id:
                    if program.status is not CertificationStatus.CERTIFIED or module.normative is None:
                        raise ExpectedError(f"Программа «{program.short_name}» не сертифицирована.")
                    return Placement(program, module, group)
    raise ExpectedError("Группа не найдена: возможно, её удалили. Синхронизируйтесь с сервером.")


def _queued_amount(contracts: list[Contract], period: FinancingPeriod) -> int:
    """Certificate money of ``period`` that requests made here and not yet decided by the server draw on.

    A contract is paid from the balance of the period it starts in, so requests of another period do not count.
    """
    return sum(
        contract.from_certificate
        for contract in contracts
        if contract.status in PENDING_STATUSES and period.starts_on <= contract.start_date <= period.ends_on
    )


def _balance_for(check: CertificateCheck, period: FinancingPeriod, periods: list[FinancingPeriod]) -> int:
    """The certificate's balance in ``period``: the current one, or the next one after it."""
    ordered = sorted(periods, key=lambda item: item.starts_on)
    current = period_containing(ordered, check.as_of.date()) if check.as_of else None
    if current is not None and period.starts_on > current.starts_on:
        return check.balance_next
    return check.balance_current
