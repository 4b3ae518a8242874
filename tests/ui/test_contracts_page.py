"""«Договоры» on a workstation with contracts in every status: the table models (qtmodeltester), filters and
search, the actions each status allows and what they queue for the server, and a picture of the list."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.bootstrap import AppContext
from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.pricing import FinancingPeriod, monthly_schedule
from desktop_app.domain.program import CertificationStatus, Program
from desktop_app.services.contract_views import ContractFilter
from desktop_app.services.contracts import Person
from desktop_app.sync.payloads import OPERATION_PAYLOADS
from tests.ui.desk_support import PARENT, WAIT_MS, AnsweringPrompts, save_picture, today
from tests.ui.programs_support import full_program
from ui.desk.split_panel import ScheduleModel
from ui.models.contracts_model import ContractColumn, ContractsFilter, ContractsModel, ViewRole
from ui.pages.contracts_page import ContractsPage
from ui.task_runner import TaskRunner

NOW = datetime(2026, 9, 10, 3, 30, tzinfo=UTC)
PERIODS = (
    FinancingPeriod("2026/27", date(2026, 9, 1), date(2027, 8, 31)),
    FinancingPeriod("2027/28", date(2027, 9, 1), date(2028, 8, 31)),
)
LATE = "Свободных мест в группе «Группа 1-А» не осталось: кто-то опередил Вас (10.09.2026 10:30)."


def contract(program: Program, number: str | None, status: ContractStatus, **changes: object) -> Contract:
    module = program.modules[int(str(changes.pop("module", 0)))]
    made = Contract(
        id=uuid.uuid4(),
        provisional_number=f"П-TEST-{uuid.uuid4().hex[:4]}",
        number=number,
        status=status,
        certificate_number="4212000001",
        child_full_name="Петров Пётр Петрович",
        child_birth_date=date(2016, 3, 1),
        parent_full_name="Петрова Анна Сергеевна",
        program_id=program.id,
        module_id=module.id,
        group_id=module.groups[0].id,
        start_date=date(2026, 10, 1),
        end_date=date(2027, 5, 31),
        price=1_068_132,
        from_certificate=500_000,
        co_payment=568_132,
        normative=1_335_165,
    )
    return dataclasses.replace(made, **changes)  # type: ignore[arg-type]


@pytest.fixture
def programs() -> tuple[Program, Program]:
    return (
        full_program(status=CertificationStatus.CERTIFIED),
        full_program("Шахматы для всех", "Шахматы", status=CertificationStatus.CERTIFIED),
    )


@pytest.fixture
def contracts(context: AppContext, programs: tuple[Program, Program]) -> dict[str, Contract]:
    """Contracts in every status a clerk meets, written straight into the workstation's database."""
    robots, chess = programs
    made = {
        "active": contract(robots, "1-ПФ", ContractStatus.ACTIVE, signed_on=date(2026, 9, 5)),
        "application": contract(
            robots,
            "2-ПФ",
            ContractStatus.REQUESTED,
            module=1,
            source="portal",
            certificate_number="4212000002",
            child_full_name="Соколова-Ёлкина Алёна Тестовна",
            parent_full_name="",
        ),
        "pending": contract(
            chess, None, ContractStatus.PENDING, certificate_number="4213000003", child_full_name="Иванов Иван"
        ),
        "rejected": contract(
            robots,
            None,
            ContractStatus.REJECTED,
            certificate_number="4212000004",
            child_full_name="Смирнов Олег",
            reason=LATE,
        ),
        "confirmed": contract(
            chess, "3-ПФ", ContractStatus.CONFIRMED, start_date=date(2027, 9, 1), end_date=date(2028, 5, 31)
        ),
        "terminating": contract(
            chess, "4-ПФ", ContractStatus.TERMINATING, module=1, terminates_on=date(2026, 9, 30), reason="Переезд"
        ),
        "refused": contract(robots, "5-ПФ", ContractStatus.REFUSED, module=1, reason="Не пришли"),
    }
    with context.database.write() as work:
        for program in programs:
            work.programs.save(program, NOW)
        for period in PERIODS:
            work.periods.save(period)
        for offset, item in enumerate(made.values()):
            work.contracts.save(item, NOW + timedelta(minutes=offset))
    return made


@pytest.fixture
def answers() -> AnsweringPrompts:
    return AnsweringPrompts()


@pytest.fixture
def page(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, contracts: dict[str, Contract], answers: AnsweringPrompts
) -> ContractsPage:
    made = ContractsPage(context.contracts, runner, today=today, prompts=answers.prompts())
    qtbot.addWidget(made)
    made.resize(940, 700)
    made.show()
    qtbot.waitExposed(made)
    with qtbot.waitSignal(made.loaded, timeout=WAIT_MS):
        made.refresh()
    return made


def shown_numbers(page: ContractsPage) -> set[str]:
    return {page.proxy.view_at(row).contract.display_number for row in range(page.proxy.rowCount())}


def choose(page: ContractsPage, key: str, contracts: dict[str, Contract]) -> None:
    assert page.select_contract(contracts[key].id), key


def queued(context: AppContext) -> list[tuple[str, dict[str, object]]]:
    with context.database.read() as work:
        return [(operation.op_type, operation.payload) for operation in work.outbox.pending()]


# ---------------------------------------------------------------- models


def test_the_table_models_pass_the_model_tester(
    qtmodeltester: ModelTester, context: AppContext, contracts: dict[str, Contract]
) -> None:
    views = context.contracts.contracts()
    model = ContractsModel()
    model.set_views(views)
    qtmodeltester.check(model)
    proxy = ContractsFilter(model)
    proxy.set_filter(ContractFilter(search="петров"))
    qtmodeltester.check(proxy)
    model.sort(ContractColumn.PRICE)
    qtmodeltester.check(proxy)
    queue = ContractsModel(keep_order=True)
    queue.set_views(context.contracts.applications())
    qtmodeltester.check(queue)
    schedule = ScheduleModel()
    schedule.set_schedule(views[0].schedule())
    qtmodeltester.check(schedule)
    assert schedule.rowCount() == len(monthly_schedule(views[0].split())) + 1
    assert model.index(0, 0).data(ViewRole) is model.views()[0]


# ---------------------------------------------------------------- filters and search


def test_everything_is_listed_newest_first(page: ContractsPage, contracts: dict[str, Contract]) -> None:
    assert page.proxy.rowCount() == len(contracts)
    assert page.proxy.view_at(0).contract.display_number == "5-ПФ"
    assert page.counter.text() == f"Показано договоров: {len(contracts)} из {len(contracts)}"


ALL_BUT_THE_APPLICATION = {"active", "pending", "rejected", "confirmed", "terminating", "refused"}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        pytest.param("42 12 000002", {"application"}, id="certificate-with-spaces"),
        pytest.param("4212-000002", {"application"}, id="certificate-with-a-dash"),
        pytest.param("4213", {"pending"}, id="certificate-prefix"),
        pytest.param("елкина", {"application"}, id="yo-as-ye"),
        pytest.param("СОКОЛОВА-ЁЛКИНА", {"application"}, id="upper-case-hyphenated"),
        pytest.param("петрова анна", ALL_BUT_THE_APPLICATION, id="parent-name"),
        pytest.param("3-пф", {"confirmed"}, id="contract-number"),
        pytest.param("  иванов  ", {"pending"}, id="spaces-around"),
        pytest.param("Сидоров", set(), id="nobody"),
    ],
)
def test_search_by_certificate_number_or_name(
    page: ContractsPage, contracts: dict[str, Contract], search: str, expected: set[str]
) -> None:
    page.search.setText(search)
    assert shown_numbers(page) == {contracts[key].display_number for key in expected}


def test_filters_by_status_program_group_and_period(
    page: ContractsPage, contracts: dict[str, Contract], programs: tuple[Program, Program]
) -> None:
    _robots, chess = programs
    page.status_filter.setCurrentIndex(page.status_filter.findData(ContractStatus.ACTIVE.value))
    assert shown_numbers(page) == {"1-ПФ"}
    page.status_filter.setCurrentIndex(0)
    page.program_filter.setCurrentIndex(page.program_filter.findData(str(chess.id)))
    assert shown_numbers(page) == {"3-ПФ", "4-ПФ", contracts["pending"].provisional_number}
    groups = [page.group_filter.itemText(index) for index in range(page.group_filter.count())]
    assert groups == ["Все группы", "Группа 1-А (Первый год обучения)", "Группа 2-А (Второй год обучения)"]
    page.group_filter.setCurrentIndex(page.group_filter.findData(str(chess.modules[1].groups[0].id)))
    assert shown_numbers(page) == {"4-ПФ"}
    page.program_filter.setCurrentIndex(0)
    page.group_filter.setCurrentIndex(0)
    page.period_filter.setCurrentIndex(page.period_filter.findData("2027/28"))
    assert shown_numbers(page) == {"3-ПФ"}
    assert page.counter.text() == f"Показано договоров: 1 из {len(contracts)}"


# ---------------------------------------------------------------- actions


@pytest.mark.parametrize(
    ("key", "enabled"),
    [
        ("pending", set()),
        ("rejected", set()),
        ("application", {"confirm", "refuse", "details"}),
        ("confirmed", {"activate", "refuse", "details"}),
        ("active", {"terminate"}),
        ("terminating", set()),
        ("refused", set()),
    ],
)
def test_the_toolbar_offers_what_the_status_allows(
    page: ContractsPage, contracts: dict[str, Contract], key: str, enabled: set[str]
) -> None:
    choose(page, key, contracts)
    actions = {
        "confirm": page.confirm_action,
        "activate": page.activate_action,
        "terminate": page.terminate_action,
        "refuse": page.refuse_action,
        "details": page.details_action,
    }
    assert {name for name, action in actions.items() if action.isEnabled()} == enabled


def run_action(qtbot: QtBot, page: ContractsPage, action: object) -> None:
    with qtbot.waitSignals([page.contracts_changed, page.loaded], timeout=WAIT_MS):
        action.trigger()  # type: ignore[attr-defined]


def test_confirm_refuse_and_complete_an_application(
    qtbot: QtBot, page: ContractsPage, context: AppContext, contracts: dict[str, Contract], answers: AnsweringPrompts
) -> None:
    application = contracts["application"]
    choose(page, "application", contracts)
    assert "данные не заполнены" in page.details.text()
    answers.details = (PARENT, Person("Соколова-Ёлкина Алёна Тестовна", address="г. Кемерово"))
    run_action(qtbot, page, page.details_action)
    assert f"Родитель: {PARENT.full_name}, {PARENT.phone}, {PARENT.email}" in page.details.text()
    run_action(qtbot, page, page.confirm_action)
    assert page.selected() is not None and page.selected().status is ContractStatus.CONFIRMED  # type: ignore[union-attr]
    (complete, payload), (confirm, _confirm_payload) = queued(context)
    assert (complete, confirm) == ("contract.complete", "contract.confirm")
    OPERATION_PAYLOADS[("contract.complete", 1)].model_validate(payload)
    assert payload["contract_id"] == str(application.id)
    assert payload["parent"] == {
        "full_name": PARENT.full_name,
        "phone": PARENT.phone,
        "email": PARENT.email,
        "address": PARENT.address,
        "identity_document": PARENT.identity_document,
    }
    run_action(qtbot, page, page.refuse_action)
    assert answers.questions[-1].startswith("Отклонить заявку 2-ПФ?")
    assert page.reason.text() == f"Причина: {answers.reason}"
    assert page.reason.objectName() == "deskHint"


def test_termination_says_when_it_takes_effect(
    qtbot: QtBot, page: ContractsPage, context: AppContext, contracts: dict[str, Contract], answers: AnsweringPrompts
) -> None:
    choose(page, "active", contracts)
    run_action(qtbot, page, page.terminate_action)
    assert "Расторжение вступит в силу 30.09.2026 — в последний день месяца" in answers.questions[-1]
    assert "Расторжение вступает в силу 30.09.2026" in page.details.text()
    assert queued(context)[-1] == (
        "contract.terminate",
        {"contract_id": str(contracts["active"].id), "reason": answers.reason},
    )


def test_signing_may_not_be_dated_in_the_future(
    qtbot: QtBot, page: ContractsPage, context: AppContext, contracts: dict[str, Contract], answers: AnsweringPrompts
) -> None:
    choose(page, "confirmed", contracts)
    answers.signed_on = today() + timedelta(days=1)
    page.activate_action.trigger()
    assert page.message.isVisible()
    assert page.message.text() == "Дата подписания не может быть позже сегодняшнего дня."
    assert queued(context) == []
    answers.signed_on = today()
    run_action(qtbot, page, page.activate_action)
    assert not page.message.isVisible()
    assert queued(context) == [
        ("contract.activate", {"contract_id": str(contracts["confirmed"].id), "signed_on": today().isoformat()})
    ]


def test_a_rejection_is_highlighted_with_the_servers_reason(
    page: ContractsPage, contracts: dict[str, Contract], artifacts_dir: Path
) -> None:
    choose(page, "rejected", contracts)
    assert page.reason.isVisible() and page.reason.objectName() == "deskProblem"
    assert page.reason.text() == f"Отклонён сервером: {LATE}"
    row = page.model.row_of(contracts["rejected"].id)
    assert row is not None
    assert page.model.index(row, ContractColumn.STATUS).data() == "отклонён сервером"
    assert LATE in page.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)  # the tooltip tells the reason too
    choose(page, "active", contracts)
    save_picture(page, artifacts_dir / "contracts-list-statuses.png")
