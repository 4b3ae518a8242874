"""``pfdo-server certify``, ``refuse`` and ``file-application`` on programs sent from a workstation."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from server.db.models import CertificateBalance, ChangeLogEntry, ContractRow, GroupRow
from tests.server.cli_support import (
    PASSWORD,
    Cli,
    make_cli,
    program_state,
    region,
    school_year,
    submitted_program,
    write_csv,
)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return make_cli(tmp_path, capsys, monkeypatch)


def test_certify_with_normatives_per_module(cli: Cli) -> None:
    region(cli)
    program_id, module_ids, _group = submitted_program(cli, (1_200_000, 1_500_050))
    assert "Робототехника" in cli.ok("list-programs")
    err = cli.refused("certify", str(program_id), "--normative", "1=15000")
    assert "Не указана нормативная стоимость модулей: Год 2" in err
    err = cli.refused("certify", str(program_id), "--all-normatives", "11999,99")
    assert "выше 100 % нормативной стоимости" in err
    assert "не идентификатор программы" in cli.refused("certify", "robots", "--all-normatives", "1")
    assert "не найден среди модулей" in cli.refused("certify", str(program_id), "--normative", "3=1")
    assert "не найдена" in cli.refused("certify", str(uuid.uuid4()), "--all-normatives", "1")
    assert program_state(cli, program_id)[0] == "submitted"
    out = cli.ok(
        "certify", str(program_id), "--all-normatives", "15000",
        "--normative", f"{module_ids[1]}=16000,50", "--remark", "Соответствует требованиям",
    )  # fmt: skip
    assert "сертифицирована" in out
    status, normatives, decisions = program_state(cli, program_id)
    assert status == "certified"
    assert normatives == [1_500_000, 1_600_050]
    assert decisions[-1] == ("certified", "Соответствует требованиям")
    assert "не ждёт решения" in cli.refused("refuse", str(program_id), "--remark", "Поздно")


def test_refuse_with_a_remark_and_the_acting_operator(cli: Cli) -> None:
    assert "нет оператора" in cli.refused("refuse", str(uuid.uuid4()), "--remark", "Нет")
    region(cli)
    program_id, _modules, _group = submitted_program(cli)
    cli.ok("create-operator", "--username", "second", "--full-name", "Второй оператор", "--password", PASSWORD)
    assert "Операторов несколько" in cli.refused("refuse", str(program_id), "--remark", "Исправьте аннотацию")
    assert "не найден" in cli.refused("refuse", str(program_id), "--remark", "Нет", "--operator", "ghost")
    changes_before = cli.count(ChangeLogEntry, ChangeLogEntry.entity == "program")
    out = cli.ok("refuse", str(program_id), "--remark", "Исправьте аннотацию", "--operator", "second")
    assert "отказано" in out
    status, normatives, decisions = program_state(cli, program_id)
    assert (status, normatives) == ("refused", [None])
    assert decisions[-1] == ("refused", "Исправьте аннотацию")
    assert cli.count(ChangeLogEntry, ChangeLogEntry.entity == "program") == changes_before + 1


def test_file_application_reserves_money_and_numbers_the_contract(cli: Cli, tmp_path: Path) -> None:
    region(cli)
    cli.ok("import-certificates", str(write_csv(tmp_path / "r.csv", "4212000001;Петров;Пётр;;01.03.2015;ПФ;12;20000")))
    program_id, _modules, group_id = submitted_program(cli)
    cli.ok("certify", str(program_id), "--all-normatives", "15000")
    starts, _ends = school_year()
    application = ("file-application", "--certificate", "42 1200 0001", "--group", str(group_id))
    out = cli.ok(*application, "--surname", "ПЕТРОВ", "--start", starts.isoformat())
    assert "договор № 1-ПФ, статус «заявка»" in out
    assert "из сертификата 12 000,00" in out
    assert "не совпадает" in cli.refused(*application, "--surname", "Сидоров", "--start", starts.isoformat())
    assert "уже есть действующий договор" in cli.refused(
        *application, "--surname", "Петров", "--start", starts.isoformat()
    )
    assert "нужно 10" in cli.refused("file-application", "--certificate", "42", "--surname", "Петров",
                                     "--group", str(group_id), "--start", starts.isoformat())  # fmt: skip
    opened = cli.runtime()
    try:
        with opened.database.transaction() as session:
            contract = session.scalar(select(ContractRow))
            balance = session.scalar(select(CertificateBalance))
            group = session.get(GroupRow, group_id)
    finally:
        opened.close()
    assert contract is not None and balance is not None and group is not None
    assert (contract.number, contract.status, contract.source) == ("1-ПФ", "requested", "portal")
    assert (balance.balance, balance.reserve) == (2_000_000 - contract.from_certificate, contract.from_certificate)
    assert group.taken == 1
