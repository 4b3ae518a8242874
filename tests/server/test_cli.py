"""The ``pfdo-server`` set-up commands and the certificate import, run in-process and checked in the database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from server.auth.passwords import Passwords
from server.cli import main
from server.db import migrate
from server.db.models import (
    Agreement,
    AuditEntry,
    Certificate,
    CertificateBalance,
    ChangeLogEntry,
    Organization,
    Payer,
    Period,
    User,
)
from tests.server.cli_support import INN, PASSWORD, Cli, make_cli, region, school_year, submitted_program, write_csv


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return make_cli(tmp_path, capsys, monkeypatch)


# ---------------------------------------------------------------- set-up commands


def test_migrate_brings_the_schema_to_head(cli: Cli) -> None:
    out = cli.ok("migrate")
    assert "версия схемы" in out
    opened = cli.runtime()
    try:
        assert migrate.current_revision(opened.database.engine) == migrate.head_revision()
    finally:
        opened.close()
    assert (cli.data_dir / "secret.key").exists()


def test_help_and_bad_arguments_speak_russian(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "Использование: pfdo-server" in capsys.readouterr().out
    err = cli.refused("create-user", "--username", "x")
    assert "не указаны обязательные параметры: --organization, --full-name, --role" in err
    err = cli.refused("create-user", "--organization", INN, "--username", "x", "--full-name", "X", "--role", "boss")
    assert "недопустимое значение 'boss'" in err
    assert "неизвестная команда 'launch'" in cli.refused("launch")
    assert "не номер порта" in cli.refused("serve", "--port", "eighty")
    assert "не дата" in cli.refused("add-period", "--code", "x", "--starts", "1 сентября", "--ends", "2027-08-31")


def test_accounts_are_created_and_duplicates_refused(cli: Cli) -> None:
    region(cli)
    out = cli.ok(
        "create-user",
        *("--organization", INN, "--username", "clerk", "--full-name", "Полякова Елена", "--role", "clerk"),
        *("--password", PASSWORD),
    )
    assert "«clerk»" in out
    assert "уже существует" in cli.refused(
        "create-operator", "--username", "clerk", "--full-name", "Двойник", "--password", PASSWORD
    )
    assert "уже есть" in cli.refused(
        "create-organization",
        *("--name", "Другая", "--short-name", "Другая", "--inn", INN),
        *("--admin-username", "other", "--admin-full-name", "Другой", "--admin-password", PASSWORD),
    )
    assert "контрольных цифр" in cli.refused(
        "create-organization",
        *("--name", "Опечатка", "--short-name", "Опечатка", "--inn", "4205012439"),
        *("--admin-username", "typo", "--admin-full-name", "Опечаткин", "--admin-password", PASSWORD),
    )
    assert "не найдена" in cli.refused(
        "create-user", "--organization", "7700000000", "--username", "lost", "--full-name", "Потерянный",
        "--role", "clerk", "--password", PASSWORD,
    )  # fmt: skip
    assert "слишком короткий" in cli.refused(
        "create-operator", "--username", "weak", "--full-name", "Слабый", "--password", "123"
    )
    opened = cli.runtime()
    try:
        with opened.database.transaction() as session:
            users = {user.username: user for user in session.scalars(select(User))}
            organization = session.scalar(select(Organization).where(Organization.inn == INN))
            assert organization is not None
            assert session.scalar(select(func.count()).select_from(Organization)) == 1
    finally:
        opened.close()
    assert sorted(users) == ["clerk", "ddt-admin", "operator"]
    assert (users["operator"].role, users["operator"].organization_id) == ("operator", None)
    assert (users["ddt-admin"].role, users["ddt-admin"].organization_id) == ("org_admin", organization.id)
    assert (users["clerk"].role, users["clerk"].organization_id) == ("clerk", organization.id)
    assert Passwords().verify(users["clerk"].password_hash, PASSWORD)


def test_password_from_the_environment_or_typed_twice(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PFDO_PASSWORD", "из-окружения-1")
    cli.ok("create-operator", "--username", "env", "--full-name", "Из окружения")
    monkeypatch.delenv("PFDO_PASSWORD")
    typed = iter(["набрано-дважды", "набрано-дважды", "первый-вариант", "второй-вариант"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(typed))
    cli.ok("create-operator", "--username", "typed", "--full-name", "С клавиатуры")
    assert "Пароли не совпадают" in cli.refused("create-operator", "--username", "typo", "--full-name", "Опечатка")
    opened = cli.runtime()
    try:
        with opened.database.transaction() as session:
            hashes = {user.username: user.password_hash for user in session.scalars(select(User))}
    finally:
        opened.close()
    assert sorted(hashes) == ["env", "typed"]
    assert Passwords().verify(hashes["env"], "из-окружения-1")
    assert Passwords().verify(hashes["typed"], "набрано-дважды")


def test_payers_periods_and_agreements(cli: Cli) -> None:
    region(cli)
    starts, ends = school_year()
    cli.ok("add-period", "--code", "next", "--starts", f"01.09.{ends.year}", "--ends", f"31.08.{ends.year + 1}")
    assert "пересекается" in cli.refused(
        "add-period", "--code", "odd", "--starts", ends.isoformat(), "--ends", ends.isoformat()
    )
    assert "уже есть" in cli.refused("add-period", "--code", "next", "--starts", "2040-09-01", "--ends", "2041-08-31")
    assert "раньше" in cli.refused("add-period", "--code", "back", "--starts", "2041-09-01", "--ends", "2040-08-31")
    assert "уже есть" in cli.refused("add-payer", "--code", "12", "--name", "Двойник")
    assert "двух цифр" in cli.refused("add-payer", "--code", "123", "--name", "Длинный")
    assert "не найден" in cli.refused(
        "add-agreement", "--organization", INN, "--payer", "99", "--number", "1",
        "--signed", "2026-01-01", "--starts", "2026-01-01", "--ends", "2026-12-31",
    )  # fmt: skip
    assert cli.count(Payer) == 1
    assert cli.count(Period) == 2
    assert cli.count(Agreement, Agreement.status == "active", Agreement.starts_on == starts) == 1


# ---------------------------------------------------------------- certificate import


def test_import_of_a_good_csv(cli: Cli, tmp_path: Path) -> None:
    region(cli)
    path = write_csv(
        tmp_path / "реестр.csv",
        "4212000001;Петров;Пётр;Иванович;01.03.2015;ПФ;12;12000,50",
        "42-12-000002;Ёлкина;Анна;;2014-05-06;учёт;12;",
        "4212000003;Ким;Ева;;02.02.2016;сертификат ПФ;12;9 000",
    )
    out = cli.ok("import-certificates", str(path), "--period", "current")
    assert "Загружено 3 сертификата (ПФ: 2, учёта: 1)" in out
    opened = cli.runtime()
    try:
        with opened.database.transaction() as session:
            balances = {
                number: (nominal, balance, reserve)
                for number, nominal, balance, reserve in session.execute(
                    select(
                        Certificate.number,
                        CertificateBalance.nominal,
                        CertificateBalance.balance,
                        CertificateBalance.reserve,
                    ).join(CertificateBalance, CertificateBalance.certificate_id == Certificate.id)
                )
            }
            changes = list(session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.entity == "certificate")))
            payer_id = session.scalar(select(Payer.id))
            imports = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "certificate.import")))
    finally:
        opened.close()
    assert balances == {
        "4212000001": (1_200_050, 1_200_050, 0),
        "4212000002": (0, 0, 0),
        "4212000003": (900_000, 900_000, 0),
    }
    assert len(changes) == 3
    assert {change.payer_id for change in changes} == {payer_id}
    assert [json.loads(entry.details_json)["count"] for entry in imports] == [3]


def test_import_of_a_good_xlsx_into_the_current_period(cli: Cli, tmp_path: Path) -> None:
    region(cli)
    path = tmp_path / "реестр.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Номер", "Фамилия", "Имя", "Отчество", "Дата рождения", "Вид", "Код плательщика", "Номинал"])
    sheet.append([4212000011, "Орлова", "Мария", "Павловна", date(2013, 4, 5), "ПФ", 12, 15000.5])
    sheet.append(["4212000012", "Орлов", "Илья", None, "12.01.2012", "учёт", "12", 0])
    workbook.save(path)
    workbook.close()
    assert "Загружено 2 сертификата" in cli.ok("import-certificates", str(path))
    assert cli.count(CertificateBalance, CertificateBalance.nominal == 1_500_050) == 1
    assert cli.count(Certificate, Certificate.kind == "accounting") == 1
    assert cli.count(ChangeLogEntry, ChangeLogEntry.entity == "certificate") == 2


def test_import_with_bad_rows_reports_each_and_imports_nothing(cli: Cli, tmp_path: Path) -> None:
    region(cli)
    cli.ok(
        "import-certificates", str(write_csv(tmp_path / "first.csv", "4212000099;Старый;Олег;;01.01.2015;ПФ;12;1000"))
    )
    path = write_csv(
        tmp_path / "bad.csv",
        "4212000001;Петров;Пётр;;01.03.2015;ПФ;12;12000",
        "421200000;Иванов;Иван;;01.01.2015;ПФ;12;100",
        "4212000003;Сидоров;Олег;;31.02.2015;ПФ;12;100",
        "4212000004;Сидоров;Олег;;01.01.2015;ПФ;77;100",
        "4212000005;Сидоров;Олег;;01.01.2015;ПФ;12;-100",
        "4212000001;Петров;Пётр;;01.03.2015;ПФ;12;12000",
        "4212000099;Старый;Олег;;01.01.2015;ПФ;12;1000",
        "4212000008;Сидорова;Ольга;;01.01.2015;ПФ;12;12000",
    )
    before = cli.count(ChangeLogEntry)
    err = cli.refused("import-certificates", str(path))
    assert "ошибки в 6 строках; ничего не загружено" in err
    reported = [line.strip() for line in err.splitlines() if line.strip().startswith("строка")]
    assert [line.split(":")[0] for line in reported] == [f"строка {n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "9 цифр" in reported[0]
    assert "не бывает" in reported[1]
    assert "«77» не найден" in reported[2]
    assert "отрицательной" in reported[3]
    assert "уже был в строке 2" in reported[4]
    assert "уже есть в реестре" in reported[5]
    assert cli.count(Certificate) == 1
    assert cli.count(CertificateBalance) == 1
    assert cli.count(ChangeLogEntry) == before
    assert cli.count(AuditEntry, AuditEntry.action == "certificate.import") == 1


def test_import_file_problems_are_one_message(cli: Cli, tmp_path: Path) -> None:
    region(cli)
    assert "не найден" in cli.refused("import-certificates", str(tmp_path / "nothere.csv"))
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "не поддерживается" in cli.refused("import-certificates", str(old))
    headless = tmp_path / "headless.csv"
    headless.write_text("4212000001;Петров;Пётр\n", encoding="utf-8")
    assert "нет столбцов" in cli.refused("import-certificates", str(headless))
    good = write_csv(tmp_path / "good.csv", "4212000001;Петров;Пётр;;01.03.2015;ПФ;12;12000")
    assert "Период «2099» не найден" in cli.refused("import-certificates", str(good), "--period", "2099")
    assert cli.count(Certificate) == 0


def test_prune_log_drops_superseded_changes(cli: Cli) -> None:
    region(cli)
    program_id, _modules, _group = submitted_program(cli)
    cli.ok("certify", str(program_id), "--all-normatives", "15000")
    before = cli.count(ChangeLogEntry)
    out = cli.ok("prune-log", "--days", "0")
    dropped = int(out.rsplit(":", 1)[1].strip(" .\n"))
    assert dropped > 0
    assert cli.count(ChangeLogEntry) == before - dropped
    # The program's first entry (its creation) and its latest stay; everything in between goes.
    assert cli.count(ChangeLogEntry, ChangeLogEntry.entity == "program") == 2
    assert "не число дней" in cli.refused("prune-log", "--days", "-1")
