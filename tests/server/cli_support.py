"""Running ``pfdo-server`` in-process in tests, and the small region those tests set up through it."""

from __future__ import annotations

import json
import socket
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop_app.sync.protocol import Operation
from server.cli import main
from server.clock import Clock
from server.config import DEFAULT_TIMEZONE
from server.db.models import CertificationDecision, ModuleRow, Organization, ProgramRow
from server.runtime import Runtime, open_runtime
from server.services import push
from server.services.demo import school_year_start

PASSWORD = "пароль-надёжный"
INN = "4205012438"
HEADER = "номер;фамилия;имя;отчество;дата рождения;вид;код плательщика;номинал"


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Cli:
    """Runs ``pfdo-server`` in-process against one database and opens it for checks in between."""

    url: str
    data_dir: Path
    capsys: pytest.CaptureFixture[str]

    def __call__(self, *arguments: str) -> Result:
        code = main([*arguments, "--db", self.url, "--data-dir", str(self.data_dir)])
        captured = self.capsys.readouterr()
        assert "Traceback" not in captured.err
        return Result(code, captured.out, captured.err)

    def ok(self, *arguments: str) -> str:
        result = self(*arguments)
        assert result.code == 0, result.err
        return result.out

    def refused(self, *arguments: str) -> str:
        result = self(*arguments)
        assert result.code == 1, result.out
        assert result.err.strip()
        return result.err

    def runtime(self) -> Runtime:
        return open_runtime(self.url, self.data_dir)

    def count(self, model: type[Any], *where: Any) -> int:
        opened = self.runtime()
        try:
            with opened.database.transaction() as session:
                return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)
        finally:
            opened.close()


def make_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A command line on a fresh SQLite file, with no password in the environment."""
    monkeypatch.delenv("PFDO_PASSWORD", raising=False)
    return Cli(f"sqlite:///{tmp_path / 'server.sqlite3'}", tmp_path / "data", capsys)


def today() -> date:
    """The region's today, as the server sees it."""
    return Clock(DEFAULT_TIMEZONE).today()


def school_year() -> tuple[date, date]:
    start = school_year_start(today())
    return start, date(start.year + 1, 8, 31)


def region(cli: Cli) -> None:
    """An operator, an organization with a clerk, a payer, this school year and an agreement."""
    starts, ends = school_year()
    cli.ok(
        "create-operator", "--username", "operator", "--full-name", "Смирнова Ольга Викторовна", "--password", PASSWORD
    )
    cli.ok(
        "create-organization",
        *("--name", "МБУ ДО «Дом детского творчества № 2»", "--short-name", "ДДТ № 2", "--inn", INN),
        *("--admin-username", "ddt-admin", "--admin-full-name", "Кузнецова Татьяна Ивановна"),
        *("--admin-password", PASSWORD),
    )
    cli.ok("add-payer", "--code", "12", "--name", "Управление образования Кемерово")
    cli.ok("add-period", "--code", "current", "--starts", starts.isoformat(), "--ends", ends.isoformat())
    cli.ok(
        "add-agreement",
        *("--organization", INN, "--payer", "12", "--number", "12/1"),
        *("--signed", starts.isoformat(), "--starts", starts.isoformat(), "--ends", ends.isoformat()),
    )


def write_csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def submitted_program(cli: Cli, prices: tuple[int, ...] = (1_200_000,)) -> tuple[uuid.UUID, list[uuid.UUID], uuid.UUID]:
    """A program with one module per price and a group of the first module, sent for certification."""
    starts, ends = school_year()
    program_id, group_id = uuid.uuid4(), uuid.uuid4()
    module_ids = [uuid.uuid4() for _ in prices]
    operations = [
        ("program.create", {
            "id": str(program_id), "full_name": "Дополнительная общеразвивающая программа «Робототехника»",
            "short_name": "Робототехника", "direction": "technical", "kind": "general_developmental",
            "form": "full_time", "level": "basic", "age_from_months": 60, "age_to_months": 216,
            "duration_months": 9 * len(prices), "addresses": ["г. Кемерово, ул. Весенняя, 11"],
        }),
        *(
            ("module.create", {
                "id": str(module_id), "program_id": str(program_id), "position": position,
                "name": f"Год {position + 1}", "months": 9, "hours": 144, "min_group_size": 1,
                "max_group_size": 15, "price": price,
            })
            for position, (module_id, price) in enumerate(zip(module_ids, prices, strict=True))
        ),
        ("group.create", {
            "id": str(group_id), "module_id": str(module_ids[0]), "name": "Группа 1", "teacher": "Никитин О. В.",
            "start_date": starts.isoformat(), "end_date": ends.isoformat(), "capacity": 1,
        }),
        ("program.submit", {"program_id": str(program_id)}),
    ]  # fmt: skip
    opened = cli.runtime()
    try:
        with opened.database.transaction() as session:
            organization_id = session.scalar(select(Organization.id).where(Organization.inn == INN))
        assert organization_id is not None
        for kind, payload in operations:
            operation = Operation(op_id=uuid.uuid4(), type=kind, version=1, payload=payload)
            answer = json.loads(
                push.apply_one(opened.database, opened.config, opened.clock, organization_id, None, operation)
            )
            assert answer["status"] == "applied", answer
    finally:
        opened.close()
    return program_id, module_ids, group_id


def program_state(cli: Cli, program_id: uuid.UUID) -> tuple[str, list[int | None], list[tuple[str, str]]]:
    opened = cli.runtime()
    try:
        with opened.database.transaction() as session:
            program = session.get(ProgramRow, program_id)
            assert program is not None
            normatives = list(
                session.scalars(
                    select(ModuleRow.normative).where(ModuleRow.program_id == program_id).order_by(ModuleRow.position)
                )
            )
            decisions = session.execute(
                select(CertificationDecision.decision, CertificationDecision.remark)
                .where(CertificationDecision.program_id == program_id)
                .order_by(CertificationDecision.decided_at)
            ).all()
            return program.status, normatives, [(decision, remark) for decision, remark in decisions]
    finally:
        opened.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
