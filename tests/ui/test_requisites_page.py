"""«Реквизиты организации» against a live server: the admin fills them in with messages next to the fields,
saves offline-first, a sync delivers them; a clerk sees them read-only; a sync never wipes what is typed."""

# ruff: noqa: F811 — the server's fixtures are imported by name and taken by the tests as arguments

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.domain.requisites import validate_requisites
from tests.server.world import World
from tests.ui.desk_support import (  # noqa: F401 — fixtures, found by pytest by name
    WAIT_MS,
    OpenStation,
    Station,
    open_station,
    save_picture,
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
from ui.pages.requisites_page import READ_ONLY, RequisitesPage
from ui.requisites.form import BAD_DATE

COMPLETE = {
    "full_name": "Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества № 2»",
    "short_name": "МБУ ДО «ДДТ № 2»",
    "inn": "4205012438",
    "kpp": "420501001",
    "ogrn": "1024205000016",
    "license_number": "Л035-01234-42/00000001",
    "license_date": "02.03.2016",
    "license_issuer": "Министерство образования Кузбасса",
    "legal_address": "650000, г. Кемерово, ул. Весенняя, д. 11",
    "actual_address": "650000, г. Кемерово, ул. Весенняя, д. 11",
    "bank_name": "Кемеровское отделение № 8615 ПАО Сбербанк",
    "bik": "043207612",
    "settlement_account": "40701810300000000001",
    "correspondent_account": "30101810200000000612",
    "signatory_name": "Кузнецова Татьяна Ивановна",
    "signatory_position": "директор",
    "signatory_basis": "Устава",
}


def open_page(qtbot: QtBot, station: Station) -> RequisitesPage:
    page = RequisitesPage(station.context.requisites, station.runner)
    qtbot.addWidget(page)
    page.resize(940, 1000)
    station.pages.append(page)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.refresh()
    page.show()
    qtbot.waitExposed(page)
    return page


def fill(page: RequisitesPage, values: dict[str, str]) -> None:
    for name, text in values.items():
        edit = page.form.fields[name]
        edit.selectAll()
        type_text(edit, text)


def error_of(page: RequisitesPage, name: str) -> str:
    label = page.form.errors[name]
    return label.text() if label.isVisibleTo(page) else ""


def test_wrong_values_are_said_next_to_their_fields_and_block_saving(
    qtbot: QtBot, open_station: OpenStation, world: World
) -> None:
    station = open_station(world.a.admin)
    page = open_page(qtbot, station)
    fill(page, {"inn": "4205012439", "bik": "04320761", "license_date": "2016-03-02"})
    assert "контрольная цифра" in error_of(page, "inn")
    assert "9 цифр" in error_of(page, "bik")
    assert error_of(page, "license_date") == BAD_DATE
    assert not page.save_button.isEnabled()
    save_picture(page, Path("test-artifacts") / "requisites-errors.png")

    fill(page, {"inn": "4205012438", "bik": "043207612", "license_date": "02.03.2016"})
    assert [error_of(page, name) for name in ("inn", "bik", "license_date")] == ["", "", ""]
    assert page.save_button.isEnabled()
    assert "не хватает" in page.missing.text()


def test_the_admin_saves_offline_and_a_sync_delivers_the_requisites_to_a_clerk(
    qtbot: QtBot, open_station: OpenStation, world: World
) -> None:
    admin = open_station(world.a.admin)
    page = open_page(qtbot, admin)
    admin.network.online = False
    fill(page, COMPLETE)
    with qtbot.waitSignal(page.requisites_changed, timeout=WAIT_MS):
        page.save_button.click()
    assert not page.dirty
    assert page.missing.text() == "Реквизиты заполнены: договоры печатаются полностью."
    assert "ждут отправки" in page.notice.text()
    with admin.context.database.read() as work:
        queued = [operation.op_type for operation in work.outbox.pending()]
    assert queued == ["organization.requisites"]
    save_picture(page, Path("test-artifacts") / "requisites-saved.png")

    admin.network.online = True
    admin.sync(qtbot)
    clerk = open_station(world.a.clerk)
    clerk_page = open_page(qtbot, clerk)
    assert clerk_page.notice.text() == READ_ONLY
    assert all(edit.isReadOnly() for edit in clerk_page.form.fields.values())
    assert {name: clerk_page.form.fields[name].text() for name in COMPLETE} == COMPLETE
    assert clerk_page.agreements.rowCount() == 2
    with clerk.context.database.read() as work:
        profile = work.organization.get()
    assert profile is not None and validate_requisites(profile) == []
    assert profile.agreement_with("13") is not None
    save_picture(clerk_page, Path("test-artifacts") / "requisites-clerk.png")
    assert admin.errors == [] and clerk.errors == []


def test_a_sync_never_wipes_what_the_admin_is_typing(qtbot: QtBot, open_station: OpenStation, world: World) -> None:
    station = open_station(world.a.admin)
    page = open_page(qtbot, station)
    fill(page, {"signatory_name": "Кузнецова Татьяна Ивановна"})
    page.refresh()
    station.settle(qtbot)
    assert page.form.fields["signatory_name"].text() == "Кузнецова Татьяна Ивановна"
    page.revert_button.click()
    qtbot.waitUntil(lambda: page.form.fields["signatory_name"].text() == "", timeout=WAIT_MS)
    assert not page.save_button.isEnabled()
