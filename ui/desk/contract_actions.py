"""The actions a contract's status allows, as the clerk starts them from a list: ask what is needed (a reason,
the date of signing, the details), then call ``ContractService`` on the database lane.

Every transition goes through the domain's state machine in the service; the buttons only offer what
``allowed_actions`` allows. The outcome comes back as ``done`` (the changed contract) or ``failed`` (the
service's Russian message).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop_app.domain.contract import ContractAction, allowed_actions, termination_effective_date
from desktop_app.errors import as_expected
from desktop_app.services.contract_views import ContractView
from desktop_app.services.contracts import COMPLETABLE, ContractService, Person
from ui.desk.prompts import ContractPrompts, refusal_question, termination_question
from ui.task_runner import Lane, TaskRunner

CLERK_ACTIONS = (ContractAction.CONFIRM, ContractAction.ACTIVATE, ContractAction.TERMINATE, ContractAction.REFUSE)
"""What a clerk can do; accepting, rejecting and closing are the server's."""
SIGNED_IN_FUTURE = "Дата подписания не может быть позже сегодняшнего дня."


def can(view: ContractView | None, action: ContractAction) -> bool:
    return view is not None and action in allowed_actions(view.status)


def can_complete(view: ContractView | None) -> bool:
    return view is not None and view.status in COMPLETABLE


def effective_termination(view: ContractView, today: date) -> date:
    """When a termination asked for today takes effect: the month's last day, or the contract's end if sooner."""
    return min(termination_effective_date(today), view.contract.end_date)


class ContractActions(QObject):
    done = Signal(object)
    """The changed ``Contract``."""
    failed = Signal(str)

    def __init__(
        self,
        contracts: ContractService,
        runner: TaskRunner,
        owner: QWidget,
        today: Callable[[], date],
        prompts: ContractPrompts | None = None,
    ) -> None:
        super().__init__(owner)
        self._contracts = contracts
        self._runner = runner
        self._owner = owner
        self._today = today
        self.prompts = prompts or ContractPrompts()

    def confirm(self, view: ContractView) -> None:
        contract_id = view.id
        self._run("confirm contract", lambda: self._contracts.confirm(contract_id))

    def activate(self, view: ContractView) -> None:
        today = self._today()
        signed_on = self.prompts.ask_signing_date(self._owner, view.contract.display_number, today)
        if signed_on is None:
            return
        if signed_on > today:
            self.failed.emit(SIGNED_IN_FUTURE)
            return
        contract_id = view.id
        self._run("activate contract", lambda: self._contracts.activate(contract_id, signed_on))

    def terminate(self, view: ContractView) -> None:
        today = self._today()
        question = termination_question(view.contract.display_number, effective_termination(view, today))
        reason = self.prompts.ask_reason(self._owner, question, "Расторгнуть")
        if reason is None:
            return
        contract_id = view.id
        self._run("terminate contract", lambda: self._contracts.terminate(contract_id, reason, today))

    def refuse(self, view: ContractView) -> None:
        what = "заявку" if view.contract.source == "portal" else "договор"
        reason = self.prompts.ask_reason(
            self._owner, refusal_question(f"{what} {view.contract.display_number}"), "Отклонить"
        )
        if reason is None:
            return
        contract_id = view.id
        self._run("refuse contract", lambda: self._contracts.refuse(contract_id, reason))

    def complete(self, view: ContractView) -> None:
        contract = view.contract
        answer = self.prompts.ask_details(
            self._owner,
            contract.display_number,
            Person(
                contract.parent_full_name,
                contract.parent_phone,
                contract.parent_email,
                contract.parent_address,
                contract.parent_document,
            ),
            Person(contract.child_full_name, address=contract.child_address),
            contract.child_birth_date,
        )
        if answer is None:
            return
        parent, child = answer
        contract_id = view.id
        self._run("complete details", lambda: self._contracts.complete_details(contract_id, parent, child))

    def _run(self, name: str, work: Callable[[], object]) -> None:
        self._runner.run(Lane.DATABASE, name, lambda _control: work(), self.done.emit, on_failure=self._failed)

    def _failed(self, error: BaseException) -> None:
        expected = as_expected(error)
        if expected is None:
            self._runner.report_error(error)
            return
        self.failed.emit(expected.user_message)
