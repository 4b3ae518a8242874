"""«Приём по сертификату»: the certificate field against tricky inputs, the surname as people type it, and the
panels a check ends with (found, not found, offline, frozen, expired, no agreement), against the real server.
"""

# ruff: noqa: F811 — the server's fixtures are imported by name and taken by the tests as arguments

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from desktop_app.bootstrap import AppContext
from desktop_app.domain.money import format_kopecks
from desktop_app.services.certificates import NOT_FOUND
from server.clock import FixedClock
from server.db.engine import ServerDatabase
from server.db.models import Certificate, CertificateBalance, Period
from tests.server.world import World
from tests.ui.desk_support import (  # noqa: F401 — fixtures, found by pytest by name
    WAIT_MS,
    OpenStation,
    open_station,
    press_enter,
    save_picture,
    today,
    type_and_check,
    type_text,
)
from tests.ui.server_fixtures import (  # noqa: F401 — fixtures, found by pytest by name
    app,
    clock,
    config,
    database,
    database_url,
    live_server,
    world,
)
from ui.desk.certificate_panel import offline_text
from ui.pages.desk_page import SURNAME_MISSING, SURNAME_NEXT, DeskPage
from ui.task_runner import TaskRunner

NINE = "В номере сертификата 9 цифр, а нужно 10: проверьте, не пропущена ли цифра."
ELEVEN = "В номере сертификата 11 цифр, а нужно 10: проверьте, нет ли лишней цифры."
LETTER_O = "В номере сертификата буква «О» вместо нуля: номер состоит только из цифр."
NO_AGREEMENT = "У организации нет действующего соглашения с плательщиком по этому сертификату."
FROZEN = "Сертификат заморожен: записать по нему нельзя."
EXPIRED = "Сертификат недействителен: ребёнку исполнилось 18 лет."


def local_desk(qtbot: QtBot, context: AppContext, runner: TaskRunner) -> DeskPage:
    """A desk on a workstation that has never been online (enough for numbers that never reach a service)."""
    page = DeskPage(context.certificates, context.contracts, runner, today=today)
    qtbot.addWidget(page)
    page.resize(940, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


# ---------------------------------------------------------------- the number field, without the server


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param("421200000", NINE, id="9-digits"),
        pytest.param("42 12 00000 11", ELEVEN, id="11-digits"),
        pytest.param("42А2000001", "Номер сертификата состоит только из цифр, а в нём есть буквы: А.", id="letters"),
        pytest.param("4212 ABC 001", "Номер сертификата состоит только из цифр, а в нём есть буквы: ABC.", id="latin"),
        pytest.param("42120000О1", LETTER_O, id="cyrillic-O-for-zero"),
        pytest.param("", "Введите номер сертификата.", id="empty"),
    ],
)
def test_a_malformed_number_says_what_is_wrong_and_keeps_the_cursor_in_the_field(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, typed: str, message: str
) -> None:
    page = local_desk(qtbot, context, runner)
    result = type_and_check(qtbot, page, typed, "Петров")
    assert result is None
    assert page.panel.problem.isVisible()
    assert page.panel.problem.text() == message
    assert page.focusWidget() is page.number
    assert not runner.busy, "a malformed number never reaches the services"


def test_a_scanner_enter_without_a_surname_moves_to_the_surname(
    qtbot: QtBot, context: AppContext, runner: TaskRunner
) -> None:
    page = local_desk(qtbot, context, runner)
    type_text(page.number, "4212000001")
    press_enter(qtbot, page.number)
    assert page.focusWidget() is page.surname
    assert page.panel.hint.text() == SURNAME_NEXT
    type_text(page.number, "9")
    with qtbot.waitSignal(page.checked, timeout=WAIT_MS) as checked:
        press_enter(qtbot, page.number)
    assert checked.args[0] is None
    assert page.panel.problem.text() == ELEVEN


def test_a_number_without_a_surname_asks_for_it(qtbot: QtBot, context: AppContext, runner: TaskRunner) -> None:
    page = local_desk(qtbot, context, runner)
    type_text(page.number, "4212000001")
    with qtbot.waitSignal(page.checked, timeout=WAIT_MS):
        qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    assert page.panel.problem.text() == SURNAME_MISSING
    assert page.focusWidget() is page.surname


def test_a_pasted_number_with_line_breaks_becomes_one_line(
    qtbot: QtBot, context: AppContext, runner: TaskRunner
) -> None:
    page = local_desk(qtbot, context, runner)
    QApplication.clipboard().setText("42 12\n000001\r\n")
    page.number.setFocus()
    page.number.paste()
    assert page.number.text() == "42 12 000001"


# ---------------------------------------------------------------- against the server


@pytest.mark.parametrize(
    ("number", "surname", "key"),
    [
        pytest.param("4212000001", "Петров", "c1", id="plain"),
        pytest.param("42 12 000001", "петров", "c1", id="spaces-lower-case"),
        pytest.param("42-12-000001", "ПЕТРОВ", "c1", id="dashes-upper-case"),
        pytest.param("42 – 12 – 000002", "Соколова-Елкина", "c2", id="en-dashes-yo-as-ye"),
        pytest.param("4212000002", "соколова - ёлкина", "c2", id="hyphenated-with-spaces"),
        pytest.param(" 4212 000002 ", "  Соколова-Ёлкина ", "c2", id="padded"),
    ],
)
def test_tricky_but_valid_inputs_find_the_certificate(
    qtbot: QtBot, open_station: OpenStation, world: World, number: str, surname: str, key: str
) -> None:
    page = open_station(world.a.clerk).desk(qtbot)
    result = type_and_check(qtbot, page, number, surname)
    assert result is not None, page.panel.text()
    certificate = world.certificates[key]
    assert page.result is not None and page.result.check.number == certificate.number
    assert page.number.text().replace("\u00a0", " ") == " ".join(
        (certificate.number[:2], certificate.number[2:4], certificate.number[4:])
    )


def test_a_scanner_types_the_digits_and_presses_enter(qtbot: QtBot, open_station: OpenStation, world: World) -> None:
    page = open_station(world.a.clerk).desk(qtbot)
    type_text(page.surname, "Петров")
    page.number.setFocus()
    type_text(page.number, "4212000001")
    with qtbot.waitSignal(page.checked, timeout=WAIT_MS) as checked:
        press_enter(qtbot, page.number)
    assert checked.args[0] is not None


def test_pasted_text_with_a_newline_is_checked(qtbot: QtBot, open_station: OpenStation, world: World) -> None:
    page = open_station(world.a.clerk).desk(qtbot)
    type_text(page.surname, "Петров")
    QApplication.clipboard().setText("4212\n000001\n")
    page.number.setFocus()
    page.number.paste()
    with qtbot.waitSignal(page.checked, timeout=WAIT_MS) as checked:
        press_enter(qtbot, page.number)
    assert checked.args[0] is not None


def test_found_online_shows_the_child_the_money_and_the_contracts(
    qtbot: QtBot, open_station: OpenStation, world: World, artifacts_dir: Path
) -> None:
    page = open_station(world.a.clerk).desk(qtbot)
    assert type_and_check(qtbot, page, "42 12 000002", "Соколова-Ёлкина") is not None
    panel = page.panel
    assert panel.name.text() == "Соколова-Ёлкина Тест"
    assert panel.birth.text() == "20.11.2015 (10 лет)"
    assert panel.kind.text() == "сертификат ПФ"
    assert panel.state.text() == "действует"
    assert panel.agreement.text() == "действует"
    assert panel.balance_current.text() == format_kopecks(500_000)
    assert panel.balance_next.text() == format_kopecks(3_000_000)
    assert panel.contracts.text() == "Договоров с организацией нет."
    assert not panel.offline.isVisible() and not panel.unusable.isVisible()
    qtbot.waitUntil(lambda: page.enrollment.quote is not None, timeout=WAIT_MS)
    assert page.enrollment.isVisible()
    save_picture(page, artifacts_dir / "desk-found.png")


@pytest.mark.parametrize(
    ("number", "surname"),
    [pytest.param("4212999999", "Петров", id="no-such-number"), pytest.param("4212000001", "Петрова", id="surname")],
)
def test_not_found_and_a_wrong_surname_get_one_message(
    qtbot: QtBot, open_station: OpenStation, world: World, artifacts_dir: Path, number: str, surname: str
) -> None:
    page = open_station(world.a.clerk).desk(qtbot)
    assert type_and_check(qtbot, page, number, surname) is None
    assert page.panel.problem.text() == NOT_FOUND
    assert not page.enrollment.isVisible()
    assert page.focusWidget() is page.number
    save_picture(page, artifacts_dir / "desk-not-found.png")


def test_offline_the_mirror_answers_and_says_how_old_it_is(
    qtbot: QtBot, open_station: OpenStation, world: World, artifacts_dir: Path
) -> None:
    station = open_station(world.a.clerk)
    station.network.online = False
    page = station.desk(qtbot)
    assert type_and_check(qtbot, page, "4212000001", "петров") is not None
    check = page.result.check if page.result else None
    assert check is not None and check.offline and check.as_of is not None
    panel = page.panel
    assert panel.offline.isVisible()
    assert offline_text(check) in panel.offline.text()
    assert offline_text(check) == f"по данным на {check.as_of.astimezone():%d.%m.%Y %H:%M}, нет связи с сервером"
    assert panel.name.text() == "Сертификат 42\u00a012\u00a0000001", "offline the mirror has no names"
    assert panel.agreement.text() == "проверит сервер"
    assert panel.balance_current.text() == format_kopecks(2_000_000)
    qtbot.waitUntil(lambda: page.enrollment.quote is not None, timeout=WAIT_MS)
    save_picture(page, artifacts_dir / "desk-offline.png")
    assert type_and_check(qtbot, page, "4212000001", "Сидоров") is None
    assert page.panel.problem.text() == NOT_FOUND


def test_no_agreement_with_the_payer_is_said_and_enrollment_is_not_offered(
    qtbot: QtBot, open_station: OpenStation, world: World
) -> None:
    page = open_station(world.b.clerk).desk(qtbot)  # «b» has no agreement with payer 13 (certificate c3)
    assert type_and_check(qtbot, page, world.certificates["c3"].number, "Иванов") is not None
    assert page.panel.agreement.text() == "нет"
    assert page.panel.unusable.text() == NO_AGREEMENT
    assert not page.enrollment.isVisible()


def test_a_frozen_certificate_is_said_in_red(
    qtbot: QtBot, open_station: OpenStation, world: World, database: ServerDatabase
) -> None:
    with database.transaction() as session:
        session.execute(update(Certificate).where(Certificate.number == "4212000001").values(frozen=True))
    page = open_station(world.a.clerk).desk(qtbot)
    assert type_and_check(qtbot, page, "4212000001", "Петров") is not None
    assert page.panel.state.text() == "заморожен"
    assert page.panel.unusable.text() == FROZEN
    assert not page.enrollment.isVisible()


def test_an_expired_certificate_is_said(
    qtbot: QtBot, open_station: OpenStation, world: World, database: ServerDatabase, clock: FixedClock
) -> None:
    now = clock.now()
    with database.transaction() as session:
        grown_up = Certificate(
            id=uuid.uuid4(),
            number="4212000099",
            surname="Взрослов",
            first_name="Тест",
            patronymic="",
            birth_date=date(2008, 5, 1),
            kind="financing",
            payer_id=world.payer_ids["12"],
            frozen=False,
            created_at=now,
            updated_at=now,
        )
        session.add(grown_up)
        session.flush()
        for period in session.scalars(select(Period)):
            session.add(
                CertificateBalance(
                    certificate_id=grown_up.id, period_id=period.id, nominal=100_000, balance=100_000, reserve=0
                )
            )
    page = open_station(world.a.clerk).desk(qtbot)
    assert type_and_check(qtbot, page, "4212000099", "взрослов") is not None
    assert page.panel.state.text() == "истёк (ребёнку 18 лет)"
    assert page.panel.birth.text() == "01.05.2008 (18 лет)"
    assert page.panel.unusable.text() == EXPIRED
    assert not page.enrollment.isVisible()
